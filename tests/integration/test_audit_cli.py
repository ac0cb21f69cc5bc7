"""The audit chain through the CLI and the API, after tampering with the database directly."""

import json
import os
import sqlite3
import subprocess
import unittest

from harness import Server


class AuditChain(unittest.TestCase):
    def setUp(self):
        self.s = Server()

    def tamper(self, statement):
        """Changes the database behind the server's back."""
        if self.s.database:
            subprocess.run(["psql", self.s.database, "-q", "-c", statement], check=True,
                           capture_output=True)
        else:
            db = sqlite3.connect(os.path.join(self.s.dir, "data", "rightsdesk.db"))
            db.execute(statement)
            db.commit()
            db.close()

    def verify_cli(self):
        p = self.s.run_cli("audit", "verify")
        return p.returncode, json.loads(p.stdout)

    def test_fresh_data_dir_commands_work_and_verify_finds_changes(self):
        # Every command creates and migrates the store on a fresh data directory.
        for i, role in enumerate(("admin", "agent", "viewer", "agent")):
            self.s.add_user(f"user{i}@example.com", role)
        code, v = self.verify_cli()
        self.assertEqual((code, v["ok"], v["events"], v["first_bad_event"]), (0, True, 4, None))

        self.s.start()
        try:
            self.assertIsNone(self.s.admin_password)  # users exist: no bootstrap admin
            c = self.s.client()
            self.assertEqual(c.login("user0@example.com", "correct horse battery").status, 200)
            c.post("/api/v1/requests", {"type": "deletion", "subject": {"email": "a@example.com"}})
            api = c.get("/api/v1/audit/verify").json()
            self.assertTrue(api["ok"])
            # 4 users + login + request + its acknowledgement email (no SMTP here: never sent)
            self.assertEqual(api["events"], 7)
            events = c.get("/api/v1/audit/events").json()["events"]
            self.assertEqual([e["seq"] for e in events], list(range(1, 8)))
            self.assertEqual([e["kind"] for e in events[-2:]], ["request.received", "email.queued"])
            page = c.get("/api/v1/audit/events?after=2&limit=3").json()
            self.assertEqual([e["seq"] for e in page["events"]], [3, 4, 5])
            self.assertEqual(page["next_after"], 5)
            last = c.get("/api/v1/audit/events?after=5&limit=3").json()
            self.assertEqual(([e["seq"] for e in last["events"]], last["next_after"]), ([6, 7], None))
            self.assertEqual(c.get("/api/v1/audit/events?limit=0").status, 400)

            self.tamper("UPDATE audit_events SET detail = '{\"role\":\"admin\"}' WHERE seq = 3")
            api = c.get("/api/v1/audit/verify").json()
            self.assertEqual((api["ok"], api["first_bad_event"]), (False, 3))
        finally:
            self.s.stop()
        code, v = self.verify_cli()
        self.assertEqual((code, v["ok"], v["first_bad_event"]), (1, False, 3))

    def test_deleted_event_is_named(self):
        for i in range(5):
            self.s.add_user(f"user{i}@example.com", "agent")
        self.tamper("DELETE FROM audit_events WHERE seq = 2")
        code, v = self.verify_cli()
        self.assertEqual((code, v["first_bad_event"]), (1, 2))

    def test_export_json_and_csv(self):
        for i in range(3):
            self.s.add_user(f"user{i}@example.com", "viewer")
        p = self.s.run_cli("audit", "export")
        lines = [json.loads(x) for x in p.stdout.splitlines()]
        self.assertEqual([e["seq"] for e in lines], [1, 2, 3])
        self.assertEqual(lines[1]["prev_hash"], lines[0]["hash"])
        p = self.s.run_cli("audit", "export", "--format", "csv")
        self.assertEqual(p.stdout.splitlines()[0], "seq,at,actor,request_id,kind,detail,prev_hash,hash")
        self.assertEqual(len(p.stdout.splitlines()), 4)
        self.assertEqual(self.s.run_cli("audit", "export", "--format", "xml").returncode, 2)

    def test_user_add_validates(self):
        p = self.s.run_cli("user", "add", "someone@example.com", "--role", "boss", "--password-stdin",
                           input_text="long enough password\n")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--role", p.stderr)
        p = self.s.run_cli("user", "add", "someone@example.com", "--role", "agent", "--password-stdin",
                           input_text="short\n")
        self.assertEqual(p.returncode, 2)
        self.assertIn("password", p.stderr)
        self.s.add_user("someone@example.com", "agent")
        p = self.s.run_cli("user", "add", "SOMEONE@example.com", "--role", "agent", "--password-stdin",
                           input_text="long enough password\n")
        self.assertEqual(p.returncode, 1)
        self.assertIn("already exists", p.stderr)


if __name__ == "__main__":
    unittest.main()
