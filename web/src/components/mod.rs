pub mod crumbs;
pub mod delete;
pub mod form;
pub mod history;
pub mod layout;
pub mod list;
pub mod platforms;
pub mod status;
