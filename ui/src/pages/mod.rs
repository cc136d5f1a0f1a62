//! One module per screen.

pub mod login;
