//! Every page of a vault file authenticated, as SQLCipher's `PRAGMA cipher_integrity_check` does,
//! but with the HMAC keyed once for the whole file: SQLCipher's OpenSSL provider fetches and keys
//! a MAC for every page, which made its check of a 174 MiB vault take 0.8–1.0 s of the live
//! check's 1.5 s budget (benches/vault.rs); this takes a fraction of that.
//!
//! The page format is SQLCipher 4's with its defaults, which every vault has (nothing here sets a
//! `cipher_*` pragma): 4096-byte pages, each ending in 80 reserved bytes — the 16-byte IV, then the
//! 64-byte HMAC-SHA512 of the encrypted content and the IV followed by the page number as 4 bytes,
//! little-endian. Page 1 begins with the 16-byte salt, which is not covered. The lock-byte page
//! (the one holding byte 2³⁰, in files over 1 GiB) is never written and is skipped, as SQLCipher
//! skips it. Source: sqlcipher.c of SQLCipher 4.20 (`sqlcipher_page_hmac`,
//! `sqlcipher_codec_ctx_integrity_check`); `tests/vault.rs` checks that both name the same pages.

use super::keying::{RawKey, SALT_LEN};
use crate::error::{Error, Result};
use std::os::raw::{c_int, c_uint};
use std::os::unix::fs::FileExt;
use std::path::Path;

pub const PAGE: usize = 4096;
const HMAC_LEN: usize = 64;
/// SQLite's lock-byte page at this page size (`PENDING_BYTE / page size + 1`).
const LOCK_BYTE_PAGE: u64 = 0x4000_0000 / PAGE as u64 + 1;
/// Pages read at a time.
const CHUNK: usize = 256;
/// How many failing pages are listed.
const LIST: usize = 20;

/// What the authentication found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Pages in the file (a partial page at the end counts).
    pub pages: u64,
    /// The first failing pages (up to 20), by number from 1.
    pub bad: Vec<u64>,
    pub total_bad: usize,
}

/// Reads the file at `path` page by page and checks each page's HMAC under `key`.
pub fn authenticate(path: &Path, key: &RawKey) -> Result<Outcome> {
    authenticate_in(path, key, 1)
}

/// [`authenticate`] shared by `threads` threads, each taking an equal run of pages with a MAC of
/// its own (a backup's check runs alone, so it takes every core: SHA-512 is the whole cost).
pub fn authenticate_in(path: &Path, key: &RawKey, threads: usize) -> Result<Outcome> {
    let hmac_key = key.hmac_key()?;
    let file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    let whole = len / PAGE as u64;
    let threads = threads.clamp(1, 8) as u64;
    let share = whole.div_ceil(threads).max(1);
    let parts: Vec<Result<Found>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (file, hmac_key) = (&file, &hmac_key);
                let first = t * share + 1;
                let last = ((t + 1) * share).min(whole);
                s.spawn(move || check_run(file, &hmac_key[..], first, last))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut out = Outcome {
        pages: whole + u64::from(len % PAGE as u64 != 0),
        bad: Vec::new(),
        total_bad: 0,
    };
    // The runs are in page order, so their first failures are too.
    for part in parts {
        let part = part?;
        out.total_bad += part.total;
        out.bad.extend(part.first);
    }
    if len % PAGE as u64 != 0 {
        // A partial page at the end: the file was cut.
        out.total_bad += 1;
        out.bad.push(whole + 1);
    }
    out.bad.truncate(LIST);
    Ok(out)
}

/// The failing pages of one run.
struct Found {
    first: Vec<u64>,
    total: usize,
}

/// Checks pages `first..=last` (numbered from 1) of `file`.
fn check_run(file: &std::fs::File, key: &[u8], first: u64, last: u64) -> Result<Found> {
    let mut mac = PageMac::new(key)?;
    let mut found = Found {
        first: Vec::new(),
        total: 0,
    };
    let mut buf = vec![0u8; CHUNK * PAGE];
    let mut at = first;
    while at <= last {
        let count = (last - at + 1).min(CHUNK as u64) as usize;
        let chunk = &mut buf[..count * PAGE];
        file.read_exact_at(chunk, (at - 1) * PAGE as u64)?;
        for (i, page) in chunk.chunks_exact(PAGE).enumerate() {
            let number = at + i as u64;
            if number == LOCK_BYTE_PAGE {
                continue;
            }
            let start = if number == 1 { SALT_LEN } else { 0 };
            let (covered, stored) = page.split_at(PAGE - HMAC_LEN);
            // Page numbers of a vault fit in 4 bytes (SQLite's own limit).
            if !mac.matches(&covered[start..], number as u32, stored) {
                found.total += 1;
                if found.first.len() < LIST {
                    found.first.push(number);
                }
            }
        }
        at += count as u64;
    }
    Ok(found)
}

/// HMAC-SHA512 keyed once: OpenSSL's HMAC context keeps the key's inner and outer pads, and
/// `HMAC_Init_ex` with no key and no digest starts the next page from them. The same OpenSSL as
/// SQLCipher's, with its SHA-512 in assembly (the `sha2` crate took twice as long).
struct PageMac(*mut openssl_sys::HMAC_CTX);

impl PageMac {
    fn new(key: &[u8]) -> Result<PageMac> {
        // SAFETY: HMAC_CTX_new has no preconditions; a null result is handled.
        let ctx = unsafe { openssl_sys::HMAC_CTX_new() };
        if ctx.is_null() {
            return Err(Error::NotAVault);
        }
        let mac = PageMac(ctx);
        // SAFETY: `ctx` is a fresh context; the key is valid for its length during the call;
        // EVP_sha512 returns a static digest description.
        let ok = unsafe {
            openssl_sys::HMAC_Init_ex(
                mac.0,
                key.as_ptr().cast(),
                key.len() as c_int,
                openssl_sys::EVP_sha512(),
                std::ptr::null_mut(),
            )
        };
        if ok != 1 {
            return Err(Error::NotAVault);
        }
        Ok(mac)
    }

    /// Whether `stored` is the HMAC of `covered` followed by `number` (little-endian).
    fn matches(&mut self, covered: &[u8], number: u32, stored: &[u8]) -> bool {
        let mut out = [0u8; HMAC_LEN];
        let mut n: c_uint = 0;
        let pgno = number.to_le_bytes();
        // SAFETY: the context was keyed in `new`; every buffer is valid for the length given
        // with it; `out` holds SHA-512's 64 bytes.
        let ok = unsafe {
            openssl_sys::HMAC_Init_ex(
                self.0,
                std::ptr::null(),
                0,
                std::ptr::null(),
                std::ptr::null_mut(),
            ) == 1
                && openssl_sys::HMAC_Update(self.0, covered.as_ptr(), covered.len()) == 1
                && openssl_sys::HMAC_Update(self.0, pgno.as_ptr(), pgno.len()) == 1
                && openssl_sys::HMAC_Final(self.0, out.as_mut_ptr(), &mut n) == 1
        };
        // SAFETY: both buffers hold HMAC_LEN bytes (`stored` is checked first).
        ok && n as usize == HMAC_LEN
            && stored.len() == HMAC_LEN
            && unsafe {
                openssl_sys::CRYPTO_memcmp(out.as_ptr().cast(), stored.as_ptr().cast(), HMAC_LEN)
            } == 0
    }
}

impl Drop for PageMac {
    fn drop(&mut self) {
        // SAFETY: the context came from HMAC_CTX_new and is freed once; freeing cleanses the key.
        unsafe { openssl_sys::HMAC_CTX_free(self.0) }
    }
}
