"""Intercom stand-in: contacts and conversations, as documented at developers.intercom.com
(REST API 2.x: Contacts, Conversations, Search, Pagination), with in-memory data.

Auth: an access token as "Authorization: Bearer <token>" (--token). Errors have Intercom's
shape {"type": "error.list", "request_id", "errors": [{"code", "message"}]}. The first
contact search answers 429 with Retry-After.

Search bodies: {"query": {"field", "operator", "value"} or {"operator": "AND"|"OR", "value":
[...]}, "pagination": {"per_page", "starting_after"}}; operators "=" and "!=". Results page
with "pages": {"type": "pages", "page", "per_page", "total_pages", "next": {"page",
"starting_after"}} (next only when there is one).

Routes:
  GET    /me                         the workspace admin (test connection)
  POST   /contacts/search            {"type": "list", "data", "total_count", "pages"}
  GET    /contacts/{id}              a contact
  PUT    /contacts/{id}              update, e.g. {"unsubscribed_from_emails": true}
  DELETE /contacts/{id}              {"id", "external_id", "type": "contact", "deleted": true}
  POST   /conversations/search       field "contact_ids" (the contacts taking part)
  GET    /conversations/{id}         a conversation with its parts
  DELETE /conversations/{id}         {"id", "object": "conversation", "deleted": true}
"""

import base64
import secrets
import sys

from standin_http import Reply, StandIn, main

NOW = 1764406800  # 2025-11-29T09:00:00Z, Intercom timestamps are Unix seconds


def error(status, code, message):
    return Reply(status, {"type": "error.list", "request_id": secrets.token_hex(8),
                          "errors": [{"code": code, "message": message}]})


def encode_cursor(index):
    return base64.urlsafe_b64encode(f"[{index}]".encode()).decode().rstrip("=")


def decode_cursor(cursor):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        return int(raw.strip("[]"))
    except (ValueError, UnicodeDecodeError):
        raise error(400, "parameter_invalid", "starting_after is not a valid cursor")


