"""HTTP-level behaviour of the server: errors, sessions, CSRF, tokens, limits, probes."""

import json
import os
import socket
import unittest

from harness import Server, ServerTest


class Errors(ServerTest):
    def setUp(self):
        self.c = self.server.admin()

    def assertError(self, r, status, code=None):
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.header("Content-Type"), "application/json")
        err = r.json()["error"]
        self.assertTrue(err["message"])
        if code:
            self.assertEqual(err["code"], code)

    def test_unknown_api_route_is_json_404(self):
        self.assertError(self.c.get("/api/v1/nothing-here"), 404, "not_found")

    def test_wrong_method_is_405_with_allow(self):
        r = self.c.request("DELETE", "/api/v1/requests")
        self.assertError(r, 405, "method_not_allowed")
        self.assertIn("GET", r.header("Allow"))
        self.assertIn("POST", r.header("Allow"))

    def test_body_over_the_route_limit_is_413(self):
        big = {"type": "deletion", "subject": {"email": "a@example.com"}, "details": "x" * 70000}
        self.assertError(self.c.post("/api/v1/requests", big), 413, "payload_too_large")
        anon = self.server.client()
        r = anon.post("/api/v1/auth/login", {"email": "a@example.com", "password": "p" * 9000})
        self.assertError(r, 413)

    def test_wrong_content_type_is_415(self):
        r = self.c.request("POST", "/api/v1/requests", raw=b"type=deletion",
                           content_type="application/x-www-form-urlencoded")
        self.assertError(r, 415, "unsupported_media_type")

    def test_malformed_json_is_400_naming_the_place(self):
        r = self.c.request("POST", "/api/v1/requests", raw=b'{"type": "deletion",')
        self.assertError(r, 400, "invalid_argument")
        self.assertIn("malformed JSON", r.json()["error"]["message"])
        r = self.c.request("POST", "/api/v1/requests", raw=b'[1,2]')
        self.assertError(r, 400)

    def test_bad_fields_are_named_and_nothing_is_stored(self):
        before = self.c.get("/api/v1/requests?limit=200").json()["items"]
        cases = [
            ({"type": "erase-all", "subject": {"email": "a@example.com"}}, "type"),
            ({"type": "deletion"}, "subject"),
            ({"type": "deletion", "subject": {"email": "not-an-email"}}, "subject.email"),
            ({"type": "deletion", "subject": {"email": "a@example.com", "phone": "call me"}},
             "subject.phone"),
            ({"type": "deletion", "subject": {"email": "a@example.com"}, "jurisdiction": "mars"},
             "jurisdiction"),
            ({"type": "deletion", "subject": {"email": "a@example.com"}, "details": 7}, "details"),
            ({"type": "deletion", "subject": {"email": "a@example.com"},
              "skip_verification": "yes"}, "skip_verification"),
        ]
        for body, field in cases:
            r = self.c.post("/api/v1/requests", body)
            self.assertError(r, 400, "invalid_argument")
            self.assertTrue(r.json()["error"]["message"].startswith(field), r)
        self.assertEqual(self.c.get("/api/v1/requests?limit=200").json()["items"], before)

    def test_bad_list_parameters(self):
        for q in ("status=open", "type=x", "limit=0", "limit=500", "overdue=maybe", "cursor=zzz",
                  "q=not-a-reference"):
            self.assertError(self.c.get("/api/v1/requests?" + q), 400)

    def test_not_found_request(self):
        self.assertError(self.c.get("/api/v1/requests/req_nope"), 404)


