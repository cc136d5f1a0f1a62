//! `cargo xtask`: the developer workflow in Rust rather than shell scripts.
//!
//! - `run`: install what is missing, start a local PostgreSQL, migrate, seed the demo,
//!   serve the hub (`hubctl serve`: the staff API and the public website) on 127.0.0.1:8080
//!   and open the desktop window pointed at it (under Xvfb when there is no display).
//! - `test`: install what is missing, build everything (the UI for wasm32 too), lint,
//!   and run every test against a real PostgreSQL, started here when none is given.
//! - `e2e`: only the tests that drive the desktop window (screenshots in target/screenshots).
//! - `screenshots`: the README's screenshots (docs/screenshots), copied from the last e2e run.
//! - `ui [--release]`: build the UI into ui/dist.
//! - `bundle`: the installers this machine can build (.deb, .rpm), in target/release/bundle.
//! - `icons`: every icon size the installers need, made from one SVG.
//! - `setup`: only install what is missing.
//! - `prepare`: refresh the checked queries' offline data in .sqlx/ (needs DATABASE_URL).

mod bundle;
mod postgres;
mod setup;
mod shell;
mod ui;

use shell::{cargo, Phases};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("e2e") => e2e(),
        Some("screenshots") => readme_screenshots(),
        Some("ui") => ui_command(args[1..].iter().any(|arg| arg == "--release")),
        Some("bundle") => bundle_command(),
        Some("icons") => icons(),
        Some("setup") => setup::ensure(&root(), setup::Needs::test()),
        Some("prepare") => prepare(),
        Some("bench") => bench(args.get(1).map(String::as_str)),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: cargo xtask <command>

  run        start PostgreSQL (or use DATABASE_URL), migrate, seed demo data, serve the hub on
             127.0.0.1:8080 (hubctl serve), open the app pointed at it
  test       build everything and run every test (add --no-lint to skip fmt and clippy; --bundle
             also builds the .deb, installs it and checks the installed app opens and answers)
  e2e        run only the tests that drive the desktop window; screenshots in target/screenshots
  screenshots  copy the README's screenshots into docs/screenshots from the last e2e run
  ui         build the UI into ui/dist (--release for an optimised build)
  bundle     build the installers this machine can (.deb, .rpm) in target/release/bundle
  icons      make every icon the installers need from src-tauri/icons/app-icon.svg
  setup      install missing system packages and tools
  prepare    refresh .sqlx/ from a migrated database at DATABASE_URL
  bench      time sign-in and the users list at 50,000 users (figures for docs/BENCHMARKS.md);
             `bench hub`: an operation through the hub server against in process, 200 desktops
             pushing at once, other calls' latency under a flood of sign-ins;
             `bench public`: the public API under load against a static baseline;
             `bench sync`: 10,000 offline marks pushed through the hub, against one per request;
             `bench reports`: reports and the student list at 50,000 students, with their plans;
             `bench mail`: 10,000 queued messages drained to a local SMTP server, and the outbox's
             cost in an approval;
             `bench checkin`: 1,000 students checking in to one session at once through the hub;
             `bench desktop`: the installed .deb's start, memory, sizes (installs, then removes it)";

pub type Result<T = ()> = std::result::Result<T, String>;

/// Where `cargo xtask run` serves the hub (the staff API and the public website).
const HUB_ADDRESS: &str = "127.0.0.1:8080";

/// The workspace root (xtask lives one level below it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits inside the workspace").to_path_buf()
}

/// `cargo xtask ui [--release]`: also what `cargo tauri build` runs first (tauri.conf.json),
/// on any platform, so it installs the UI's own tools when they are missing.
fn ui_command(release: bool) -> Result {
    let root = root();
    setup::ensure(&root, setup::Needs { wasm: true, ..setup::Needs::default() })?;
    ui::build(&root, release).map(drop)
}