class Intercom(StandIn):
    name = "intercom"
    rate_limited_route = "contacts.search"

    @classmethod
    def add_arguments(cls, parser):
        parser.add_argument("--token", default="ic-standin-token", help="the access token")

    def default_seed(self):
        def contact(id_, email, name, phone):
            return {"type": "contact", "id": id_, "workspace_id": "ws1", "external_id": None,
                    "role": "user", "email": email, "name": name, "phone": phone,
                    "unsubscribed_from_emails": False, "has_hard_bounced": False,
                    "marked_email_as_spam": False, "created_at": 1740000000,
                    "updated_at": 1750000000, "last_seen_at": 1750000000,
                    "location": {"type": "location", "country": "Portugal", "city": "Porto"},
                    "custom_attributes": {"plan": "basic"}}

        def conversation(id_, contact_id, title, body):
            return {"type": "conversation", "id": id_, "title": title, "state": "closed",
                    "created_at": 1745000000, "updated_at": 1745100000,
                    "source": {"type": "conversation", "delivered_as": "customer_initiated",
                               "subject": title, "body": body,
                               "author": {"type": "user", "id": contact_id}},
                    "contacts": {"type": "contact.list",
                                 "contacts": [{"type": "contact", "id": contact_id}]}}

        return {
            "contacts": [contact("6650a1", "ana@example.org", "Ana Lima", "+15550100"),
                         contact("6650b2", "bo@example.org", "Bo Berg", "+15550101")],
            "conversations": [
                conversation("900001", "6650a1", "Delivery", "<p>My parcel is late.</p>"),
                conversation("900002", "6650a1", "Billing", "<p>I was charged twice.</p>"),
                conversation("900003", "6650a1", "Account", "<p>Please reset my login.</p>"),
                conversation("900004", "6650b2", "Hello", "<p>Do you ship to Sweden?</p>"),
            ],
        }

    def authorized(self, req):
        return req.headers.get("Authorization") == "Bearer " + self.args.token

    def unauthorized(self):
        return error(401, "unauthorized", "Access Token Invalid")

    def rate_limited(self):
        r = error(429, "rate_limit_exceeded", "Exceeded rate limit of 1000 in 60 seconds")
        r.headers["Retry-After"] = "1"
        return r

    # --- helpers -----------------------------------------------------------------------
    def find(self, collection, id_, what):
        for item in self.data[collection]:
            if str(item["id"]) == str(id_):
                return item
        raise error(404, "not_found", f"{what} Not Found")

    @staticmethod
    def predicate(query, field_value):
        """A filter from Intercom's query object; field_value(item, field) -> list of values."""
        if not isinstance(query, dict):
            raise error(400, "parameter_invalid", "query must be an object")
        op = query.get("operator")
        if op in ("AND", "OR"):
            subs = [Intercom.predicate(q, field_value) for q in query.get("value") or []]
            if not subs:
                raise error(400, "parameter_invalid", "query.value must be a list of filters")
            combine = all if op == "AND" else any
            return lambda item: combine(p(item) for p in subs)
        field = query.get("field")
        if not field or op not in ("=", "!="):
            raise error(400, "parameter_invalid",
                        "query needs field and operator = or != in this stand-in")
        value = str(query.get("value")).lower()
        if op == "=":
            return lambda item: value in [str(v).lower() for v in field_value(item, field)]
        return lambda item: value not in [str(v).lower() for v in field_value(item, field)]

    @staticmethod
    def paged(items, pagination, list_key, list_type):
        pagination = pagination or {}
        per_page = pagination.get("per_page", 50)
        if not isinstance(per_page, int) or not 1 <= per_page <= 150:
            raise error(400, "parameter_invalid", "per_page must be 1..150")
        start = decode_cursor(pagination["starting_after"]) if pagination.get(
            "starting_after") else 0
        chunk = items[start:start + per_page]
        total_pages = max(1, -(-len(items) // per_page))
        pages = {"type": "pages", "page": start // per_page + 1, "per_page": per_page,
                 "total_pages": total_pages}
        if start + per_page < len(items):
            pages["next"] = {"page": start // per_page + 2,
                             "starting_after": encode_cursor(start + per_page)}
        return {"type": list_type, list_key: chunk, "total_count": len(items), "pages": pages}

    def register(self):
        @self.route("GET", "/me", "me")
        def me(req):
            return {"type": "admin", "id": "1", "email": "agent@shop.example",
                    "name": "Privacy Agent", "app": {"type": "app", "id_code": "ws1"}}

        @self.route("POST", "/contacts/search", "contacts.search")
        def search_contacts(req):
            body = req.json()
            match = self.predicate(body.get("query"), lambda c, f: [c.get(f)])
            found = [c for c in self.data["contacts"] if match(c)]
            return self.paged(found, body.get("pagination"), "data", "list")

        @self.route("GET", "/contacts/{id}", "contacts.get")
        def get_contact(req):
            return self.find("contacts", req.params["id"], "User")

        @self.route("PUT", "/contacts/{id}", "contacts.update")
        def update_contact(req):
            c = self.find("contacts", req.params["id"], "User")
            body = req.json()
            for k, v in body.items():
                if k == "custom_attributes":
                    if not isinstance(v, dict):
                        raise error(400, "parameter_invalid",
                                    "custom_attributes must be an object")
                    c["custom_attributes"].update(v)
                elif k in ("email", "name", "phone", "external_id", "role", "avatar",
                           "unsubscribed_from_emails", "owner_id", "last_seen_at"):
                    if k == "unsubscribed_from_emails" and not isinstance(v, bool):
                        raise error(400, "parameter_invalid",
                                    "unsubscribed_from_emails must be a boolean")
                    c[k] = v
                else:
                    raise error(400, "parameter_invalid", f"{k} is not a contact attribute")
            c["updated_at"] = NOW
            return c

        @self.route("DELETE", "/contacts/{id}", "contacts.delete")
        def delete_contact(req):
            c = self.find("contacts", req.params["id"], "User")
            self.data["contacts"].remove(c)
            return {"id": c["id"], "external_id": c.get("external_id"), "type": "contact",
                    "deleted": True}

        @self.route("POST", "/conversations/search", "conversations.search")
        def search_conversations(req):
            body = req.json()

            def value(conv, field):
                if field == "contact_ids":
                    return [c["id"] for c in conv["contacts"]["contacts"]]
                if field == "source.author.email":
                    return []
                return [conv.get(field)]

            match = self.predicate(body.get("query"), value)
            found = [c for c in self.data["conversations"] if match(c)]
            return self.paged(found, body.get("pagination"), "conversations",
                              "conversation.list")

        @self.route("GET", "/conversations/{id}", "conversations.get")
        def get_conversation(req):
            return self.find("conversations", req.params["id"], "Conversation")

        @self.route("DELETE", "/conversations/{id}", "conversations.delete")
        def delete_conversation(req):
            c = self.find("conversations", req.params["id"], "Conversation")
            self.data["conversations"].remove(c)
            return {"id": c["id"], "object": "conversation", "deleted": True}

    def __init__(self, args):
        super().__init__(args)
        self.register()


if __name__ == "__main__":
    sys.exit(main(Intercom))
