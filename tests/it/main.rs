//! One integration-test binary: every test gets a fresh PostgreSQL database.

mod announcements;
mod applications;
mod attendance;
mod auth;
mod authorization;
mod balancer;
mod cli;
mod cms;
mod demo;
mod desktop;
mod e2e;
mod events;
mod inbox;
mod installed;
mod lists;
mod offline;
mod operations;
mod profiles;
mod programs;
mod public;
mod reports;
mod responses;
mod schema;
mod server;
mod sessions;
mod users;