class Requests(ServerTest):
    def test_create_get_search_and_page(self):
        c = self.server.admin()
        ids = []
        for i in range(5):
            r = c.post("/api/v1/requests", {"type": "copy", "subject": {"email": f"Person{i}@Example.com",
                                                                       "name": "Grace Hopper"},
                                            "jurisdiction": "gdpr"})
            self.assertEqual(r.status, 201, r)
            body = r.json()
            self.assertEqual(body["status"], "review")
            self.assertEqual(body["channel"], "manual")
            self.assertEqual(body["subject"]["email"], f"person{i}@example.com")
            self.assertRegex(body["reference"], r"^RD-[0-9A-Z]{4}-[0-9A-Z]{4}$")
            ids.append(body["id"])
        got = c.get("/api/v1/requests/" + ids[0]).json()
        self.assertEqual(got["type"], "copy")
        self.assertIn(got["days_left"], (27, 28, 29, 30))
        found = c.get("/api/v1/requests?q=PERSON3%40example.com").json()["items"]
        self.assertEqual([x["id"] for x in found], [ids[3]])
        ref = got["reference"]
        self.assertEqual(c.get("/api/v1/requests?q=" + ref.lower()).json()["items"][0]["id"], ids[0])
        seen, cursor = [], None
        while True:
            r = c.get("/api/v1/requests?limit=2" + (f"&cursor={cursor}" if cursor else "")).json()
            seen += [x["id"] for x in r["items"]]
            cursor = r["next_cursor"]
            if not cursor:
                break
        self.assertEqual(sorted(seen), sorted(ids))
        v = c.get("/api/v1/requests?type=copy&status=review&jurisdiction=gdpr&limit=200").json()
        self.assertEqual(len(v["items"]), 5)
        self.assertEqual(c.get("/api/v1/requests?type=deletion").json()["items"], [])
        # Entered in the console (cookie): channel manual; none came from the Privacy Center.
        self.assertEqual(len(c.get("/api/v1/requests?channel=manual&limit=200").json()["items"]), 5)
        self.assertEqual(c.get("/api/v1/requests?channel=privacy_center").json()["items"], [])

    def test_dashboard_counts_requests_by_status(self):
        c = self.server.admin()
        before = c.get("/api/v1/dashboard").json()
        rid = c.post("/api/v1/requests", {"type": "deletion", "jurisdiction": "lgpd",
                                          "subject": {"email": "counted@example.com"}}).json()["id"]
        r = c.get("/api/v1/dashboard")
        self.assertEqual(r.status, 200, r)
        after = r.json()
        self.assertEqual(set(after["by_status"]), {"unverified", "review", "process", "reply", "closed"})
        self.assertEqual(after["by_status"]["review"], before["by_status"]["review"] + 1)
        self.assertEqual(after["open"], before["open"] + 1)
        self.assertEqual(after["overdue"], before["overdue"])
        c.post(f"/api/v1/requests/{rid}/reject", {"reason": "no_match"})
        moved = c.get("/api/v1/dashboard").json()
        self.assertEqual(moved["by_status"]["review"], before["by_status"]["review"])
        self.assertEqual(moved["by_status"]["reply"], before["by_status"]["reply"] + 1)
        self.assertIsInstance(before["median_days_to_close"], dict)
        # Reply & close: the request counts in the median days to close of its type.
        draft = c.get(f"/api/v1/requests/{rid}/reply").json()
        r = c.post(f"/api/v1/requests/{rid}/reply", {"subject": draft["subject"], "body": draft["body"]})
        self.assertEqual(r.status, 200, r)
        closed = c.get("/api/v1/dashboard").json()
        self.assertEqual(closed["by_status"]["closed"], before["by_status"]["closed"] + 1)
        median = closed["median_days_to_close"]["deletion"]
        self.assertIsInstance(median, (int, float))
        self.assertGreaterEqual(median, 0)
        self.assertLess(median, 1)  # closed within seconds of receipt
        self.assertEqual(self.server.client().get("/api/v1/dashboard").status, 401)


