#!/usr/bin/env bash
# Debian's Chromium (and CJK fonts, so screenshots show the Chinese text) for the browser tests in
# tests/web/browser/. Does nothing when /usr/bin/chromium is there; without root or apt-get it says so and
# leaves it to the tests to skip. `make test` runs it.
set -uo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-browser: /usr/bin/chromium missing and apt-get not usable as this user; browser tests will be skipped"
  exit 0
fi
echo "install-browser: installing Debian's chromium and fonts-noto-cjk"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null; }; then
  echo "install-browser: apt-get could not install chromium; browser tests will be skipped"
fi
exit 0
