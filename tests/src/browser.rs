//! The hub's public website in a real browser: headless Chromium driven through chromedriver
//! (Debian's `chromium` and `chromium-driver`, which `cargo xtask setup` installs), at the
//! width a test asks for, with or without script.

use crate::desktop::{accessibility_script, axe_source, free_port, ONE_WINDOW};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;

const WAIT: Duration = Duration::from_secs(20);

pub struct Browser {
    driver: Option<WebDriver>,
    chromedriver: Child,
    profile: PathBuf,
    _one_window: tokio::sync::MutexGuard<'static, ()>,
}

impl Browser {
    /// A browser window of `width`×`height` CSS pixels, running the pages' scripts.
    pub async fn open(width: u32, height: u32) -> Self {
        Self::start(width, height, true).await
    }

    /// A browser that runs no script at all, as some visitors' do: what works here works
    /// on plain HTML.
    pub async fn open_without_script(width: u32, height: u32) -> Self {
        Self::start(width, height, false).await
    }

    async fn start(width: u32, height: u32, script: bool) -> Self {
        let one_window = ONE_WINDOW.lock().await;
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let profile =
            std::env::temp_dir().join(format!("hub-browser-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&profile).unwrap();
        let port = free_port();
        let mut chromedriver = Command::new("chromedriver");
        // A process group of its own, with the browsers it starts: a test that fails stops
        // them all (chromedriver alone would leave its browsers running).
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut chromedriver, 0);
        let chromedriver = chromedriver
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts (cargo xtask setup installs chromium-driver)");
        let ready = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() && ready.elapsed() < WAIT {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut capabilities = DesiredCapabilities::chrome();
        for argument in [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-gpu".to_owned(),
            "--hide-scrollbars".to_owned(),
            "--no-first-run".to_owned(),
            format!("--user-data-dir={}", profile.display()),
            format!("--window-size={width},{height}"),
        ] {
            capabilities.add_arg(&argument).expect("a chromium argument");
        }
        let mut preferences = serde_json::Map::new();
        if !script {
            preferences.insert("profile.managed_default_content_settings.javascript".to_owned(), 2.into());
        }
        capabilities.add_experimental_option("prefs", preferences).expect("chromium's preferences");
        // The viewport at exactly the size asked for (a window has a frame, and a headless
        // one a minimum width): a phone's when it is narrow.
        capabilities
            .add_experimental_option(
                "mobileEmulation",
                serde_json::json!({ "deviceMetrics": {
                    "width": width, "height": height, "pixelRatio": 1.0, "mobile": width < 600, "touch": false,
                } }),
            )
            .expect("chromium's device metrics");
        let server = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let driver = loop {
            match WebDriver::builder(server.clone(), capabilities.clone()).request_timeout(WAIT).await {
                Ok(driver) => break driver,
                Err(error) if started.elapsed() > WAIT => panic!("no chromium session: {error}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Self { driver: Some(driver), chromedriver, profile, _one_window: one_window }
    }

    pub fn driver(&self) -> &WebDriver {
        self.driver.as_ref().expect("the session is open")
    }

    /// Opens `url` and waits for it to load.
    pub async fn visit(&self, url: &str) {
        self.driver().goto(url).await.unwrap_or_else(|error| panic!("{url} does not load: {error}"));
    }

    pub async fn title(&self) -> String {
        self.driver().title().await.unwrap_or_default()
    }

    /// The address the browser shows now.
    pub async fn url(&self) -> String {
        self.driver().current_url().await.map(|url| url.to_string()).unwrap_or_default()
    }

    /// The text of the first element `selector` finds (empty when there is none).
    pub async fn text(&self, selector: &str) -> String {
        match self.driver().find(By::Css(selector)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Every link of the page, as the browser resolves it.
    pub async fn links(&self) -> Vec<String> {
        let found = self
            .driver()
            .execute("return [...document.querySelectorAll('a[href]')].map((a) => a.href)", Vec::new())
            .await
            .expect("the page runs a script");
        serde_json::from_value(found.json().clone()).unwrap_or_default()
    }

    /// Types `text` into the field after clearing it.
    pub async fn fill(&self, selector: &str, text: &str) {
        let field = self.driver().find(By::Css(selector)).await.unwrap_or_else(|_| panic!("no {selector}"));
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Chooses `option` of the select `selector` by its text.
    pub async fn choose(&self, selector: &str, option: &str) {
        let field = self.driver().find(By::Css(selector)).await.unwrap_or_else(|_| panic!("no {selector}"));
        let choice = field
            .find(By::XPath(format!(".//option[normalize-space(.)='{option}']")))
            .await
            .unwrap_or_else(|_| panic!("{selector} has no option {option:?}"));
        choice.click().await.unwrap();
    }

    pub async fn click(&self, selector: &str) {
        let element = self.driver().find(By::Css(selector)).await.unwrap_or_else(|_| panic!("no {selector}"));
        element.click().await.unwrap();
    }

    /// Sends the form the element `selector` is in (as pressing its button does) and waits
    /// for the next page.
    pub async fn submit(&self, selector: &str) {
        let before = self.driver().find(By::Css("html")).await.unwrap();
        self.click(selector).await;
        let started = Instant::now();
        // The old page's root goes stale once the next page has replaced it.
        while before.tag_name().await.is_ok() && started.elapsed() < WAIT {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves the page as `target/screenshots/<name>.png`, for people to look at: the whole
    /// page, not only what the window shows.
    pub async fn screenshot(&self, name: &str) {
        let exe = std::env::current_exe().expect("the test binary knows its path");
        let target = exe.ancestors().nth(3).expect("target/<profile>/deps/<test>").to_path_buf();
        let dir = target.join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        self.driver().screenshot(&dir.join(format!("{name}.png"))).await.expect("a screenshot of the page");
    }

    /// axe-core's serious and critical violations of WCAG 2.1 A and AA and its best
    /// practices on the page as it is, one line each; empty when it passes.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        let loaded =
            self.driver().execute("return typeof window.axe", Vec::new()).await.expect("a script runs");
        if loaded.json().as_str() != Some("object") {
            self.driver().execute(&axe_source(), Vec::new()).await.expect("axe-core loads into the page");
        }
        let found =
            self.driver().execute_async(accessibility_script(), Vec::new()).await.expect("axe-core runs");
        serde_json::from_value(found.json().clone()).expect("axe's violations as lines")
    }

    /// Ends the session (closing the browser).
    pub async fn close(mut self) {
        if let Some(driver) = self.driver.take() {
            let _ = driver.quit().await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Not closed: the test failed. Quitting here could block on a stuck browser; the
        // signal below stops chromedriver and its browsers together.
        if let Some(driver) = self.driver.take() {
            let _ = driver.leak();
        }
        let group = format!("-{}", self.chromedriver.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.chromedriver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
