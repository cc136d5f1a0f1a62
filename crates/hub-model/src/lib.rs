//! Types shared by every Digital Hub crate, native and wasm32 alike: the operation
//! catalogue (names, access rules, request and response types), the error shape that
//! crosses the IPC and CLI boundaries, and the input newtypes that parse user input once.

pub mod announcements;
pub mod app;
pub mod applications;
pub mod attendance;
pub mod audit;
pub mod auth;
pub mod checkin;
pub mod choices;
pub mod cms;
pub mod connection;
pub mod desktop;
pub mod devices;
pub mod error;
pub mod events;
pub mod forms;
pub mod import;
pub mod inbox;
pub mod input;
pub mod mail;
pub mod media;
pub mod ops;
pub mod page;
pub mod profiles;
pub mod programs;
pub mod public;
pub mod sessions;
pub mod users;
pub mod words;

pub use error::{ApiError, ErrorKind};
pub use ops::{Access, NoRequest, Operation};
