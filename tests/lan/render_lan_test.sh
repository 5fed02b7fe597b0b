#!/usr/bin/env bash
# scripts/render-lan.py: what it renders from config/lan.json, and each refusal naming the file, the
# JSON path and what is allowed. Usage: render_lan_test.sh SOURCE_DIR
set -uo pipefail
source=$1
render=$source/scripts/render-lan.py
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
failures=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; failures=$((failures + 1)); fi; }
touch "$dir/cert.pem" "$dir/key.pem"; echo "s3cret" > "$dir/ha.password"

# The shipped file: everything off, nothing rendered.
out=$(python3 "$render" "$source/config/lan.json" /state /guard.so /acl door1); code=$?
check "the shipped lan.json opens nothing" '[ $code = 0 ] && [ -z "$out" ]'

cat > "$dir/on.json" <<'JSON'
{"mqtt": {"enabled": true, "address": "192.0.2.10", "port": 8883, "certificate_file": "cert.pem", "key_file": "key.pem"},
 "home_assistant_bridge": {"enabled": true, "address": "ha.local:1883", "username": "intercom", "password_file": "ha.password"}}
JSON
out=$(python3 "$render" "$dir/on.json" /state /guard.so /acl door1); code=$?
check "a TLS listener on the address" '[ $code = 0 ] && grep -qx "listener 8883 192.0.2.10" <<<"$out" && grep -qx "certfile $dir/cert.pem" <<<"$out"'
check "its own password file" 'grep -qx "password_file /state/passwd-lan" <<<"$out"'
check "the login limit and its report topic" 'grep -qx "plugin_opt_max_attempts_per_minute 20" <<<"$out" && grep -qx "plugin_opt_report_topic intercom/door1/broker/security" <<<"$out"'
check "the bridge: states out, commands and the birth in, nothing else" \
  'grep -qx "topic intercom/+/output/+ out 1" <<<"$out" && grep -qx "topic intercom/+/output/+/set in 1" <<<"$out" && grep -qx "topic homeassistant/status in 1" <<<"$out" && grep -qx "topic homeassistant/device/+/config out 1" <<<"$out" && ! grep -q "config/set\|message/send\|call/dtmf\|rules/config" <<<"$out"'
check "the bridge's password from its file" 'grep -qx "remote_password s3cret" <<<"$out"'
python3 "$render" "$dir/on.json" /state /guard.so /acl door1 "$dir/users" >/dev/null
check "the LAN users: Home Assistant's and SCADA's" '[ "$(cat "$dir/users")" = "$(printf "homeassistant\nscada")" ]'
echo '{"bus": {"device": "gate7"}}' > "$dir/gpio.json"
out=$(python3 "$render" "$dir/on.json" /state /guard.so /acl -)
check "the device from gpio.json beside it" 'grep -qx "plugin_opt_report_topic intercom/gate7/broker/security" <<<"$out"'

refused() {  # name, JSON, expected fragment of the error
  echo "$2" > "$dir/bad.json"
  err=$(python3 "$render" "$dir/bad.json" /state /guard.so /acl door1 2>&1 >/dev/null); code=$?
  expected=$3
  check "refused: $1" '[ $code = 2 ] && grep -qF -- "$expected" <<<"$err" && grep -qF "$dir/bad.json" <<<"$err"'
  [ $code = 2 ] && grep -qF -- "$expected" <<<"$err" || echo "     got: $err"
}
refused "a service user on the LAN" '{"mqtt": {"enabled": true, "users": ["gpio"], "certificate_file": "cert.pem", "key_file": "key.pem"}}' '/mqtt/users/0: "gpio" may not log in from the LAN; allowed: homeassistant, scada'
refused "an unknown key" '{"mqtt": {"enabled": true, "tsl": false}}' '/mqtt/tsl: unknown; allowed:'
refused "TLS without a certificate" '{"mqtt": {"enabled": true}}' '/mqtt/certificate_file: the certificate (PEM) file is needed'
refused "a certificate that is not there" '{"mqtt": {"enabled": true, "certificate_file": "none.pem", "key_file": "key.pem"}}' '/mqtt/certificate_file: cannot read'
refused "a loopback address" '{"mqtt": {"enabled": true, "address": "127.0.0.1"}}' '/mqtt/address: a loopback address is not on the LAN'
refused "a port out of range" '{"mqtt": {"enabled": true, "port": 70000, "certificate_file": "cert.pem", "key_file": "key.pem"}}' '/mqtt/port: an integer from 1 to 65535'
refused "a bridge without host:port" '{"home_assistant_bridge": {"enabled": true, "address": "ha.local"}}' '/home_assistant_bridge/address: Home Assistant'"'"'s broker as host:port'
refused "a password in the file instead of a file" '{"home_assistant_bridge": {"enabled": true, "address": "ha:1883", "username": "u", "password": "x"}}' '/home_assistant_bridge/password: unknown'
refused "not JSON" '{"mqtt": ' '/: not readable JSON'

[ "$failures" = 0 ] || { echo "$failures failed"; exit 1; }
