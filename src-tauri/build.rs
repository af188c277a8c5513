// Every app command gets its own `allow-<command>` permission; without an AppManifest, Tauri would
// allow every command to every window whatever the capability files say.
include!("src/command_list.rs");

/// The names of the commands, from the one list the handler is built from.
macro_rules! names {
    ($($module:ident :: $command:ident),* $(,)?) => {
        &[$(stringify!($command)),*]
    };
}

const COMMANDS: &[&str] = for_each_command!(names);

fn main() {
    println!("cargo:rerun-if-changed=src/command_list.rs");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
