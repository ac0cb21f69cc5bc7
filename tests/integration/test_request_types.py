"""Request types an admin configures: custom rights end to end through the Privacy Center
(submission, email verification from the SMTP sink's Maildir, review with the right's own
deadline), built-in types switched off and on, and the validation of every field."""

import datetime
import re
import secrets
import unittest

from harness import Server
from smtp_sink import MAILDIR, SMTP, smtp_env, wait_for_mail

PC = "/api/v1/privacy-center/requests"
PUBLIC_TYPES = "/api/v1/privacy-center/request-types"


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


@unittest.skipUnless(SMTP and MAILDIR, "needs the smtp fixture (RD_TEST_SMTP, RD_TEST_SMTP_DIR)")
class RequestTypes(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tag = secrets.token_hex(4)
        cls.server = Server(env=smtp_env()).start()
        cls.admin = cls.server.admin()
        cls.users = {}
        for role in ("viewer", "agent"):
            email = f"{role}-{cls.tag}@example.com"
            password = cls.server.add_user(email, role)
            client = cls.server.client()
            assert client.login(email, password).status == 200
            cls.users[role] = client

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        assert code == 0, cls.server.stderr()[-2000:]

    def put(self, key, body, client=None):
        return (client or self.admin).request("PUT", "/api/v1/request-types/" + key, body=body)

    def public_keys(self):
        r = self.server.client().get(PUBLIC_TYPES)
        self.assertEqual(r.status, 200, r)
        return [t["key"] for t in r.json()["items"]]

    def request_count(self):
        r = self.admin.get("/api/v1/requests?limit=200")
        self.assertEqual(r.status, 200, r)
        return len(r.json()["items"])

    def submit(self, type_, email):
        return self.server.client().post(PC, {"type": type_, "email": email, "jurisdiction": "gdpr"})

    def verify_from_mail(self, rid, to):
        text = wait_for_mail(to).get_content()
        code = re.search(r"^\s+(\d{6})\s*$", text, re.M).group(1)
        r = self.server.client().post(f"{PC}/{rid}/verify", {"code": code})
        self.assertEqual((r.status, r.json()["status"]), (200, "review"), r)

    def test_a_custom_right_from_definition_to_review(self):
        r = self.put("limit_sensitive", {
            "name": "Limit use of my sensitive data",
            "description": "Ask us to use your sensitive personal information only as needed.",
            "deadline_days": 30})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json(), {
            "key": "limit_sensitive", "name": "Limit use of my sensitive data",
            "description": "Ask us to use your sensitive personal information only as needed.",
            "builtin": False, "enabled": True, "deadline_days": 30})
        again = self.put("limit_sensitive", {"name": "Limit use of my sensitive data"})
        self.assertEqual((again.status, again.json()["deadline_days"]), (200, 30), again)

        public = self.server.client().get(PUBLIC_TYPES)
        self.assertEqual(public.status, 200, public)
        self.assertTrue(public.header("Cache-Control"))
        items = {t["key"]: t for t in public.json()["items"]}
        self.assertEqual(items["limit_sensitive"], {
            "key": "limit_sensitive", "name": "Limit use of my sensitive data",
            "description": "Ask us to use your sensitive personal information only as needed."})
        self.assertEqual(items["deletion"]["name"], "Delete my data")
        listed = self.users["viewer"].get("/api/v1/request-types").json()["items"]
        self.assertEqual([t["key"] for t in listed][:5],
                         ["deletion", "copy", "do_not_sell", "do_not_mail", "right_to_edit"])
        self.assertIn("limit_sensitive", [t["key"] for t in listed])

        to = f"limit+{self.tag}@example.org"
        r = self.submit("limit_sensitive", to)
        self.assertEqual(r.status, 202, r)
        rid = r.json()["id"]
        self.verify_from_mail(rid, to)

        q = self.admin.get("/api/v1/requests/" + rid).json()
        self.assertEqual((q["type"], q["status"]), ("limit_sensitive", "review"))
        self.assertEqual(q["type_name"], "Limit use of my sensitive data")
        self.assertEqual(parse_time(q["due_at"]) - parse_time(q["received_at"]),
                         datetime.timedelta(days=30))

        found = self.admin.get("/api/v1/requests?type=limit_sensitive").json()["items"]
        self.assertEqual([i["id"] for i in found], [rid])
        self.assertEqual(found[0]["type_name"], "Limit use of my sensitive data")
        r = self.admin.get("/api/v1/requests?type=no_such_type")
        self.assertEqual(r.status, 400, r)

        # Processed by hand like any request: review decides it.
        r = self.admin.post(f"/api/v1/requests/{rid}/reject", {"reason": "not_covered"})
        self.assertEqual((r.status, r.json()["status"], r.json()["type"]),
                         (200, "reply", "limit_sensitive"), r)

        kinds = [e["kind"] for e in self.admin.get("/api/v1/audit/events").json()["events"]]
        self.assertIn("request_type.updated", kinds)
        self.assertTrue(self.admin.get("/api/v1/audit/verify").json()["ok"])

    def test_a_switched_off_type_is_refused_everywhere_until_switched_on(self):
        agent = self.users["agent"]
        r = self.put("deletion", {"enabled": False})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json()["builtin"], r.json()["enabled"]), (True, False))
        self.assertNotIn("deletion", self.public_keys())
        self.assertIn("copy", self.public_keys())

        before = self.request_count()
        r = self.submit("deletion", f"off+{self.tag}@example.org")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.json()["error"]["message"], "type: deletion requests are not accepted")
        r = agent.post("/api/v1/requests", {"type": "deletion",
                                            "subject": {"email": f"off-agent+{self.tag}@example.org"}})
        self.assertEqual(r.status, 400, r)
        self.assertTrue(r.json()["error"]["message"].startswith("type: "), r)
        r = self.submit("no_such_type", f"off+{self.tag}@example.org")
        self.assertEqual(r.status, 400, r)
        message = r.json()["error"]["message"]
        self.assertTrue(message.startswith("type: must be one of copy, "), message)
        self.assertNotIn("deletion", message)
        self.assertEqual(self.request_count(), before, "nothing stored")

        r = self.put("deletion", {"enabled": True})
        self.assertEqual(r.status, 200, r)
        self.assertIn("deletion", self.public_keys())
        r = self.submit("deletion", f"on+{self.tag}@example.org")
        self.assertEqual(r.status, 202, r)
        r = agent.post("/api/v1/requests", {"type": "deletion",
                                            "subject": {"email": f"on-agent+{self.tag}@example.org"}})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["type_name"], "Delete my data")
        self.assertEqual(self.request_count(), before + 2)

    def test_gpc_records_no_opt_out_while_do_not_sell_is_switched_off(self):
        gpc = {"Sec-GPC": "1"}
        self.assertEqual(self.put("do_not_sell", {"enabled": False}).status, 200)
        r = self.server.client().post(PC, {"type": "copy", "email": f"gpc-off+{self.tag}@example.org"},
                                      headers=gpc)
        self.assertEqual(r.status, 202, r)
        self.assertNotIn("gpc_request", r.json())
        self.assertEqual(self.put("do_not_sell", {"enabled": True}).status, 200)
        r = self.server.client().post(PC, {"type": "copy", "email": f"gpc-on+{self.tag}@example.org"},
                                      headers=gpc)
        self.assertEqual(r.status, 202, r)
        self.assertIn("gpc_request", r.json())

    def test_renaming_a_built_in_type(self):
        r = self.put("copy", {"name": "Download my data", "description": "A zip of it all."})
        self.assertEqual(r.status, 200, r)
        items = {t["key"]: t for t in self.server.client().get(PUBLIC_TYPES).json()["items"]}
        self.assertEqual((items["copy"]["name"], items["copy"]["description"]),
                         ("Download my data", "A zip of it all."))

    def test_only_admins_configure_types(self):
        for role in ("viewer", "agent"):
            r = self.put("object_processing", {"name": "Object"}, client=self.users[role])
            self.assertEqual(r.status, 403, (role, r))
            self.assertEqual(self.users[role].get("/api/v1/request-types").status, 200)
        keys = [t["key"] for t in self.admin.get("/api/v1/request-types").json()["items"]]
        self.assertNotIn("object_processing", keys)

    def test_bad_definitions_name_the_field_and_store_nothing(self):
        before = self.admin.get("/api/v1/request-types").json()["items"]
        cases = [
            ("Bad%20Key", {"name": "x"}, "key:"),
            ("custom", {"name": "x"}, "key:"),
            ("a" * 41, {"name": "x"}, "key:"),
            ("appeal", {"name": "Appeal", "deadline_days": -1}, "deadline_days:"),
            ("appeal", {"name": "Appeal", "deadline_days": 366}, "deadline_days:"),
            ("appeal", {"name": "Appeal", "deadline_days": "30"}, "deadline_days:"),
            ("appeal", {"description": "no name"}, "name:"),
            ("appeal", {"name": ""}, "name:"),
            ("appeal", {"name": "x" * 101}, "name:"),
            ("appeal", {"name": "Appeal", "description": "x" * 1001}, "description:"),
            ("appeal", {"name": "Appeal", "enabled": "yes"}, "enabled:"),
            ("deletion", {"deadline_days": 10}, "deadline_days:"),
        ]
        for key, body, field in cases:
            r = self.put(key, body)
            self.assertEqual(r.status, 400, (key, body, r))
            self.assertTrue(r.json()["error"]["message"].startswith(field), (key, body, r))
        self.assertEqual(self.admin.get("/api/v1/request-types").json()["items"], before)
        r = self.put("appeal", {"name": "Appeal a decision", "deadline_days": 365})
        self.assertEqual(r.status, 201, r)


if __name__ == "__main__":
    unittest.main()
