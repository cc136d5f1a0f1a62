//! Installs what a fresh Debian/Ubuntu machine with only rustup lacks, and nothing when
//! everything is there (each check is a fast query, not an install).

use crate::shell::{command, output, run_checked};
use crate::Result;
use std::path::Path;

/// Debian packages the build, the window and the tests need.
const APT_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "postgresql",
];

/// What the tests need beyond the build: a real load balancer in front of two hub servers,
/// a real Secret Service (a session bus, GNOME Keyring, and `secret-tool` to read it) for
/// the desktop to keep its session token in, a real SMTP server for the mail (aiosmtpd),
/// and a real browser for the website (Chromium, driven through chromedriver).
const TEST_PACKAGES: &[&str] = &[
    "haproxy",
    "dbus",
    "gnome-keyring",
    "libsecret-tools",
    "python3-aiosmtpd",
    "chromium",
    "chromium-driver",
];

/// The C cross-compiler `ring` builds with when the desktop is checked for Windows.
const WINDOWS_CHECK_PACKAGES: &[&str] = &["gcc-mingw-w64-x86-64"];

/// The Rust target the desktop is checked against, so Windows-only breakage shows here.
pub const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";

#[derive(Default, Clone, Copy)]
pub struct Needs {
    pub apt: bool,
    /// haproxy (the tests' load balancer), a Secret Service, aiosmtpd (their SMTP server).
    pub test_packages: bool,
    /// ImageMagick's `import`, which `run` under Xvfb tells people to take screenshots with.
    pub screenshots: bool,
    /// The Windows target and its C cross-compiler, for `cargo clippy --target` of the desktop.
    pub windows_check: bool,
    pub wasm: bool,
    /// tauri-driver, for the tests that drive the window.
    pub webdriver: bool,
    pub sqlx_cli: bool,
    /// wrk, for `bench public`.
    pub load_generator: bool,
    /// The Tauri CLI, whose bundler makes the installers.
    pub tauri_cli: bool,
    /// schemathesis (PyPI), the OpenAPI fuzzer of the public API's test.
    pub schemathesis: bool,
    /// axe-core (npm), the accessibility checker the window tests inject into each screen.
    pub axe: bool,
}

impl Needs {
    /// What `cargo xtask run` needs: the build and the window (and, with no display, the
    /// tool its screenshot hint names).
    pub fn run() -> Self {
        let no_display =
            std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none();
        Self {
            apt: true,
            wasm: true,
            screenshots: no_display && cfg!(target_os = "linux"),
            ..Self::default()
        }
    }

    /// What `cargo xtask test` needs: the build, the WebDriver for the window tests, haproxy
    /// for the load balancer's test, the Windows check's target, sqlx-cli to check that
    /// .sqlx/ matches the queries and the schema, and schemathesis to fuzz the public API.
    pub fn test() -> Self {
        Self {
            apt: true,
            wasm: true,
            test_packages: true,
            windows_check: true,
            webdriver: true,
            sqlx_cli: true,
            schemathesis: true,
            axe: true,
            ..Self::default()
        }
    }
}

/// The schemathesis the tests run: this version, in a venv of its own (where
/// `tests/it/public.rs` looks for it), so no system Python package is touched.
const SCHEMATHESIS_VERSION: &str = "4.32.5";

fn schemathesis_venv() -> std::path::PathBuf {
    let home = std::env::var_os("HOME").unwrap_or_default();
    Path::new(&home).join(".local/share/digital-hub/schemathesis")
}

fn ensure_schemathesis() -> Result {
    let venv = schemathesis_venv();
    let installed = output(command(venv.join("bin/st")).arg("--version"));
    if installed.is_some_and(|version| version.contains(SCHEMATHESIS_VERSION)) {
        return Ok(());
    }
    println!("installing schemathesis {SCHEMATHESIS_VERSION} from PyPI (about 20 seconds)");
    let make_venv = || output(command("python3").args(["-m", "venv", "--clear"]).arg(&venv));
    if make_venv().is_none() {
        // Debian's Python makes venvs only with python3-venv (ensurepip).
        ensure_apt_packages(&["python3-venv"])?;
        run_checked(command("python3").args(["-m", "venv", "--clear"]).arg(&venv))?;
    }
    run_checked(command(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
    ]))
}

/// The axe-core the window tests inject: this version, installed from npm where
/// `tests/src/desktop.rs` looks for it.
const AXE_VERSION: &str = "4.10.3";

fn axe_dir() -> std::path::PathBuf {
    let home = std::env::var_os("HOME").unwrap_or_default();
    Path::new(&home).join(".local/share/digital-hub/axe")
}