fn run(args: &[String]) -> Result {
    let root = root();
    let mut phases = Phases::default();
    phases.time("setup", || setup::ensure(&root, setup::Needs::run()))?;
    phases.time("ui", || ui::build(&root, false).map(drop))?;
    phases.time("build", || cargo(&root, &["build", "-p", "hub-cli", "-p", "digital-hub"], &[]))?;
    let database = phases.time("database", || postgres::for_run(&root))?;
    let url = database.url.clone();
    let hubctl = root.join("target/debug/hubctl");
    phases.time("migrate", || {
        shell::run_checked(shell::command(&hubctl).args(["migrate"]).env("DATABASE_URL", &url))
    })?;
    if !args.iter().any(|arg| arg == "--no-seed") {
        phases.time("seed", || {
            shell::run_checked(shell::command(&hubctl).args(["seed-demo"]).env("DATABASE_URL", &url))
        })?;
    }
    phases.print();
    // The hub server — the only holder of the database's credentials — for as long as the
    // window is open; the window gets only its address.
    let mut hub = shell::command(&hubctl)
        .args(["serve", "--bind", HUB_ADDRESS])
        .env("DATABASE_URL", &url)
        .spawn()
        .map_err(|error| format!("cannot start the hub server: {error}"))?;
    let hub_url = format!("http://{HUB_ADDRESS}");
    let listening = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::net::TcpStream::connect(HUB_ADDRESS).is_ok()
    });
    if !listening {
        let _ = hub.kill();
        return Err(format!("the hub server did not start listening on {HUB_ADDRESS}"));
    }
    let display = shell::Display::ensure()?;
    println!(
        "Opening Digital Hub on the hub at {hub_url} (database {}; the website at {hub_url}/public/home){}",
        database.describe(),
        display.note()
    );
    let app = root.join("target/debug/digital-hub");
    let mut command = shell::command(&app);
    command.env("DIGITAL_HUB_URL", &hub_url).env_remove("DATABASE_URL");
    display.apply(&mut command);
    let status = command.status().map_err(|error| format!("cannot start {}: {error}", app.display()));
    let _ = shell::command("kill").arg("-TERM").arg(hub.id().to_string()).status();
    let _ = hub.wait();
    let status = status?;
    drop(database);
    if status.success() {
        Ok(())
    } else {
        Err(format!("the desktop app exited with {status}"))
    }
}

fn test(args: &[String]) -> Result {
    let root = root();
    let lint = !args.iter().any(|arg| arg == "--no-lint");
    let mut phases = Phases::default();
    phases.time("setup", || setup::ensure(&root, setup::Needs::test()))?;
    phases.time("ui (wasm32)", || ui::build(&root, false).map(drop))?;
    if lint {
        phases.time("fmt", || cargo(&root, &["fmt", "--all", "--", "--check"], &[]))?;
        phases.time("clippy", || {
            cargo(
                &root,
                &["clippy", "--workspace", "--exclude", "hub-ui", "--all-targets", "--", "-D", "warnings"],
                &[],
            )?;
            cargo(
                &root,
                &["clippy", "-p", "hub-ui", "--target", "wasm32-unknown-unknown", "--", "-D", "warnings"],
                &[],
            )
        })?;
        // The desktop as Windows builds it: breakage only Windows would show, shown here.
        phases.time("windows check", || {
            cargo(
                &root,
                &["clippy", "-p", "digital-hub", "--target", setup::WINDOWS_TARGET, "--", "-D", "warnings"],
                &[],
            )
        })?;
    }
    phases.time("build", || {
        cargo(&root, &["build", "--workspace", "--exclude", "hub-ui", "--all-targets"], &[])
    })?;
    let database = phases.time("database", || postgres::for_tests(&root))?;
    println!("Testing against PostgreSQL at {}", database.describe());
    let mut outcome = phases.time("test", || {
        cargo(
            &root,
            &["test", "--workspace", "--exclude", "hub-ui"],
            // A failure reads as its message and place: a backtrace of a test's runtime runs
            // to hundreds of lines and buries them (CI keeps a log's head and tail).
            &[("DATABASE_URL", database.url.as_str()), ("RUST_BACKTRACE", "0")],
        )
    });
    if outcome.is_ok() && lint {
        outcome = phases.time("sqlx check", || check_query_data(&root, &database.url));
    }
    if outcome.is_ok() && args.iter().any(|arg| arg == "--bundle") {
        outcome = phases
            .time("bundle", || bundle::build(&root).map(drop))
            .and_then(|()| phases.time("installed", || installed_tests(&root, &database.url)));
    }
    drop(database);
    phases.print();
    outcome
}

/// The window tests that need the installed package, against it.
fn installed_tests(root: &Path, database_url: &str) -> Result {
    let _installed = bundle::Installed::deb(root)?;
    cargo(
        root,
        &["test", "-p", "hub-tests", "--test", "it", "--", "--ignored", "installed::"],
        &[("DATABASE_URL", database_url), ("HUB_DESKTOP_APP", bundle::INSTALLED_APP)],
    )
}

/// `cargo xtask icons`: the Tauri CLI renders every size and format (PNGs, .ico, .icns) from
/// the one source image; the mobile sets it also makes are not this app's.
fn icons() -> Result {
    let root = root();
    setup::ensure(&root, setup::Needs { tauri_cli: true, ..setup::Needs::default() })?;
    let icons = root.join("src-tauri/icons");
    shell::run_checked(shell::command("cargo").current_dir(root.join("src-tauri")).args([
        "tauri",
        "icon",
        "icons/app-icon.svg",
    ]))?;
    for mobile in ["android", "ios"] {
        let dir = icons.join(mobile);
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .map_err(|error| format!("cannot remove {}: {error}", dir.display()))?;
        }
    }
    Ok(())
}

