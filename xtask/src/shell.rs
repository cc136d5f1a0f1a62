//! Running commands, timing phases, and finding a display for the window.

use crate::Result;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    Command::new(program)
}

/// Runs a command with inherited output; an unsuccessful exit is an error naming it.
pub fn run_checked(command: &mut Command) -> Result {
    let status = command.status().map_err(|error| format!("cannot run {command:?}: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(command)))
    }
}

/// Runs a command quietly and returns its stdout, or `None` if it could not run or failed.
pub fn output(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|arg| arg.to_string_lossy().into_owned()));
    words.join(" ")
}

/// `cargo ARGS` in the workspace, with extra environment.
pub fn cargo(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command.current_dir(root).args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    run_checked(&mut command)
}

/// Named, timed steps, printed as a table at the end so slow phases stand out.
#[derive(Default)]
pub struct Phases {
    done: Vec<(&'static str, Duration, bool)>,
}

impl Phases {
    pub fn time<T>(&mut self, name: &'static str, step: impl FnOnce() -> Result<T>) -> Result<T> {
        println!("==> {name}");
        let started = Instant::now();
        let outcome = step();
        let elapsed = started.elapsed();
        println!(
            "==> {name}: {} in {:.1}s",
            if outcome.is_ok() { "done" } else { "FAILED" },
            elapsed.as_secs_f64()
        );
        self.done.push((name, elapsed, outcome.is_ok()));
        if outcome.is_err() {
            self.print();
        }
        outcome
    }

    pub fn print(&self) {
        let total: Duration = self.done.iter().map(|(_, elapsed, _)| *elapsed).sum();
        println!("\nphase            time");
        for (name, elapsed, ok) in &self.done {
            println!("{name:16} {:>6.1}s{}", elapsed.as_secs_f64(), if *ok { "" } else { "  FAILED" });
        }
        println!("{:16} {:>6.1}s\n", "total", total.as_secs_f64());
    }
}

/// Where the window goes: the user's display, or an Xvfb started for the purpose.
pub struct Display {
    xvfb: Option<(Child, String)>,
}

impl Display {
    pub fn ensure() -> Result<Self> {
        let has_display =
            std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
        if has_display || !cfg!(target_os = "linux") {
            return Ok(Self { xvfb: None });
        }
        let number = (99..120)
            .find(|number| !Path::new(&format!("/tmp/.X11-unix/X{number}")).exists())
            .ok_or("no free X display number between :99 and :119")?;
        let name = format!(":{number}");
        let child = Command::new("Xvfb")
            .args([name.as_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|error| format!("no display, and Xvfb cannot start: {error}"))?;
        for _ in 0..50 {
            if Path::new(&format!("/tmp/.X11-unix/X{number}")).exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(Self { xvfb: Some((child, name)) })
    }

    pub fn apply(&self, command: &mut Command) {
        if let Some((_, name)) = &self.xvfb {
            command.env("DISPLAY", name);
        }
    }

    pub fn note(&self) -> String {
        match &self.xvfb {
            None => String::new(),
            Some((_, name)) => format!(
                "\nNo display found: the window runs under Xvfb on {name}. See it with \
                 `import -display {name} -window root shot.png`; stop it with Ctrl-C."
            ),
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        if let Some((child, _)) = &mut self.xvfb {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
