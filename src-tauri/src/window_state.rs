//! The window comes back where it was: its place, size and maximized state are kept in the
//! preferences when it closes and applied when it opens (issue 10).

use crate::prefs::Geometry;
use tauri::{PhysicalPosition, PhysicalSize, Runtime, WebviewWindow, Window};

/// How much of the window's title bar must be on a screen for the saved place to be used.
const VISIBLE: i32 = 80;

/// Puts the window at `saved`: the size always, the place only if it is still on a screen (a
/// laptop without its second monitor), maximized if it was.
pub fn restore<R: Runtime>(window: &WebviewWindow<R>, saved: Option<Geometry>) {
    let Some(g) = saved else {
        return;
    };
    let on_screen = window.available_monitors().is_ok_and(|monitors| {
        monitors.iter().any(|m| {
            let (p, s) = (m.position(), m.size());
            let (right, bottom) = (
                p.x.saturating_add(i32::try_from(s.width).unwrap_or(i32::MAX)),
                p.y.saturating_add(i32::try_from(s.height).unwrap_or(i32::MAX)),
            );
            g.x.saturating_add(VISIBLE) > p.x
                && g.x < right.saturating_sub(VISIBLE)
                && g.y >= p.y
                && g.y < bottom.saturating_sub(VISIBLE)
        })
    });
    let _ = window.set_size(PhysicalSize::new(g.width, g.height));
    if on_screen {
        let _ = window.set_position(PhysicalPosition::new(g.x, g.y));
    }
    if g.maximized {
        let _ = window.maximize();
    }
}

/// Where the window is now; when maximized, the place and size it had before (`before`), so that
/// unmaximizing next time returns there.
pub fn current<R: Runtime>(window: &Window<R>, before: Option<Geometry>) -> Option<Geometry> {
    let maximized = window.is_maximized().unwrap_or(false);
    if maximized && let Some(b) = before {
        return Some(Geometry {
            maximized: true,
            ..b
        });
    }
    let pos = window.outer_position().ok()?;
    let size = window.inner_size().ok()?;
    Some(Geometry {
        x: pos.x,
        y: pos.y,
        width: size.width,
        height: size.height,
        maximized,
    })
}
