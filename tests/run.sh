#!/usr/bin/env bash
# The README's test command: brings what the tests need that NuGet cannot (Debian's chromium, for the
# browser tests of the HTML attention heatmap), then runs the whole suite. Extra arguments go to dotnet test.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo -n); else sudo=(missing-sudo); fi
  echo "tests/run.sh: installing Debian's chromium for the browser tests (apt-get)..."
  if ! { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq chromium; } >/tmp/seq2seq-apt.log 2>&1; then
    echo "tests/run.sh: could not install chromium (see /tmp/seq2seq-apt.log); run as root or install the Debian package 'chromium', then run again" >&2
    exit 1
  fi
fi

exec dotnet test Seq2Seq.sln -c Release "$@"
