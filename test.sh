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

dotnet test UsageSentinel.sln -c Release --logger "console;verbosity=normal" "$@"
