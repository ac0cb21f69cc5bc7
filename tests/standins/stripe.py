"""A Stripe API stand-in: the endpoints connectors/saas/stripe.yml uses.

Seed: {"customers": [{"id", "email", "name", ...}], "charges": [{"id", "customer", ...}],
"payment_intents": [{"id", "customer", ...}]}. Auth: Bearer secret key. Lists page with
limit / starting_after / has_more, as Stripe's do; a deleted customer disappears from lists
and its charges stay.
"""

import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from standin import StandIn, serve  # noqa: E402


def page(items, query, url):
    limit = int(query.get("limit", "10"))
    if not 1 <= limit <= 100:
        return 400, {"error": {"type": "invalid_request_error", "param": "limit"}}
    after = query.get("starting_after")
    if after:
        ids = [i["id"] for i in items]
        if after not in ids:
            return 400, {"error": {"type": "invalid_request_error", "param": "starting_after"}}
        items = items[ids.index(after) + 1:]
    return 200, {"object": "list", "data": items[:limit], "has_more": len(items) > limit,
                 "url": url}


class Stripe(StandIn):
    routes = [
        ("GET", r"/v1/customers", "list_customers"),
        ("DELETE", r"/v1/customers/([A-Za-z0-9_]+)", "delete_customer"),
        ("POST", r"/v1/customers/([A-Za-z0-9_]+)", "update_customer"),
        ("GET", r"/v1/charges", "list_charges"),
        ("GET", r"/v1/payment_intents", "list_payment_intents"),
    ]

    def auth_ok(self, headers, query):
        return headers.get("Authorization", "") == "Bearer " + self.key

    def unauthorized(self):
        return 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key"}}

    def missing(self, cid):
        return 404, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                               "param": "id"}}

    def customer(self, cid):
        return next((c for c in self.data["customers"] if c["id"] == cid), None)

    def list_customers(self, query, **_):
        items = self.data["customers"]
        if "email" in query:
            items = [c for c in items if c.get("email") == query["email"]]
        return page(items, query, "/v1/customers")

    def delete_customer(self, cid, **_):
        c = self.customer(cid)
        if not c:
            return self.missing(cid)
        self.data["customers"].remove(c)
        self.data.setdefault("deleted_customers", []).append(cid)
        return 200, {"id": cid, "object": "customer", "deleted": True}

    def update_customer(self, cid, raw, headers, **_):
        c = self.customer(cid)
        if not c:
            return self.missing(cid)
        if "x-www-form-urlencoded" not in headers.get("Content-Type", ""):
            return 400, {"error": {"type": "invalid_request_error",
                                   "message": "form-encoded body expected"}}
        for k, v in urllib.parse.parse_qsl(raw.decode(), keep_blank_values=True):
            if k.startswith("metadata[") and k.endswith("]"):
                c.setdefault("metadata", {})[k[9:-1]] = v
            elif k in ("name", "email", "phone", "description"):
                c[k] = v
            else:
                return 400, {"error": {"type": "invalid_request_error", "param": k}}
        return 200, c

    def by_customer(self, kind, query):
        items = [i for i in self.data[kind] if i.get("customer") == query.get("customer")]
        return page(items, query, "/v1/" + kind)

    def list_charges(self, query, **_):
        return self.by_customer("charges", query)

    def list_payment_intents(self, query, **_):
        return self.by_customer("payment_intents", query)


if __name__ == "__main__":
    serve(Stripe)
