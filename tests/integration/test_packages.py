"""Copy packages end to end: the real binary (on SQLite or PostgreSQL) exports a real SQLite
shop database (tests/fixtures/shop) into a sealed spool, builds the zip, and the reply email
carries the download link; the zip is downloaded and read back (JSON, CSV, index.html), an
agent previews and redacts a column, and an expired link answers 410."""

import csv
import io
import json
import re
import secrets
import sqlite3
import time
import unittest
import zipfile

from flows import ANA, read_fixture, shop_db
from harness import Server
from smtp_sink import MAILDIR, SMTP, smtp_env, wait_for_mail


class PackageCase(unittest.TestCase):
    ENV = {}

    @classmethod
    def setUpClass(cls):
        cls.server = Server(env=smtp_env(**cls.ENV)).start()
        cls.admin = cls.server.admin()
        cls.shop = shop_db()
        r = cls.admin.post("/api/v1/data-sources", {
            "name": "Shop DB", "category": "database", "process": "integration",
            "connector": {"kind": "sql", "url": "sqlite://" + cls.shop},
            "dataset": read_fixture("dataset.yml")})
        assert r.status == 201, r
        cls.source = r.json()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, cls.server.stderr()[-2000:]

    def wait(self, what, fn, timeout=60):
        deadline = time.time() + timeout
        while True:
            value = fn()
            if value:
                return value
            if time.time() > deadline:
                self.fail("timed out waiting for " + what)
            time.sleep(0.2)

    def copy_in_reply(self):
        """A copy request for Ana continued onto the shop, its package ready."""
        r = self.admin.post("/api/v1/requests", {"type": "copy", "subject": {"email": ANA},
                                                 "skip_verification": True})
        self.assertEqual(r.status, 201, r)
        q = r.json()
        r = self.admin.post(f"/api/v1/requests/{q['id']}/continue",
                            {"data_source_ids": [self.source["id"]]})
        self.assertEqual(r.status, 200, r)
        self.wait("status reply", lambda: self.admin.get(
            "/api/v1/requests/" + q["id"]).json()["status"] == "reply")
        self.wait_ready(q["id"])
        return q

    def wait_ready(self, request_id):
        def ready():
            r = self.admin.get(f"/api/v1/requests/{request_id}/package")
            return r.status == 200 and r.json()["status"] == "ready" and r.json()
        return self.wait("the package", ready)

    def link(self, request_id):
        draft = self.admin.get(f"/api/v1/requests/{request_id}/reply").json()
        m = re.search(r"http://[^\s]+/api/v1/packages/([0-9a-f]{32})", draft["body"])
        self.assertIsNotNone(m, draft["body"])
        return draft, m.group(1)

    def download(self, token):
        r = self.server.client().get("/api/v1/packages/" + token)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "application/zip")
        self.assertIn("attachment", r.header("Content-Disposition"))
        return zipfile.ZipFile(io.BytesIO(r.body))

    @staticmethod
    def csv_rows(z, name):
        return list(csv.reader(io.StringIO(z.read(name).decode(), newline="")))


