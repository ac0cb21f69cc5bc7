"""Starts the real rightsdesk binary for HTTP-level tests, and talks to it.

Each server gets a fresh data directory and a free loopback port. With RD_TEST_DATABASE set
to a postgresql:// URL, each server also gets a fresh PostgreSQL database on that server, so
the same tests run on SQLite and PostgreSQL. Servers are stopped by process id.
"""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import tempfile
import time
import unittest

BINARY = os.environ.get("RD_BINARY", os.path.join(os.path.dirname(__file__), "../../build/rightsdesk"))
PG_URL = os.environ.get("RD_TEST_DATABASE", "")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_database():
    """A new empty database: a PostgreSQL database when RD_TEST_DATABASE is set, else None."""
    if not PG_URL:
        return None
    name = "rd_" + secrets.token_hex(6)
    base = PG_URL.rsplit("/", 1)[0]
    subprocess.run(["psql", PG_URL, "-q", "-c", f"CREATE DATABASE {name}"], check=True,
                   capture_output=True)
    return f"{base}/{name}"


def package_rows(client, request_id, timeout=60):
    """The rows of a copy request's package as the agent's preview shows them (the first rows
    of each collection, every source together), once the package is built. Exported rows are
    kept sealed, in the package, not in the tasks' results."""
    deadline = time.time() + timeout
    while True:
        r = client.get(f"/api/v1/requests/{request_id}/package")
        if r.status == 200 and r.json()["status"] == "ready":
            rows = {}
            for source in r.json()["sources"]:
                for c in source["collections"]:
                    rows.setdefault(c["name"], []).extend(c["first_rows"])
            return rows
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for the package of {request_id}: {r}")
        time.sleep(0.2)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return f"<{self.status} {self.body[:200]!r}>"


class Client:
    """A browser-like client: keeps the session cookie and the CSRF token."""

    def __init__(self, port):
        self.port = port
        self.cookie = None
        self.csrf = None
        self.bearer = None

    def request(self, method, path, body=None, headers=None, raw=None, content_type="application/json"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None and content_type and "Content-Type" not in h:
            h["Content-Type"] = content_type
        if self.cookie and "Cookie" not in h:
            h["Cookie"] = self.cookie
        if self.csrf and method not in ("GET", "HEAD") and "X-CSRF-Token" not in h:
            h["X-CSRF-Token"] = self.csrf
        if self.bearer and "Authorization" not in h:
            h["Authorization"] = "Bearer " + self.bearer
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        resp = Response(r.status, r.getheaders(), r.read())
        conn.close()
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def login(self, email, password):
        r = self.post("/api/v1/auth/login", {"email": email, "password": password})
        if r.status == 200:
            cookie = r.header("Set-Cookie")
            self.cookie = cookie.split(";")[0]
            self.csrf = r.json()["csrf_token"]
        return r


class Server:
    """One rightsdesk serve process with its own data directory."""

    def __init__(self, extra_args=None, env=None, config=None):
        self.dir = tempfile.mkdtemp(prefix="rd-it-")
        self.port = free_port()
        self.database = fresh_database()
        self.extra_args = extra_args or []
        self.env = dict(os.environ)
        self.env.pop("RD_TEST_DATABASE", None)
        self.env.update(env or {})
        self.config = config
        self.proc = None
        self.stdout_path = os.path.join(self.dir, "stdout.txt")
        self.stderr_path = os.path.join(self.dir, "stderr.txt")
        self.admin_password = None

    def common_args(self):
        args = ["--data-dir", os.path.join(self.dir, "data")]
        if self.database:
            args += ["--database", self.database]
        return args

    def run_cli(self, *args, input_text=None):
        """Runs a short-lived rightsdesk command on this server's data; returns the process."""
        cmd = [BINARY, *args, *self.common_args()]
        return subprocess.run(cmd, input=input_text, capture_output=True, text=True,
                              env=self.env, timeout=60)

    def start(self):
        args = [BINARY, "serve", "--listen", f"127.0.0.1:{self.port}", *self.common_args()]
        if self.config:
            path = os.path.join(self.dir, "config.yaml")
            with open(path, "w") as f:
                f.write(self.config)
            args += ["--config", path]
        args += self.extra_args
        with open(self.stdout_path, "w") as out, open(self.stderr_path, "w") as err:
            self.proc = subprocess.Popen(args, stdout=out, stderr=err, env=self.env)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited: " + self.stderr())
            try:
                if Client(self.port).get("/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("server did not start: " + self.stderr())
        for line in self.stdout().splitlines():
            if "password:" in line:
                self.admin_password = line.split("password:")[1].strip()
        return self

    def stdout(self):
        with open(self.stdout_path) as f:
            return f.read()

    def stderr(self):
        with open(self.stderr_path) as f:
            return f.read()

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode if self.proc else None

    def client(self):
        return Client(self.port)

    def admin(self):
        c = self.client()
        r = c.login("admin@rightsdesk.local", self.admin_password)
        assert r.status == 200, r
        return c

    def add_user(self, email, role, password="correct horse battery"):
        p = self.run_cli("user", "add", email, "--role", role, "--password-stdin",
                         input_text=password + "\n")
        assert p.returncode == 0, p.stderr
        return password


class ServerTest(unittest.TestCase):
    """A test class sharing one server across its tests."""

    server_args = {}

    @classmethod
    def setUpClass(cls):
        cls.server = Server(**cls.server_args).start()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            raise AssertionError(f"server exited with {code}: {cls.server.stderr()[-2000:]}")
