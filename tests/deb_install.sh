#!/usr/bin/env bash
# The Debian package as a user gets it: its contents and metadata validated, installed with apt,
# the installed window started under Xvfb (cold start to the page measured) and driven through the
# first-run wizard by the end-to-end test, the CLI run from the PATH, then the package removed.
# Usage: tests/deb_install.sh dist/derbes_<version>_amd64.deb   (needs root or sudo; Xvfb)
set -euo pipefail
deb=$1
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
fail() { echo "deb test: $*" >&2; exit 1; }

contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in usr/bin/derbes usr/bin/derbes-cli usr/share/applications/Derbes.desktop \
  usr/share/metainfo/kz.derbes.desktop.metainfo.xml usr/share/icons/hicolor/128x128/apps/derbes.png \
  usr/share/icons/hicolor/scalable/apps/derbes.svg usr/share/man/man1/derbes-cli.1.gz \
  usr/share/man/man1/derbes-cli-backup.1.gz usr/share/bash-completion/completions/derbes-cli \
  usr/share/zsh/vendor-completions/_derbes-cli usr/share/fish/vendor_completions.d/derbes-cli.fish; do
  grep -qx "\(\./\)\?$f" <<<"$contents" || fail "$f is not in the package"
done
control=$(dpkg-deb -f "$deb")
grep -q '^Maintainer: .*<.*@.*>' <<<"$control" || fail "no maintainer address"
grep -q '^Depends: .*libwebkit2gtk-4.1-0' <<<"$control" || fail "no WebKitGTK dependency"
grep -q '^Depends: .*libgtk-3-0' <<<"$control" || fail "no GTK dependency"

unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
dpkg-deb -x "$deb" "$unpacked"
desktop-file-validate "$unpacked/usr/share/applications/Derbes.desktop"
appstreamcli validate --no-net "$unpacked/usr/share/metainfo/kz.derbes.desktop.metainfo.xml"

# A leftover of an interrupted run is removed first; apt resolves the dependencies.
as_root apt-get remove -y -qq derbes >/dev/null 2>&1 || true
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$(realpath "$deb")" >/dev/null
trap 'rm -rf "$unpacked"; as_root apt-get remove -y -qq derbes >/dev/null 2>&1 || true' EXIT
[ "$(command -v derbes)" = /usr/bin/derbes ] || fail "derbes is not on the PATH"
[ "$(command -v derbes-cli)" = /usr/bin/derbes-cli ] || fail "derbes-cli is not on the PATH"
derbes-cli --help >/dev/null || fail "derbes-cli does not run"
derbes-cli backup --help | grep -q "Usage: derbes-cli backup" || fail "derbes-cli backup has no help"
zcat /usr/share/man/man1/derbes-cli.1.gz | grep -q '^\.TH' || fail "the man page is not a man page"
[ "$(stat -c %a /usr/share/man/man1/derbes-cli.1.gz)" = 644 ] || fail "the man page is not readable by all"
echo "installed: $(dpkg-query -W -f='${Package} ${Version}, ${Installed-Size} KiB installed' derbes);" \
  "package $(( $(stat -c %s "$deb") / 1024 )) KiB"

# Cold start of the installed window: from launch to the page asking for its state (the unlock or
# welcome screen being drawn), read from the app's own log line; a fresh home each time.
for run in 1 2 3; do
  home=$(mktemp -d)
  log="$home/log"
  [ "$run" = 1 ] && [ "$(id -u)" -eq 0 ] && { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
  XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" DERBES_LOG=info \
    timeout 60 xvfb-run -a -s "-screen 0 1280x860x24" bash -c '
      /usr/bin/derbes 2>"$0" & app=$!
      for _ in $(seq 1 300); do grep -q "page loaded" "$0" && break; sleep 0.1; done
      kill $app; wait $app 2>/dev/null || true' "$log" || true
  ms=$(sed -n 's/.*page loaded.* ms=\([0-9]*\).*/\1/p' "$log" | head -1)
  [ -n "$ms" ] || { cat "$log" >&2; fail "the installed window did not load its page"; }
  echo "cold start $run (launch → page): $ms ms"
  rm -rf "$home"
done

# The first-run wizard, driven in the installed window.
DERBES_APP_BIN=/usr/bin/derbes xvfb-run -a -s "-screen 0 1280x860x24" \
  cargo test --features e2e --test e2e -- --test-threads=1 --exact create_lock_unlock_and_switch_to_kazakh

as_root apt-get remove -y -qq derbes >/dev/null
! command -v derbes >/dev/null || fail "derbes is still installed after removal"
echo "deb test: installed, started, driven and removed"
