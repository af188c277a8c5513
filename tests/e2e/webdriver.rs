//! A small W3C WebDriver client (the handful of endpoints the tests use), with a timeout on every
//! call: under Xvfb a stuck WebKit must fail a test, not hang CI.

use serde_json::{Value, json};
use std::time::{Duration, Instant};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Driver {
    agent: ureq::Agent,
    base: String,
}

pub struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

#[derive(Debug, Clone)]
pub struct Element(String);

impl Driver {
    pub fn new(port: u16) -> Driver {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .build()
            .into();
        Driver {
            agent,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    fn request(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{}", self.base, path);
        let resp = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, Some(b)) => self.agent.post(&url).send_json(b),
            (_, None) => self.agent.post(&url).send_json(json!({})),
        };
        let mut resp = resp.map_err(|e| format!("{method} {path}: {e}"))?;
        let status = resp.status();
        let v: Value = resp
            .body_mut()
            .read_json()
            .map_err(|e| format!("{method} {path}: bad JSON: {e}"))?;
        if !status.is_success() {
            return Err(format!("{method} {path}: {status}: {}", v["value"]));
        }
        Ok(v["value"].clone())
    }

    /// Waits until the driver answers `/status`.
    pub fn wait_ready(&self, timeout: Duration) -> Result<(), String> {
        let start = Instant::now();
        loop {
            if self.request("GET", "/status", None).is_ok() {
                return Ok(());
            }
            if start.elapsed() > timeout {
                return Err("the WebDriver server did not start".into());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn session(&self, application: &str) -> Result<Session<'_>, String> {
        let caps = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "wry",
                "tauri:options": { "application": application }
            }}
        });
        let v = self.request("POST", "/session", Some(caps))?;
        let id = v["sessionId"].as_str().ok_or("no session id")?.to_owned();
        Ok(Session { driver: self, id })
    }
}

impl Session<'_> {
    fn post(&self, path: &str, body: Value) -> Result<Value, String> {
        self.driver
            .request("POST", &format!("/session/{}{}", self.id, path), Some(body))
    }

    fn get(&self, path: &str) -> Result<Value, String> {
        self.driver
            .request("GET", &format!("/session/{}{}", self.id, path), None)
    }

    pub fn find(&self, css: &str) -> Result<Element, String> {
        let v = self.post("/element", json!({"using": "css selector", "value": css}))?;
        v[ELEMENT_KEY]
            .as_str()
            .map(|s| Element(s.to_owned()))
            .ok_or_else(|| format!("no element for {css}"))
    }

    /// Waits until `css` matches a displayed element.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Result<Element, String> {
        let start = Instant::now();
        loop {
            if let Ok(e) = self.find(css)
                && self.displayed(&e).unwrap_or(false)
            {
                return Ok(e);
            }
            if start.elapsed() > timeout {
                return Err(format!("timed out waiting for {css}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the text of `css` contains `needle`; returns the text.
    pub fn wait_text(&self, css: &str, needle: &str, timeout: Duration) -> Result<String, String> {
        let start = Instant::now();
        let mut last = String::new();
        loop {
            if let Ok(e) = self.find(css) {
                last = self.text(&e).unwrap_or_default();
                if last.contains(needle) {
                    return Ok(last);
                }
            }
            if start.elapsed() > timeout {
                return Err(format!("{css}: waited for {needle:?}, saw {last:?}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Like [`Session::wait_text`], on the DOM text (`textContent`) of the first match of `css`:
    /// for content inside scrolled or transformed containers, where the rendered text is empty.
    pub fn wait_dom_text(
        &self,
        css: &str,
        needle: &str,
        timeout: Duration,
    ) -> Result<String, String> {
        let start = Instant::now();
        let script = format!(
            "const e = document.querySelector({}); return e ? e.textContent : ''",
            serde_json::to_string(css).unwrap_or_default()
        );
        let mut last = String::new();
        loop {
            last = self
                .execute(&script)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or(last);
            if last.contains(needle) {
                return Ok(last);
            }
            if start.elapsed() > timeout {
                return Err(format!("{css}: waited for {needle:?}, saw {last:?}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn displayed(&self, e: &Element) -> Result<bool, String> {
        Ok(self.get(&format!("/element/{}/displayed", e.0))?.as_bool() == Some(true))
    }

    /// Scrolls the element to the middle of its scrolling container(s): WebKitWebDriver does not
    /// scroll nested containers itself and reports such an element as not interactable.
    pub fn scroll_into_view(&self, e: &Element) -> Result<(), String> {
        self.post(
            "/execute/sync",
            json!({
                "script": "arguments[0].scrollIntoView({ block: 'center', inline: 'nearest' });",
                "args": [{ ELEMENT_KEY: e.0 }]
            }),
        )
        .map(|_| ())
    }

    pub fn click(&self, e: &Element) -> Result<(), String> {
        self.scroll_into_view(e)?;
        self.post(&format!("/element/{}/click", e.0), json!({}))
            .map(|_| ())
    }

    pub fn type_text(&self, e: &Element, text: &str) -> Result<(), String> {
        self.post(&format!("/element/{}/value", e.0), json!({ "text": text }))
            .map(|_| ())
    }

    pub fn clear(&self, e: &Element) -> Result<(), String> {
        self.post(&format!("/element/{}/clear", e.0), json!({}))
            .map(|_| ())
    }

    pub fn text(&self, e: &Element) -> Result<String, String> {
        Ok(self
            .get(&format!("/element/{}/text", e.0))?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    pub fn execute(&self, script: &str) -> Result<Value, String> {
        self.post("/execute/sync", json!({ "script": script, "args": [] }))
    }

    /// A PNG of the window, after two animation frames so that it shows the current page.
    pub fn screenshot(&self) -> Result<Vec<u8>, String> {
        use base64::Engine;
        self.post(
            "/execute/async",
            json!({
                "script": "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                "args": []
            }),
        )?;
        let b64 = self.get("/screenshot")?;
        base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or_default())
            .map_err(|e| e.to_string())
    }

    pub fn close(self) {
        let _ = self
            .driver
            .request("DELETE", &format!("/session/{}", self.id), None);
    }
}
