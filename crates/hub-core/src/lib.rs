//! Digital Hub's domain: every operation over PostgreSQL, with its authorization, behind
//! one table of operations (`ops`) that the hub server and `hubctl` both call.
//! Knows nothing of Tauri, HTTP or the command line.

pub mod account_codes;
pub mod actor;
pub mod announcements;
pub mod app;
pub mod applications;
pub mod attendance;
pub mod audit;
pub mod auth;
pub mod checkin;
pub mod cms;
pub mod cohorts;
pub mod db;
pub mod demo;
pub mod devices;
pub mod enrollments;
pub mod error;
pub mod events;
pub mod forms;
pub mod import;
pub mod inbox;
pub mod large_demo;
mod lockout;
pub mod mail;
pub mod media;
pub mod ops;
mod paging;
pub mod password;
pub mod profiles;
pub mod programs;
pub mod sessions;
pub mod staff_sessions;
mod text;
pub mod users;
pub mod website;

pub use actor::{Actor, Caller, Credentials, SignedIn};
pub use db::{migrate, Call, Hub, MIGRATOR};
pub use error::{Error, Result};
