"""Every route × every role, with a session cookie and with a bearer token.

The table below is the expected access policy, written independently of the server's own
declarations; a route missing from it (or from the OpenAPI document) fails the test.
"""

import unittest

from harness import Server

PUBLIC = "public"
ALL = {"viewer", "agent", "admin"}
AGENTS = {"agent", "admin"}
ADMINS = {"admin"}

# (method, path template, who may call, body)
ROUTES = [
    ("GET", "/healthz", PUBLIC, None),
    ("GET", "/readyz", PUBLIC, None),
    ("GET", "/metrics", PUBLIC, None),
    ("GET", "/api/v1/openapi.json", PUBLIC, None),
    ("POST", "/api/v1/privacy-center/requests", PUBLIC, {"type": "deletion", "email": "pc-{n}@example.com"}),
    ("POST", "/api/v1/privacy-center/requests/{id}/verify", PUBLIC, {"code": "000000"}),
    ("GET", "/api/v1/privacy-center/requests/{id}?token=nope", PUBLIC, None),
    ("POST", "/api/v1/privacy-center/requests/{id}/messages", PUBLIC, {"token": "nope", "body": "hi"}),
    ("POST", "/api/v1/privacy-center/requests/{id}/withdraw", PUBLIC, {"token": "nope"}),
    ("POST", "/api/v1/privacy-center/requests/{id}/proof", PUBLIC, {"token": "nope"}),
    ("POST", "/api/v1/auth/login", PUBLIC, {"email": "viewer@example.com",
                                                  "password": "correct horse battery"}),
    ("GET", "/api/v1/me", ALL, None),
    ("GET", "/api/v1/users", ADMINS, None),
    ("POST", "/api/v1/users", ADMINS, {"email": "made-{n}@example.com", "role": "viewer",
                                       "password": "long enough password"}),
    ("GET", "/api/v1/tokens", ADMINS, None),
    ("POST", "/api/v1/tokens", ADMINS, {"name": "t"}),
    ("DELETE", "/api/v1/tokens/{id}", ADMINS, None),
    ("GET", "/api/v1/requests", ALL, None),
    ("POST", "/api/v1/requests", AGENTS, {"type": "deletion", "subject": {"email": "r@example.com"}}),
    ("GET", "/api/v1/requests/{id}", ALL, None),
    ("GET", "/api/v1/requests/{id}/history", ALL, None),
    ("GET", "/api/v1/requests/{id}/proof", AGENTS, None),
    ("POST", "/api/v1/requests/{id}/assign", AGENTS, {"assignee": ""}),
    ("POST", "/api/v1/requests/{id}/reject", AGENTS, {"reason": "bogus"}),
    ("GET", "/api/v1/request-types", ALL, None),
    ("PUT", "/api/v1/request-types/{key}", ADMINS, {"name": "Matrix right", "deadline_days": 30}),
    ("GET", "/api/v1/privacy-center/request-types", PUBLIC, None),
    ("GET", "/api/v1/privacy-center/settings", PUBLIC, None),
    ("GET", "/api/v1/dashboard", ALL, None),
    ("POST", "/api/v1/requests/{id}/extend", AGENTS, {"reason": ""}),
    ("POST", "/api/v1/requests/{id}/hold", AGENTS, {"reason": ""}),
    ("POST", "/api/v1/requests/{id}/release", AGENTS, {}),
    ("GET", "/api/v1/requests/{id}/messages", ALL, None),
    ("POST", "/api/v1/requests/{id}/messages", AGENTS, {"body": ""}),
    ("POST", "/api/v1/requests/{id}/continue", AGENTS, {"data_source_ids": ["ds_missing"]}),
    ("POST", "/api/v1/requests/{id}/tasks/{task_id}/complete", AGENTS, {"note": "n"}),
    ("POST", "/api/v1/requests/{id}/tasks/{task_id}/skip", AGENTS, {"reason": "r"}),
    ("POST", "/api/v1/requests/{id}/tasks/{task_id}/retry", AGENTS, None),
    ("GET", "/api/v1/data-sources", ALL, None),
    ("POST", "/api/v1/data-sources", ADMINS, {"name": "Source {n}", "category": "crm",
                                              "process": "manual"}),
    ("GET", "/api/v1/data-sources/{id}", ALL, None),
    ("PATCH", "/api/v1/data-sources/{id}", ADMINS, {"name": "Renamed"}),
    ("DELETE", "/api/v1/data-sources/{id}", ADMINS, None),
    ("POST", "/api/v1/data-sources/{id}/test", ADMINS, None),
    ("GET", "/api/v1/catalog?q=mail&category=marketing", ALL, None),
    ("GET", "/api/v1/catalog/categories", ALL, None),
    ("GET", "/api/v1/data-categories", ALL, None),
    ("POST", "/api/v1/data-sources/{id}/scan", ADMINS, None),
    ("GET", "/api/v1/data-sources/{id}/scan", ALL, None),
    ("GET", "/api/v1/suppression", ALL, None),
    ("GET", "/api/v1/vendor/tasks/{task_id}?token=nope", PUBLIC, None),
    ("POST", "/api/v1/vendor/tasks/{task_id}/confirm", PUBLIC, {"token": "nope"}),
    ("GET", "/vendor/tasks/{task_id}?token=nope", PUBLIC, None),
    ("POST", "/vendor/tasks/{task_id}/confirm", PUBLIC, None),
    # 404: no such task (the signature is checked against the task's source)
    ("POST", "/api/v1/webhooks/tasks/{task_id}", PUBLIC, {"status": "completed"}),
    ("GET", "/api/v1/requests/{id}/reply", ALL, None),  # 409: the request is in review
    ("POST", "/api/v1/requests/{id}/reply", AGENTS, {"subject": "s", "body": "b"}),
    ("GET", "/api/v1/requests/{id}/package", AGENTS, None),  # 404: no package yet
    ("POST", "/api/v1/requests/{id}/package/redact", AGENTS,
     {"fields": [{"data_source_id": "ds_x", "collection": "c", "column": "x"}]}),
    ("GET", "/api/v1/packages/{token}", PUBLIC, None),  # 404: no such package
    ("GET", "/api/v1/templates", ALL, None),
    ("GET", "/api/v1/templates/{key}", ALL, None),
    ("PUT", "/api/v1/templates/{key}", ADMINS, {"subject": "Reminder {{reference}}",
                                                "body": "Hello from {{org_name}}"}),
    ("DELETE", "/api/v1/templates/{key}", ADMINS, None),
    ("POST", "/api/v1/templates/{key}/preview", AGENTS, {"body": "{{reference}}"}),
    ("GET", "/api/v1/audit/verify", ALL, None),
    ("GET", "/api/v1/audit/events", ALL, None),
    ("POST", "/api/v1/discovery/mailbox", ADMINS, None),  # 415: no mailbox sent
    ("POST", "/api/v1/discovery/sso", ADMINS, None),
    ("POST", "/api/v1/discovery/dns", ADMINS, None),
    ("GET", "/api/v1/discovery/findings", ALL, None),
    ("POST", "/api/v1/discovery/findings/{id}/accept", ADMINS, None),  # 404: no such finding
    ("POST", "/api/v1/discovery/findings/{id}/dismiss", ADMINS, None),
    ("POST", "/api/v1/auth/logout", ALL, None),  # last: it ends the cookie session
]


