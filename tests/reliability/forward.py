"""Forward TCP from listen_host:listen_port to target_host:target_port (a test helper).

Run as a script (inside a network namespace, by netcut.py); it pipes bytes as the
harness's TcpProxy does.
"""

import socket
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.reliability.harness import TcpProxy


def main(listen_host, listen_port, target_host, target_port):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((listen_host, int(listen_port)))
    listener.listen(128)
    while True:
        client, _ = listener.accept()
        try:
            upstream = socket.create_connection((target_host, int(target_port)), timeout=5)
        except OSError:
            client.close()
            continue
        upstream.settimeout(None)
        for a, b in ((client, upstream), (upstream, client)):
            threading.Thread(target=TcpProxy.pipe, args=(a, b), daemon=True).start()


if __name__ == "__main__":
    main(*sys.argv[1:5])