fn ensure_axe() -> Result {
    let dir = axe_dir();
    let package = dir.join("node_modules/axe-core/package.json");
    let installed = std::fs::read_to_string(&package).unwrap_or_default();
    if installed.contains(&format!("\"version\": \"{AXE_VERSION}\"")) {
        return Ok(());
    }
    if !on_path("npm") {
        ensure_apt_packages(&["npm"])?;
    }
    println!("installing axe-core {AXE_VERSION} from npm (a few seconds)");
    std::fs::create_dir_all(&dir).map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    run_checked(command("npm").arg("install").arg("--prefix").arg(&dir).args([
        "--no-save",
        "--no-audit",
        "--no-fund",
        "--silent",
        &format!("axe-core@{AXE_VERSION}"),
    ]))
}

pub fn ensure(root: &Path, needs: Needs) -> Result {
    if needs.apt {
        ensure_apt_packages(APT_PACKAGES)?;
    }
    if needs.test_packages {
        ensure_apt_packages(TEST_PACKAGES)?;
    }
    if needs.screenshots {
        ensure_apt_packages(&["imagemagick"])?;
    }
    if needs.windows_check {
        ensure_apt_packages(WINDOWS_CHECK_PACKAGES)?;
        ensure_rust_target(WINDOWS_TARGET)?;
    }
    if needs.load_generator {
        ensure_apt_packages(&["wrk"])?;
    }
    if needs.wasm {
        ensure_wasm_target()?;
        ensure_wasm_bindgen(root)?;
    }
    if needs.webdriver && !on_path("tauri-driver") {
        println!("installing tauri-driver (about 1 minute)");
        run_checked(command("cargo").args(["install", "tauri-driver", "--version", "^2", "--locked"]))?;
    }
    if needs.tauri_cli && output(command("cargo").args(["tauri", "--version"])).is_none() {
        println!("installing tauri-cli (about 10 minutes, once)");
        run_checked(command("cargo").args(["install", "tauri-cli", "--version", "^2", "--locked"]))?;
    }
    if needs.schemathesis {
        ensure_schemathesis()?;
    }
    if needs.axe {
        ensure_axe()?;
    }
    if needs.sqlx_cli && output(command("sqlx").arg("--version")).is_none() {
        println!("installing sqlx-cli (about 2 minutes)");
        run_checked(command("cargo").args([
            "install",
            "sqlx-cli",
            "--version",
            "^0.8",
            "--no-default-features",
            "--features",
            "postgres,rustls",
            "--locked",
        ]))?;
    }
    Ok(())
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

fn is_installed(package: &str) -> bool {
    output(command("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|status| status.contains("install ok installed"))
}

fn ensure_apt_packages(packages: &[&str]) -> Result {
    if !cfg!(target_os = "linux") || output(command("dpkg-query").arg("--version")).is_none() {
        // Not Debian-like: say what is needed rather than guess at another package manager.
        println!("note: not a Debian/Ubuntu system; install WebKitGTK 4.1, Xvfb and PostgreSQL yourself");
        return Ok(());
    }
    let missing: Vec<&str> = packages.iter().copied().filter(|package| !is_installed(package)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!("installing system packages: {}", missing.join(" "));
    run_checked(elevated("apt-get").args(["update", "-q"]))?;
    run_checked(
        elevated("apt-get")
            .args(["install", "-y", "-q"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// `program` as root: directly when we are root, else through sudo.
pub fn elevated(program: &str) -> std::process::Command {
    let is_root = output(command("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    if is_root {
        command(program)
    } else {
        let mut sudo = command("sudo");
        sudo.arg(program);
        sudo
    }
}

fn ensure_wasm_target() -> Result {
    ensure_rust_target("wasm32-unknown-unknown")
}

fn ensure_rust_target(target: &str) -> Result {
    let installed = output(command("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|installed| installed.trim() == target) {
        return Ok(());
    }
    run_checked(command("rustup").args(["target", "add", target]))
}

/// wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock.
fn ensure_wasm_bindgen(root: &Path) -> Result {
    let wanted = locked_version(root, "wasm-bindgen")?;
    let have = output(command("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(wanted.as_str()) {
        return Ok(());
    }
    println!("installing wasm-bindgen-cli {wanted} (about 3 minutes)");
    // Not --locked: the CLI's own lockfile names a crate version the registry lacks.
    run_checked(command("cargo").args(["install", "wasm-bindgen-cli", "--version", &wanted]))
}

/// The version Cargo.lock pins for a package.
fn locked_version(root: &Path, package: &str) -> Result<String> {
    // A Windows checkout may have turned the lockfile's line ends into CRLF.
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|error| format!("cannot read Cargo.lock: {error}"))?
        .replace("\r\n", "\n");
    let marker = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&marker).ok_or_else(|| format!("{package} is not in Cargo.lock"))? + marker.len();
    let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")?;
    Ok(lock[start..start + end].to_owned())
}
