"""Casework over HTTP, end to end: the one extension, holds, the conversation between the
privacy team and the subject (emails through a real SMTP sink), withdrawal from the status
link, review details, and the expiry of requests never verified. Runs on SQLite and
PostgreSQL like the other suites."""

import re
import secrets
import time
import unittest
from datetime import datetime, timedelta

from harness import Server
from smtp_sink import MAILDIR, SMTP, smtp_env, wait_for_mail






def parse_time(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def kinds(client, rid):
    return [e["kind"] for e in client.get(f"/api/v1/requests/{rid}/history").json()["events"]]


@unittest.skipUnless(SMTP and MAILDIR, "needs the smtp fixture (RD_TEST_SMTP, RD_TEST_SMTP_DIR)")
class Casework(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tag = secrets.token_hex(4)
        cls.server = Server(env=smtp_env()).start()
        cls.admin = cls.server.admin()

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, cls.server.stderr()[-2000:]

    def address(self, name):
        return f"{name}+{self.tag}@example.org"

    def create(self, to, jurisdiction="ccpa", type_="deletion"):
        r = self.admin.post("/api/v1/requests", {"type": type_, "subject": {"email": to},
                                                 "jurisdiction": jurisdiction})
        self.assertEqual(r.status, 201, r)
        return r.json()

    def verified_submission(self, to):
        """A Privacy Center request, verified with the emailed code; returns (id, token)."""
        anon = self.server.client()
        r = anon.post("/api/v1/privacy-center/requests", {"type": "deletion", "email": to,
                                                          "jurisdiction": "gdpr"})
        self.assertEqual(r.status, 202, r)
        rid, token = r.json()["id"], r.json()["status_token"]
        text = wait_for_mail(to, "confirm your privacy request").get_content()
        code = re.search(r"^\s+(\d{6})\s*$", text, re.M).group(1)
        r = anon.post(f"/api/v1/privacy-center/requests/{rid}/verify", {"code": code})
        self.assertEqual(r.status, 200, r)
        return rid, token

    def test_extend_once_by_the_rule_and_tell_the_subject(self):
        to = self.address("extend")
        q = self.create(to, "ccpa")
        self.assertIsNone(q["extension"])
        r = self.admin.post(f"/api/v1/requests/{q['id']}/extend",
                            {"reason": "Our payment provider needs more time."})
        self.assertEqual(r.status, 200, r)
        extended = r.json()
        self.assertEqual(parse_time(extended["due_at"]) - parse_time(q["due_at"]), timedelta(days=45))
        self.assertEqual(extended["extension"]["reason"], "Our payment provider needs more time.")
        self.assertEqual(self.admin.get(f"/api/v1/requests/{q['id']}").json()["due_at"],
                         extended["due_at"])
        msg = wait_for_mail(to, "more time needed")
        self.assertIn(q["reference"], msg["Subject"])
        self.assertIn("Our payment provider needs more time.", msg.get_content())

        r = self.admin.post(f"/api/v1/requests/{q['id']}/extend", {"reason": "Again."})
        self.assertEqual(r.status, 409, r)
        self.assertIn("already extended once", r.json()["error"]["message"])
        events = self.admin.get(f"/api/v1/requests/{q['id']}/history").json()["events"]
        ext = [e for e in events if e["kind"] == "request.extended"]
        self.assertEqual(len(ext), 1)
        self.assertEqual(ext[0]["detail"], {"previous_due_at": q["due_at"],
                                            "due_at": extended["due_at"]})

    def test_extend_refusals(self):
        q = self.create(self.address("extend-bad"), "lgpd")
        for body, status, start in [({}, 400, "reason"), ({"reason": ""}, 400, "reason"),
                                    ({"reason": "x" * 2001}, 400, "reason"),
                                    ({"reason": 7}, 400, "reason"),
                                    ({"reason": "Fine."}, 409, "the LGPD (Brazil) rule")]:
            r = self.admin.post(f"/api/v1/requests/{q['id']}/extend", body)
            self.assertEqual(r.status, status, (body, r))
            self.assertTrue(r.json()["error"]["message"].startswith(start), r)
        self.assertEqual(self.admin.post("/api/v1/requests/req_missing/extend",
                                         {"reason": "x"}).status, 404)
        self.assertNotIn("request.extended", kinds(self.admin, q["id"]))

    def test_hold_and_release_with_history(self):
        q = self.create(self.address("hold"), "gdpr")
        self.assertIsNone(q["hold"])
        r = self.admin.post(f"/api/v1/requests/{q['id']}/hold", {"reason": "Legal hold."})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["hold"]["reason"], "Legal hold.")
        self.assertEqual(r.json()["status"], "review")
        self.assertEqual(self.admin.get(f"/api/v1/requests/{q['id']}").json()["hold"]["reason"],
                         "Legal hold.")
        self.assertEqual(self.admin.post(f"/api/v1/requests/{q['id']}/hold",
                                         {"reason": "Again."}).status, 409)
        self.assertEqual(self.admin.post(f"/api/v1/requests/{q['id']}/hold", {}).status, 400)
        r = self.admin.post(f"/api/v1/requests/{q['id']}/release", {})
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.json()["hold"])
        r = self.admin.post(f"/api/v1/requests/{q['id']}/release", {})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"]["message"], "the request is not on hold")
        events = self.admin.get(f"/api/v1/requests/{q['id']}/history").json()["events"]
        # The acknowledgement's delivery (email.sent) is asynchronous and may land anywhere.
        events = [e for e in events if e["kind"] != "email.sent"]
        self.assertEqual([e["kind"] for e in events][-2:], ["request.held", "request.released"])
        self.assertIn("held_seconds", events[-1]["detail"])

    def test_conversation_and_withdrawal(self):
        to = self.address("talk")
        rid, token = self.verified_submission(to)
        r = self.admin.post(f"/api/v1/requests/{rid}/messages",
                            {"body": "Which account number is yours?"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json()["direction"], r.json()["recipient"]), ("out", to))
        msg = wait_for_mail(to, "about your privacy request")
        self.assertIn("Which account number is yours?", msg.get_content())

        anon = self.server.client()
        page = anon.get(f"/api/v1/privacy-center/requests/{rid}?token={token}")
        self.assertEqual(page.status, 200, page)
        page = page.json()
        self.assertTrue(page["can_withdraw"])
        self.assertIn("due_at", page)
        # The acknowledgement and the agent's message; not the verification email.
        self.assertEqual(len(page["messages"]), 2, page["messages"])
        # (Both may carry the same second, so their order is not asserted.)
        subjects = sorted(m["subject"].split(": ", 1)[1][:30] for m in page["messages"])
        self.assertEqual(subjects, ["about your privacy request RD-", "we received your privacy reque"])
        ours = [m for m in page["messages"] if "Which account number is yours?" in m["body"]]
        self.assertEqual([m["direction"] for m in ours], ["out"])

        r = anon.post(f"/api/v1/privacy-center/requests/{rid}/messages",
                      {"token": token, "body": "The one ending in 42."})
        self.assertEqual(r.status, 201, r)
        items = self.admin.get(f"/api/v1/requests/{rid}/messages").json()["items"]
        # The subject may answer within the agent's second: messages of one second come in
        # either order, so the answer is found by its text rather than its place.
        answer = [m for m in items if m["body"] == "The one ending in 42."]
        self.assertEqual([(m["direction"], m["sender"]) for m in answer], [("in", "subject")])
        # verification, acknowledgement, agent message, subject message
        self.assertGreaterEqual(len(items), 4)
        page = anon.get(f"/api/v1/privacy-center/requests/{rid}?token={token}").json()
        self.assertEqual(sorted(m["direction"] for m in page["messages"]), ["in", "out", "out"])

        r = anon.post(f"/api/v1/privacy-center/requests/{rid}/withdraw", {"token": token})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["status"], r.json()["outcome"]), ("closed", "withdrawn"))
        wait_for_mail(to, "is withdrawn")
        q = self.admin.get(f"/api/v1/requests/{rid}").json()
        self.assertEqual((q["status"], q["outcome"]), ("closed", "withdrawn"))
        self.assertIn("request.withdrawn", kinds(self.admin, rid))
        page = anon.get(f"/api/v1/privacy-center/requests/{rid}?token={token}").json()
        self.assertFalse(page["can_withdraw"])
        r = self.admin.post(f"/api/v1/requests/{rid}/messages", {"body": "Hello?"})
        self.assertEqual(r.status, 409, r)
        self.assertTrue(self.admin.get("/api/v1/audit/verify").json()["ok"])

    def test_public_bad_input_is_refused_and_changes_nothing(self):
        rid, token = self.verified_submission(self.address("bad"))
        anon = self.server.client()
        base = f"/api/v1/privacy-center/requests/{rid}"

        def settled():
            # A worker sends queued emails after the change that queued them and audits each
            # (email.sent, with sent_at, in one transaction): wait for it, so that a late
            # email.sent is not taken for a change made by bad input.
            deadline = time.time() + 30
            while time.time() < deadline:
                items = self.admin.get(f"/api/v1/requests/{rid}/messages").json()["items"]
                if all(m["sent_at"] for m in items if m["direction"] == "out"):
                    return
                time.sleep(0.1)

        def snapshot():
            settled()
            return (self.admin.get(f"/api/v1/requests/{rid}").json()["status"],
                    len(self.admin.get(f"/api/v1/requests/{rid}/messages").json()["items"]),
                    len(kinds(self.admin, rid)))

        before = snapshot()
        cases = [
            ("messages", {"body": "hi"}, 404, "no such request"),
            ("messages", {"token": "00" * 16, "body": "hi"}, 404, "no such request"),
            ("messages", {"token": token}, 400, "body"),
            ("messages", {"token": token, "body": ""}, 400, "body"),
            ("messages", {"token": token, "body": "   "}, 400, "body"),
            ("messages", {"token": token, "body": "x" * 5001}, 400, "body"),
            ("messages", {"token": token, "body": ["x"]}, 400, "body"),
            ("messages", {"token": 5, "body": "hi"}, 400, "token"),
            ("withdraw", {}, 404, "no such request"),
            ("withdraw", {"token": "wrong"}, 404, "no such request"),
            ("withdraw", {"token": ""}, 404, "no such request"),
        ]
        for route, body, status, start in cases:
            r = anon.post(f"{base}/{route}", body)
            self.assertEqual(r.status, status, (route, body, r))
            self.assertTrue(r.json()["error"]["message"].startswith(start), (route, body, r))
        r = anon.request("POST", f"{base}/messages", raw=b"{not json")
        self.assertEqual(r.status, 400, r)
        r = anon.post("/api/v1/privacy-center/requests/req_missing/withdraw", {"token": token})
        self.assertEqual(r.status, 404, r)
        self.assertEqual(anon.get(f"{base}?token=").status, 404)
        self.assertEqual(anon.get(base).status, 404)
        self.assertEqual(snapshot(), before)

        self.assertEqual(anon.post(f"{base}/withdraw", {"token": token}).status, 200)
        after = snapshot()
        r = anon.post(f"{base}/withdraw", {"token": token})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(r.json()["error"]["message"], "this request is already closed")
        r = anon.post(f"{base}/messages", {"token": token, "body": "one more"})
        self.assertEqual(r.status, 409, r)
        self.assertEqual(snapshot(), after)

    def test_subject_messages_are_rate_limited(self):
        rid, token = self.verified_submission(self.address("chatty"))
        anon = self.server.client()
        statuses = [anon.post(f"/api/v1/privacy-center/requests/{rid}/messages",
                              {"token": token, "body": f"message {n}"}).status for n in range(21)]
        self.assertEqual(statuses, [201] * 20 + [429])

    def test_review_shows_duplicates_sources_and_acknowledgement(self):
        to = self.address("twice")
        first = self.create(to, "ccpa", "copy")
        self.create(self.address("someone-else"), "ccpa", "copy")
        self.create(to, "ccpa", "deletion")
        second = self.create(to.upper(), "ccpa", "copy")
        q = self.admin.get(f"/api/v1/requests/{second['id']}").json()
        self.assertEqual([d["id"] for d in q["duplicates"]], [first["id"]])
        self.assertEqual(q["duplicates"][0]["reference"], first["reference"])
        self.assertEqual(q["duplicates"][0]["status"], "review")
        self.assertEqual(q["applicable_sources"], [])
        self.assertIsNotNone(q["acknowledge_by"])
        self.assertIn("verification", q)
        listed = self.admin.get("/api/v1/requests?limit=5").json()["items"][0]
        self.assertNotIn("duplicates", listed)
        gdpr = self.admin.get(f"/api/v1/requests/{self.create(to, 'gdpr', 'do_not_mail')['id']}")
        self.assertIsNone(gdpr.json()["acknowledge_by"])


