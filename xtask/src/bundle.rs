//! Installers: `cargo xtask bundle` builds the .deb and .rpm with the Tauri bundler (the UI in
//! release, wasm-opt'd, by tauri.conf.json's beforeBuildCommand); `--bundle` on `test` and
//! `bench desktop` install the .deb with dpkg, use the installed app, and remove it again.
//! Windows and macOS installers, and the AppImage (whose bundler downloads its runtime), are
//! built by .github/workflows/release.yml.

use crate::setup::elevated;
use crate::shell::{command, output, run_checked};
use crate::Result;
use std::path::{Path, PathBuf};

/// Where the installed package puts the app.
pub const INSTALLED_APP: &str = "/usr/bin/digital-hub";

/// The Debian package's name (the bundler's, from the product name).
const PACKAGE: &str = "digital-hub";

/// The installers this machine can build.
const BUNDLES: &str = "deb,rpm";

/// The desktop app is built for size: opt-level "s" and whole-program LTO make its binary
/// 12.6 MB instead of 21.3, its resident share 8.7 MiB instead of 14.5, and the .deb 5.7 MiB
/// instead of 8.4 (docs/BENCHMARKS.md). Set on the Tauri build alone, so hubctl and the
/// public API keep `[profile.release]`'s speed; .github/workflows/release.yml sets the same.
const DESKTOP_PROFILE: [(&str, &str); 3] = [
    ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "s"),
    ("CARGO_PROFILE_RELEASE_LTO", "fat"),
    ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "1"),
];

/// Builds the installers (installing the Tauri CLI first when it is missing); answers their
/// paths.
pub fn build(root: &Path) -> Result<Vec<PathBuf>> {
    crate::setup::ensure(root, crate::setup::Needs { tauri_cli: true, ..crate::setup::Needs::default() })?;
    // No updater signatures here (the release workflow signs with the project's key).
    run_checked(
        command(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .current_dir(root)
            .args(["tauri", "build", "--ci", "--bundles", BUNDLES])
            .envs(DESKTOP_PROFILE)
            .env_remove("TAURI_SIGNING_PRIVATE_KEY"),
    )?;
    let made = installers(root)?;
    for path in &made {
        let size = std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(0);
        #[allow(clippy::cast_precision_loss)]
        let mib = size as f64 / (1024.0 * 1024.0);
        println!("  {} ({mib:.1} MiB)", path.display());
    }
    Ok(made)
}

/// The installers the last build left, newest version only.
pub fn installers(root: &Path) -> Result<Vec<PathBuf>> {
    let version = env!("CARGO_PKG_VERSION");
    let mut found = Vec::new();
    for kind in ["deb", "rpm"] {
        let dir = root.join("target/release/bundle").join(kind);
        let entries = std::fs::read_dir(&dir).map_err(|error| format!("no {}: {error}", dir.display()))?;
        found.extend(entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).filter(|path| {
            let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
            name.ends_with(&format!(".{kind}")) && name.contains(version)
        }));
    }
    if found.is_empty() {
        return Err("no installer in target/release/bundle: run `cargo xtask bundle`".to_owned());
    }
    Ok(found)
}

/// The .deb installed with dpkg for as long as this lives; removed again on drop.
pub struct Installed;

impl Installed {
    pub fn deb(root: &Path) -> Result<Self> {
        let deb = installers(root)?
            .into_iter()
            .find(|path| path.extension().is_some_and(|extension| extension == "deb"))
            .ok_or("no .deb was built")?;
        println!("installing {} with dpkg", deb.display());
        if run_checked(elevated("dpkg").arg("-i").arg(&deb)).is_err() {
            // dpkg does not fetch dependencies; apt does, and finishes the install.
            run_checked(
                elevated("apt-get")
                    .args(["-f", "install", "-y", "-q"])
                    .env("DEBIAN_FRONTEND", "noninteractive"),
            )?;
        }
        if !Path::new(INSTALLED_APP).exists() {
            return Err(format!("the package installed no {INSTALLED_APP}"));
        }
        let installed =
            output(command("dpkg-query").args(["-W", "-f=${Version}", PACKAGE])).unwrap_or_default();
        println!("installed {PACKAGE} {installed}: {INSTALLED_APP}");
        Ok(Self)
    }
}

impl Drop for Installed {
    fn drop(&mut self) {
        println!("removing {PACKAGE}");
        let _ = output(elevated("dpkg").args(["-r", PACKAGE]));
    }
}
