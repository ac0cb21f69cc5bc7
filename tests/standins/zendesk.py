"""Zendesk Support stand-in: users, a user's requested tickets, soft and permanent deletion,
as documented at developer.zendesk.com (Ticketing > Users, Search, Tickets), with in-memory
data. Paths take an optional ".json" suffix, as Zendesk's do.

Auth: API token as basic auth "{email}/token:{api_token}" (--email, --token). Errors have
Zendesk's shape {"error", "description"}. The first requested-tickets call answers 429 with
Retry-After.

Routes:
  GET    /api/v2/users/me.json                          the authenticated agent
  GET    /api/v2/users/search.json?query=email:<email>  {"users", "next_page", "count"}
  GET    /api/v2/users/{user_id}.json                   {"user"}
  PUT    /api/v2/users/{user_id}.json                   {"user": {"user_fields": {...}, ...}}
  GET    /api/v2/users/{user_id}/tickets/requested.json page, per_page; next_page is the
                                                        absolute URL of the next page
  GET    /api/v2/users/{user_id}/identities.json        the user's email and phone identities
  DELETE /api/v2/users/{user_id}.json                   soft delete (200, active false)
  DELETE /api/v2/deleted_users/{deleted_user_id}.json   permanent: only a soft-deleted user
  DELETE /api/v2/tickets/{ticket_id}.json               soft delete (204)
  DELETE /api/v2/deleted_tickets/{ticket_id}.json       permanent (200, job_status)
"""

import base64
import secrets
import sys

from standin_http import Reply, StandIn, main

JSON = r"(?:\.json)?"
NOW = "2026-11-29T09:00:00Z"
USER_FIELDS = ("id", "url", "name", "email", "phone", "role", "active", "locale", "time_zone",
               "created_at", "updated_at", "tags", "user_fields", "notes", "external_id")


def not_found():
    return Reply(404, {"error": "RecordNotFound", "description": "Not found"})


