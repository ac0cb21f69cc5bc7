"""The catalog of known systems, the data category taxonomy, and data sources created from
them, over HTTP against the real binary (SQLite or PostgreSQL); plus the `rightsdesk catalog`
commands."""

import json
import os
import secrets
import tempfile
import unittest

from harness import Server


class Catalog(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.local_dir = tempfile.mkdtemp(prefix="rd-catalog-")
        cls.local = os.path.join(cls.local_dir, "local.json")
        with open(cls.local, "w") as f:
            json.dump({"entries": [
                {"key": "acme_erp", "name": "Acme ERP", "category": "finance",
                 "domains": ["acme-erp.example"], "privacy_email": "dpo@acme-erp.example"},
                {"key": "stripe", "name": "Stripe (our account)", "category": "payments",
                 "domains": ["stripe.com"], "privacy_email": "privacy@stripe.com",
                 "integration": "saas:stripe"}]}, f)
        cls.server = Server(config=f"catalog:\n  local: {cls.local}\n").start()
        cls.admin = cls.server.admin()
        cls.tag = secrets.token_hex(3)
        password = cls.server.add_user(f"agent-{cls.tag}@example.com", "agent")
        cls.agent = cls.server.client()
        assert cls.agent.login(f"agent-{cls.tag}@example.com", password).status == 200
        cls.server.add_user(f"viewer-{cls.tag}@example.com", "viewer", password)
        cls.viewer = cls.server.client()
        assert cls.viewer.login(f"viewer-{cls.tag}@example.com", password).status == 200

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, cls.server.stderr()[-2000:]

    def test_search_by_text_and_category_with_pages(self):
        r = self.viewer.get("/api/v1/catalog?q=mailchimp")
        self.assertEqual(r.status, 200, r)
        items = r.json()["items"]
        mailchimp = next(i for i in items if i["key"] == "mailchimp")
        self.assertEqual(mailchimp["category"], "marketing")
        self.assertIn("mcsv.net", mailchimp["mail_domains"])
        self.assertEqual(mailchimp["integration"], "saas:mailchimp")

        crm = self.viewer.get("/api/v1/catalog?category=crm&limit=500").json()
        self.assertGreaterEqual(len(crm["items"]), 10)
        self.assertTrue(all(i["category"] == "crm" for i in crm["items"]))
        self.assertIn("salesforce", [i["key"] for i in crm["items"]])
        self.assertIsNone(crm["next_cursor"])

        # Every entry, 100 at a time, each once, sorted by name.
        seen, cursor = [], ""
        while True:
            page = self.viewer.get("/api/v1/catalog?limit=100" + (f"&cursor={cursor}" if cursor else "")).json()
            seen += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                break
        self.assertGreaterEqual(len(seen), 300)
        self.assertEqual(len(seen), page["total"])
        self.assertEqual(len({i["key"] for i in seen}), len(seen))
        names = [i["name"].lower() for i in seen]
        self.assertEqual(names, sorted(names))

    def test_local_catalog_extends_and_overrides(self):
        acme = self.viewer.get("/api/v1/catalog?q=acme-erp").json()["items"]
        self.assertEqual([i["key"] for i in acme], ["acme_erp"])
        stripe = self.viewer.get("/api/v1/catalog?q=stripe&category=payments").json()["items"]
        self.assertEqual([i["name"] for i in stripe if i["key"] == "stripe"], ["Stripe (our account)"])

    def test_bad_queries_name_the_parameter(self):
        for query, field in [("category=nope", "category"), ("limit=0", "limit"),
                             ("limit=501", "limit"), ("limit=x", "limit"), ("cursor=zz", "cursor"),
                             ("q=" + "a" * 201, "q")]:
            r = self.viewer.get("/api/v1/catalog?" + query)
            self.assertEqual(r.status, 400, (query, r))
            self.assertTrue(r.json()["error"]["message"].startswith(field + ":"), (query, r))

    def test_categories_and_taxonomy(self):
        cats = self.agent.get("/api/v1/catalog/categories").json()["items"]
        keys = [c["key"] for c in cats]
        self.assertIn("email_delivery", keys)
        crm = next(c for c in cats if c["key"] == "crm")
        self.assertEqual(crm["name"], "CRM")
        self.assertGreater(crm["entries"], 0)
        taxonomy = self.viewer.get("/api/v1/data-categories").json()["items"]
        by_key = {c["key"]: c for c in taxonomy}
        self.assertEqual(by_key["user.contact.email"]["parent"], "user.contact")
        self.assertIsNone(by_key["user"]["parent"])
        self.assertIn("user.financial.bank_account", by_key)
        for c in taxonomy:
            if c["parent"]:
                self.assertIn(c["parent"], by_key)

    def test_source_from_catalog_entry(self):
        r = self.admin.post("/api/v1/data-sources", {"catalog_id": "acme_erp"})
        self.assertEqual(r.status, 201, r)
        ds = r.json()
        self.assertEqual((ds["name"], ds["category"], ds["process"], ds["contact_email"]),
                         ("Acme ERP", "finance", "email", "dpo@acme-erp.example"))
        self.assertEqual(ds["catalog_id"], "acme_erp")
        # Explicit fields win over the entry's.
        r = self.admin.post("/api/v1/data-sources", {
            "catalog_id": "stripe", "name": "Stripe EU", "process": "manual",
            "instructions": "Delete the customer in the dashboard.", "owner": "Finance team",
            "description": "Card payments for the EU shop.",
            "data_categories": ["user.contact.email", "user.financial.credit_card"]})
        self.assertEqual(r.status, 201, r)
        ds = r.json()
        self.assertEqual((ds["name"], ds["category"], ds["process"]), ("Stripe EU", "payments", "manual"))
        self.assertEqual(ds["owner"], "Finance team")
        self.assertEqual(ds["data_categories"], ["user.contact.email", "user.financial.credit_card"])
        got = self.viewer.get("/api/v1/data-sources/" + ds["id"]).json()
        self.assertEqual(got["description"], "Card payments for the EU shop.")
        self.assertEqual(got["data_categories"], ds["data_categories"])
        r = self.admin.request("PATCH", "/api/v1/data-sources/" + ds["id"],
                               body={"data_categories": ["user.name"], "owner": None})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["data_categories"], r.json()["owner"]), (["user.name"], None))

    def test_bad_sources_name_the_field_and_store_nothing(self):
        before = len(self.viewer.get("/api/v1/data-sources").json()["items"])
        for body, field in [
                ({"catalog_id": "no_such_system"}, "catalog_id"),
                ({"name": "X", "category": "crm", "process": "manual",
                  "data_categories": ["user.contact.emial"]}, "data_categories"),
                ({"name": "X", "category": "crm", "process": "manual",
                  "data_categories": ["user.name", "user.name"]}, "data_categories"),
                ({"name": "X", "category": "crm", "process": "manual",
                  "data_categories": "user.name"}, "data_categories"),
                ({"name": "X", "category": "crm", "process": "manual", "owner": "a\nb"}, "owner"),
                ({"name": "X", "category": "crm", "process": "manual",
                  "description": "d" * 4001}, "description")]:
            r = self.admin.post("/api/v1/data-sources", body)
            self.assertEqual(r.status, 400, (body, r))
            self.assertTrue(r.json()["error"]["message"].startswith(field + ":"), (body, r))
        self.assertIn("no_such_system", self.admin.post(
            "/api/v1/data-sources", {"catalog_id": "no_such_system"}).json()["error"]["message"])
        self.assertEqual(len(self.viewer.get("/api/v1/data-sources").json()["items"]), before)

    def test_lists_filter_by_category_and_request_handling(self):
        cat = "cat" + self.tag
        a = self.admin.post("/api/v1/data-sources", {"name": "In handling", "category": cat,
                                                      "process": "manual"}).json()
        b = self.admin.post("/api/v1/data-sources", {"name": "Inventory only", "category": cat,
                                                      "process": "manual",
                                                      "request_handling": False}).json()
        ids = lambda q: [i["id"] for i in self.viewer.get("/api/v1/data-sources" + q).json()["items"]]
        self.assertEqual(ids(f"?category={cat}"), [a["id"], b["id"]])
        self.assertEqual(ids(f"?category={cat}&request_handling=true"), [a["id"]])
        self.assertEqual(ids(f"?category={cat}&request_handling=false"), [b["id"]])
        self.assertIn(a["id"], ids("?request_handling=true"))
        self.assertNotIn(b["id"], ids("?request_handling=true"))
        r = self.viewer.get("/api/v1/data-sources?request_handling=yes")
        self.assertEqual(r.status, 400, r)
        self.assertTrue(r.json()["error"]["message"].startswith("request_handling:"), r)

    def test_source_with_open_tasks_cannot_be_deleted(self):
        ds = self.admin.post("/api/v1/data-sources", {"name": "Billing DB " + self.tag,
                                                       "category": "database",
                                                       "process": "manual"}).json()
        q = self.agent.post("/api/v1/requests", {"type": "deletion", "skip_verification": True,
                                                 "subject": {"email": f"del-{self.tag}@example.org"}})
        self.assertEqual(q.status, 201, q)
        q = q.json()
        r = self.agent.post(f"/api/v1/requests/{q['id']}/continue", {"data_source_ids": [ds["id"]]})
        self.assertEqual(r.status, 200, r)
        task = r.json()["tasks"][0]
        r = self.admin.request("DELETE", "/api/v1/data-sources/" + ds["id"])
        self.assertEqual(r.status, 409, r)
        self.assertIn("open task", r.json()["error"]["message"])
        self.assertFalse(self.viewer.get("/api/v1/data-sources/" + ds["id"]).json()["archived"])
        r = self.agent.post(f"/api/v1/requests/{q['id']}/tasks/{task['id']}/complete", {"note": "done"})
        self.assertEqual(r.status, 200, r)
        r = self.admin.request("DELETE", "/api/v1/data-sources/" + ds["id"])
        self.assertEqual(r.status, 204, r)
        self.assertTrue(self.viewer.get("/api/v1/data-sources/" + ds["id"]).json()["archived"])
        self.assertEqual(self.admin.request("DELETE", "/api/v1/data-sources/" + ds["id"]).status, 404)

    def test_cli_search_and_import(self):
        p = self.server.run_cli("catalog", "search", "mail", "--category", "email_delivery")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertTrue(lines[0].startswith("KEY"), p.stdout)
        self.assertTrue(any(l.startswith("mailgun ") for l in lines), p.stdout)
        self.assertRegex(lines[-1], r"^\d+ systems?$")
        bad = self.server.run_cli("catalog", "search", "--category", "nope")
        self.assertEqual(bad.returncode, 2)
        self.assertIn("category:", bad.stderr)

        companies = tempfile.mkdtemp(prefix="rd-companies-", dir=self.local_dir)
        files = {
            "adjust-com.json": {"slug": "adjust-com", "name": "Adjust GmbH", "categories": ["ads"],
                                "email": "privacy@adjust.com", "web": "https://www.adjust.com/"},
            "new-shop.json": {"slug": "new-shop", "name": "New Shop", "categories": ["commerce"],
                              "email": "privacy@new-shop.example", "web": "https://new-shop.example"},
            "stripe-inc.json": {"slug": "stripe-inc", "name": "Stripe", "web": "https://stripe.com/"},
        }
        for name, body in files.items():
            with open(os.path.join(companies, name), "w") as f:
                json.dump(body, f)
        with open(os.path.join(companies, "broken.json"), "w") as f:
            f.write('{"name": ')
        out = os.path.join(self.local_dir, "imported.json")
        p = self.server.run_cli("catalog", "import", companies, "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("skipped broken.json: not valid JSON", p.stderr)
        self.assertIn("read 4 files: 1 imported, 2 already in the catalog, 1 malformed (skipped)",
                      p.stdout)
        with open(out) as f:
            written = json.load(f)["entries"]
        self.assertEqual([(e["key"], e["category"], e["privacy_email"], e["domains"]) for e in written],
                         [("new-shop", "ecommerce", "privacy@new-shop.example", ["new-shop.example"])])
        # Importing again merges: nothing twice.
        p = self.server.run_cli("catalog", "import", companies, "--out", out)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out) as f:
            self.assertEqual(len(json.load(f)["entries"]), 1)
        missing = self.server.run_cli("catalog", "import", os.path.join(companies, "nope"), "--out", out)
        self.assertEqual(missing.returncode, 1)
        self.assertIn("not a directory", missing.stderr)


if __name__ == "__main__":
    unittest.main()
