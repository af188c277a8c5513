"""No lock-in: a vault written by Derbes opens in a standard SQLCipher binding (sqlcipher3, PyPI)
with nothing but its passphrase, and reads the same figures `derbes-cli status` prints; so does a
backup, under the passphrase chosen for it, with its manifest and its issued letters.

Usage: python tests/no_lock_in.py DERBES_CLI
"""
import os
import subprocess
import sys
import tempfile

import sqlcipher3


def main() -> int:
    cli = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        vault = os.path.join(tmp, "demo.derbes")
        out = subprocess.run([cli, "--vault", vault, "demo"], check=True, capture_output=True, text=True).stdout
        expected = int(next(l for l in out.splitlines() if l.startswith("subjects: ")).split(": ")[1])
        with open(vault, "rb") as f:
            assert f.read(16) != b"SQLite format 3\x00", "the vault must be encrypted"
        con = sqlcipher3.connect(vault)
        con.execute("PRAGMA key = 'demo'")
        # Destroyed and anonymized records stay as tombstones; `status` counts the living ones.
        subjects = con.execute("SELECT count(*) FROM subject WHERE status IN ('active', 'blocked')").fetchone()[0]
        rows = con.execute("SELECT count(*) FROM subject").fetchone()[0]
        names = con.execute("SELECT count(*) FROM subject WHERE surname GLOB '*[әғқңөұүһі]*'").fetchone()[0]
        con.close()
        assert subjects == expected, (subjects, expected)
        assert names > 0, "Kazakh letters survive the round trip"
        wrong = sqlcipher3.connect(vault)
        wrong.execute("PRAGMA key = 'not the passphrase'")
        try:
            wrong.execute("SELECT count(*) FROM subject")
            raise AssertionError("a wrong passphrase must not open the vault")
        except sqlcipher3.DatabaseError:
            pass
        # A backup under another passphrase.
        out_dir = os.path.join(tmp, "backups")
        os.mkdir(out_dir)
        env = dict(os.environ, DERBES_PASSPHRASE="demo", DERBES_BACKUP_PASSPHRASE="копия резерв 2026")
        line = subprocess.run([cli, "--vault", vault, "backup", out_dir], check=True, capture_output=True,
                              text=True, env=env).stdout
        backup = line.split("\t")[0]
        con = sqlcipher3.connect(backup)
        con.execute("PRAGMA key = 'копия резерв 2026'")
        manifest = dict(con.execute("SELECT key, value FROM backup_manifest").fetchall())
        counts = dict(kv.split("=") for kv in manifest["counts"].split(";"))
        assert int(counts["subject"]) == rows, (counts["subject"], rows)
        # Every letter is a PDF, but those withdrawn with a destroyed person's data.
        letters = con.execute("SELECT count(*) FROM letter WHERE substr(pdf, 1, 5) = CAST('%PDF-' AS BLOB)"
                              " OR (redacted_on IS NOT NULL AND length(pdf) = 0)").fetchone()[0]
        assert letters == int(counts["letter"]) > 0, (letters, counts["letter"])
        con.close()
    print(f"no lock-in: {subjects} subjects read with sqlcipher3, from the vault and from a backup "
          f"({letters} letters, manifest of schema {manifest['schema_version']})")
    print("3 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
