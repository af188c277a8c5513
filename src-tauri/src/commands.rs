//! Commands of the vault, the session and the preferences, and `with_vault`, through which every
//! command reaches the unlocked vault. No business logic lives here.

use crate::dto::{AppState, CmdResult, CommandError};
use crate::prefs::{Language, Prefs};
use crate::session::{Inner, Session};
use chrono::{DateTime, Local, NaiveDate, Offset, Utc};
use derbes::vault::lockfile;
use derbes::{Error, Passphrase, Vault, app::demo, base::paths};
use tauri::State;

fn state_of(s: &Inner) -> AppState {
    let is_demo = s
        .vault
        .as_ref()
        .is_some_and(|v| v.setting("demo").ok().flatten().as_deref() == Some("1"));
    AppState {
        version: env!("CARGO_PKG_VERSION"),
        language: s.prefs.language.code(),
        idle_minutes: s.prefs.idle_minutes,
        unlocked: s.vault.is_some(),
        is_demo,
        vault_path: s.vault.as_ref().map_or_else(
            || s.target.display().to_string(),
            |v| v.path().display().to_string(),
        ),
        demo_target: s.target == paths::demo_vault(),
        vault_exists: s.target.exists(),
        vault_in_use: s.vault.is_none() && s.target.exists() && lockfile::is_held(&s.target),
        demo_passphrase: demo::DEMO_PASSPHRASE,
        min_passphrase_len: derbes::base::passphrase::MIN_LEN,
        setup_pending: s
            .vault
            .as_ref()
            .is_some_and(|v| derbes::app::setup::pending(v).unwrap_or(false)),
    }
}

fn save_prefs(prefs: &Prefs) -> CmdResult<()> {
    prefs.save_to(&Prefs::file()).map_err(CommandError::from)
}

/// The page's state after a change made elsewhere (e.g. a restore).
pub fn app_state_of(session: &Session) -> AppState {
    let mut s = session.get();
    s.prefs.last_vault = Some(s.target.clone());
    let _ = save_prefs(&s.prefs);
    state_of(&s)
}

/// Whether the vault is still unlocked, without counting as activity: the page asks every few
/// seconds, to leave the data at once when the shell locked on sleep, screen lock or idle time.
#[tauri::command]
pub fn vault_is_unlocked(session: State<'_, Session>) -> bool {
    let mut s = session.get();
    s.lock_if_idle();
    s.vault.is_some()
}

#[tauri::command]
pub fn app_state(session: State<'_, Session>) -> AppState {
    static FIRST: std::sync::Once = std::sync::Once::new();
    FIRST.call_once(|| {
        if let Some(t) = crate::STARTED.get() {
            tracing::info!(
                ms = t.elapsed().as_millis() as u64,
                "page loaded and asked for its state"
            );
        }
    });
    let mut s = session.get();
    s.lock_if_idle();
    state_of(&s)
}

/// The names the page's lists offer (see `derbes::app::vocab`).
#[tauri::command]
pub fn vocab_list() -> derbes::app::vocab::Vocabularies {
    derbes::app::vocab::all()
}

#[tauri::command]
pub fn prefs_set_language(session: State<'_, Session>, language: String) -> CmdResult<AppState> {
    let mut s = session.get();
    s.prefs.language = Language::parse(&language)
        .ok_or_else(|| CommandError::new("prefs.unknown_language", "unknown language"))?;
    save_prefs(&s.prefs)?;
    Ok(state_of(&s))
}

#[tauri::command]
pub fn prefs_set_idle_minutes(session: State<'_, Session>, minutes: u32) -> CmdResult<AppState> {
    let mut s = session.get();
    s.prefs.idle_minutes = minutes.clamp(crate::prefs::IDLE_MIN, crate::prefs::IDLE_MAX);
    save_prefs(&s.prefs)?;
    Ok(state_of(&s))
}

#[tauri::command]
pub fn passphrase_strength(passphrase: String) -> &'static str {
    let p = zeroize::Zeroizing::new(passphrase);
    derbes::base::passphrase::strength(&p).code()
}

#[tauri::command(async)]
pub fn vault_create(
    session: State<'_, Session>,
    passphrase: String,
    confirm: String,
) -> CmdResult<AppState> {
    let confirm = zeroize::Zeroizing::new(confirm);
    let pass = Passphrase::new_secret(passphrase)?;
    if pass.bytes_eq(confirm.as_bytes()) {
        let mut s = session.get();
        let mut vault = Vault::create(&s.target, &pass, Utc::now())?;
        derbes::app::setup::begin(&mut vault, Utc::now())?;
        s.prefs.last_vault = Some(s.target.clone());
        let _ = save_prefs(&s.prefs);
        s.vault = Some(vault);
        s.last_activity = crate::session::BootTime::now();
        Ok(state_of(&s))
    } else {
        Err(Error::PassphraseMismatch.into())
    }
}

