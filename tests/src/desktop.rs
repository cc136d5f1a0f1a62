//! The desktop app under test: Xvfb (when there is no display), tauri-driver in front of
//! WebKitWebDriver, and a WebDriver session on the real `digital-hub` binary.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;
use thirtyfour::Key;

/// One window at a time: two WebKit processes on two cores make each other time out.
pub(crate) static ONE_WINDOW: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const WAIT: Duration = Duration::from_secs(20);

pub struct Desktop {
    driver: Option<WebDriver>,
    tauri_driver: Child,
    xvfb: Option<Child>,
    data_home: PathBuf,
    /// The data home belongs to the test (reused by a later window): left in place.
    keep_data_home: bool,
    /// When the WebDriver session (and so the app) was asked to start.
    pub launched: Instant,
    _one_window: tokio::sync::MutexGuard<'static, ()>,
}

/// The file in the test's data folder that takes the app's and its drivers' standard error.
const APP_LOG: &str = "app.log";

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn sibling_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary knows its path");
    let dir = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>/deps/<test>");
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.exists(), "{} is missing: `cargo xtask test` builds it", path.display());
    path
}

/// The app under test: the one this build made, or the binary `HUB_DESKTOP_APP` names (an
/// installed package's, for `cargo xtask test --bundle`).
pub fn application() -> PathBuf {
    match std::env::var_os(INSTALLED_APP) {
        Some(path) => PathBuf::from(path),
        None => sibling_binary("digital-hub"),
    }
}

/// Names the installed binary to test instead of target/'s.
pub const INSTALLED_APP: &str = "HUB_DESKTOP_APP";

/// The display to draw on: `DISPLAY` when set, else a new Xvfb at 1280×800 (returned, to be
/// killed by the caller, with the display's name).
pub fn start_xvfb() -> (Option<Child>, String) {
    if let Ok(display) = std::env::var("DISPLAY") {
        return (None, display);
    }
    // Xvfb picks a free display itself (stale locks of dead servers included) and says
    // which on its standard output once it accepts connections.
    let mut child = Command::new("Xvfb")
        .args(["-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb starts (cargo xtask setup installs it)");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("Xvfb's standard output is piped");
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)
        .expect("Xvfb names its display");
    let number = line.trim();
    assert!(!number.is_empty() && number.chars().all(|c| c.is_ascii_digit()), "Xvfb said {line:?}");
    (Some(child), format!(":{number}"))
}

/// A window's program as the tests start one: drawing on `display`, its settings and data in
/// `data_home` (never the machine's own), and no keychain daemon reachable (the app's
/// fallback is what is tested).
pub fn isolated<'a>(command: &'a mut Command, display: &str, data_home: &std::path::Path) -> &'a mut Command {
    command
        .env("DISPLAY", display)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("XDG_DATA_HOME", data_home.join("data"))
        .env("XDG_CONFIG_HOME", data_home.join("config"))
        .env("XDG_CACHE_HOME", data_home.join("cache"))
}

impl Desktop {
    /// Opens the app's window on the hub at `hub_url` (DIGITAL_HUB_URL) with fresh settings.
    pub async fn open(hub_url: &str) -> Self {
        let data_home = std::env::temp_dir().join(format!("hub-e2e-{}-{}", std::process::id(), free_port()));
        Self::launch(Some(hub_url), &data_home, false).await
    }

    /// Opens the app on the hub at `hub_url` with its data (settings, the session token, the
    /// offline store) under `data_home`, which the caller owns and may open again.
    pub async fn open_at(hub_url: &str, data_home: &std::path::Path) -> Self {
        Self::launch(Some(hub_url), data_home, true).await
    }

    /// Where the app keeps its data in this window's run (settings, the offline store).
    pub fn app_data(&self) -> PathBuf {
        self.data_home.join("data").join("org.digitalhub.desktop")
    }

    /// Where the app saves downloads in this window's run.
    pub fn downloads(&self) -> PathBuf {
        self.data_home.join("downloads")
    }

