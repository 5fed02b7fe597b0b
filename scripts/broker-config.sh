#!/usr/bin/env bash
# Prepares a broker state directory: a password per user (kept if it exists), the password file,
# and mosquitto.conf rendered from mosquitto/mosquitto.conf.in.
# Usage: broker-config.sh STATE_DIR PORT   (INTERCOM_BUILD_DIR: where the broker plugin was built,
# default build/; INTERCOM_BRIDGE_FILE: a bridge to a fleet's central service, config/fleet/bridge.json)
# Writes STATE_DIR/mosquitto.conf, STATE_DIR/passwd and STATE_DIR/secrets/<user>.password (mode 600).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
state_dir=$1
port=$2
mkdir -p "$state_dir/secrets"
chmod 700 "$state_dir/secrets"
state_dir=$(cd "$state_dir" && pwd)

passwd_tool=$(command -v mosquitto_passwd || echo /usr/bin/mosquitto_passwd)
rm -f "$state_dir/passwd.new"
touch "$state_dir/passwd.new"
chmod 600 "$state_dir/passwd.new"
while read -r user; do
  [ -n "$user" ] || continue
  secret="$state_dir/secrets/$user.password"
  if [ ! -s "$secret" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$secret")
  fi
  "$passwd_tool" -b "$state_dir/passwd.new" "$user" "$(cat "$secret")"
done < "$here/mosquitto/users"
mv "$state_dir/passwd.new" "$state_dir/passwd"

guard="${INTERCOM_BUILD_DIR:-$here/build}/mosquitto/intercom_client_id_guard.so"
if [ ! -f "$guard" ]; then
  echo "broker-config: $guard is missing; build first (cmake --build build)" >&2
  exit 1
fi

sed -e "s|@PORT@|$port|g" -e "s|@CLIENT_ID_GUARD@|$guard|g" -e "s|@USER@|$(id -un)|g" -e "s|@STATE_DIR@|$state_dir|g" -e "s|@ACL_FILE@|$here/mosquitto/acl|g" \
  "$here/mosquitto/mosquitto.conf.in" > "$state_dir/mosquitto.conf"

# The bridge to the fleet's central service, when its file enables it (scripts/render-bridge.py).
# Its section holds the central service's password: the whole file is then the owner's only.
if [ -n "${INTERCOM_BRIDGE_FILE:-}" ]; then
  bridge=$(/usr/bin/python3 "$here/scripts/render-bridge.py" "$INTERCOM_BRIDGE_FILE") || exit 2
  if [ -n "$bridge" ]; then
    chmod 600 "$state_dir/mosquitto.conf"
    printf '\n%s\n' "$bridge" >> "$state_dir/mosquitto.conf"
  fi
fi
