//! One integration-test binary: every test gets a fresh PostgreSQL database.

mod cli;
mod demo;
mod operations;
mod schema;
