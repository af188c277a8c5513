//! Giving SQLCipher its key. The passphrase goes through `sqlite3_key`/`sqlite3_rekey` as bytes, not
//! through a `PRAGMA key = '…'` statement, so no SQL text copy of it is left in freed memory.

use crate::error::{Error, Result};
use crate::passphrase::Passphrase;
use rusqlite::{Connection, ffi};
use std::os::raw::{c_int, c_void};

fn len(p: &Passphrase) -> Result<c_int> {
    c_int::try_from(p.bytes().len()).map_err(|_| Error::PassphraseTooShort { min: 0 })
}

pub fn key(conn: &Connection, p: &Passphrase) -> Result<()> {
    // SQLCipher otherwise prints its failures (e.g. a wrong key's HMAC error) to stderr.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    let n = len(p)?;
    // SAFETY: the handle is valid while `conn` lives; the key bytes are read during the call only.
    let rc = unsafe { ffi::sqlite3_key(conn.handle(), p.bytes().as_ptr().cast::<c_void>(), n) };
    if rc != ffi::SQLITE_OK {
        return Err(Error::Storage(rusqlite::Error::SqliteFailure(
            ffi::Error::new(rc),
            None,
        )));
    }
    Ok(())
}

pub fn rekey(conn: &Connection, p: &Passphrase) -> Result<()> {
    let n = len(p)?;
    // SAFETY: as in `key`.
    let rc = unsafe { ffi::sqlite3_rekey(conn.handle(), p.bytes().as_ptr().cast::<c_void>(), n) };
    if rc != ffi::SQLITE_OK {
        return Err(Error::from(rusqlite::Error::SqliteFailure(
            ffi::Error::new(rc),
            None,
        )));
    }
    Ok(())
}