class Review(ServerTest):
    def test_reject_assign_and_history(self):
        admin = self.server.admin()
        agent_pw = self.server.add_user("reviewer@example.com", "agent")
        viewer_pw = self.server.add_user("watcher@example.com", "viewer")
        users = {u["email"]: u["id"] for u in admin.get("/api/v1/users").json()["items"]}
        rid = admin.post("/api/v1/requests", {"type": "deletion", "jurisdiction": "ccpa",
                                              "subject": {"email": "r@example.com"}}).json()["id"]
        agent = self.server.client()
        self.assertEqual(agent.login("reviewer@example.com", agent_pw).status, 200)

        r = agent.post(f"/api/v1/requests/{rid}/assign", {"assignee": users["reviewer@example.com"]})
        self.assertEqual((r.status, r.json()["assignee"]), (200, users["reviewer@example.com"]), r)
        r = agent.post(f"/api/v1/requests/{rid}/assign", {"assignee": users["watcher@example.com"]})
        self.assertEqual(r.status, 400, "viewers cannot be assigned")
        mine = agent.get("/api/v1/requests?assignee=" + users["reviewer@example.com"]).json()["items"]
        self.assertEqual([q["id"] for q in mine], [rid])

        r = agent.post(f"/api/v1/requests/{rid}/reject", {"reason": "because"})
        self.assertEqual(r.status, 400)
        self.assertIn("insufficient_verification", r.json()["error"]["message"])
        r = agent.post(f"/api/v1/requests/{rid}/reject",
                       {"reason": "no_match", "note": "No account with this address."})
        self.assertEqual(r.status, 200, r)
        q = r.json()
        self.assertEqual((q["status"], q["outcome"]), ("reply", "rejected"))
        self.assertEqual(q["rejection"], {"reason": "no_match", "note": "No account with this address."})
        r = agent.post(f"/api/v1/requests/{rid}/reject", {"reason": "no_match"})
        self.assertEqual(r.status, 409, "only requests in review can be rejected")
        self.assertIn("status reply", r.json()["error"]["message"])

        viewer = self.server.client()
        self.assertEqual(viewer.login("watcher@example.com", viewer_pw).status, 200)
        events = viewer.get(f"/api/v1/requests/{rid}/history").json()["events"]
        # Entered by an agent, the request was acknowledged by email at once.
        self.assertEqual([e["kind"] for e in events],
                         ["request.received", "email.queued", "request.assigned",
                          "request.rejected"])
        self.assertEqual(events[3]["actor"], "user:" + users["reviewer@example.com"])
        self.assertEqual(events[3]["detail"], {"reason": "no_match"})
        self.assertEqual(viewer.get("/api/v1/requests/req_nope/history").status, 404)


class Sessions(ServerTest):
    def test_login_cookie_is_httponly_strict_and_me_works(self):
        c = self.server.client()
        r = c.login("admin@rightsdesk.local", self.server.admin_password)
        self.assertEqual(r.status, 200)
        cookie = r.header("Set-Cookie")
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        self.assertNotIn("Secure", cookie)  # plain HTTP here; server.secure_cookies adds it
        behind_tls = self.server.client().post(
            "/api/v1/auth/login", {"email": "admin@rightsdesk.local", "password": self.server.admin_password},
            headers={"X-Forwarded-Proto": "https"})
        self.assertIn("; Secure", behind_tls.header("Set-Cookie"))
        me = c.get("/api/v1/me").json()
        self.assertEqual(me["email"], "admin@rightsdesk.local")
        self.assertEqual(me["role"], "admin")

    def test_wrong_password_and_unknown_user_look_the_same(self):
        c = self.server.client()
        a = c.login("admin@rightsdesk.local", "wrong password!")
        b = c.login("nobody@example.com", "wrong password!")
        self.assertEqual(a.status, 401)
        self.assertEqual(b.status, 401)
        self.assertEqual(a.json(), b.json())

    def test_cookie_writes_need_the_csrf_token(self):
        c = self.server.admin()
        body = {"type": "deletion", "subject": {"email": "csrf@example.com"}}
        r = c.post("/api/v1/requests", body, headers={"X-CSRF-Token": ""})
        self.assertEqual(r.status, 403, r)
        r = c.post("/api/v1/requests", body, headers={"X-CSRF-Token": "0" * 64})
        self.assertEqual(r.status, 403, r)
        self.assertEqual(c.post("/api/v1/requests", body).status, 201)
        self.assertEqual(c.get("/api/v1/requests").status, 200)  # reads need none

    def test_logout_ends_the_session(self):
        c = self.server.admin()
        self.assertEqual(c.post("/api/v1/auth/logout").status, 200)
        self.assertEqual(c.get("/api/v1/me").status, 401)

    def test_api_tokens(self):
        c = self.server.admin()
        r = c.post("/api/v1/tokens", {"name": "ci", "role": "agent"})
        self.assertEqual(r.status, 201, r)
        token = r.json()["token"]
        self.assertTrue(token.startswith("rdt_"))
        bot = self.server.client()
        bot.bearer = token
        me = bot.get("/api/v1/me").json()
        self.assertEqual(me["role"], "agent")
        self.assertEqual(me["auth"], "token")
        # Bearer calls need no CSRF token.
        r = bot.post("/api/v1/requests", {"type": "do_not_sell", "subject": {"email": "t@example.com"}})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["channel"], "api")
        self.assertEqual(bot.get("/api/v1/tokens").status, 403)  # an agent token is no admin
        listed = c.get("/api/v1/tokens").json()["items"]
        self.assertTrue(all("token" not in t and "token_hash" not in t for t in listed))
        tid = r.json() and [t["id"] for t in listed if t["name"] == "ci"][0]
        self.assertEqual(c.request("DELETE", "/api/v1/tokens/" + tid).status, 200)
        self.assertEqual(bot.get("/api/v1/me").status, 401)
        bot.bearer = "rdt_" + "0" * 64
        self.assertEqual(bot.get("/api/v1/me").status, 401)
        r = bot.get("/api/v1/me", headers={"Authorization": "Basic abc"})
        self.assertEqual(r.status, 401)

    def test_users_admin(self):
        c = self.server.admin()
        r = c.post("/api/v1/users", {"email": "New.Agent@example.com", "role": "agent",
                                     "password": "long enough password"})
        self.assertEqual(r.status, 201, r)
        self.assertNotIn("password_hash", r.json())
        self.assertEqual(c.post("/api/v1/users", {"email": "new.agent@example.com", "role": "agent",
                                                  "password": "long enough password"}).status, 409)
        r = c.post("/api/v1/users", {"email": "x@example.com", "role": "agent", "password": "short"})
        self.assertEqual(r.status, 400)
        self.assertIn("password", r.json()["error"]["message"])
        self.assertEqual(self.server.client().login("new.agent@example.com",
                                                    "long enough password").status, 200)


