"""What many HTTP-level tests do alike: the shop fixture database, a vendor page fetched and
its form read as a browser would, and requests created and waited for through the API."""

import html.parser
import json
import os
import sqlite3
import tempfile
import time
import urllib.error
import urllib.request

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "shop")
ANA = "ana@example.org"


def read_fixture(name):
    with open(os.path.join(FIXTURES, name)) as f:
        return f.read()


def shop_db():
    """A fresh shop database file: Ana and Bo with addresses, orders, newsletter, tickets."""
    path = os.path.join(tempfile.mkdtemp(prefix="rd-shop-"), "shop.db")
    con = sqlite3.connect(path)
    con.executescript(read_fixture("schema.sql") + read_fixture("data.sql"))
    con.commit()
    con.close()
    return path


def query(path, sql, *args):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


class FormParser(html.parser.HTMLParser):
    """The forms of a page: action, method and the inputs, as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "method": a.get("method"), "fields": {}})
        elif tag in ("input", "textarea") and self.forms and a.get("name"):
            self.forms[-1]["fields"][a["name"]] = a.get("value", "")


def fetch(url, data=None, content_type=None):
    """GET (or POST `data`) with urllib like a browser; returns (status, headers, text)."""
    req = urllib.request.Request(url, data=data)
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


def wait_request(client, request_id, predicate, what, timeout=60):
    """The request's detail once `predicate(detail)` holds; AssertionError after `timeout`."""
    deadline = time.time() + timeout
    while True:
        detail = client.get("/api/v1/requests/" + request_id).json()
        if predicate(detail):
            return detail
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}: {json.dumps(detail)[:3000]}")
        time.sleep(0.2)


class RequestFlows:
    """For test cases with an admin client in `self.admin`."""

    def request(self, type_, email=ANA):
        """A verified request of `type_` for `email`, created by the agent."""
        r = self.admin.post("/api/v1/requests", {"type": type_, "subject": {"email": email},
                                                 "skip_verification": True})
        self.assertEqual(r.status, 201, r)
        return r.json()

    def wait(self, request_id, predicate, what, timeout=60):
        return wait_request(self.admin, request_id, predicate, what, timeout)
