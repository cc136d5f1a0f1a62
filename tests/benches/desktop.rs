//! `cargo xtask bench desktop`: the installed app as an office machine runs it (the .deb,
//! installed by xtask, named by `HUB_DESKTOP_APP`), under Xvfb at 1280×800:
//!
//! - cold start: from asking for the window to a sign-in form that takes typing, with the
//!   hub's state shown (the first start after installing, then the median of more), against
//!   a `hubctl serve` (release build) on loopback;
//! - idle memory after sign-in screen settles, summed over the app's processes, WebKit's
//!   web and network processes included (PSS: shared pages counted once; RSS beside it);
//! - the same for a bare WebKitGTK window (`examples/bare_webkit_window.rs`: GTK, one web
//!   view, a static three-field form, no script) drawn the way the app draws: the least any
//!   app whose window is WebKitGTK holds on this machine, beside the app's figure;
//! - the installed binary's size, and that it carries no PostgreSQL client;
//! - the installers' sizes and the UI's wasm, raw and gzipped.

use hub_tests::desktop::{Desktop, INSTALLED_APP};

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

const STARTS: usize = 7;

/// How long the window sits at sign-in before its memory is read.
const SETTLE: Duration = Duration::from_secs(10);

/// Every process of the app: those running `exe`, and everything they started.
fn processes_of(exe: &Path) -> Vec<u32> {
    let parents = process_tree();
    let roots = parents
        .iter()
        .filter(|(pid, _)| std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|path| path == exe))
        .map(|(pid, _)| *pid)
        .collect();
    with_descendants(roots, &parents)
}

/// `roots` and every process they started, and those started, and so on, by `parents`
/// ((pid, parent's pid) of every process).
fn with_descendants(mut found: Vec<u32>, parents: &[(u32, u32)]) -> Vec<u32> {
    let mut index = 0;
    while index < found.len() {
        let parent = found[index];
        found.extend(parents.iter().filter(|(_, ppid)| *ppid == parent).map(|(pid, _)| *pid));
        index += 1;
    }
    found
}

/// (pid, parent's pid) of every process.
fn process_tree() -> Vec<(u32, u32)> {
    let mut parents = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // pid (comm) state ppid …: the command may hold spaces, so read after the last ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|ppid| ppid.parse::<u32>().ok())
            .unwrap_or(0);
        parents.push((pid, ppid));
    }
    parents
}

/// (PSS, RSS) of a process, in KiB.
fn memory_of(pid: u32) -> (u64, u64) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kib| kib.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (field("Pss:"), field("Rss:"))
}

fn name_of(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_owned()
}

#[allow(clippy::cast_precision_loss)]
fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn gzipped(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("gzip in memory");
    encoder.finish().expect("gzip in memory").len()
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ sits in the workspace").to_path_buf()
}

/// When a start reached each point, counted from asking for the window.
struct Start {
    /// The sign-in form takes typing: the identifier field has the focus.
    form: Duration,
    /// The form, and the hub's state shown beside it (the app has asked the hub).
    connected: Duration,
}

