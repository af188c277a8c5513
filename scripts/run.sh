#!/usr/bin/env bash
# Builds and starts the Derbes window. With no vault yet, it opens the demo vault (passphrase: demo).
# Arguments are passed to the app, e.g. `scripts/run.sh --vault /path/to/vault.derbes`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh app

cargo build --release -p derbes-app --features tauri/custom-protocol
app="$CARGO_TARGET_DIR/release/derbes"

vault=${DERBES_VAULT:-${XDG_DATA_HOME:-$HOME/.local/share}/derbes/vault.derbes}
extra=()
if [ $# -eq 0 ] && [ ! -e "$vault" ]; then
  echo "run: no vault at $vault yet: opening the demo vault (passphrase: demo)"
  extra=(--demo)
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display found (DISPLAY / WAYLAND_DISPLAY): start Derbes from a desktop session" >&2
  exit 1
fi
exec "$app" "${extra[@]}" "$@"
