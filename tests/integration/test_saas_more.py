"""SaaS connectors for HubSpot, Zendesk and Intercom end to end: the real binary (on SQLite or
PostgreSQL) runs the shipped specs (connectors/saas/<type>.yml) against the stand-in services
of tests/standins, from review's pre-scan through continue to reply, for a deletion, a copy
and an opt-out; the stand-ins' data is checked afterwards through their test-only /_state.

Stand-ins listen on loopback ports 55620-55629 (SQLite run) and 55630-55639 (PostgreSQL run)
unless RD_TEST_STANDIN_PORT sets the first one; the services start 3 ports apart."""

import json
import os
import subprocess
import sys
import unittest
import urllib.request

from flows import ANA, RequestFlows
from harness import PG_URL, Server, package_rows
from smtp_sink import MAILDIR, SMTP, smtp_env

STANDINS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "standins")
FIRST_PORT = int(os.environ.get("RD_TEST_STANDIN_PORT") or (55630 if PG_URL else 55620))


class StandIn:
    """One stand-in service process on a loopback port, stopped by its process id. The first
    free port of `port` and the 2 after it is taken: a port of the range may be held
    for a moment by another process's outgoing connection."""

    def __init__(self, service, port, *args):
        errors = ""
        for candidate in range(port, port + 3):
            self.proc = subprocess.Popen(
                [sys.executable, os.path.join(STANDINS, service + ".py"), "--port",
                 str(candidate), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                text=True)
            line = self.proc.stdout.readline()  # "<service> listening on 127.0.0.1:<port>"
            if "listening" in line:
                self.port = candidate
                self.url = f"http://127.0.0.1:{candidate}"
                return
            self.proc.wait()
            errors += self.proc.stderr.read()[-300:]
            self.proc.stdout.close()
            self.proc.stderr.close()
        raise RuntimeError(f"{service} stand-in did not start: {errors}")

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.loads(r.read())

    def state(self):
        return self.call("GET", "/_state")

    def reset(self):
        self.call("POST", "/_reset")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()


class SaasService(RequestFlows):
    """One service's stand-in, a Rightsdesk server with a source for it, and the walk of a
    request from review to reply. Subclasses set SERVICE, PORT_OFFSET and the params."""

    SERVICE = None
    PORT_OFFSET = 0
    CATEGORY = "crm"

    @classmethod
    def params(cls):
        raise NotImplementedError

    @classmethod
    def bad_params(cls):
        """Params with the wrong credentials."""
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        cls.standin = StandIn(cls.SERVICE, FIRST_PORT + cls.PORT_OFFSET)
        try:
            cls.server = Server(env=smtp_env() if SMTP and MAILDIR else None).start()
        except Exception:
            cls.standin.stop()
            raise
        cls.admin = cls.server.admin()
        r = cls.admin.post("/api/v1/data-sources", {
            "name": cls.SERVICE.capitalize(), "category": cls.CATEGORY,
            "process": "integration",
            "connector": {"kind": "saas", "type": cls.SERVICE, "params": cls.params(),
                          "base_url": cls.standin.url}})
        assert r.status == 201, r
        cls.source = r.json()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        cls.standin.stop()
        assert code == 0, cls.server.stderr()[-2000:]

    def setUp(self):
        self.standin.reset()

    def run_to_reply(self, type_, found, collections):
        """Creates a request of `type_` for Ana, checks the pre-scan (rows `found` in
        `collections`), continues with the source and waits for reply; returns the task."""
        r = self.admin.post("/api/v1/requests", {"type": type_, "subject": {"email": ANA},
                                                 "skip_verification": True})
        self.assertEqual(r.status, 201, r)
        q = r.json()
        detail = self.wait(q["id"], lambda d: any(p["data_source_id"] == self.source["id"]
                                                  for p in d["prescan"]), "the pre-scan")
        scan = next(p for p in detail["prescan"] if p["data_source_id"] == self.source["id"])
        self.assertIsNone(scan["error"], scan)
        self.assertEqual(scan["found"], found, scan)
        self.assertEqual({k: v for k, v in scan["collections"].items() if v}, collections)
        r = self.admin.post(f"/api/v1/requests/{q['id']}/continue",
                            {"data_source_ids": [self.source["id"]]})
        self.assertEqual(r.status, 200, r)
        detail = self.wait(q["id"], lambda d: d["status"] == "reply", "status reply")
        task = detail["tasks"][0]
        self.assertEqual((task["status"], task["completed_by"]), ("done", "system"), task)
        events = self.admin.get(f"/api/v1/requests/{q['id']}/history").json()["events"]
        self.assertIn("task.completed", [e["kind"] for e in events])
        self.assertNotIn(ANA, json.dumps(events))  # counts in the history, never the data
        if type_ == "copy":  # the rows are in the package, sealed; the agent's preview shows them
            task["result"]["rows"] = package_rows(self.admin, q["id"])
        return task

    def calls(self, method, path_prefix):
        return [c for c in self.standin.state()["calls"]
                if c["method"] == method and c["path"].startswith(path_prefix)]

    def assert_retried(self, method, path):
        """The stand-in's one 429 on `path` was retried until it succeeded."""
        statuses = [c["status"] for c in self.calls(method, path) if c["path"] == path]
        self.assertEqual(statuses[:2], [429, 200], statuses)

    def test_connection_test_passes_and_fails_on_wrong_credentials(self):
        r = self.admin.post(f"/api/v1/data-sources/{self.source['id']}/test")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["ok"], r.json()["error"]), (True, None))
        r = self.admin.post("/api/v1/data-sources", {
            "name": "Wrong key", "category": self.CATEGORY, "process": "integration",
            "request_handling": False,
            "connector": {"kind": "saas", "type": self.SERVICE, "params": self.bad_params(),
                          "base_url": self.standin.url}})
        self.assertEqual(r.status, 201, r)
        wrong = r.json()
        r = self.admin.post(f"/api/v1/data-sources/{wrong['id']}/test")
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json()["ok"], r)
        self.assertIn("401", r.json()["error"])
        self.assertEqual(self.admin.request("DELETE", "/api/v1/data-sources/" + wrong["id"]).status,
                         204)


