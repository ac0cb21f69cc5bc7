"""System discovery over HTTP and the CLI: mailbox, SSO and DNS imports, findings, accept and
dismiss, and bad inputs (each a clear 4xx that stores nothing).

The server runs without a bundled catalog in this branch, so the assertions hold with or
without catalog matches: unknown domains are used where the catalog would change the answer.
"""

import io
import os
import tempfile
import unittest
import zipfile

from harness import ServerTest

VENDOR = "rdtest-vendor.io"  # never in a catalog


def message(sender, to, date, extra="", body="Hello.\n"):
    return (f"From: {sender}\nTo: {to}\nDate: {date}\n{extra}Subject: hi\n\n{body}")


def messages():
    return [
        message("News <news@shop-rdtest.co.uk>", "alice@ourco-rdtest.com",
                "Mon, 05 Jan 2026 10:00:00 +0000",
                "Return-Path: <bounce-mc.us5_1@mail181.suw11.mcsv.net>\n",
                body="Support by Zendesk: support@zendesk.com\nFrom: support@zendesk.com\n"),
        message("News <news@shop-rdtest.co.uk>", "bob@ourco-rdtest.com",
                "Tue, 10 Mar 2026 08:30:00 +0100",
                "Return-Path: <bounce-mc.us5_2@mail9.atl11.mcsv.net>\n"),
        message("Other <news@other-rdtest.co.uk>", "alice@ourco-rdtest.com",
                "Sun, 01 Feb 2026 10:00:00 +0000",
                "Return-Path: <bounce-mc.us5_3@mail9.atl11.mcsv.net>\n"),
        message(f"=?UTF-8?Q?Vendor_=C3=89quipe?= <hello@{VENDOR}>", "alice@ourco-rdtest.com",
                "Thu, 01 Jan 2026 00:00:00 +0000"),
        message(f"hello@{VENDOR}", "bob@ourco-rdtest.com", "Fri, 02 Jan 2026 00:00:00 +0000"),
        message(f"hello@{VENDOR}", "bob@ourco-rdtest.com, carol@ourco-rdtest.com",
                "Sat, 03 Jan 2026 12:00:00 +0000"),
        # Malformed: no sender; a date that does not parse.
        "To: bob@ourco-rdtest.com\nDate: Mon, 05 Jan 2026 00:00:00 +0000\n\nx\n",
        message(f"hello@{VENDOR}", "bob@ourco-rdtest.com", "someday"),
    ]


def mbox(msgs=None):
    return "".join("From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n" + m + "\n"
                   for m in (msgs or messages())).encode()


def maildir_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i, m in enumerate(messages()):
            z.writestr(f"Maildir/{'new' if i % 2 else 'cur'}/{i}.host:2,S", m)
        z.writestr("Maildir/dovecot-uidlist", "3 V1\n")
    return buf.getvalue()


def multipart(field, filename, content, boundary="rdtestboundary"):
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
            f"filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), \
        f"multipart/form-data; boundary={boundary}"


def by_domain(findings):
    return {f["domain"]: f for f in findings}


