"""The SMTP sink the HTTP tests send to (aiosmtpd, started by scripts/test-smtp through ctest's
smtp fixture) and reading what it received from its Maildir. The sink is shared by every test
of a run: tests tag their addresses to find their own messages."""

import email
import email.policy
import glob
import os
import time

SMTP = os.environ.get("RD_TEST_SMTP", "")
MAILDIR = os.environ.get("RD_TEST_SMTP_DIR", "")


def smtp_env(**extra):
    """Environment for a server that mails through the sink as "Example Shop"."""
    host, port = SMTP.split(":")
    env = {"RIGHTSDESK_SMTP__HOST": host, "RIGHTSDESK_SMTP__PORT": port,
           "RIGHTSDESK_SMTP__STARTTLS": "false", "RIGHTSDESK_SMTP__FROM": "privacy@shop.example",
           "RIGHTSDESK_PRIVACY_CENTER__ORG_NAME": "Example Shop"}
    env.update(extra)
    return env


def mails_to(to):
    """Every message delivered to `to`, oldest first, parsed."""
    out = []
    for path in sorted(glob.glob(os.path.join(MAILDIR, "new", "*")), key=os.path.getmtime):
        with open(path, "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        if msg["To"] == to:
            out.append(msg)
    return out


def wait_for_mail(to, subject_contains=None, timeout=20):
    """The newest message to `to` (whose Subject contains `subject_contains`, when given);
    waits for the job queue to send it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for msg in reversed(mails_to(to)):
            if subject_contains is None or subject_contains in str(msg["Subject"]):
                return msg
        time.sleep(0.1)
    raise AssertionError(f"no email to {to} ({subject_contains or 'any'}) within {timeout} s")


def wait_for_mails(to, count=1, timeout=20, subject_prefix=""):
    """Waits until at least `count` messages to `to` (with the subject prefix) arrived."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = [m for m in mails_to(to) if m["Subject"].startswith(subject_prefix)]
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"fewer than {count} emails to {to} within {timeout} s")
