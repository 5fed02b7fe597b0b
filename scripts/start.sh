#!/usr/bin/env bash
# Sets up and runs intercom-io: installs missing packages (to run, not to test), builds the services,
# prepares the broker (passwords, config), then starts mosquitto and every service with the default
# configuration in config/.
# Each log line starts with the name of the process that wrote it. Ctrl-C stops everything cleanly:
# services first (they put outputs in their safe state and say offline), then the broker.
#
# The installer's page is at http://127.0.0.1:8080/ (config/web.json); the first start prints the
# setup token for its first password (also: build/tools/intercomctl/intercomctl setup-token).
#
# Environment: INTERCOM_MQTT_PORT (default 1883), INTERCOM_SERVICES (default: every service that has
# a binary and a config file), INTERCOM_LOG_LEVEL (default info).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
port=${INTERCOM_MQTT_PORT:-1883}
log_level=${INTERCOM_LOG_LEVEL:-info}
state_dir="$here/var/broker"

# Only what runs is installed and built (a release build, ccache when it is there): no test tooling.
# A build folder that scripts/test.sh configured keeps its tests (nothing is built twice).
bash "$here/scripts/setup.sh" run
tests=OFF
grep -q '^INTERCOM_TESTS:BOOL=ON' "$here/build/CMakeCache.txt" 2>/dev/null && tests=ON
cmake -S "$here" -B "$here/build" -DINTERCOM_TESTS="$tests" >/dev/null
echo "start: building the services (the first time takes minutes; see build/start-build.log)"
cmake --build "$here/build" --target intercom-runtime -j"$(nproc)" 2>&1 | tee "$here/build/start-build.log" \
  | grep --line-buffered -E "error|warning|Built target intercom" || true
if [ "${PIPESTATUS[0]}" -ne 0 ]; then
  echo "start: the build failed (build/start-build.log)" >&2
  exit 1
fi

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "start: port $port is in use (another broker?); choose another with INTERCOM_MQTT_PORT=..." >&2
  exit 1
fi
INTERCOM_BRIDGE_FILE="$here/config/fleet/bridge.json" INTERCOM_LAN_FILE="$here/config/lan.json" \
  bash "$here/scripts/broker-config.sh" "$state_dir" "$port"
web_port=$(sed -n 's/.*"port": *\([0-9]*\).*/\1/p' "$here/config/web.json" 2>/dev/null | head -1)
if [ -n "$web_port" ] && [ "$web_port" != 0 ] && (exec 3<>"/dev/tcp/127.0.0.1/$web_port") 2>/dev/null; then
  echo "start: port $web_port of the web page is in use; choose another in config/web.json (listen.port)" >&2
  exit 1
fi

# Ctrl-C reaches the whole process group; the log prefixers must outlive the services they serve,
# or a service writing its shutdown log would meet a closed pipe.
prefix() { (trap '' INT TERM; exec sed -u "s/^/$(printf '%-10s|' "$1") /"); }
pids=()
broker_pid=""
stop_all() {
  trap - INT TERM EXIT
  echo "start: stopping" | prefix launcher
  [ ${#pids[@]} -gt 0 ] && kill -TERM "${pids[@]}" 2>/dev/null || true
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$broker_pid" ] && kill -TERM "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null || true
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

mosquitto_bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)
# The broker and the services run in sessions of their own, so that Ctrl-C in the terminal reaches
# only this script, which then stops them in order: services first, the broker last.
setsid "$mosquitto_bin" -c "$state_dir/mosquitto.conf" > >(prefix broker) 2>&1 &
broker_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  kill -0 "$broker_pid" 2>/dev/null || { echo "start: the broker did not start" >&2; exit 1; }
  sleep 0.1
done

# The shipped sms config talks to the simulated GSM modem, so that the default system reports its
# alarms somewhere visible ("modem-sim | sent +447700900002 ALERT=IN1_ACTIVE"). Its commands come
# from a FIFO, held open here so that it never sees an end of input.
modem_sim="$here/build/services/sms/intercom-modem-sim"
if grep -q '"device": *"\.\./var/modem-sim/tty"' "$here/config/sms.json" && [ -x "$modem_sim" ]; then
  mkdir -p "$here/var/modem-sim"
  [ -p "$here/var/modem-sim/commands" ] || { rm -f "$here/var/modem-sim/commands"; mkfifo "$here/var/modem-sim/commands"; }
  exec {modem_commands}<>"$here/var/modem-sim/commands"
  setsid "$modem_sim" --link "$here/var/modem-sim/tty" <&"$modem_commands" > >(prefix modem-sim) 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do [ -e "$here/var/modem-sim/tty" ] && break; sleep 0.1; done
fi

# Every config file is a service's, except the command-line tool's and the LAN listener's (the broker's).
services=${INTERCOM_SERVICES:-$(cd "$here/config" && ls *.json | sed 's/\.json$//' | grep -vxE 'intercomctl|lan' | paste -sd' ')}
for service in $services; do
  binary="$here/build/services/$service/intercom-$service"
  [ -x "$binary" ] || { echo "start: no binary for $service yet, skipped" | prefix launcher; continue; }
  setsid "$binary" --config "$here/config/$service.json" --broker "tcp://127.0.0.1:$port" \
    --password-file "$state_dir/secrets/$service.password" --log-level "$log_level" > >(prefix "$service") 2>&1 &
  pids+=($!)
done

echo "start: broker on 127.0.0.1:$port, services: $services; see it at a glance, and watch it, with:" | prefix launcher
ctl_broker=""
[ "$port" = 1883 ] || ctl_broker=" --broker tcp://127.0.0.1:$port"
echo "  build/tools/intercomctl/intercomctl$ctl_broker status" | prefix launcher
echo "  build/tools/intercomctl/intercomctl$ctl_broker watch" | prefix launcher
echo "  mosquitto_sub -p $port -u operator -P \"\$(cat $state_dir/secrets/operator.password)\" -t 'intercom/#' -v" | prefix launcher
if [ -p "$here/var/modem-sim/commands" ]; then
  echo "start: alarms go to the simulated modem; a text from the trusted demo number opens output 1:" | prefix launcher
  echo "  echo 'deliver +447700900001 ALERT=OUT1_SOS' > var/modem-sim/commands" | prefix launcher
fi
if [[ " $services " == *" web "* ]]; then
  web_address=$(sed -n 's/.*"address": *"\([^"]*\)".*/\1/p' "$here/config/web.json" | head -1)
  web_port=$(sed -n 's/.*"port": *\([0-9]*\).*/\1/p' "$here/config/web.json" | head -1)
  echo "start: the installer's page is at http://${web_address:-127.0.0.1}:${web_port:-8080}/" | prefix launcher
  if [ ! -s "$here/var/web/password.hash" ]; then
    # The web service writes its setup token when it starts; the installer reads it here rather
    # than in the log.
    for _ in $(seq 50); do [ -s "$here/var/web/setup-token" ] && break; sleep 0.1; done
    if [ -s "$here/var/web/setup-token" ]; then
      echo "start: first start: open the page and enter the setup token $(cat "$here/var/web/setup-token") with a new password" | prefix launcher
    else
      echo "start: first start: the page's setup token: build/tools/intercomctl/intercomctl setup-token" | prefix launcher
    fi
    echo "start: (or set the password here: build/tools/intercomctl/intercomctl passwd)" | prefix launcher
  fi
fi
echo "start: Ctrl-C stops everything" | prefix launcher
# Stop everything when any process ends by itself: a half-running system only confuses.
wait -n "${pids[@]}" "$broker_pid" || true
echo "start: a process ended on its own" | prefix launcher
