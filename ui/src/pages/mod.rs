//! One module per screen.

pub mod login;
pub mod shell;
