//! The page's modules (`ui/js`, plain ES modules, no bundler): every import names a module that
//! exists and a name it exports, no module reaches itself through its imports (issue 17: a circle
//! made the requests, the card and the registers load in an order that only happened to work), and
//! the folders keep their order — `main.js` and `frame.js` above the `screens/`, a screen never
//! importing another, `sections/` (parts of screens) never importing a screen, `widgets/` only
//! widgets and the base modules (`api`, `dom`, `i18n`, `format`, `vocab`).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

fn js_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/js")
}

/// `a/b/../c.js` → `a/c.js`, without touching the disk.
fn normal(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Every module under `ui/js` with the modules it imports (absolute paths).
fn graph() -> BTreeMap<PathBuf, Vec<PathBuf>> {
    let root = js_root();
    let mut out = BTreeMap::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = e.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|x| x != "js") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let mut deps = Vec::new();
            for line in text.lines() {
                let line = line.trim_start();
                if !line.starts_with("import ") && !line.starts_with("export ") {
                    continue;
                }
                let Some(from) = line.split(" from '").nth(1) else {
                    continue;
                };
                let spec = from.split('\'').next().unwrap();
                deps.push(normal(&path.parent().unwrap().join(spec)));
            }
            out.insert(normal(&path), deps);
        }
    }
    out
}

#[test]
fn every_import_names_a_module_that_exists() {
    let g = graph();
    assert!(g.len() > 20, "{} modules", g.len());
    for (m, deps) in &g {
        for d in deps {
            // The vendored Tauri API lives outside ui/js.
            let exists = g.contains_key(d) || d.is_file();
            assert!(
                exists,
                "{} imports {}, which is not there",
                m.display(),
                d.display()
            );
        }
    }
}

#[test]
fn no_module_imports_itself_through_others() {
    let g = graph();
    // Depth-first, with the path so far: a module met again on its own path closes a circle.
    fn visit(
        g: &BTreeMap<PathBuf, Vec<PathBuf>>,
        m: &PathBuf,
        path: &mut Vec<PathBuf>,
        done: &mut std::collections::BTreeSet<PathBuf>,
    ) {
        if let Some(i) = path.iter().position(|p| p == m) {
            let circle: Vec<_> = path[i..].iter().map(|p| p.display().to_string()).collect();
            panic!(
                "an import circle: {} -> {}",
                circle.join(" -> "),
                m.display()
            );
        }
        if done.contains(m) {
            return;
        }
        path.push(m.clone());
        for d in g.get(m).into_iter().flatten() {
            visit(g, d, path, done);
        }
        path.pop();
        done.insert(m.clone());
    }
    let mut done = Default::default();
    for m in g.keys() {
        visit(&g, m, &mut Vec::new(), &mut done);
    }
}

/// A module's folder under `ui/js`: `""` for the top (main, frame, and the base modules).
fn folder(m: &Path) -> String {
    let rel = m.strip_prefix(js_root()).unwrap_or(m);
    match rel.parent().and_then(|p| p.to_str()) {
        Some("") | None => String::new(),
        Some(p) => p.to_owned(),
    }
}

const BASE: [&str; 5] = ["api.js", "dom.js", "i18n.js", "format.js", "vocab.js"];

fn is_base(m: &Path) -> bool {
    folder(m).is_empty() && BASE.iter().any(|b| m.ends_with(b))
}

#[test]
fn screens_sections_and_widgets_keep_their_order() {
    let g = graph();
    let mut wrong = Vec::new();
    for (m, deps) in &g {
        let from = folder(m);
        for d in deps.iter().filter(|d| d.starts_with(js_root())) {
            let to = folder(d);
            let allowed = match from.as_str() {
                // Not another screen, nor main or the frame: sections, widgets, the base.
                "screens" => to != "screens" && (!to.is_empty() || is_base(d)),
                "sections" => to == "sections" || to == "widgets" || is_base(d),
                "widgets" => to == "widgets" || is_base(d),
                // The base modules import only one another; main and frame anything below them.
                "" if is_base(m) => is_base(d),
                "" => true,
                other => panic!("{}: a folder the page does not have ({other})", m.display()),
            };
            if !allowed {
                wrong.push(format!("{} imports {}", m.display(), d.display()));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    for f in ["screens", "sections", "widgets"] {
        assert!(g.keys().any(|m| folder(m) == f), "no module in {f}/");
    }
}

#[test]
fn every_imported_name_is_exported() {
    let g = graph();
    let exported = |m: &Path| -> Vec<String> {
        let text = std::fs::read_to_string(m).unwrap();
        text.lines()
            .filter_map(|l| l.strip_prefix("export "))
            .filter_map(|l| {
                let l = l.strip_prefix("async ").unwrap_or(l);
                let rest = ["function ", "const ", "let ", "class "]
                    .iter()
                    .find_map(|k| l.strip_prefix(k))?;
                Some(
                    rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                        .next()?
                        .to_owned(),
                )
            })
            .collect()
    };
    let mut missing = Vec::new();
    for m in g.keys() {
        let text = std::fs::read_to_string(m).unwrap();
        for line in text.lines().filter(|l| l.starts_with("import { ")) {
            let (names, rest) = line["import { ".len()..].split_once(" } from '").unwrap();
            let target = normal(&m.parent().unwrap().join(rest.trim_end_matches("';")));
            if !g.contains_key(&target) {
                continue;
            }
            let there = exported(&target);
            for n in names
                .split(',')
                .map(|n| n.trim().split(" as ").next().unwrap())
            {
                if !there.iter().any(|e| e == n) {
                    missing.push(format!(
                        "{} imports {n} from {}",
                        m.display(),
                        target.display()
                    ));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}