/// `cargo xtask bundle`.
fn bundle_command() -> Result {
    let root = root();
    setup::ensure(&root, setup::Needs::run())?;
    bundle::build(&root).map(drop)
}

/// The window tests alone: the app under Xvfb, driven over WebDriver.
/// Each README screenshot (docs/screenshots) and the window test's screenshot it is.
const README_SCREENSHOTS: [(&str, &str); 66] = [
    ("first-run", "00-first-run-connection"),
    ("login", "01-sign-in"),
    ("login-wrong-password", "01b-sign-in-wrong-password"),
    ("choose-password", "38-choose-password"),
    ("home-feed", "02-admin-home"),
    ("users", "03-users"),
    ("new-user-duplicate-email", "04-new-user-duplicate-email"),
    ("user-created", "05-user-created"),
    ("shell", "06-instructor-home"),
    ("my-profile", "07-my-profile-invalid-link"),
    ("edit-user-profile", "08-edit-user-profile"),
    ("user-devices", "09b-edit-user-devices"),
    ("my-profile-photo", "07c-my-profile-photo"),
    ("users-with-photo", "03b-users-with-photo"),
    ("website-page-editor", "12-website-page-editor"),
    ("website-preview", "14-website-preview"),
    ("website-section-editor", "44-website-section-editor"),
    ("website-home-sections", "45-website-home-built"),
    ("site-built-home", "site-desktop-built-home"),
    ("inbox", "15-inbox"),
    ("mail", "37-mail"),
    ("activity", "47-activity"),
    ("person-history", "46-person-history"),
    ("import-dry-run", "48-import-dry-run"),
    ("bulk-approval", "49-bulk-approval"),
    ("programs", "16-programs"),
    ("program-delete", "17-program-delete-impact"),
    ("cohort-page", "18-cohort-page"),
    ("events", "20-events"),
    ("announcements", "21-announcements"),
    ("instructor-home", "22-instructor-home"),
    ("admin-home-funnel", "23-admin-home-funnel"),
    ("application-review", "24-application-review"),
    ("cohort-enrollments", "25-cohort-enrollments"),
    ("form-builder", "26-form-builder"),
    ("attendance", "27-attendance"),
    ("calendar", "28-calendar-month"),
    ("plan-preview", "29-plan-preview"),
    ("session-editor", "29b-session-editor"),
    ("attendance-report", "31-attendance-report"),
    ("sessions-report", "31b-sessions-report"),
    ("mark-history", "32-mark-history"),
    ("attendance-offline", "33-attendance-offline"),
    ("offline-sign-in", "34-offline-sign-in"),
    ("hub-back", "35-hub-back"),
    ("student-checkin", "39-student-checkin"),
    ("checkin-screen", "40-checkin-screen"),
    ("student-attendance-trend", "41-student-attendance-trend"),
    ("attendance-chart", "42-attendance-reports"),
    ("attendance-at-risk", "43-attendance-at-risk"),
    ("site-home", "site-desktop-home"),
    ("site-programs", "site-desktop-programs"),
    ("site-program", "site-desktop-program"),
    ("site-apply", "site-desktop-apply"),
    ("site-apply-form", "site-desktop-apply-form"),
    ("site-events", "site-desktop-events"),
    ("site-event", "site-desktop-event"),
    ("site-news", "site-desktop-news"),
    ("site-team", "site-desktop-team"),
    ("site-students", "site-desktop-students"),
    ("site-student", "site-desktop-student"),
    ("site-about", "site-desktop-about"),
    ("site-contact", "site-desktop-contact"),
    ("site-phone-home", "site-phone-home"),
    ("site-phone-program", "site-phone-program"),
    ("site-phone-apply-error", "site-phone-apply-error"),
];

/// `cargo xtask screenshots`: the README's screenshots from the last `cargo xtask e2e` (or
/// test) run, every one of them or none.
fn readme_screenshots() -> Result {
    let root = root();
    let taken = root.join("target/screenshots");
    let missing: Vec<&str> = README_SCREENSHOTS
        .iter()
        .filter(|(_, test)| !taken.join(format!("{test}.png")).is_file())
        .map(|(_, test)| *test)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "no screenshot {} in {}: run `cargo xtask e2e` first",
            missing.join(", "),
            taken.display()
        ));
    }
    for (readme, test) in README_SCREENSHOTS {
        let to = root.join(format!("docs/screenshots/{readme}.png"));
        std::fs::copy(taken.join(format!("{test}.png")), &to)
            .map_err(|error| format!("cannot copy {test}.png to {}: {error}", to.display()))?;
    }
    println!("{} screenshots copied into docs/screenshots", README_SCREENSHOTS.len());
    Ok(())
}

