"""Data sources, Continue → tasks, the vendor's confirmation page, reminders and the
suppression list, end to end: the real binary, the real SMTP sink (aiosmtpd, started by
scripts/test-smtp through ctest's smtp fixture), SQLite or PostgreSQL."""

import re
import secrets
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from flows import FormParser, fetch
from harness import Server
from smtp_sink import MAILDIR, SMTP, mails_to, smtp_env, wait_for_mails


def confirm_link(msg):
    text = msg.get_content()
    m = re.search(r"(http://\S+/vendor/tasks/(task_[0-9a-f]+)\?token=([0-9a-f]+))", text)
    assert m, text
    return m.group(1), m.group(2), m.group(3)


@unittest.skipUnless(SMTP and MAILDIR, "needs the smtp fixture (RD_TEST_SMTP, RD_TEST_SMTP_DIR)")
class Tasks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The SMTP sink is shared by every test run: addresses carry a tag of this run.
        cls.tag = secrets.token_hex(4)
        cls.server = Server(env=smtp_env()).start()
        cls.admin = cls.server.admin()
        password = cls.server.add_user(f"agent-{cls.tag}@example.com", "agent")
        cls.agent = cls.server.client()
        assert cls.agent.login(f"agent-{cls.tag}@example.com", password).status == 200

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, cls.server.stderr()[-2000:]

    def source(self, **body):
        r = self.admin.post("/api/v1/data-sources", body)
        self.assertEqual(r.status, 201, r)
        return r.json()

    def request(self, type_, who, **extra):
        r = self.agent.post("/api/v1/requests", {"type": type_, "subject": {
            "email": f"{who}+{self.tag}@example.org", "name": "Ana Example"},
            "skip_verification": True, **extra})
        self.assertEqual(r.status, 201, r)
        return r.json()

    def test_manual_and_email_sources_through_to_reply(self):
        contact = f"privacy+{self.tag}@mailer.example"
        manual = self.source(name="Billing DB", category="database", process="manual",
                             instructions="Run erase.sql on billing, then note the ticket.")
        self.assertTrue(manual["request_handling"])
        vendor = self.source(name="Mailer & Co", category="marketing", process="email",
                             contact_email=contact.upper())
        self.assertEqual(vendor["contact_email"], contact)
        self.assertEqual(self.admin.get("/api/v1/data-sources/" + vendor["id"]).json()["name"],
                         "Mailer & Co")

        q = self.request("deletion", "ana")
        detail = self.agent.get("/api/v1/requests/" + q["id"]).json()
        self.assertEqual((detail["status"], detail["tasks"], detail["prescan"]), ("review", [], []))

        r = self.agent.post(f"/api/v1/requests/{q['id']}/continue",
                            {"data_source_ids": [manual["id"], vendor["id"]]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "process")
        tasks = r.json()["tasks"]
        self.assertEqual([(t["data_source_id"], t["process"], t["status"]) for t in tasks],
                         [(manual["id"], "manual", "pending"), (vendor["id"], "email", "waiting")])
        detail = self.agent.get("/api/v1/requests/" + q["id"]).json()
        self.assertEqual(detail["status"], "process")
        self.assertEqual([t["id"] for t in detail["tasks"]], [t["id"] for t in tasks])
        self.assertEqual(detail["tasks"][0]["instructions"],
                         "Run erase.sql on billing, then note the ticket.")

        # The vendor's email: what to do, for whom, and the link.
        msg = wait_for_mails(contact)[0]
        self.assertIn(q["reference"], msg["Subject"])
        text = msg.get_content()
        self.assertIn("Please delete all personal data you hold about this person", text)
        self.assertIn(f"Email: ana+{self.tag}@example.org", text)
        url, task_id, token = confirm_link(msg)
        self.assertEqual(task_id, tasks[1]["id"])

        # The page the link opens, as a browser gets it: HTML with a form, no identities.
        status, headers, page = fetch(url)
        self.assertEqual(status, 200, page)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertIn("default-src 'none'", headers["Content-Security-Policy"])
        self.assertEqual(headers["Cache-Control"], "no-store")
        self.assertIn(q["reference"], page)
        self.assertIn("Mailer &amp; Co", page)
        self.assertNotIn(f"ana+{self.tag}", page)
        self.assertNotIn("<script", page)
        parser = FormParser()
        parser.feed(page)
        self.assertEqual(len(parser.forms), 1)
        form = parser.forms[0]
        self.assertEqual(form["method"], "post")
        fields = dict(form["fields"], note="Deleted in our CRM <b>& backups</b>")
        action = urllib.parse.urljoin(url, form["action"])
        status, headers, thanks = fetch(action, urllib.parse.urlencode(fields).encode(),
                                        "application/x-www-form-urlencoded")
        self.assertEqual(status, 200, thanks)
        self.assertIn("confirmed as done", thanks)
        # Confirming again (a double click, the back button) answers the same.
        status, _, again = fetch(action, urllib.parse.urlencode(fields).encode(),
                                 "application/x-www-form-urlencoded")
        self.assertEqual(status, 200, again)
        self.assertIn("confirmed as done", again)
        status, _, page = fetch(url)
        self.assertNotIn("<form", page)

        detail = self.agent.get("/api/v1/requests/" + q["id"]).json()
        self.assertEqual(detail["status"], "process")
        done = detail["tasks"][1]
        self.assertEqual((done["status"], done["completed_by"], done["note"]),
                         ("done", "vendor", "Deleted in our CRM <b>& backups</b>"))

        r = self.agent.post(f"/api/v1/requests/{q['id']}/tasks/{tasks[0]['id']}/complete",
                            {"note": "Ticket OPS-4711"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["task"]["status"], r.json()["request_status"]), ("done", "reply"))
        detail = self.agent.get("/api/v1/requests/" + q["id"]).json()
        self.assertEqual(detail["status"], "reply")
        self.assertEqual(detail["tasks"][0]["note"], "Ticket OPS-4711")

        events = self.agent.get(f"/api/v1/requests/{q['id']}/history").json()["events"]
        kinds = [e["kind"] for e in events]
        for kind, n in (("request.continued", 1), ("task.created", 2), ("task.completed", 2),
                        ("request.tasks_finished", 1)):
            self.assertEqual(kinds.count(kind), n, (kind, kinds))
        by = {e["detail"]["by"] for e in events if e["kind"] == "task.completed"}
        self.assertIn("vendor", by)
        finished = [e for e in events if e["kind"] == "request.tasks_finished"][0]
        self.assertEqual((finished["actor"], finished["detail"]), ("system", {"done": 2, "skipped": 0}))
        text = str(events)
        for secret in ("OPS-4711", "backups", f"ana+{self.tag}", contact):
            self.assertNotIn(secret, text)
        self.assertTrue(self.admin.get("/api/v1/audit/verify").json()["ok"])

        # The request left process: tasks no longer change.
        r = self.agent.post(f"/api/v1/requests/{q['id']}/tasks/{tasks[0]['id']}/retry")
        self.assertEqual(r.status, 409, r)

    def test_preselection_skip_and_retry(self):
        contact = f"retry+{self.tag}@vendor.example"
        vendor = self.source(name="Retry vendor", category="support", process="email",
                             contact_email=contact, request_types=["copy"])
        self.source(name="Deletion only", category="crm", process="manual",
                    request_types=["deletion"])
        self.source(name="Not in handling", category="crm", process="manual",
                    request_handling=False)
        q = self.request("copy", "copy")
        # The pre-selection: every source in request handling that handles copy requests.
        sources = self.agent.get("/api/v1/data-sources").json()["items"]
        expected = [s["id"] for s in sources if s["request_handling"]
                    and (not s["request_types"] or "copy" in s["request_types"])]
        self.assertIn(vendor["id"], expected)
        r = self.agent.post(f"/api/v1/requests/{q['id']}/continue")
        self.assertEqual(r.status, 200, r)
        tasks = r.json()["tasks"]
        self.assertEqual(sorted(t["data_source_id"] for t in tasks), sorted(expected))
        vendor_task = [t for t in tasks if t["data_source_id"] == vendor["id"]][0]
        wait_for_mails(contact, 1)

        r = self.agent.post(f"/api/v1/requests/{q['id']}/tasks/{vendor_task['id']}/retry")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["task"]["status"], "waiting")
        second = wait_for_mails(contact, 2)[1]
        self.assertEqual(confirm_link(second)[1], vendor_task["id"])

        for t in tasks:
            r = self.agent.post(f"/api/v1/requests/{q['id']}/tasks/{t['id']}/skip",
                                {"reason": "No account found"})
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["task"]["status"], "skipped")
        self.assertEqual(r.json()["request_status"], "reply")
        detail = self.agent.get("/api/v1/requests/" + q["id"]).json()
        self.assertEqual(detail["status"], "reply")
        self.assertTrue(all(t["status"] == "skipped" for t in detail["tasks"]))

    def test_do_not_mail_goes_to_the_suppression_list(self):
        q = self.request("do_not_mail", "quiet")
        r = self.agent.post(f"/api/v1/requests/{q['id']}/continue", {"data_source_ids": []})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["status"], r.json()["tasks"]), ("reply", []))
        address = f"quiet+{self.tag}@example.org"
        viewer_pw = self.server.add_user(f"viewer-{self.tag}@example.com", "viewer")
        viewer = self.server.client()
        self.assertEqual(viewer.login(f"viewer-{self.tag}@example.com", viewer_pw).status, 200)
        entries, cursor = [], None
        while True:
            page = viewer.get("/api/v1/suppression?limit=1" + (f"&cursor={cursor}" if cursor else ""))
            self.assertEqual(page.status, 200, page)
            entries += page.json()["items"]
            cursor = page.json()["next_cursor"]
            if not cursor:
                break
        mine = [e for e in entries if e["email"] == address]
        self.assertEqual(len(mine), 1, entries)
        self.assertEqual(mine[0]["request_id"], q["id"])
        self.assertEqual(len(mine[0]["email_sha256"]), 64)
        csv = viewer.get("/api/v1/suppression?format=csv")
        self.assertEqual(csv.status, 200)
        self.assertTrue(csv.header("Content-Type").startswith("text/csv"))
        lines = csv.body.decode().splitlines()
        self.assertEqual(lines[0], "email,email_sha256,added_at")
        self.assertIn(f"{address},{mine[0]['email_sha256']},{mine[0]['added_at']}", lines)
        events = self.agent.get(f"/api/v1/requests/{q['id']}/history").json()["events"]
        self.assertIn("suppression.added", [e["kind"] for e in events])

    def test_bad_inputs_are_refused_and_nothing_is_stored(self):
        before = self.admin.get("/api/v1/data-sources").json()["items"]
        cases = [
            ({"category": "crm", "process": "manual"}, "name"),
            ({"name": "X", "category": "Not Valid", "process": "manual"}, "category"),
            ({"name": "X", "category": "crm", "process": "integration"},
             "connector: required for integration sources"),
            ({"name": "X", "category": "crm", "process": "fax"}, "process"),
            ({"name": "X", "category": "crm", "process": "email"}, "contact_email"),
            ({"name": "X", "category": "crm", "process": "email", "contact_email": "nope"},
             "contact_email"),
            ({"name": "X", "category": "crm", "process": "manual", "request_types": "deletion"},
             "request_types"),
            ({"name": "X", "category": "crm", "process": "manual", "request_types": ["Bad-Key"]},
             "request_types"),
            ({"name": "X", "category": "crm", "process": "manual", "request_handling": "yes"},
             "request_handling"),
            ({"name": "X", "category": "crm", "process": "manual", "colour": "red"}, "colour"),
            ({"name": "X", "category": "crm", "process": "manual", "connector": {"kind": "sql"}},
             "connector"),
            ({"name": "X", "category": "crm", "process": "manual",
              "instructions": "x" * 20001}, "instructions"),
        ]
        for body, field in cases:
            r = self.admin.post("/api/v1/data-sources", body)
            self.assertEqual(r.status, 400, (body, r))
            self.assertTrue(r.json()["error"]["message"].startswith(field), (field, r))
        r = self.admin.request("POST", "/api/v1/data-sources", raw=b"{nope")
        self.assertEqual(r.status, 400, r)
        r = self.admin.request("POST", "/api/v1/data-sources", raw=b"name=X",
                               content_type="application/x-www-form-urlencoded")
        self.assertEqual(r.status, 415, r)
        r = self.agent.post("/api/v1/data-sources", {"name": "X", "category": "crm",
                                                     "process": "manual"})
        self.assertEqual(r.status, 403, r)
        self.assertEqual(self.admin.get("/api/v1/data-sources").json()["items"], before)

        s = self.source(name="Patch me", category="crm", process="manual")
        r = self.admin.request("PATCH", "/api/v1/data-sources/" + s["id"], body={"process": "email"})
        self.assertEqual(r.status, 400, r)
        self.assertTrue(r.json()["error"]["message"].startswith("contact_email"), r)
        r = self.admin.request("PATCH", "/api/v1/data-sources/" + s["id"], body={"name": "Patched"})
        self.assertEqual((r.status, r.json()["name"], r.json()["process"]),
                         (200, "Patched", "manual"), r)
        self.assertEqual(self.admin.request("PATCH", "/api/v1/data-sources/ds_nope",
                                            body={"name": "x"}).status, 404)
        self.assertEqual(self.admin.request("DELETE", "/api/v1/data-sources/" + s["id"]).status, 204)
        self.assertEqual(self.admin.request("DELETE", "/api/v1/data-sources/" + s["id"]).status, 404)
        self.assertTrue(self.admin.get("/api/v1/data-sources/" + s["id"]).json()["archived"])
        self.assertNotIn(s["id"], [x["id"] for x in self.admin.get("/api/v1/data-sources").json()["items"]])

        # Continue: every bad id is named and the request stays in review without tasks.
        copy_only = self.source(name="Copies", category="crm", process="manual",
                                request_types=["copy"])
        good = self.source(name="Good", category="crm", process="manual")
        q = self.request("deletion", "bad")
        for body, message in [
            ({"data_source_ids": ["ds_unknown"]}, "data_source_ids: no data source ds_unknown"),
            ({"data_source_ids": [good["id"], good["id"]]},
             f"data_source_ids: {good['id']} is listed twice"),
            ({"data_source_ids": [good["id"], copy_only["id"]]},
             f"data_source_ids: {copy_only['id']} does not handle deletion requests"),
            ({"data_source_ids": [s["id"]]}, f"data_source_ids: {s['id']} is archived"),
            ({"data_source_ids": "all"}, "data_source_ids"),
            ({"data_source_ids": [7]}, "data_source_ids"),
        ]:
            r = self.agent.post(f"/api/v1/requests/{q['id']}/continue", body)
            self.assertEqual(r.status, 400, (body, r))
            self.assertTrue(r.json()["error"]["message"].startswith(message), (message, r))
        detail = self.agent.get("/api/v1/requests/" + q["id"]).json()
        self.assertEqual((detail["status"], detail["tasks"]), ("review", []))
        self.assertNotIn("request.continued",
                         [e["kind"] for e in self.agent.get(f"/api/v1/requests/{q['id']}/history").json()["events"]])
        self.assertEqual(self.agent.post("/api/v1/requests/req_nope/continue", {}).status, 404)

        # Task actions: only while in process, on this request's tasks, with valid bodies.
        r = self.agent.post(f"/api/v1/requests/{q['id']}/tasks/task_nope/complete", {})
        self.assertEqual(r.status, 409, r)
        r = self.agent.post(f"/api/v1/requests/{q['id']}/continue", {"data_source_ids": [good["id"]]})
        self.assertEqual(r.status, 200, r)
        task = r.json()["tasks"][0]["id"]
        r = self.agent.post(f"/api/v1/requests/{q['id']}/continue", {"data_source_ids": [good["id"]]})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(self.agent.post(f"/api/v1/requests/{q['id']}/tasks/task_nope/complete",
                                         {}).status, 404)
        r = self.agent.post(f"/api/v1/requests/{q['id']}/tasks/{task}/complete", {"note": "x" * 5001})
        self.assertEqual(r.status, 400, r)
        self.assertTrue(r.json()["error"]["message"].startswith("note"), r)
        r = self.agent.post(f"/api/v1/requests/{q['id']}/tasks/{task}/skip", {})
        self.assertEqual(r.status, 400, r)
        self.assertTrue(r.json()["error"]["message"].startswith("reason"), r)
        r = self.agent.post(f"/api/v1/requests/{q['id']}/tasks/{task}/retry")
        self.assertEqual(r.status, 409, r)  # a pending manual task has nothing to retry
        detail = self.agent.get("/api/v1/requests/" + q["id"]).json()
        self.assertEqual((detail["status"], detail["tasks"][0]["status"]), ("process", "pending"))

        # The vendor's routes: a wrong token is the same 404 as an unknown task.
        anon = self.server.client()
        self.assertEqual(anon.get(f"/api/v1/vendor/tasks/{task}?token=" + "0" * 32).status, 404)
        self.assertEqual(anon.get(f"/api/v1/vendor/tasks/{task}").status, 404)
        self.assertEqual(anon.post(f"/api/v1/vendor/tasks/{task}/confirm",
                                   {"token": "0" * 32}).status, 404)
        self.assertEqual(anon.post(f"/api/v1/vendor/tasks/{task}/confirm", {}).status, 400)
        base = f"http://127.0.0.1:{self.server.port}"
        status, headers, page = fetch(f"{base}/vendor/tasks/{task}?token=" + "0" * 32)
        self.assertEqual(status, 404)
        self.assertTrue(headers["Content-Type"].startswith("text/html"), headers)
        status, _, _ = fetch(f"{base}/vendor/tasks/task_nope/confirm",
                             urllib.parse.urlencode({"token": "0" * 32}).encode(),
                             "application/x-www-form-urlencoded")
        self.assertEqual(status, 404)
        status, _, _ = fetch(f"{base}/vendor/tasks/{task}/confirm", b'{"token":"x"}',
                             "application/json")
        self.assertEqual(status, 415)
        detail = self.agent.get("/api/v1/requests/" + q["id"]).json()
        self.assertEqual(detail["tasks"][0]["status"], "pending")

        for query, field in (("limit=0", "limit"), ("format=xml", "format"),
                             ("cursor=bogus", "cursor")):
            r = self.agent.get("/api/v1/suppression?" + query)
            self.assertEqual(r.status, 400, (query, r))
            self.assertTrue(r.json()["error"]["message"].startswith(field), r)


