#!/usr/bin/env bash
# Installs the Debian packages the test suite drives: Chromium (browser journeys), the
# PostgreSQL 15 server (the PostgreSQL leg) and LibreOffice Writer, headless (the Word report must
# convert to PDF as an agenda system would). Does nothing when they are already there.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v soffice >/dev/null || missing+=(libreoffice-writer)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "Cannot install ${missing[*]} without root; browser, PostgreSQL or Word-conversion tests will fail." >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi
echo "Installing ${missing[*]} from Debian's packages..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's postgresql package may start a cluster of its own on 5432; the tests use their
# own throwaway cluster on another port, so that one is left alone.
