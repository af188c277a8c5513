//! Giving SQLCipher its key. The passphrase goes through `sqlite3_key`/`sqlite3_rekey` as bytes, not
//! through a `PRAGMA key = '…'` statement, so no SQL text copy of it is left in freed memory.

use crate::error::{Error, Result};
use crate::passphrase::Passphrase;
use rusqlite::{Connection, ffi};
use std::os::raw::{c_int, c_void};

type KeyFn = unsafe extern "C" fn(*mut ffi::sqlite3, *const c_void, c_int) -> c_int;

/// SQLCipher sets up its crypto provider on the first key it is given. Tests key many vaults on
/// parallel threads at once, and a first use raced that way was seen to fail once with a bare
/// SQLITE_ERROR; the first key of the process is therefore given once, on one thread, before any.
fn warm_up() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Ok(c) = Connection::open_in_memory() {
            let key = b"warm-up";
            // SAFETY: as in `apply`; the key bytes are read during the call only.
            let _ = unsafe {
                ffi::sqlite3_key(
                    c.handle(),
                    key.as_ptr().cast::<c_void>(),
                    key.len() as c_int,
                )
            };
            let _ = c.query_row("SELECT count(*) FROM sqlite_schema", [], |r| {
                r.get::<_, i64>(0)
            });
        }
    });
}

fn apply(conn: &Connection, p: &Passphrase, f: KeyFn) -> Result<()> {
    warm_up();
    let n = c_int::try_from(p.bytes().len()).map_err(|_| Error::PassphraseTooShort { min: 0 })?;
    // SAFETY: the handle is valid while `conn` lives; the key bytes are read during the call only.
    let call = || unsafe { f(conn.handle(), p.bytes().as_ptr().cast::<c_void>(), n) };
    let mut rc = call();
    if rc == ffi::SQLITE_ERROR {
        // Keying reads no file and cannot fail for a wrong passphrase (that shows at the first
        // read); a bare error here is SQLCipher's set-up failing once: try once more.
        rc = call();
    }
    if rc != ffi::SQLITE_OK {
        return Err(Error::from(rusqlite::Error::SqliteFailure(
            ffi::Error::new(rc),
            None,
        )));
    }
    Ok(())
}

pub fn key(conn: &Connection, p: &Passphrase) -> Result<()> {
    // SQLCipher otherwise prints its failures (e.g. a wrong key's HMAC error) to stderr.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    apply(conn, p, ffi::sqlite3_key)
}

pub fn rekey(conn: &Connection, p: &Passphrase) -> Result<()> {
    apply(conn, p, ffi::sqlite3_rekey)
}

/// Re-encrypts the attached database `schema` (a backup being written) under `p`.
pub fn rekey_attached(conn: &Connection, schema: &str, p: &Passphrase) -> Result<()> {
    let name = std::ffi::CString::new(schema).map_err(|_| Error::NotAVault)?;
    let n = c_int::try_from(p.bytes().len()).map_err(|_| Error::PassphraseTooShort { min: 0 })?;
    // SAFETY: the handle is valid while `conn` lives; name and key are read during the call only.
    let rc = unsafe {
        ffi::sqlite3_rekey_v2(
            conn.handle(),
            name.as_ptr(),
            p.bytes().as_ptr().cast::<c_void>(),
            n,
        )
    };
    if rc != ffi::SQLITE_OK {
        return Err(Error::from(rusqlite::Error::SqliteFailure(
            ffi::Error::new(rc),
            None,
        )));
    }
    Ok(())
}
