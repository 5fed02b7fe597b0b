#!/usr/bin/env bash
# Installs the Debian 12 packages intercom-io needs.
#   scripts/setup.sh run    what it takes to build and run the device (scripts/start.sh)
#   scripts/setup.sh        that and the test tooling too (scripts/test.sh, CI)
# Safe to run twice: apt skips what is already installed, and apt-get update
# runs only when a package is missing.
set -euo pipefail
profile=${1:-all}
case "$profile" in run|all) ;; *) echo "usage: setup.sh [run|all]" >&2; exit 2 ;; esac

# To build and run: the services, intercomctl, the broker and its plugin.
packages=(
  build-essential cmake pkg-config
  ccache                           # a rebuild compiles only what changed (see CMakeLists.txt)
  libboost-dev                     # Boost 1.74: Asio (header-only), Beast
  libgpiod-dev
  nlohmann-json3-dev libvalijson-dev
  libcli11-dev libspdlog-dev
  mosquitto mosquitto-clients
  mosquitto-dev                    # headers of the broker plugin that binds client ids to users
  libmosquitto-dev                 # intercomctl's MQTT client (the services speak MQTT themselves)
  liblinphone-dev linphone-common  # the SIP stack of the telephony service; linphone-common holds
                                   # the grammar files without which the first MESSAGE aborts
  libasound2-dev                   # alsa-lib: the telephony service tries a sound card before using it
  libsodium-dev                    # the web page's password hashes (Argon2id), the credentials' keyed hashes
  libssl-dev openssl               # the web page's optional HTTPS and its certificate script
  python3                          # the broker's LAN listener and bridges are rendered by scripts/render-*.py
  libsystemd-dev                   # sd_notify: the services' readiness and watchdog under systemd
  libprotobuf-dev protobuf-compiler  # the Sparkplug B edge node's payloads (sparkplug_b.proto)
  libsqlite3-dev                   # the event history's database
)
# To test: the probes, the peers, the browser, the kernel VM, the package and the arm64 build.
test_packages=(
  libpaho-mqttpp-dev libpaho-mqtt-dev  # the tests' probe and the benchmarks' second floor
  libgtest-dev googletest
  sip-tester                       # sipp: the SIP peer of the telephony tests
  baresip-core                     # another SIP phone: the far end of the audio tests (a tone each way)
  clang libclang-rt-14-dev         # the fuzz targets: libFuzzer, AddressSanitizer, UBSan
  chromium                         # the web page's end-to-end test, headless
  python3-jinja2                   # Home Assistant's discovery test renders its templates with Jinja
  dpkg-dev fakeroot                # the Debian package (cpack -G DEB) and its test
  nats-server                      # the fleet tests' clustered central service (its MQTT listener)
  qemu-system-x86 busybox-static   # the kernel VM of the tests labelled kernel (gpio-sim, snd-aloop)
  udev                             # in that VM: systemd-udevd applies the package's rule to /dev/gpiochip*
  iproute2                         # the LAN tests: Home Assistant's host in a network namespace (ip netns, veth)
  curl                             # in the kernel VM: the installed page over HTTPS
  # The arm64 build (Debian multiarch: dpkg --add-architecture arm64, below): the cross compilers,
  # the :arm64 -dev packages, and qemu-aarch64 to run the arm64 unit tests and services here.
  crossbuild-essential-arm64 qemu-user
  libboost-dev:arm64 libpaho-mqttpp-dev:arm64 libpaho-mqtt-dev:arm64 libgpiod-dev:arm64 libspdlog-dev:arm64
  libgtest-dev:arm64 libmosquitto-dev:arm64 liblinphone-dev:arm64 libsodium-dev:arm64 libssl-dev:arm64
  libsystemd-dev:arm64 libprotobuf-dev:arm64 libasound2-dev:arm64 libsqlite3-dev:arm64
)
[ "$profile" = all ] && packages+=("${test_packages[@]}")
# Node.js drives that test (playwright-core from npm). Installed from Debian only when the machine has
# no node or npm of its own: Debian's npm would conflict with a Node.js that carries its own npm.
if [ "$profile" = all ]; then
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done

here=$(cd "$(dirname "$0")/.." && pwd)
# The npm packages of the tests that run in Node.js (the browser test's playwright-core, the
# Sparkplug test's sparkplug-payload), exactly as locked, when they are missing or the lock changed.
install_test_npm_packages() {
  [ "$profile" = all ] || return 0
  local folder
  for folder in "$here/tests/browser" "$here/tests/sparkplug"; do
    if [ ! -f "$folder/node_modules/.package-lock.json" ] || ! cmp -s <(grep -v '"name"' "$folder/package-lock.json" | grep '"version"') \
        <(grep -v '"name"' "$folder/node_modules/.package-lock.json" | grep '"version"'); then
      echo "setup: installing the npm packages of ${folder#"$here"/}"
      (cd "$folder" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  done
}

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages ($profile) already installed"
  install_test_npm_packages
  exit 0
fi

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "setup: installing ${missing[*]}"
if [ "$profile" = all ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  "${sudo_cmd[@]}" dpkg --add-architecture arm64
fi
"${sudo_cmd[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"

# The broker is started by our launcher and tests with our own configuration;
# the distribution's system-wide instance would only hold port 1883.
if command -v systemctl >/dev/null && systemctl is-enabled mosquitto >/dev/null 2>&1; then
  "${sudo_cmd[@]}" systemctl disable --now mosquitto >/dev/null 2>&1 || true
fi
install_test_npm_packages
echo "setup: done"
