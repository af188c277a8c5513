//! The Derbes window: a thin Tauri shell over the `derbes` core. Commands (in `commands.rs`) only turn
//! the UI's plain values into core types, call the core, and turn the result or the error (a stable
//! code plus a message) back. The session (`session.rs`) holds the one unlocked vault and locks it
//! after idle time.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[macro_use]
mod command_list;
mod backups;
mod commands;
mod dialogs;
mod dto;
mod erasure;
mod forms;
mod jobs;
mod letters;
mod mail;
mod notify;
mod prefs;
mod register;
mod registry;
mod requests;
mod session;
mod sleep_watch;
mod window_state;

use session::Session;
use std::path::PathBuf;
use tauri::Manager;

/// The window's command line: `--vault PATH` names the vault (else `DERBES_VAULT`, else the last
/// vault used, else the default); `--demo` starts on the demo vault, unlocked (its passphrase is
/// public).
struct Args {
    vault: Option<PathBuf>,
    demo: bool,
}

fn parse_args() -> Args {
    let mut out = Args {
        vault: None,
        demo: false,
    };
    let mut args = std::env::args_os().skip(1);
    while let Some(a) = args.next() {
        if a == "--vault" {
            out.vault = args.next().map(PathBuf::from);
        } else if a == "--demo" {
            out.demo = true;
        }
    }
    out
}

/// When the process started; the first page request logs the time to a ready page (`DERBES_LOG=info`).
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// WebKitGTK composites the page with OpenGL. Without a GPU (virtual machines, remote desktops,
/// Xvfb) that is software GL, and a keystroke in the registry search took 35–120 ms to reach the
/// screen, against 12–18 ms when WebKit paints directly. The page has no animation that needs
/// a GPU. A user who sets the variable keeps their choice.
fn prefer_direct_painting() {
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // SAFETY: the first thing main does, before any other thread exists.
        unsafe { std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1") };
    }
}

/// The invoke handler of every command in `command_list.rs`.
macro_rules! handler {
    ($($module:ident :: $command:ident),* $(,)?) => {
        tauri::generate_handler![$($module::$command),*]
    };
}

fn main() {
    STARTED.get_or_init(std::time::Instant::now);
    prefer_direct_painting();
    tracing_subscriber_init();
    let args = parse_args();
    let session = Session::new(args.vault);
    // What an earlier run left for the mail program goes (it was sent, or never will be).
    if let Err(e) = derbes::files::outbox::empty() {
        tracing::warn!(code = e.code(), "the outbox was not emptied");
    }
    if args.demo
        && let Err(e) = session.open_demo()
    {
        eprintln!(
            "derbes: the demo vault could not be opened [{}]: {e}",
            e.code()
        );
    }
    tauri::Builder::default()
        .manage(session)
        .manage(jobs::Jobs::default())
        .setup(|app| {
            session::spawn_idle_watch(app.handle().clone());
            sleep_watch::spawn(app.handle().clone());
            if let Some(window) = app.get_webview_window("main") {
                window_state::restore(&window, app.state::<Session>().get().prefs.window);
            }
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { .. } = event {
                let session = window.state::<Session>();
                let mut s = session.get();
                s.prefs.window = window_state::current(window, s.prefs.window);
                if let Err(e) = s.prefs.save_to(&crate::prefs::Prefs::file()) {
                    tracing::warn!(code = e.code(), "window place not saved");
                }
            }
        })
        .invoke_handler(for_each_command!(handler))
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("derbes: the window could not start: {e}");
            std::process::exit(1);
        })
        .run(|app, event| {
            // Closing the window locks the vault, which first makes the day's automatic backup.
            if let tauri::RunEvent::Exit = event {
                app.state::<Session>().get().lock_vault();
                if let Err(e) = derbes::files::outbox::empty() {
                    tracing::warn!(code = e.code(), "the outbox was not emptied");
                }
            }
        });
}

fn tracing_subscriber_init() {
    // Logs hold ids and codes only; personal data never reaches a log line.
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("DERBES_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
