//! Giving SQLCipher its key. The passphrase goes through `sqlite3_key`/`sqlite3_rekey` as bytes, not
//! through a `PRAGMA key = '…'` statement, so no SQL text copy of it is left in freed memory.

use crate::base::passphrase::Passphrase;
use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, ffi};
use std::os::raw::{c_int, c_void};
use std::path::Path;

type KeyFn = unsafe extern "C" fn(*mut ffi::sqlite3, *const c_void, c_int) -> c_int;

/// SQLCipher initialises itself in SQLite's `SQLITE_EXTRA_INIT` hook, which `sqlite3_initialize`
/// runs *after* marking SQLite initialised. A second thread opening a connection in that window
/// skips the initialisation and keys before SQLCipher is ready: seen as `sqlite3_key` returning a
/// bare SQLITE_ERROR ("sqlcipher not initialized") and, once in 80 runs of 8 threads, a segfault.
/// So every vault connection is opened through [`connect`], which first waits, once per process,
/// until a key is accepted — whichever thread (or plain SQLite connection) started the set-up.
fn ready() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: no arguments; safe to call from any thread at any time.
        unsafe { ffi::sqlite3_initialize() };
        let key = b"ready?";
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let accepted = Connection::open_in_memory().is_ok_and(|c| {
                // SAFETY: as in `apply`; the key bytes are read during the call only.
                let rc = unsafe {
                    ffi::sqlite3_key(
                        c.handle(),
                        key.as_ptr().cast::<c_void>(),
                        key.len() as c_int,
                    )
                };
                rc == ffi::SQLITE_OK
            });
            if accepted || std::time::Instant::now() > deadline {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
    });
}

/// Opens a connection to a vault file and gives it its key.
pub fn connect(path: &Path, flags: OpenFlags, p: &Passphrase) -> Result<Connection> {
    ready();
    let conn = Connection::open_with_flags(path, flags)?;
    key(&conn, p)?;
    Ok(conn)
}

/// Opens a connection to a vault file with its derived key ([`RawKey`]): no key derivation, so a
/// second connection to an open vault costs milliseconds (the live check reads on two).
pub fn connect_raw(path: &Path, flags: OpenFlags, k: &RawKey) -> Result<Connection> {
    ready();
    let conn = Connection::open_with_flags(path, flags)?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    apply_bytes(&conn, &k.spec(), ffi::sqlite3_key)?;
    Ok(conn)
}

/// SQLCipher 4's key derivation, which every vault uses (nothing here changes its `cipher_*`
/// settings): PBKDF2-HMAC-SHA512 over the passphrase, 256 000 iterations, salted with the file's
/// first 16 bytes, giving the 32-byte AES key (OpenSSL's PBKDF2, as SQLCipher calls it) (SQLCipher API, "cipher_default_kdf_iter" and
/// "Raw Key Data": <https://www.zetetic.net/sqlcipher/sqlcipher-api/>). Given as
/// `x'<64 hex digits>'`, SQLCipher uses the key as is and takes the salt from the file.
/// `tests/vault.rs` opens a vault made by SQLCipher's own derivation with this one.
const KDF_ITERATIONS: i32 = 256_000;
pub const SALT_LEN: usize = 16;

/// The key of one vault file and the file's salt, kept (the key zeroed on drop) while the vault
/// is open.
pub struct RawKey {
    key: zeroize::Zeroizing<[u8; 32]>,
    salt: [u8; SALT_LEN],
}

impl std::fmt::Debug for RawKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RawKey(..)")
    }
}

/// SQLCipher's HMAC key is derived from the AES key: 2 iterations, salted with the file's salt
/// with every byte XORed with 0x3a (`fast_kdf_iter`, `hmac_salt_mask`).
const HMAC_KDF_ITERATIONS: i32 = 2;
const HMAC_SALT_MASK: u8 = 0x3a;

/// PBKDF2-HMAC-SHA512 into a 32-byte key, by the OpenSSL SQLCipher itself uses.
fn pbkdf2(secret: &[u8], salt: &[u8], iterations: i32) -> Result<zeroize::Zeroizing<[u8; 32]>> {
    let mut key = zeroize::Zeroizing::new([0u8; 32]);
    let n = c_int::try_from(secret.len()).map_err(|_| Error::PassphraseTooShort { min: 0 })?;
    // SAFETY: every pointer is valid for the length given with it during the call; EVP_sha512
    // returns a static digest description.
    let ok = unsafe {
        openssl_sys::PKCS5_PBKDF2_HMAC(
            secret.as_ptr().cast(),
            n,
            salt.as_ptr(),
            salt.len() as c_int,
            iterations,
            openssl_sys::EVP_sha512(),
            key.len() as c_int,
            key.as_mut_ptr(),
        )
    };
    if ok != 1 {
        return Err(Error::from(rusqlite::Error::SqliteFailure(
            ffi::Error::new(ffi::SQLITE_ERROR),
            Some("key derivation failed".into()),
        )));
    }
    Ok(key)
}

impl RawKey {
    /// Derives the key of the file at `path` from `p` (reads the salt; does not check the key).
    pub fn derive(path: &Path, p: &Passphrase) -> Result<RawKey> {
        use std::io::Read;
        let mut salt = [0u8; SALT_LEN];
        std::fs::File::open(path)?
            .read_exact(&mut salt)
            .map_err(|_| Error::NotAVault)?;
        let key = pbkdf2(p.bytes(), &salt, KDF_ITERATIONS)?;
        Ok(RawKey { key, salt })
    }

    /// The key of the pages' HMACs.
    pub fn hmac_key(&self) -> Result<zeroize::Zeroizing<[u8; 32]>> {
        let salt = self.salt.map(|b| b ^ HMAC_SALT_MASK);
        pbkdf2(&self.key[..], &salt, HMAC_KDF_ITERATIONS)
    }

    fn spec(&self) -> zeroize::Zeroizing<Vec<u8>> {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = zeroize::Zeroizing::new(Vec::with_capacity(67));
        s.extend_from_slice(b"x'");
        for b in self.key.iter() {
            s.push(HEX[usize::from(b >> 4)]);
            s.push(HEX[usize::from(b & 0x0f)]);
        }
        s.push(b'\'');
        s
    }
}

fn apply(conn: &Connection, p: &Passphrase, f: KeyFn) -> Result<()> {
    apply_bytes(conn, p.bytes(), f)
}

fn apply_bytes(conn: &Connection, key: &[u8], f: KeyFn) -> Result<()> {
    let n = c_int::try_from(key.len()).map_err(|_| Error::PassphraseTooShort { min: 0 })?;
    // SAFETY: the handle is valid while `conn` lives; the key bytes are read during the call only.
    let rc = unsafe { f(conn.handle(), key.as_ptr().cast::<c_void>(), n) };
    if rc != ffi::SQLITE_OK {
        return Err(Error::from(rusqlite::Error::SqliteFailure(
            ffi::Error::new(rc),
            None,
        )));
    }
    Ok(())
}

fn key(conn: &Connection, p: &Passphrase) -> Result<()> {
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
