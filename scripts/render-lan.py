#!/usr/bin/python3
"""Renders what the device's broker opens to the LAN from config/lan.json (checked here, key by key;
schemas/config/lan.schema.json says the same for the page):

- "mqtt": a listener on the LAN, TLS by default, for the users Home Assistant and a SCADA host use
  (homeassistant, scada), each with its own ACL lines (mosquitto/acl); a service user's password is
  not in that listener's password file, so it cannot log in from the LAN at all.
- "home_assistant_bridge": a bridge to Home Assistant's own broker (the Mosquitto add-on): what
  Home Assistant shows goes out (states, events, discovery), its commands and its birth message
  come in, nothing else.

Usage:
  render-lan.py LAN.json STATE_DIR GUARD_PLUGIN ACL_FILE DEVICE [USERS_FILE]
prints the mosquitto.conf sections (nothing when both are off) and writes to USERS_FILE the users the
LAN listener lets in, one a line (empty when it is off). DEVICE "-": the one in gpio.json beside LAN.json.
Errors name the file and the JSON path, exit code 2. Relative paths are relative to LAN.json.
"""
import json
import os
import re
import sys

SERVICE_USERS = "gpio rules telephony sms web discovery sparkplug history access"
LAN_USERS = ["homeassistant", "scada"]
# What Home Assistant's entities show (the homeassistant user's read lines in mosquitto/acl), out;
# the commands its entities send and its birth message, in. Disjoint, so nothing that came in goes
# back out over an MQTT 3.1.1 bridge.
HA_OUT = ["intercom/+/+/status", "intercom/+/input/+", "intercom/+/output/+", "intercom/+/call",
          "intercom/+/telephony/registration", "intercom/+/sms/modem", "intercom/+/rules/code", "intercom/+/rules/fired",
          "intercom/+/message/received", "intercom/+/access/event"]
HA_IN = ["intercom/+/output/+/set", "intercom/+/call/control/set"]
HOST_PORT = re.compile(r"[A-Za-z0-9.\-]+:[0-9]{1,5}")
ADDRESS = re.compile(r"[0-9.]+|[0-9a-fA-F:]+")


def fail(path, pointer, reason):
    print(f"render-lan: {path}: {pointer or '/'}: {reason}", file=sys.stderr)
    sys.exit(2)


def check_keys(path, pointer, section, allowed):
    if not isinstance(section, dict):
        fail(path, pointer, "must be an object")
    for key in section:
        if key not in allowed:
            fail(path, f"{pointer}/{key}", f"unknown; allowed: {', '.join(sorted(allowed))}")


def boolean(path, pointer, section, key, default):
    value = section.get(key, default)
    if not isinstance(value, bool):
        fail(path, f"{pointer}/{key}", "true or false")
    return value


def integer(path, pointer, section, key, default, low, high):
    value = section.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        fail(path, f"{pointer}/{key}", f"an integer from {low} to {high}")
    return value


def readable_file(path, pointer, section, key, what):
    value = section.get(key)
    if not isinstance(value, str) or not value:
        fail(path, f"{pointer}/{key}", f"the {what} file is needed")
    full = os.path.join(os.path.dirname(os.path.abspath(path)), value)
    try:
        with open(full, "rb"):
            pass
    except OSError as error:
        fail(path, f"{pointer}/{key}", f"cannot read {full}: {error.strerror}")
    return full


def load(path):
    try:
        with open(path) as file:
            config = json.load(file)
    except (OSError, ValueError) as error:
        fail(path, "", f"not readable JSON: {error}")
    check_keys(path, "", config, {"mqtt", "home_assistant_bridge"})
    return config


def mqtt_users(path, mqtt):
    users = mqtt.get("users", LAN_USERS)
    if not isinstance(users, list) or not users:
        fail(path, "/mqtt/users", f"a list of one or more of: {', '.join(LAN_USERS)}")
    for index, user in enumerate(users):
        if user not in LAN_USERS:
            fail(path, f"/mqtt/users/{index}", f"{json.dumps(user)} may not log in from the LAN; allowed: {', '.join(LAN_USERS)}"
                 " (the services' own users never leave the device)")
    return list(dict.fromkeys(users))


