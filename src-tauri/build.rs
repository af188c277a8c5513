// Every app command gets its own `allow-<command>` permission; without an AppManifest, Tauri would
// allow every command to every window whatever the capability files say.
const COMMANDS: &[&str] = &[
    "app_state",
    "set_language",
    "set_idle_minutes",
    "passphrase_strength",
    "create_vault",
    "unlock",
    "open_demo",
    "choose_vault_file",
    "select_default_vault",
    "lock",
    "touch",
    "status",
    "change_passphrase",
    "catalogs",
    "search_subjects",
    "create_subject",
    "update_subject",
    "subject_card",
    "record_consent",
    "withdraw_consent",
    "refuse_marketing",
    "add_holding",
    "remove_holding",
    "suppression_list",
    "import_open",
    "import_remap",
    "import_commit",
    "export_subjects",
    "export_suppression",
    "clean_mailing_list",
    "journal_recent",
    "journal_verify",
    "save_catalog_item",
    "add_policy_version",
    "request_list",
    "request_get",
    "request_create",
    "request_duplicates",
    "request_step",
    "intake_open_eml",
    "intake_paste",
    "calendar_year",
    "calendar_set",
    "calendar_import",
    "report_period",
    "report_export_csv",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}
