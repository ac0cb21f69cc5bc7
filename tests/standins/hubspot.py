"""HubSpot stand-in: the CRM v3 contacts object and the communication preferences v3 API, as
documented at developers.hubspot.com (CRM > Contacts, CRM > Search, Marketing >
Subscriptions preferences), with in-memory data.

Auth: a private app token as "Authorization: Bearer <token>" (--token). Errors have
HubSpot's shape {"status": "error", "message", "correlationId", "category"}. The first
search call answers 429 (HubSpot's secondly limit) with Retry-After.

Routes:
  GET    /crm/v3/objects/contacts                       list (limit, after, properties)
  POST   /crm/v3/objects/contacts/search                filterGroups[].filters[] EQ,
                                                        properties, limit, after (cursor)
  GET    /crm/v3/objects/contacts/{contactId}           properties, idProperty=email
  PATCH  /crm/v3/objects/contacts/{contactId}           {"properties": {...}}
  DELETE /crm/v3/objects/contacts/{contactId}           archive (204)
  POST   /crm/v3/objects/contacts/gdpr-delete           {"objectId", "idProperty"} (204)
  GET    /communication-preferences/v3/definitions
  GET    /communication-preferences/v3/status/email/{emailAddress}
  POST   /communication-preferences/v3/unsubscribe      {"emailAddress", "subscriptionId",
                                                        "legalBasis", "legalBasisExplanation"}
"""

import secrets
import sys

from standin_http import Reply, StandIn, main

DEFAULT_PROPERTIES = ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate",
                      "lastname"]
NOW = "2026-11-29T09:00:00.000Z"


def error(status, category, message):
    return Reply(status, {"status": "error", "message": message,
                          "correlationId": secrets.token_hex(8), "category": category})


def text(v):
    """HubSpot property values are strings ("true", not True)."""
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