class RouteRoleMatrix(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        admin = cls.server.admin()
        cls.request_id = admin.post("/api/v1/requests", {
            "type": "copy", "subject": {"email": "matrix@example.com"}}).json()["id"]
        cls.clients = {}
        for role in ("viewer", "agent", "admin"):
            email = f"{role}@example.com"
            password = cls.server.add_user(email, role)
            cookie = cls.server.client()
            assert cookie.login(email, password).status == 200
            cls.clients[(role, "cookie")] = cookie
            # Only admins mint tokens; a token capped at `role` stands for an automation
            # client of that role.
            bearer = cls.server.client()
            bearer.bearer = admin.post("/api/v1/tokens", {"name": role, "role": role}).json()["token"]
            cls.clients[(role, "token")] = bearer

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def fill(self, path, body, n):
        path = path.replace("{id}", self.request_id if "/requests/" in path else "tok_missing")
        path = path.replace("{key}", "vendor_reminder" if "/templates/" in path else "matrix_right")
        path = path.replace("{task_id}", "task_missing")
        path = path.replace("{token}", "0" * 32)
        if isinstance(body, dict):
            body = {k: (v.replace("{n}", str(n)) if isinstance(v, str) else v) for k, v in body.items()}
        return path, body

    def test_every_documented_route_is_in_the_table(self):
        doc = self.server.client().get("/api/v1/openapi.json").json()
        documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops
                      if m in ("get", "post", "put", "patch", "delete")}
        tabled = {(m, p.split("?")[0]) for m, p, _, _ in ROUTES}
        self.assertEqual(documented, tabled)

    def test_anonymous(self):
        anon = self.server.client()
        for n, (method, path, who, body) in enumerate(ROUTES):
            path, body = self.fill(path, body, n)
            r = anon.request(method, path, body=body)
            if who == PUBLIC:
                self.assertNotIn(r.status, (401, 403), (method, path, r))
            else:
                self.assertEqual(r.status, 401, (method, path, r))

    def test_each_role_with_cookie_and_token(self):
        n = 100
        for (role, kind), client in self.clients.items():
            for method, path, who, body in ROUTES:
                n += 1
                path, filled = self.fill(path, body, n)
                r = client.request(method, path, body=filled)
                allowed = who == PUBLIC or role in who
                ctx = (role, kind, method, path, r)
                if allowed:
                    self.assertNotIn(r.status, (401, 403), ctx)
                    self.assertLess(r.status, 500, ctx)
                else:
                    self.assertEqual(r.status, 403, ctx)


if __name__ == "__main__":
    unittest.main()
