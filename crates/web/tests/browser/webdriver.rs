//! A minimal W3C WebDriver client over a blocking loopback socket: just the
//! commands these tests use, talking to a chromedriver that this module
//! starts and stops. See `main.rs` for why we do not use a client crate.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The W3C key of an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The browser and driver binaries, from `GRILLE_CHROMIUM` and
/// `GRILLE_CHROMEDRIVER` or Debian's default paths.
fn binaries() -> Result<(PathBuf, PathBuf), String> {
    let chromium =
        std::env::var_os("GRILLE_CHROMIUM").map(PathBuf::from).unwrap_or_else(|| "/usr/bin/chromium".into());
    let driver = std::env::var_os("GRILLE_CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromedriver".into());
    let mut missing = Vec::new();
    for path in [&chromium, &driver] {
        if !path.exists() {
            missing.push(path.display().to_string());
        }
    }
    if missing.is_empty() {
        Ok((chromium, driver))
    } else {
        Err(format!(
            "the browser tests need headless Chromium and ChromeDriver, not found at {}.\n\
             Install them with `apt-get install -y chromium chromium-driver` (Debian), or point \
             GRILLE_CHROMIUM and GRILLE_CHROMEDRIVER at them. To skip the browser tests locally \
             (never in CI), set GRILLE_SKIP_BROWSER_TESTS=1.",
            missing.join(" and ")
        ))
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
    listener.local_addr().expect("a bound address").port()
}

/// One HTTP/1.1 exchange with `Connection: close`; returns status and body.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<(u16, Vec<u8>), String> {
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).map_err(|e| format!("connect to chromedriver: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(60))).map_err(|e| e.to_string())?;
    let payload = body.map(Value::to_string).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    );
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    // chromedriver may keep the connection open despite `Connection:
    // close`, so read the header, then exactly the announced body.
    let mut response = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    let split = loop {
        if let Some(split) = response.windows(4).position(|w| w == b"\r\n\r\n") {
            break split;
        }
        let read = stream.read(&mut buffer).map_err(|e| format!("read from chromedriver: {e}"))?;
        if read == 0 {
            return Err("chromedriver closed the connection before answering".into());
        }
        response.extend_from_slice(&buffer[..read]);
    };
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    let mut content = response[split + 4..].to_vec();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or("no HTTP status")?;
    let length = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse::<usize>().ok());
    let chunked = head.contains("transfer-encoding: chunked");
    loop {
        let complete = match length {
            Some(length) => content.len() >= length,
            None if chunked => content.ends_with(b"0\r\n\r\n"),
            None => false,
        };
        if complete {
            break;
        }
        let read = stream.read(&mut buffer).map_err(|e| format!("read from chromedriver: {e}"))?;
        if read == 0 {
            break;
        }
        content.extend_from_slice(&buffer[..read]);
    }
    if chunked {
        content = dechunk(&content)?;
    }
    Ok((status, content))
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n").ok_or("bad chunk")?;
        let size_text = String::from_utf8_lossy(&data[..line_end]).to_string();
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|e| format!("bad chunk size {size_text:?}: {e}"))?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        body.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

fn base64_decode(text: &str) -> Result<Vec<u8>, String> {
    let value = |c: u8| -> Result<u32, String> {
        Ok(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            other => return Err(format!("not base64: {other}")),
        })
    };
    let clean: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=').collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut buffer = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            buffer |= value(*c)? << (18 - 6 * i);
        }
        let bytes = buffer.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Ok(out)
}

/// A headless Chromium session driven through its own chromedriver.
pub(crate) struct Browser {
    driver: Child,
    port: u16,
    session: String,
    profile: PathBuf,
}

/// An element found on the page.
#[derive(Debug, Clone)]
pub(crate) struct Element(String);

