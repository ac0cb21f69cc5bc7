"""Integration sources end to end: the real binary (on SQLite or PostgreSQL) runs a SQL
connector against a real SQLite shop database (tests/fixtures/shop), from review's pre-scan
through continue to reply, and the shop database is checked directly afterwards."""

import json
import os
import time
import unittest

from flows import ANA, RequestFlows, query, read_fixture, shop_db
from harness import Server
from smtp_sink import MAILDIR, SMTP, smtp_env


class Integrations(RequestFlows, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(env=smtp_env() if SMTP and MAILDIR else None).start()
        cls.admin = cls.server.admin()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, cls.server.stderr()[-2000:]

    def source(self, path, erasure=None, **extra):
        return self.source_at("sqlite://" + path, erasure, **extra)

    def source_at(self, url, erasure=None, **extra):
        connector = {"kind": "sql", "url": url}
        if erasure:
            connector["erasure"] = erasure
        r = self.admin.post("/api/v1/data-sources", {
            "name": "Shop " + url.rsplit("/", 2)[-2 if url.startswith("sqlite") else -1],
            "category": "database",
            "process": "integration", "connector": connector, "dataset": read_fixture("dataset.yml"),
            **extra})
        self.assertEqual(r.status, 201, r)
        return r.json()

    def wait_package(self, request_id, timeout=40):
        """The copy package's preview, once built."""
        deadline = time.time() + timeout
        while True:
            r = self.admin.get(f"/api/v1/requests/{request_id}/package")
            if r.status == 200 and r.json()["status"] == "ready":
                return r.json()
            if time.time() > deadline:
                self.fail(f"timed out waiting for the package: {r}")
            time.sleep(0.2)

    def run_to_reply(self, type_, source):
        q = self.request(type_)
        # Review: the pre-scan shows where Ana was found.
        detail = self.wait(q["id"], lambda d: any(p["data_source_id"] == source["id"]
                                                  for p in d["prescan"]), "the pre-scan")
        scan = next(p for p in detail["prescan"] if p["data_source_id"] == source["id"])
        self.assertEqual(scan["found"], 11, scan)
        self.assertEqual(scan["collections"], {"customers": 1, "addresses": 2, "orders": 2,
                                               "order_items": 3, "newsletter": 1, "tickets": 2})
        self.assertIsNone(scan["error"])
        r = self.admin.post(f"/api/v1/requests/{q['id']}/continue",
                            {"data_source_ids": [source["id"]]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual([(t["process"], t["status"]) for t in r.json()["tasks"]],
                         [("integration", "pending")])
        detail = self.wait(q["id"], lambda d: d["status"] == "reply", "status reply")
        task = detail["tasks"][0]
        task["request_id"] = q["id"]
        self.assertEqual((task["status"], task["completed_by"]), ("done", "system"), task)
        events = self.admin.get(f"/api/v1/requests/{q['id']}/history").json()["events"]
        kinds = [e["kind"] for e in events]
        for kind in ("request.prescanned", "task.started", "task.completed",
                     "request.tasks_finished"):
            self.assertIn(kind, kinds)
        # Counts in the history, never the subject's data.
        self.assertNotIn(ANA, json.dumps(events))
        completed = next(e for e in events if e["kind"] == "task.completed")
        return task, completed["detail"]

    def test_a_deletion_masks_and_deletes_in_the_shop_database(self):
        path = shop_db()
        source = self.source(path, {"default": "null", "categories": {
            "user.contact.email": "hmac", "user.name": {"strategy": "string", "value": "REDACTED"},
            "user.contact.phone_number": "hash"}})
        task, detail = self.run_to_reply("deletion", source)
        result = task["result"]
        self.assertEqual(result["action"], "erase")
        self.assertTrue(result["verified"])
        self.assertEqual(result["totals"]["erased"], 5)  # order items and tickets
        self.assertEqual(result["totals"]["masked"], 4)  # customer, addresses, newsletter
        self.assertEqual(result["collections"]["order_items"]["erased"], 3)
        self.assertEqual(detail["counts"]["erased"], 5)
        self.assertEqual(detail["action"], "erase")

        self.assertEqual(query(path, "SELECT COUNT(*) FROM customers WHERE email = 'ana@example.org'"),
                         [(0,)])
        (email, name, phone), = query(path, "SELECT email, name, phone FROM customers WHERE id = 1")
        self.assertEqual((len(email), name, len(phone)), (64, "REDACTED", 64))
        self.assertEqual(query(path, "SELECT street, city FROM addresses WHERE customer_id = 1"),
                         [(None, None), (None, None)])
        self.assertEqual(query(path, "SELECT COUNT(*) FROM order_items"), [(1,)])
        self.assertEqual(query(path, "SELECT id FROM tickets"), [(32,)])
        self.assertEqual(query(path, "SELECT email, name FROM customers WHERE id = 2"),
                         [("bo@example.org", "Bo Other")])

    def test_a_copy_exports_the_rows_with_counts(self):
        path = shop_db()
        source = self.source(path)
        task, detail = self.run_to_reply("copy", source)
        result = task["result"]
        self.assertEqual(result["action"], "export")
        self.assertEqual(result["totals"]["exported"], 11)
        self.assertEqual(result["collections"]["orders"]["exported"], 2)
        # Counts only in the result: the rows are in the sealed spool, then the package.
        self.assertNotIn("rows", result)
        self.assertNotIn(ANA, json.dumps(result))
        package = self.wait_package(task["request_id"])
        first = {c["name"]: c["first_rows"] for c in package["sources"][0]["collections"]}
        self.assertEqual(first["customers"][0]["email"], ANA)
        self.assertEqual(sorted(r["id"] for r in first["tickets"]), [30, 31])
        self.assertEqual(detail["counts"]["exported"], 11)
        # Nothing changed in the shop.
        self.assertEqual(query(path, "SELECT COUNT(*) FROM tickets"), [(3,)])

    def test_do_not_sell_sets_the_opt_out_fields(self):
        path = shop_db()
        source = self.source(path)
        task, _ = self.run_to_reply("do_not_sell", source)
        self.assertEqual(task["result"]["action"], "opt_out")
        self.assertEqual(task["result"]["totals"]["opted_out"], 2)
        self.assertEqual(query(path, "SELECT id, do_not_sell FROM customers ORDER BY id"),
                         [(1, 1), (2, 0)])
        self.assertEqual(query(path, "SELECT id, subscribed FROM newsletter ORDER BY id"),
                         [(20, 0), (21, 1)])

    def test_connector_secrets_are_write_only_and_bad_mappings_are_named(self):
        path = shop_db()
        s = self.source(path)
        self.assertEqual(s["connector"], {"kind": "sql", "url": "sqlite://" + path})
        r = self.admin.post(f"/api/v1/data-sources/{s['id']}/test")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["ok"], r.json()["error"]), (True, None))

        # A password is sealed and shown as ***; PATCHing another field keeps it.
        r = self.admin.post("/api/v1/data-sources", {
            "name": "Warehouse", "category": "database", "process": "integration",
            "request_handling": False,
            "connector": {"kind": "sql", "url": "postgresql://shop:s3cret@127.0.0.1:9/shop"},
            "dataset": read_fixture("dataset.yml")})
        self.assertEqual(r.status, 201, r)
        pg = r.json()
        self.assertEqual(pg["connector"]["url"], "postgresql://shop:***@127.0.0.1:9/shop")
        self.assertNotIn("s3cret", r.body.decode())
        r = self.admin.request("PATCH", "/api/v1/data-sources/" + pg["id"], body={"name": "WH"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["connector"], pg["connector"])
        r = self.admin.request("PATCH", "/api/v1/data-sources/" + pg["id"], body=r.json())
        self.assertEqual(r.status, 200, r)  # sent back as read
        for listed in self.admin.get("/api/v1/data-sources").json()["items"]:
            self.assertNotIn("sealed_password", listed["connector"] or {})
        r = self.admin.post(f"/api/v1/data-sources/{pg['id']}/test")
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json()["ok"])
        self.assertIn("cannot connect to postgresql://shop:***@127.0.0.1:9/shop", r.json()["error"])
        self.assertNotIn("s3cret", r.body.decode())

        manual = self.admin.post("/api/v1/data-sources", {
            "name": "Paper", "category": "database", "process": "manual",
            "request_handling": False}).json()
        r = self.admin.post(f"/api/v1/data-sources/{manual['id']}/test")
        self.assertEqual(r.status, 409, r)

        before = self.admin.get("/api/v1/data-sources").json()["items"]
        dataset = read_fixture("dataset.yml")
        base = {"name": "Bad", "category": "database", "process": "integration",
                "connector": {"kind": "sql", "url": "sqlite://" + path}, "dataset": dataset}
        cases = [
            ({"connector": None}, "connector: required for integration sources"),
            ({"connector": {"kind": "sql", "url": "ftp://x/y"}},
             "connector.url: unsupported scheme 'ftp'"),
            ({"connector": {"kind": "soap"}}, "connector.kind: 'soap' is not available"),
            ({"connector": {"kind": "sql", "url": "sqlite://" + path,
                            "erasure": {"default": "shred"}}},
             "connector.erasure.default: 'shred' is not a strategy"),
            ({"dataset": dataset.replace("field: customers.id", "field: customer.id", 1)},
             "collections[addresses].fields[customer_id].fides_meta.references[0].field: "
             "no collection 'customer'"),
            ({"dataset": dataset[:dataset.rindex("identity: email")] + "data_type: string" +
              dataset[dataset.rindex("identity: email") + len("identity: email"):]},
             "collections[tickets]: no path from any identity field"),
            ({"dataset": "dataset: [oops"}, "dataset: not valid YAML"),
        ]
        for change, message in cases:
            r = self.admin.post("/api/v1/data-sources", {**base, **change})
            self.assertEqual(r.status, 400, (change, r))
            self.assertTrue(r.json()["error"]["message"].startswith(message), (message, r))
        self.assertEqual(self.admin.get("/api/v1/data-sources").json()["items"], before)


if __name__ == "__main__":
    unittest.main()


SHOP_SERVER = os.environ.get("RD_TEST_SHOP_SERVER", "")


class ShopServer:
    """A fresh shop database on the PostgreSQL or MariaDB server of RD_TEST_SHOP_SERVER
    (postgresql://user@host:port/db or mysql://user@host:port/db), used through its CLI."""

    def __init__(self, server):
        import secrets
        import subprocess
        self.subprocess = subprocess
        self.name = "shop_" + secrets.token_hex(5)
        self.scheme, rest = server.split("://", 1)
        userhost, _ = rest.split("/", 1)
        self.user, hostport = userhost.split("@", 1)
        self.host, self.port = hostport.rsplit(":", 1)
        self.url = f"{self.scheme}://{userhost}/{self.name}"
        self.run(None, f"CREATE DATABASE {self.name}")
        self.run(self.name, read_fixture("schema.sql") + read_fixture("data.sql"))

    def run(self, db, sql):
        if self.scheme.startswith("postgres"):
            cmd = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", self.host, "-p",
                   self.port, "-U", self.user, "-d", db or "postgres"]
        else:
            cmd = ["mariadb", "--no-defaults", "--protocol=TCP", "-h", self.host, "-P", self.port,
                   "-u", self.user, "-N", "-B"] + ([db] if db else [])
        p = self.subprocess.run(cmd, input=sql, capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        return p.stdout

    def query(self, sql):
        """Rows as tuples of strings; NULL as None; booleans as 0/1."""
        out = []
        for line in self.run(self.name, sql).splitlines():
            cells = line.split("|" if self.scheme.startswith("postgres") else "\t")
            out.append(tuple(None if c in ("", "NULL") else {"t": "1", "f": "0"}.get(c, c)
                             for c in cells))
        return out


@unittest.skipUnless(SHOP_SERVER, "needs RD_TEST_SHOP_SERVER (a PostgreSQL or MariaDB server)")
class ShopOnServer(Integrations):
    """The same requests through the API, with the shop on PostgreSQL or MariaDB."""

    def test_a_deletion_masks_and_deletes_in_the_shop_database(self):
        shop = ShopServer(SHOP_SERVER)
        source = self.source_at(shop.url, {"default": "null", "categories": {
            "user.contact.email": "hmac", "user.name": {"strategy": "string", "value": "REDACTED"},
            "user.contact.phone_number": "hash",
            "user.contact.address.street": {"strategy": "random", "length": 12}}})
        task, detail = self.run_to_reply("deletion", source)
        self.assertTrue(task["result"]["verified"])
        self.assertEqual((task["result"]["totals"]["erased"], task["result"]["totals"]["masked"]),
                         (5, 4))
        self.assertEqual(shop.query("SELECT COUNT(*) FROM customers WHERE email = 'ana@example.org'"),
                         [("0",)])
        (email, name, phone), = shop.query("SELECT email, name, phone FROM customers WHERE id = 1")
        self.assertEqual((len(email), name, len(phone)), (64, "REDACTED", 64))
        streets = shop.query("SELECT street, city FROM addresses WHERE customer_id = 1 ORDER BY id")
        self.assertEqual([(len(s), c) for s, c in streets], [(12, None), (12, None)])
        self.assertEqual(shop.query("SELECT COUNT(*) FROM order_items"), [("1",)])
        self.assertEqual(shop.query("SELECT id FROM tickets"), [("32",)])
        self.assertEqual(shop.query("SELECT email, name FROM customers WHERE id = 2"),
                         [("bo@example.org", "Bo Other")])

    def test_a_deletion_by_row_delete(self):
        shop = ShopServer(SHOP_SERVER)
        source = self.source_at(shop.url, {"default": "delete"})
        task, _ = self.run_to_reply("deletion", source)
        self.assertEqual(task["result"]["totals"]["erased"], 11)
        self.assertEqual(shop.query("SELECT id FROM customers"), [("2",)])
        self.assertEqual(shop.query("SELECT id FROM orders"), [("102",)])

    def test_a_copy_exports_the_rows_with_counts(self):
        shop = ShopServer(SHOP_SERVER)
        task, _ = self.run_to_reply("copy", self.source_at(shop.url))
        self.assertEqual(task["result"]["totals"]["exported"], 11)
        self.assertNotIn("rows", task["result"])
        package = self.wait_package(task["request_id"])
        first = {c["name"]: c["first_rows"] for c in package["sources"][0]["collections"]}
        self.assertEqual(first["customers"][0]["email"], ANA)
        self.assertEqual(shop.query("SELECT COUNT(*) FROM tickets"), [("3",)])

    def test_do_not_sell_sets_the_opt_out_fields(self):
        shop = ShopServer(SHOP_SERVER)
        task, _ = self.run_to_reply("do_not_sell", self.source_at(shop.url))
        self.assertEqual(task["result"]["totals"]["opted_out"], 2)
        self.assertEqual(shop.query("SELECT id, do_not_sell FROM customers ORDER BY id"),
                         [("1", "1"), ("2", "0")])
        self.assertEqual(shop.query("SELECT id, subscribed FROM newsletter ORDER BY id"),
                         [("20", "0"), ("21", "1")])

    def test_connector_secrets_are_write_only_and_bad_mappings_are_named(self):
        pass  # the same on every database: run once, by Integrations
