"""A load balancer for the outside-in tests: a TCP proxy that hands each
new connection to the next of its backends in turn, as one in front of
several Odoo hosts would."""

import contextlib
import itertools
import socket
import socketserver
import threading
from collections import Counter


class RoundRobinProxy(socketserver.ThreadingTCPServer):
    """Listens on 127.0.0.1:``port``; ``connections`` counts the
    connections each backend port got."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port, backend_ports):
        self.backends = itertools.cycle(backend_ports)
        self.connections = Counter()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Forward)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()

    def next_backend(self):
        with self.lock:
            port = next(self.backends)
            self.connections[port] += 1
            return port


class _Forward(socketserver.BaseRequestHandler):
    def handle(self):
        backend = socket.create_connection(("127.0.0.1", self.server.next_backend()))
        pipes = [
            threading.Thread(target=_pipe, args=(self.request, backend), daemon=True),
            threading.Thread(target=_pipe, args=(backend, self.request), daemon=True),
        ]
        for pipe in pipes:
            pipe.start()
        for pipe in pipes:
            pipe.join()
        backend.close()


def _pipe(source, target):
    """Copy ``source`` to ``target`` until ``source`` closes."""
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)
    with contextlib.suppress(OSError):
        target.shutdown(socket.SHUT_WR)
