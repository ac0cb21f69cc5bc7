"""`rightsdesk demo` end to end (SQLite): a fresh data directory gets the demo shop, three data
sources (integration, email, manual) and two requests in review; the demo deletion is worked
through every source — the manual task completed, the email task confirmed through the link in
the vendor's .eml from the pickup directory — until reply, and the shop database is checked
directly; the demo copy's task finishes; a second run on the same directory duplicates nothing."""

import email
import email.policy
import glob
import os
import re
import signal
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from flows import FormParser, fetch, query, wait_request
from harness import BINARY, Client, free_port

ADA = "ada@example.com"
GRACE = "grace@example.com"
VENDOR = "privacy@printworks.example"


class Demo:
    """One `rightsdesk demo` process on a data directory."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.port = free_port()
        self.out_path = os.path.join(os.path.dirname(data_dir), f"demo-{self.port}.out")
        self.err_path = os.path.join(os.path.dirname(data_dir), f"demo-{self.port}.err")
        # Mail must go to the pickup directory: no SMTP server from the environment.
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("RIGHTSDESK_")}
        self.proc = None

    def start(self):
        with open(self.out_path, "w") as out, open(self.err_path, "w") as err:
            self.proc = subprocess.Popen(
                [BINARY, "demo", "--listen", f"127.0.0.1:{self.port}", "--data-dir",
                 self.data_dir], stdout=out, stderr=err, env=self.env)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("demo exited: " + self.stderr())
            try:
                if Client(self.port).get("/healthz").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("demo did not start: " + self.stderr())

    def stdout(self):
        with open(self.out_path) as f:
            return f.read()

    def stderr(self):
        with open(self.err_path) as f:
            return f.read()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


class DemoCommand(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="rd-demo-")
        self.data_dir = os.path.join(self.dir, "data")
        self.demo = None

    def tearDown(self):
        if self.demo:
            self.demo.stop()

    def login(self, password):
        admin = Client(self.demo.port)
        r = admin.login("admin@rightsdesk.local", password)
        self.assertEqual(r.status, 200, r)
        return admin

    def mails(self, mail_dir, to):
        out = []
        for path in sorted(glob.glob(os.path.join(mail_dir, "*.eml"))):
            with open(path, "rb") as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            if msg["To"] == to:
                out.append(msg)
        return out

    def wait_mail(self, mail_dir, to, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = self.mails(mail_dir, to)
            if found:
                return found
            time.sleep(0.1)
        self.fail(f"no .eml to {to} in {mail_dir}: {os.listdir(mail_dir) if os.path.isdir(mail_dir) else 'no directory'}")

    def test_demo_end_to_end_and_again(self):
        self.demo = Demo(self.data_dir).start()
        out = self.demo.stdout()
        m = re.search(r"password: (\S+)", out)
        self.assertTrue(m, out)
        password = m.group(1)
        m = re.search(r"written as \.eml files to (\S+)", out)
        self.assertTrue(m, out)
        mail_dir = m.group(1)
        self.assertEqual(os.path.realpath(mail_dir), os.path.realpath(os.path.join(self.data_dir, "mail")))
        shop = os.path.join(self.data_dir, "demo-shop.db")
        self.assertIn(shop if os.path.isabs(shop) else os.path.abspath(shop), out)
        self.assertIn(f"deletion for {ADA} (review)", out)
        self.assertIn(f"copy for {GRACE} (review)", out)
        self.assertEqual(query(shop, "SELECT COUNT(*) FROM customers"), [(300,)])
        (ada_id,), = query(shop, "SELECT id FROM customers WHERE email = ?", ADA)
        ada_orders = query(shop, "SELECT COUNT(*) FROM orders WHERE customer_id = ?", ada_id)[0][0]
        self.assertEqual(ada_orders, 3)
        items_before = query(shop, "SELECT COUNT(*) FROM order_items")[0][0]
        ada_items = query(shop, "SELECT COUNT(*) FROM order_items i JOIN orders o ON o.id = i.order_id "
                                "WHERE o.customer_id = ?", ada_id)[0][0]
        grace_before = query(shop, "SELECT * FROM customers WHERE email = ?", GRACE)

        admin = self.login(password)
        sources = admin.get("/api/v1/data-sources").json()["items"]
        self.assertEqual(sorted(s["process"] for s in sources), ["email", "integration", "manual"])
        by_process = {s["process"]: s for s in sources}
        self.assertEqual(by_process["email"]["contact_email"], VENDOR)
        self.assertIn("sqlite://" + os.path.abspath(shop), str(by_process["integration"]["connector"]))
        self.assertTrue(by_process["manual"]["instructions"])
        requests = admin.get("/api/v1/requests").json()["items"]
        self.assertEqual(sorted((q["type"], q["status"]) for q in requests),
                         [("copy", "review"), ("deletion", "review")])
        deletion = admin.get("/api/v1/requests?q=" + ADA).json()["items"]
        self.assertEqual([q["type"] for q in deletion], ["deletion"])
        q = deletion[0]

        # Review: the pre-scan found Ada in the shop.
        shop_id = by_process["integration"]["id"]
        detail = wait_request(admin, q["id"], lambda d: any(
            p["data_source_id"] == shop_id for p in d["prescan"]), "the pre-scan")
        scan = next(p for p in detail["prescan"] if p["data_source_id"] == shop_id)
        self.assertGreater(scan["found"], 0, scan)
        self.assertIsNone(scan["error"])
        # The acknowledgement went to the pickup directory.
        self.wait_mail(mail_dir, ADA)

        # Continue with all three sources.
        ids = [s["id"] for s in sources]
        r = admin.post(f"/api/v1/requests/{q['id']}/continue", {"data_source_ids": ids})
        self.assertEqual(r.status, 200, r)
        tasks = {t["process"]: t for t in r.json()["tasks"]}
        self.assertEqual(set(tasks), {"integration", "email", "manual"})

        # The manual checklist item, done by the agent.
        r = admin.post(f"/api/v1/requests/{q['id']}/tasks/{tasks['manual']['id']}/complete",
                       {"note": "Folder L checked, letters shredded"})
        self.assertEqual(r.status, 200, r)

        # The vendor's email, from the pickup directory; confirmed through its link.
        msg = self.wait_mail(mail_dir, VENDOR)[0]
        self.assertIn(q["reference"], msg["Subject"])
        text = msg.get_content()
        m = re.search(r"(http://\S+/vendor/tasks/(task_[0-9a-f]+)\?token=[0-9a-f]+)", text)
        self.assertTrue(m, text)
        url, task_id = m.group(1), m.group(2)
        self.assertEqual(task_id, tasks["email"]["id"])
        status, _, page = fetch(url)
        self.assertEqual(status, 200, page)
        parser = FormParser()
        parser.feed(page)
        self.assertEqual(len(parser.forms), 1, page)
        form = parser.forms[0]
        fields = dict(form["fields"], note="Deleted from our print queue")
        status, _, thanks = fetch(urllib.parse.urljoin(url, form["action"]),
                               urllib.parse.urlencode(fields).encode(),
                               "application/x-www-form-urlencoded")
        self.assertEqual(status, 200, thanks)

        # The integration task runs in the worker; then the request moves to reply by itself.
        detail = wait_request(admin, q["id"], lambda d: d["status"] == "reply", "status reply")
        done = {t["process"]: (t["status"], t["completed_by"]) for t in detail["tasks"]}
        self.assertEqual(done["integration"], ("done", "system"))
        self.assertEqual(done["email"], ("done", "vendor"))
        self.assertEqual(done["manual"][0], "done")

        # The shop: Ada's rows gone or masked, nobody else's touched.
        self.assertEqual(query(shop, "SELECT COUNT(*) FROM customers WHERE email = ?", ADA), [(0,)])
        (mail, first, last, phone, birth), = query(
            shop, "SELECT email, first_name, last_name, phone, birth_date FROM customers WHERE id = ?",
            ada_id)
        self.assertEqual((len(mail), first, last, len(phone), birth), (64, "REDACTED", "REDACTED", 64, None))
        for street, postal, city in query(
                shop, "SELECT street, postal_code, city FROM addresses WHERE customer_id = ?", ada_id):
            self.assertEqual((len(street), postal, city), (12, None, None))
        self.assertEqual(query(shop, "SELECT COUNT(*) FROM orders WHERE customer_id = ?", ada_id), [(3,)])
        self.assertEqual(query(shop, "SELECT COUNT(*) FROM order_items")[0][0], items_before - ada_items)
        self.assertEqual(query(shop, "SELECT COUNT(*) FROM support_tickets WHERE customer_email = ?", ADA), [(0,)])
        self.assertEqual(query(shop, "SELECT COUNT(*) FROM newsletter_subscriptions WHERE email = ?", ADA), [(0,)])
        self.assertEqual(query(shop, "SELECT * FROM customers WHERE email = ?", GRACE), grace_before)
        self.assertEqual(query(shop, "SELECT COUNT(*) FROM customers"), [(300,)])

        # The demo copy: its shop task finishes (the package itself is another feature's).
        copy = admin.get("/api/v1/requests?q=" + GRACE).json()["items"]
        self.assertEqual([c["type"] for c in copy], ["copy"])
        r = admin.post(f"/api/v1/requests/{copy[0]['id']}/continue", {"data_source_ids": [shop_id]})
        self.assertEqual(r.status, 200, r)
        detail = wait_request(admin, copy[0]["id"],
                           lambda d: d["tasks"] and d["tasks"][0]["status"] in ("done", "failed"),
                           "the copy task")
        self.assertEqual(detail["tasks"][0]["status"], "done", detail["tasks"][0])
        self.assertEqual(query(shop, "SELECT * FROM customers WHERE email = ?", GRACE), grace_before)

        self.assertEqual(self.demo.stop(), 0, self.demo.stderr()[-2000:])
        eml_count = len(glob.glob(os.path.join(mail_dir, "*.eml")))

        # Again on the same directory: everything reused, nothing duplicated, same admin.
        self.demo = Demo(self.data_dir).start()
        out = self.demo.stdout()
        self.assertIn("reusing", out)
        self.assertIn(f"deletion for {ADA} (reply)", out)
        self.assertNotIn("password:", out)
        admin = self.login(password)
        sources = admin.get("/api/v1/data-sources").json()["items"]
        self.assertEqual(len(sources), 3)
        requests = admin.get("/api/v1/requests").json()["items"]
        self.assertEqual(len(requests), 2)
        self.assertEqual(query(shop, "SELECT COUNT(*) FROM customers WHERE email = ?", ADA), [(0,)])
        self.assertEqual(len(glob.glob(os.path.join(mail_dir, "*.eml"))), eml_count)
        self.assertEqual(self.demo.stop(), 0, self.demo.stderr()[-2000:])


if __name__ == "__main__":
    unittest.main()
