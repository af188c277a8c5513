//! A bare Tauri window with a one-line page and no commands: what any Tauri app costs, measured
//! the same way as Derbes' window (tests/e2e: `window_memory_against_a_bare_tauri_window`).
fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("bare-window: {e}");
        std::process::exit(1);
    }
}
