#!/usr/bin/env bash
# Installs what Derbes needs on Debian 12 / Ubuntu, skipping what is already there.
#   scripts/setup.sh app    — to build and run the window
#   scripts/setup.sh deb    — also what building the .deb needs (the Tauri bundler, from npm)
#   scripts/setup.sh test   — also what the tests need (Xvfb, WebKitWebDriver, tauri-driver, poppler,
#                             and the .deb's tools: the package is built, validated and installed)
# Sourced by run.sh and test.sh; safe to run again.
set -euo pipefail

want=${1:-app}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages: the WebKitGTK stack Tauri builds against, the C toolchain for SQLCipher and
# OpenSSL (perl, make), Noto fonts with every Kazakh letter.
APP_PKGS=(build-essential pkg-config perl make file curl ca-certificates libwebkit2gtk-4.1-dev libxdo-dev
  libssl-dev libayatana-appindicator3-dev librsvg2-dev fonts-noto-core)
# LibreOffice Calc converts the exported workbooks as a user's own spreadsheet would (issue 9).
# CUPS with the cups-pdf virtual printer (package printer-driver-cups-pdf; "cups-pdf" is only a
# virtual name dpkg-query never reports installed): printing is tested against a real queue.
# Thunderbird answers by e-mail as an office's real mail program (issue 19): its compose window is
# opened by the window test and pictured with xwd (x11-apps); xdg-utils asks for the desktop's
# mail program. zbar-tools reads the QR code of a printed consent form back. sqlite3, the plain
# SQLite shell, is what the import benchmark compares with (issue 20).
TEST_PKGS=(xvfb xauth xdotool xclip webkit2gtk-driver poppler-utils python3-venv cups cups-client printer-driver-cups-pdf
  libreoffice-calc-nogui thunderbird x11-apps xdg-utils zbar-tools sqlite3)

# The .deb: the Tauri bundler ships as an npm package with a prebuilt binary (tauri-cli from
# crates.io takes 18 min to compile); desktop-file-utils and appstream validate what it packs.
DEB_PKGS=(desktop-file-utils appstream)
command -v npm >/dev/null 2>&1 || DEB_PKGS+=(nodejs npm)

pkgs=("${APP_PKGS[@]}")
[ "$want" = deb ] || [ "$want" = test ] && pkgs+=("${DEB_PKGS[@]}")
[ "$want" = test ] && pkgs+=("${TEST_PKGS[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Rust (edition 2024 needs 1.85 or later; Debian's own cargo is older).
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: installing the Rust toolchain with rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component clippy,rustfmt
  export PATH="$HOME/.cargo/bin:$PATH"
fi
if [ "$want" = test ] && command -v rustup >/dev/null 2>&1; then
  for c in clippy rustfmt; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
  done
fi

if [ "$want" = test ] && ! command -v tauri-driver >/dev/null 2>&1; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked --quiet
fi

export DERBES_TOOLS=${DERBES_TOOLS:-$HOME/.cache/derbes-tools}
if { [ "$want" = deb ] || [ "$want" = test ]; } && [ ! -x "$DERBES_TOOLS/node_modules/.bin/tauri" ]; then
  echo "setup: installing the Tauri bundler (@tauri-apps/cli 2) into $DERBES_TOOLS"
  mkdir -p "$DERBES_TOOLS"
  npm install --prefix "$DERBES_TOOLS" --no-audit --no-fund --silent '@tauri-apps/cli@^2'
fi

# Builds go to a cache outside the clone, so a fresh clone (and CI) reuses earlier work.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/derbes-target}
