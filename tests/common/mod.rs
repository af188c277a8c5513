//! Helpers shared by the integration tests.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use derbes::{Passphrase, Vault};
use std::path::{Path, PathBuf};

pub const PASS: &str = "correct horse battery staple";

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0)
        .single()
        .expect("valid time")
}

pub fn pass(s: &str) -> Passphrase {
    Passphrase::existing(s).expect("non-empty")
}

pub struct TempVault {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TempVault {
    pub fn new() -> TempVault {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("vault.derbes");
        TempVault { dir, path }
    }

    pub fn create(&self) -> Vault {
        Vault::create(&self.path, &pass(PASS), now()).expect("create")
    }

    pub fn open(&self) -> derbes::Result<Vault> {
        Vault::open(&self.path, &pass(PASS), now())
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

pub fn bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).expect("read file")
}

/// The date the tests run on: the day of [`now`].
pub fn today() -> chrono::NaiveDate {
    now().date_naive()
}

/// A vault with people, requests and issued letters.
pub fn filled(t: &TempVault) -> derbes::Vault {
    let mut v = t.create();
    derbes::app::demo::populate(
        &mut v,
        derbes::app::demo::Spec {
            subjects: 300,
            requests: 60,
            seed: 3,
        },
        today(),
        now(),
    )
    .unwrap();
    derbes::app::demo::letterhead(&mut v, now()).unwrap();
    derbes::app::demo::issue_examples(&mut v, today(), now()).unwrap();
    v
}

pub fn count(v: &derbes::Vault, table: &str) -> i64 {
    v.conn()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

pub fn add_person(v: &mut derbes::Vault, iin: &str) -> i64 {
    let input = derbes::registry::subject::SubjectInput {
        iin: iin.into(),
        surname: "Жаңабаев".into(),
        given_name: "Ерлан".into(),
        ..Default::default()
    };
    derbes::registry::subject::create(v, &input, today(), now()).unwrap()
}

pub fn backups(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| derbes::app::backup::made_at(p).is_some())
        .collect();
    v.sort();
    v
}
