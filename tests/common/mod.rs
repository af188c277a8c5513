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
