"""Production settings of gunicorn: `gunicorn -c gunicorn.conf.py`.

Threaded workers (gthread): a request waiting on a slow client, or on PostgreSQL, holds one
thread, not a whole worker, so a few clients that send their body slowly cannot freeze the
service. A client that stops sending for CLIENT_IDLE_SECONDS while its request is read is
cut off. Against many deliberate slow clients at once, put a buffering reverse proxy in front
(it receives each request whole before gunicorn sees it).

Workers keep nothing of their own: sessions are signed cookies, data is in PostgreSQL,
rate-limit counters in Redis (HELPDESK_REDIS_URL), so any number of workers and hosts share
one state. Every value below can be set from the environment.
"""

import multiprocessing
import os
import socket
import struct


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


wsgi_app = "helpdesk.wsgi:app"
bind = os.environ.get("HELPDESK_BIND", "127.0.0.1:8000").split(",")
workers = _int("HELPDESK_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = _int("HELPDESK_THREADS", 16)
#: A worker that stops answering its arbiter this long is killed and replaced.
timeout = _int("HELPDESK_WORKER_TIMEOUT", 60)
graceful_timeout = _int("HELPDESK_GRACEFUL_TIMEOUT", 30)
#: Idle kept-alive connections wait in each worker's poller, not in a thread; longer than a
#: reverse proxy's upstream keep-alive (60 s in nginx), so gunicorn never closes one first.
keepalive = _int("HELPDESK_KEEPALIVE", 75)
#: Workers are recycled now and then, so that memory a long run accumulates is given back.
max_requests = _int("HELPDESK_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
#: The app reads X-Forwarded-* itself (HELPDESK_PROXY_HOPS); gunicorn must not as well.
forwarded_allow_ips = ""
#: No access log by default: its paths would carry the requesters' tracking links.
accesslog = os.environ.get("HELPDESK_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("HELPDESK_LOG_LEVEL", "info")
proc_name = "helpdesk"
#: No control socket: several instances on one host would share its default path.
control_socket_disable = True

#: Seconds a client may send nothing while its request is being read.
CLIENT_IDLE_SECONDS = _int("HELPDESK_CLIENT_IDLE_SECONDS", 15)


def when_ready(server):
    """Connections inherit a receive timeout from the listening socket (Linux copies it on
    accept): a read that waits longer on a silent client fails, and its thread is freed."""
    timeval = struct.pack("ll", CLIENT_IDLE_SECONDS, 0)
    for listener in server.LISTENERS:
        sock = getattr(listener, "sock", None)
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
