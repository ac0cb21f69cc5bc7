"""The lifecycle tests' shared steps (test_lifecycle.py): a server with an agent, a custom
request type and, per type, a checklist item and a vendor reached by email; and the steps of a
request as the people involved take them (the subject submits and confirms, the agent reviews,
continues, replies and closes, the vendor confirms), with the checks every path repeats."""

import re
import secrets
import time
import unittest
import urllib.parse

from harness import Server
from smtp_sink import smtp_env, wait_for_mail
from flows import FormParser, fetch
from test_tasks import confirm_link

PC = "/api/v1/privacy-center/requests"
CUSTOM = "limit_sensitive"
BUILT_IN = ["deletion", "copy", "do_not_sell", "do_not_mail", "right_to_edit"]

# What the subject reads: the type's label in the emails, the reply template's opening, and the
# action the vendor is asked for.
LABEL = {"deletion": "deletion", "copy": "data copy", "do_not_sell": "do-not-sell",
         "do_not_mail": "do-not-mail", "right_to_edit": "correction",
         CUSTOM: "limit sensitive"}
REPLY_OPENING = {
    "deletion": "We have deleted the personal data we held about you",
    "copy": "for a copy of your personal data is complete",
    "do_not_sell": "we no longer sell or share your personal data",
    "do_not_mail": "We have removed you from our marketing mail and email",
    "right_to_edit": "We have corrected your personal data as you asked",
    CUSTOM: "We have completed your limit sensitive request",
}
VENDOR_ACTION = {
    "deletion": "delete all personal data you hold about this person",
    "copy": "send us a copy of all personal data you hold about this person",
    "do_not_sell": "stop selling or sharing this person's personal data",
    "do_not_mail": "stop sending marketing messages to this person",
    "right_to_edit": "correct the personal data you hold about this person as listed below",
    CUSTOM: "act on the request described below",
}


def status_token_in(text):
    """The status-page token of the link an email carries."""
    m = re.search(r"/privacy/requests/(req_[0-9a-f]+)\?token=([0-9a-f]+)", text)
    assert m, text
    return m.group(1), m.group(2)


def only(events, kinds):
    """The (kind, actor) of the events of these kinds, in history order."""
    return [(e["kind"], e["actor"]) for e in events if e["kind"] in kinds]


