//! One integration-test binary: every test gets a fresh PostgreSQL database.

mod cli;
mod demo;
mod desktop;
mod operations;
mod schema;