impl Browser {
    /// Starts chromedriver on a free port and opens a headless session.
    pub(crate) fn start() -> Result<Browser, String> {
        let (chromium, driver_path) = binaries()?;
        let port = free_port();
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", driver_path.display()))?;
        let profile = std::env::temp_dir().join(format!("grille-chromium-{}-{port}", std::process::id()));
        let mut browser = Browser { driver, port, session: String::new(), profile };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok((200, body)) = http(port, "GET", "/status", None) {
                let status: Value = serde_json::from_slice(&body).unwrap_or_default();
                if status["value"]["ready"] == json!(true) {
                    break;
                }
            }
            if Instant::now() > deadline {
                return Err("chromedriver did not become ready within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": chromium.display().to_string(),
                    "args": [
                        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                        "--force-device-scale-factor=1", "--window-size=1280,900",
                        format!("--user-data-dir={}", browser.profile.display()),
                    ]
                }
            }}
        });
        let (status, body) = http(port, "POST", "/session", Some(&capabilities))?;
        let answer: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        if status != 200 {
            return Err(format!("chromedriver refused the session: {answer}"));
        }
        browser.session = answer["value"]["sessionId"].as_str().ok_or("no session id")?.to_owned();
        // Every document records what its Content-Security-Policy blocked
        // (an injected script is not subject to the policy).
        let watch = json!({
            "cmd": "Page.addScriptToEvaluateOnNewDocument",
            "params": { "source": CSP_WATCH },
        });
        browser.command("POST", "/goog/cdp/execute", Some(watch));
        Ok(browser)
    }

    /// What the policy blocked on the current page since it loaded (or
    /// since the last call), as `directive blocked-uri sample` lines.
    pub(crate) fn take_csp_violations(&self) -> Vec<String> {
        let taken = self.execute(
            "var v = window.__grilleCspViolations || []; window.__grilleCspViolations = []; return v;",
        );
        taken
            .as_array()
            .map(|all| all.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    }

    /// Fails if the policy blocked anything on the current page: every
    /// page must work under the strict policy the server sends.
    pub(crate) fn assert_no_csp_violations(&self) {
        let violations = self.take_csp_violations();
        assert!(
            violations.is_empty(),
            "Content-Security-Policy violations on {}: {violations:?}",
            self.url()
        );
    }

    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{path}", self.session);
        let (status, answer) =
            http(self.port, method, &full, body.as_ref()).unwrap_or_else(|e| panic!("{e}"));
        let answer: Value =
            serde_json::from_slice(&answer).unwrap_or_else(|e| panic!("bad JSON from chromedriver: {e}"));
        assert_eq!(status, 200, "WebDriver {method} {path} failed: {}", answer["value"]);
        answer["value"].clone()
    }

    /// Opens `url` and waits for it to load (after checking that the page
    /// left broke no Content-Security-Policy).
    pub(crate) fn goto(&self, url: &str) {
        self.assert_no_csp_violations();
        self.command("POST", "/url", Some(json!({ "url": url })));
    }

    /// Reloads the page.
    pub(crate) fn refresh(&self) {
        self.assert_no_csp_violations();
        self.command("POST", "/refresh", Some(json!({})));
    }

    /// The current URL.
    pub(crate) fn url(&self) -> String {
        self.command("GET", "/url", None).as_str().unwrap_or_default().to_owned()
    }

    /// The first element matching a CSS selector, waiting up to 5 s.
    pub(crate) fn find(&self, css: &str) -> Element {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let found = self.find_all(css);
            if let Some(first) = found.into_iter().next() {
                return first;
            }
            if Instant::now() >= deadline {
                let html = self.execute("return document.documentElement.outerHTML.slice(0, 2000);");
                panic!("no element matches {css:?} on {}; the page starts with {html}", self.url());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Every element matching a CSS selector, now.
    pub(crate) fn find_all(&self, css: &str) -> Vec<Element> {
        let found = self.command("POST", "/elements", Some(json!({ "using": "css selector", "value": css })));
        found
            .as_array()
            .map(|elements| {
                elements
                    .iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str())
                    .map(|id| Element(id.to_owned()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Clicks an element as a user would.
    pub(crate) fn click(&self, element: &Element) {
        self.command("POST", &format!("/element/{}/click", element.0), Some(json!({})));
    }

    /// Polls `check` until it holds, for at most 15 s; fails naming `what`.
    pub(crate) fn wait_for(&self, what: &str, mut check: impl FnMut() -> bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while !check() {
            assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// Waits until the loaded page's address satisfies `matches`.
    pub(crate) fn wait_address(&self, what: &str, matches: impl Fn(&str) -> bool) {
        self.wait_for(what, || {
            matches(&self.url()) && self.execute("return document.readyState;") == json!("complete")
        });
    }

    /// Waits until an element matching `css` exists.
    pub(crate) fn wait_element(&self, css: &str) {
        let selector = serde_json::to_string(css).unwrap_or_default();
        self.wait_for(css, || {
            self.execute(&format!("return !!document.querySelector({selector});")) == json!(true)
        });
    }

    /// Clicks an element that leads to another page (a link, a GET form's
    /// button) and waits until that page has loaded: the current document
    /// is marked first, so a check right after the click can never read
    /// the old page while the new one is still on its way (a race seen on
    /// a busy two-core machine).
    pub(crate) fn click_and_load(&self, element: &Element) {
        self.assert_no_csp_violations();
        self.execute("window.__grilleOldPage = true;");
        self.click(element);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let loaded = self.execute(
                "return window.__grilleOldPage === undefined && document.readyState === 'complete';",
            );
            if loaded == json!(true) {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "no new page 20 s after the click");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Types `text` into an element (for a file input: a file path).
    pub(crate) fn send_keys(&self, element: &Element, text: &str) {
        self.command("POST", &format!("/element/{}/value", element.0), Some(json!({ "text": text })));
    }

    /// The rendered text of an element.
    pub(crate) fn text(&self, element: &Element) -> String {
        self.command("GET", &format!("/element/{}/text", element.0), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// A DOM property of an element (e.g. `checked`).
    pub(crate) fn property(&self, element: &Element, name: &str) -> Value {
        self.command("GET", &format!("/element/{}/property/{name}", element.0), None)
    }

    /// Runs a synchronous script and returns its result.
    pub(crate) fn execute(&self, script: &str) -> Value {
        self.command("POST", "/execute/sync", Some(json!({ "script": script, "args": [] })))
    }

    /// Runs an asynchronous script; it must call its last argument.
    pub(crate) fn execute_async(&self, script: &str) -> Value {
        self.command("POST", "/execute/async", Some(json!({ "script": script, "args": [] })))
    }

    /// The handle of the current tab.
    pub(crate) fn tab(&self) -> String {
        self.command("GET", "/window", None).as_str().unwrap_or_default().to_owned()
    }

    /// Opens a new tab in the same window (same cookies and storage) and
    /// switches to it; its handle.
    pub(crate) fn new_tab(&self) -> String {
        let opened = self.command("POST", "/window/new", Some(json!({ "type": "tab" })));
        let handle = opened["handle"].as_str().unwrap_or_default().to_owned();
        self.switch_to_tab(&handle);
        handle
    }

    /// Switches to the tab `handle` (the page in it keeps running as it was).
    pub(crate) fn switch_to_tab(&self, handle: &str) {
        self.command("POST", "/window", Some(json!({ "handle": handle })));
    }

    /// Sets the window size.
    pub(crate) fn set_size(&self, width: u32, height: u32) {
        self.command("POST", "/window/rect", Some(json!({ "width": width, "height": height })));
    }

    /// Saves a PNG of one element (scrolled into view) at `path`.
    pub(crate) fn element_screenshot(&self, element: &Element, path: &Path) {
        let encoded = self.command("GET", &format!("/element/{}/screenshot", element.0), None);
        let png = base64_decode(encoded.as_str().unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
        }
        std::fs::write(path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Emulates a CSS media type (`"print"`, or `""` for the screen)
    /// through chromedriver's Chrome DevTools endpoint.
    pub(crate) fn emulate_media(&self, media: &str) {
        let command = json!({ "cmd": "Emulation.setEmulatedMedia", "params": { "media": media } });
        self.command("POST", "/goog/cdp/execute", Some(command));
    }

    /// Refuses every download from now on (nothing is written to disk).
    pub(crate) fn deny_downloads(&self) {
        let command = json!({ "cmd": "Browser.setDownloadBehavior", "params": { "behavior": "deny" } });
        self.command("POST", "/goog/cdp/execute", Some(command));
    }

    /// Prints the page to PDF (W3C "Print Page", A4 portrait) and returns
    /// the document's bytes.
    pub(crate) fn print_pdf(&self) -> Vec<u8> {
        let options = json!({ "page": { "width": 21.0, "height": 29.7 }, "background": true });
        let encoded = self.command("POST", "/print", Some(options));
        base64_decode(encoded.as_str().unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Saves a PNG of the whole page (the window is stretched to the page's
    /// height, up to `max_height`) at `path`, then restores the size.
    pub(crate) fn screenshot(&self, path: &Path, width: u32, max_height: u32) {
        self.set_size(width, 900);
        let height =
            self.execute("return document.documentElement.scrollHeight;").as_u64().unwrap_or(900) as u32;
        self.set_size(width, height.clamp(600, max_height));
        let encoded = self.command("GET", "/screenshot", None);
        let png = base64_decode(encoded.as_str().unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
        }
        std::fs::write(path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        self.set_size(1280, 900);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The last page of a test is checked too (unless it already failed).
        let violations = if self.session.is_empty() || std::thread::panicking() {
            Value::Null
        } else {
            let script = json!({ "script": "return window.__grilleCspViolations || [];", "args": [] });
            let path = format!("/session/{}/execute/sync", self.session);
            http(self.port, "POST", &path, Some(&script))
                .ok()
                .and_then(|(_, body)| serde_json::from_slice::<Value>(&body).ok())
                .map(|answer| answer["value"].clone())
                .unwrap_or(Value::Null)
        };
        if !self.session.is_empty() {
            let _ = http(self.port, "DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
        let none = violations.as_array().is_none_or(Vec::is_empty);
        assert!(none, "Content-Security-Policy violations on the last page: {violations}");
    }
}

/// Injected into every document before its own scripts: keeps each
/// `securitypolicyviolation` event in `window.__grilleCspViolations`.
const CSP_WATCH: &str = "window.__grilleCspViolations = [];
document.addEventListener('securitypolicyviolation', function (event) {
  (window.__grilleCspViolations = window.__grilleCspViolations || []).push(
    event.effectiveDirective + ' ' + event.blockedURI + ' ' + (event.sample || ''));
});";

#[test]
fn decodes_base64() {
    assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
    assert_eq!(base64_decode("aGk=").unwrap(), b"hi");
    assert_eq!(base64_decode("YWJj").unwrap(), b"abc");
}
