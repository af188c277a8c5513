#!/usr/bin/env bash
# Builds the Debian package with the Tauri bundler, offline: dist/derbes_<version>_amd64.deb with the
# window (/usr/bin/derbes), the CLI (/usr/bin/derbes-cli), the desktop entry, the icons and the
# AppStream metainfo. Install it with `sudo apt-get install ./dist/derbes_*_amd64.deb`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh deb

cargo build --release -p derbes-cli
cli="$CARGO_TARGET_DIR/release/derbes-cli"
# The man pages (derbes-cli.1 and one per command) and the shell completions, generated from the
# CLI's own definitions; 0644, as a package installs documentation (the CLI writes 0600).
docs="$CARGO_TARGET_DIR/release/cli-docs"
rm -rf "$docs"
mkdir -p "$docs/man1" "$docs/bash" "$docs/zsh" "$docs/fish"
"$cli" man "$docs/man1"
gzip -9n "$docs"/man1/*.1
"$cli" completions bash >"$docs/bash/derbes-cli"
"$cli" completions zsh >"$docs/zsh/_derbes-cli"
"$cli" completions fish >"$docs/fish/derbes-cli.fish"
chmod 0644 "$docs"/*/*
files="\"/usr/bin/derbes-cli\":\"$cli\""
files="$files,\"/usr/share/man/man1\":\"$docs/man1/\""
files="$files,\"/usr/share/bash-completion/completions\":\"$docs/bash/\""
files="$files,\"/usr/share/zsh/vendor-completions\":\"$docs/zsh/\""
files="$files,\"/usr/share/fish/vendor_completions.d\":\"$docs/fish/\""
# The CLI is built apart (the bundler builds only the window), then packed by absolute path.
"$DERBES_TOOLS/node_modules/.bin/tauri" build --bundles deb --ci \
  --config "{\"bundle\":{\"linux\":{\"deb\":{\"files\":{$files}}}}}"

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
built=$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*_"$version"_amd64.deb | head -1)
mkdir -p dist
deb="dist/derbes_${version}_amd64.deb"
cp "$built" "$deb"
echo "deb: $deb ($(du -k "$deb" | cut -f1) KiB)"
