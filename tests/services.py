"""PostgreSQL, Redis and nginx for the scale-out tests: private instances on loopback,
on free ports, in temporary directories; nothing system-wide is started or changed.

scripts/setup_services.sh installs the Debian packages when they are missing.
"""
import glob
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from servers import free_port

ROOT = Path(__file__).resolve().parents[1]
NGINX_SITE = ROOT / "deploy" / "nginx" / "ocrn.conf"


def wait_for(check, timeout: float, what: str, interval: float = 0.2):
    """Call `check` until it returns a true value; raise with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    error = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as exc:  # noqa: BLE001 - keep trying until the deadline
            error = exc
        time.sleep(interval)
    raise RuntimeError(f"{what} not ready after {timeout:.0f} s (last error: {error})")


def _temp_dir(prefix: str) -> Path:
    # Under /tmp rather than pytest's tmp_path: the postgres user and nginx's workers
    # must be able to reach it, and pytest's folders are private to root.
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def postgres_bindir() -> Path:
    """The newest installed PostgreSQL server's bin folder (Debian keeps one per version)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: [int(n) for n in re.findall(r"\d+", p)])
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError("No PostgreSQL server found: run scripts/setup_services.sh")


class Postgres:
    """A throw-away cluster: password (scram-sha-256) auth on 127.0.0.1 with a random
    password made for this run; the unix socket is in the temp dir, with trust."""

    user = "ocrn"
    database = "ocrn"

    def __init__(self):
        self.bindir = postgres_bindir()
        self.dir = _temp_dir("ocrn-pg-")
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.port = free_port()
        self.password = secrets.token_urlsafe(18)
        self._as_owner = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")
            self._as_owner = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args):
        subprocess.run(self._as_owner + [str(self.bindir / args[0]), *args[1:]], check=True,
                       cwd=self.dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def start(self):
        pwfile = self.dir / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self._as_owner:
            shutil.chown(pwfile, "postgres", "postgres")
        pwfile.chmod(0o600)
        try:
            self._run("initdb", "-D", str(self.data), "-U", self.user, f"--pwfile={pwfile}",
                      "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                      "--locale=C.UTF-8")
        finally:
            pwfile.unlink()
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log),
                  "-w", "-t", "60", "start")
        import psycopg2

        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user=self.user,
                                password=self.password, dbname="postgres")
        try:
            conn.autocommit = True
            conn.cursor().execute(f"CREATE DATABASE {self.database}")
        finally:
            conn.close()
        return self

    def connect(self):
        import psycopg2

        return psycopg2.connect(host="127.0.0.1", port=self.port, user=self.user,
                                password=self.password, dbname=self.database)

    def stop(self):
        try:
            # A throw-away cluster: no shutdown checkpoint needed.
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class Redis:
    """redis-server on 127.0.0.1, no persistence, no password (loopback only)."""

    def __init__(self):
        self.dir = _temp_dir("ocrn-redis-")
        self.port = free_port()
        self.proc = None

    def start(self):
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir), "--logfile", str(self.dir / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)
        wait_for(lambda: self.proc.poll() is None and client.ping(), 30, "redis-server")
        return self

    def stop(self):
        _stop(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)


def render_site(listen_port: int, rasa_ports) -> str:
    """deploy/nginx/ocrn.conf with the test's ports: the shipped file, not a copy."""
    text = NGINX_SITE.read_text()
    default_lines = re.findall(r"^ *server 127\.0\.0\.1:\d+ .*;$", text, flags=re.M)
    assert len(default_lines) == 2, "deploy/nginx/ocrn.conf: expected 1 upstream of 2 servers"
    for upstream in ("ocrn_rasa",):
        block = re.search(r"upstream %s \{.*?\n\}" % upstream, text, flags=re.S).group(0)
        template = re.search(r"^( *server )127\.0\.0\.1:\d+( .*;)$", block, flags=re.M)
        servers = "\n".join(f"{template.group(1)}127.0.0.1:{port}{template.group(2)}"
                            for port in rasa_ports)
        new_block = re.sub(r"(?:^ *server 127\.0\.0\.1:\d+ .*;\n)+", servers + "\n", block,
                           count=1, flags=re.M)
        text = text.replace(block, new_block)
    text, count = re.subn(r"^( *)listen 80;$", rf"\1listen 127.0.0.1:{listen_port};", text,
                          flags=re.M)
    assert count == 1, "deploy/nginx/ocrn.conf: expected one `listen 80;`"
    return text


class Nginx:
    """nginx in the foreground with a generated main config that includes the site file."""

    def __init__(self, rasa_ports):
        self.dir = _temp_dir("ocrn-nginx-")
        self.port = free_port()
        self.rasa_ports = list(rasa_ports)
        self.access_log = self.dir / "access.log"
        self.proc = None

    def start(self):
        site = self.dir / "ocrn.conf"
        site.write_text(render_site(self.port, self.rasa_ports))
        # nginx makes the temp folders itself, owned by its worker user (nobody under root).
        (self.dir / "tmp").mkdir()
        d = self.dir
        (d / "nginx.conf").write_text(f"""worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 256; }}
http {{
    log_format upstream '$request_method $request_uri $status $upstream_addr';
    access_log {self.access_log} upstream;
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    include {site};
}}
""")
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        test = subprocess.run([binary, "-t", "-p", str(d), "-c", str(d / "nginx.conf")],
                              capture_output=True, text=True)
        assert test.returncode == 0, f"nginx -t failed:\n{test.stderr}"
        self.proc = subprocess.Popen([binary, "-p", str(d), "-c", str(d / "nginx.conf"),
                                      "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_for(lambda: self.proc.poll() is None and socket.create_connection(
            ("127.0.0.1", self.port), timeout=1).close() is None, 30, "nginx")
        return self

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def upstreams(self):
        """The upstream address of each logged request, in order."""
        lines = self.access_log.read_text().splitlines() if self.access_log.exists() else []
        return [line.split()[-1] for line in lines]

    def stop(self):
        _stop(self.proc)
        shutil.rmtree(self.dir, ignore_errors=True)

    def error_log(self):
        return _tail(self.dir / "error.log")


def _stop(proc):
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
