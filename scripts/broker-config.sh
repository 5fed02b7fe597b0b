#!/usr/bin/env bash
# Prepares a broker state directory: a password per user (kept if it exists), the password file,
# and mosquitto.conf rendered from mosquitto/mosquitto.conf.in.
# Usage: broker-config.sh STATE_DIR PORT   (INTERCOM_BUILD_DIR: where the broker plugin was built,
# default build/; INTERCOM_BRIDGE_FILE: a bridge to a fleet's central service, config/fleet/bridge.json;
# INTERCOM_LAN_FILE: what is opened to the LAN, config/lan.json; INTERCOM_DEVICE: the device's name
# for the LAN listener's reports, default: the one in gpio.json beside lan.json)
# Writes STATE_DIR/mosquitto.conf, STATE_DIR/passwd (and passwd-lan: the LAN listener's users only)
# and STATE_DIR/secrets/<user>.password (mode 600).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
state_dir=$1
port=$2
mkdir -p "$state_dir/secrets"
chmod 700 "$state_dir/secrets"
state_dir=$(cd "$state_dir" && pwd)

passwd_tool=$(command -v mosquitto_passwd || echo /usr/bin/mosquitto_passwd)
for user in $(cat "$here/mosquitto/users"); do
  secret="$state_dir/secrets/$user.password"
  if [ ! -s "$secret" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$secret")
  fi
done
# The password file, hashed again only when a password changed or a user has no line in it (a
# package's new user: its users file may be older than the password file): the broker renders
# this at every start, and ten hashes cost seconds on a small board.
rehash=false
[ -s "$state_dir/passwd" ] && [ -z "$(find "$state_dir/secrets" -newer "$state_dir/passwd" 2>/dev/null | head -1)" ] || rehash=true
for user in $(cat "$here/mosquitto/users"); do grep -q "^$user:" "$state_dir/passwd" 2>/dev/null || rehash=true; done
if $rehash; then
  rm -f "$state_dir/passwd.new"
  (umask 077; : > "$state_dir/passwd.new")
  while read -r user; do
    [ -n "$user" ] || continue
    "$passwd_tool" -b "$state_dir/passwd.new" "$user" "$(cat "$state_dir/secrets/$user.password")"
  done < "$here/mosquitto/users"
  mv "$state_dir/passwd.new" "$state_dir/passwd"
fi

guard="${INTERCOM_BUILD_DIR:-$here/build}/mosquitto/intercom_client_id_guard.so"
if [ ! -f "$guard" ]; then
  echo "broker-config: $guard is missing; build first (cmake --build build)" >&2
  exit 1
fi

sed -e "s|@PORT@|$port|g" -e "s|@CLIENT_ID_GUARD@|$guard|g" -e "s|@USER@|$(id -un)|g" -e "s|@STATE_DIR@|$state_dir|g" -e "s|@ACL_FILE@|$here/mosquitto/acl|g" \
  "$here/mosquitto/mosquitto.conf.in" > "$state_dir/mosquitto.conf"

# What config/lan.json opens to the LAN: a listener for Home Assistant and SCADA, with a password
# file of their lines only (never a service's), and a bridge to Home Assistant's broker, whose
# section holds that broker's password (scripts/render-lan.py). A refused lan.json stops the
# launcher and the tests; an installed device's broker (INTERCOM_LAN_REFUSED=start-without) starts
# without the LAN part, so that the door's own bus stays up.
rm -f "$state_dir/passwd-lan" "$state_dir/lan-users"
if [ -n "${INTERCOM_LAN_FILE:-}" ]; then
  if lan=$(/usr/bin/python3 "$here/scripts/render-lan.py" "$INTERCOM_LAN_FILE" "$state_dir" "$guard" "$here/mosquitto/acl" \
             "${INTERCOM_DEVICE:--}" "$state_dir/lan-users"); then
    if [ -s "$state_dir/lan-users" ]; then
      # Their lines of the password file as they are (render-lan.py let only plain user names through).
      (umask 077; grep -E "^($(paste -sd'|' "$state_dir/lan-users")):" "$state_dir/passwd" > "$state_dir/passwd-lan")
    fi
    if [ -n "$lan" ]; then
      chmod 600 "$state_dir/mosquitto.conf"
      printf '\n%s\n' "$lan" >> "$state_dir/mosquitto.conf"
    fi
  else
    [ "${INTERCOM_LAN_REFUSED:-stop}" = start-without ] || exit 2
    echo "broker-config: $INTERCOM_LAN_FILE refused (above): the broker starts without a LAN listener or bridge" >&2
  fi
  rm -f "$state_dir/lan-users"
fi

# The bridge to the fleet's central service, when its file enables it (scripts/render-bridge.py).
# Its section holds the central service's password: the whole file is then the owner's only.
if [ -n "${INTERCOM_BRIDGE_FILE:-}" ]; then
  bridge=$(/usr/bin/python3 "$here/scripts/render-bridge.py" "$INTERCOM_BRIDGE_FILE") || exit 2
  if [ -n "$bridge" ]; then
    chmod 600 "$state_dir/mosquitto.conf"
    printf '\n%s\n' "$bridge" >> "$state_dir/mosquitto.conf"
  fi
fi
