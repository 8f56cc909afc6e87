//! Starts the real app under `tauri-driver` and hands out WebDriver sessions.
//!
//! Needs: a display (`DISPLAY`, e.g. Xvfb), `tauri-driver` and `WebKitWebDriver` on `PATH`,
//! and the app built with its UI embedded (`.ci/test-all` does all three; `.ci/package --debug`
//! builds the app). Set `STREETDESK_APP_BIN` to test another binary.

use fantoccini::{Client, ClientBuilder, Locator};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The app binary under test.
pub fn app_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("STREETDESK_APP_BIN") {
        return PathBuf::from(p);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("debug/streetdesk")
}

/// A running `tauri-driver` that launches the app with a given data directory.
pub struct Driver {
    child: Child,
    port: u16,
    app: PathBuf,
}

impl Driver {
    /// Starts `tauri-driver`; every session it opens runs the app on `data_dir` (`demo` off or on).
    pub fn start(data_dir: &Path, demo: bool) -> Driver {
        let app = app_binary();
        assert!(
            app.exists(),
            "app binary {} is missing; build it with the UI embedded: bash .ci/package --debug",
            app.display()
        );
        let mut cmd = Command::new("tauri-driver");
        cmd.env("STREETDESK_DATA_DIR", data_dir)
            .env("STREETDESK_NO_DEMO", if demo { "0" } else { "1" })
            // WebKit keeps localStorage (the UI language) under XDG dirs: isolate each run.
            .env("XDG_DATA_HOME", data_dir.join("xdg/data"))
            .env("XDG_CONFIG_HOME", data_dir.join("xdg/config"))
            .env("XDG_CACHE_HOME", data_dir.join("xdg/cache"));
        Driver::spawn(cmd, app)
    }

    /// Starts `tauri-driver` for an installed app as a user whose home is `home` would run it:
    /// no data directory given, so the app keeps its data in the platform's place under `home`.
    pub fn installed(app: &Path, home: &Path) -> Driver {
        let mut cmd = Command::new("tauri-driver");
        cmd.env_remove("STREETDESK_DATA_DIR")
            .env_remove("STREETDESK_NO_DEMO")
            .env("HOME", home)
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_CACHE_HOME", home.join(".cache"));
        Driver::spawn(cmd, app.to_owned())
    }

    fn spawn(mut cmd: Command, app: PathBuf) -> Driver {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "no DISPLAY: start Xvfb first (the test command does)"
        );
        let port = free_port();
        let native_port = free_port();
        let child = cmd
            // Own process group, so Drop can end WebKitWebDriver and the app along with it.
            .process_group(0)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect(
                "cannot start tauri-driver; install it with `cargo install tauri-driver --locked`",
            );
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "tauri-driver did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver { child, port, app }
    }

    /// Launches the app and returns a WebDriver session attached to its window.
    pub async fn launch(&self) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": self.app }),
        );
        ClientBuilder::native()
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("WebDriver session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // Kill the whole group: tauri-driver, its WebKitWebDriver and any app still running
        // (a failed test never closes its session).
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Waits up to 30 s for an element.
pub async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("element {css} did not appear: {e}"))
}

/// Waits up to 30 s until the text content of the first element matching `css` satisfies
/// `pred`; returns that text. (Text content, not WebDriver's visible text: WebKitWebDriver
/// reports only part of a row whose cells ellipsise.)
pub async fn wait_for_text(c: &Client, css: &str, pred: impl Fn(&str) -> bool) -> String {
    wait_for_text_within(c, css, Duration::from_secs(30), pred).await
}

/// [`wait_for_text`] with a deadline of the caller's choosing.
pub async fn wait_for_text_within(
    c: &Client,
    css: &str,
    within: Duration,
    pred: impl Fn(&str) -> bool,
) -> String {
    let deadline = Instant::now() + within;
    let mut last = None;
    loop {
        let text = c
            .execute(
                "const el = document.querySelector(arguments[0]); return el ? el.textContent : null;",
                vec![serde_json::json!(css)],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")));
        if let Some(t) = &text {
            if pred(t) {
                return t.clone();
            }
        }
        last = text.or(last);
        assert!(
            Instant::now() < deadline,
            "{css} never matched; last text: {last:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Clicks the first element matching `css`, waiting for it to appear.
pub async fn click(c: &Client, css: &str) {
    wait_for(c, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
}

/// Types into the form field named `name`.
pub async fn type_into(c: &Client, name: &str, text: &str) {
    let el = wait_for(c, &format!("[name=\"{name}\"]")).await;
    el.clear().await.ok();
    el.send_keys(text).await.expect("type into field");
}

/// Chooses `value` in the select named by `css`.
pub async fn select(c: &Client, css: &str, value: &str) {
    wait_for(c, css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("cannot choose {value} in {css}: {e}"));
}

/// Registers a 12345 ticket in community c02 through the form; leaves its detail open.
pub async fn register_ticket(c: &Client, hotline_no: &str, content: &str, name: &str, phone: &str) {
    click(c, "[data-testid=nav-backlog]").await;
    click(c, "[data-testid=register]").await;
    wait_for(c, "[data-testid=register-form]").await;
    type_into(c, "hotlineNo", hotline_no).await;
    type_into(c, "category", "城市管理/停车管理/胡同停车").await;
    select(c, "select[name=communityId]", "c02").await;
    type_into(c, "address", "槐荫胡同 3 号").await;
    type_into(c, "content", content).await;
    type_into(c, "callerName", name).await;
    type_into(c, "callerPhone", phone).await;
    click(c, "[data-testid=submit]").await;
    wait_for_text(c, "[data-testid=detail-content]", |t| t.contains(content)).await;
}

/// Runs `xdotool` (installed by `.ci/install-deps test`) and returns what it printed.
pub fn xdotool(args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(args)
        .output()
        .expect("xdotool (installed by .ci/install-deps test)");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Waits for the native dialog titled `title` and points at it (without a window manager the
/// keyboard follows the pointer), once GTK has had a moment to fill it; returns its window.
pub async fn native_dialog(title: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    let window = loop {
        let found = xdotool(&["search", "--onlyvisible", "--name", title]);
        if let Some(w) = found.lines().next() {
            break w.to_owned();
        }
        assert!(Instant::now() < deadline, "no dialog titled {title}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    tokio::time::sleep(Duration::from_millis(800)).await;
    xdotool(&["mousemove", "--window", &window, "300", "200"]);
    window
}

/// The one file a save dialog wrote into `dir`, and its name.
pub fn the_saved_file(dir: &Path) -> (PathBuf, String) {
    let saved: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let name = saved[0].file_name().unwrap().to_string_lossy().into_owned();
    (saved[0].clone(), name)
}
