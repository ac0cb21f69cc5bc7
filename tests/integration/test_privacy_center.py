"""Privacy Center intake and email verification, end to end: the real binary, a real SMTP
server (aiosmtpd, started by scripts/test-smtp through ctest's smtp fixture), SQLite or
PostgreSQL."""

import glob
import os
import re
import secrets
import signal
import subprocess
import threading
import time
import unittest

from harness import BINARY, Server
from smtp_sink import MAILDIR, SMTP, smtp_env, wait_for_mail


@unittest.skipUnless(SMTP and MAILDIR, "needs the smtp fixture (RD_TEST_SMTP, RD_TEST_SMTP_DIR)")
class Intake(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The SMTP sink is shared by every test run: addresses carry a tag of this run.
        cls.tag = secrets.token_hex(4)
        cls.server = Server(env=smtp_env(
            RIGHTSDESK_PRIVACY_CENTER__LIMIT_PER_IDENTITY_PER_DAY="3")).start()

    @classmethod
    def tearDownClass(cls):
        cls.assertEqual = unittest.TestCase.assertEqual
        code = cls.server.stop()
        assert code == 0, cls.server.stderr()[-2000:]

    def submit(self, **body):
        return self.server.client().post("/api/v1/privacy-center/requests", body)

    def code_and_links(self, to):
        msg = wait_for_mail(to)
        text = msg.get_content()
        code = re.search(r"^\s+(\d{6})\s*$", text, re.M).group(1)
        verify = re.search(r"/verify\?token=([0-9a-f]+)", text).group(1)
        status_url = re.search(r"follow the request here:\s*(\S+)", text).group(1)
        status = re.search(r"\?token=([0-9a-f]+)$", status_url).group(1)
        return msg, code, verify, status

    def test_submit_email_code_verify_and_status_page(self):
        to = f"ada.subject+{self.tag}@example.org"
        r = self.submit(type="deletion", email=f"Ada.Subject+{self.tag}@Example.org", name="Ada Subject",
                        jurisdiction="gdpr", details="Please delete my account.")
        self.assertEqual(r.status, 202, r)
        body = r.json()
        self.assertEqual(body["status"], "unverified")
        rid, token = body["id"], body["status_token"]

        msg, code, link_token, status_token = self.code_and_links(to)
        self.assertIn(body["reference"], msg["Subject"])
        self.assertIn("Example Shop", msg["Subject"])
        self.assertEqual(msg["From"], "privacy@shop.example")
        self.assertEqual(status_token, token)

        anon = self.server.client()
        page = anon.get(f"/api/v1/privacy-center/requests/{rid}?token={token}")
        self.assertEqual(page.status, 200, page)
        self.assertEqual((page.json()["status"], page.json()["verified"]), ("unverified", False))
        self.assertNotIn("email", page.json())
        self.assertEqual(anon.get(f"/api/v1/privacy-center/requests/{rid}?token=0000").status, 404)

        wrong = "000000" if code != "000000" else "111111"
        r = anon.post(f"/api/v1/privacy-center/requests/{rid}/verify", {"code": wrong})
        self.assertEqual(r.status, 400, r)
        self.assertIn("4 tries left", r.json()["error"]["message"])
        r = anon.post(f"/api/v1/privacy-center/requests/{rid}/verify", {"code": code})
        self.assertEqual((r.status, r.json()["status"]), (200, "review"), r)
        r = anon.post(f"/api/v1/privacy-center/requests/{rid}/verify", {"code": code})
        self.assertEqual(r.status, 409, r)
        page = anon.get(f"/api/v1/privacy-center/requests/{rid}?token={token}").json()
        self.assertEqual((page["status"], page["verified"]), ("review", True))

        admin = self.server.admin()
        q = admin.get("/api/v1/requests/" + rid).json()
        self.assertEqual((q["channel"], q["status"]), ("privacy_center", "review"))
        self.assertEqual(q["subject"]["email"], to)
        kinds = [e["kind"] for e in admin.get("/api/v1/audit/events?request_id=" + rid).json()["events"]]
        # Verification queues the acknowledgement, which the workers then send.
        self.assertEqual(kinds[:6], ["request.received", "verification.code_sent", "email.sent",
                                     "verification.failed", "request.verified", "email.queued"])
        ack = wait_for_mail(to, subject_contains="we received your privacy request")
        self.assertIn(body["reference"], ack["Subject"])
        self.assertIn("We received your deletion request", ack.get_content())
        self.assertTrue(admin.get("/api/v1/audit/verify").json()["ok"])

    def test_verify_by_link(self):
        to = f"link.subject+{self.tag}@example.org"
        rid = self.submit(type="copy", email=to).json()["id"]
        _, _, link_token, _ = self.code_and_links(to)
        anon = self.server.client()
        r = anon.post(f"/api/v1/privacy-center/requests/{rid}/verify", {"token": "ff" * 16})
        self.assertEqual(r.status, 400, r)
        r = anon.post(f"/api/v1/privacy-center/requests/{rid}/verify", {"token": link_token})
        self.assertEqual(r.status, 200, r)

    def test_five_wrong_codes_lock_the_challenge(self):
        to = f"guesser+{self.tag}@example.org"
        rid = self.submit(type="do_not_mail", email=to).json()["id"]
        _, code, _, _ = self.code_and_links(to)
        anon = self.server.client()
        wrong = [c for c in ("000000", "111111", "222222", "333333", "444444", "555555") if c != code]
        statuses = [anon.post(f"/api/v1/privacy-center/requests/{rid}/verify", {"code": c}).status
                    for c in wrong[:5]]
        self.assertEqual(statuses, [400, 400, 400, 400, 429])
        r = anon.post(f"/api/v1/privacy-center/requests/{rid}/verify", {"code": code})
        self.assertEqual(r.status, 429, "even the right code is refused after the last try")

    def test_bad_input_is_refused_and_nothing_is_stored(self):
        admin = self.server.admin()
        before = len(admin.get("/api/v1/requests?limit=200").json()["items"])
        anon = self.server.client()
        cases = [
            ({"email": "a@example.org"}, "type"),
            ({"type": "deletion"}, "email"),
            ({"type": "deletion", "email": "nope"}, "subject.email"),
            ({"type": "forget-me", "email": "a@example.org"}, "type"),
            ({"type": "deletion", "email": "a@example.org", "jurisdiction": "moon"}, "jurisdiction"),
            ({"type": "deletion", "email": "a@example.org", "corrections": "x"}, "corrections"),
            ({"type": "right_to_edit", "email": "a@example.org", "corrections": {"name": 7}},
             "corrections.name"),
            ({"type": "deletion", "email": "a@example.org", "requester_type": "robot"}, "requester_type"),
            ({"type": "deletion", "email": "a@example.org", "name": ["x"]}, "name"),
        ]
        for body, field in cases:
            r = anon.post("/api/v1/privacy-center/requests", body)
            self.assertEqual(r.status, 400, (body, r))
            self.assertTrue(r.json()["error"]["message"].startswith(field), (field, r))
        r = anon.request("POST", "/api/v1/privacy-center/requests", raw=b"{not json")
        self.assertEqual(r.status, 400)
        r = anon.request("POST", "/api/v1/privacy-center/requests",
                         raw=b'{"type":"deletion","email":"a@example.org","details":"' + b"x" * 70000 + b'"}')
        self.assertEqual(r.status, 413)
        r = anon.post("/api/v1/privacy-center/requests/req_nope/verify", {"code": "123456"})
        self.assertEqual(r.status, 404)
        r = anon.post("/api/v1/privacy-center/requests/req_nope/verify", {"code": "12345x"})
        self.assertEqual(r.status, 400)
        self.assertEqual(len(admin.get("/api/v1/requests?limit=200").json()["items"]), before)

    def test_right_to_edit_keeps_the_corrections(self):
        to = f"editor+{self.tag}@example.org"
        r = self.submit(type="right_to_edit", email=to, corrections={"address": "1 New Street"})
        self.assertEqual(r.status, 202, r)
        wait_for_mail(to)

    def test_global_privacy_control_opts_out_without_verification(self):
        to = f"gpc+{self.tag}@example.org"
        anon = self.server.client()
        r = anon.post("/api/v1/privacy-center/requests", {"type": "do_not_sell", "email": to,
                                                          "jurisdiction": "ccpa"},
                      headers={"Sec-GPC": "1"})
        self.assertEqual(r.status, 202, r)
        self.assertEqual(r.json()["status"], "review")
        self.assertNotIn("gpc_request", r.json())
        admin = self.server.admin()
        q = admin.get("/api/v1/requests/" + r.json()["id"]).json()
        self.assertEqual((q["channel"], q["status"], q["type"]), ("gpc", "review", "do_not_sell"))
        # CCPA: an opt-out is due within 15 business days, not 45 calendar days.
        self.assertTrue(19 <= q["days_left"] <= 23, q["days_left"])

        other = f"gpc2+{self.tag}@example.org"
        r = anon.post("/api/v1/privacy-center/requests", {"type": "copy", "email": other},
                      headers={"Sec-GPC": "1"})
        self.assertEqual((r.status, r.json()["status"]), (202, "unverified"), r)
        opt_out = admin.get("/api/v1/requests/" + r.json()["gpc_request"]["id"]).json()
        self.assertEqual((opt_out["type"], opt_out["channel"], opt_out["status"]),
                         ("do_not_sell", "gpc", "review"))
        self.assertEqual(opt_out["subject"]["email"], other)
        # The copy request itself still needs verification; the opt-out is acknowledged.
        wait_for_mail(other, subject_contains="confirm your privacy request")
        wait_for_mail(other, subject_contains="we received your privacy request "
                      + r.json()["gpc_request"]["reference"])
        ack = wait_for_mail(to, subject_contains="we received your privacy request")
        self.assertIn("do-not-sell request", ack.get_content())

    def test_identity_rate_limit(self):
        to = f"eager+{self.tag}@example.org"
        statuses = [self.submit(type="copy", email=to).status for _ in range(4)]
        self.assertEqual(statuses, [202, 202, 202, 429])


@unittest.skipUnless(SMTP and MAILDIR, "needs the smtp fixture (RD_TEST_SMTP, RD_TEST_SMTP_DIR)")
class SeparateWorker(unittest.TestCase):
    def test_a_worker_process_sends_what_serve_queued(self):
        s = Server(env=smtp_env(RIGHTSDESK_WORKER__THREADS="0")).start()
        worker = None
        try:
            to = f"queued+{secrets.token_hex(4)}@example.org"
            r = s.client().post("/api/v1/privacy-center/requests", {"type": "copy", "email": to})
            self.assertEqual(r.status, 202, r)
            time.sleep(1)
            def mailed():
                for path in glob.glob(os.path.join(MAILDIR, "new", "*")):
                    with open(path, errors="replace") as f:
                        if to in f.read():
                            return True
                return False
            self.assertFalse(mailed(), "serve without workers must not send")
            worker = subprocess.Popen([BINARY, "worker", *s.common_args()], env={
                **s.env, "RIGHTSDESK_WORKER__THREADS": "1"},
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            self.assertIn(r.json()["reference"], wait_for_mail(to)["Subject"])
        finally:
            if worker:
                worker.send_signal(signal.SIGTERM)
                self.assertEqual(worker.wait(timeout=15), 0, worker.stderr.read())
            self.assertEqual(s.stop(), 0)


class StopUnderLoad(unittest.TestCase):
    """Submissions are answered after their commit, from the writing thread: a server told to
    stop while they stream in answers each one it took (202, or 503 once stopping) before it
    goes, and every 202 is stored."""

    def test_every_submission_answered_before_the_stop_is_stored(self):
        s = Server(env={"RIGHTSDESK_WORKER__THREADS": "0",
                        "RIGHTSDESK_PRIVACY_CENTER__LIMIT_PER_ADDRESS_PER_HOUR": "0",
                        "RIGHTSDESK_PRIVACY_CENTER__LIMIT_PER_IDENTITY_PER_DAY": "0"}).start()
        accepted, statuses, lock = [], [], threading.Lock()
        stop_sending = threading.Event()

        def send(n):
            i = 0
            while not stop_sending.is_set():
                i += 1
                try:
                    r = s.client().post("/api/v1/privacy-center/requests", {
                        "type": "deletion", "email": f"load-{n}-{i}@example.org"})
                except OSError:
                    continue  # refused or reset once the server has gone
                with lock:
                    statuses.append(r.status)
                    if r.status == 202:
                        accepted.append((r.json()["id"], r.json()["status_token"]))

        senders = [threading.Thread(target=send, args=(n,)) for n in range(16)]
        for t in senders:
            t.start()
        try:
            deadline = time.time() + 30
            while len(accepted) < 200 and time.time() < deadline:
                time.sleep(0.05)
            self.assertEqual(s.stop(), 0, s.stderr()[-2000:])
        finally:
            stop_sending.set()
            for t in senders:
                t.join()
        self.assertGreaterEqual(len(accepted), 200)
        self.assertEqual(set(statuses) - {202, 503}, set())
        s.start()
        try:
            c = s.client()
            for request_id, token in accepted:
                r = c.get(f"/api/v1/privacy-center/requests/{request_id}?token={token}")
                self.assertEqual(r.status, 200, (request_id, r))
        finally:
            self.assertEqual(s.stop(), 0)


class Settings(unittest.TestCase):
    """What the Privacy Center page shows before anything is submitted."""

    def test_org_name_colour_and_jurisdictions_come_from_config(self):
        server = Server(env={"RIGHTSDESK_PRIVACY_CENTER__ORG_NAME": "Example Shop",
                             "RIGHTSDESK_PRIVACY_CENTER__PRIMARY_COLOR": "#0a7d5a"}).start()
        try:
            r = server.client().get("/api/v1/privacy-center/settings")
            self.assertEqual(r.status, 200, r)
            body = r.json()
            self.assertEqual((body["org_name"], body["primary_color"]), ("Example Shop", "#0a7d5a"))
            keys = [j["key"] for j in body["jurisdictions"]]
            self.assertIn("gdpr", keys)
            self.assertIn("ccpa", keys)
            self.assertTrue(all(j["name"] for j in body["jurisdictions"]))
            self.assertIn("max-age", r.header("Cache-Control"))
        finally:
            self.assertEqual(server.stop(), 0)

    def test_a_bad_colour_stops_startup_naming_the_key(self):
        server = Server(env={"RIGHTSDESK_PRIVACY_CENTER__PRIMARY_COLOR": "blue"})
        with self.assertRaises(RuntimeError) as ctx:
            server.start()
        self.assertIn("privacy_center.primary_color", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
