#!/bin/bash
# Runs inside the kernel VM with systemd as PID 1 (kernel-vm.sh systemd; started by
# tests/kernel/systemd_test.sh, which builds the packages). The Debian package is installed as on a
# board whose GPIO chip is a gpio-sim chip with named lines, then systemd is made to do what it is
# there for: start the target in order, wait for each service's READY, restart a wedged gpio on its
# watchdog and a crashed service, see the services through a broker restart, and stop everything
# with every output at its safe level. Then an upgrade to a newer package keeps a change made over
# the bus and asks nothing.
# Usage: systemd-in-vm.sh DIR   (DIR holds intercom-io_*.deb and upgrade/intercom-io_*.deb)
set -uo pipefail
dir=$1
export LC_ALL=C
failures=0
now() { cut -d' ' -f1 /proc/uptime; }
say() { echo "[vm $(now)s] $*"; }
ok() { echo "[vm $(now)s] ok: $*"; }
bad() { echo "[vm $(now)s] FAIL: $*"; failures=$((failures + 1)); }
die() { echo "[vm $(now)s] FAIL: $*"; journalctl --no-pager -n 60 -u 'intercom-io*' 2>/dev/null | tail -60; exit 1; }
# Waits up to $1 seconds for the command to succeed.
within() { local limit=$1; shift; local end; end=$(awk -v a="$(now)" -v b="$limit" 'BEGIN{print a+b}')
  until "$@" >/dev/null 2>&1; do awk -v a="$(now)" -v b="$end" 'BEGIN{exit !(a>b)}' && return 1; sleep 0.2; done; }
prop() { systemctl show -P "$2" "$1"; }
# (within evaluates its command each time: these read their values when called.)
restarted() { [ "$(prop "$1" NRestarts)" -gt "$2" ]; }
state_is() { [ "$(prop "$1" ActiveState)" = "$2" ]; }
group_is() { [ "$(stat -c %G "$1")" = "$2" ]; }
services=(gpio rules telephony sms web discovery sparkplug history)
ctl() { intercomctl --no-colour --timeout-ms 5000 "$@"; }
all_online() { [ "$(ctl status 2>/dev/null | grep -cE "^  (gpio|rules|telephony|sms|web|discovery|sparkplug|history) +online")" = 8 ]; }
publish() { mosquitto_pub -h 127.0.0.1 -u operator -P "$(cat /var/lib/intercom-io/broker/secrets/operator.password)" -q 1 -t "$1" -m "$2"; }

say "systemd $(systemctl --version | head -1 | cut -d' ' -f2), kernel $(uname -r), state $(systemctl is-system-running)"
systemctl is-active --quiet systemd-udevd || die "systemd-udevd is not running: the package's udev rule could not apply"