class Discovery(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.server.admin()

    def upload(self, path, data, content_type, client=None):
        return (client or self.admin).post(path, raw=data, content_type=content_type)

    def findings(self, status=None):
        q = f"?status={status}" if status else ""
        r = self.admin.get("/api/v1/discovery/findings" + q)
        self.assertEqual(r.status, 200, r)
        return r.json()["items"]

    def check_mailbox_findings(self, body):
        self.assertEqual(body["read"], 6)
        self.assertEqual(body["skipped"], 2)
        found = by_domain(body["findings"])
        mc = found["mcsv.net"]  # Mailchimp's bounce domain, seen only in Return-Path
        self.assertEqual(mc["messages"], 3)
        self.assertEqual(mc["first_seen"], "2026-01-05T10:00:00Z")
        self.assertEqual(mc["last_seen"], "2026-03-10T07:30:00Z")
        self.assertEqual(mc["recipients"], 2)
        self.assertEqual(mc["signals"], ["return_path"])
        self.assertIn(mc["catalog_id"], (None, "mailchimp"))
        v = found[VENDOR]
        self.assertIsNone(v["catalog_id"])
        self.assertEqual(v["name"], VENDOR)
        self.assertEqual(v["messages"], 3)
        self.assertEqual(v["recipients"], 3)
        self.assertEqual(v["source"], "mailbox")
        self.assertEqual(v["status"], "new")
        self.assertTrue(v["id"].startswith("fnd_"))
        # A vendor named only in a body is never found; two messages are too few for an
        # unknown domain (mcsv.net, with three, is a finding with or without the catalog); the
        # recipients' own domain is not a system.
        for absent in ("zendesk.com", "shop-rdtest.co.uk", "ourco-rdtest.com"):
            self.assertNotIn(absent, found)
        return found

    def test_1_mbox_upload_then_a_rerun_merges(self):
        r = self.upload("/api/v1/discovery/mailbox", mbox(), "application/mbox")
        self.assertEqual(r.status, 200, r)
        first = self.check_mailbox_findings(r.json())
        r = self.upload("/api/v1/discovery/mailbox", mbox(), "application/mbox")
        self.assertEqual(r.status, 200, r)
        again = by_domain(r.json()["findings"])
        self.assertEqual(again[VENDOR]["id"], first[VENDOR]["id"])
        self.assertEqual(again[VENDOR]["messages"], 6)
        self.assertEqual(again[VENDOR]["recipients"], 3)
        listed = [f for f in self.findings() if f["domain"] == VENDOR]
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0]["messages"], 6)

    def test_2_zipped_maildir_and_single_eml(self):
        fresh = self.server.__class__().start()
        try:
            admin = fresh.admin()
            data, ctype = multipart("file", "Maildir.zip", maildir_zip())
            r = self.upload("/api/v1/discovery/mailbox", data, ctype, admin)
            self.assertEqual(r.status, 200, r)
            self.check_mailbox_findings(r.json())
            r = self.upload("/api/v1/discovery/mailbox", maildir_zip(), "application/zip", admin)
            self.assertEqual(r.status, 200, r)
            r = self.upload("/api/v1/discovery/mailbox", messages()[0].encode(), "message/rfc822",
                            admin)
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.json()["read"], 1)
            self.assertEqual(r.json()["skipped"], 0)
            # One message is below the threshold for a domain the (empty) catalog lacks.
            self.assertLessEqual(len(r.json()["findings"]), 1)
            data, ctype = multipart("file", "export.mbox", mbox())
            r = self.upload("/api/v1/discovery/mailbox", data, ctype, admin)
            self.assertEqual(r.status, 200, r)
        finally:
            fresh.stop()

    def test_3_bad_mailbox_inputs_are_4xx_and_store_nothing(self):
        before = self.findings()
        png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
        cases = [
            (png, "application/mbox", 400, "not an mbox"),
            (b"hello world\n", "message/rfc822", 400, "not an email message"),
            (b"", "application/mbox", 400, "empty"),
            (b"PK\x03\x04junk", "application/zip", 400, "not a readable zip"),
            (mbox(), "application/json", 415, "application/mbox"),
            (mbox(), "text/plain", 415, "multipart/form-data"),
            (b"--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--\r\n",
             "multipart/form-data; boundary=b", 400, "file: missing multipart field"),
            (mbox(), "multipart/form-data", 400, "boundary"),
        ]
        for data, ctype, status, text in cases:
            r = self.upload("/api/v1/discovery/mailbox", data, ctype)
            self.assertEqual(r.status, status, (ctype, r))
            self.assertIn(text, r.json()["error"]["message"], (ctype, r))
        zipped = io.BytesIO()
        with zipfile.ZipFile(zipped, "w") as z:
            z.writestr("readme.txt", "no mail here")
        r = self.upload("/api/v1/discovery/mailbox", zipped.getvalue(), "application/zip")
        self.assertEqual(r.status, 400, r)
        self.assertIn("no Maildir", r.json()["error"]["message"])
        big = b"From x Thu Jan  1 00:00:00 2026\n" + b"x" * (5 * 1024 * 1024)
        r = self.upload("/api/v1/discovery/mailbox", big, "application/mbox")
        self.assertEqual(r.status, 413, r)
        self.assertEqual(self.findings(), before)

    def test_4_sso_export(self):
        csv = ("Application,App Label,Status,Users,Last Used\n"
               "rdtest_payroll,Payroll RDTest,ACTIVE,12,2026-01-15\n"
               "rdtest_payroll,Payroll RDTest,ACTIVE,14,2026-02-15\n"
               ",,ACTIVE,5,\n")
        r = self.upload("/api/v1/discovery/sso", csv.encode(), "text/csv")
        self.assertEqual(r.status, 200, r)
        body = r.json()
        self.assertEqual(body["read"], 2)
        self.assertEqual(body["skipped"], 1)
        [f] = body["findings"]
        self.assertEqual(f["name"], "Payroll RDTest")
        self.assertEqual(f["source"], "sso")
        self.assertIsNone(f["domain"])
        self.assertEqual(f["recipients"], 14)
        self.assertEqual(f["first_seen"], "2026-01-15T00:00:00Z")
        self.assertEqual(f["last_seen"], "2026-02-15T00:00:00Z")
        data, ctype = multipart("file", "okta.csv", csv.encode())
        self.assertEqual(self.upload("/api/v1/discovery/sso", data, ctype).status, 200)
        for data, ctype, status in [(b"name;users\nx;1\n", "text/csv", 400),
                                    (b"", "text/csv", 400),
                                    (csv.encode(), "application/json", 415),
                                    (b"x" * (2 * 1024 * 1024), "text/csv", 413)]:
            r = self.upload("/api/v1/discovery/sso", data, ctype)
            self.assertEqual(r.status, status, r)
        self.assertIn("csv: no application column",
                      self.upload("/api/v1/discovery/sso", b"a,b\n1,2\n", "text/csv")
                      .json()["error"]["message"])

    def test_5_dns_records(self):
        text = ('ourco.com. 300 IN TXT "v=spf1 include:spf.rdtest-mailer.net include:servers.mcsv.net ~all"\n'
                'ourco.com. 300 IN TXT "atlassian-domain-verification=abc"\n'
                "MS=ms1234\n")
        r = self.upload("/api/v1/discovery/dns", text.encode(), "text/plain")
        self.assertEqual(r.status, 200, r)
        found = by_domain(r.json()["findings"])
        self.assertEqual(found["rdtest-mailer.net"]["signals"], ["spf"])
        self.assertEqual(found["rdtest-mailer.net"]["source"], "dns")
        self.assertIn("mcsv.net", found)
        self.assertEqual(found["atlassian.com"]["signals"], ["txt:atlassian-domain-verification"])
        self.assertIn("microsoft.com", found)
        for data, ctype, status in [(b"hello world\n", "text/plain", 400),
                                    (text.encode(), "text/csv", 415),
                                    (b"x" * (300 * 1024), "text/plain", 413)]:
            r = self.upload("/api/v1/discovery/dns", data, ctype)
            self.assertEqual(r.status, status, r)

    def test_6_accept_and_dismiss(self):
        self.upload("/api/v1/discovery/mailbox", mbox(), "application/mbox")
        vendor = next(f for f in self.findings("new") if f["domain"] == VENDOR)
        path = f"/api/v1/discovery/findings/{vendor['id']}"
        # Bad choices: a clear 400 naming the field, and nothing stored.
        for body, field in [({"category": "Not A Category!"}, "category:"),
                            ({"colour": "red"}, "colour: unknown field"),
                            ({"request_handling": "yes"}, "request_handling")]:
            r = self.admin.post(path + "/accept", body)
            self.assertEqual(r.status, 400, r)
            self.assertIn(field, r.json()["error"]["message"])
        r = self.admin.post(path + "/accept", raw=b"{", content_type="application/json")
        self.assertEqual(r.status, 400, r)
        self.assertEqual(self.admin.get("/api/v1/data-sources").json()["items"], [])
        r = self.admin.post(path + "/accept", {"name": "RDTest Vendor"})
        self.assertEqual(r.status, 201, r)
        ds = r.json()
        self.assertEqual(ds["name"], "RDTest Vendor")
        self.assertEqual(ds["process"], "manual")
        self.assertEqual(ds["category"], "other")
        self.assertTrue(ds["request_handling"])
        self.assertIn(VENDOR, ds["instructions"])
        self.assertEqual(self.admin.get(f"/api/v1/data-sources/{ds['id']}").status, 200)
        accepted = [f for f in self.findings("accepted") if f["id"] == vendor["id"]]
        self.assertEqual(accepted[0]["data_source_id"], ds["id"])
        self.assertEqual(self.admin.post(path + "/accept").status, 409)
        self.assertEqual(self.admin.post(path + "/dismiss").status, 409)
        self.assertEqual(self.admin.post("/api/v1/discovery/findings/fnd_missing/accept").status, 404)
        self.assertEqual(self.admin.post("/api/v1/discovery/findings/fnd_missing/dismiss").status, 404)

        other = next(f for f in self.findings("new") if f["domain"] == "mcsv.net")
        r = self.admin.post(f"/api/v1/discovery/findings/{other['id']}/dismiss")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["status"], "dismissed")
        self.assertEqual(self.admin.post(f"/api/v1/discovery/findings/{other['id']}/dismiss").status, 200)
        self.assertIn(other["id"], [f["id"] for f in self.findings("dismissed")])
        self.assertNotIn(other["id"], [f["id"] for f in self.findings("new")])
        r = self.admin.get("/api/v1/discovery/findings?status=maybe")
        self.assertEqual(r.status, 400, r)
        self.assertIn("status:", r.json()["error"]["message"])

    def test_7_audit_holds_counts_not_domains_or_addresses(self):
        r = self.admin.get("/api/v1/audit/events?limit=500")
        self.assertEqual(r.status, 200, r)
        text = r.body.decode()
        self.assertIn("discovery.imported", text)
        for secret in ("ourco-rdtest.com", "alice@", VENDOR):
            self.assertNotIn(secret, text)

    def test_8_cli_discovers_from_files(self):
        with tempfile.TemporaryDirectory() as d:
            md = os.path.join(d, "Maildir")
            for i, m in enumerate(messages()):
                sub = os.path.join(md, "new" if i % 2 else "cur")
                os.makedirs(sub, exist_ok=True)
                with open(os.path.join(sub, f"{i}.host"), "w") as f:
                    f.write(m)
            p = self.server.run_cli("discover", "mailbox", md)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn(VENDOR, p.stdout)
            self.assertIn("6 read, 2 skipped", p.stdout)
            mb = os.path.join(d, "export.mbox")
            with open(mb, "wb") as f:
                f.write(mbox())
            p = self.server.run_cli("discover", "mailbox", mb)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("mcsv.net", p.stdout)
            dns = os.path.join(d, "dns.txt")
            with open(dns, "w") as f:
                f.write("v=spf1 include:spf.rdtest-cli.net -all\n")
            p = self.server.run_cli("discover", "dns", dns)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("rdtest-cli.net", p.stdout)
            csv = os.path.join(d, "apps.csv")
            with open(csv, "w") as f:
                f.write("App name,Users\nRDTest CLI App,3\n")
            p = self.server.run_cli("discover", "sso", csv)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("RDTest CLI App", p.stdout)
            png = os.path.join(d, "photo.png")
            with open(png, "wb") as f:
                f.write(b"\x89PNG\r\n\x1a\n")
            p = self.server.run_cli("discover", "mailbox", png)
            self.assertEqual(p.returncode, 2)
            self.assertIn("photo.png: not a mailbox", p.stderr)
            p = self.server.run_cli("discover", "dns", os.path.join(d, "missing.txt"))
            self.assertEqual(p.returncode, 2)
        stored = [f for f in self.findings() if f["domain"] == "rdtest-cli.net"]
        self.assertEqual(len(stored), 1)


if __name__ == "__main__":
    unittest.main()