fn e2e() -> Result {
    let root = root();
    let mut phases = Phases::default();
    phases.time("setup", || setup::ensure(&root, setup::Needs::test()))?;
    phases.time("ui (wasm32)", || ui::build(&root, false).map(drop))?;
    phases.time("build", || {
        cargo(
            &root,
            &["build", "-p", "digital-hub", "-p", "hub-cli", "-p", "hub-tests", "--bins", "--tests"],
            &[],
        )
    })?;
    let database = phases.time("database", || postgres::for_tests(&root))?;
    let outcome = phases.time("e2e", || {
        cargo(
            &root,
            &["test", "-p", "hub-tests", "--test", "it", "--", "desktop::", "e2e::", "website::"],
            &[("DATABASE_URL", database.url.as_str())],
        )
    });
    drop(database);
    phases.print();
    if outcome.is_ok() {
        println!("Screenshots: {}", root.join("target/screenshots").display());
    }
    outcome
}

/// Fails when .sqlx/ no longer matches the queries or the migrated schema: the offline
/// build would otherwise keep compiling against stale column types.
fn check_query_data(root: &Path, server_url: &str) -> Result {
    let url = postgres::with_database(server_url, "digital_hub_sqlx_check");
    let sqlx = |args: &[&str]| {
        shell::run_checked(shell::command("sqlx").args(args).current_dir(root).env("DATABASE_URL", &url))
    };
    sqlx(&["database", "drop", "-y"])?;
    sqlx(&["database", "setup", "--source", "migrations"])?;
    let checked = cargo(
        root,
        &["sqlx", "prepare", "--workspace", "--check", "--", "--all-targets"],
        &[("DATABASE_URL", url.as_str()), ("SQLX_OFFLINE", "false")],
    );
    let dropped = sqlx(&["database", "drop", "-y"]);
    checked.map_err(|error| format!("{error}: .sqlx/ is stale; run `cargo xtask prepare` and commit it"))?;
    dropped
}

/// `bench` (sign-in and the users list), `bench public` (the public API under load),
/// `bench sync` (offline marks pushed to PostgreSQL), `bench reports` (the large demo's
/// reports and student list, with their plans), `bench import` (10,000 people and 100,000
/// marks from CSV, and what the audit trail costs a change) or `bench desktop` (the installed app's cold
/// start and memory, the installers' and the UI's sizes).
fn bench(which: Option<&str>) -> Result {
    let bench = match which {
        None => "accounts",
        Some("hub") => "hub",
        Some("public") => "public",
        Some("sync") => "sync",
        Some("reports") => "reports",
        Some("desktop") => "desktop",
        Some("mail") => "mail",
        Some("checkin") => "checkin",
        Some("import") => "import",
        Some(other) => {
            return Err(format!(
                "no benchmark {other:?}: use `bench`, `bench hub`, `bench public`, `bench sync`, \
                 `bench reports`, `bench mail`, `bench checkin`, `bench import` or `bench desktop`"
            ))
        }
    };
    let root = root();
    let desktop = bench == "desktop";
    let needs = setup::Needs {
        load_generator: bench == "public",
        webdriver: desktop,
        test_packages: bench == "mail",
        ..setup::Needs::run()
    };
    setup::ensure(&root, needs)?;
    let database = postgres::for_bench(&root)?;
    println!("Benchmarking against PostgreSQL at {}", database.describe());
    let url = database.url.as_str();
    if matches!(bench, "hub" | "sync" | "desktop" | "checkin") {
        // The hub server as it ships, beside the bench (target/release): the bench starts it.
        cargo(&root, &["build", "--release", "-p", "hub-cli"], &[])?;
    }
    if !desktop {
        return cargo(&root, &["bench", "-p", "hub-tests", "--bench", bench], &[("DATABASE_URL", url)]);
    }
    // The installed app, as an office machine runs it: built (the UI in release), installed,
    // measured, removed.
    bundle::build(&root)?;
    let _installed = bundle::Installed::deb(&root)?;
    // The bare WebKitGTK window it is measured beside, a program of its own (bench profile,
    // so it lands beside the bench in target/release).
    cargo(
        &root,
        &["build", "--profile", "bench", "-p", "hub-tests", "--example", "bare_webkit_window"],
        &[],
    )?;
    cargo(
        &root,
        &["bench", "-p", "hub-tests", "--bench", "desktop"],
        &[("DATABASE_URL", url), ("HUB_DESKTOP_APP", bundle::INSTALLED_APP)],
    )
}

fn prepare() -> Result {
    let root = root();
    if std::env::var_os("DATABASE_URL").is_none() {
        return Err("set DATABASE_URL to a database migrated to the current schema".to_owned());
    }
    setup::ensure(&root, setup::Needs { sqlx_cli: true, ..setup::Needs::default() })?;
    cargo(&root, &["sqlx", "prepare", "--workspace", "--", "--all-targets"], &[("SQLX_OFFLINE", "false")])
}
