//! Unit tests of the shell's own modules that need no window: the preferences file (read
//! tolerantly, written back whole) and the wording of the due-requests notification. The modules
//! are compiled here as they are in the window.

#[allow(dead_code)]
#[path = "../src/prefs.rs"]
mod prefs;

#[allow(dead_code)]
#[path = "../src/notify.rs"]
mod notify;

use notify::text;
use prefs::{Geometry, IDLE_MAX, Language, Prefs};
use std::path::PathBuf;

#[test]
fn round_trip_and_tolerance() {
    let dir = std::env::temp_dir().join(format!("derbes-prefs-{}", std::process::id()));
    let f = dir.join("prefs");
    let p = Prefs {
        language: Language::Kk,
        idle_minutes: 5,
        last_vault: Some(PathBuf::from("/tmp/x.derbes")),
        window: Some(Geometry {
            x: -1200,
            y: 40,
            width: 1180,
            height: 780,
            maximized: true,
        }),
    };
    p.save_to(&f).unwrap();
    assert_eq!(Prefs::load_from(&f), p);
    std::fs::write(
        &f,
        "language=fr\nidle_minutes=99999\ngarbage\nwindow=10,10,5,99999999,0\n",
    )
    .unwrap();
    let q = Prefs::load_from(&f);
    assert_eq!(q.window, None, "an impossible size is ignored");
    assert_eq!(q.language, Language::Ru);
    assert_eq!(q.idle_minutes, IDLE_MAX);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn counts_only_and_nothing_when_nothing_is_due() {
    assert_eq!(text(Language::Ru, 0, 0, 0, 0), None);
    let (title, body) = text(Language::Kk, 2, 1, 0, 0).expect("due");
    assert!(title.contains("өтініштер"));
    assert_eq!(body, "Мерзімі өткен: 2. Мерзімі бүгін: 1.");
    // Requests registered from the mail folders on unlock are said even when nothing is due.
    let (_, body) = text(Language::En, 0, 0, 3, 0).expect("from mail");
    assert_eq!(body, "Overdue: 0. Due today: 0. New from mail: 3.");
    let (_, body) = text(Language::En, 0, 0, 0, 2).expect("coming up");
    assert_eq!(
        body,
        "Overdue: 0. Due today: 0. Reminders on the dashboard: 2."
    );
}
