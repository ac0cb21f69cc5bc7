"""A Mailchimp Marketing API 3.0 stand-in: the endpoints connectors/saas/mailchimp.yml uses.

Seed: {"lists": [{"id", "name"}], "members": [{"list_id", "email_address", "full_name",
"status", "merge_fields"}]}; a member's id is the MD5 of its lower-cased email (the
subscriber hash). Auth: HTTP Basic, any user name, the API key as password.
"""

import base64
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from standin import StandIn, serve  # noqa: E402


def subscriber_hash(email):
    return hashlib.md5(email.lower().encode()).hexdigest()


class Mailchimp(StandIn):
    routes = [
        ("GET", r"/3\.0/ping", "ping"),
        ("GET", r"/3\.0/search-members", "search_members"),
        ("POST", r"/3\.0/lists/([^/]+)/members/([0-9a-f]{32})/actions/delete-permanent",
         "delete_permanent"),
        ("PATCH", r"/3\.0/lists/([^/]+)/members/([0-9a-f]{32})", "update_member"),
        ("GET", r"/3\.0/lists/([^/]+)/members/([0-9a-f]{32})", "get_member"),
    ]

    def __init__(self, *a):
        super().__init__(*a)
        for m in self.data["members"]:
            m["id"] = subscriber_hash(m["email_address"])

    def auth_ok(self, headers, query):
        auth = headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return False
        _, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        return password == self.key

    def unauthorized(self):
        return 401, {"type": "https://mailchimp.com/developer/marketing/docs/errors/",
                     "title": "API Key Invalid", "status": 401}

    def not_found(self):
        return 404, {"title": "Resource Not Found", "status": 404}

    def find(self, list_id, h):
        for m in self.data["members"]:
            if m["list_id"] == list_id and m["id"] == h:
                return m
        return None

    def ping(self, **_):
        return 200, {"health_status": "Everything's Chimpy!"}

    def search_members(self, query, **_):
        q = query.get("query", "").lower()
        exact = [m for m in self.data["members"] if m["email_address"].lower() == q]
        return 200, {"exact_matches": {"members": exact, "total_items": len(exact)},
                     "full_search": {"members": [], "total_items": 0}}

    def get_member(self, list_id, h, **_):
        m = self.find(list_id, h)
        return (200, m) if m else self.not_found()

    def delete_permanent(self, list_id, h, **_):
        m = self.find(list_id, h)
        if not m:
            return self.not_found()
        self.data["members"].remove(m)
        return 204, None

    def update_member(self, list_id, h, raw, **_):
        m = self.find(list_id, h)
        if not m:
            return self.not_found()
        body = json.loads(raw or b"{}")
        if body.get("status") not in (None, "subscribed", "unsubscribed", "cleaned", "pending"):
            return 400, {"title": "Invalid Resource", "status": 400}
        m.update(body)
        return 200, m


if __name__ == "__main__":
    serve(Mailchimp)