@unittest.skipUnless(SMTP and MAILDIR, "needs the smtp fixture (RD_TEST_SMTP, RD_TEST_SMTP_DIR)")
class Packages(PackageCase):
    def test_the_reply_links_a_zip_with_json_csv_and_a_page(self):
        q = self.copy_in_reply()
        package = self.admin.get(f"/api/v1/requests/{q['id']}/package").json()
        collections = {c["name"]: c for c in package["sources"][0]["collections"]}
        self.assertEqual(collections["customers"]["rows"], 1)
        self.assertIn("email", collections["customers"]["columns"])
        self.assertEqual(collections["customers"]["first_rows"][0]["email"], ANA)
        self.assertEqual(collections["order_items"]["rows"], 3)
        self.assertGreater(package["expires_at"], time.time() + 6 * 86400)

        draft, token = self.link(q["id"])
        r = self.admin.post(f"/api/v1/requests/{q['id']}/reply",
                            {"subject": draft["subject"], "body": draft["body"]})
        self.assertEqual(r.status, 200, r)
        mail = wait_for_mail(ANA, subject_contains=q["reference"] + " is complete")
        self.assertIn("/api/v1/packages/" + token, mail.get_content())

        z = self.download(token)
        names = sorted(z.namelist())
        self.assertIn("index.html", names)
        self.assertIn("shop-db.json", names)
        for c in ("customers", "addresses", "orders", "order_items", "newsletter", "tickets"):
            self.assertIn(f"shop-db/{c}.csv", names)
        rows = self.csv_rows(z, "shop-db/customers.csv")
        header = rows[0]
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows[1][header.index("email")], ANA)
        tickets = self.csv_rows(z, "shop-db/tickets.csv")
        self.assertEqual(sorted(r[tickets[0].index("id")] for r in tickets[1:]), ["30", "31"])
        doc = json.loads(z.read("shop-db.json"))
        self.assertEqual(doc["source"], "Shop DB")
        groups = {}  # a collection may come in several runs, as the walk reached its rows
        for g in doc["collections"]:
            groups.setdefault(g["name"], []).extend(g["rows"])
        self.assertEqual(groups["customers"][0]["email"], ANA)
        self.assertEqual(sum(len(v) for v in groups.values()), 11)
        page = z.read("index.html").decode()
        self.assertIn(q["reference"], page)
        self.assertIn("Shop DB", page)
        self.assertIn("<td>order_items</td><td>3</td>", page)
        self.assertNotIn("<script", page.lower())

        # Each download is audited, with counts only.
        self.download(token)
        events = self.admin.get(f"/api/v1/requests/{q['id']}/history").json()["events"]
        downloads = [e for e in events if e["kind"] == "package.downloaded"]
        self.assertEqual(len(downloads), 2)
        self.assertEqual(downloads[-1]["actor"], "subject")
        self.assertNotIn(ANA, json.dumps(events))
        self.assertEqual(self.admin.get(f"/api/v1/requests/{q['id']}/package").json()["downloads"], 2)

        # Unknown links, and redaction after the reply.
        self.assertEqual(self.server.client().get("/api/v1/packages/" + "0" * 32).status, 404)
        self.assertEqual(self.server.client().get("/api/v1/packages/nope").status, 404)
        r = self.admin.post(f"/api/v1/requests/{q['id']}/package/redact", {"fields": [
            {"data_source_id": self.source["id"], "collection": "customers", "column": "email"}]})
        self.assertEqual(r.status, 409, r)

    def test_an_agent_redacts_a_column_before_the_reply(self):
        q = self.copy_in_reply()
        _, token = self.link(q["id"])
        bad = [
            ({"fields": []}, "fields"),
            ({"fields": [{"data_source_id": self.source["id"], "collection": "customers"}]},
             "fields[0].column"),
            ({"fields": [{"data_source_id": self.source["id"], "collection": "customers",
                          "column": "shoe_size"}]}, "fields[0].column"),
            ({"fields": [{"data_source_id": "ds_nope", "collection": "customers",
                          "column": "email"}]}, "fields[0].data_source_id"),
        ]
        for body, field in bad:
            r = self.admin.post(f"/api/v1/requests/{q['id']}/package/redact", body)
            self.assertEqual(r.status, 400, (body, r))
            self.assertTrue(r.json()["error"]["message"].startswith(field), r)
        self.assertEqual(self.admin.get(f"/api/v1/requests/{q['id']}/package").json()["status"],
                         "ready")
        r = self.admin.post(f"/api/v1/requests/{q['id']}/package/redact", {"fields": [
            {"data_source_id": self.source["id"], "collection": "customers", "column": "email"}]})
        self.assertEqual(r.status, 200, r)
        customers = next(c for c in r.json()["sources"][0]["collections"] if c["name"] == "customers")
        self.assertEqual(customers["redacted"], ["email"])
        self.assertNotIn("email", customers["first_rows"][0])
        package = self.wait_ready(q["id"])
        self.assertEqual(self.link(q["id"])[1], token)  # the same link
        z = self.download(token)
        header = self.csv_rows(z, "shop-db/customers.csv")[0]
        self.assertNotIn("email", header)
        self.assertIn("name", header)
        doc = json.loads(z.read("shop-db.json"))
        for g in doc["collections"]:
            if g["name"] == "customers":
                self.assertNotIn("email", g["rows"][0])
        events = self.admin.get(f"/api/v1/requests/{q['id']}/history").json()["events"]
        redacted = [e for e in events if e["kind"] == "package.redacted"]
        self.assertEqual(len(redacted), 1)
        self.assertEqual(redacted[0]["detail"]["fields"][0]["column"], "email")
        self.assertNotIn(ANA, json.dumps(events))
        redacted_now = {c["name"]: c["redacted"] for c in package["sources"][0]["collections"]}
        self.assertEqual(redacted_now["customers"], ["email"])
        self.assertEqual(redacted_now["orders"], [])


@unittest.skipUnless(SMTP and MAILDIR, "needs the smtp fixture (RD_TEST_SMTP, RD_TEST_SMTP_DIR)")
class LargePackages(PackageCase):
    """A package of many sealed chunks is sent piece by piece, each once the socket took the
    last: the client gets it whole, as long as its Content-Length says."""

    def test_a_package_of_many_chunks_downloads_whole(self):
        con = sqlite3.connect(self.shop)
        bodies = [secrets.token_hex(256) for _ in range(2000)]
        con.executemany("INSERT INTO tickets (customer_email, subject, body) VALUES (?, ?, ?)",
                        [(ANA, f"ticket {i}", b) for i, b in enumerate(bodies)])
        con.commit()
        con.close()
        q = self.copy_in_reply()
        _, token = self.link(q["id"])
        r = self.server.client().get("/api/v1/packages/" + token)
        self.assertEqual(r.status, 200, r)
        self.assertGreater(len(r.body), 4 * 65536, "spans several 64 KiB chunks")
        self.assertEqual(int(r.header("Content-Length")), len(r.body))
        z = zipfile.ZipFile(io.BytesIO(r.body))
        [name] = [n for n in z.namelist() if n.endswith("tickets.csv")]
        rows = list(csv.DictReader(io.StringIO(z.read(name).decode())))
        self.assertEqual({row["body"] for row in rows} & set(bodies), set(bodies))


@unittest.skipUnless(SMTP and MAILDIR, "needs the smtp fixture (RD_TEST_SMTP, RD_TEST_SMTP_DIR)")
class ExpiredPackages(PackageCase):
    ENV = {"RIGHTSDESK_PACKAGES__TTL": "3s"}

    def test_an_expired_link_is_gone_and_the_package_purged(self):
        q = self.copy_in_reply()
        _, token = self.link(q["id"])
        time.sleep(3.5)
        r = self.server.client().get("/api/v1/packages/" + token)
        self.assertEqual(r.status, 410, r)
        self.assertEqual(r.json()["error"]["code"], "gone")
        # The purge job runs at the expiry: the package is deleted, the link stays gone.
        self.wait("the purge", lambda: self.admin.get(
            f"/api/v1/requests/{q['id']}/package").json()["status"] == "expired")
        self.assertEqual(self.server.client().get("/api/v1/packages/" + token).status, 410)
        events = self.admin.get(f"/api/v1/requests/{q['id']}/history").json()["events"]
        self.assertIn("package.purged", [e["kind"] for e in events])


if __name__ == "__main__":
    unittest.main()
