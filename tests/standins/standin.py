"""The shared frame of the SaaS stand-ins: a loopback HTTP server with JSON helpers.

A stand-in implements exactly the documented endpoints of one service, with in-memory data
seeded from a JSON file (--seed), checks the service's authentication (--key), and answers
429 (Retry-After: 1) to the first call of the routes named by --throttle-first, so that
tests exercise the retry. GET /_standin/state returns the data (for tests only: it is not
part of the service's API). Run: python3 <service>.py --port P --key K --seed data.json
"""

import argparse
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StandIn:
    """Subclasses set `routes`: [(method, regex, handler_name)] and implement auth_ok()."""

    routes = []

    def __init__(self, key, seed, throttle_first):
        self.key = key
        self.data = seed
        self.lock = threading.Lock()
        self.throttle = set(throttle_first)
        self.calls = {}

    def auth_ok(self, headers, query):
        raise NotImplementedError

    def unauthorized(self):
        return 401, {"error": "unauthorized"}


def serve(standin_class):
    import re

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--seed", required=True)
    parser.add_argument("--throttle-first", action="append", default=[])
    args = parser.parse_args()
    with open(args.seed) as f:
        seed = json.load(f)
    standin = standin_class(args.key, seed, args.throttle_first)
    compiled = [(m, re.compile("^" + rx + "$"), name) for m, rx, name in standin.routes]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):  # quiet: the data is personal even in a stand-in
            pass

        def reply(self, status, body, headers=None):
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def handle_any(self, method):
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if url.path == "/_standin/state" and method == "GET":
                with standin.lock:
                    return self.reply(200, {"data": standin.data, "calls": standin.calls})
            for m, rx, name in compiled:
                match = rx.match(url.path)
                if m != method or not match:
                    continue
                with standin.lock:
                    standin.calls[name] = standin.calls.get(name, 0) + 1
                    if name in standin.throttle and standin.calls[name] == 1:
                        return self.reply(429, {"error": "too many requests"}, {"Retry-After": "1"})
                    if not standin.auth_ok(self.headers, query):
                        return self.reply(*standin.unauthorized())
                    result = getattr(standin, name)(*match.groups(), query=query, raw=raw,
                                                    headers=self.headers)
                return self.reply(*result)
            return self.reply(404, {"error": "no such route"})

        def do_GET(self):
            self.handle_any("GET")

        def do_POST(self):
            self.handle_any("POST")

        def do_PATCH(self):
            self.handle_any("PATCH")

        def do_PUT(self):
            self.handle_any("PUT")

        def do_DELETE(self):
            self.handle_any("DELETE")

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.serve_forever()
