"""The custom webhook connector end to end: the real binary (on SQLite or PostgreSQL) posts
signed jobs to a Python receiver on loopback, which checks our signature like a company's system
would (docs/connectors.md). One source answers 200 with its result at once; the other answers
202 and later calls the signed callback route, where a replayed, a forged and a stale callback
are refused. Deletion and copy run from continue to reply."""

import hashlib
import hmac
import json
import threading
import time
import unittest
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from flows import RequestFlows
from harness import Server, package_rows

ANA = "ana.webhook@example.org"
SECRET_NOW = "now-secret-0123456789"
SECRET_LATER = "later-secret-0123456789"
PORTS = range(55640, 55650)  # the receiver's ports for these tests


def sign(secret, timestamp, body):
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def verify(secret, headers, body):
    """What a receiver does with our job: the timestamp is recent and the signature matches."""
    timestamp = headers.get("Rightsdesk-Timestamp", "")
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
        return False
    expected = sign(secret, timestamp, body)
    sent = [s.strip() for s in headers.get("Rightsdesk-Signature", "").split(",")]
    return any(hmac.compare_digest(expected, s) for s in sent)


def post(url, body, headers):
    """POSTs raw bytes; returns (status, JSON body or None)."""
    req = urllib.request.Request(url, data=body, method="POST",
                                 headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


class Receiver:
    """The company's systems: /now answers at once, /later answers 202 and calls back."""

    def __init__(self):
        self.jobs = []            # (path, job) for every verified job
        self.rejected = 0         # jobs whose signature did not verify
        self.callbacks = []       # (what, status, body) of the callbacks it sent
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body=None):
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                secret = SECRET_NOW if self.path == "/now" else SECRET_LATER
                if not verify(secret, self.headers, raw):
                    with receiver.lock:
                        receiver.rejected += 1
                    return self.answer(401, {"error": "bad signature"})
                job = json.loads(raw)
                with receiver.lock:
                    receiver.jobs.append((self.path, job))
                if job["action"] in ("test", "find"):
                    return self.answer(200, {"status": "completed",
                                             "collections": {"users": {"found": 1}}})
                if self.path == "/now":
                    if job["action"] == "export":
                        return self.answer(200, {
                            "status": "completed",
                            "collections": {"users": {"found": 1}},
                            "rows": {"users": [{"email": job["identities"]["email"],
                                                "plan": "pro"}]}})
                    return self.answer(200, {"status": "completed",
                                             "collections": {"users": {"found": 1, "erased": 1}},
                                             "verified": True})
                self.answer(202)
                threading.Thread(target=receiver.call_back, args=(job,), daemon=True).start()

        for port in PORTS:
            try:
                self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        else:
            raise RuntimeError("no free receiver port in 55640-55649")
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def call_back(self, job):
        time.sleep(0.3)  # after our 202 has been recorded
        url = job["callback_url"]
        body = json.dumps({"id": job["id"], "status": "completed",
                           "collections": {"crm_contacts": {"found": 2, "erased": 2}}}).encode()
        if job["action"] == "export":
            body = json.dumps({"id": job["id"], "status": "completed",
                               "rows": {"crm_contacts": [{"email": job["identities"]["email"]}]}
                               }).encode()
        ts = str(int(time.time()))
        # A forged callback (another secret) and a stale one (signed 10 minutes ago) first.
        forged = post(url, body, {"Rightsdesk-Timestamp": ts,
                                  "Rightsdesk-Signature": sign("not-the-secret", ts, body)})
        old = str(int(time.time()) - 600)
        stale = post(url, body, {"Rightsdesk-Timestamp": old,
                                 "Rightsdesk-Signature": sign(SECRET_LATER, old, body)})
        headers = {"Rightsdesk-Timestamp": ts, "Rightsdesk-Signature": sign(SECRET_LATER, ts, body)}
        real = post(url, body, headers)
        replay = post(url, body, headers)
        with self.lock:
            self.callbacks.append({"job": job, "forged": forged, "stale": stale, "real": real,
                                   "replay": replay})

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Webhooks(RequestFlows, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.receiver = Receiver()
        cls.server = Server().start()
        cls.admin = cls.server.admin()
        cls.now = cls.source("CRM now", "/now", SECRET_NOW)
        cls.later = cls.source("CRM later", "/later", SECRET_LATER)

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.receiver.stop()
        assert code == 0, cls.server.stderr()[-2000:]

    @classmethod
    def source(cls, name, path, secret):
        r = cls.admin.post("/api/v1/data-sources", {
            "name": name, "category": "crm", "process": "integration",
            "connector": {"kind": "webhook", "url": cls.receiver.url(path), "secret": secret}})
        assert r.status == 201, r
        return r.json()

    def callback_of(self, task_id, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.receiver.lock:
                for cb in self.receiver.callbacks:
                    if cb["job"]["id"] == task_id:
                        return cb
            time.sleep(0.1)
        self.fail("the receiver never called back for " + task_id)

    def run_to_reply(self, type_):
        q = self.request(type_, ANA)
        r = self.admin.post(f"/api/v1/requests/{q['id']}/continue",
                            {"data_source_ids": [self.now["id"], self.later["id"]]})
        self.assertEqual(r.status, 200, r)
        detail = self.wait(q["id"], lambda d: d["status"] == "reply", "status reply")
        tasks = {t["data_source_id"]: t for t in detail["tasks"]}
        return q, tasks[self.now["id"]], tasks[self.later["id"]]

    def test_the_secret_is_write_only(self):
        shown = self.admin.get("/api/v1/data-sources/" + self.later["id"]).json()
        self.assertEqual(shown["connector"], {"kind": "webhook", "url": self.receiver.url("/later"),
                                              "secret": "***"})
        self.assertNotIn(SECRET_LATER, json.dumps(shown))
        # Sent back as read, the secret stays: the receiver still verifies our jobs.
        r = self.admin.request("PATCH", "/api/v1/data-sources/" + self.later["id"],
                               body={"connector": shown["connector"]})
        self.assertEqual(r.status, 200, r)
        r = self.admin.post(f"/api/v1/data-sources/{self.later['id']}/test")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json()["ok"], r)
        # Bad connectors are refused, naming the field, and nothing is stored.
        for connector, field in (
                ({"kind": "webhook", "url": "http://systems.example.com/p", "secret": SECRET_NOW},
                 "connector.url"),
                ({"kind": "webhook", "url": self.receiver.url("/now"), "secret": "short"},
                 "connector.secret"),
                ({"kind": "webhook", "url": self.receiver.url("/now"), "secret": "***"},
                 "connector.secret")):
            r = self.admin.post("/api/v1/data-sources", {
                "name": "Bad hook", "category": "crm", "process": "integration",
                "connector": connector})
            self.assertEqual(r.status, 400, r)
            self.assertIn(field, r.json()["error"]["message"])
        names = [s["name"] for s in self.admin.get("/api/v1/data-sources").json()["items"]]
        self.assertNotIn("Bad hook", names)

    def test_a_deletion_completes_at_once_and_by_callback(self):
        q, now, later = self.run_to_reply("deletion")
        self.assertEqual((now["status"], now["completed_by"]), ("done", "system"), now)
        self.assertEqual(now["result"]["collections"]["users"]["erased"], 1)
        self.assertTrue(now["result"]["verified"])
        self.assertEqual((later["status"], later["completed_by"]), ("done", "webhook"), later)
        self.assertEqual(later["result"]["status"], "completed")
        self.assertEqual(later["result"]["collections"]["crm_contacts"]["erased"], 2)

        # The jobs as the receiver verified them.
        jobs = {path: job for path, job in self.receiver.jobs
                if job["action"] == "erase" and job["request"]["id"] == q["id"]}
        self.assertEqual(jobs["/now"]["id"], now["id"])
        self.assertEqual(jobs["/later"]["id"], later["id"])
        job = jobs["/later"]
        self.assertEqual(job["request"]["type"], "deletion")
        self.assertEqual(job["identities"], {"email": ANA})
        self.assertEqual(job["callback_url"],
                         f"http://127.0.0.1:{self.server.port}/api/v1/webhooks/tasks/{later['id']}")
        self.assertRegex(job["created_at"], r"^\d{4}-\d\d-\d\dT")
        self.assertEqual(self.receiver.rejected, 0)

        cb = self.callback_of(later["id"])
        self.assertEqual(cb["forged"][0], 401, cb)
        self.assertEqual(cb["stale"][0], 401, cb)
        self.assertIn("Rightsdesk-Timestamp", cb["stale"][1]["error"]["message"])
        self.assertEqual(cb["real"], (200, {"task_id": later["id"], "status": "done",
                                            "request_status": "reply"}), cb)
        self.assertEqual(cb["replay"][0], 409, cb)

        events = self.admin.get(f"/api/v1/requests/{q['id']}/history").json()["events"]
        kinds = [(e["kind"], e["actor"]) for e in events]
        for kind in (("task.deferred", "system"), ("task.completed", "webhook"),
                     ("task.completed", "system"), ("request.tasks_finished", "system")):
            self.assertIn(kind, kinds)
        by_hook = next(e for e in events if e["kind"] == "task.completed" and e["actor"] == "webhook")
        self.assertEqual(by_hook["detail"]["counts"]["erased"], 2)
        self.assertNotIn(ANA, json.dumps(events))

    def test_a_copy_packages_the_rows_of_both(self):
        q, now, later = self.run_to_reply("copy")
        # The rows of the 200 answer and of the callback are both in the package (sealed).
        rows = package_rows(self.admin, q["id"])
        self.assertEqual(rows["users"], [{"email": ANA, "plan": "pro"}])
        self.assertEqual(rows["crm_contacts"], [{"email": ANA}])
        self.assertNotIn("rows", now["result"])
        self.assertNotIn("rows", later["result"])
        self.assertEqual(later["result"]["collections"]["crm_contacts"]["exported"], 1)
        events = self.admin.get(f"/api/v1/requests/{q['id']}/history").json()["events"]
        self.assertNotIn(ANA, json.dumps(events))

    def test_callbacks_that_do_not_fit_are_refused(self):
        url = f"http://127.0.0.1:{self.server.port}/api/v1/webhooks/tasks/"

        def signed(task_id, body, secret=SECRET_LATER):
            ts = str(int(time.time()))
            raw = body if isinstance(body, bytes) else json.dumps(body).encode()
            return post(url + task_id, raw, {"Rightsdesk-Timestamp": ts,
                                             "Rightsdesk-Signature": sign(secret, ts, raw)})

        status, body = signed("task_missing", {"status": "completed"})
        self.assertEqual(status, 404, body)
        status, body = post(url + "task_missing", b"{}", {})
        self.assertEqual(status, 404, body)

        # A task of the 202 source, finished: well signed, but not waiting any more.
        q, _, later = self.run_to_reply("deletion")
        self.callback_of(later["id"])
        status, body = signed(later["id"], {"id": later["id"], "status": "completed"})
        self.assertEqual(status, 409, body)
        self.assertIn("not waiting", body["error"]["message"])
        # A well-signed callback for another task, sent to this task's URL: refused.
        for other in ({"status": "completed"}, {"id": "task_other", "status": "completed"}):
            status, body = signed(later["id"], other)
            self.assertEqual(status, 400, body)
            self.assertIn("body.id", body["error"]["message"])
        # Malformed bodies, well signed: 400 naming the field.
        for bad, field in ((b"not json", "body"), ({"status": "done"}, "body.status"),
                           ({"status": "completed", "collections": {"c": {"found": -1}}},
                            "body.collections.c.found")):
            status, body = signed(later["id"], bad)
            self.assertEqual(status, 400, body)
            self.assertIn(field, body["error"]["message"])
        # No signature at all, or the other source's secret.
        status, body = post(url + later["id"], b'{"status":"completed"}', {})
        self.assertEqual(status, 401, body)
        status, body = signed(later["id"], {"status": "completed"}, SECRET_NOW)
        self.assertEqual(status, 401, body)
        task = next(t for t in self.admin.get("/api/v1/requests/" + q["id"]).json()["tasks"]
                    if t["id"] == later["id"])
        self.assertEqual(task["status"], "done")


if __name__ == "__main__":
    unittest.main()
