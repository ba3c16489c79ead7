"""Forward TCP from listen_host:listen_port to target_host:target_port (a test helper)."""

import contextlib
import socket
import sys
import threading


def pipe(source, sink):
    try:
        while chunk := source.recv(65536):
            sink.sendall(chunk)
    except OSError:
        pass
    finally:
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


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
            threading.Thread(target=pipe, args=(a, b), daemon=True).start()


if __name__ == "__main__":
    main(*sys.argv[1:5])
