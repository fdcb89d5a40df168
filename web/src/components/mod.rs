pub mod children;
pub mod layout;
pub mod status;
