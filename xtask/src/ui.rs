//! Builds the Yew UI into ui/dist: cargo for wasm32, then wasm-bindgen (and for a release,
//! wasm-opt), then the static files.

use crate::shell::{cargo, command, output, run_checked};
use crate::Result;
use std::path::{Path, PathBuf};

pub fn build(root: &Path, release: bool) -> Result<PathBuf> {
    // The release build has a profile of its own (Cargo.toml: built for size).
    let profile = if release { "wasm-release" } else { "debug" };
    let mut args = vec!["build", "-p", "hub-ui", "--target", "wasm32-unknown-unknown"];
    if release {
        args.extend(["--profile", "wasm-release"]);
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
    if release {
        optimize(root, &dist.join("hub_ui_bg.wasm"))?;
    }
    for file in ["index.html", "main.js", "styles.css"] {
        std::fs::copy(root.join("ui").join(file), dist.join(file))
            .map_err(|error| format!("cannot copy ui/{file}: {error}"))?;
    }
    Ok(dist)
}

/// Shrinks a release build with binaryen's `wasm-opt -Oz`: from npm, since Debian's binaryen
/// cannot read current wasm; installed once under target/tools. Without npm the UI ships
/// unoptimised, and this says so.
fn optimize(root: &Path, wasm: &Path) -> Result {
    let tools = root.join("target/tools");
    let wasm_opt =
        tools.join("node_modules/.bin").join(if cfg!(windows) { "wasm-opt.cmd" } else { "wasm-opt" });
    if !wasm_opt.exists() {
        let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
        if output(command(npm).arg("--version")).is_none() {
            println!(
                "note: npm is missing, so the UI's wasm is not optimised (install Node.js for a smaller app)"
            );
            return Ok(());
        }
        println!("installing binaryen {BINARYEN} for wasm-opt (npm)");
        std::fs::create_dir_all(&tools)
            .map_err(|error| format!("cannot create {}: {error}", tools.display()))?;
        run_checked(
            command(npm)
                .args(["install", "--no-save", "--no-audit", "--no-fund", "--prefix"])
                .arg(&tools)
                .arg(format!("binaryen@{BINARYEN}")),
        )?;
    }
    // The features rustc's wasm32 target emits by default; wasm-opt must be told.
    run_checked(
        command(&wasm_opt)
            .args(["-Oz", "--strip-debug", "--strip-producers"])
            .args([
                "--enable-bulk-memory",
                "--enable-mutable-globals",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-reference-types",
                "--enable-multivalue",
            ])
            .arg(wasm)
            .arg("-o")
            .arg(wasm),
    )
}

/// The binaryen release whose wasm-opt reads what this toolchain writes.
const BINARYEN: &str = "132";
