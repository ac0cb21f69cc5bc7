"""SaaS connectors end to end: the real binary runs the shipped Mailchimp and Stripe specs
(connectors/saas/*.yml) against stand-in services (tests/standins/*.py) on loopback ports,
from review's pre-scan through continue to reply, and the stand-ins' data is checked
afterwards: deleted, exported, opted out. The stand-ins answer 429 to the first call of a
route, so every run goes through the retry."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

from flows import ANA, RequestFlows
from harness import PG_URL, Server, package_rows
from smtp_sink import MAILDIR, SMTP, smtp_env

STANDINS = os.path.join(os.path.dirname(__file__), "..", "standins")
KEY = "sk_test_standin_key"
# Stand-in ports: 55600-55609 for the SQLite run, 55610-55619 for the PostgreSQL one.
_next_port = [55610 if PG_URL else 55600]


def next_port():
    for _ in range(10):
        port = _next_port[0]
        _next_port[0] = port + 1 if port % 10 != 9 else port - 9
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free stand-in port")


class StandIn:
    """A stand-in service process with its seed data, stopped by pid."""

    def __init__(self, service, seed, throttle=()):
        self.port = next_port()
        fd, self.seed = tempfile.mkstemp(prefix="rd-standin-", suffix=".json")
        with os.fdopen(fd, "w") as f:
            json.dump(seed, f)
        args = [sys.executable, os.path.join(STANDINS, service + ".py"), "--port",
                str(self.port), "--key", KEY, "--seed", self.seed]
        for route in throttle:
            args += ["--throttle-first", route]
        self.proc = subprocess.Popen(args)
        deadline = time.time() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline:
                    self.stop()
                    raise
                time.sleep(0.05)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def state(self):
        import urllib.request
        with urllib.request.urlopen(self.url + "/_standin/state", timeout=10) as r:
            return json.load(r)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)
        os.unlink(self.seed)


MAILCHIMP_SEED = {
    "lists": [{"id": "a1b2c3", "name": "Newsletter"}, {"id": "d4e5f6", "name": "Offers"}],
    "members": [
        {"list_id": "a1b2c3", "email_address": ANA, "full_name": "Ana Example",
         "status": "subscribed", "merge_fields": {"FNAME": "Ana"}},
        {"list_id": "d4e5f6", "email_address": "Ana@Example.org", "full_name": "Ana E.",
         "status": "subscribed", "merge_fields": {}},
        {"list_id": "a1b2c3", "email_address": "bo@example.org", "full_name": "Bo Other",
         "status": "subscribed", "merge_fields": {}},
    ],
}

STRIPE_SEED = {
    "customers": [
        {"id": "cus_ana", "object": "customer", "email": ANA, "name": "Ana Example",
         "metadata": {}},
        {"id": "cus_bo", "object": "customer", "email": "bo@example.org", "name": "Bo Other",
         "metadata": {}},
    ],
    "charges": [
        {"id": f"ch_{i}", "object": "charge", "customer": "cus_ana", "amount": 1000 * i,
         "billing_details": {"email": ANA, "name": "Ana Example"}} for i in range(1, 4)
    ] + [{"id": "ch_bo", "object": "charge", "customer": "cus_bo", "amount": 500}],
    "payment_intents": [
        {"id": "pi_1", "object": "payment_intent", "customer": "cus_ana", "amount": 3000}
    ],
}


class Saas(RequestFlows, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(env=smtp_env() if SMTP and MAILDIR else None).start()
        cls.admin = cls.server.admin()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, cls.server.stderr()[-2000:]

    def standin(self, service, seed, throttle=()):
        s = StandIn(service, json.loads(json.dumps(seed)), throttle)
        self.addCleanup(s.stop)
        return s

    def source(self, connector, name="SaaS"):
        r = self.admin.post("/api/v1/data-sources", {
            "name": name, "category": "marketing", "process": "integration",
            "connector": connector})
        self.assertEqual(r.status, 201, r)
        source = r.json()
        # Archived at the end, so later requests' pre-scans skip its stopped stand-in.
        self.addCleanup(lambda: self.admin.request("DELETE", "/api/v1/data-sources/" + source["id"]))
        return source

    def mailchimp(self, standin):
        return self.source({"kind": "saas", "type": "mailchimp",
                            "params": {"domain": "us21.api.mailchimp.com", "api_key": KEY},
                            "base_url": standin.url}, "Mailchimp")

    def stripe(self, standin):
        return self.source({"kind": "saas", "type": "stripe",
                            "params": {"api_key": KEY, "page_size": "2"},
                            "base_url": standin.url}, "Stripe")

    def run_to_reply(self, type_, source, prescan):
        r = self.admin.post("/api/v1/requests", {"type": type_, "subject": {"email": ANA},
                                                 "skip_verification": True})
        self.assertEqual(r.status, 201, r)
        q = r.json()
        detail = self.wait(q["id"], lambda d: any(p["data_source_id"] == source["id"]
                                                  for p in d["prescan"]), "the pre-scan")
        scan = next(p for p in detail["prescan"] if p["data_source_id"] == source["id"])
        self.assertIsNone(scan["error"], scan)
        self.assertEqual(scan["collections"], prescan)
        r = self.admin.post(f"/api/v1/requests/{q['id']}/continue",
                            {"data_source_ids": [source["id"]]})
        self.assertEqual(r.status, 200, r)
        detail = self.wait(q["id"], lambda d: d["status"] == "reply", "status reply")
        task = detail["tasks"][0]
        self.assertEqual((task["status"], task["completed_by"]), ("done", "system"), task)
        events = self.admin.get(f"/api/v1/requests/{q['id']}/history").json()["events"]
        self.assertIn("task.completed", [e["kind"] for e in events])
        self.assertNotIn(ANA, json.dumps(events))  # counts only in the history
        self.assertNotIn(ANA.encode(), self.server.stderr().encode())  # and in the log
        result = task["result"]
        if type_ == "copy":  # the rows are in the package, sealed; the agent's preview shows them
            result["rows"] = package_rows(self.admin, q["id"])
        return result

    def test_mailchimp_deletion_removes_every_member_of_the_subject(self):
        mc = self.standin("mailchimp", MAILCHIMP_SEED, throttle=["delete_permanent"])
        result = self.run_to_reply("deletion", self.mailchimp(mc), {"member": 2})
        self.assertEqual(result["action"], "erase")
        self.assertTrue(result["verified"])
        self.assertEqual(result["collections"]["member"]["erased"], 2)
        self.assertEqual(result["collections"]["member"]["remaining"], 0)
        state = mc.state()
        self.assertEqual([m["email_address"] for m in state["data"]["members"]],
                         ["bo@example.org"])
        # The first delete got a 429 and was retried.
        self.assertEqual(state["calls"]["delete_permanent"], 3)

    def test_mailchimp_copy_exports_the_members(self):
        mc = self.standin("mailchimp", MAILCHIMP_SEED, throttle=["search_members"])
        result = self.run_to_reply("copy", self.mailchimp(mc), {"member": 2})
        self.assertEqual(result["action"], "export")
        self.assertEqual(result["totals"]["exported"], 2)
        rows = result["rows"]["member"]
        self.assertEqual(sorted(r["list_id"] for r in rows), ["a1b2c3", "d4e5f6"])
        self.assertIn("Ana Example", [r["full_name"] for r in rows])
        self.assertEqual(len(mc.state()["data"]["members"]), 3)  # nothing changed

    def test_mailchimp_do_not_mail_unsubscribes(self):
        mc = self.standin("mailchimp", MAILCHIMP_SEED, throttle=["update_member"])
        result = self.run_to_reply("do_not_mail", self.mailchimp(mc), {"member": 2})
        self.assertEqual(result["action"], "opt_out")
        self.assertEqual(result["totals"]["opted_out"], 2)
        status = {(m["list_id"], m["email_address"]): m["status"]
                  for m in mc.state()["data"]["members"]}
        self.assertEqual(status, {("a1b2c3", ANA): "unsubscribed",
                                  ("d4e5f6", "Ana@Example.org"): "unsubscribed",
                                  ("a1b2c3", "bo@example.org"): "subscribed"})

    def test_stripe_deletion_deletes_the_customer_and_keeps_payments(self):
        st = self.standin("stripe", STRIPE_SEED, throttle=["delete_customer"])
        result = self.run_to_reply("deletion", self.stripe(st),
                                   {"customer": 1, "charge": 3, "payment_intent": 1})
        self.assertTrue(result["verified"])
        self.assertEqual(result["collections"]["customer"]["erased"], 1)
        self.assertEqual(result["collections"]["charge"]["erased"], 0)
        self.assertIn("charge: 3 record(s) kept: the spec has no update or delete for it",
                      result["errors"])
        data = st.state()["data"]
        self.assertEqual([c["id"] for c in data["customers"]], ["cus_bo"])
        self.assertEqual(data["deleted_customers"], ["cus_ana"])
        self.assertEqual(len(data["charges"]), 4)

    def test_stripe_copy_follows_customers_to_charges_over_pages(self):
        st = self.standin("stripe", STRIPE_SEED, throttle=["list_charges"])
        result = self.run_to_reply("copy", self.stripe(st),
                                   {"customer": 1, "charge": 3, "payment_intent": 1})
        self.assertEqual(result["totals"]["exported"], 5)
        self.assertEqual(sorted(r["id"] for r in result["rows"]["charge"]),
                         ["ch_1", "ch_2", "ch_3"])  # two pages of two
        self.assertEqual(result["rows"]["customer"][0]["email"], ANA)
        calls = st.state()["calls"]
        # Pre-scan and export: each reads charges in two pages; the first call was a 429.
        self.assertEqual(calls["list_charges"], 5)

    def test_stripe_do_not_sell_marks_the_customer(self):
        st = self.standin("stripe", STRIPE_SEED)
        result = self.run_to_reply("do_not_sell", self.stripe(st),
                                   {"customer": 1, "charge": 3, "payment_intent": 1})
        self.assertEqual(result["collections"]["customer"]["opted_out"], 1)
        meta = {c["id"]: c["metadata"] for c in st.state()["data"]["customers"]}
        self.assertEqual(meta, {"cus_ana": {"rightsdesk_opt_out": "true"}, "cus_bo": {}})

    def test_secrets_are_write_only_and_the_connection_test_works(self):
        mc = self.standin("mailchimp", MAILCHIMP_SEED)
        s = self.mailchimp(mc)
        self.assertEqual(s["connector"], {
            "kind": "saas", "type": "mailchimp", "base_url": mc.url,
            "params": {"domain": "us21.api.mailchimp.com", "api_key": "***"}})
        r = self.admin.post(f"/api/v1/data-sources/{s['id']}/test")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["ok"], r.json()["error"]), (True, None))
        # Sent back as read, the stored key stays; the test still passes.
        r = self.admin.request("PATCH", "/api/v1/data-sources/" + s["id"],
                               body={"name": "MC", "connector": s["connector"]})
        self.assertEqual(r.status, 200, r)
        self.assertTrue(self.admin.post(f"/api/v1/data-sources/{s['id']}/test").json()["ok"])
        for listed in self.admin.get("/api/v1/data-sources").json()["items"]:
            self.assertNotIn(KEY, json.dumps(listed))
            self.assertNotIn("sealed_params", listed["connector"] or {})
        # A wrong key: the test says so, naming the status.
        bad = self.source({"kind": "saas", "type": "mailchimp",
                           "params": {"domain": "x", "api_key": "wrong"}, "base_url": mc.url})
        r = self.admin.post(f"/api/v1/data-sources/{bad['id']}/test")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["ok"], False)
        self.assertEqual(r.json()["error"],
                         "test_request: HTTP 401 (check the connector's credentials)")

    def test_bad_connectors_and_specs_are_named(self):
        before = self.admin.get("/api/v1/data-sources").json()["items"]
        good = {"kind": "saas", "type": "stripe", "params": {"api_key": KEY}}
        with open(os.path.join(os.path.dirname(__file__), "..", "..", "connectors", "saas",
                               "stripe.yml")) as f:
            spec = f.read()
        cases = [
            ({"type": "stripe2"}, "connector.type: no spec 'stripe2'"),
            ({"type": "../etc"}, "connector.type: a spec name"),
            ({"params": {}}, "connector.params.api_key: required by the stripe spec"),
            ({"params": {"api_key": KEY, "token": "x"}},
             "connector.params.token: not a parameter of the stripe spec"),
            ({"params": {"api_key": "***"}}, "connector.params.api_key: '***' keeps"),
            ({"base_url": "ftp://x"}, "connector.base_url: an http:// or https:// URL"),
            ({"timeout_seconds": 0}, "connector.timeout_seconds: a whole number from 1 to 300"),
            ({"colour": "red"}, "connector.colour: unknown field"),
            ({"spec": spec}, "connector.type: required"),
        ]
        for change, message in cases:
            r = self.admin.post("/api/v1/data-sources", {
                "name": "Bad", "category": "marketing", "process": "integration",
                "connector": {**good, **change}})
            self.assertEqual(r.status, 400, (change, r))
            self.assertTrue(r.json()["error"]["message"].startswith(message), (message, r))
        inline = {k: v for k, v in good.items() if k != "type"}
        spec_cases = [
            (spec.replace("field: customer.id", "field: customers.id", 1),
             "connector.spec: endpoints[0].requests.delete.param_values[0].references[0].field: "
             "no endpoint 'customers'"),
            (spec.replace("path: /v1/charges", "path: v1/charges"),
             "connector.spec: endpoints[1].requests.read.path: must start with /"),
            (spec.replace("strategy: bearer", "strategy: kerberos"),
             "connector.spec: client_config.authentication.strategy: basic, bearer or api_key"),
            (spec.replace("value: <email>", "value: <mail>"),
             "connector.spec: endpoints[0].requests.read.query_params[0]: <mail> is neither"),
            ("saas_config: [", "connector.spec: line"),
        ]
        for text, message in spec_cases:
            r = self.admin.post("/api/v1/data-sources", {
                "name": "Bad", "category": "marketing", "process": "integration",
                "connector": {**inline, "spec": text}})
            self.assertEqual(r.status, 400, (message, r))
            self.assertTrue(r.json()["error"]["message"].startswith(message), (message, r))
        r = self.admin.post("/api/v1/data-sources", {
            "name": "Bad", "category": "marketing", "process": "integration",
            "connector": good, "dataset": "dataset: []"})
        self.assertEqual(r.status, 400, r)
        self.assertTrue(r.json()["error"]["message"].startswith("dataset: a saas source"), r)
        self.assertEqual(self.admin.get("/api/v1/data-sources").json()["items"], before)
        # An inline spec that loads makes a source.
        r = self.admin.post("/api/v1/data-sources", {
            "name": "Inline", "category": "marketing", "process": "integration",
            "connector": {**inline, "spec": spec}})
        self.assertEqual(r.status, 201, r)
        self.admin.request("DELETE", "/api/v1/data-sources/" + r.json()["id"])


if __name__ == "__main__":
    unittest.main()
