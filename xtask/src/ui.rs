//! Builds the Yew UI into ui/dist: cargo for wasm32, then wasm-bindgen, then the static files.

use crate::shell::{cargo, command, run_checked};
use crate::Result;
use std::path::{Path, PathBuf};

pub fn build(root: &Path, release: bool) -> Result<PathBuf> {
    let profile = if release { "release" } else { "debug" };
    let mut args = vec!["build", "-p", "hub-ui", "--target", "wasm32-unknown-unknown"];
    if release {
        args.push("--release");
    }
    cargo(root, &args, &[])?;
    let wasm = root.join("target/wasm32-unknown-unknown").join(profile).join("hub-ui.wasm");
    let dist = root.join("ui/dist");
    std::fs::create_dir_all(&dist).map_err(|error| format!("cannot create {}: {error}", dist.display()))?;
    run_checked(
        command("wasm-bindgen")
            .args(["--target", "web", "--no-typescript", "--out-name", "hub_ui", "--out-dir"])
            .arg(&dist)
            .arg(&wasm),
    )?;
    for file in ["index.html", "main.js", "styles.css"] {
        std::fs::copy(root.join("ui").join(file), dist.join(file))
            .map_err(|error| format!("cannot copy ui/{file}: {error}"))?;
    }
    Ok(dist)
}
