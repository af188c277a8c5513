//! The core's layers, read from its sources: every module imports only its own layer and the
//! layers below it, and no modules import each other in a circle (the table is in `src/lib.rs`
//! and `ARCHITECTURE.md`). A path written out in code counts as an import as much as a `use`;
//! doc comments and a module's own tests do not.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each folder's layer; the longest prefix of a module's path decides.
const LAYERS: &[(&str, u8)] = &[
    ("error", 1),
    ("base", 1),
    ("files", 2),
    ("vault", 3),
    ("registry", 4),
    ("requests", 5),
    ("erasure::record", 5),
    ("documents", 6),
    ("erasure", 7),
    ("app", 8),
];

/// What the crate root re-exports, by the module that defines it.
const ROOT_NAMES: &[(&str, &str)] = &[
    ("Error", "error"),
    ("FieldIssue", "error"),
    ("Result", "error"),
    ("Iin", "base::iin"),
    ("Passphrase", "base::passphrase"),
    ("RequestKind", "base::request_kind"),
    ("Vault", "vault"),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS
        .iter()
        .filter(|(prefix, _)| module == *prefix || module.starts_with(&format!("{prefix}::")))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, l)| *l)
}

struct Module {
    path: String,
    file: PathBuf,
    /// The code, without comments and without the `#[cfg(test)]` module at the end.
    code: String,
    /// Child modules declared with `mod name;` (for paths relative to this module).
    children: Vec<String>,
}

fn module_path(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts.join("::")
}

fn strip(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            // The module's tests come last in every file of this crate.
            break;
        }
        let code = match line.find("//") {
            Some(i) => &line[..i],
            None => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths `crate::…` and `super::…` in the code, groups expanded: `crate::a::{b, c::d}` gives
/// `a::b` and `a::c::d` (each absolute, from the crate root).
fn paths(module: &Module) -> Vec<String> {
    let code = &module.code;
    let mut found = Vec::new();
    let own: Vec<&str> = if module.path.is_empty() {
        vec![]
    } else {
        module.path.split("::").collect()
    };
    let is_mod_rs = module.file.ends_with("mod.rs");
    let bytes: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < bytes.len() {
        let at_word = i == 0 || !ident_char(bytes[i - 1]);
        let rest: String = bytes[i..bytes.len().min(i + 7)].iter().collect();
        let (start, base): (usize, Vec<String>) = if at_word && rest.starts_with("crate::") {
            (i + 7, vec![])
        } else if at_word && rest.starts_with("super::") {
            // `super` of a file module is its folder; of a folder's `mod.rs`, the folder above.
            let mut b: Vec<String> = own.iter().map(|s| s.to_string()).collect();
            b.pop();
            (i + 7, b)
        } else {
            i += 1;
            continue;
        };
        let (items, end) = expand(&bytes, start);
        for item in items {
            let mut full = base.clone();
            full.extend(item.split("::").map(str::to_owned));
            found.push(full.join("::"));
        }
        i = end;
    }
    // A folder's `mod.rs` names its children without `crate::` or `self::`.
    if is_mod_rs {
        for child in &module.children {
            let needle = format!("{child}::");
            let mut from = 0;
            while let Some(k) = code[from..].find(&needle) {
                let at = from + k;
                let before = code[..at].chars().next_back();
                if before.is_none_or(|c| !ident_char(c) && c != ':') {
                    found.push(format!("{}::{child}", module.path));
                }
                from = at + needle.len();
            }
        }
    }
    found
}

/// Reads a path or a `{…}` group from `at`; returns the items and where it ended.
fn expand(chars: &[char], at: usize) -> (Vec<String>, usize) {
    let mut i = at;
    let mut prefix = String::new();
    loop {
        let start = i;
        while i < chars.len() && ident_char(chars[i]) {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        if word.is_empty() {
            if i < chars.len() && chars[i] == '{' {
                let mut out = Vec::new();
                i += 1;
                loop {
                    while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
                        i += 1;
                    }
                    if i >= chars.len() || chars[i] == '}' {
                        i += 1;
                        break;
                    }
                    let (items, end) = expand(chars, i);
                    for item in items {
                        out.push(format!("{prefix}{item}"));
                    }
                    i = end;
                    // Skip `as name` and the like up to the next item.
                    while i < chars.len() && chars[i] != ',' && chars[i] != '}' {
                        i += 1;
                    }
                }
                return (out, i);
            }
            return (vec![prefix.trim_end_matches("::").to_owned()], i);
        }
        prefix.push_str(&word);
        if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
            prefix.push_str("::");
            i += 2;
        } else {
            return (vec![prefix], i);
        }
    }
}

