//! Locks the vault when the machine goes to sleep or the desktop locks its screen (issue 16).
//!
//! The idle timer alone is not enough: it would count only the time the machine is awake, and a
//! lid closed at minute 9 would leave the vault open the next morning. So the session measures
//! idle time on the boot-time clock, which goes on during sleep (`Inner::lock_if_idle`), and this
//! watcher locks at once on the desktop's own signals, before the machine sleeps:
//! - logind's `PrepareForSleep(true)` (system bus, `org.freedesktop.login1.Manager`) and a
//!   session's `Lock` (`org.freedesktop.login1.Session`: `loginctl lock-session`, the lock key);
//! - the screen saver's `ActiveChanged(true)` (session bus, freedesktop and GNOME names).
//!
//! The rules do not filter by sender: any process that can send a signal on the bus can make the
//! window lock early, which is harmless, while a filter would miss desktops whose screen saver
//! owns another name. Without a bus (a minimal desktop), the boot-time clock still holds.

use crate::session::Session;
use dbus::blocking::Connection;
use dbus::channel::MatchingReceiver;
use dbus::message::MatchRule;
use std::time::Duration;
use tauri::{AppHandle, Manager};

/// (interface, member, whether the signal carries a boolean that must be true to lock).
const SYSTEM: &[(&str, &str, bool)] = &[
    ("org.freedesktop.login1.Manager", "PrepareForSleep", true),
    ("org.freedesktop.login1.Session", "Lock", false),
];
const SESSION: &[(&str, &str, bool)] = &[
    ("org.freedesktop.ScreenSaver", "ActiveChanged", true),
    ("org.gnome.ScreenSaver", "ActiveChanged", true),
];

pub fn spawn(app: AppHandle) {
    for (name, rules, open) in [
        ("system", SYSTEM, Connection::new_system as fn() -> _),
        ("session", SESSION, Connection::new_session as fn() -> _),
    ] {
        let app = app.clone();
        std::thread::spawn(move || match open() {
            Ok(conn) => watch(&app, &conn, rules, name),
            Err(e) => tracing::info!(bus = name, error = %e, "no D-Bus: locking by the clock only"),
        });
    }
}

fn watch(app: &AppHandle, conn: &Connection, rules: &[(&str, &'static str, bool)], bus: &str) {
    for &(interface, member, needs_true) in rules {
        let rule = MatchRule::new_signal(interface, member);
        if let Err(e) = conn.add_match_no_cb(&rule.match_str()) {
            tracing::warn!(bus, member, error = %e, "could not watch a lock signal");
            continue;
        }
        let app = app.clone();
        conn.start_receive(
            rule.static_clone(),
            Box::new(move |msg, _| {
                if !needs_true || msg.get1::<bool>() == Some(true) {
                    let session = app.state::<Session>();
                    let mut s = session.get();
                    if s.vault.is_some() {
                        s.lock_vault();
                        tracing::info!(signal = member, "vault locked: sleep or screen lock");
                    }
                }
                true
            }),
        );
    }
    tracing::info!(bus, "watching for sleep and screen lock");
    loop {
        if let Err(e) = conn.process(Duration::from_secs(3600)) {
            tracing::warn!(bus, error = %e, "D-Bus connection lost: locking by the clock only");
            return;
        }
    }
}
