fn main() {
    // The window's files are embedded in the binary: a rebuilt UI must rebuild the app.
    println!("cargo:rerun-if-changed=../ui/dist");
    // List the app's own commands so the capability file must allow each one by name.
    let manifest = tauri_build::AppManifest::new().commands(&["call", "shell"]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to run the tauri build script");
}