fn modules() -> Vec<Module> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                // The CLI is a front-end, not part of the library's layers.
                if path.file_name().is_some_and(|n| n != "bin") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).expect("a source file");
            let children = text
                .lines()
                .filter_map(|l| {
                    let l = l.trim();
                    let l = l
                        .strip_prefix("pub(crate) ")
                        .or_else(|| l.strip_prefix("pub "))
                        .unwrap_or(l);
                    l.strip_prefix("mod ")?.strip_suffix(';').map(str::to_owned)
                })
                .collect();
            Module {
                path: module_path(&src, &file),
                code: strip(&text),
                file,
                children,
            }
        })
        .collect()
}

/// The module a path points into: its longest prefix that is a module of the crate.
fn resolve(path: &str, known: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    for n in (1..=parts.len()).rev() {
        let candidate = parts[..n].join("::");
        if known.contains(&candidate) {
            return Some(candidate);
        }
    }
    let first = parts.first()?;
    ROOT_NAMES
        .iter()
        .find(|(name, _)| name == first)
        .map(|(_, m)| m.to_string())
}

/// Module → the modules it imports (not itself, not the crate root).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let known: BTreeSet<String> = modules.iter().map(|m| m.path.clone()).collect();
    let mut g = BTreeMap::new();
    for m in &modules {
        if m.path.is_empty() {
            continue;
        }
        let targets: BTreeSet<String> = paths(m)
            .iter()
            .filter_map(|p| resolve(p, &known))
            .filter(|t| t != &m.path && !t.is_empty())
            .collect();
        g.insert(m.path.clone(), targets);
    }
    g
}

#[test]
fn every_module_of_the_core_has_a_layer() {
    let g = graph();
    assert!(g.len() > 40, "the sources were read ({} modules)", g.len());
    let without: Vec<&String> = g.keys().filter(|m| layer(m).is_none()).collect();
    assert!(
        without.is_empty(),
        "modules outside every layer: {without:?}"
    );
}

#[test]
fn no_module_imports_a_higher_layer() {
    let mut up = Vec::new();
    for (from, targets) in graph() {
        let Some(own) = layer(&from) else { continue };
        for to in targets {
            if let Some(theirs) = layer(&to)
                && theirs > own
            {
                up.push(format!(
                    "{from} (layer {own}) imports {to} (layer {theirs})"
                ));
            }
        }
    }
    assert!(up.is_empty(), "imports up a layer:\n{}", up.join("\n"));
}

#[test]
fn no_modules_import_each_other_in_a_circle() {
    let g = graph();
    // Depth-first search; a node met again while still on the path closes a circle.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
        circles: &mut Vec<String>,
    ) {
        state.insert(n.to_owned(), 1);
        path.push(n.to_owned());
        for next in g.get(n).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let at = path.iter().position(|p| p == next).unwrap_or(0);
                    let mut circle = path[at..].to_vec();
                    circle.push(next.clone());
                    circles.push(circle.join(" → "));
                }
                Some(_) => {}
                None => visit(next, g, state, path, circles),
            }
        }
        path.pop();
        state.insert(n.to_owned(), 2);
    }
    let (mut state, mut circles) = (BTreeMap::new(), Vec::new());
    for n in g.keys() {
        if !state.contains_key(n.as_str()) {
            visit(n, &g, &mut state, &mut Vec::new(), &mut circles);
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

/// The reader itself: a grouped import, a `super` path and a path written in code are all seen.
#[test]
fn the_reader_sees_grouped_relative_and_inline_paths() {
    let m = Module {
        path: "registry::card".into(),
        file: PathBuf::from("src/registry/card.rs"),
        code: strip(
            "use crate::{base::{fold, iin::Iin}, vault::Vault as V};\n\
             use super::consent;\n\
             // crate::app::demo in a comment is not an import\n\
             fn f() { crate::requests::request::get(); }\n\
             #[cfg(test)]\nmod tests { use crate::app::demo; }\n",
        ),
        children: vec![],
    };
    let found = paths(&m);
    assert_eq!(
        found,
        [
            "base::fold",
            "base::iin::Iin",
            "vault::Vault",
            "registry::consent",
            "requests::request::get"
        ]
    );
}

/// A migration means the same thing forever: its seeds use no code of the crate that can change
/// (the calendar's tables, the default terms, the search index), only the journal they write to.
#[test]
fn migrations_call_no_code_that_can_change() {
    let g = graph();
    for m in ["vault::migration", "vault::migration::seeds"] {
        let uses: Vec<&String> = g
            .get(m)
            .unwrap_or_else(|| panic!("{m} is read"))
            .iter()
            .filter(|t| {
                !["error", "vault::journal", "vault::migration::seeds"].contains(&t.as_str())
            })
            .collect();
        assert!(uses.is_empty(), "{m} calls into {uses:?}");
    }
}
