//! Shared components.

pub mod status_line;
