#!/usr/bin/python3
"""Renders every template of a Home Assistant discovery message with Jinja, as Home Assistant does,
against real payloads of the topics they read, and checks that each gives what its component needs.

Usage: render_templates.py DISCOVERY.json SAMPLES.json
  DISCOVERY.json: the device discovery message as published
  SAMPLES.json:   {"<topic>": [<payload>, ...], ...}: payloads seen on (or valid for) each topic
Prints one line per rendering; exits 1 if any component's template gives what Home Assistant would
refuse (a state that is not ON/OFF, an option not listed, an event type not declared, bad JSON), if
an event component fires for none of its samples (an empty rendering is no event: Home Assistant
ignores it), or if a topic a component reads has no sample.

Home Assistant renders with value_json bound to the payload in a sandboxed Jinja environment; the
templates here use only Jinja's own filters (tojson, default), which it has too.
"""
import json
import sys

from jinja2.sandbox import ImmutableSandboxedEnvironment


def main(discovery_file, samples_file):
    discovery = json.load(open(discovery_file))
    samples = json.load(open(samples_file))
    environment = ImmutableSandboxedEnvironment()
    failures = 0

    def fail(message):
        nonlocal failures
        failures += 1
        print("FAIL", message)

    def render(template, payload):
        return environment.from_string(template).render(value_json=payload, value=json.dumps(payload)).strip()

    shared_availability = discovery.get("availability", [])
    fired = set()
    for key, component in sorted(discovery["components"].items()):
        for entry in component.get("availability", []) + shared_availability:
            for payload in samples.get(entry["topic"], []):
                if "value_template" in entry:
                    got = render(entry["value_template"], payload)
                    if got not in (entry.get("payload_available", "online"), entry.get("payload_not_available", "offline")):
                        fail(f"{key}: availability {entry['topic']} gives {got!r}")
        topic = component.get("state_topic")
        if topic is None:
            continue
        if topic not in samples or not samples[topic]:
            fail(f"{key}: no sample for {topic}")
            continue
        platform = component["platform"]
        for payload in samples[topic]:
            got = render(component["value_template"], payload) if "value_template" in component else json.dumps(payload)
            print(f"{key} ({platform}) {json.dumps(payload)} -> {got}")
            if platform in ("binary_sensor",):
                expected = ("ON" if payload["active"] else "OFF")
                if got != expected:
                    fail(f"{key}: {got!r}, expected {expected!r}")
            elif platform == "switch":
                expected = component["state_on"] if payload["active"] else component["state_off"]
                if got != expected:
                    fail(f"{key}: {got!r}, expected {expected!r}")
            elif platform == "lock":
                if payload["active"] and payload.get("mode") == "pulse" and "state_open" in component:
                    expected = component["state_open"]  # the door may be pushed open while the pulse runs
                else:
                    expected = component["state_unlocked"] if payload["active"] else component["state_locked"]
                if got != expected:
                    fail(f"{key}: {got!r}, expected {expected!r}")
            elif platform == "sensor":
                if "options" in component and got not in component["options"]:
                    fail(f"{key}: {got!r} is not one of {component['options']}")
            elif platform == "event":
                if got == "":
                    continue  # not an event of this component
                fired.add(key)
                try:
                    event = json.loads(got)
                except ValueError as error:
                    fail(f"{key}: not JSON ({error}): {got!r}")
                    continue
                if event.get("event_type") not in component["event_types"]:
                    fail(f"{key}: event type {event.get('event_type')!r} is not one of {component['event_types']}")
            else:
                fail(f"{key}: platform {platform} not checked here")
    for key, component in sorted(discovery["components"].items()):
        if component.get("platform") == "event" and component.get("state_topic") in samples and key not in fired:
            fail(f"{key}: fires for none of the samples of {component['state_topic']}")
    print("failures:", failures)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