class LifecycleCase(unittest.TestCase):
    """No tests of its own: the steps test_lifecycle's cases are made of."""
    @classmethod
    def setUpClass(cls):
        # The SMTP sink is shared by every test run: addresses carry a tag of this run.
        cls.tag = secrets.token_hex(4)
        cls.server = Server(env=smtp_env()).start()
        cls.admin = cls.server.admin()
        agent_email = f"agent-{cls.tag}@example.com"
        password = cls.server.add_user(agent_email, "agent")
        cls.agent = cls.server.client()
        assert cls.agent.login(agent_email, password).status == 200
        cls.agent_actor = "user:" + cls.agent.get("/api/v1/me").json()["id"]

        r = cls.admin.request("PUT", "/api/v1/request-types/" + CUSTOM, body={
            "name": "Limit use of my sensitive data",
            "description": "Ask us to use your sensitive personal information only as needed.",
            "deadline_days": 30})
        assert r.status == 201, r

        # Per type: a checklist item and a vendor reached by email, handling that type only.
        cls.sources = {}
        for type_ in BUILT_IN + [CUSTOM]:
            slug = type_.replace("_", "-")
            manual = cls.admin.post("/api/v1/data-sources", {
                "name": f"{type_} back office", "category": "database", "process": "manual",
                "instructions": f"Handle the {type_} request in the back office.",
                "request_types": [type_]})
            assert manual.status == 201, manual
            contact = f"vendor-{slug}+{cls.tag}@vendor.example"
            vendor = cls.admin.post("/api/v1/data-sources", {
                "name": f"{type_} vendor", "category": "marketing", "process": "email",
                "contact_email": contact, "request_types": [type_]})
            assert vendor.status == 201, vendor
            cls.sources[type_] = (manual.json(), vendor.json(), contact)

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, cls.server.stderr()[-2000:]

    def address(self, who):
        return f"{who}+{self.tag}@example.org"

    # --- the steps, as each person takes them ------------------------------------------------

    def submit_and_verify(self, type_, to, **extra):
        """The subject submits in the Privacy Center and types the emailed code; returns the
        submission receipt. Checks the verification and acknowledgement emails."""
        anon = self.server.client()
        r = anon.post(PC, {"type": type_, "email": to, "name": "Ana Example",
                           "jurisdiction": "gdpr", **extra})
        self.assertEqual(r.status, 202, r)
        receipt = r.json()
        self.assertEqual(receipt["status"], "unverified")
        rid, ref = receipt["id"], receipt["reference"]

        msg = wait_for_mail(to, subject_contains="confirm your privacy request " + ref)
        text = msg.get_content()
        self.assertIn(f"We received a {LABEL[type_]} request", text)
        code = re.search(r"^\s+(\d{6})\s*$", text, re.M).group(1)
        self.assertEqual(status_token_in(text), (rid, receipt["status_token"]))
        page = anon.get(f"{PC}/{rid}?token={receipt['status_token']}").json()
        self.assertEqual((page["status"], page["verified"]), ("unverified", False))

        r = anon.post(f"{PC}/{rid}/verify", {"code": code})
        self.assertEqual((r.status, r.json()["status"]), (200, "review"), r)
        ack = wait_for_mail(to, subject_contains="we received your privacy request " + ref)
        self.assertIn(f"We received your {LABEL[type_]} request", ack.get_content())
        self.assertIn("Hello Ana Example,", ack.get_content())
        return receipt

    def review(self, rid, type_, channel="privacy_center"):
        """The agent opens the request in review."""
        r = self.agent.get("/api/v1/requests/" + rid)
        self.assertEqual(r.status, 200, r)
        q = r.json()
        self.assertEqual((q["type"], q["status"], q["channel"], q["outcome"]),
                         (type_, "review", channel, None))
        self.assertEqual(q["duplicates"], [])
        self.assertEqual(q["tasks"], [])
        manual, vendor, _ = self.sources[type_]
        self.assertEqual(sorted(s["id"] for s in q["applicable_sources"]),
                         sorted([manual["id"], vendor["id"]]))
        self.assertEqual({s["id"]: s["process"] for s in q["applicable_sources"]},
                         {manual["id"]: "manual", vendor["id"]: "email"})
        return q

    def vendor_confirms(self, contact, reference, task_id, note):
        """The vendor opens the link of the email in a browser and submits the page's form;
        returns the email's text."""
        msg = wait_for_mail(contact, subject_contains=reference)
        url, linked_task, _ = confirm_link(msg)
        self.assertEqual(linked_task, task_id)
        status, headers, page = fetch(url)
        self.assertEqual(status, 200, page)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertIn(reference, page)
        parser = FormParser()
        parser.feed(page)
        self.assertEqual(len(parser.forms), 1, page)
        form = parser.forms[0]
        self.assertEqual(form["method"], "post")
        self.assertIn("token", form["fields"])
        fields = dict(form["fields"], note=note)
        status, _, thanks = fetch(urllib.parse.urljoin(url, form["action"]),
                                  urllib.parse.urlencode(fields).encode(),
                                  "application/x-www-form-urlencoded")
        self.assertEqual(status, 200, thanks)
        self.assertIn("confirmed as done", thanks)
        return msg.get_content()

    def reply_and_close(self, rid, to, template_key, outcome, opening, replace=None):
        """The agent reads the drafted reply, edits it and clicks Reply & close; returns the
        email the subject receives."""
        r = self.agent.get(f"/api/v1/requests/{rid}/reply")
        self.assertEqual(r.status, 200, r)
        draft = r.json()
        self.assertEqual((draft["template_key"], draft["outcome"], draft["to"]),
                         (template_key, outcome, to))
        self.assertIn(opening, draft["body"])
        self.assertIn("Hello Ana Example,", draft["body"])
        edit = f"Edited by the agent for this run ({self.tag})."
        body = draft["body"].replace(replace, edit) if replace else draft["body"] + "\n" + edit + "\n"
        self.assertIn(edit, body)
        r = self.agent.post(f"/api/v1/requests/{rid}/reply",
                            {"subject": draft["subject"], "body": body})
        self.assertEqual(r.status, 200, r)
        sent = r.json()
        self.assertEqual((sent["id"], sent["status"], sent["outcome"]), (rid, "closed", outcome))
        q = self.agent.get("/api/v1/requests/" + rid).json()
        self.assertEqual((q["status"], q["outcome"]), ("closed", outcome))

        msg = wait_for_mail(to, subject_contains=draft["subject"])
        self.assertEqual(msg["Subject"], draft["subject"])
        text = msg.get_content()
        self.assertIn(edit, text)
        self.assertIn(opening, text)
        if replace:
            self.assertNotIn(replace, text)
        return msg

    def status_page_says(self, rid, token, outcome, reply_subject):
        anon = self.server.client()
        r = anon.get(f"{PC}/{rid}?token={token}")
        self.assertEqual(r.status, 200, r)
        page = r.json()
        self.assertEqual((page["status"], page["outcome"], page["can_withdraw"]),
                         ("closed", outcome, False))
        # The acknowledgement and the reply; never the verification code, nor the vendor's
        # email with its confirmation link. Messages of the same second come in either order.
        subjects = sorted(m["subject"] for m in page["messages"])
        self.assertEqual(len(subjects), 2, subjects)
        self.assertIn(reply_subject, subjects)
        self.assertTrue(any("we received your privacy request" in s for s in subjects), subjects)
        self.assertNotIn("/vendor/tasks/", str(page["messages"]))
        r = anon.post(f"{PC}/{rid}/withdraw", {"token": token})
        self.assertEqual(r.status, 409, r)

    def history(self, rid):
        r = self.agent.get(f"/api/v1/requests/{rid}/history")
        self.assertEqual(r.status, 200, r)
        return r.json()["events"]

    def delivered_history(self, rid, emails):
        """The history once the workers have audited the delivery (email.sent) of `emails`
        messages; each is sent just after the sink accepted it."""
        deadline = time.time() + 10
        while True:
            events = self.history(rid)
            sent = [e for e in events if e["kind"] == "email.sent"]
            if len(sent) >= emails or time.time() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(len(sent), emails, [e["kind"] for e in events])
        self.assertEqual(len({e["detail"]["message_id"] for e in sent}), emails)
        return events

    def assert_no_personal_data(self, events, *secrets_):
        text = str(events)
        for s in secrets_:
            self.assertNotIn(s, text)

    # --- the whole path, per type ------------------------------------------------------------

    def full_path(self, type_, **extra):
        to = self.address(type_.replace("_", "-") + ".subject")
        receipt = self.submit_and_verify(type_, to, **extra)
        rid, ref, token = receipt["id"], receipt["reference"], receipt["status_token"]

        q = self.review(rid, type_)
        self.assertEqual(q["subject"]["email"], to)
        self.assertIsNotNone(q["verification"]["verified_at"])
        self.assertEqual(q["verification"]["method"], "email_code")
        if type_ == CUSTOM:
            self.assertEqual(q["type_name"], "Limit use of my sensitive data")

        manual, vendor, contact = self.sources[type_]
        r = self.agent.post(f"/api/v1/requests/{rid}/continue",
                            {"data_source_ids": [manual["id"], vendor["id"]]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "process")
        tasks = r.json()["tasks"]
        self.assertEqual([(t["data_source_id"], t["process"], t["status"]) for t in tasks],
                         [(manual["id"], "manual", "pending"), (vendor["id"], "email", "waiting")])
        manual_task, vendor_task = tasks[0]["id"], tasks[1]["id"]
        self.assertEqual(tasks[0]["instructions"], f"Handle the {type_} request in the back office.")
        self.assertEqual(tasks[1]["contact_email"], contact)

        if type_ == "do_not_mail":
            listed = self.agent.get("/api/v1/suppression?limit=1000")
            self.assertEqual(listed.status, 200, listed)
            mine = [e for e in listed.json()["items"] if e["email"] == to]
            self.assertEqual([e["request_id"] for e in mine], [rid])

        vendor_text = self.vendor_confirms(contact, ref, vendor_task,
                                           f"Done in our system, ticket V-{type_}")
        self.assertIn(f"Please {VENDOR_ACTION[type_]}", vendor_text)
        self.assertIn(f"Email: {to}", vendor_text)
        self.assertIn("Name: Ana Example", vendor_text)
        detail = self.agent.get("/api/v1/requests/" + rid).json()
        self.assertEqual(detail["status"], "process")
        self.assertEqual((detail["tasks"][1]["status"], detail["tasks"][1]["completed_by"],
                          detail["tasks"][1]["note"]),
                         ("done", "vendor", f"Done in our system, ticket V-{type_}"))
        self.assertEqual(detail["tasks"][0]["status"], "pending")

        r = self.agent.post(f"/api/v1/requests/{rid}/tasks/{manual_task}/complete",
                            {"note": f"Back office ticket OPS-{self.tag}"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["task"]["status"], r.json()["request_status"]), ("done", "reply"))
        detail = self.agent.get("/api/v1/requests/" + rid).json()
        self.assertEqual(detail["status"], "reply")
        self.assertEqual(detail["tasks"][0]["completed_by"], self.agent_actor)

        key = f"reply.{'custom' if type_ == CUSTOM else type_}.fulfilled"
        msg = self.reply_and_close(rid, to, key, "fulfilled", REPLY_OPENING[type_])
        # The link in the reply is the one the verification email carried.
        self.assertEqual(status_token_in(msg.get_content()), (rid, token))
        self.status_page_says(rid, token, "fulfilled", msg["Subject"])

        # Verification, acknowledgement, the vendor's request and the reply: all delivered.
        events = self.delivered_history(rid, 4)
        a = self.agent_actor
        self.assertEqual(only(events, {
            "request.received", "verification.code_sent", "request.verified", "request.continued",
            "task.created", "task.completed", "request.tasks_finished", "request.replied",
            "request.closed"}), [
            ("request.received", "subject"), ("verification.code_sent", "system"),
            ("request.verified", "subject"), ("request.continued", a), ("task.created", a),
            ("task.created", a), ("task.completed", "vendor"), ("task.completed", a),
            ("request.tasks_finished", "system"), ("request.replied", a), ("request.closed", a)])
        by_kind = {}
        for e in events:
            by_kind.setdefault(e["kind"], []).append(e["detail"])
        self.assertEqual(by_kind["request.received"][0]["type"], type_)
        self.assertEqual(by_kind["request.verified"], [{"method": "email_code"}])
        self.assertEqual(by_kind["request.continued"],
                         [{"sources": [manual["id"], vendor["id"]], "tasks": 2}])
        self.assertEqual([d["by"] for d in by_kind["task.completed"]], ["vendor", a])
        self.assertEqual(by_kind["request.tasks_finished"], [{"done": 2, "skipped": 0}])
        self.assertEqual(by_kind["request.replied"][0]["outcome"], "fulfilled")
        self.assertEqual(by_kind["request.replied"][0]["template_key"], key)
        self.assertEqual(by_kind["request.closed"], [{"outcome": "fulfilled"}])
        self.assertEqual("suppression.added" in by_kind, type_ == "do_not_mail")
        self.assert_no_personal_data(events, to, contact, "Ana Example", "ticket V-",
                                     f"OPS-{self.tag}")
        self.assertTrue(self.admin.get("/api/v1/audit/verify").json()["ok"])
        return rid, vendor_text, events
