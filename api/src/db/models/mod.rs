//! Row types and their queries. Functions take `&mut DbConnection` and return `QueryResult`,
//! so the caller owns the transaction.

pub mod end_user;
pub mod history;
pub mod organization;
pub mod portal_account;
pub mod queue;
