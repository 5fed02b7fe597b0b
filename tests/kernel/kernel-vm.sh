#!/usr/bin/env bash
# Runs a command against real kernel drivers that this machine's own kernel cannot offer: Debian's
# kernel booted in QEMU on this machine's root file system (read-only over 9p, a tmpfs overlay on
# top), with gpio-sim (no Debian kernel builds it: built here out of tree from linux-source) and the
# ALSA loopback sound card snd-aloop. QEMU runs under TCG: /dev/kvm here has no hardware
# virtualisation behind it (a software nested hypervisor; guests die on cmpxchg16b).
#
#   kernel-vm.sh prepare               fill the cache only (kernel, modules, gpio-sim.ko, initramfs)
#   kernel-vm.sh run COMMAND [ARG...]  run COMMAND as root in the VM; exit with its exit code
#   kernel-vm.sh systemd SCRIPT        boot with systemd as PID 1, run SCRIPT as a unit, power off
#
# Inside, $INTERCOM_VM_WORK is a folder shared read-write with this machine (same path); every other
# write goes to the overlay and is lost. Exit codes: the command's; 90 and up for the VM's own failures
# (91 no result, 92 timeout).
# Environment: INTERCOM_VM_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/intercom-io/kernel-vm: kept
# between runs, so that only the first run downloads 224 MB of kernel packages and builds gpio-sim),
# INTERCOM_VM_TIMEOUT (s, default 600), INTERCOM_VM_MEMORY (default 1024M).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${INTERCOM_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/intercom-io/kernel-vm}
timeout_s=${INTERCOM_VM_TIMEOUT:-600}
memory=${INTERCOM_VM_MEMORY:-1024M}
cpus=${INTERCOM_VM_CPUS:-2}
started=$(date +%s.%N)
export LC_ALL=C
say() { echo "[kernel-vm $(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1fs", b-a}')] $*" >&2; }
fail() { echo "kernel-vm: $1" >&2; exit "${2:-90}"; }

# The tools: scripts/setup.sh installs them (qemu-system-x86, busybox-static); the build of the
# module needs gcc-12 and make, which build-essential brings.
for tool in qemu-system-x86_64 busybox gcc-12 make xz dpkg-deb apt-get; do
  command -v "$tool" >/dev/null || fail "$tool is missing: run scripts/setup.sh"
done
ldd /bin/busybox >/dev/null 2>&1 && fail "/bin/busybox must be the static one (busybox-static)"

# --- which kernel: the one Debian's linux-image-amd64 points at, remembered until apt's lists change
mkdir -p "$cache"
resolved=$cache/kernel.resolved
if [ -s "$resolved" ] && [ -z "$(find /var/lib/apt/lists -maxdepth 1 -newer "$resolved" 2>/dev/null | head -1)" ]; then
  read -r kernel_package version < "$resolved"
else
  kernel_package=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
  if [ -z "$kernel_package" ] && [ "$(id -u)" = 0 ]; then  # a machine whose apt lists were cleaned
    apt-get update -q >&2 || true
    kernel_package=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/{print $2; exit}')
  fi
  [ -n "$kernel_package" ] || fail "apt knows no linux-image-amd64 (apt-get update?)"
  version=$(apt-cache show "$kernel_package" | awk '/^Version:/{print $2; exit}')
  echo "$kernel_package $version" > "$resolved"
