#!/usr/bin/env bash
# Builds the Debian package with the Tauri bundler, offline: dist/derbes_<version>_amd64.deb with the
# window (/usr/bin/derbes), the CLI (/usr/bin/derbes-cli), the desktop entry, the icons and the
# AppStream metainfo. Install it with `sudo apt-get install ./dist/derbes_*_amd64.deb`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh deb

cargo build --release --bin derbes-cli
cli="$CARGO_TARGET_DIR/release/derbes-cli"
# The CLI is built apart (the bundler builds only the window), then packed by absolute path.
"$DERBES_TOOLS/node_modules/.bin/tauri" build --bundles deb --ci \
  --config "{\"bundle\":{\"linux\":{\"deb\":{\"files\":{\"/usr/bin/derbes-cli\":\"$cli\"}}}}}"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
built=$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*_"$version"_amd64.deb | head -1)
mkdir -p dist
deb="dist/derbes_${version}_amd64.deb"
cp "$built" "$deb"
echo "deb: $deb ($(du -k "$deb" | cut -f1) KiB)"