# --- the board: a gpio-sim chip with the lines named as on its schematic
busybox modprobe gpio-sim || die "modprobe gpio-sim"
[ -d /sys/kernel/config/gpio-sim ] || mount -t configfs configfs /sys/kernel/config
sim=/sys/kernel/config/gpio-sim/board
mkdir -p $sim/bank0
lines=(door-in1 button-in2 lock-out1 light-out2 spare-4 reader-d0 reader-d1 keypad-d0 keypad-d1 exit-in3)
echo ${#lines[@]} > $sim/bank0/num_lines
for offset in "${!lines[@]}"; do mkdir $sim/bank0/line$offset && echo "${lines[$offset]}" > $sim/bank0/line$offset/name; done
echo 1 > $sim/live
chip=$(cat $sim/bank0/chip_name)
sysfs=/sys/devices/platform/$(cat $sim/dev_name)/$chip
# The relays' drivers are pulled to their off level (NO: low); the contacts rest open (the inputs' bias).
for offset in 2 3; do echo pull-down > "$sysfs/sim_gpio$offset/pull"; done
# A Wiegand reader keeps its lines high between frames; the exit button rests open (pulled up).
for offset in 5 6 7 8 9; do echo pull-up > "$sysfs/sim_gpio$offset/pull"; done
line() { cat "$sysfs/sim_gpio$1/value"; }
line_is() { [ "$(line "$1")" = "$2" ]; }
say "gpio-sim chip $chip: ${lines[*]}"

# --- install, as an integrator does
say "dpkg -i $(basename "$dir"/intercom-io_*.deb)"
start=$(now)
DEBIAN_FRONTEND=noninteractive dpkg -i "$dir"/intercom-io_*.deb </dev/null >/tmp/install.log 2>&1 || { cat /tmp/install.log; die "dpkg -i"; }
say "installed in $(awk -v a="$start" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}') s"
within 5 group_is "/dev/$chip" intercom || bad "/dev/$chip is $(stat -c '%U:%G %a' "/dev/$chip"), not group intercom: the udev rule did not apply"
ls -l "/dev/$chip"
# The shipped gpio config, on this board's lines by name (as README's Raspberry Pi section says).
python3 - <<'EOF' || die "editing gpio.json"
import json
path = "/etc/intercom-io/gpio.json"
config = json.load(open(path))
config["backend"] = "libgpiod"
names = {"in1": "door-in1", "in2": "button-in2", "in3": "exit-in3", "out1": "lock-out1", "out2": "light-out2"}
for section in ("inputs", "outputs"):
    for port in config[section]:
        port["line"] = {"name": names[port["name"]]}
for reader in config.get("readers", []):
    prefix = "reader" if reader["name"] == "reader1" else "keypad"
    reader["d0"] = {"name": prefix + "-d0"}
    reader["d1"] = {"name": prefix + "-d1"}
json.dump(config, open(path, "w"), indent=2)
EOF

# --- the target, from stopped: every unit active, in order, each READY
systemctl stop intercom-io.target
within 30 bash -c '! systemctl is-active --quiet intercom-io-broker' || die "the target did not stop"
systemctl start intercom-io.target || die "systemctl start intercom-io.target"
broker_active=$(prop intercom-io-broker ActiveEnterTimestampMonotonic)
for service in "${services[@]}"; do
  unit=intercom-io-$service
  [ "$(prop $unit ActiveState)" = active ] || { bad "$unit is $(prop $unit ActiveState)"; continue; }
  started=$(prop $unit ExecMainStartTimestampMonotonic); ready=$(prop $unit ActiveEnterTimestampMonotonic)
  [ "$started" -ge "$broker_active" ] || bad "$unit started before the broker was active"
  # Type=notify: active is READY=1 received; STATUS= is what the service said with it.
  [ "$(prop $unit Type)" = notify ] || bad "$unit is not Type=notify"
  say "$unit: started $(( (started - broker_active) / 1000 )) ms after the broker, READY $(( (ready - started) / 1000 )) ms later: $(prop $unit StatusText)"
done
within 30 all_online && ok "every service active in order after the broker, READY, online on the bus" || bad "not all online: $(ctl status)"
within 5 line_is 2 0 || bad "out1's line is $(line 2) at start"

# --- a wedged gpio: the watchdog restarts it
ctl on out1 >/dev/null || bad "intercomctl on out1"
within 5 line_is 2 1 || bad "out1 did not switch on"
restarts=$(prop intercom-io-gpio NRestarts)
watchdog=$(prop intercom-io-gpio WatchdogUSec); watchdog=${watchdog%s}   # "10s"
stopped=$(now)
systemctl kill -s SIGSTOP intercom-io-gpio
within $((watchdog + 15)) line_is 2 0; released=$(now)
if within $((watchdog + 15)) restarted intercom-io-gpio "$restarts"; then
  ok "wedged gpio restarted by the watchdog ($(prop intercom-io-gpio NRestarts) restarts) $(awk -v a="$stopped" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}') s after SIGSTOP (WatchdogSec=$watchdog)"
else bad "gpio was not restarted within WatchdogSec=$watchdog + 15 s (NRestarts $(prop intercom-io-gpio NRestarts))"; fi
held=$(awk -v a="$stopped" -v b="$released" 'BEGIN{printf "%.1f", b-a}')
# A stopped process holds its lines as they are (the kernel keeps them): the watchdog bounds that.
if awk -v h="$held" -v w="$watchdog" 'BEGIN{exit !(h <= w + 1)}'; then ok "out1 held on by the wedged gpio for $held s (at most WatchdogSec), then released to its off level"
else bad "out1 was held on for $held s by the wedged gpio, more than WatchdogSec=$watchdog"; fi
within 20 all_online || bad "gpio not back online after the watchdog restart"
[ "$(line 2)" = 0 ] && ok "out1 is off after the restart" || bad "out1's line is $(line 2) after the restart"
ctl status | grep -E "^  out1" | grep -q "off" || bad "out1 not reported off: $(ctl status | grep out1)"

# --- the history, kept by the installed service in /var/lib/intercom-io/history
within 5 sh -c 'intercomctl --no-colour history --output out1 | grep -q "by intercomctl"' &&
  ok "intercomctl history tells who switched out1: $(ctl history --output out1 -n 1)" || bad "no history of out1: $(ctl history -n 5 2>&1)"
[ "$(stat -c %U /var/lib/intercom-io/history/history.db)" = intercom ] && ok "the history's file is the service user's" || bad "no /var/lib/intercom-io/history/history.db"

# --- a crashed service is restarted
restarts=$(prop intercom-io-rules NRestarts)
systemctl kill -s SIGSEGV intercom-io-rules
within 15 restarted intercom-io-rules "$restarts" && within 20 all_online &&
  ok "a crashed rules (SIGSEGV) restarted, online again" || bad "rules not restarted after SIGSEGV: $(prop intercom-io-rules ActiveState) $(prop intercom-io-rules NRestarts)"

# --- the broker restarts: every service comes back online by itself
systemctl restart intercom-io-broker
restarted=$(now)
if within 60 all_online; then ok "broker restarted: every service online again after $(awk -v a="$restarted" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}') s"
else bad "not every service back after a broker restart: $(ctl status)"; fi
for service in "${services[@]}"; do [ "$(prop intercom-io-$service ActiveState)" = active ] || bad "intercom-io-$service is $(prop intercom-io-$service ActiveState) after the broker restart"; done

# --- the LAN: the page over HTTPS on 443 with the certificate made at installation; lan.json
# changed opens the broker's TLS listener (intercom-io-lan.path restarts the broker); a typo in it
# leaves the services' bus up
tls=/var/lib/intercom-io/tls
[ -s $tls/certificate.pem ] && [ "$(stat -c %U $tls/key.pem)" = intercom ] && ok "the certificate was made at installation" || bad "no certificate in $tls"
fingerprint=$(openssl x509 -in $tls/certificate.pem -noout -fingerprint -sha256 | cut -d= -f2)
within 10 curl -sf --cacert $tls/certificate.pem --resolve "$(hostname):443:127.0.0.1" "https://$(hostname)/" -o /dev/null &&
  ok "the page answers over HTTPS on 443 with that certificate" || bad "the page is not on https://$(hostname)/: $(journalctl --no-pager -u intercom-io-web | tail -5)"
journalctl --no-pager -u intercom-io-web | grep -q "$fingerprint" && ok "the page's start log gives the fingerprint" || bad "no fingerprint in the web log"
ctl status | grep -q "https on 0.0.0.0:443 (certificate SHA-256 $fingerprint)" && ok "intercomctl status gives the page and its fingerprint" || bad "intercomctl status: $(ctl status | tail -4)"
broker_pid=$(prop intercom-io-broker MainPID)
python3 - <<'PY' || bad "editing lan.json"
import json
path = "/etc/intercom-io/lan.json"
lan = json.load(open(path))
lan["mqtt"]["enabled"] = True
json.dump(lan, open(path + ".new", "w"), indent=2)
PY
mv /etc/intercom-io/lan.json.new /etc/intercom-io/lan.json
ha_password=$(cat /var/lib/intercom-io/broker/secrets/homeassistant.password)
if within 20 mosquitto_pub -h 127.0.0.1 -p 8883 --cafile $tls/certificate.pem -u homeassistant -P "$ha_password" -t homeassistant/status -m online; then
  ok "lan.json changed: the broker restarted by itself ($(prop intercom-io-broker MainPID) after $broker_pid), Home Assistant's user reaches it over TLS on 8883"
else bad "no TLS listener on 8883 after lan.json changed: $(journalctl --no-pager -u intercom-io-broker | tail -5)"; fi
mosquitto_pub -h 127.0.0.1 -p 8883 --cafile $tls/certificate.pem -u operator -P "$(cat /var/lib/intercom-io/broker/secrets/operator.password)" -t x -m x 2>/dev/null &&
  bad "the operator logged in from the LAN listener" || ok "a service's or the operator's user is refused on the LAN listener"
within 30 all_online && ok "every service online again after the broker's restart" || bad "not all online after the LAN change: $(ctl status)"
sed -i 's/"port": 8883/"port": "8883"/' /etc/intercom-io/lan.json
if within 20 bash -c "journalctl --no-pager -u intercom-io-broker | grep -q 'starts without a LAN listener'"; then
  within 30 all_online && ok "a typo in lan.json: the broker says why and starts without its LAN part, every service online" || bad "services not online after a bad lan.json"
else bad "a bad lan.json was not reported: $(journalctl --no-pager -u intercom-io-broker | tail -5)"; fi
journalctl --no-pager -u intercom-io-broker | grep -q '/mqtt/port: an integer from 1 to 65535' && ok "its journal names the file, /mqtt/port and what is allowed" || bad "the refusal does not name /mqtt/port"

# --- stopping the target leaves every output safe
ctl on out1 >/dev/null || bad "intercomctl on out1"
publish intercom/door1/output/out2/set '{"action":"blink","on_ms":300,"off_ms":300,"duration_ms":60000}'
within 5 line_is 2 1 || bad "out1 did not switch on"
systemctl stop intercom-io.target
# (systemctl returns once the target is stopped; the broker stops last, after every service.)
for unit in broker "${services[@]}"; do within 30 state_is intercom-io-$unit inactive || bad "intercom-io-$unit is $(prop intercom-io-$unit ActiveState) after stopping the target"; done
for offset in 2 3; do [ "$(line $offset)" = 0 ] || bad "${lines[$offset]} is $(line $offset) after stopping the target"; done
journalctl --no-pager -u intercom-io-gpio | grep -q "output out1: off.*shutdown\|out1.*shutdown" && ok "target stopped: every unit inactive, out1 and out2 off (gpio drove them off before it let go)" ||
  bad "gpio's journal does not show out1 driven off at shutdown: $(journalctl --no-pager -u intercom-io-gpio | tail -5)"

# --- an upgrade keeps a change made over the bus, and asks nothing
systemctl start intercom-io.target
within 30 all_online || die "not online before the upgrade"
ctl config get gpio > /tmp/gpio-config.json || die "intercomctl config get gpio"
python3 - <<'EOF' || die "making the change"
import json
config = json.load(open("/tmp/gpio-config.json"))
config = config.get("config", config)
for port in config["outputs"]:
    if port["name"] == "out1":
        port["pulse_ms"] = 3210
json.dump({"outputs": config["outputs"]}, open("/tmp/gpio-patch.json", "w"))
EOF
ctl config set gpio @/tmp/gpio-patch.json || die "intercomctl config set gpio"
grep -q '"pulse_ms": 3210' /etc/intercom-io/gpio.json || die "the change is not in /etc/intercom-io/gpio.json"
before=$(dpkg-query -W -f '${Version}' intercom-io)
DEBIAN_FRONTEND=noninteractive timeout 120 dpkg -i "$dir"/upgrade/intercom-io_*.deb </dev/null >/tmp/upgrade.log 2>&1
status=$?
after=$(dpkg-query -W -f '${Version}' intercom-io)
if [ $status = 0 ] && [ "$after" != "$before" ] && ! grep -qi "configuration file\|conffile" /tmp/upgrade.log; then
  ok "upgraded $before -> $after with no question (dpkg's input closed)"
else cat /tmp/upgrade.log; bad "upgrade $before -> $after: exit $status"; fi
cmp -s /usr/share/intercom-io/config/gpio.json /etc/intercom-io/gpio.json && bad "the upgrade put the shipped gpio.json back"
grep -q '"pulse_ms": 3210' /etc/intercom-io/gpio.json || bad "the change is gone from /etc/intercom-io/gpio.json"
grep -q "upgraded default" /usr/share/intercom-io/config/gpio.json || bad "the newer package's default is not installed"
within 30 all_online || bad "not online after the upgrade"
ctl config get gpio | grep -q '"pulse_ms": 3210' && ok "the change made over the bus is in force after the upgrade" || bad "the change is not in force after the upgrade"
ctl pulse out1 >/dev/null && within 3 line_is 2 1 && sleep 2.5 && [ "$(line 2)" = 1 ] && within 3 line_is 2 0 &&
  ok "out1 pulses for the changed 3.2 s" || bad "out1's pulse is not the changed one"

systemctl stop intercom-io.target
say "done: $failures failure(s)"
[ $failures = 0 ]
