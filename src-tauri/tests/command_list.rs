//! The commands are declared once (`command_list.rs`): the capability file grants exactly them and
//! the page's `api.js` calls exactly them.

use std::collections::BTreeSet;

// The list itself, as `build.rs` reads it.
include!("../src/command_list.rs");

macro_rules! names {
    ($($module:ident :: $command:ident),* $(,)?) => {
        [$(stringify!($command)),*]
    };
}

fn declared() -> BTreeSet<String> {
    let list: &[&str] = &for_each_command!(names);
    let set: BTreeSet<String> = list.iter().map(|s| s.to_string()).collect();
    assert_eq!(set.len(), list.len(), "a command is declared twice");
    set
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel))
        .unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_capability_grants_exactly_the_declared_commands() {
    let cap: serde_json::Value =
        serde_json::from_str(&read("capabilities/main-window.json")).expect("capability JSON");
    let granted: BTreeSet<String> = cap["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .map(|p| {
            let p = p.as_str().expect("a permission by name");
            p.strip_prefix("allow-")
                .unwrap_or_else(|| panic!("only the app's own commands are granted, not {p}"))
                .replace('-', "_")
        })
        .collect();
    assert_eq!(granted, declared());
}

#[test]
fn the_page_calls_exactly_the_declared_commands() {
    let api = read("../ui/js/api.js");
    let called: BTreeSet<String> = api
        .split("call('")
        .skip(1)
        .filter_map(|rest| rest.split('\'').next())
        .map(str::to_owned)
        .collect();
    assert_eq!(called, declared());
    // `api.js` is the only module that invokes, in every folder of the page.
    let mut folders = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/js")];
    let mut modules = 0;
    while let Some(dir) = folders.pop() {
        for entry in std::fs::read_dir(&dir).expect("ui/js").flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "js") && !path.ends_with("api.js") {
                let text = std::fs::read_to_string(&path).expect("a module");
                assert!(!text.contains("invoke("), "{} invokes", path.display());
                modules += 1;
            }
        }
    }
    assert!(
        modules > 20,
        "the page's modules were not found ({modules})"
    );
}

#[test]
fn one_naming_scheme_area_then_verb() {
    // Verbs only ever come after the area (`subject_create`, never `create_subject`).
    const VERBS: &[&str] = &[
        "add", "create", "export", "get", "list", "record", "remove", "save", "search", "set",
        "update", "withdraw", "clean", "open", "choose", "select", "change", "refuse",
    ];
    for c in declared() {
        let first = c.split('_').next().unwrap_or_default();
        assert!(!VERBS.contains(&first), "{c} starts with a verb");
    }
}
