"""The whole life of a request, for every request type, as the people involved live it: the
data subject submits in the Privacy Center and confirms with the emailed code, an agent reviews
and continues onto a manual and an email source, the vendor follows the emailed link and
confirms, the agent completes the checklist item, replies and closes, and the subject reads the
reply and the closed status page. Plus a partially fulfilled, a rejected and an agent-created
request. The real binary, the real SMTP sink (scripts/test-smtp through ctest's smtp fixture),
SQLite or PostgreSQL."""

import json
import re
import unittest

from flows import fetch
from lifecycle_steps import CUSTOM, PC, REPLY_OPENING, LifecycleCase, only, status_token_in
from smtp_sink import MAILDIR, SMTP, wait_for_mail
from test_tasks import confirm_link


@unittest.skipUnless(SMTP and MAILDIR, "needs the smtp fixture (RD_TEST_SMTP, RD_TEST_SMTP_DIR)")
class Lifecycle(LifecycleCase):
    def test_deletion(self):
        self.full_path("deletion")

    def test_copy(self):
        self.full_path("copy")

    def test_do_not_sell(self):
        self.full_path("do_not_sell")

    def test_do_not_mail(self):
        self.full_path("do_not_mail")

    def test_right_to_edit_carries_the_corrections(self):
        corrections = {"address": "1 New Street, Springfield", "name": "Ana Newname"}
        rid, vendor_text, events = self.full_path("right_to_edit", corrections=corrections)
        self.assertIn("The corrections requested:\n    address: 1 New Street, Springfield\n"
                      "    name: Ana Newname\n", vendor_text.replace("\r\n", "\n"))
        # The agent sees them on the request, beside the checklist item.
        q = self.agent.get("/api/v1/requests/" + rid).json()
        self.assertEqual(json.loads(q["corrections"]), corrections)
        self.assert_no_personal_data(events, "New Street", "Newname")

    def test_custom_right(self):
        details = f"Please stop using my health data for advertising ({self.tag})."
        _, vendor_text, events = self.full_path(CUSTOM, details=details)
        # A custom right's vendor email quotes the request, as the action is not known.
        self.assertIn("The request:\n" + details, vendor_text.replace("\r\n", "\n"))
        self.assert_no_personal_data(events, "health data")

    # --- the other endings -------------------------------------------------------------------

    def test_partially_fulfilled_when_a_task_is_skipped(self):
        type_ = "deletion"
        to = self.address("partial")
        receipt = self.submit_and_verify(type_, to)
        rid, ref, token = receipt["id"], receipt["reference"], receipt["status_token"]
        self.review(rid, type_)
        manual, vendor, contact = self.sources[type_]
        # No list: the pre-selection, every source in request handling for deletion.
        r = self.agent.post(f"/api/v1/requests/{rid}/continue")
        self.assertEqual(r.status, 200, r)
        tasks = {t["process"]: t["id"] for t in r.json()["tasks"]}
        self.assertEqual(sorted(t["data_source_id"] for t in r.json()["tasks"]),
                         sorted([manual["id"], vendor["id"]]))
        msg = wait_for_mail(contact, subject_contains=ref)
        url, _, _ = confirm_link(msg)

        r = self.agent.post(f"/api/v1/requests/{rid}/tasks/{tasks['email']}/skip",
                            {"reason": "The vendor closed the account last year."})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["task"]["status"], r.json()["request_status"]),
                         ("skipped", "process"))
        # The vendor's link no longer asks for anything.
        status, _, page = fetch(url)
        self.assertEqual(status, 200, page)
        self.assertNotIn("<form", page)
        r = self.agent.post(f"/api/v1/requests/{rid}/tasks/{tasks['manual']}/complete",
                            {"note": "Erased in the back office."})
        self.assertEqual((r.status, r.json()["request_status"]), (200, "reply"), r)

        msg = self.reply_and_close(rid, to, "reply.deletion.partially_fulfilled",
                                   "partially_fulfilled", "Some data we must keep",
                                   replace="[Explain what could not be done, and why.]")
        self.status_page_says(rid, token, "partially_fulfilled", msg["Subject"])
        events = self.delivered_history(rid, 4)
        a = self.agent_actor
        self.assertEqual(only(events, {"task.completed", "task.skipped", "request.tasks_finished",
                                       "request.replied", "request.closed"}), [
            ("task.skipped", a), ("task.completed", a), ("request.tasks_finished", "system"),
            ("request.replied", a), ("request.closed", a)])
        finished = [e for e in events if e["kind"] == "request.tasks_finished"]
        self.assertEqual(finished[0]["detail"], {"done": 1, "skipped": 1})
        closed = [e for e in events if e["kind"] == "request.closed"]
        self.assertEqual(closed[0]["detail"], {"outcome": "partially_fulfilled"})
        self.assert_no_personal_data(events, "closed the account", to)
        self.assertTrue(self.admin.get("/api/v1/audit/verify").json()["ok"])

    def test_rejected_no_match(self):
        type_ = "copy"
        to = self.address("rejected")
        receipt = self.submit_and_verify(type_, to)
        rid, token = receipt["id"], receipt["status_token"]
        self.review(rid, type_)
        r = self.agent.post(f"/api/v1/requests/{rid}/reject",
                            {"reason": "no_match", "note": "Searched CRM and billing for Ana."})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["status"], r.json()["rejection"]["reason"]), ("reply", "no_match"))
        self.assertEqual(self.agent.get(f"/api/v1/requests/{rid}").json()["tasks"], [])

        msg = self.reply_and_close(rid, to, "reply.rejected.no_match", "rejected",
                                   "found no personal data about you")
        self.status_page_says(rid, token, "rejected", msg["Subject"])
        events = self.delivered_history(rid, 3)
        a = self.agent_actor
        self.assertEqual(only(events, {"request.received", "request.verified", "request.rejected",
                                       "request.continued", "task.created", "request.replied",
                                       "request.closed"}), [
            ("request.received", "subject"), ("request.verified", "subject"),
            ("request.rejected", a), ("request.replied", a), ("request.closed", a)])
        rejected = [e for e in events if e["kind"] == "request.rejected"]
        self.assertEqual(rejected[0]["detail"], {"reason": "no_match"})
        closed = [e for e in events if e["kind"] == "request.closed"]
        self.assertEqual(closed[0]["detail"], {"outcome": "rejected"})
        self.assert_no_personal_data(events, "Searched CRM", to)
        self.assertTrue(self.admin.get("/api/v1/audit/verify").json()["ok"])

    def test_agent_created_request_without_sources(self):
        to = self.address("phoned-in")
        r = self.agent.post("/api/v1/requests", {
            "type": "do_not_sell", "subject": {"email": to, "name": "Ana Example"},
            "jurisdiction": "ccpa", "skip_verification": True,
            "details": "Called the support line."})
        self.assertEqual(r.status, 201, r)
        created = r.json()
        rid, ref = created["id"], created["reference"]
        self.assertEqual((created["status"], created["channel"]), ("review", "manual"))
        ack = wait_for_mail(to, subject_contains="we received your privacy request " + ref)
        _, token = status_token_in(ack.get_content())
        q = self.review(rid, "do_not_sell", channel="manual")
        self.assertIsNone(q["verification"]["verified_at"])

        r = self.agent.post(f"/api/v1/requests/{rid}/continue", {"data_source_ids": []})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["status"], r.json()["tasks"]), ("reply", []))
        msg = self.reply_and_close(rid, to, "reply.do_not_sell.fulfilled", "fulfilled",
                                   REPLY_OPENING["do_not_sell"])
        self.status_page_says(rid, token, "fulfilled", msg["Subject"])

        events = self.delivered_history(rid, 2)  # the acknowledgement and the reply
        a = self.agent_actor
        self.assertEqual(only(events, {"request.received", "verification.code_sent",
                                       "request.verified", "request.continued", "task.created",
                                       "request.tasks_finished", "request.replied",
                                       "request.closed"}), [
            ("request.received", a), ("request.continued", a),
            ("request.tasks_finished", "system"), ("request.replied", a), ("request.closed", a)])
        by_kind = {e["kind"]: e["detail"] for e in events}
        self.assertEqual(by_kind["request.received"]["channel"], "manual")
        self.assertEqual(by_kind["request.continued"], {"sources": [], "tasks": 0})
        self.assertEqual(by_kind["request.tasks_finished"], {"done": 0, "skipped": 0})
        self.assertEqual(by_kind["request.closed"], {"outcome": "fulfilled"})
        self.assert_no_personal_data(events, to, "support line")
        self.assertTrue(self.admin.get("/api/v1/audit/verify").json()["ok"])

    def test_agent_created_request_the_subject_must_confirm(self):
        # The agent asks for email verification: the subject is sent the code and link, as from
        # the Privacy Center, and confirming moves the request to review and acknowledges it.
        to = self.address("confirm-later")
        r = self.agent.post("/api/v1/requests", {
            "type": "copy", "subject": {"email": to, "name": "Ana Example"},
            "skip_verification": False})
        self.assertEqual(r.status, 201, r)
        rid, ref = r.json()["id"], r.json()["reference"]
        self.assertEqual((r.json()["status"], r.json()["channel"]), ("unverified", "manual"))
        text = wait_for_mail(to, subject_contains="confirm your privacy request " + ref).get_content()
        link = re.search(r"/privacy/requests/(req_[0-9a-f]+)/verify\?token=([0-9a-f]+)", text)
        self.assertEqual(link.group(1), rid)
        _, token = status_token_in(text.split("follow the request here:")[1])
        anon = self.server.client()
        self.assertEqual(anon.get(f"{PC}/{rid}?token={token}").json()["status"], "unverified")
        r = anon.post(f"{PC}/{rid}/verify", {"token": link.group(2)})
        self.assertEqual((r.status, r.json()["status"]), (200, "review"), r)
        wait_for_mail(to, subject_contains="we received your privacy request " + ref)
        q = self.review(rid, "copy", channel="manual")
        self.assertEqual(q["verification"]["method"], "email_link")
        self.assertEqual(only(self.history(rid), {"request.received", "verification.code_sent",
                                                  "request.verified"}), [
            ("request.received", self.agent_actor), ("verification.code_sent", "system"),
            ("request.verified", "subject")])


if __name__ == "__main__":
    unittest.main()
