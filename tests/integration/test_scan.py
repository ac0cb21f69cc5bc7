"""Personal-data scans of data sources over HTTP, and `rightsdesk scan` on files and
databases: the real binary, its worker pool, a real SQLite database to scan, and the server's
own database on SQLite or PostgreSQL."""

import os
import random
import sqlite3
import subprocess
import tempfile
import time
import unittest

from harness import BINARY, ServerTest


def luhn_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def make_shop(path):
    """A small shop database: customers with contact data and cards, orders pointing at them,
    and order numbers that look like cards but fail Luhn."""
    rnd = random.Random(5)
    firsts = ["Anna", "James", "Maria", "David", "Sarah", "Lukas", "Chloe", "Omar"]
    lasts = ["Berg", "Smith", "Lopez", "Miller", "Khan", "Novak"]
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, phone TEXT, "
                "full_name TEXT, card_number TEXT, loyalty_tier TEXT)")
    con.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER "
                "REFERENCES customers(id), order_number TEXT, total REAL)")
    for i in range(1, 61):
        first, last = rnd.choice(firsts), rnd.choice(lasts)
        body = "4" + "".join(rnd.choice("0123456789") for _ in range(14))
        card = body + luhn_digit(body)
        bad = body + str((int(luhn_digit(body)) + 3) % 10)
        con.execute("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)",
                    (i, f"{first.lower()}.{last.lower()}{i}@example.com",
                     f"+1 415 {rnd.randint(200, 989)} {rnd.randint(1000, 9999)}",
                     f"{first} {last}", card, rnd.choice(["Gold", "Silver"])))
        con.execute("INSERT INTO orders VALUES (?, ?, ?, ?)", (i, i, bad, 10.5 * i))
    con.commit()
    con.close()


class DataSourceScans(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="rd-scan-")
        cls.db_path = os.path.join(cls.tmp, "shop.db")
        make_shop(cls.db_path)

    def source(self, client, url=None, **extra):
        body = {"name": "Shop database", "category": "database", "process": "integration",
                "connector": {"kind": "sql", "url": url or "sqlite://" + self.db_path}}
        body.update(extra)
        r = client.post("/api/v1/data-sources", body)
        self.assertEqual(r.status, 201, r)
        return r.json()["id"]

    def wait(self, client, ds, until=("done", "failed")):
        deadline = time.time() + 60
        while time.time() < deadline:
            r = client.get(f"/api/v1/data-sources/{ds}/scan")
            self.assertEqual(r.status, 200, r)
            if r.json()["status"] in until:
                return r.json()
            time.sleep(0.2)
        self.fail("the scan did not finish")

    def test_scan_classifies_columns_and_proposes_a_dataset(self):
        admin = self.server.admin()
        ds = self.source(admin)
        self.assertEqual(admin.get(f"/api/v1/data-sources/{ds}/scan").status, 404)
        r = admin.post(f"/api/v1/data-sources/{ds}/scan")
        self.assertEqual(r.status, 202, r)
        self.assertTrue(r.json()["job_id"].startswith("job_"))
        scan = self.wait(admin, ds)
        self.assertEqual(scan["status"], "done", scan)
        self.assertEqual(scan["progress"], 1)
        got = {(c["collection"], c["field"]): c["category"] for c in scan["columns"]}
        self.assertEqual(got[("customers", "email")], "user.contact.email")
        self.assertEqual(got[("customers", "phone")], "user.contact.phone_number")
        self.assertEqual(got[("customers", "full_name")], "user.name")
        self.assertEqual(got[("customers", "card_number")], "user.financial.credit_card")
        self.assertIsNone(got[("orders", "order_number")])  # fails Luhn
        self.assertIsNone(got[("customers", "loyalty_tier")])
        for c in scan["columns"]:
            self.assertTrue(0 <= c["confidence"] <= 1 and 0 <= c["share"] <= 1, c)
        self.assertIn("identity: email", scan["dataset"])
        self.assertIn("field: customers.id", scan["dataset"])
        # No sampled value leaves the scan: not in the result, not in the audit log.
        self.assertNotIn("@example.com", str(scan))
        events = admin.get("/api/v1/audit/events").body.decode()
        self.assertIn("data_source.scan_requested", events)
        self.assertIn("data_source.scanned", events)
        self.assertNotIn("@example.com", events)
        # A viewer reads the result too.
        viewer = self.server.client()
        password = self.server.add_user("scan-viewer@example.com", "viewer")
        self.assertEqual(viewer.login("scan-viewer@example.com", password).status, 200)
        self.assertEqual(viewer.get(f"/api/v1/data-sources/{ds}/scan").json()["status"], "done")
        self.assertEqual(viewer.post(f"/api/v1/data-sources/{ds}/scan").status, 403)

    def test_sources_without_a_sql_connector_are_refused_and_nothing_is_stored(self):
        admin = self.server.admin()
        manual = admin.post("/api/v1/data-sources", {"name": "Paper files", "category": "hr",
                                                     "process": "manual"}).json()["id"]
        r = admin.post(f"/api/v1/data-sources/{manual}/scan")
        self.assertEqual(r.status, 400, r)
        self.assertTrue(r.json()["error"]["message"].startswith("connector"), r.json())
        self.assertEqual(admin.get(f"/api/v1/data-sources/{manual}/scan").status, 404)
        self.assertEqual(admin.post("/api/v1/data-sources/ds_missing/scan").status, 404)
        self.assertEqual(admin.get("/api/v1/data-sources/ds_missing/scan").status, 404)
        for connector in ({"kind": "saas", "spec": "x"}, {"kind": "sql"},
                          {"kind": "sql", "url": "ftp://host/db"}):
            r = admin.post("/api/v1/data-sources", {
                "name": "Bad", "category": "database", "process": "integration",
                "connector": connector})
            self.assertEqual(r.status, 400, (connector, r))
            self.assertTrue(r.json()["error"]["message"].startswith("connector"), r.json())

    def test_an_unreadable_database_fails_the_scan_with_a_reason(self):
        admin = self.server.admin()
        ds = self.source(admin, url="sqlite:///nonexistent/dir/gone.db", name="Gone")
        self.assertEqual(admin.post(f"/api/v1/data-sources/{ds}/scan").status, 202)
        scan = self.wait(admin, ds)
        self.assertEqual(scan["status"], "failed")
        self.assertIn("no SQLite file", scan["error"])
        # A finished scan may be started again; a queued one may not.
        self.assertEqual(admin.post(f"/api/v1/data-sources/{ds}/scan").status, 202)


