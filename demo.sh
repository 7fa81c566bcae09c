#!/usr/bin/env bash
# Runs the demo on a fresh Debian 12 machine with the .NET SDK: embedded Kafka, simulator, worker, live view.
# Extra arguments go to `usage-sentinel demo` (e.g. --duration 00:02:00 --seed 7 --plain).
set -euo pipefail
cd "$(dirname "$0")"
dotnet build src/UsageSentinel.Cli -c Release -v quiet -nologo >/dev/null
exec dotnet artifacts/bin/UsageSentinel.Cli/release/usage-sentinel.dll demo "$@"