@unittest.skipUnless(SMTP and MAILDIR, "needs the smtp fixture (RD_TEST_SMTP, RD_TEST_SMTP_DIR)")
class UnverifiedExpiry(unittest.TestCase):
    def test_unverified_requests_close_and_verified_ones_stay(self):
        server = Server(env=smtp_env(RIGHTSDESK_PRIVACY_CENTER__UNVERIFIED_EXPIRY="2s")).start()
        try:
            tag = secrets.token_hex(4)
            anon = server.client()
            lazy, keen = f"lazy+{tag}@example.org", f"keen+{tag}@example.org"
            never = anon.post("/api/v1/privacy-center/requests", {"type": "copy", "email": lazy})
            done = anon.post("/api/v1/privacy-center/requests", {"type": "copy", "email": keen})
            self.assertEqual((never.status, done.status), (202, 202))
            text = wait_for_mail(keen, "confirm your privacy request").get_content()
            code = re.search(r"^\s+(\d{6})\s*$", text, re.M).group(1)
            r = anon.post(f"/api/v1/privacy-center/requests/{done.json()['id']}/verify",
                          {"code": code})
            self.assertEqual(r.status, 200, r)

            admin = server.admin()
            deadline = time.time() + 20
            while time.time() < deadline:
                q = admin.get(f"/api/v1/requests/{never.json()['id']}").json()
                if q["status"] == "closed":
                    break
                time.sleep(0.2)
            self.assertEqual((q["status"], q["outcome"]), ("closed", "unverified"))
            self.assertIn("request.expired", kinds(admin, q["id"]))
            time.sleep(1)  # past the verified request's expiry job too
            kept = admin.get(f"/api/v1/requests/{done.json()['id']}").json()
            self.assertEqual((kept["status"], kept["outcome"]), ("review", None))
            self.assertNotIn("request.expired", kinds(admin, kept["id"]))
            page = anon.get(f"/api/v1/privacy-center/requests/{q['id']}?token="
                            f"{never.json()['status_token']}").json()
            self.assertEqual((page["status"], page["outcome"], page["can_withdraw"]),
                             ("closed", "unverified", False))
        finally:
            self.assertEqual(server.stop(), 0)


if __name__ == "__main__":
    unittest.main()
