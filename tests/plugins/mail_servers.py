"""Mail servers for the tests, on loopback: aiosmtpd for SMTP, Debian's dovecot for IMAP."""

from __future__ import annotations

import email
import email.policy
import itertools
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

SMTP_USER = "relais"
SMTP_PASSWORD = "Relais-secret-2026"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificate(folder: Path) -> dict[str, str]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )
    return {"cert": str(cert), "key": str(key)}


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.content, policy=email.policy.default)


class _Handler:
    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.server.refused:
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.server.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        return "250 OK message accepté"


def _authenticator(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode() == SMTP_USER and auth_data.password.decode() == SMTP_PASSWORD
    ):
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


@dataclass
class SmtpServer:
    """aiosmtpd on 127.0.0.1; a stopped server can start again on the same port."""

    port: int
    #: 'none', 'starttls' (with authentication) or 'ssl' (with authentication).
    security: str = "none"
    tls: dict[str, str] | None = None
    received: list[Received] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    controller: Controller | None = None

    def start(self) -> None:
        kwargs: dict = {}
        if self.security != "none":
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.tls["cert"], self.tls["key"])
            kwargs = {"authenticator": _authenticator, "auth_require_tls": True}
            if self.security == "ssl":
                # aiosmtpd only knows of TLS it negotiated itself (STARTTLS).
                kwargs.update(ssl_context=context, auth_require_tls=False)
            else:
                kwargs.update(tls_context=context, require_starttls=True)
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def message_ids(self) -> list[str]:
        return [item.message["Message-ID"] for item in self.received]


# -- dovecot ----------------------------------------------------------------------------------

DOVECOT = "/usr/sbin/dovecot"
_users = itertools.count(1)
USERS = 100


def _install_dovecot() -> str | None:
    """Install dovecot-imapd when missing (root only); return why it is unavailable."""
    if shutil.which("dovecot") or os.path.exists(DOVECOT):
        return None
    if os.geteuid() != 0:
        return "dovecot-imapd n'est pas installé et les tests ne tournent pas en root"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "dovecot-imapd"],
    ):
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
        if done.returncode != 0 and command[1] == "install":
            return f"apt-get install dovecot-imapd a échoué : {done.stderr[-500:]}"
    return None if (shutil.which("dovecot") or os.path.exists(DOVECOT)) else "dovecot absent"


@dataclass
class Dovecot:
    folder: Path
    imap_port: int
    imaps_port: int
    ca_file: str
    process: subprocess.Popen
    passwd: Path

    def add_user(self) -> tuple[str, str]:
        """An unused mailbox user, for an isolated test (all are created at start-up)."""
        number = next(_users)
        if number > USERS:
            raise RuntimeError("no mailbox user left: raise USERS")
        return f"boite{number}", f"Boite-secret-{number}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_CONFIG = """\
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
instance_name = helpdesk-test-{pid}
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{base}/home/%u/Maildir
{users}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={base}/home/%u
}}
# No anvil penalty after the wrong-password test: later logins stay immediate.
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps}
    ssl = yes
  }}
}}
"""


def start_dovecot(scratch: Path, tls: dict[str, str]) -> Dovecot:
    reason = _install_dovecot()
    if reason:
        pytest.skip(reason)
    binary = shutil.which("dovecot") or DOVECOT
    # Mail processes run as an unprivileged user: its files live in a folder it can reach.
    base = Path(tempfile.mkdtemp(prefix="helpdesk-dovecot-"))
    base.chmod(0o755)
    if os.geteuid() == 0:
        account = pwd.getpwnam("nobody")
        uid, gid = account.pw_uid, account.pw_gid
        users = (
            "default_internal_user = dovecot\n"
            "default_internal_group = dovecot\n"
            "default_login_user = dovenull"
        )
    else:
        uid, gid = os.getuid(), os.getgid()
        me = pwd.getpwuid(uid).pw_name
        users = (
            f"default_internal_user = {me}\ndefault_internal_group = {me}\n"
            f"default_login_user = {me}"
        )
    (base / "home").mkdir()
    if os.geteuid() == 0:
        os.chown(base / "home", uid, gid)
    passwd = base / "passwd"
    # dovecot may not notice changes made within a second: every user exists from the start.
    passwd.write_text("".join(f"boite{n}:{{PLAIN}}Boite-secret-{n}\n" for n in range(1, USERS + 1)))
    passwd.chmod(0o644)
    cert, key = base / "cert.pem", base / "key.pem"
    shutil.copy(tls["cert"], cert)
    shutil.copy(tls["key"], key)
    imap_port, imaps_port = free_port(), free_port()
    config = base / "dovecot.conf"
    config.write_text(
        _CONFIG.format(
            base=base,
            pid=os.getpid(),
            cert=cert,
            key=key,
            users=users,
            uid=uid,
            gid=gid,
            imap=imap_port,
            imaps=imaps_port,
        )
    )
    with (base / "stdout.log").open("wb") as output:
        process = subprocess.Popen(
            [binary, "-F", "-c", str(config)], stdout=output, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = (base / "stdout.log").read_text(errors="replace")
            log = (base / "dovecot.log").read_text() if (base / "dovecot.log").exists() else ""
            shutil.rmtree(base, ignore_errors=True)
            pytest.fail(f"dovecot stopped at start-up: {output} {log}")
        try:
            with socket.create_connection(("127.0.0.1", imap_port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("dovecot did not open its port in time")
    return Dovecot(base, imap_port, imaps_port, tls["cert"], process, passwd)
