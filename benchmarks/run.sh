#!/usr/bin/env bash
# One-command benchmark harness: builds in Release and prints every figure of the performance targets as one
# `name: value` line on stdout (progress on stderr). `--quick` uses smaller inputs and runs in under 3 minutes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$root/benchmarks/UsageSentinel.Benchmarks"
dotnet build "$project" -c Release --nologo -v quiet -clp:NoSummary >&2
exec dotnet "$root/artifacts/bin/UsageSentinel.Benchmarks/release/UsageSentinel.Benchmarks.dll" harness "$@"
