//! The window's message catalogues: the three languages have the same keys, plural messages have
//! the forms their language needs, and every key the page asks for by name exists.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn catalogue(code: &str) -> serde_json::Map<String, Value> {
    let p = root().join(format!("ui/i18n/{code}.json"));
    match serde_json::from_str(&std::fs::read_to_string(&p).expect("read")).expect("JSON") {
        Value::Object(m) => m,
        _ => panic!("{code}.json is not an object"),
    }
}

#[test]
fn the_three_catalogues_have_the_same_keys_and_their_plural_forms() {
    let ru = catalogue("ru");
    let kk = catalogue("kk");
    let en = catalogue("en");
    let keys = |m: &serde_json::Map<String, Value>| m.keys().cloned().collect::<BTreeSet<_>>();
    let (r, k, e) = (keys(&ru), keys(&kk), keys(&en));
    assert_eq!(
        r.difference(&e).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "in ru, not en"
    );
    assert_eq!(
        e.difference(&r).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "in en, not ru"
    );
    assert_eq!(
        e.difference(&k).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "in en, not kk"
    );
    assert_eq!(
        k.difference(&e).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "in kk, not en"
    );
    for (code, m, forms) in [
        ("ru", &ru, &["one", "few", "many", "other"][..]),
        ("kk", &kk, &["one", "other"][..]),
        ("en", &en, &["one", "other"][..]),
    ] {
        for (key, v) in m {
            match v {
                Value::String(s) => assert!(!s.trim().is_empty(), "{code} {key} is empty"),
                Value::Object(o) => {
                    for f in forms {
                        assert!(o.contains_key(*f), "{code} {key} lacks the plural form {f}");
                    }
                }
                _ => panic!("{code} {key}: a string or plural forms"),
            }
        }
    }
}

fn scripts(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() && !p.ends_with("vendor") {
            scripts(&p, out);
        } else if p.extension().is_some_and(|x| x == "js") {
            out.push(p);
        }
    }
}

#[test]
fn every_key_the_page_names_exists() {
    let en = catalogue("en");
    let mut files = Vec::new();
    scripts(&root().join("ui/js"), &mut files);
    assert!(files.len() > 10, "found the page's modules");
    let mut missing = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        // t('literal.key' …): keys built at run time (`kind.${k}`) are checked by their own tests.
        for (i, _) in text.match_indices("t('") {
            let before = text[..i].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let rest = &text[i + 3..];
            let Some(end) = rest.find('\'') else { continue };
            let key = &rest[..end];
            if !en.contains_key(key) {
                missing.push(format!(
                    "{}: {key}",
                    f.file_name().unwrap_or_default().to_string_lossy()
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys missing from the catalogues: {missing:?}"
    );
}

#[test]
fn every_document_kind_and_error_code_has_its_text() {
    let en = catalogue("en");
    for k in derbes::documents::letters::Kind::ALL {
        assert!(
            en.contains_key(&format!("doc.{}", k.name())),
            "doc.{}",
            k.name()
        );
    }
    for code in ["print.no_printer", "print.failed"] {
        assert!(en.contains_key(&format!("error.{code}")), "error.{code}");
    }
}

/// Every name the page's lists offer (from the core, `app::vocab`) has its words in the three
/// catalogues, under the key the page builds for it.
#[test]
fn every_name_the_lists_offer_has_its_words() {
    let v = derbes::app::vocab::all();
    let lists: [(&str, &[&str]); 12] = [
        ("kind", &v.request_kinds),
        ("relation", &v.representative_relations),
        ("cancel", &v.cancel_reasons),
        ("rstatus", &v.request_statuses),
        ("channel", &v.request_channels),
        ("identity", &v.identity_methods),
        ("pause", &v.pause_reasons),
        ("form", &v.consent_forms),
        ("channel", &v.withdrawal_channels),
        ("basis", &v.holding_bases),
        ("transfer.basis", &v.transfer_bases),
        ("doc", &v.letter_kinds),
    ];
    let mut missing = Vec::new();
    for lang in ["ru", "kk", "en"] {
        let c = catalogue(lang);
        for (prefix, names) in lists {
            assert!(!names.is_empty(), "{prefix}: an empty list");
            for name in names {
                let key = format!("{prefix}.{name}");
                if !c.contains_key(&key) {
                    missing.push(format!("{lang}: {key}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{missing:?}");
}