@unittest.skipUnless(SMTP and MAILDIR, "needs the smtp fixture (RD_TEST_SMTP, RD_TEST_SMTP_DIR)")
class VendorReminders(unittest.TestCase):
    def test_a_vendor_that_does_not_confirm_is_reminded(self):
        tag = secrets.token_hex(4)
        server = Server(env=smtp_env(RIGHTSDESK_WORKFLOW__VENDOR_REMINDER_AFTER="2s",
                                     RIGHTSDESK_WORKFLOW__VENDOR_MAX_REMINDERS="1")).start()
        try:
            admin = server.admin()
            contact = f"slow+{tag}@vendor.example"
            ds = admin.post("/api/v1/data-sources", {"name": "Slow vendor", "category": "crm",
                                                     "process": "email", "contact_email": contact})
            self.assertEqual(ds.status, 201, ds)
            q = admin.post("/api/v1/requests", {"type": "copy", "subject": {
                "email": f"sam+{tag}@example.org"}}).json()
            r = admin.post(f"/api/v1/requests/{q['id']}/continue",
                           {"data_source_ids": [ds.json()["id"]]})
            self.assertEqual(r.status, 200, r)
            first = wait_for_mails(contact, 1)[0]
            reminder = wait_for_mails(contact, 1, subject_prefix="Reminder:")[0]
            self.assertIn(q["reference"], reminder["Subject"])
            self.assertEqual(confirm_link(reminder), confirm_link(first))
            self.assertIn("send us a copy", reminder.get_content())
            # One reminder at most here; give a second one time to (not) arrive.
            time.sleep(3)
            self.assertEqual(len(mails_to(contact)), 2)
            task = admin.get("/api/v1/requests/" + q["id"]).json()["tasks"][0]
            self.assertEqual((task["status"], task["reminders"]), ("waiting", 1))
            events = admin.get(f"/api/v1/requests/{q['id']}/history").json()["events"]
            reminded = [e for e in events if e["kind"] == "task.reminded"]
            self.assertEqual([e["detail"]["reminder"] for e in reminded], [1])
        finally:
            code = server.stop()
            self.assertEqual(code, 0, server.stderr()[-2000:])


if __name__ == "__main__":
    unittest.main()
