#!/usr/bin/env bash
# The Debian package, built from this build folder and installed on this machine as an integrator
# would: its contents, its control data, then `dpkg -i`, the services started with the packaged
# configs (by systemd where it runs, else the units' own command lines as the unit's user), all of
# them online, and `dpkg --purge` leaving nothing behind. Needs root (dpkg): skipped without it, or
# where intercom-io is installed already. Bounded in time.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
pids=()
installed=false
fail() { echo "FAIL: $*" >&2; exit 1; }
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do timeout 10 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
  if $installed; then dpkg --purge intercom-io >"$work/purge.log" 2>&1 || cat "$work/purge.log" >&2; fi
  rm -rf "$work"
}
trap cleanup EXIT
# Exit code 77: ctest reports the test as skipped, with the reason, rather than passed or failed.
skip() { echo "SKIPPED: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "installing a package needs root (CI runs the tests as root)"
if dpkg -s intercom-io >/dev/null 2>&1; then skip "intercom-io is installed on this machine already: not touching it"; fi
if (exec 3<>/dev/tcp/127.0.0.1/443) 2>/dev/null; then fail "port 443 (the packaged page's) is in use here"; fi

echo "== the package"
start=$(date +%s%N)
(cd "$build" && cpack -G DEB -B "$work/package" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$work"/package/intercom-io_*.deb)
echo "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB) in $(( ($(date +%s%N) - start) / 1000000 )) ms"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' > "$work/contents"
for path in /usr/bin/intercom-gpio /usr/bin/intercom-rules /usr/bin/intercom-telephony /usr/bin/intercom-sms /usr/bin/intercom-web \
            /usr/bin/intercom-discovery /usr/bin/intercom-sparkplug /usr/bin/intercom-history /usr/bin/intercomctl /usr/bin/intercom-web-passwd \
            /usr/lib/intercom-io/mosquitto/intercom_client_id_guard.so \
            /usr/share/intercom-io/schemas/bus/output-command.schema.json /usr/share/intercom-io/schemas/config/gpio.schema.json \
            /usr/share/intercom-io/schemas/homeassistant/device-discovery.schema.json /usr/share/intercom-io/web/index.html \
            /usr/share/intercom-io/mosquitto/acl /usr/share/intercom-io/mosquitto/users /usr/share/intercom-io/mosquitto/mosquitto.conf.in \
            /usr/share/intercom-io/scripts/broker-config.sh /usr/share/intercom-io/config/gpio.json /usr/share/intercom-io/config/intercomctl.json \
            /lib/systemd/system/intercom-io.target /lib/systemd/system/intercom-io-broker.service /lib/systemd/system/intercom-io-gpio.service \
            /lib/udev/rules.d/60-intercom-io.rules /usr/share/doc/intercom-io/README.md /usr/share/doc/intercom-io/examples/node-red/flows.json; do
  grep -qx "$path" "$work/contents" || fail "$path is not in the package"
done
! grep -q "/build/\|/tests/\|\.o$" "$work/contents" || fail "build or test files in the package: $(grep "/build/\|/tests/\|\.o$" "$work/contents" | head -3)"
echo "contents: $(grep -vc '/$' "$work/contents") files, every expected one there"
dpkg-deb -e "$deb" "$work/control"
depends=$(dpkg-deb -f "$deb" Depends)
for needed in mosquitto adduser libmosquitto1 liblinphone libsodium libgpiod libsystemd0; do
  [[ "$depends" == *"$needed"* ]] || fail "Depends lacks $needed: $depends"
done
# The device rewrites its configs: were they conffiles, an upgrade would stop at dpkg's question.
! grep -q "^/etc/" "$work/contents" || fail "the package ships files in /etc (dpkg conffiles): $(grep "^/etc/" "$work/contents" | head -3)"
[ ! -e "$work/control/conffiles" ] || fail "the package has conffiles: $(cat "$work/control/conffiles")"
for script in postinst prerm postrm; do [ -x "$work/control/$script" ] || fail "no $script"; done

echo "== dpkg -i"
dpkg -i "$deb" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "dpkg -i failed"; }
installed=true
getent passwd intercom >/dev/null || fail "no user intercom"
for name in gpio rules telephony sms web sparkplug history intercomctl lan; do
  cmp -s "/usr/share/intercom-io/config/$name.json" "/etc/intercom-io/$name.json" || fail "/etc/intercom-io/$name.json is not the shipped default"
done
grep -q "\"configuration_url\": \"https://$(hostname).local/\"" /etc/intercom-io/discovery.json || fail "discovery.json's link is not the page on the LAN"
# The device's certificate, made once at installation, and where the page is said.
tls=/var/lib/intercom-io/tls
[ -s $tls/certificate.pem ] && [ "$(stat -c '%U %a' $tls/key.pem)" = "intercom 600" ] || fail "no certificate, or its key is not the service user's alone"
fingerprint=$(openssl x509 -in $tls/certificate.pem -noout -fingerprint -sha256 | cut -d= -f2)
grep -q "fingerprint.*$fingerprint" "$work/install.log" || { cat "$work/install.log"; fail "the installation does not print the certificate's fingerprint"; }
grep -q "the installer's page: https://" "$work/install.log" || fail "the installation does not print the page's address"
grep -q '"port": 443' /etc/intercom-io/web.json && grep -q '"certificate_file": "/var/lib/intercom-io/tls/certificate.pem"' /etc/intercom-io/web.json ||
  fail "the packaged page is not HTTPS on 443"
[ "$(stat -c %U /etc/intercom-io/gpio.json)" = intercom ] || fail "gpio.json is not the service user's (live configuration writes it)"
[ "$(stat -c %U /etc/intercom-io/intercomctl.json)" = root ] || fail "intercomctl.json is not root's"
if command -v systemd-analyze >/dev/null; then
  # Every directive of every unit known to this systemd, every command there.
  systemd-analyze verify /lib/systemd/system/intercom-io*.service /lib/systemd/system/intercom-io*.path /lib/systemd/system/intercom-io.target >"$work/verify.log" 2>&1 \
    || { cat "$work/verify.log"; fail "systemd-analyze verify"; }
  ! grep -qi "unknown\|ignoring\|invalid" "$work/verify.log" || { cat "$work/verify.log"; fail "systemd-analyze verify warns"; }
  echo "units: systemd-analyze verify is silent"
fi
for user in gpio rules telephony sms web discovery sparkplug history homeassistant scada operator; do
  [ -s "/var/lib/intercom-io/broker/secrets/$user.password" ] || fail "no broker password for $user"
done
[ "$(stat -c %U /var/lib/intercom-io/broker/secrets/gpio.password)" = intercom ] || fail "the passwords are not the service user's"
grep -q '"/var/lib/intercom-io/broker/secrets/gpio.password"' /etc/intercom-io/gpio.json || fail "gpio.json does not point to the installed password"
! grep -q '\.\./var' /etc/intercom-io/*.json || fail "a packaged config points into a source tree"
# The installed tool finds the installed schemas (there is no source tree beside /usr/bin).
/usr/bin/intercomctl validate /etc/intercom-io/gpio.json | grep -q "a valid gpio configuration" || fail "intercomctl validate of the packaged gpio.json"
for name in rules telephony sms web discovery sparkplug history; do /usr/bin/intercomctl validate "/etc/intercom-io/$name.json" >/dev/null || fail "packaged $name.json invalid"; done

echo "== the services"
port=1883
if (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; then
  # Something (Debian's own mosquitto?) holds the packaged port here: the same config on another.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
fi
if [ -d /run/systemd/system ] && [ "$port" = 1883 ]; then
  systemctl start intercom-io.target
  echo "started by systemd"
else
  # No systemd here: the units' own command lines, as the units' user.
  exec_start() { sed -n 's/^ExecStart=//p' "/lib/systemd/system/intercom-io-$1.service"; }
  sed "s/^listener 1883 /listener $port /" /var/lib/intercom-io/broker/mosquitto.conf > "$work/broker.conf"
  chown intercom "$work/broker.conf"; chmod 755 "$work"
  broker_command=$(exec_start broker | sed "s|/var/lib/intercom-io/broker/mosquitto.conf|$work/broker.conf|")
  runuser -u intercom -- $broker_command >"$work/broker.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  for name in gpio rules telephony sms web discovery sparkplug history; do
    # As the unit runs it: its user, and the one capability it keeps (web: port 443).
    caps=$(sed -n 's/^AmbientCapabilities=CAP_//p' "/lib/systemd/system/intercom-io-$name.service" | tr 'A-Z' 'a-z')
    setpriv --reuid intercom --regid intercom --init-groups ${caps:+--inh-caps +$caps --ambient-caps +$caps} \
      $(exec_start "$name") --broker "tcp://127.0.0.1:$port" >"$work/$name.log" 2>&1 &
    pids+=($!)
  done
  echo "started the units' command lines as user intercom (no systemd here), broker on port $port"
fi
deadline=$(( $(date +%s) + 20 ))
while :; do
  status=$(/usr/bin/intercomctl --broker "tcp://127.0.0.1:$port" --no-colour status 2>&1 || true)
  online=$(grep -cE "^  (gpio|rules|telephony|sms|web|discovery|sparkplug|history) +online" <<<"$status" || true)
  [ "$online" = 8 ] && break
  if [ "$(date +%s)" -gt "$deadline" ]; then
    echo "$status"; for log in "$work"/*.log; do echo "--- $log"; tail -5 "$log"; done
    fail "not every service online within 20 s"
  fi
  sleep 0.5
done
echo "$status"
/usr/bin/intercomctl --broker "tcp://127.0.0.1:$port" pulse out1 | grep -q "out1: on (pulse" || fail "the packaged lock did not pulse"
echo "every service online with the packaged configs; out1 pulsed through intercomctl"
curl -sf --cacert $tls/certificate.pem --resolve "$(hostname):443:127.0.0.1" "https://$(hostname)/" -o /dev/null ||
  fail "the page is not on https://$(hostname)/ with the device's certificate"
/usr/bin/intercomctl --broker "tcp://127.0.0.1:$port" --no-colour status | grep -q "https on 0.0.0.0:443 (certificate SHA-256 $fingerprint)" ||
  fail "intercomctl status does not give the page and its fingerprint"
echo "the page answers over HTTPS on 443; intercomctl status gives its fingerprint"
# The installer's first password: the setup token where they look, not only in the web service's log.
token=$(/usr/bin/intercomctl setup-token 2>"$work/setup-token.err") || fail "intercomctl setup-token: $(cat "$work/setup-token.err")"
[[ "$token" =~ ^[0-9a-f]{24}$ ]] || fail "intercomctl setup-token printed \"$token\", not a setup token"
[ "$(stat -c %a /var/lib/intercom-io/web/setup-token)" = 600 ] || fail "the setup token's file is readable by others"
echo "intercomctl setup-token prints the page's setup token"

echo "== dpkg --purge"
for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
for pid in "${pids[@]}"; do timeout 10 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
pids=()
dpkg --purge intercom-io >"$work/purge.log" 2>&1 || { cat "$work/purge.log"; fail "dpkg --purge failed"; }
installed=false
[ ! -e /etc/intercom-io ] || fail "purge left /etc/intercom-io: $(ls -A /etc/intercom-io)"
[ ! -e /var/lib/intercom-io ] || fail "purge left /var/lib/intercom-io"
! getent passwd intercom >/dev/null || fail "purge left the user intercom"
echo "purged: no /etc/intercom-io, no /var/lib/intercom-io, no user intercom"
