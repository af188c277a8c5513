//! Giving SQLCipher its key. The passphrase goes through `sqlite3_key`/`sqlite3_rekey` as bytes, not
//! through a `PRAGMA key = '…'` statement, so no SQL text copy of it is left in freed memory.

use crate::error::{Error, Result};
use crate::passphrase::Passphrase;
use rusqlite::{Connection, ffi};
use std::os::raw::{c_int, c_void};

type KeyFn = unsafe extern "C" fn(*mut ffi::sqlite3, *const c_void, c_int) -> c_int;

fn apply(conn: &Connection, p: &Passphrase, f: KeyFn) -> Result<()> {
    let n = c_int::try_from(p.bytes().len()).map_err(|_| Error::PassphraseTooShort { min: 0 })?;
    // SAFETY: the handle is valid while `conn` lives; the key bytes are read during the call only.
    let rc = unsafe { f(conn.handle(), p.bytes().as_ptr().cast::<c_void>(), n) };
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