    /// Opens the app as an installed copy starts: no DIGITAL_HUB_URL, its settings (the
    /// saved hub) under `data_home`, which the caller owns and may reuse.
    pub async fn open_installed(data_home: &std::path::Path) -> Self {
        Self::launch(None, data_home, true).await
    }

    /// Opens the app on the hub at `hub_url` with its data under `data_home` (the caller's),
    /// and the Secret Service of `keychain` to keep its session token in, as a Linux desktop
    /// session has one.
    pub async fn open_with_keychain(hub_url: &str, data_home: &std::path::Path, keychain: &Keychain) -> Self {
        Self::start_with(Some(hub_url), data_home, true, false, Some(&keychain.bus)).await
    }

    /// Opens the window as the app ships, drawing as it does for its users: for measuring
    /// it, and for the installed package's test (no screenshots: they need compositing).
    pub async fn open_as_shipped(hub_url: &str) -> Self {
        let data_home = std::env::temp_dir().join(format!("hub-e2e-{}-{}", std::process::id(), free_port()));
        Self::start(Some(hub_url), &data_home, false, true).await
    }

    async fn launch(hub_url: Option<&str>, data_home: &std::path::Path, keep_data_home: bool) -> Self {
        Self::start(hub_url, data_home, keep_data_home, false).await
    }

    async fn start(
        hub_url: Option<&str>,
        data_home: &std::path::Path,
        keep_data_home: bool,
        as_shipped: bool,
    ) -> Self {
        Self::start_with(hub_url, data_home, keep_data_home, as_shipped, None).await
    }