class HubSpot(SaasService, unittest.TestCase):
    SERVICE = "hubspot"
    PORT_OFFSET = 0
    TOKEN = "pat-na1-standin"

    @classmethod
    def params(cls):
        return {"private_app_token": cls.TOKEN, "subscription_id": "7001"}

    @classmethod
    def bad_params(cls):
        return {"private_app_token": "pat-na1-wrong", "subscription_id": "7001"}

    def contacts(self):
        return {c["id"]: c["properties"] for c in self.standin.state()["data"]["contacts"]}

    def test_a_deletion_gdpr_deletes_the_contact(self):
        task = self.run_to_reply("deletion", 1, {"contacts": 1})
        result = task["result"]
        self.assertEqual(result["action"], "erase")
        self.assertTrue(result["verified"], result)
        self.assertEqual(result["totals"]["erased"], 1)
        data = self.standin.state()["data"]
        self.assertEqual([c["id"] for c in data["contacts"]], ["102"])  # Bo stays
        self.assertNotIn(ANA, data["statuses"])
        self.assertEqual([c["status"] for c in self.calls("POST", "/crm/v3/objects/contacts/gdpr-delete")],
                         [204])
        self.assert_retried("POST", "/crm/v3/objects/contacts/search")

    def test_a_copy_exports_the_contact(self):
        task = self.run_to_reply("copy", 1, {"contacts": 1})
        result = task["result"]
        self.assertEqual(result["action"], "export")
        self.assertEqual(result["totals"]["exported"], 1)
        props = result["rows"]["contacts"][0]["properties"]
        self.assertEqual((props["email"], props["firstname"], props["city"]),
                         (ANA, "Ana", "Porto"))
        self.assertEqual(len(self.contacts()), 2)  # nothing changed

    def test_do_not_mail_unsubscribes_the_email(self):
        task = self.run_to_reply("do_not_mail", 1, {"contacts": 1})
        self.assertEqual(task["result"]["action"], "opt_out")
        self.assertEqual(task["result"]["totals"]["opted_out"], 1)
        statuses = self.standin.state()["data"]["statuses"]
        self.assertEqual(statuses[ANA], {"7001": "NOT_SUBSCRIBED", "7002": "SUBSCRIBED"})
        self.assertEqual(statuses["bo@example.org"]["7001"], "SUBSCRIBED")
        self.assertEqual(len(self.contacts()), 2)