class ScanCommand(unittest.TestCase):
    def run_scan(self, *args):
        return subprocess.run([BINARY, "scan", *args], capture_output=True, text=True, timeout=60)

    def test_scans_a_csv_file_and_writes_the_dataset(self):
        tmp = tempfile.mkdtemp(prefix="rd-scan-cli-")
        csv_path = os.path.join(tmp, "contacts.csv")
        with open(csv_path, "w") as f:
            f.write("name,email,ip,product\n")
            for i, (n, p) in enumerate([("Anna Berg", "Desk Lamp"), ("James Smith", "Yoga Mat"),
                                        ("Maria Lopez", "Kettle")]):
                f.write(f'"{n}",{n.split()[0].lower()}@example.com,10.0.0.{i + 1},{p}\n')
        out = os.path.join(tmp, "dataset.yml")
        p = self.run_scan(csv_path, "--sample", "50", "--dataset-out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = {l.split()[0]: l for l in p.stdout.splitlines() if l.startswith("contacts.")}
        self.assertIn("user.contact.email", lines["contacts.email"])
        self.assertIn("user.name", lines["contacts.name"])
        self.assertIn("user.device.ip_address", lines["contacts.ip"])
        self.assertNotIn("user.", lines["contacts.product"])
        self.assertEqual(p.stderr, "")  # no progress bar without a terminal
        with open(out) as f:
            self.assertIn("identity: email", f.read())

    def test_scans_a_sqlite_database(self):
        tmp = tempfile.mkdtemp(prefix="rd-scan-cli-")
        path = os.path.join(tmp, "shop.db")
        make_shop(path)
        p = self.run_scan("sqlite://" + path)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("user.financial.credit_card", p.stdout)
        self.assertIn("2 tables", p.stdout)

    def test_bad_sources_exit_2_with_the_reason(self):
        p = self.run_scan("/nonexistent/file.csv")
        self.assertEqual(p.returncode, 2)
        self.assertIn("no such file", p.stderr)
        p = self.run_scan("sqlite://relative.db")
        self.assertEqual(p.returncode, 2)
        self.assertIn("three slashes", p.stderr)
        p = self.run_scan("/dev/null", "--sample", "0")
        self.assertEqual(p.returncode, 2)


if __name__ == "__main__":
    unittest.main()