/// The first-run wizard is finished or skipped: the dashboard from now on.
#[tauri::command]
pub fn setup_finish(session: State<'_, Session>) -> CmdResult<AppState> {
    let mut s = session.get();
    let vault = s.vault.as_mut().ok_or(Error::Locked)?;
    derbes::app::setup::finish(vault, Utc::now())?;
    Ok(state_of(&s))
}

#[tauri::command(async)]
pub fn vault_unlock(
    window: tauri::WebviewWindow,
    session: State<'_, Session>,
    passphrase: String,
) -> CmdResult<AppState> {
    let pass = Passphrase::existing(passphrase)?;
    let mut s = session.get();
    s.lock_vault();
    let vault = Vault::open(&s.target, &pass, Utc::now())?;
    s.prefs.last_vault = Some(s.target.clone());
    let _ = save_prefs(&s.prefs);
    let mut vault = vault;
    // The mail folders are read first: what came in since the last unlock is registered before
    // the figures are counted. A folder that cannot be read (moved, unplugged) is shown on the
    // Requests area's mail tab; it does not stop the unlock.
    let from_mail = derbes::requests::mailbox::read_all(
        &mut vault,
        Local::now().offset().fix(),
        Local::now().date_naive(),
        Utc::now(),
    )
    .map(|all| {
        all.iter()
            .filter_map(|(_, r)| r.as_ref().ok())
            .map(|o| o.registered.len() as i64)
            .sum::<i64>()
    })
    .unwrap_or(0);
    // What is due, as a desktop notification (the first unlock is the start of the day's work).
    let today = Local::now().date_naive();
    if let Ok(f) = derbes::app::status::request_figures(vault.conn(), today) {
        // What is coming up, counted only (a notification never carries a name).
        let ahead = derbes::app::reminders::reminders(vault.conn(), today, None)
            .map(|r| r.count() as i64)
            .unwrap_or(0);
        crate::notify::due_requests(
            &window,
            s.prefs.language,
            f.overdue,
            f.due_today,
            from_mail,
            ahead,
        );
    }
    s.vault = Some(vault);
    s.last_activity = crate::session::BootTime::now();
    Ok(state_of(&s))
}

#[tauri::command(async)]
pub fn vault_open_demo(session: State<'_, Session>) -> CmdResult<AppState> {
    session.open_demo()?;
    Ok(state_of(&session.get()))
}

/// Lets the user pick another vault file in the native dialog; the window then unlocks that one.
#[tauri::command(async)]
pub fn vault_choose_file(session: State<'_, Session>, title: String) -> CmdResult<AppState> {
    let picked = crate::dialogs::open_file(&title, "Derbes", &["derbes"])?;
    let mut s = session.get();
    if let Some(path) = picked {
        s.lock_vault();
        s.target = path;
    }
    Ok(state_of(&s))
}

/// Leaves the demo (or another file) for the user's own vault at the default location.
#[tauri::command]
pub fn vault_select_default(session: State<'_, Session>) -> AppState {
    let mut s = session.get();
    s.lock_vault();
    s.target = paths::default_vault();
    state_of(&s)
}

#[tauri::command]
pub fn vault_lock(session: State<'_, Session>) -> AppState {
    let mut s = session.get();
    s.lock_vault();
    state_of(&s)
}

/// The page reports user activity (throttled) so that the idle lock counts from the last input.
#[tauri::command]
pub fn session_touch(session: State<'_, Session>) -> bool {
    let mut s = session.get();
    if s.lock_if_idle() {
        return false;
    }
    s.last_activity = crate::session::BootTime::now();
    s.vault.is_some()
}

/// Runs `f` on the unlocked vault with today's date in the office and this moment — what the
/// core's calls take (`vault.locked` when there is none, after the idle check).
pub fn with_vault<T>(
    session: &Session,
    f: impl FnOnce(&mut Vault, NaiveDate, DateTime<Utc>) -> derbes::Result<T>,
) -> CmdResult<T> {
    let mut s = session.get();
    s.lock_if_idle();
    let vault = s.vault.as_mut().ok_or(Error::Locked)?;
    Ok(f(vault, Local::now().date_naive(), Utc::now())?)
}

#[tauri::command]
pub fn vault_status(session: State<'_, Session>) -> CmdResult<derbes::app::status::Status> {
    with_vault(&session, |v, today, _| {
        derbes::app::status::status(v, today)
    })
}

#[tauri::command(async)]
pub fn vault_change_passphrase(
    session: State<'_, Session>,
    current: String,
    passphrase: String,
    confirm: String,
) -> CmdResult<()> {
    let current = Passphrase::existing(current)?;
    let confirm = zeroize::Zeroizing::new(confirm);
    let new = Passphrase::new_secret(passphrase)?;
    if !new.bytes_eq(confirm.as_bytes()) {
        return Err(Error::PassphraseMismatch.into());
    }
    with_vault(&session, |v, _, now| {
        v.verify_passphrase(&current)?;
        v.change_passphrase(&new, now)
    })
}
