#!/usr/bin/env bash
# systemd for real: the Debian package built from this build folder (cpack), and a newer version of
# it (the same files, a higher version, another shipped default), installed in the kernel VM booted
# with systemd as PID 1, where tests/kernel/systemd-in-vm.sh checks start order, READY, the
# watchdog, restarts, the broker's restart, a clean stop and the upgrade.
# Usage: systemd_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
# Under the build folder, which the VM sees as this machine has it.
work=$build/kernel-vm-systemd
rm -rf "$work"; mkdir -p "$work/upgrade"
trap 'rm -rf "$work"' EXIT
start=$(date +%s%N)
(cd "$build" && cpack -G DEB -B "$work/cpack" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; exit 1; }
mv "$work"/cpack/intercom-io_*.deb "$work/"
deb=$(ls "$work"/intercom-io_*.deb)
# The newer version: the same package with a higher version and a changed shipped default, which
# would have made dpkg ask about every config the device had changed, were they conffiles.
version=$(dpkg-deb -f "$deb" Version)
dpkg-deb -R "$deb" "$work/newer"
sed -i "s/^Version: .*/Version: $version+upgrade1/" "$work/newer/DEBIAN/control"
sed -i 's/"J11 output: electric lock"/"J11 output: electric lock (upgraded default)"/' "$work/newer/usr/share/intercom-io/config/gpio.json"
grep -q "upgraded default" "$work/newer/usr/share/intercom-io/config/gpio.json" || { echo "the shipped gpio.json no longer reads as expected"; exit 1; }
fakeroot=(); [ "$(id -u)" = 0 ] || fakeroot=(fakeroot)
"${fakeroot[@]}" dpkg-deb -b -Zxz -z1 "$work/newer" "$work/upgrade/" >/dev/null
rm -rf "$work/newer" "$work/cpack"
echo "packages: $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB), $(basename "$work"/upgrade/*.deb), in $(( ($(date +%s%N) - start) / 1000000 )) ms"
"$source/tests/kernel/kernel-vm.sh" systemd "$source/tests/kernel/systemd-in-vm.sh" "$work"
