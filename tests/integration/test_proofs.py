"""An authorized agent's proof of authority over HTTP: the public upload with the status token
(sniffed type, 5 MiB limit, one per request), its place in the request view, and the download
by agents and admins only, audited."""

import hashlib
import secrets
import unittest

from harness import ServerTest
from smtp_sink import SMTP, smtp_env

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form(fields, boundary="rdproofboundary"):
    """A multipart/form-data body of (name, filename or None, bytes)."""
    out = b""
    for name, filename, content in fields:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        out += (f"--{boundary}\r\nContent-Disposition: {disp}\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + content + b"\r\n"
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@unittest.skipUnless(SMTP, "needs the smtp fixture (RD_TEST_SMTP)")
class Proofs(ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.server_args = {"env": smtp_env(RIGHTSDESK_PRIVACY_CENTER__LIMIT_PER_ADDRESS_PER_HOUR="0")}
        super().setUpClass()
        cls.admin_client = cls.server.admin()
        cls.clients = {}
        for role in ("viewer", "agent"):
            email = f"{role}-{secrets.token_hex(3)}@example.com"
            password = cls.server.add_user(email, role)
            c = cls.server.client()
            assert c.login(email, password).status == 200
            cls.clients[role] = c

    def submit(self, requester_type="authorized_agent"):
        r = self.server.client().post("/api/v1/privacy-center/requests", {
            "type": "deletion", "email": f"proof-{secrets.token_hex(4)}@example.org",
            "requester_type": requester_type})
        self.assertEqual(r.status, 202, r)
        return r.json()["id"], r.json()["status_token"]

    def upload(self, rid, token, filename, content, ctype=None):
        data, multipart_type = form([("token", None, token.encode()), ("file", filename, content)])
        return self.server.client().request(
            "POST", f"/api/v1/privacy-center/requests/{rid}/proof", raw=data,
            content_type=ctype or multipart_type)

    def test_upload_view_and_download(self):
        rid, token = self.submit()
        r = self.upload(rid, token, "Vollmacht Müller.pdf", PDF)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json()["media_type"], "application/pdf")
        self.assertEqual(r.json()["size"], len(PDF))
        self.assertEqual(r.json()["sha256"], hashlib.sha256(PDF).hexdigest())

        # The status page (with the token) shows what is stored.
        page = self.server.client().get(f"/api/v1/privacy-center/requests/{rid}?token={token}").json()
        self.assertEqual(page["requester_type"], "authorized_agent")
        self.assertEqual(page["proof"]["file_name"], "Vollmacht Müller.pdf")
        self.assertEqual(page["proof"]["size"], len(PDF))

        view = self.clients["viewer"].get(f"/api/v1/requests/{rid}").json()
        self.assertEqual(view["proof"]["file_name"], "Vollmacht Müller.pdf")
        self.assertEqual(view["proof"]["size"], len(PDF))

        r = self.clients["agent"].get(f"/api/v1/requests/{rid}/proof")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body, PDF)
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        self.assertIn("attachment", r.header("Content-Disposition"))
        self.assertIn("filename*=UTF-8''Vollmacht%20M%C3%BCller.pdf", r.header("Content-Disposition"))
        self.assertIn("sandbox", r.header("Content-Security-Policy"))
        self.assertEqual(self.admin_client.get(f"/api/v1/requests/{rid}/proof").status, 200)

        # Refused for viewers and without authentication.
        self.assertEqual(self.clients["viewer"].get(f"/api/v1/requests/{rid}/proof").status, 403)
        self.assertEqual(self.server.client().get(f"/api/v1/requests/{rid}/proof").status, 401)

        # A re-upload replaces it.
        r = self.upload(rid, token, "scan.png", PNG)
        self.assertEqual(r.status, 201, r)
        r = self.clients["agent"].get(f"/api/v1/requests/{rid}/proof")
        self.assertEqual((r.body, r.header("Content-Type")), (PNG, "image/png"))

        history = self.clients["agent"].get(f"/api/v1/requests/{rid}/history").json()["events"]
        kinds = [e["kind"] for e in history]
        self.assertEqual(kinds.count("proof.uploaded"), 2)
        self.assertEqual(kinds.count("proof.downloaded"), 3)
        for e in history:
            if e["kind"].startswith("proof."):
                self.assertNotIn("Vollmacht", str(e["detail"]))
                self.assertNotIn("scan.png", str(e["detail"]))

    def test_bad_uploads(self):
        rid, token = self.submit()
        # Over 5 MiB: the service's 413 just above the limit, the dispatcher's well above it.
        r = self.upload(rid, token, "big.pdf", b"%PDF-" + b"x" * (5 * 1024 * 1024))
        self.assertEqual(r.status, 413, r)
        self.assertTrue(r.json()["error"]["message"].startswith("file: "), r)
        r = self.upload(rid, token, "huge.pdf", b"%PDF-" + b"x" * (6 * 1024 * 1024))
        self.assertEqual(r.status, 413, r)
        # Not a PDF, PNG or JPEG, whatever its name says.
        r = self.upload(rid, token, "letter.pdf", b"<html><script>alert(1)</script></html>")
        self.assertEqual(r.status, 415, r)
        self.assertTrue(r.json()["error"]["message"].startswith("file: "), r)
        r = self.upload(rid, token, "empty.pdf", b"")
        self.assertEqual(r.status, 400, r)
        # Not multipart at all.
        r = self.server.client().request("POST", f"/api/v1/privacy-center/requests/{rid}/proof",
                                         raw=PDF, content_type="application/pdf")
        self.assertEqual(r.status, 415, r)
        # A wrong token and an unknown request look the same.
        self.assertEqual(self.upload(rid, "0" * 32, "a.pdf", PDF).status, 404)
        self.assertEqual(self.upload("req_missing", token, "a.pdf", PDF).status, 404)
        # Missing field.
        data, ctype = form([("token", None, token.encode())])
        r = self.server.client().request("POST", f"/api/v1/privacy-center/requests/{rid}/proof",
                                         raw=data, content_type=ctype)
        self.assertEqual(r.status, 400, r)
        # Nothing was stored.
        self.assertIsNone(self.clients["agent"].get(f"/api/v1/requests/{rid}").json()["proof"])
        self.assertEqual(self.clients["agent"].get(f"/api/v1/requests/{rid}/proof").status, 404)

    def test_only_for_authorized_agents(self):
        rid, token = self.submit("consumer")
        self.assertEqual(self.upload(rid, token, "a.pdf", PDF).status, 409)
        page = self.server.client().get(f"/api/v1/privacy-center/requests/{rid}?token={token}").json()
        self.assertEqual((page["requester_type"], page["proof"]), ("consumer", None))
        self.assertIsNone(self.clients["agent"].get(f"/api/v1/requests/{rid}").json()["proof"])


if __name__ == "__main__":
    unittest.main()
