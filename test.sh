#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian 12 machine with the .NET SDK.
# Installs from Debian packages whatever the tests need when it is missing, then runs dotnet test.
set -euo pipefail
cd "$(dirname "$0")"

# command -> Debian package
needed=()
need() { command -v "$1" >/dev/null 2>&1 || needed+=("$2"); }
need kcat kcat
need victoria-metrics victoria-metrics
need influxd influxdb
need prometheus-alertmanager prometheus-alertmanager
need docker-compose docker-compose
[ -e /usr/lib/x86_64-linux-gnu/libgomp.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/libgomp.so.1 ] || needed+=(libgomp1)
if [ ${#needed[@]} -gt 0 ]; then
  echo "test.sh: installing ${needed[*]} from Debian packages" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
fi

# The console log is long (every test, every server's output); whatever failed is repeated at its end, so the last
# screen of a CI log names the failing tests, a crashed test host, or a build error.
log="$(mktemp -t usage-sentinel-test.XXXXXX.log)"
trap 'rm -f "$log"' EXIT
set +e
dotnet test UsageSentinel.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  echo
  echo "test.sh: dotnet test exited with $status; what failed:"
  grep -E -A 14 '^\s+Failed [A-Za-z_]|Test Run Aborted|test host process crashed|error [A-Z]+[0-9]+:|Build FAILED' "$log" \
    | grep -v -E '^\s+Passed ' | head -n 200 || echo "(no failing test or build error in the log)"
fi
exit "$status"
