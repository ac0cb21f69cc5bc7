"""Email templates edited by admins, the acknowledgement email, and Reply & close, end to end:
the real binary, a real SMTP sink (scripts/test-smtp through ctest's smtp fixture), SQLite or
PostgreSQL."""

import re
import secrets
import time
import unittest

from harness import Server
from smtp_sink import MAILDIR, SMTP, smtp_env, wait_for_mail

ACK = "/api/v1/templates/acknowledgement"


@unittest.skipUnless(SMTP and MAILDIR, "needs the smtp fixture (RD_TEST_SMTP, RD_TEST_SMTP_DIR)")
class TemplatesAndReply(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The SMTP sink is shared by every test run: addresses carry a tag of this run.
        cls.tag = secrets.token_hex(4)
        cls.server = Server(env=smtp_env()).start()
        cls.admin = cls.server.admin()
        cls.agent = cls.server.client()
        assert cls.agent.login("agent@example.com",
                               cls.server.add_user("agent@example.com", "agent")).status == 200
        cls.viewer = cls.server.client()
        assert cls.viewer.login("viewer@example.com",
                                cls.server.add_user("viewer@example.com", "viewer")).status == 200

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, cls.server.stderr()[-2000:]

    def create(self, to, name="Eve Subject", type_="deletion"):
        r = self.agent.post("/api/v1/requests", {"type": type_, "subject": {"email": to, "name": name}})
        self.assertEqual((r.status, r.json()["status"]), (201, "review"), r)
        return r.json()

    def reset_acknowledgement(self):
        r = self.admin.request("DELETE", ACK)
        self.assertEqual(r.status, 200, r)
        self.assertFalse(r.json()["customized"])

    def test_an_edited_acknowledgement_is_what_the_subject_receives(self):
        self.addCleanup(self.reset_acknowledgement)
        listed = {t["key"]: t for t in self.viewer.get("/api/v1/templates").json()["items"]}
        self.assertIn("reply.rejected.no_match", listed)
        self.assertEqual(listed["verification"]["variables"], ["code", "expires_minutes", "verify_url"])

        subject = "Got it " + self.tag + ": {{reference}}"
        body = "Dear {{subject_name}},\n\nedited acknowledgement of your {{type_label}} request.\n"
        r = self.admin.request("PUT", ACK, {"subject": subject, "body": body})
        self.assertEqual(r.status, 200, r)
        t = r.json()
        self.assertEqual((t["subject"], t["body"], t["customized"]), (subject, body, True))
        self.assertTrue(t["updated_by"].startswith("user:"))
        self.assertIn("we received your privacy request", t["default"]["subject"])
        self.assertTrue(self.viewer.get(ACK).json()["customized"])

        to = f"ack.subject+{self.tag}@example.org"
        q = self.create(to)
        msg = wait_for_mail(to, subject_contains="Got it " + self.tag)
        self.assertEqual(msg["Subject"], f"Got it {self.tag}: {q['reference']}")
        self.assertEqual(msg.get_content().replace("\r\n", "\n"),
                         "Dear Eve Subject,\n\nedited acknowledgement of your deletion request.\n")
        history = self.agent.get(f"/api/v1/requests/{q['id']}/history").json()["events"]
        queued = [e for e in history if e["kind"] == "email.queued"]
        self.assertEqual(queued[0]["detail"]["purpose"], "acknowledgement")
        admin_events = self.admin.get("/api/v1/audit/events").json()["events"]
        self.assertIn({"key": "acknowledgement"},
                      [e["detail"] for e in admin_events if e["kind"] == "template.updated"])

    def test_an_invalid_template_is_refused_and_nothing_changes(self):
        key = "/api/v1/templates/extension"
        before = self.admin.get(key).json()
        r = self.admin.request("PUT", key, {"subject": "About {{reference}}", "body": "{{#open}} never closed"})
        self.assertEqual(r.status, 400, r)
        message = r.json()["error"]["message"]
        self.assertTrue(message.startswith("body: invalid template"), message)
        self.assertIn("open", message)
        r = self.admin.request("PUT", key, {"subject": "{{reference", "body": "fine"})
        self.assertEqual(r.status, 400, r)
        self.assertTrue(r.json()["error"]["message"].startswith("subject: "), r)
        r = self.admin.request("PUT", key, {"subject": "", "body": "fine"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(self.admin.get(key).json(), before, "GET still shows the old text")

        for client in (self.viewer, self.agent):
            r = client.request("PUT", key, {"subject": "s", "body": "b"})
            self.assertEqual(r.status, 403, r)
        self.assertEqual(self.admin.request("PUT", "/api/v1/templates/nope",
                                            {"subject": "s", "body": "b"}).status, 404)
        self.assertEqual(self.viewer.get("/api/v1/templates/nope").status, 404)
        self.assertEqual(self.admin.get(key).json(), before)

    def test_preview_renders_without_storing(self):
        r = self.agent.post("/api/v1/templates/verification/preview", {})
        self.assertEqual(r.status, 200, r)
        self.assertIn("123456", r.json()["body"])
        self.assertIn("Example Shop", r.json()["subject"])
        q = self.create(f"preview+{self.tag}@example.org", name="Pat Preview")
        r = self.agent.post("/api/v1/templates/acknowledgement/preview",
                            {"body": "Hi {{subject_name}} ({{reference}})", "request_id": q["id"]})
        self.assertEqual((r.status, r.json()["body"]), (200, f"Hi Pat Preview ({q['reference']})"), r)
        r = self.agent.post("/api/v1/templates/acknowledgement/preview", {"body": "{{#x}}"})
        self.assertEqual(r.status, 400, r)
        self.assertTrue(r.json()["error"]["message"].startswith("body: "), r)
        r = self.agent.post("/api/v1/templates/acknowledgement/preview", {"request_id": "req_nope"})
        self.assertEqual(r.status, 404, r)
        self.assertFalse(self.admin.get(ACK).json()["customized"])

    def test_reject_then_reply_and_close(self):
        to = f"rejected+{self.tag}@example.org"
        q = self.create(to, type_="copy")
        rid = q["id"]
        r = self.agent.get(f"/api/v1/requests/{rid}/reply")
        self.assertEqual(r.status, 409, r)
        self.assertIn("review", r.json()["error"]["message"])
        r = self.agent.post(f"/api/v1/requests/{rid}/reject",
                            {"reason": "no_match", "note": "Searched CRM and billing."})
        self.assertEqual(r.status, 200, r)

        draft = self.viewer.get(f"/api/v1/requests/{rid}/reply")
        self.assertEqual(draft.status, 200, draft)
        d = draft.json()
        self.assertEqual((d["template_key"], d["outcome"], d["to"]),
                         ("reply.rejected.no_match", "rejected", to))
        self.assertIn(q["reference"], d["subject"])
        self.assertIn("found no personal data about you", d["body"])
        self.assertIn("Hello Eve Subject,", d["body"])

        r = self.agent.post(f"/api/v1/requests/{rid}/reply", {"subject": d["subject"]})
        self.assertEqual(r.status, 400, r)
        self.assertTrue(r.json()["error"]["message"].startswith("body"), r)
        r = self.agent.post(f"/api/v1/requests/{rid}/reply",
                            {"subject": d["subject"], "body": "x", "outcome": "fulfilled"})
        self.assertEqual(r.status, 400, r)
        self.assertEqual(self.agent.get(f"/api/v1/requests/{rid}").json()["status"], "reply")

        subject = f"Your request {q['reference']} ({self.tag})"
        body = d["body"].replace("found no personal data about you",
                                 "found no personal data about you (edited by the agent)")
        r = self.agent.post(f"/api/v1/requests/{rid}/reply", {"subject": subject, "body": body})
        self.assertEqual(r.status, 200, r)
        sent = r.json()
        self.assertEqual((sent["id"], sent["status"], sent["outcome"]), (rid, "closed", "rejected"))
        self.assertTrue(sent["message_id"].startswith("msg_"))

        msg = wait_for_mail(to, subject_contains=f"({self.tag})")
        self.assertEqual(msg["Subject"], subject)
        self.assertIn("(edited by the agent)", msg.get_content())

        # The worker audits email.sent just after the sink accepted the message.
        deadline = time.time() + 10
        while True:
            events = self.agent.get(f"/api/v1/requests/{rid}/history").json()["events"]
            kinds = [e["kind"] for e in events]
            if kinds.count("email.sent") == 2 or time.time() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(kinds.count("email.sent"), 2, "acknowledgement and reply, delivered")
        self.assertIn("request.closed", kinds)
        self.assertEqual(kinds.index("request.closed"), kinds.index("request.replied") + 1)
        replied = next(e for e in events if e["kind"] == "request.replied")
        self.assertEqual(replied["detail"], {"message_id": sent["message_id"], "outcome": "rejected",
                                             "template_key": "reply.rejected.no_match"})
        self.assertNotIn(to, str(events))
        self.assertNotIn("Searched CRM", str(events))

        q = self.agent.get(f"/api/v1/requests/{rid}").json()
        self.assertEqual((q["status"], q["outcome"]), ("closed", "rejected"))
        r = self.agent.post(f"/api/v1/requests/{rid}/reply", {"subject": subject, "body": body})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(self.agent.get(f"/api/v1/requests/{rid}/reply").status, 409)
        self.assertEqual(self.agent.get("/api/v1/requests/req_nope/reply").status, 404)
        self.assertTrue(self.admin.get("/api/v1/audit/verify").json()["ok"])

    def test_privacy_center_request_is_acknowledged_once_verified(self):
        to = f"pc.ack+{self.tag}@example.org"
        anon = self.server.client()
        r = anon.post("/api/v1/privacy-center/requests", {"type": "do_not_mail", "email": to})
        self.assertEqual(r.status, 202, r)
        rid, reference = r.json()["id"], r.json()["reference"]
        text = wait_for_mail(to, subject_contains="confirm your privacy request").get_content()
        code = re.search(r"^\s+(\d{6})\s*$", text, re.M).group(1)
        r = anon.post(f"/api/v1/privacy-center/requests/{rid}/verify", {"code": code})
        self.assertEqual((r.status, r.json()["status"]), (200, "review"), r)
        ack = wait_for_mail(to, subject_contains="we received your privacy request")
        self.assertEqual(ack["Subject"], f"Example Shop: we received your privacy request {reference}")
        self.assertIn("We received your do-not-mail request", ack.get_content())


if __name__ == "__main__":
    unittest.main()
