//! A desktop notification when the vault is unlocked and requests are overdue or due today
//! (issue 10): the administrator sees it even with the window behind others. Sent through GLib's
//! notification API on the window's GTK application, which uses the desktop's service (GNOME's
//! own, or the freedesktop one that others provide); without one nothing is shown and nothing
//! fails. Counts only: a notification never carries a name.

use crate::prefs::Language;
use tauri::{Runtime, WebviewWindow};

/// The notification's title and body, or `None` when nothing is due and nothing came by mail.
pub fn text(
    lang: Language,
    overdue: i64,
    today: i64,
    from_mail: i64,
    ahead: i64,
) -> Option<(&'static str, String)> {
    if overdue <= 0 && today <= 0 && from_mail <= 0 && ahead <= 0 {
        return None;
    }
    let (title, late, due, mail, soon) = match lang {
        Language::Ru => (
            "Derbes: обращения ждут ответа",
            "Просрочено",
            "Срок сегодня",
            "Новых из почты",
            "Напоминаний на главной",
        ),
        Language::Kk => (
            "Derbes: өтініштер жауап күтуде",
            "Мерзімі өткен",
            "Мерзімі бүгін",
            "Поштадан жаңа",
            "Басты беттегі ескертулер",
        ),
        Language::En => (
            "Derbes: requests are waiting",
            "Overdue",
            "Due today",
            "New from mail",
            "Reminders on the dashboard",
        ),
    };
    let mut body = format!("{late}: {overdue}. {due}: {today}.");
    if from_mail > 0 {
        body.push_str(&format!(" {mail}: {from_mail}."));
    }
    if ahead > 0 {
        body.push_str(&format!(" {soon}: {ahead}."));
    }
    Some((title, body))
}

/// Shows the notification for these counts (on the GTK main thread, where GLib wants it).
pub fn due_requests<R: Runtime>(
    window: &WebviewWindow<R>,
    lang: Language,
    overdue: i64,
    today: i64,
    from_mail: i64,
    ahead: i64,
) {
    let Some((title, body)) = text(lang, overdue, today, from_mail, ahead) else {
        return;
    };
    let w = window.clone();
    let sent = window.run_on_main_thread(move || {
        use gtk::prelude::{ApplicationExt, GtkWindowExt};
        let Some(app) = w.gtk_window().ok().and_then(|g| g.application()) else {
            return;
        };
        let n = gtk::gio::Notification::new(title);
        n.set_body(Some(&body));
        n.set_priority(gtk::gio::NotificationPriority::High);
        // One notification id: a later unlock replaces it rather than adding another.
        app.send_notification(Some("derbes-due-requests"), &n);
    });
    if let Err(e) = sent {
        tracing::warn!(error = %e, "notification not sent");
    }
}
