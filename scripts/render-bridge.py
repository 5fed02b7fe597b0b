#!/usr/bin/python3
"""Renders the site broker's bridge to the fleet's central MQTT service from config/fleet/bridge.json
(checked here, key by key): states and events of every device on this broker go out under
sites/<site>/, commands come in from there. Prints the mosquitto.conf section; nothing when the
bridge is not enabled. Errors name the file and the JSON path, exit code 2.

Usage: render-bridge.py BRIDGE.json
"""
import json
import os
import re
import sys

# What a site says (states and events) and what it is told (commands). No command goes out: on an
# MQTT 3.1.1 bridge (what clustered brokers such as NATS speak) a command that came in would
# otherwise go back out again.
OUT = ["+/input/+", "+/output/+", "+/+/status", "+/+/error", "+/call", "+/call/dtmf", "+/telephony/registration",
       "+/message/received", "+/message/result", "+/sms/modem", "+/sms/outbox", "+/rules/fired", "+/rules/code",
       "+/rules/reloaded", "+/rules/out/#", "+/+/config", "+/+/config/result", "+/web/login", "+/sim/output/+/level"]
IN = ["+/output/+/set", "+/call/set", "+/call/control/set", "+/rules/set", "+/message/send", "+/+/config/set"]
# The Sparkplug B edge node's messages (services/sparkplug) when "sparkplug" is true: its own
# namespace, unprefixed (group and edge node ids already say which site it is), QoS 1 across the
# link; NCMD and DCMD come in, and the SCADA hosts' STATE (for an edge node told to wait for its
# primary host).
SPARKPLUG_OUT = ["spBv1.0/+/NBIRTH/+", "spBv1.0/+/NDATA/+", "spBv1.0/+/NDEATH/+", "spBv1.0/+/DBIRTH/+/+", "spBv1.0/+/DDATA/+/+",
                 "spBv1.0/+/DDEATH/+/+"]
SPARKPLUG_IN = ["spBv1.0/+/NCMD/+", "spBv1.0/+/DCMD/+/+", "spBv1.0/STATE/+"]


def fail(path, pointer, reason):
    print(f"render-bridge: {path}: {pointer or '/'}: {reason}", file=sys.stderr)
    sys.exit(2)


def main(path):
    try:
        config = json.load(open(path))
    except (OSError, ValueError) as error:
        fail(path, "", f"not readable JSON: {error}")
    if not isinstance(config, dict):
        fail(path, "", "must be an object")
    allowed = {"enabled", "site", "central", "username", "password_file", "ca_file", "keepalive_s", "sparkplug"}
    for key in config:
        if key not in allowed:
            fail(path, f"/{key}", f"unknown; allowed: {', '.join(sorted(allowed))}")
    if not config.get("enabled", False):
        return 0
    site = config.get("site")
    if not isinstance(site, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", site):
        fail(path, "/site", "a site name is required: lower-case letters, digits, _ and -, at most 64")
    central = config.get("central")
    if not isinstance(central, list) or not central:
        fail(path, "/central", "one or more \"host:port\" of the central service, tried in order")
    for index, address in enumerate(central):
        if not isinstance(address, str) or not re.fullmatch(r"[A-Za-z0-9.\-]+:[0-9]{1,5}", address):
            fail(path, f"/central/{index}", f"{json.dumps(address)} is not host:port")
    keepalive = config.get("keepalive_s", 15)
    if not isinstance(keepalive, int) or not 5 <= keepalive <= 600:
        fail(path, "/keepalive_s", "an integer from 5 to 600")
    lines = [
        "# Bridge to the fleet's central MQTT service, rendered from " + os.path.abspath(path) + " by scripts/render-bridge.py.",
        f"connection central-{site}",
        "address " + " ".join(central),
        "round_robin false",
        "bridge_protocol_version mqttv311",
        "try_private false",
        "cleansession false",
        f"remote_clientid {site}-bridge",
        f"local_clientid {site}-bridge-local",
        "restart_timeout 1 10",
        f"keepalive_interval {keepalive}",
        "notifications false",
    ]
    if "username" in config:
        if not isinstance(config["username"], str) or not config["username"]:
            fail(path, "/username", "a non-empty string")
        lines.append(f"remote_username {config['username']}")
        secret_file = config.get("password_file")
        if not isinstance(secret_file, str):
            fail(path, "/password_file", "needed with a username: the file that holds the password (never the password itself)")
        secret_path = os.path.join(os.path.dirname(os.path.abspath(path)), secret_file)
        try:
            password = open(secret_path).read().strip()
        except OSError as error:
            fail(path, "/password_file", f"cannot read {secret_path}: {error.strerror}")
        lines.append(f"remote_password {password}")
    if "ca_file" in config:
        lines.append("bridge_cafile " + os.path.join(os.path.dirname(os.path.abspath(path)), config["ca_file"]))
    for pattern in OUT:
        lines.append(f"topic {pattern} out 1 intercom/ sites/{site}/intercom/")
    for pattern in IN:
        lines.append(f"topic {pattern} in 1 intercom/ sites/{site}/intercom/")
    sparkplug = config.get("sparkplug", False)
    if not isinstance(sparkplug, bool):
        fail(path, "/sparkplug", "true or false: whether the Sparkplug B edge node's spBv1.0/ messages cross the bridge")
    if sparkplug:
        lines += [f"topic {pattern} out 1" for pattern in SPARKPLUG_OUT]
        lines += [f"topic {pattern} in 1" for pattern in SPARKPLUG_IN]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
