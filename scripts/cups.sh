#!/usr/bin/env bash
# Starts the CUPS scheduler if it is not running and adds a virtual printer (cups-pdf) that the
# printing test sends letters to. Sourced by test.sh; exports the queue's name and the folder the
# printed PDFs land in. Needs root (or sudo), as any CUPS administration does.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

export DERBES_TEST_PRINTER=Derbes-Test-PDF
# cups-pdf's default (/etc/cups/cups-pdf.conf: Out ${HOME}/PDF) for the user who prints.
export DERBES_TEST_PRINT_DIR="$HOME/PDF"

# `lpstat -r` exits 0 either way; only its (C-locale) text tells whether the scheduler runs.
cups_running() { LC_ALL=C lpstat -r 2>/dev/null | grep -qx "scheduler is running"; }
if ! cups_running; then
  # No init system in containers: start the scheduler directly (it detaches).
  as_root cupsd
  for _ in $(seq 1 100); do cups_running && break; sleep 0.1; done
  cups_running || { echo "cups.sh: the CUPS scheduler did not start" >&2; exit 1; }
fi
if ! lpstat -e 2>/dev/null | grep -qx "$DERBES_TEST_PRINTER"; then
  ppd=$(ls /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd /usr/share/ppd/cups-pdf/*.ppd 2>/dev/null | head -1)
  as_root lpadmin -p "$DERBES_TEST_PRINTER" -E -v cups-pdf:/ -P "$ppd"
fi
lpstat -e | grep -qx "$DERBES_TEST_PRINTER" || { echo "cups.sh: no queue $DERBES_TEST_PRINTER" >&2; exit 1; }
mkdir -p "$DERBES_TEST_PRINT_DIR"
