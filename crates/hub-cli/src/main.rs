use std::process::ExitCode;

fn main() -> ExitCode {
    hub_cli::run()
}
