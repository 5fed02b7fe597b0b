#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time from its seed corpus; what it finds new stays in a
# scratch corpus, a crash is kept beside the build for `<fuzzer> <file>` to reproduce.
# Usage: run-fuzzer.sh FUZZER SEED_DIR [SECONDS]   (INTERCOM_FUZZ_SECONDS overrides SECONDS)
set -euo pipefail
fuzzer=$1
seeds=$2
seconds=${INTERCOM_FUZZ_SECONDS:-${3:-30}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts="$(dirname "$fuzzer")/artifacts/$(basename "$fuzzer")/"
mkdir -p "$artifacts"
"$fuzzer" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$artifacts" "$work" "$seeds"