    async fn start_with(
        hub_url: Option<&str>,
        data_home: &std::path::Path,
        keep_data_home: bool,
        as_shipped: bool,
        session_bus: Option<&str>,
    ) -> Self {
        let one_window = ONE_WINDOW.lock().await;
        // See tests/Cargo.toml: a no-op when a provider is already there.
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let (xvfb, display) = start_xvfb();
        let data_home = data_home.to_path_buf();
        std::fs::create_dir_all(data_home.join("config")).unwrap();
        // Where the app saves downloads (CSV reports): the test's own folder, never $HOME.
        let downloads = data_home.join("downloads");
        std::fs::write(
            data_home.join("config").join("user-dirs.dirs"),
            format!("XDG_DOWNLOAD_DIR=\"{}\"\n", downloads.display()),
        )
        .unwrap();
        let port = free_port();
        let mut tauri_driver = Command::new("tauri-driver");
        // WebKitWebDriver's screenshots need WebKit's compositing, which the app turns off on
        // Linux unless told otherwise (src-tauri/src/lib.rs); a window opened `as_shipped`
        // keeps the app's own choice (and takes no screenshots).
        if as_shipped {
            tauri_driver.env_remove("WEBKIT_DISABLE_COMPOSITING_MODE");
        } else {
            tauri_driver.env("WEBKIT_DISABLE_COMPOSITING_MODE", "0");
        }
        // The app holds no database credential: whatever the tests' environment has, it
        // does not get.
        tauri_driver.env_remove("DATABASE_URL");
        match hub_url {
            Some(url) => tauri_driver.env("DIGITAL_HUB_URL", url),
            None => tauri_driver.env_remove("DIGITAL_HUB_URL"),
        };
        isolated(&mut tauri_driver, &display, &data_home);
        if let Some(bus) = session_bus {
            tauri_driver.env("DBUS_SESSION_BUS_ADDRESS", bus);
        }
        let tauri_driver = tauri_driver
            .args(["--port", &port.to_string(), "--native-port", &free_port().to_string()])
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            // What tauri-driver, WebKitWebDriver and the app print, for a failure's message.
            .stderr(std::fs::File::create(data_home.join(APP_LOG)).expect("the app's log file is created"))
            .spawn()
            .expect("tauri-driver starts (cargo xtask setup installs it)");
        // tauri-driver listens before the clock starts: `launched` is the app's start alone.
        let ready = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() && ready.elapsed() < WAIT {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut capabilities = thirtyfour::Capabilities::new();
        capabilities
            .set("tauri:options", serde_json::json!({ "application": application() }))
            .expect("the capability serializes");
        let server = format!("http://127.0.0.1:{port}");
        let launched = Instant::now();
        let driver = loop {
            match WebDriver::builder(server.clone(), capabilities.clone()).request_timeout(WAIT).await {
                Ok(driver) => break driver,
                Err(error) if launched.elapsed() > WAIT => panic!("no WebDriver session: {error}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Self {
            driver: Some(driver),
            tauri_driver,
            xvfb,
            data_home,
            keep_data_home,
            launched,
            _one_window: one_window,
        }
    }

    fn driver(&self) -> &WebDriver {
        self.driver.as_ref().expect("the session is open")
    }

    /// Waits until the element exists and its text contains `expected`; returns the text.
    /// Reads the DOM's textContent: WebKitWebDriver's "visible text" lags behind updates in
    /// a window nobody composites (Xvfb without a window manager), the DOM does not.
    pub async fn wait_for_text(&self, selector: &str, expected: &str) -> String {
        self.poll(|| async move {
            let element =
                self.driver().find(By::Css(selector)).await.map_err(|_| format!("no {selector}"))?;
            let text = element.prop("textContent").await.ok().flatten().unwrap_or_default();
            if text.contains(expected) {
                Ok(text)
            } else {
                Err(format!("{selector} never showed {expected:?}; last text: {text:?}"))
            }
        })
        .await
    }

    /// Asks `probe` every 100 ms until it answers `Ok`, for up to [`WAIT`]; then fails the
    /// test with what the probe last said and the window as it is. Every wait here is one.
    async fn poll<T, F>(&self, mut probe: impl FnMut() -> F) -> T
    where
        F: std::future::Future<Output = Result<T, String>>,
    {
        let started = Instant::now();
        let mut said = String::new();
        while started.elapsed() < WAIT {
            match probe().await {
                Ok(found) => return found,
                Err(why) => said = why,
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{said}; the window: {}", self.save_screenshot().await);
    }

    /// Waits until the input's value is `expected` (a form filled in by the app).
    pub async fn wait_for_value(&self, selector: &str, expected: &str) {
        self.poll(|| async move {
            let element =
                self.driver().find(By::Css(selector)).await.map_err(|_| format!("no {selector}"))?;
            let value = element.prop("value").await.ok().flatten().unwrap_or_default();
            if value == expected {
                Ok(())
            } else {
                Err(format!("{selector} never held {expected:?}; last value: {value:?}"))
            }
        })
        .await;
    }

    /// Saves what the window shows, for a failure's message.
    pub async fn save_screenshot(&self) -> String {
        let dir = std::env::temp_dir().join("hub-e2e-failures");
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("{}-{}.png", std::process::id(), free_port()));
        let shot = match self.driver().screenshot(&path).await {
            Ok(()) => path.display().to_string(),
            Err(error) => format!("(no screenshot: {error})"),
        };
        // The UI's panic hook leaves its message on <body> (ui/src/main.rs).
        let panic = self
            .driver()
            .execute("return document.body.dataset.panic || ''", Vec::new())
            .await
            .map(|value| value.json().as_str().unwrap_or_default().to_owned())
            .unwrap_or_default();
        let panic = if panic.is_empty() { String::new() } else { format!("; the UI panicked: {panic}") };
        format!("{shot}{panic}{}", self.log_tail())
    }

    /// The end of what the app and its drivers printed (a crash, a Rust panic), if anything.
    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.data_home.join(APP_LOG)).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        if lines.is_empty() {
            return String::new();
        }
        format!("\nthe app's log ends:\n{}", lines[lines.len().saturating_sub(40)..].join("\n"))
    }

    /// Saves the window as `target/screenshots/<name>.png`, for people to look at.
    /// WebKit renders it from the page itself, so it shows what was just painted (the X
    /// framebuffer of a bare Xvfb can lag behind by seconds).
    pub async fn screenshot(&self, name: &str) {
        let exe = std::env::current_exe().expect("the test binary knows its path");
        let target = exe.ancestors().nth(3).expect("target/<profile>/deps/<test>").to_path_buf();
        let dir = target.join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        self.wait_until_idle().await;
        self.driver().screenshot(&dir.join(format!("{name}.png"))).await.expect("a screenshot of the window");
    }

    /// Runs axe-core (the accessibility engine browsers' tools use) over the screen as it is
    /// now, once idle, for WCAG 2.1 A and AA and axe's best practices, and returns each
    /// serious or critical violation as one line: the rule, what it asks, and where
    /// (up to five elements). Empty when the screen passes.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        self.wait_until_idle().await;
        let loaded = self
            .driver()
            .execute("return typeof window.axe", Vec::new())
            .await
            .expect("the page runs a script");
        if loaded.json().as_str() != Some("object") {
            self.driver().execute(&axe_source(), Vec::new()).await.expect("axe-core loads into the page");
        }
        let found =
            self.driver().execute_async(accessibility_script(), Vec::new()).await.expect("axe-core runs");
        serde_json::from_value(found.json().clone()).expect("axe's violations as lines")
    }

    /// Waits until the window is idle: nothing loading (`aria-busy`), no transition or
    /// animation running, and three frames drawn so — what a screenshot then shows is what
    /// the person sees. After 5 s it goes on (a screen that never idles is still drawn).
    pub async fn wait_until_idle(&self) {
        const IDLE: &str = r#"
            const done = arguments[arguments.length - 1];
            const idle = () => !document.querySelector('[aria-busy="true"]')
                && (!document.getAnimations
                    || document.getAnimations().every((animation) => animation.playState !== 'running'));
            let frames = 0;
            const tick = () => {
                frames = idle() ? frames + 1 : 0;
                if (frames >= 3) { done(true); } else { requestAnimationFrame(tick); }
            };
            requestAnimationFrame(tick);
            setTimeout(() => done(false), 5000);
        "#;
        let _ = self.driver().execute_async(IDLE, Vec::new()).await;
    }

    /// Signs in on the sign-in screen, once it shows the hub reachable; Enter submits.
    pub async fn sign_in(&self, identifier: &str, password: &str) {
        self.wait_for_text("[data-testid='database-status']", "Hub reachable").await;
        self.type_credentials(identifier, password).await;
        self.press_enter_in("#password").await;
    }

    /// Fills the sign-in form, leaving it to the caller to send it.
    pub async fn type_credentials(&self, identifier: &str, password: &str) {
        self.clear_and_type("#identifier", identifier).await;
        self.clear_and_type("#password", password).await;
    }

    /// The value a CSS custom property has on the page's root, as the page computes it.
    pub async fn css_variable(&self, name: &str) -> String {
        let script =
            format!("return getComputedStyle(document.documentElement).getPropertyValue('{name}').trim();");
        let value = self.driver().execute(script, Vec::new()).await.expect("the page runs the script");
        value.json().as_str().unwrap_or_default().to_owned()
    }

    /// Waits until no element matches `selector` (a dialog closed, a row went away).
    pub async fn wait_for_gone(&self, selector: &str) {
        self.poll(|| async move {
            if self.exists(selector).await {
                Err(format!("{selector} never went away"))
            } else {
                Ok(())
            }
        })
        .await;
    }

    /// How many elements match `selector` now.
    pub async fn count(&self, selector: &str) -> usize {
        self.driver().find_all(By::Css(selector)).await.map(|found| found.len()).unwrap_or(0)
    }

    /// The text of the element, waiting for it to appear.
    pub async fn text(&self, selector: &str) -> String {
        self.wait_for_text(selector, "").await
    }

    /// Whether an element matching `selector` is on the page now.
    pub async fn exists(&self, selector: &str) -> bool {
        self.driver().find(By::Css(selector)).await.is_ok()
    }

    /// Presses keys where the focus is, as a person at the keyboard would (`Key::Tab`,
    /// `Key::Shift + Key::Tab`, `Key::Escape`): on the keyboard, held together and let go in
    /// reverse. Not as the focused element's "send keys", which WebDriver turns into setting
    /// the value of a date, time, colour, range or file input (a Tab never leaves the field,
    /// and each one is a change the page reacts to).
    pub async fn press(&self, keys: impl Into<thirtyfour::TypingData>) {
        let keys: thirtyfour::TypingData = keys.into();
        let pressed = keys.as_vec();
        let mut keyboard = self.driver().action_chain();
        for key in &pressed {
            keyboard = keyboard.key_down(*key);
        }
        for key in pressed.iter().rev() {
            keyboard = keyboard.key_up(*key);
        }
        keyboard.perform().await.expect("the keys are pressed");
    }

    /// Where the focus is now: what it is (its id, test id or text), whether it shows (an
    /// outline or a ring), and whether it came after the element focused when last asked, in
    /// the page's order.
    pub async fn focus(&self) -> Focus {
        const FOCUS: &str = r#"
            const element = document.activeElement;
            const style = getComputedStyle(element);
            const shown = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                || style.boxShadow !== 'none';
            const before = window.__lastFocused;
            const after = !before || before === element
                || !!(before.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING);
            window.__lastFocused = element;
            const name = element.id || element.dataset.testid || element.getAttribute('aria-label')
                || (element.textContent || '').trim().slice(0, 40) || element.tagName.toLowerCase();
            return [name, shown, after];
        "#;
        let answer = self.driver().execute(FOCUS, Vec::new()).await.expect("the page runs the script");
        let (name, shown, after): (String, bool, bool) =
            serde_json::from_value(answer.json().clone()).expect("the focus as [name, shown, after]");
        Focus { name, shown, after }
    }

    /// What a script run in the page returns (a fact a wait or a check needs).
    pub async fn run_script(&self, script: &str) -> serde_json::Value {
        self.driver().execute(script, Vec::new()).await.expect("the page runs the script").json().clone()
    }

    pub async fn focused_id(&self) -> Option<String> {
        self.driver().active_element().await.ok()?.attr("id").await.ok()?
    }

    pub async fn type_into(&self, selector: &str, text: &str) {
        self.find(selector).await.send_keys(text).await.unwrap();
    }

    /// Chooses `file` in a file input, as a person picking it in the file dialog would.
    pub async fn choose_file(&self, selector: &str, file: &std::path::Path) {
        let path = file.to_str().expect("a file path in UTF-8");
        self.find(selector).await.send_keys(path).await.unwrap();
    }

    /// Waits until the image at `selector` has loaded and shows pixels (not a broken image).
    pub async fn wait_for_image(&self, selector: &str) {
        let script = format!(
            "const image = document.querySelector({selector:?}); \
             return image && image.complete ? image.naturalWidth : 0;"
        );
        self.poll(|| {
            let script = script.clone();
            async move {
                let width = self.run_script(&script).await.as_u64().unwrap_or_default();
                if width > 0 {
                    Ok(())
                } else {
                    Err(format!("{selector} never showed an image"))
                }
            }
        })
        .await;
    }

    /// Waits until the website's preview (a page written by the hub, in a frame) holds
    /// `expected`; answers the page.
    pub async fn wait_for_preview(&self, expected: &str) -> String {
        const PAGE: &str = "const frame = document.querySelector(\"[data-testid='site-preview'] iframe\"); \
                            return frame ? frame.srcdoc : '';";
        self.poll(|| async move {
            let page = self.run_script(PAGE).await.as_str().unwrap_or_default().to_owned();
            if page.contains(expected) {
                Ok(page)
            } else {
                Err(format!("the preview never showed {expected:?}"))
            }
        })
        .await
    }

    /// Replaces a field's content, as a person selecting it all and typing would.
    ///
    /// WebDriver's clear empties the field without an `input` event, so the page would still
    /// hold the old text and put it back at its next render (typing "5" over "800" gave
    /// "8005"): the emptied field is announced as a person's deleting would be.
    pub async fn clear_and_type(&self, selector: &str, text: &str) {
        let element = self.find(selector).await;
        element.clear().await.unwrap();
        self.driver()
            .execute(
                "arguments[0].dispatchEvent(new Event('input', { bubbles: true }));",
                vec![element.to_json().expect("an element as JSON")],
            )
            .await
            .expect("the page hears the field emptied");
        element.send_keys(text).await.unwrap();
    }

    /// The element, once it is there: a screen may still be rendering when a step starts.
    /// Waits until an element matches `selector` (a state the action brings: a nav entry
    /// become the current page).
    pub async fn wait_for(&self, selector: &str) {
        self.find(selector).await;
    }

    async fn find(&self, selector: &str) -> WebElement {
        self.poll(|| async move {
            self.driver().find(By::Css(selector)).await.map_err(|_| format!("no {selector} appeared"))
        })
        .await
    }

    /// Sets an input's or select's value as a person choosing it would (a date picker, an
    /// option from a list), and tells the page: `input` and `change` fire.
    ///
    /// A select's options may still be loading: it waits until the value is one of them.
    pub async fn set_value(&self, selector: &str, value: &str) {
        let script = "const [element, value] = arguments; element.value = value; \
                      if (element.value !== value) { return false; } \
                      element.dispatchEvent(new Event('input', { bubbles: true })); \
                      element.dispatchEvent(new Event('change', { bubbles: true })); \
                      return true;";
        self.poll(|| async move {
            let element = self.find(selector).await;
            let arguments = vec![element.to_json().unwrap(), serde_json::Value::from(value)];
            let taken = self.driver().execute(script, arguments).await.expect("the page runs the script");
            match taken.json().as_bool() {
                Some(true) => Ok(()),
                _ => Err(format!("{selector} never took the value {value:?}")),
            }
        })
        .await;
    }

    /// Dismisses every toast still showing (so a screenshot shows the screen, not the news).
    pub async fn dismiss_toasts(&self) {
        let script = "document.querySelectorAll('.toast__close').forEach((button) => button.click());";
        self.driver().execute(script, Vec::new()).await.expect("the page runs the script");
        self.wait_for_gone(".toast").await;
    }

    /// Scrolls the page until the element is in view (for a screenshot of it).
    pub async fn scroll_to(&self, selector: &str) {
        let element = self.find(selector).await;
        element.scroll_into_view().await.unwrap();
    }

    /// Clicks the element, waiting for it to appear and to take a click.
    pub async fn click(&self, selector: &str) {
        let element = self
            .poll(|| async move {
                let element = self.find(selector).await;
                if self.takes_a_click(&element).await {
                    Ok(element)
                } else {
                    Err(format!("{selector} never took a click"))
                }
            })
            .await;
        self.click_on(&element, selector).await;
    }

    /// Clicks `element` (found and taking a click); a failure names `what` and shows the
    /// window and the end of its log (WebDriver's own error may say nothing: a window gone).
    async fn click_on(&self, element: &WebElement, what: &str) {
        if let Err(error) = element.click().await {
            panic!("clicking {what}: {error}; the window: {}", self.save_screenshot().await);
        }
    }

    /// Whether a person's click would land on the element now: scrolled to the middle of
    /// its scroll area (at an edge, the status bar or a sticky row of buttons may lie over
    /// it), enabled, not moving (a dialog opening, a list growing: its place the same two
    /// frames apart), and on top where its middle is (no toast or overlay over it).
    async fn takes_a_click(&self, element: &WebElement) -> bool {
        const CLICKABLE: &str = r#"
            const [element, done] = [arguments[0], arguments[arguments.length - 1]];
            element.scrollIntoView({ block: 'center', inline: 'nearest' });
            const place = () => { const r = element.getBoundingClientRect(); return [r.x, r.y, r.width, r.height].join(); };
            const before = place();
            requestAnimationFrame(() => requestAnimationFrame(() => {
                const r = element.getBoundingClientRect();
                const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                const label = hit && hit.closest ? hit.closest('label') : null;
                const onTop = !!hit && (hit === element || element.contains(hit)
                    || (label !== null && label.control === element));
                done(place() === before && r.width > 0 && r.height > 0 && !element.disabled && onTop);
            }));
        "#;
        let Ok(arguments) = element.to_json() else { return false };
        self.driver()
            .execute_async(CLICKABLE, vec![arguments])
            .await
            .is_ok_and(|answer| answer.json().as_bool() == Some(true))
    }

    /// Clicks the first `tag` element whose text is `text`, waiting for it to appear.
    pub async fn click_text(&self, tag: &str, text: &str) {
        let element = self
            .poll(|| async move {
                for element in self.driver().find_all(By::Css(tag)).await.unwrap_or_default() {
                    let content = element.prop("textContent").await.ok().flatten().unwrap_or_default();
                    if content.trim() == text && self.takes_a_click(&element).await {
                        return Ok(element);
                    }
                }
                Err(format!("no {tag} reading {text:?} took a click"))
            })
            .await;
        self.click_on(&element, &format!("the {tag} reading {text:?}")).await;
    }

    /// Waits until the element is enabled again (a form finished submitting).
    pub async fn wait_for_enabled(&self, selector: &str) {
        self.poll(|| async move {
            let element =
                self.driver().find(By::Css(selector)).await.map_err(|_| format!("no {selector}"))?;
            match element.is_enabled().await {
                Ok(true) => Ok(()),
                _ => Err(format!("{selector} stayed disabled")),
            }
        })
        .await;
    }

    pub async fn press_enter_in(&self, selector: &str) {
        let element = self.find(selector).await;
        element.send_keys(Key::Enter).await.unwrap();
    }

    /// Ends the WebDriver session (which closes the window).
    pub async fn close(mut self) {
        if let Some(driver) = self.driver.take() {
            let _ = driver.quit().await;
        }
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        // Not closed: the test failed. Quitting here would block on a window that may be
        // stuck; stopping tauri-driver below takes the session and the window with it.
        if let Some(driver) = self.driver.take() {
            let _ = driver.leak();
        }
        // SIGTERM, not SIGKILL: killed hard, tauri-driver leaves WebKitWebDriver running.
        let _ = Command::new("kill").arg("-TERM").arg(self.tauri_driver.id().to_string()).status();
        let _ = self.tauri_driver.wait();
        if let Some(xvfb) = &mut self.xvfb {
            // SIGTERM, so it removes its socket and lock file.
            let _ = Command::new("kill").arg("-TERM").arg(xvfb.id().to_string()).status();
            let _ = xvfb.wait();
        }
        if !self.keep_data_home {
            let _ = std::fs::remove_dir_all(&self.data_home);
        }
    }
}

/// The test keychain's session bus: the usual policy, listening in `{dir}`, and no services
/// started on demand.
const PRIVATE_BUS: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

/// A Secret Service of the test's own — a private D-Bus session bus and GNOME Keyring's
/// daemon on it, its keyring unlocked and kept under the test's data folder — for the app to
/// keep its session token in, as on a Linux desktop.
pub struct Keychain {
    bus_daemon: Child,
    keyring: Child,
    /// The bus's address, for `DBUS_SESSION_BUS_ADDRESS`.
    pub bus: String,
    data_home: PathBuf,
}

impl Keychain {
    pub fn start(data_home: &std::path::Path) -> Self {
        let data_home = data_home.to_path_buf();
        std::fs::create_dir_all(data_home.join("data")).unwrap();
        // A bus that starts nothing on demand: with the system's session services, a probe
        // sent before the test's keyring owns its name has the bus start a locked keyring of
        // its own, which then holds the name, and every store fails.
        let config = data_home.join("bus.conf");
        // Its socket in the test's folder, removed with it.
        std::fs::write(&config, PRIVATE_BUS.replace("{dir}", &data_home.display().to_string())).unwrap();
        let mut bus_daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon starts (cargo xtask setup installs it)");
        let mut bus = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(bus_daemon.stdout.take().expect("stdout is piped")),
            &mut bus,
        )
        .expect("dbus-daemon says its address");
        let bus = bus.trim().to_owned();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &bus)
            .env("XDG_DATA_HOME", data_home.join("data"))
            .env("XDG_RUNTIME_DIR", &data_home)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon starts (cargo xtask setup installs it)");
        {
            use std::io::Write;
            let mut stdin = keyring.stdin.take().expect("stdin is piped");
            stdin.write_all(b"the test keyring's password").expect("the keyring takes its password");
        }
        let mut keychain = Self { bus_daemon, keyring, bus, data_home };
        // Ready once its default keyring exists and is unlocked: a secret stored there can be
        // read back (the daemon answers on the bus before that).
        let started = Instant::now();
        while !keychain.stores_and_reads_back() {
            if let Ok(Some(status)) = keychain.keyring.try_wait() {
                panic!("gnome-keyring-daemon stopped ({status}) before it took a secret");
            }
            assert!(started.elapsed() < WAIT, "the Secret Service never took a secret");
            std::thread::sleep(Duration::from_millis(100));
        }
        keychain
    }

    fn secret_tool(&self) -> Command {
        let mut command = Command::new("secret-tool");
        command.env("DBUS_SESSION_BUS_ADDRESS", &self.bus).env("XDG_DATA_HOME", self.data_home.join("data"));
        command
    }

    /// Stores a probe in the default keyring, reads it back and clears it.
    fn stores_and_reads_back(&self) -> bool {
        let probe = ["service", "digital-hub-tests-probe", "username", "probe"];
        let stored = self
            .secret_tool()
            .args(["store", "--label=probe"])
            .args(probe)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().expect("stdin is piped").write_all(b"probe")?;
                child.wait()
            })
            .is_ok_and(|status| status.success());
        let read = stored
            && self
                .secret_tool()
                .arg("lookup")
                .args(probe)
                .output()
                .is_ok_and(|output| output.stdout == b"probe");
        let _ = self.secret_tool().arg("clear").args(probe).status();
        read
    }

    /// The secrets stored for `service`, each with its attributes (`secret-tool search`);
    /// `None` while the Secret Service does not answer.
    pub fn secrets(
        &self,
        service: &str,
    ) -> Option<Vec<(std::collections::BTreeMap<String, String>, String)>> {
        let output =
            self.secret_tool().args(["search", "--all", "--unlock", "service", service]).output().ok()?;
        if !output.status.success() && !output.stderr.is_empty() {
            return None;
        }
        // Items as blocks: `[path]`, then `name = value` lines (the secret, the attributes).
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + String::from_utf8_lossy(&output.stderr).as_ref();
        let mut found = Vec::new();
        let mut item: Option<(std::collections::BTreeMap<String, String>, String)> = None;
        for line in text.lines() {
            if line.starts_with('[') {
                found.extend(item.take());
                item = Some(Default::default());
            } else if let (Some((attributes, secret)), Some((name, value))) =
                (item.as_mut(), line.split_once(" = "))
            {
                match name.strip_prefix("attribute.") {
                    Some(attribute) => {
                        attributes.insert(attribute.to_owned(), value.to_owned());
                    }
                    None if name == "secret" => *secret = value.to_owned(),
                    None => {}
                }
            }
        }
        found.extend(item);
        Some(found)
    }
}

