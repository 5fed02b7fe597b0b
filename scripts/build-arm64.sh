#!/usr/bin/env bash
# Builds intercom-io for arm64 boards on this (amd64) machine with Debian's multiarch cross
# toolchain (cmake/toolchain-arm64.cmake), runs its unit tests under QEMU's user-mode emulation
# (qemu-aarch64), and makes the arm64 Debian package: build/arm64/intercom-io_<version>_arm64.deb.
# The compilations are cached (ccache, in ~/.cache/ccache): only what changed is built again.
#   scripts/build-arm64.sh [BUILD_DIR]     (default: build/arm64)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build/arm64}
started=$(date +%s)
for tool in aarch64-linux-gnu-g++ qemu-aarch64 dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || { echo "build-arm64: $tool is missing: run scripts/setup.sh" >&2; exit 1; }
done
[ -e /lib/ld-linux-aarch64.so.1 ] || { echo "build-arm64: no arm64 libraries (dpkg --add-architecture arm64): run scripts/setup.sh" >&2; exit 1; }
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
# Release without debug information: the package is for a board's flash, and the compiler runs the
# least it can.
cmake -S "$here" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$here/cmake/toolchain-arm64.cmake" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)"
built=$(date +%s)
(cd "$build" && ctest -L unit -j"$(nproc)" --output-on-failure --timeout 300 | tail -4)
tested=$(date +%s)
# dpkg-shlibdeps reads the arm64 binaries with the cross binutils and finds their libraries among the
# installed :arm64 packages.
(cd "$build" && DEB_HOST_ARCH=arm64 cpack -G DEB >"$build/cpack.log" 2>&1) || { cat "$build/cpack.log"; exit 1; }
deb=$(ls "$build"/intercom-io_*_arm64.deb)
echo "build-arm64: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB); built in $((built - started)) s, unit tests $((tested - built)) s, package $(($(date +%s) - tested)) s"
echo "build-arm64: Depends: $(dpkg-deb -f "$deb" Depends)"