fi
kernel=${kernel_package#linux-image-}   # 6.1.0-57-amd64
abi=${kernel%-amd64}                    # 6.1.0-57
series=$(echo "$version" | cut -d. -f1,2)
build=$cache/$kernel-$version
mkdir -p "$cache/debs" "$build"

download() {  # the .deb of a package at the kernel's version, in the cache
  local package=$1 file
  file=$(ls "$cache/debs/${package}_${version//:/%3a}_"*.deb 2>/dev/null | head -1 || true)
  if [ -z "$file" ]; then
    (cd "$cache/debs" && apt-get -q -o APT::Sandbox::User="$(id -un)" download "$package=$version" >&2) \
      || fail "apt-get download $package=$version failed (apt-get update? Debian keeps only the newest kernel ABI)"
    file=$(ls "$cache/debs/${package}_"*.deb | head -1)
  fi
  echo "$file"
}

# --- the kernel, uncompressed for a direct (PVH) boot, and the modules the VM loads
if [ ! -f "$build/.kernel" ]; then
  say "extracting $kernel_package $version"
  rm -rf "$build/k"; mkdir -p "$build/k"
  modules=./lib/modules/$kernel
  dpkg-deb --fsys-tarfile "$(download "$kernel_package")" | tar -x -C "$build/k" --wildcards \
    "./boot/vmlinuz-$kernel" "./boot/config-$kernel" "$modules/modules.builtin*" "$modules/modules.order" \
    "$modules/kernel/drivers/virtio/*" "$modules/kernel/net/9p/*" "$modules/kernel/fs/9p/*" "$modules/kernel/fs/netfs/*" \
    "$modules/kernel/fs/fscache/*" "$modules/kernel/fs/overlayfs/*" "$modules/kernel/fs/configfs/*" \
    "$modules/kernel/sound/soundcore.ko" "$modules/kernel/sound/core/*" "$modules/kernel/sound/drivers/snd-aloop.ko" 2>/dev/null || true
  # The xz stream inside the bzImage is the kernel itself: booted directly, it spares the guest a
  # decompression that costs about 5 s under TCG.
  offset=$(grep -obUaP '\xfd7zXZ\x00' "$build/k/boot/vmlinuz-$kernel" | head -1 | cut -d: -f1 || true)
  if [ -n "$offset" ] && tail -c +$((offset + 1)) "$build/k/boot/vmlinuz-$kernel" | xz -dc --single-stream > "$build/vmlinux" 2>/dev/null &&
     [ "$(head -c 4 "$build/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ]; then :; else rm -f "$build/vmlinux"; fi
  touch "$build/.kernel"
fi
config=$build/k/boot/config-$kernel
grep -q '^CONFIG_GPIO_CDEV_V1=y' "$config" || fail "$kernel has no GPIO character device v1 (libgpiod 1.6 needs it)"

# --- gpio-sim.ko: Debian sets no CONFIG_GPIO_SIM, nor the IRQ_SIM it selects
if [ ! -f "$build/gpio-sim.ko" ]; then
  say "building gpio-sim.ko for $kernel"
  headers=$build/headers; source=$build/source; module=$build/module
  rm -rf "$headers" "$source" "$module"; mkdir -p "$headers" "$source" "$module"
  for package in "linux-headers-$kernel" "linux-headers-$abi-common" "linux-kbuild-$series"; do
    dpkg-deb -x "$(download "$package")" "$headers"
  done
  sed -i "s|^include /usr/src/|include $headers/usr/src/|" "$headers/usr/src/linux-headers-$kernel/Makefile"
  dpkg-deb --fsys-tarfile "$(download "linux-source-$series")" | tar -xO "./usr/src/linux-source-$series.tar.xz" |
    xz -dc -T0 | tar -x -C "$source" --strip-components=1 --wildcards \
      '*/drivers/gpio/gpio-sim.c' '*/drivers/gpio/gpiolib.h' '*/kernel/irq/irq_sim.c'
  cp "$source/drivers/gpio/gpio-sim.c" "$module/gpio-sim-main.c"
  cp "$source/drivers/gpio/gpiolib.h" "$source/kernel/irq/irq_sim.c" "$module/"
  # irq_sim.c calls irq_to_desc(), which the kernel does not export; later kernels call the
  # exported generic_handle_domain_irq() there.
  sed -i -e 's|^\t\tirqnum = irq_find_mapping(work_ctx->domain, offset);|\t\tgeneric_handle_domain_irq(work_ctx->domain, offset);|' \
         -e '/handle_simple_irq(irq_to_desc(irqnum));/d' -e '/^\tint irqnum;$/d' "$module/irq_sim.c"
  grep -q generic_handle_domain_irq "$module/irq_sim.c" && ! grep -q irq_to_desc "$module/irq_sim.c" ||
    fail "irq_sim.c of $series no longer reads as expected: the patch did not apply"
  printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio-sim-main.o irq_sim.o\n' > "$module/Kbuild"
  make -s -C "$headers/usr/src/linux-headers-$kernel" M="$module" modules 2>&1 | { grep -v 'Skipping BTF' || true; } >&2
  [ -f "$module/gpio-sim.ko" ] || fail "building gpio-sim.ko failed"
  cp "$module/gpio-sim.ko" "$build/gpio-sim.ko"
  rm -rf "$headers" "$source" "$module"
fi

# --- the initramfs: a static busybox, the modules, and init
if [ ! -f "$build/initrd.cpio" ] || [ "$here/vm-init" -nt "$build/initrd.cpio" ]; then
  say "building the initramfs"
  root=$build/initramfs; rm -rf "$root"; mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/lib"
  cp /bin/busybox "$root/bin/"; cp "$here/vm-init" "$root/init"; chmod +x "$root/init"
  cp -a "$build/k/lib/modules" "$root/lib/"
  mkdir -p "$root/lib/modules/$kernel/extra"; cp "$build/gpio-sim.ko" "$root/lib/modules/$kernel/extra/"
  busybox depmod -b "$root" "$kernel"
  (cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null > "$build/initrd.cpio.new") && mv "$build/initrd.cpio.new" "$build/initrd.cpio"
  rm -rf "$root"
fi
rm -f "$cache"/debs/*.deb   # everything needed is in $build now

mode=${1:-}
shift || true
case $mode in
  prepare) say "ready: $build"; exit 0 ;;
  run | systemd) [ $# -gt 0 ] || fail "usage: kernel-vm.sh $mode COMMAND [ARG...]" ;;
  *) fail "usage: kernel-vm.sh prepare | run COMMAND [ARG...] | systemd SCRIPT" ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/intercom-vm.XXXXXX")
trap 'rm -rf "$work"' EXIT
{ echo "export INTERCOM_VM_WORK='$work'"; printf 'exec'; printf ' %q' "$@"; echo; } > "$work/cmd"
kernel_file=$build/vmlinux; [ -f "$kernel_file" ] || kernel_file=$build/k/boot/vmlinuz-$kernel
firmware=(); [ -f /usr/share/qemu/qboot.rom ] && firmware=(-bios /usr/share/qemu/qboot.rom)
say "booting $kernel ($mode) for: $*"
set +e
timeout -k 5 "$timeout_s" qemu-system-x86_64 -accel tcg -m "$memory" -smp "$cpus" -nodefaults -no-user-config -nographic \
  -no-reboot -display none -monitor none -serial stdio "${firmware[@]}" -kernel "$kernel_file" -initrd "$build/initrd.cpio" \
  -append "console=ttyS0 panic=-1 loglevel=4 mitigations=off intercom_vm_work=$work intercom_vm_mode=$mode" \
  -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
  -virtfs "local,path=$work,mount_tag=intercom_vm_work,security_model=none" </dev/null |
  sed -u -e 's/\r$//' -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g'
qemu_status=${PIPESTATUS[0]}
set -e
{ [ "$qemu_status" = 124 ] || [ "$qemu_status" = 137 ]; } && fail "the VM did not finish within $timeout_s s" 92
[ -f "$work/rc" ] || fail "the VM ended without the command's result (qemu exit $qemu_status)" 91
say "done: exit $(cat "$work/rc")"
exit "$(cat "$work/rc")"