/// Opens the installed app and polls finely until the sign-in form takes typing and the
/// hub's state shows; answers the window and when each happened.
async fn start(url: &str) -> (Desktop, Start) {
    let desktop = Desktop::open_as_shipped(url).await;
    let mut form = None;
    loop {
        if form.is_none() && desktop.exists("#identifier:focus").await {
            form = Some(desktop.launched.elapsed());
        }
        if let Some(form) = form {
            if desktop.exists("[data-testid='database-status'] .dot--ok").await {
                let connected = desktop.launched.elapsed();
                return (desktop, Start { form, connected });
            }
        }
        assert!(desktop.launched.elapsed() < Duration::from_secs(30), "no sign-in screen in 30 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Signs in as the demo admin and answers how long from pressing Enter to the admin's home.
async fn sign_in(desktop: &Desktop) -> Duration {
    desktop.type_credentials("admin@demo.digitalhub.dev", hub_core::demo::DEMO_PASSWORD).await;
    let pressed = std::time::Instant::now();
    desktop.press_enter_in("#password").await;
    while !desktop.exists("[data-testid='nav-cohorts']").await {
        assert!(pressed.elapsed() < Duration::from_secs(30), "not signed in after 30 s");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    pressed.elapsed()
}

/// "first …, median …, slowest …" of one measure over every run, in milliseconds.
fn summary<T>(starts: &[T], measure: impl Fn(&T) -> Duration) -> String {
    let first = measure(&starts[0]);
    let mut sorted: Vec<Duration> = starts.iter().map(measure).collect();
    sorted.sort();
    format!(
        "first {:.0} ms, median of {} {:.0} ms, slowest {:.0} ms",
        first.as_secs_f64() * 1000.0,
        sorted.len(),
        sorted[sorted.len() / 2].as_secs_f64() * 1000.0,
        sorted[sorted.len() - 1].as_secs_f64() * 1000.0
    )
}

/// Prints the memory of `processes` under `heading`, one line each and their sum; answers
/// the summed PSS in KiB.
fn report(heading: &str, processes: &[u32]) -> u64 {
    let (mut pss, mut rss) = (0, 0);
    println!("{heading}:");
    for pid in processes {
        let (p, r) = memory_of(*pid);
        pss += p;
        rss += r;
        println!(
            "  {:>7} {:<24} PSS {:>7.1} MiB  RSS {:>7.1} MiB",
            pid,
            name_of(*pid),
            mib(p * 1024),
            mib(r * 1024)
        );
    }
    println!(
        "  {} processes in all:          PSS {:>7.1} MiB  RSS {:>7.1} MiB",
        processes.len(),
        mib(pss * 1024),
        mib(rss * 1024)
    );
    pss
}

/// The memory target, 200 MB.
const TARGET_BYTES: u64 = 200_000_000;

/// Starts the bare WebKitGTK window (xtask builds the example beside this bench) as the app
/// is started (its own Xvfb unless DISPLAY is set, fresh data folders, no session bus,
/// compositing off as the app sets it) and answers its summed PSS in KiB after [`SETTLE`].
async fn bare_window_memory() -> u64 {
    let (xvfb, display) = hub_tests::desktop::start_xvfb();
    let home = std::env::temp_dir().join(format!("hub-bench-bare-window-{}", std::process::id()));
    let bench = std::env::current_exe().expect("the bench knows its path");
    let example = bench
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<bench>")
        .join("examples")
        .join(format!("bare_webkit_window{}", std::env::consts::EXE_SUFFIX));
    let mut window = hub_tests::desktop::isolated(&mut std::process::Command::new(&example), &display, &home)
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|error| {
            panic!("{}: {error} (cargo xtask bench desktop builds it)", example.display())
        });
    tokio::time::sleep(SETTLE).await;
    let pss = report(
        &format!("a bare WebKitGTK window (GTK, one web view, a static form), after {} s", SETTLE.as_secs()),
        &with_descendants(vec![window.id()], &process_tree()),
    );
    // WebKit's own processes end with the window's, whose connection they watch.
    let _ = window.kill();
    let _ = window.wait();
    if let Some(mut xvfb) = xvfb {
        let _ = xvfb.kill();
        let _ = xvfb.wait();
    }
    let _ = std::fs::remove_dir_all(&home);
    pss
}

#[tokio::main]
async fn main() {
    let app = PathBuf::from(
        std::env::var(INSTALLED_APP).expect("HUB_DESKTOP_APP (cargo xtask bench desktop sets it)"),
    );
    let database = hub_tests::BenchDatabase::create("desktop").await;
    {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(2)
            .connect(&database.url)
            .await
            .expect("connect");
        hub_core::demo::seed(&pool).await.expect("the demo");
        pool.close().await;
    }
    let hub =
        hub_tests::server::HubProcess::spawn(database.url.clone(), "127.0.0.1:0".to_owned(), Vec::new());
    let url = hub.url.clone();

    println!("the installed app: {}", app.display());
    let mut app_pss = 0;
    let mut starts = Vec::with_capacity(STARTS);
    let mut sign_ins = Vec::with_capacity(STARTS);
    for run in 0..STARTS {
        let (desktop, times) = start(&url).await;
        starts.push(times);
        if run == 0 {
            tokio::time::sleep(SETTLE).await;
            app_pss = report(
                &format!("the app, idle at sign-in after {} s", SETTLE.as_secs()),
                &processes_of(&app),
            );
        }
        sign_ins.push(sign_in(&desktop).await);
        desktop.close().await;
    }
    let floor = bare_window_memory().await;
    println!(
        "idle memory, PSS: the app {:.1} MiB (target: under 200 MB, {:.1} MiB); a bare WebKitGTK window {:.1} MiB; \
         the app's own share {:.1} MiB",
        mib(app_pss * 1024),
        mib(TARGET_BYTES),
        mib(floor * 1024),
        mib(app_pss.saturating_sub(floor) * 1024)
    );
    println!(
        "start to a sign-in form that takes typing: {} (target: under 1,500 ms)",
        summary(&starts, |start| start.form)
    );
    println!("start to the form with the hub's state shown: {}", summary(&starts, |start| start.connected));
    println!(
        "sign-in, from Enter to the admin's home (the password checked with argon2id): {}",
        summary(&sign_ins, |took| *took)
    );

    let binary = std::fs::read(&app).expect("the installed binary");
    let postgres = ["sqlx-postgres", "SCRAM-SHA-256", "pg_hba.conf"]
        .iter()
        .filter(|needle| binary.windows(needle.len()).any(|window| window == needle.as_bytes()))
        .collect::<Vec<_>>();
    println!(
        "the installed binary: {:.2} MiB; PostgreSQL client code in it: {}",
        mib(binary.len() as u64),
        if postgres.is_empty() { "none".to_owned() } else { format!("{postgres:?}") }
    );

    let root = workspace();
    for kind in ["deb", "rpm"] {
        for entry in
            std::fs::read_dir(root.join("target/release/bundle").join(kind)).into_iter().flatten().flatten()
        {
            let path = entry.path();
            if path.extension().is_some_and(|extension| extension == kind) {
                let size = std::fs::metadata(&path).map(|meta| meta.len()).unwrap_or(0);
                println!(
                    "installer {}: {:.2} MiB",
                    path.file_name().unwrap_or_default().to_string_lossy(),
                    mib(size)
                );
            }
        }
    }
    let wasm = std::fs::read(root.join("ui/dist/hub_ui_bg.wasm")).expect("the release UI in ui/dist");
    let gzipped = gzipped(&wasm);
    println!(
        "the UI's wasm after wasm-opt: {:.0} KiB, {:.0} KiB gzipped (target: under 600 KB gzipped)",
        wasm.len() as f64 / 1024.0,
        gzipped as f64 / 1024.0
    );

    drop(hub);
    database.drop().await;
}
