"""A small base for the SaaS stand-in services (tests/standins/<service>.py): an HTTP server
on a loopback port, in-memory data seeded from JSON, routes by method and path pattern, a
rate limit that answers 429 with Retry-After to the first call of one route, and two
test-only inspection routes that the real services do not have:

  GET  /_state   the service's data now, and every call received (method, path, status)
  POST /_reset   replaces the data by the JSON body (same shape as a seed file), or by the
                 starting data (the seed file or the built-in data) when the body is empty

Python standard library only. Each stand-in is started as
  python3 <service>.py --port N [--seed data.json] [auth options] [--no-rate-limit]
and prints "listening on 127.0.0.1:N" once it accepts connections.
"""

import argparse
import copy
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit


class Reply(Exception):
    """Raised by a route to answer at once: status, JSON body, extra headers."""

    def __init__(self, status, body=None, headers=None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


class Request:
    def __init__(self, handler, method, params):
        self.handler = handler
        self.method = method
        parts = urlsplit(handler.path)
        self.path = parts.path
        self.query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        self.params = params
        self.headers = handler.headers
        length = int(handler.headers.get("Content-Length") or 0)
        self.raw = handler.rfile.read(length) if length else b""

    def json(self):
        if not self.raw:
            return {}
        try:
            return json.loads(self.raw)
        except ValueError:
            raise Reply(400, {"error": "body is not JSON"})

    def base_url(self):
        """The URL the client used to reach us (for absolute next-page links)."""
        return "http://" + (self.headers.get("Host") or "127.0.0.1")


class StandIn:
    """One service: subclasses set `name`, `rate_limited_route` (a route name), fill
    `self.data` from seed() and register routes with route()."""

    name = "standin"
    rate_limited_route = None

    def __init__(self, args):
        self.args = args
        self.lock = threading.RLock()
        self.routes = []
        self.calls = []
        self.limited_once = set()
        self.rate_limit = not args.no_rate_limit
        self.data = self.load_seed(args.seed)

    # --- to override -------------------------------------------------------------------
    @classmethod
    def add_arguments(cls, parser):
        pass

    def default_seed(self):
        return {}

    def authorized(self, req):
        return True

    def unauthorized(self):
        return Reply(401, {"error": "unauthorized"})

    def rate_limited(self):
        return Reply(429, {"error": "rate limited"}, {"Retry-After": "1"})

    def not_found(self):
        return Reply(404, {"error": "not found"})

    # --- machinery ---------------------------------------------------------------------
    def load_seed(self, path):
        if path:
            with open(path) as f:
                return json.load(f)
        return self.default_seed()

    def route(self, method, pattern, name):
        """Registers the decorated function for `method` and a path pattern in which
        {name} matches one path segment without a dot (so "{id}.json" works) and {name+} one
        path segment with dots (an email address)."""
        regex = re.sub(r"\{(\w+)\+\}", r"(?P<\1>[^/]+)", pattern)
        regex = "^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/.]+)", regex) + "$"

        def register(fn):
            self.routes.append((method, re.compile(regex), name, fn))
            return fn

        return register

    def dispatch(self, handler, method):
        path = urlsplit(handler.path).path
        if path == "/_state" and method == "GET":
            with self.lock:
                return 200, {"data": copy.deepcopy(self.data), "calls": list(self.calls)}, {}
        if path == "/_reset" and method == "POST":
            req = Request(handler, method, {})
            with self.lock:
                self.data = req.json() if req.raw else self.load_seed(self.args.seed)
                self.calls.clear()
                self.limited_once.clear()
            return 200, {"reset": True}, {}
        for m, regex, name, fn in self.routes:
            match = regex.match(path)
            if m != method or not match:
                continue
            req = Request(handler, method, {k: unquote(v) for k, v in match.groupdict().items()})
            try:
                if not self.authorized(req):
                    raise self.unauthorized()
                with self.lock:
                    if (self.rate_limit and name == self.rate_limited_route
                            and name not in self.limited_once):
                        self.limited_once.add(name)
                        raise self.rate_limited()
                    result = fn(req)
                if isinstance(result, tuple):
                    return result[0], result[1], {}
                return 200, result, {}
            except Reply as r:
                return r.status, r.body, r.headers
        return 404, {"error": "no such route: " + method + " " + path}, {}

    def serve(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def handle_method(self, method):
                try:
                    status, body, headers = standin.dispatch(self, method)
                except Exception as e:  # a bug in the stand-in: say so, do not hang
                    status, body, headers = 500, {"error": repr(e)}, {}
                path = urlsplit(self.path).path
                if not path.startswith("/_"):
                    with standin.lock:
                        standin.calls.append({"method": method, "path": path, "status": status})
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if body is not None:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.close_connection = True
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self.handle_method("GET")

            def do_POST(self):
                self.handle_method("POST")

            def do_PUT(self):
                self.handle_method("PUT")

            def do_PATCH(self):
                self.handle_method("PATCH")

            def do_DELETE(self):
                self.handle_method("DELETE")

            def log_message(self, fmt, *args):  # quiet: the calls are in /_state
                pass

        server = ThreadingHTTPServer(("127.0.0.1", self.args.port), Handler)
        server.daemon_threads = True
        print(f"{self.name} listening on 127.0.0.1:{server.server_address[1]}", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


def main(cls):
    parser = argparse.ArgumentParser(description=f"{cls.name} stand-in for tests")
    parser.add_argument("--port", type=int, required=True, help="loopback port to listen on")
    parser.add_argument("--seed", help="JSON file with the initial data")
    parser.add_argument("--no-rate-limit", action="store_true",
                        help="never answer 429 (the first call of one route does by default)")
    cls.add_arguments(parser)
    args = parser.parse_args()
    cls(args).serve()
    return 0


def page_cursor(items, after, limit, key="id"):
    """Cursor paging: the items after the one whose `key` equals `after` (none: from the
    start), at most `limit`; returns (page, next cursor or None)."""
    start = 0
    if after:
        ids = [str(i[key]) for i in items]
        if str(after) not in ids:
            raise Reply(400, {"error": "unknown cursor"})
        start = ids.index(str(after)) + 1
    page = items[start:start + limit]
    more = start + limit < len(items)
    return page, (str(page[-1][key]) if more and page else None)


if __name__ == "__main__":
    sys.exit("run one of the services, e.g. hubspot.py")
