#!/usr/bin/env bash
# Builds intercom-io and runs its tests: unit tests (pure logic) and integration tests (a real
# mosquitto on a free loopback port, the real service binaries). Arguments go to ctest, e.g.
#   scripts/test.sh -L unit       only the fast unit tests
#   scripts/test.sh -R Bus        tests whose name matches
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bash "$here/scripts/setup.sh"
cmake -S "$here" -B "$here/build" -DINTERCOM_TESTS=ON >/dev/null
cmake --build "$here/build" -j"$(nproc)"
cd "$here/build"
ctest --output-on-failure -j"$(nproc)" --timeout 300 "$@"
