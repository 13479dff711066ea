"""Production settings of gunicorn: `gunicorn -c gunicorn.conf.py`.

Threaded workers (gthread): a request waiting on a slow client, or on PostgreSQL, holds one
thread, not a whole worker, so a few clients that send their body slowly cannot freeze the
service. A client that stops sending for CLIENT_IDLE_SECONDS while its request is read is
cut off. Against many deliberate slow clients at once, put a buffering reverse proxy in front
(it receives each request whole before gunicorn sees it).

Workers keep nothing of their own: sessions are signed cookies, data is in PostgreSQL,
rate-limit counters in Redis (HELPDESK_REDIS_URL), so any number of workers and hosts share
one state. Every value below can be set from the environment.

Memory: the application is loaded once in the master and the workers are forked from it
(preload_app), so the code and read-only data of every module are pages the workers share;
see helpdesk/wsgi.py. Each thread of a worker would otherwise get a malloc arena of
its own, holding the memory its requests freed: MALLOC_ARENAS caps them for the workers.
"""

import ctypes
import ctypes.util
import multiprocessing
import os
import socket
import struct


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return value in ("1", "true", "yes", "oui", "on") if value else default


def _limit_malloc_arenas(count: int) -> None:
    """glibc's M_ARENA_MAX, set in the master before any thread starts: the forked workers
    inherit it. Without it, 16 threads make up to 16 arenas (8 per core), each keeping the
    pages its requests freed; 2 arenas serve 16 threads with little waiting, the GIL letting
    one thread at a time run Python code anyway."""
    if count <= 0:
        return
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return
    m_arena_max = -8
    mallopt(m_arena_max, count)


wsgi_app = "helpdesk.wsgi:app"
bind = os.environ.get("HELPDESK_BIND", "127.0.0.1:8000").split(",")
workers = _int("HELPDESK_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = _int("HELPDESK_THREADS", 16)
#: Load the app in the master and fork the workers from it (shared pages; see above). A new
#: version of the code then needs a restart of the master, not only a HUP.
preload_app = _bool("HELPDESK_PRELOAD", True)
#: A request that files a ticket returns once it is stored: the background worker diagnoses
#: it, or the first agent who opens its diagnosis panel (helpdesk/diagnostics/tickets.py).
os.environ.setdefault("HELPDESK_DIAGNOSIS_IN_BACKGROUND", "1")
MALLOC_ARENAS = _int("HELPDESK_MALLOC_ARENAS", 2)
_limit_malloc_arenas(MALLOC_ARENAS)
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
    """The preloaded app loads what the first pages would, and the master lets go of its
    database connections before forking (helpdesk/wsgi.py).

    Connections inherit a receive timeout from the listening socket (Linux copies it on
    accept): a read that waits longer on a silent client fails, and its thread is freed."""
    timeval = struct.pack("ll", CLIENT_IDLE_SECONDS, 0)
    for listener in server.LISTENERS:
        sock = getattr(listener, "sock", None)
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
    if preload_app:
        from helpdesk.wsgi import app, before_fork, warm

        warm(app)
        before_fork(app)