class Zendesk(StandIn):
    name = "zendesk"
    rate_limited_route = "tickets.requested"

    @classmethod
    def add_arguments(cls, parser):
        parser.add_argument("--email", default="agent@shop.example",
                            help="the agent email of the API token")
        parser.add_argument("--token", default="zd-standin-token", help="the API token")

    def default_seed(self):
        def user(id_, name, email, phone):
            return {"id": id_, "name": name, "email": email, "phone": phone,
                    "role": "end-user", "active": True, "locale": "en-US",
                    "time_zone": "Europe/Lisbon", "created_at": "2025-02-01T10:00:00Z",
                    "updated_at": "2026-01-10T10:00:00Z", "tags": ["customer"],
                    "user_fields": {"marketing_opt_out": False},
                    "notes": "Prefers phone calls.", "external_id": None}

        def ticket(id_, requester, subject, description):
            return {"id": id_, "requester_id": requester, "submitter_id": requester,
                    "subject": subject, "description": description, "status": "solved",
                    "priority": "normal", "tags": [], "created_at": "2025-06-01T10:00:00Z",
                    "updated_at": "2025-06-03T10:00:00Z"}

        return {
            "users": [user(9001, "Ana Lima", "ana@example.org", "+15550100"),
                      user(9002, "Bo Berg", "bo@example.org", "+15550101")],
            "tickets": [ticket(501, 9001, "Where is my order?", "Order 1001 has not arrived."),
                        ticket(502, 9001, "Wrong size", "I ordered M and got L."),
                        ticket(503, 9001, "Invoice address", "Please change my address."),
                        ticket(504, 9002, "Refund", "I would like a refund.")],
            "deleted_users": [],   # soft-deleted users, still recoverable
            "deleted_tickets": [],  # soft-deleted tickets
        }

    def authorized(self, req):
        expected = base64.b64encode(
            f"{self.args.email}/token:{self.args.token}".encode()).decode()
        return req.headers.get("Authorization") == "Basic " + expected

    def unauthorized(self):
        return Reply(401, {"error": "Couldn't authenticate you"})

    def rate_limited(self):
        return Reply(429, {"error": "APIRateLimitExceeded",
                           "description": "Number of allowed API requests per minute exceeded"},
                     {"Retry-After": "1"})

    # --- helpers -----------------------------------------------------------------------
    def find(self, collection, id_):
        for item in self.data[collection]:
            if str(item["id"]) == str(id_):
                return item
        raise not_found()

    @staticmethod
    def user_view(req, u):
        out = {k: u.get(k) for k in USER_FIELDS}
        out["url"] = f"{req.base_url()}/api/v2/users/{u['id']}.json"
        return out

    @staticmethod
    def ticket_view(req, t):
        out = dict(t)
        out["url"] = f"{req.base_url()}/api/v2/tickets/{t['id']}.json"
        return out

    @staticmethod
    def ints(req, name, default, low, high):
        try:
            v = int(req.query.get(name, default))
        except ValueError:
            raise Reply(400, {"error": "InvalidParameter", "description": f"{name}: not a number"})
        if v < low or v > high:
            raise Reply(400, {"error": "InvalidParameter",
                              "description": f"{name}: must be {low}..{high}"})
        return v

    def register(self):
        @self.route("GET", "/api/v2/users/me" + JSON, "users.me")
        def me(req):
            return {"user": {"id": 1, "name": "Privacy Agent", "email": self.args.email,
                             "role": "admin", "active": True}}

        @self.route("GET", "/api/v2/users/search" + JSON, "users.search")
        def search(req):
            query = req.query.get("query", "").strip()
            external = req.query.get("external_id")
            if not query and not external:
                raise Reply(400, {"error": "InvalidParameter",
                                  "description": "query or external_id is required"})
            if external:
                found = [u for u in self.data["users"] if str(u.get("external_id")) == external]
            else:
                value = query[len("email:"):] if query.startswith("email:") else query
                value = value.strip('"').lower()
                found = [u for u in self.data["users"]
                         if str(u.get("email") or "").lower() == value
                         or (not query.startswith("email:")
                             and value in str(u.get("name") or "").lower())]
            return {"users": [self.user_view(req, u) for u in found], "next_page": None,
                    "previous_page": None, "count": len(found)}

        @self.route("GET", "/api/v2/users/{user_id}/tickets/requested" + JSON,
                    "tickets.requested")
        def requested(req):
            user = self.find("users", req.params["user_id"])
            page = self.ints(req, "page", 1, 1, 10**6)
            per_page = self.ints(req, "per_page", 100, 1, 100)
            tickets = [t for t in self.data["tickets"] if t["requester_id"] == user["id"]]
            chunk = tickets[(page - 1) * per_page:page * per_page]
            base = f"{req.base_url()}/api/v2/users/{user['id']}/tickets/requested.json"
            nxt = (f"{base}?page={page + 1}&per_page={per_page}"
                   if page * per_page < len(tickets) else None)
            prev = f"{base}?page={page - 1}&per_page={per_page}" if page > 1 else None
            return {"tickets": [self.ticket_view(req, t) for t in chunk], "next_page": nxt,
                    "previous_page": prev, "count": len(tickets)}

        @self.route("GET", "/api/v2/users/{user_id}/identities" + JSON, "identities.list")
        def identities(req):
            u = self.find("users", req.params["user_id"])
            out = []
            for n, (kind, value) in enumerate((("email", u.get("email")),
                                               ("phone_number", u.get("phone")))):
                if value:
                    id_ = u["id"] * 10 + n
                    out.append({"id": id_, "user_id": u["id"], "type": kind, "value": value,
                                "verified": True, "primary": True,
                                "url": f"{req.base_url()}/api/v2/users/{u['id']}/identities/"
                                       f"{id_}.json",
                                "created_at": u["created_at"], "updated_at": u["updated_at"]})
            return {"identities": out, "next_page": None, "previous_page": None,
                    "count": len(out)}

        @self.route("GET", "/api/v2/users/{user_id}" + JSON, "users.show")
        def show(req):
            return {"user": self.user_view(req, self.find("users", req.params["user_id"]))}

        @self.route("PUT", "/api/v2/users/{user_id}" + JSON, "users.update")
        def update(req):
            u = self.find("users", req.params["user_id"])
            body = req.json().get("user")
            if not isinstance(body, dict):
                raise Reply(400, {"error": "InvalidParameter", "description": "user: required"})
            for k, v in body.items():
                if k == "user_fields":
                    if not isinstance(v, dict):
                        raise Reply(422, {"error": "RecordInvalid",
                                          "description": "user_fields must be an object"})
                    u["user_fields"].update(v)
                elif k in ("name", "email", "phone", "notes", "tags", "locale", "time_zone",
                           "external_id"):
                    u[k] = v
            u["updated_at"] = NOW
            return {"user": self.user_view(req, u)}

        @self.route("DELETE", "/api/v2/users/{user_id}" + JSON, "users.delete")
        def delete(req):
            u = self.find("users", req.params["user_id"])
            self.data["users"].remove(u)
            u["active"] = False
            self.data["deleted_users"].append(u)
            return {"user": self.user_view(req, u)}

        @self.route("DELETE", "/api/v2/deleted_users/{deleted_user_id}" + JSON,
                    "deleted_users.delete")
        def permanently_delete(req):
            u = self.find("deleted_users", req.params["deleted_user_id"])
            self.data["deleted_users"].remove(u)
            return {"deleted_user": {"id": u["id"], "active": False, "email": None,
                                     "name": "Permanently deleted user", "phone": None,
                                     "role": u["role"], "created_at": u["created_at"],
                                     "updated_at": NOW}}

        @self.route("DELETE", "/api/v2/tickets/{ticket_id}" + JSON, "tickets.delete")
        def delete_ticket(req):
            t = self.find("tickets", req.params["ticket_id"])
            self.data["tickets"].remove(t)
            self.data["deleted_tickets"].append(t)
            return 204, None

        @self.route("DELETE", "/api/v2/deleted_tickets/{ticket_id}" + JSON,
                    "deleted_tickets.delete")
        def permanently_delete_ticket(req):
            t = self.find("deleted_tickets", req.params["ticket_id"])
            self.data["deleted_tickets"].remove(t)
            return {"job_status": {"id": secrets.token_hex(8), "status": "completed",
                                   "url": f"{req.base_url()}/api/v2/job_statuses/x.json"}}

    def __init__(self, args):
        super().__init__(args)
        self.register()


if __name__ == "__main__":
    sys.exit(main(Zendesk))