class LoginLimits(unittest.TestCase):
    def test_account_locks_after_failures(self):
        s = Server(env={"RIGHTSDESK_SECURITY__LOGIN_MAX_FAILURES": "3"}).start()
        try:
            c = s.client()
            for _ in range(3):
                self.assertEqual(c.login("admin@rightsdesk.local", "not the password").status, 401)
            r = c.login("admin@rightsdesk.local", s.admin_password)
            self.assertEqual(r.status, 429, r)
            self.assertIn("try again", r.json()["error"]["message"])
        finally:
            self.assertEqual(s.stop(), 0)

    def test_address_is_throttled_across_accounts(self):
        s = Server(env={"RIGHTSDESK_SECURITY__LOGIN_MAX_FAILURES_PER_IP": "4"}).start()
        try:
            c = s.client()
            for i in range(4):
                self.assertEqual(c.login(f"user{i}@example.com", "whatever pass").status, 401)
            self.assertEqual(c.login("admin@rightsdesk.local", s.admin_password).status, 429)
        finally:
            self.assertEqual(s.stop(), 0)


class Probes(ServerTest):
    def test_health_ready_metrics_openapi(self):
        c = self.server.client()
        self.assertEqual(c.get("/healthz").json(), {"status": "ok"})
        self.assertEqual(c.get("/readyz").json(), {"status": "ready"})
        c.get("/api/v1/nothing")
        m = c.get("/metrics")
        self.assertEqual(m.status, 200)
        text = m.body.decode()
        self.assertIn('rightsdesk_http_requests_total{method="GET",route="/healthz",status="200"}', text)
        self.assertIn('route="unmatched",status="404"', text)
        self.assertIn('rightsdesk_http_request_duration_seconds_bucket{route="/healthz",le="+Inf"}', text)
        self.assertIn('rightsdesk_jobs{status="queued"} 0', text)
        self.assertIn("rightsdesk_database_up 1", text)
        doc = c.get("/api/v1/openapi.json").json()
        self.assertTrue(doc["openapi"].startswith("3."))
        self.assertIn("/api/v1/requests", doc["paths"])


class StaticFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.web = os.path.join(Server().dir, "web")
        os.makedirs(os.path.join(cls.web, "assets"))
        with open(os.path.join(cls.web, "index.html"), "w") as f:
            f.write("<!doctype html><title>Rightsdesk</title>")
        os.makedirs(os.path.join(cls.web, "privacy"))
        with open(os.path.join(cls.web, "privacy", "index.html"), "w") as f:
            f.write("<!doctype html><title>Privacy Center</title>")
        with open(os.path.join(cls.web, "assets", "app.js"), "w") as f:
            f.write("console.log('hi')")
        cls.server = Server(config=f"server:\n  web_dir: {cls.web}\n").start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def raw_get(self, target):
        with socket.create_connection(("127.0.0.1", self.server.port)) as s:
            s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        return data.decode(errors="replace")

    def test_serves_assets_and_app_routes(self):
        c = self.server.client()
        r = c.get("/")
        self.assertEqual(r.status, 200)
        self.assertIn(b"Rightsdesk", r.body)
        self.assertTrue(r.header("Content-Type").startswith("text/html"))
        r = c.get("/assets/app.js")
        self.assertTrue(r.header("Content-Type").startswith("text/javascript"))
        self.assertEqual(c.get("/privacy/requests/abc").status, 200)  # client-side route
        with open(os.path.join(self.web, "privacy", "index.html")) as f:
            privacy_page = f.read().encode()
        # The Privacy Center's own page for its routes; the console's for everything else.
        self.assertEqual(c.get("/privacy/requests/abc?token=00").body, privacy_page)
        self.assertEqual(c.get("/privacy/requests/abc/verify?token=00").body, privacy_page)
        self.assertIn(b"Rightsdesk", c.get("/requests/abc").body)
        self.assertEqual(c.get("/assets/missing.js").status, 404)

    def test_path_traversal_is_refused(self):
        for target in ("/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                       "/assets/..%2f..%2f..%2fetc/passwd", "/assets/%00.js"):
            resp = self.raw_get(target)
            self.assertNotIn("root:", resp, target)
            self.assertTrue(resp.startswith("HTTP/1.1 404") or resp.startswith("HTTP/1.1 400"),
                            target + ": " + resp[:40])


class Lifecycle(unittest.TestCase):
    def test_sigterm_stops_cleanly(self):
        s = Server().start()
        self.assertEqual(s.stop(), 0)
        self.assertIn('"msg":"stopped"', s.stderr())

    def test_bad_configuration_exits_2_naming_the_key(self):
        s = Server()
        s.database = None  # the cases below bring their own --database
        cases = [
            (["serve", "--listen", "nowhere"], {}, "server.listen"),
            (["serve"], {"RIGHTSDESK_SMTP__PORT": "seventy"}, "smtp.port"),
            (["serve"], {"RIGHTSDESK_NO_SUCH__KEY": "1"}, "no_such.key"),
            (["serve", "--database", "mysql://x/y"], {}, "database.url"),
        ]
        for args, env, key in cases:
            s.env.update(env)
            p = s.run_cli(*args)
            for k in env:
                del s.env[k]
            self.assertEqual(p.returncode, 2, (args, env, p.stderr))
            self.assertIn(key, p.stderr)
        path = os.path.join(s.dir, "bad.yaml")
        with open(path, "w") as f:
            f.write("server:\n  listen: [1, 2\n")
        p = s.run_cli("serve", "--config", path)
        self.assertEqual(p.returncode, 2)
        self.assertIn("bad.yaml:", p.stderr)

    def test_port_in_use_is_a_clear_error(self):
        a = Server().start()
        try:
            b = Server(extra_args=["--listen", f"127.0.0.1:{a.port}"])
            p = b.run_cli("serve", "--listen", f"127.0.0.1:{a.port}")
            self.assertEqual(p.returncode, 1)
            self.assertIn(f"127.0.0.1:{a.port}", p.stderr)
        finally:
            a.stop()


class NoPersonalDataInLogs(unittest.TestCase):
    def test_scenario_leaves_no_identities_in_the_log(self):
        s = Server(env={"RIGHTSDESK_LOG__LEVEL": "debug"}).start()
        email, name, phone = "jane.roe+dsar@example.org", "Jane Roe", "+1 415 555 0134"
        try:
            c = s.admin()
            r = c.post("/api/v1/requests", {"type": "deletion", "jurisdiction": "ccpa",
                                            "subject": {"email": email, "name": name, "phone": phone},
                                            "details": f"I am {name}, call {phone} or write {email}"})
            self.assertEqual(r.status, 201, r)
            c.get("/api/v1/requests?q=" + email.replace("+", "%2B"))
            c.get("/api/v1/requests/" + r.json()["id"])
            c.post("/api/v1/requests", {"type": "deletion", "subject": {"email": "broken"},
                                        "details": email})
            s.client().login(email, "wrong password!")
            s.client().post("/api/v1/privacy-center/requests",
                            {"type": "copy", "email": email, "name": name, "phone": phone})
            c.post("/api/v1/users", {"email": "agent.smith@example.org", "role": "agent",
                                     "password": "long enough password"})
        finally:
            self.assertEqual(s.stop(), 0)
        log = s.stderr()
        self.assertIn('"msg":"http request"', log)
        for secret in (email, "jane.roe", name, "Jane", "555 0134", "4155550134", "agent.smith"):
            self.assertNotIn(secret, log)
        for line in log.splitlines():
            json.loads(line)  # every line is JSON


if __name__ == "__main__":
    unittest.main()
