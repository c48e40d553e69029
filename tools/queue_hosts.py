"""Several Odoo hosts on one database, with queue_job's job runner, on this
machine: what tests/test_queue_jobs.py and the benchmark start.

Each host is an Odoo server in prefork mode with queue_job loaded
server-wide and Odoo's default worker limits; one job runner is the master,
the others stand by.  The master hands the jobs over HTTP to a load
balancer in front of all hosts (``RoundRobinProxy``), as
breakfix_billing_queue's readme says to deploy it."""

import contextlib
import itertools
import socket
import socketserver
import threading
from collections import Counter

from tools import devenv


def host_command(name, db, http_port, balancer_port, capacity=2):
    """The command line of host ``name`` serving ``db`` on ``http_port``;
    its job runner (when master) runs ``capacity`` jobs at once, handed to
    the balancer on ``balancer_port``."""
    options, sections = devenv.queue_server_options(capacity=capacity)
    sections["queue_job"].update(host="127.0.0.1", port=balancer_port)
    config = devenv.write_config(
        f"queue-{db}-{name}",
        http_port=http_port,
        extra={**options, "max_cron_threads": 0},
        sections=sections,
    )
    return devenv.odoo_command(
        config, "-d", db, f"--db-filter=^{db}$",
        "--limit-time-cpu", "60", "--limit-time-real", "120",
    )  # fmt: skip


# what the master job runner logs once it dispatches jobs (queue_job starts
# it a few seconds after the server)
RUNNER_READY = "queue job runner ready for db"


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