def listener(path, mqtt, state_dir, guard, acl, device):
    pointer = "/mqtt"
    check_keys(path, pointer, mqtt, {"enabled", "address", "port", "tls", "certificate_file", "key_file", "users",
                                     "max_connections", "max_attempts_per_minute"})
    if not boolean(path, pointer, mqtt, "enabled", False):
        return []
    address = mqtt.get("address", "0.0.0.0")
    if not isinstance(address, str) or not ADDRESS.fullmatch(address):
        fail(path, f"{pointer}/address", "an IPv4 or IPv6 address of this device (0.0.0.0: every interface)")
    if address.startswith("127."):
        fail(path, f"{pointer}/address", "a loopback address is not on the LAN: the services' listener is already there")
    tls = boolean(path, pointer, mqtt, "tls", True)
    port = integer(path, pointer, mqtt, "port", 8883 if tls else 1883, 1, 65535)
    max_connections = integer(path, pointer, mqtt, "max_connections", 32, 1, 10000)
    attempts = integer(path, pointer, mqtt, "max_attempts_per_minute", 20, 1, 6000)
    users = mqtt_users(path, mqtt)
    lines = [
        f"# The LAN listener, rendered from {os.path.abspath(path)} by scripts/render-lan.py: only the users",
        f"# {', '.join(users)}; the services' users are not in its password file.",
        f"listener {port} {address}",
        f"max_connections {max_connections}",
        "allow_anonymous false",
        f"password_file {state_dir}/passwd-lan",
        f"acl_file {acl}",
        f"plugin {guard}",
        f"plugin_opt_service_users {SERVICE_USERS}",
        f"plugin_opt_max_attempts_per_minute {attempts}",
        f"plugin_opt_report_topic intercom/{device}/broker/security",
    ]
    if tls:
        lines += [
            "certfile " + readable_file(path, pointer, mqtt, "certificate_file", "certificate (PEM)"),
            "keyfile " + readable_file(path, pointer, mqtt, "key_file", "private key (PEM)"),
            "tls_version tlsv1.2",
        ]
    else:
        for key in ("certificate_file", "key_file"):
            if key in mqtt:
                fail(path, f"{pointer}/{key}", "only with \"tls\": true")
        lines.insert(2, "# WARNING: plain MQTT on the LAN (\"tls\": false): passwords and commands cross it readable.")
    return lines


def bridge(path, section):
    pointer = "/home_assistant_bridge"
    check_keys(path, pointer, section, {"enabled", "address", "username", "password_file", "tls", "ca_file", "discovery_prefix",
                                        "client_id", "keepalive_s"})
    if not boolean(path, pointer, section, "enabled", False):
        return []
    address = section.get("address")
    if not isinstance(address, str) or not HOST_PORT.fullmatch(address):
        fail(path, f"{pointer}/address", "Home Assistant's broker as host:port, e.g. \"homeassistant.local:1883\"")
    prefix = section.get("discovery_prefix", "homeassistant")
    if not isinstance(prefix, str) or not re.fullmatch(r"[A-Za-z0-9_\-]{1,64}", prefix):
        fail(path, f"{pointer}/discovery_prefix", "Home Assistant's discovery prefix (letters, digits, _ and -), as in config/discovery.json")
    client_id = section.get("client_id", "intercom-io-bridge")
    if not isinstance(client_id, str) or not re.fullmatch(r"[A-Za-z0-9_\-]{1,64}", client_id):
        fail(path, f"{pointer}/client_id", "letters, digits, _ and -, at most 64")
    keepalive = integer(path, pointer, section, "keepalive_s", 30, 5, 600)
    lines = [
        f"# The bridge to Home Assistant's broker, rendered from {os.path.abspath(path)} by scripts/render-lan.py.",
        "connection home-assistant",
        f"address {address}",
        "bridge_protocol_version mqttv311",
        "try_private false",
        "cleansession true",
        f"remote_clientid {client_id}",
        f"local_clientid {client_id}-local",
        "restart_timeout 1 10",
        f"keepalive_interval {keepalive}",
        "notifications false",
    ]
    if "username" in section:
        username = section["username"]
        if not isinstance(username, str) or not re.fullmatch(r"[^\s]{1,128}", username):
            fail(path, f"{pointer}/username", "a user name without spaces")
        secret = readable_file(path, pointer, section, "password_file", "password")
        with open(secret) as file:
            password = file.read().strip()
        if not password or any(c.isspace() for c in password):
            fail(path, f"{pointer}/password_file", f"{secret} must hold the password on one line, without spaces")
        lines += [f"remote_username {username}", f"remote_password {password}"]
    elif "password_file" in section:
        fail(path, f"{pointer}/password_file", "only with a \"username\"")
    if boolean(path, pointer, section, "tls", False):
        lines += ["bridge_cafile " + readable_file(path, pointer, section, "ca_file", "CA certificate (PEM) of Home Assistant's broker"),
                  "bridge_insecure false", "bridge_tls_version tlsv1.2"]
    elif "ca_file" in section:
        fail(path, f"{pointer}/ca_file", "only with \"tls\": true")
    lines += [f"topic {pattern} out 1" for pattern in HA_OUT]
    lines.append(f"topic {prefix}/device/+/config out 1")
    lines += [f"topic {pattern} in 1" for pattern in HA_IN]
    lines.append(f"topic {prefix}/status in 1")
    return lines


def device_beside(path):
    """The device's name as gpio.json beside lan.json says (the broker serves that device)."""
    try:
        with open(os.path.join(os.path.dirname(os.path.abspath(path)), "gpio.json")) as file:
            return json.load(file)["bus"]["device"]
    except (OSError, ValueError, KeyError, TypeError):
        return "door1"


def main(argv):
    if len(argv) not in (6, 7):
        print(__doc__, file=sys.stderr)
        return 2
    path, state_dir, guard, acl, device = argv[1:6]
    if device == "-":
        device = device_beside(path)
    config = load(path)
    mqtt = config.get("mqtt", {})
    lines = listener(path, mqtt, state_dir, guard, acl, device)
    bridge_lines = bridge(path, config.get("home_assistant_bridge", {}))
    if lines and bridge_lines:
        lines.append("")
    if len(argv) == 7:
        with open(argv[6], "w") as file:
            file.write("".join(user + "\n" for user in (mqtt_users(path, mqtt) if lines else [])))
    print("\n".join(lines + bridge_lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
