"""The production server as shipped (gunicorn.conf.py): slow clients, broken bodies, a proxy
in front and rate limits shared by two workers through Redis."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from helpdesk.core.migrate import upgrade
from tests.plugins.database import ROOT, fresh_database_url

pytestmark = pytest.mark.xdist_group("gunicorn")

CLIENT_IDLE_SECONDS = 2
LOGIN_LIMIT = 5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn with the shipped configuration: two workers, behind one proxy, Redis."""
    instance = tmp_path_factory.mktemp("gunicorn")
    url = fresh_database_url(instance, "gunicorn")
    upgrade(url)
    port = _free_port()
    access_log = instance / "access.log"
    env = {
        **os.environ,
        "HELPDESK_BIND": f"127.0.0.1:{port}",
        "HELPDESK_WORKERS": "2",
        "HELPDESK_CLIENT_IDLE_SECONDS": str(CLIENT_IDLE_SECONDS),
        "HELPDESK_DATABASE_URL": url,
        "HELPDESK_INSTANCE_PATH": str(instance),
        "HELPDESK_SECRET_KEY": "gunicorn-secret-key",
        "HELPDESK_CLASSIFY_ENABLED": "0",
        "HELPDESK_PROXY_HOPS": "1",
        "HELPDESK_REDIS_URL": "redis://127.0.0.1:6379/0",
        "HELPDESK_RATELIMIT_PREFIX": f"test-{uuid.uuid4().hex}",
        "HELPDESK_RATELIMIT_LOGIN": f"{LOGIN_LIMIT} per 10 minutes",
    }
    errors = open(instance / "gunicorn.err", "wb")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(p)s %(s)s %(m)s",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            if requests.get(f"{base}/login", timeout=10).status_code == 200:
                break
        except requests.RequestException:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            errors.close()
            pytest.fail((instance / "gunicorn.err").read_text()[-3000:])
        time.sleep(0.3)
    yield {"base": base, "port": port, "access_log": access_log}
    process.terminate()
    process.wait(timeout=30)
    errors.close()


def _raw(port: int, head: str, body: bytes = b"") -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=15)
    sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
    return sock


def _slow_client(port: int, stop: threading.Event) -> None:
    """A POST whose body arrives a few bytes at a time, as long as the test runs."""
    sock = _raw(
        port,
        "POST /contact HTTP/1.1\nHost: helpdesk.test\n"
        "Content-Type: application/x-www-form-urlencoded\nContent-Length: 100000\n",
    )
    try:
        while not stop.is_set():
            sock.sendall(b"subject=lent&")
            stop.wait(0.5)
    finally:
        sock.close()


def test_slow_clients_do_not_freeze_the_service(server):
    stop = threading.Event()
    slow = [
        threading.Thread(target=_slow_client, args=(server["port"], stop), daemon=True)
        for _ in range(4)
    ]
    for thread in slow:
        thread.start()
    time.sleep(1)
    timings = []
    try:
        for _ in range(10):
            started = time.monotonic()
            response = requests.get(f"{server['base']}/login", timeout=10)
            timings.append(time.monotonic() - started)
            assert response.status_code == 200
    finally:
        stop.set()
        for thread in slow:
            thread.join()
    # Four clients hold a thread each while they dribble; the others keep answering at once.
    assert max(timings) < 2, timings


def test_client_that_stops_sending_is_cut_off(server):
    sock = _raw(
        server["port"],
        "POST /contact HTTP/1.1\nHost: helpdesk.test\n"
        "Content-Type: application/x-www-form-urlencoded\nContent-Length: 5000\n",
        b"subject=incomplet",
    )
    started = time.monotonic()
    answer = b""
    try:
        while chunk := sock.recv(65536):
            answer += chunk
    finally:
        sock.close()
    waited = time.monotonic() - started
    assert CLIENT_IDLE_SECONDS - 0.5 <= waited < CLIENT_IDLE_SECONDS + 8
    assert answer == b"" or answer.startswith(b"HTTP/1.1 400"), answer[:200]


def test_malformed_chunked_body_is_refused_with_400(server):
    sock = _raw(
        server["port"],
        "POST /login HTTP/1.1\nHost: helpdesk.test\nConnection: close\n"
        "Content-Type: application/x-www-form-urlencoded\nTransfer-Encoding: chunked\n",
        b"zz\r\nemail=a\r\n0\r\n\r\n",
    )
    answer = b""
    try:
        while chunk := sock.recv(65536):
            answer += chunk
    finally:
        sock.close()
    status = answer.split(b"\r\n", 1)[0]
    assert status.startswith(b"HTTP/1.1 400"), answer[:300]


def _login_attempts(base: str, client_ip: str, count: int) -> list[int]:
    """Failed logins from one client, each on a new connection (so either worker takes it)."""
    browser = requests.Session()
    page = browser.get(f"{base}/login", headers={"X-Forwarded-For": client_ip}, timeout=10)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    token = token or re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    cookies = browser.cookies.get_dict()

    def _attempt(n: int) -> int:
        return requests.post(
            f"{base}/login",
            data={
                "csrf_token": token.group(1),
                "email": f"inconnu{n}@ac-test.fr",
                "password": "mauvais",
            },
            cookies=cookies,
            headers={"X-Forwarded-For": client_ip, "Connection": "close"},
            timeout=10,
        ).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(_attempt, range(count)))


def test_two_workers_share_one_rate_limit_keyed_on_the_real_client(server):
    statuses = _login_attempts(server["base"], "203.0.113.7", 3 * LOGIN_LIMIT)
    assert statuses.count(429) == 2 * LOGIN_LIMIT, statuses
    assert set(statuses) <= {422, 429}
    # Another client behind the same proxy keeps its own allowance.
    other = _login_attempts(server["base"], "198.51.100.9", 2)
    assert other == [422, 422]
    posts = [
        line.split()[0]
        for line in server["access_log"].read_text().splitlines()
        if line.endswith("POST")
    ]
    assert len(set(posts)) == 2, "both workers answered logins"
