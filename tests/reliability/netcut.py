"""A link to PostgreSQL that can go silent: packets swallowed, nothing refused.

A userspace proxy cannot fake that (its kernel still acknowledges every packet), so
the database is reached through a network namespace: the app server connects to an
address on the far side of a veth pair, where a forwarder passes the bytes on to the
real server. ``silence()`` takes the far end of the link down: the app's packets then
go unanswered, as when a firewall drops them or a machine hangs. Needs root and
iproute2; ``available()`` says whether this machine allows it.
"""

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

FORWARDER = Path(__file__).with_name("forward.py")


def available() -> bool:
    if os.geteuid() != 0 or shutil.which("ip") is None:
        return False
    name = f"probe{uuid.uuid4().hex[:6]}"
    made = subprocess.run(["ip", "netns", "add", name], capture_output=True).returncode == 0
    if made:
        subprocess.run(["ip", "netns", "del", name], capture_output=True)
    return made


def _ip(*args, netns=None):
    command = ["ip", *(["netns", "exec", netns, "ip"] if netns else []), *args]
    subprocess.run(command, check=True, capture_output=True)


class SilentLink:
    """``host:port`` reaches ``target_port`` on this machine until ``silence()``."""

    def __init__(self, target_port: int, near_port: int):
        tag = uuid.uuid4().hex[:6]
        self.netns, self.near, self.far = f"cut{tag}", f"va{tag}", f"vb{tag}"
        octet = int(tag[:2], 16) % 200 + 20
        self.near_ip, self.host = f"10.231.{octet}.1", f"10.231.{octet}.2"
        self.port = 5432
        _ip("netns", "add", self.netns)
        _ip("link", "add", self.near, "type", "veth", "peer", "name", self.far)
        _ip("link", "set", self.far, "netns", self.netns)
        _ip("addr", "add", f"{self.near_ip}/24", "dev", self.near)
        _ip("link", "set", self.near, "up")
        _ip("addr", "add", f"{self.host}/24", "dev", self.far, netns=self.netns)
        _ip("link", "set", self.far, "up", netns=self.netns)
        _ip("link", "set", "lo", "up", netns=self.netns)
        python = sys.executable
        # Near side: the real server, offered on the veth address.
        self.near_forwarder = subprocess.Popen(
            [python, str(FORWARDER), self.near_ip, str(near_port), "127.0.0.1", str(target_port)]
        )
        # Far side, inside the namespace: what the app server connects to.
        self.far_forwarder = subprocess.Popen(
            ["ip", "netns", "exec", self.netns, python, str(FORWARDER), self.host,
             str(self.port), self.near_ip, str(near_port)]
        )  # fmt: skip
        time.sleep(0.5)

    def silence(self):
        _ip("link", "set", self.far, "down", netns=self.netns)

    def restore(self):
        _ip("link", "set", self.far, "up", netns=self.netns)

    def close(self):
        for process in (self.far_forwarder, self.near_forwarder):
            process.kill()
            process.wait()
        subprocess.run(["ip", "link", "del", self.near], capture_output=True)
        subprocess.run(["ip", "netns", "del", self.netns], capture_output=True)