impl Drop for Keychain {
    fn drop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.keyring.wait();
        let _ = self.bus_daemon.kill();
        let _ = self.bus_daemon.wait();
    }
}

/// Runs axe-core over the document for WCAG 2.1 A and AA and axe's best practices and
/// answers each serious or critical violation as one line: the rule, what it asks, and
/// where (up to five elements).
pub(crate) fn accessibility_script() -> &'static str {
    r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
            resultTypes: ['violations'],
        }).then((results) => done(results.violations
            .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
            .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — at `
                + violation.nodes.slice(0, 5).map((node) => node.target.join(' ')).join(', '))),
        ).catch((error) => done([`axe did not run: ${error}`]));
    "#
}

/// axe-core's script, as `cargo xtask setup` installs it (pinned there, from npm).
pub(crate) fn axe_source() -> String {
    let home = std::env::var_os("HOME").unwrap_or_default();
    let path =
        std::path::Path::new(&home).join(".local/share/digital-hub/axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}; `cargo xtask setup` installs axe-core", path.display()))
}

/// Where the keyboard's focus is ([`Desktop::focus`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    /// Its id, test id, label or text.
    pub name: String,
    /// Whether it shows that it has the focus.
    pub shown: bool,
    /// Whether it comes after the element focused before, in the page's order.
    pub after: bool,
}