class HubSpot(StandIn):
    name = "hubspot"
    rate_limited_route = "contacts.search"

    @classmethod
    def add_arguments(cls, parser):
        parser.add_argument("--token", default="pat-na1-standin",
                            help="the private app token clients must send")

    def default_seed(self):
        def contact(id_, email, first, last, phone, company, city):
            return {"id": id_, "archived": False, "createdAt": "2025-03-01T10:00:00.000Z",
                    "updatedAt": "2026-01-15T10:00:00.000Z",
                    "properties": {"email": email, "firstname": first, "lastname": last,
                                   "phone": phone, "company": company, "city": city,
                                   "createdate": "2025-03-01T10:00:00.000Z",
                                   "lastmodifieddate": "2026-01-15T10:00:00.000Z"}}

        return {
            "contacts": [
                contact("101", "ana@example.org", "Ana", "Lima", "+15550100", "Lima Bakery",
                        "Porto"),
                contact("102", "bo@example.org", "Bo", "Berg", "+15550101", "Berg AB",
                        "Malmo"),
            ],
            "definitions": [
                {"id": "7001", "name": "Marketing Information",
                 "description": "Marketing offers and updates.", "isActive": True},
                {"id": "7002", "name": "One to One", "description": "Sales emails.",
                 "isActive": True},
            ],
            # email -> subscription id -> SUBSCRIBED | NOT_SUBSCRIBED
            "statuses": {
                "ana@example.org": {"7001": "SUBSCRIBED", "7002": "SUBSCRIBED"},
                "bo@example.org": {"7001": "SUBSCRIBED", "7002": "SUBSCRIBED"},
            },
        }

    def authorized(self, req):
        return req.headers.get("Authorization") == "Bearer " + self.args.token

    def unauthorized(self):
        return error(401, "INVALID_AUTHENTICATION",
                     "Authentication credentials not found. This API supports OAuth 2.0 "
                     "authentication and you can find more details at "
                     "https://developers.hubspot.com/docs/methods/auth/oauth-overview")

    def rate_limited(self):
        r = error(429, "RATE_LIMITS", "You have reached your secondly limit.")
        r.body.update({"errorType": "RATE_LIMIT", "policyName": "SECONDLY"})
        r.headers["Retry-After"] = "1"
        return r

    # --- helpers -----------------------------------------------------------------------
    def live(self):
        return [c for c in self.data["contacts"] if not c.get("archived")]

    def find(self, contact_id, id_property=None):
        for c in self.live():
            key = c["properties"].get(id_property) if id_property else c["id"]
            if key is not None and str(key).lower() == str(contact_id).lower():
                return c
        raise error(404, "OBJECT_NOT_FOUND",
                    "Object not found.  objectId are usually numeric.")

    @staticmethod
    def view(c, properties):
        wanted = properties or DEFAULT_PROPERTIES
        props = {k: c["properties"].get(k) for k in wanted if k in c["properties"]}
        props["hs_object_id"] = c["id"]
        for k in ("createdate", "lastmodifieddate"):
            props.setdefault(k, c["properties"].get(k))
        return {"id": c["id"], "properties": props, "createdAt": c["createdAt"],
                "updatedAt": c["updatedAt"], "archived": c.get("archived", False)}

    @staticmethod
    def page(items, after, limit):
        try:
            start = int(after or 0)
            limit = int(limit or 10)
        except ValueError:
            raise error(400, "VALIDATION_ERROR", "after and limit must be integers")
        if limit < 1 or limit > 200:
            raise error(400, "VALIDATION_ERROR", "limit must be between 1 and 200")
        page = items[start:start + limit]
        paging = None
        if start + limit < len(items):
            paging = {"next": {"after": str(start + limit)}}
        return page, paging

    def subscription_status(self, email, sub_id):
        d = next((d for d in self.data["definitions"] if d["id"] == str(sub_id)), None)
        if d is None:
            raise error(400, "VALIDATION_ERROR", f"subscription {sub_id} does not exist")
        status = self.data["statuses"].get(email.lower(), {}).get(d["id"], "NOT_SUBSCRIBED")
        return {"id": d["id"], "name": d["name"], "description": d["description"],
                "status": status, "sourceOfStatus": "SUBSCRIPTION_STATUS"}

    def register(self):
        @self.route("GET", "/crm/v3/objects/contacts", "contacts.list")
        def list_contacts(req):
            props = [p for p in req.query.get("properties", "").split(",") if p]
            page, paging = self.page(self.live(), req.query.get("after"), req.query.get("limit"))
            out = {"results": [self.view(c, props) for c in page]}
            if paging:
                out["paging"] = paging
            return out

        @self.route("POST", "/crm/v3/objects/contacts/search", "contacts.search")
        def search(req):
            body = req.json()
            groups = body.get("filterGroups") or []
            if not isinstance(groups, list):
                raise error(400, "VALIDATION_ERROR", "filterGroups must be a list")

            def matches(c):
                if not groups:
                    return True
                for g in groups:  # groups are ORed, filters in a group ANDed
                    ok = True
                    for f in g.get("filters", []):
                        if f.get("operator") != "EQ":
                            raise error(400, "VALIDATION_ERROR",
                                        "this stand-in supports the EQ operator only")
                        v = c["properties"].get(f.get("propertyName"))
                        if v is None or str(v).lower() != str(f.get("value", "")).lower():
                            ok = False
                    if ok:
                        return True
                return False

            found = [c for c in self.live() if matches(c)]
            page, paging = self.page(found, body.get("after"), body.get("limit"))
            out = {"total": len(found),
                   "results": [self.view(c, body.get("properties")) for c in page]}
            if paging:
                out["paging"] = paging
            return out

        @self.route("POST", "/crm/v3/objects/contacts/gdpr-delete", "contacts.gdpr_delete")
        def gdpr_delete(req):
            body = req.json()
            if not body.get("objectId"):
                raise error(400, "VALIDATION_ERROR", "objectId is required")
            c = self.find(body["objectId"], body.get("idProperty"))
            self.data["contacts"].remove(c)
            self.data["statuses"].pop(str(c["properties"].get("email", "")).lower(), None)
            return 204, None

        @self.route("GET", "/crm/v3/objects/contacts/{contactId}", "contacts.get")
        def get(req):
            c = self.find(req.params["contactId"], req.query.get("idProperty"))
            props = [p for p in req.query.get("properties", "").split(",") if p]
            return self.view(c, props)

        @self.route("PATCH", "/crm/v3/objects/contacts/{contactId}", "contacts.update")
        def update(req):
            c = self.find(req.params["contactId"], req.query.get("idProperty"))
            props = req.json().get("properties")
            if not isinstance(props, dict):
                raise error(400, "VALIDATION_ERROR", "properties must be an object")
            c["properties"].update({k: text(v) for k, v in props.items()})
            c["updatedAt"] = c["properties"]["lastmodifieddate"] = NOW
            return self.view(c, list(c["properties"]))

        @self.route("DELETE", "/crm/v3/objects/contacts/{contactId}", "contacts.archive")
        def archive(req):
            c = self.find(req.params["contactId"])
            c["archived"] = True
            return 204, None

        @self.route("GET", "/communication-preferences/v3/definitions", "prefs.definitions")
        def definitions(req):
            return {"subscriptionDefinitions": self.data["definitions"]}

        @self.route("GET", "/communication-preferences/v3/status/email/{emailAddress+}",
                    "prefs.status")
        def status(req):
            email = req.params["emailAddress"]
            return {"recipient": email,
                    "subscriptionStatuses": [self.subscription_status(email, d["id"])
                                             for d in self.data["definitions"]]}

        @self.route("POST", "/communication-preferences/v3/unsubscribe", "prefs.unsubscribe")
        def unsubscribe(req):
            body = req.json()
            email = str(body.get("emailAddress") or "").lower()
            if not email or not body.get("subscriptionId"):
                raise error(400, "VALIDATION_ERROR",
                            "emailAddress and subscriptionId are required")
            current = self.subscription_status(email, body["subscriptionId"])
            if current["status"] == "NOT_SUBSCRIBED":
                raise error(400, "VALIDATION_ERROR",
                            f"{email} is already unsubscribed from subscription "
                            f"{body['subscriptionId']}")
            self.data["statuses"].setdefault(email, {})[current["id"]] = "NOT_SUBSCRIBED"
            out = self.subscription_status(email, body["subscriptionId"])
            out["legalBasis"] = body.get("legalBasis")
            out["legalBasisExplanation"] = body.get("legalBasisExplanation")
            return out

    def __init__(self, args):
        super().__init__(args)
        self.register()


if __name__ == "__main__":
    sys.exit(main(HubSpot))
