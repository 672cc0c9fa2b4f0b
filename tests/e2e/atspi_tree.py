"""Read an application's accessibility tree over AT-SPI (what Orca reads) and print it as JSON.

Run with the *system* Python (python3-gi; no extra typelib: this speaks the AT-SPI D-Bus
protocol through Gio), inside the D-Bus session the application runs in:

    /usr/bin/python3 tests/e2e/atspi_tree.py APP_NAME TIMEOUT_S NAME_PREFIX OUT.json -- COMMAND...

It starts COMMAND (the application), waits (a GLib main loop, up to TIMEOUT_S) until an
application called APP_NAME is on the accessibility bus and one of its nodes named
NAME_PREFIX... has a description; prints every showing node (role, name, description, the
names of the labels that name it — the labelled-by relation — and its states) as JSON into
OUT.json (the bus daemons it starts write to stdout); and ends the application.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

from gi.repository import Gio, GLib

ACCESSIBLE = "org.a11y.atspi.Accessible"
ROOT = "/org/a11y/atspi/accessible/root"
REGISTRY = "org.a11y.atspi.Registry"
STATE_SHOWING = 25
RELATION_LABELLED_BY = 2


def a11y_bus() -> Gio.DBusConnection:
    session = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    reply = session.call_sync("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress",
                              None, GLib.VariantType("(s)"), Gio.DBusCallFlags.NONE, 5000,
                              None)
    address = reply.unpack()[0]
    return Gio.DBusConnection.new_for_address_sync(
        address, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
        | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)


class Tree:
    def __init__(self, bus: Gio.DBusConnection) -> None:
        self.bus = bus

    def call(self, name: str, path: str, method: str, signature: str) -> Any:
        reply = self.bus.call_sync(name, path, ACCESSIBLE, method, None,
                                   GLib.VariantType(signature), Gio.DBusCallFlags.NONE,
                                   5000, None)
        return reply.unpack()[0]

    def prop(self, name: str, path: str, prop: str) -> Any:
        reply = self.bus.call_sync(name, path, "org.freedesktop.DBus.Properties", "Get",
                                   GLib.Variant("(ss)", (ACCESSIBLE, prop)),
                                   GLib.VariantType("(v)"), Gio.DBusCallFlags.NONE, 5000,
                                   None)
        return reply.unpack()[0]

    def children(self, name: str, path: str) -> list[tuple[str, str]]:
        return [(str(n), str(p)) for n, p in self.call(name, path, "GetChildren", "(a(so))")]

    def node(self, name: str, path: str) -> dict[str, object]:
        states = self.call(name, path, "GetState", "(au)")
        bits = [word >> i & 1 for word in states for i in range(32)]
        relations = self.call(name, path, "GetRelationSet", "(a(ua(so)))")
        labels = [str(self.prop(bus, path_, "Name")) for kind, targets in relations
                  if kind == RELATION_LABELLED_BY for bus, path_ in targets]
        return {
            "role": self.call(name, path, "GetRoleName", "(s)"),
            "name": self.prop(name, path, "Name"),
            "description": self.prop(name, path, "Description"),
            "labelled_by": labels,
            "showing": bool(bits[STATE_SHOWING]),
            "states": [i for i, bit in enumerate(bits) if bit],
        }

    def walk(self, name: str, path: str, depth: int = 0) -> list[dict[str, object]]:
        node = self.node(name, path)
        if not node["showing"] and depth > 0:
            return []
        node["depth"] = depth
        found = [node]
        for child_name, child_path in self.children(name, path):
            found += self.walk(child_name, child_path, depth + 1)
        return found

    def application(self, wanted: str) -> tuple[str, str] | None:
        for name, path in self.children(REGISTRY, ROOT):
            try:
                if self.prop(name, path, "Name") == wanted and self.children(name, path):
                    return name, path
            except GLib.Error:
                continue  # an application that went away meanwhile
        return None


def main(argv: list[str]) -> int:
    wanted, timeout, prefix, out = argv[1], float(argv[2]), argv[3], argv[4]
    command = argv[argv.index("--") + 1:]
    app = subprocess.Popen(command, stdout=sys.stderr)  # stdout: the JSON only
    try:
        return _dump(wanted, timeout, prefix, out)
    finally:
        app.terminate()
        app.wait(timeout=30)


def _ready(nodes: list[dict[str, object]], prefix: str) -> bool:
    return any(str(n["name"]).startswith(prefix) and n["description"] for n in nodes)


def _dump(wanted: str, timeout: float, prefix: str, out: str) -> int:
    deadline = time.monotonic() + timeout
    loop = GLib.MainLoop()
    result: dict[str, object] = {}

    def look() -> bool:
        try:
            tree = Tree(a11y_bus())
            found = tree.application(wanted)
            if found is not None:
                nodes = tree.walk(*found)
                if _ready(nodes, prefix):
                    result["nodes"] = nodes
                    loop.quit()
                    return False
        except GLib.Error as exc:
            result["last_error"] = str(exc)
        if time.monotonic() > deadline:
            loop.quit()
            return False
        return True  # look again at the next tick

    GLib.timeout_add(200, look)
    loop.run()
    if "nodes" not in result:
        print(f"{wanted!r} with a described {prefix!r} not found in {timeout:.0f} s; last "
              f"error: {result.get('last_error')}", file=sys.stderr)
        return 1
    with open(out, "w", encoding="utf-8") as file:
        json.dump(result["nodes"], file, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