class Zendesk(SaasService, unittest.TestCase):
    SERVICE = "zendesk"
    PORT_OFFSET = 3
    CATEGORY = "support"

    @classmethod
    def params(cls):
        # two tickets a page, so that Ana's three take two pages (next_page links)
        return {"domain": "shop.zendesk.com", "username": "agent@shop.example",
                "api_token": "zd-standin-token", "page_size": "2"}

    @classmethod
    def bad_params(cls):
        return {**cls.params(), "api_token": "wrong"}

    def test_a_deletion_deletes_tickets_then_the_user_permanently(self):
        task = self.run_to_reply("deletion", 6, {"user": 1, "tickets": 3,
                                                         "identities": 2})
        result = task["result"]
        self.assertEqual(result["action"], "erase")
        self.assertTrue(result["verified"], result)
        self.assertEqual(result["totals"]["erased"], 5)  # 3 tickets, the user, then for good
        data = self.standin.state()["data"]
        self.assertEqual([u["id"] for u in data["users"]], [9002])
        self.assertEqual(data["deleted_users"], [])  # permanently deleted, not just deleted
        self.assertEqual([t["id"] for t in data["tickets"]], [504])
        self.assertEqual(sorted(t["id"] for t in data["deleted_tickets"]), [501, 502, 503])
        self.assertEqual([c["status"] for c in self.calls("DELETE", "/api/v2/deleted_users/")],
                         [200])
        self.assert_retried("GET", "/api/v2/users/9001/tickets/requested.json")

    def test_a_copy_exports_the_user_and_all_pages_of_tickets(self):
        task = self.run_to_reply("copy", 6, {"user": 1, "tickets": 3, "identities": 2})
        result = task["result"]
        self.assertEqual(result["totals"]["exported"], 6)
        self.assertEqual(result["rows"]["user"][0]["email"], ANA)
        self.assertEqual(sorted(i["value"] for i in result["rows"]["identities"]),
                         ["+15550100", ANA])
        self.assertEqual(sorted(t["id"] for t in result["rows"]["tickets"]), [501, 502, 503])
        pages = [c for c in self.calls("GET", "/api/v2/users/9001/tickets/requested.json")
                 if c["status"] == 200]
        self.assertGreaterEqual(len(pages), 2)  # the next_page link was followed
        self.assertEqual(len(self.standin.state()["data"]["tickets"]), 4)

    def test_do_not_sell_sets_the_opt_out_user_field(self):
        task = self.run_to_reply("do_not_sell", 6, {"user": 1, "tickets": 3,
                                                            "identities": 2})
        self.assertEqual(task["result"]["action"], "opt_out")
        self.assertEqual(task["result"]["totals"]["opted_out"], 1)
        fields = {u["id"]: u["user_fields"]["marketing_opt_out"]
                  for u in self.standin.state()["data"]["users"]}
        self.assertEqual(fields, {9001: True, 9002: False})


class Intercom(SaasService, unittest.TestCase):
    SERVICE = "intercom"
    PORT_OFFSET = 6
    CATEGORY = "support"

    @classmethod
    def params(cls):
        # Two results per search page: the three conversations take two pages, the cursor
        # travelling in the search body (pagination.starting_after).
        return {"access_token": "ic-standin-token", "page_size": "2"}

    @classmethod
    def bad_params(cls):
        return {"access_token": "wrong"}

    def test_a_deletion_deletes_conversations_then_the_contact(self):
        task = self.run_to_reply("deletion", 4, {"contacts": 1, "conversations": 3})
        result = task["result"]
        self.assertEqual(result["action"], "erase")
        self.assertTrue(result["verified"], result)
        self.assertEqual(result["totals"]["erased"], 4)
        data = self.standin.state()["data"]
        self.assertEqual([c["id"] for c in data["contacts"]], ["6650b2"])
        self.assertEqual([c["id"] for c in data["conversations"]], ["900004"])
        self.assert_retried("POST", "/contacts/search")

    def test_a_copy_exports_the_contact_and_the_conversations(self):
        task = self.run_to_reply("copy", 4, {"contacts": 1, "conversations": 3})
        result = task["result"]
        self.assertEqual(result["totals"]["exported"], 4)
        self.assertEqual(result["rows"]["contacts"][0]["email"], ANA)
        self.assertEqual(sorted(c["id"] for c in result["rows"]["conversations"]),
                         ["900001", "900002", "900003"])
        self.assertEqual(len(self.standin.state()["data"]["conversations"]), 4)
        # Two pages for the pre-scan and two for the export, each second page asked for with
        # the first answer's cursor in the body (one page would have missed a conversation).
        self.assertEqual(len(self.calls("POST", "/conversations/search")), 4)

    def test_do_not_mail_unsubscribes_the_contact_from_email(self):
        task = self.run_to_reply("do_not_mail", 4, {"contacts": 1, "conversations": 3})
        self.assertEqual(task["result"]["action"], "opt_out")
        self.assertEqual(task["result"]["totals"]["opted_out"], 1)
        flags = {c["id"]: c["unsubscribed_from_emails"]
                 for c in self.standin.state()["data"]["contacts"]}
        self.assertEqual(flags, {"6650a1": True, "6650b2": False})


if __name__ == "__main__":
    unittest.main()
