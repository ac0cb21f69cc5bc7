#!/usr/bin/env python3
"""Generates the labelled column fixture for the personal-data scan.

  generate.py OUTDIR   -> OUTDIR/<db>.sql (portable CREATE TABLE + INSERT text, loaded into
                          PostgreSQL by the test), OUTDIR/<db>.db (the same as SQLite files),
                          OUTDIR/labels.csv (database,table,column,expected fideslang category;
                          empty = nothing personal)

Deterministic (fixed seed). Values are synthetic; identifiers with checksums are generated
valid (cards: IIN + Luhn; IBAN: mod-97; NHS, SIN, NIF/NIE, Steuer-ID: their check digits) and
the hard negatives are built to look alike (order numbers of card length that fail Luhn,
9-, 10- and 11-digit random numbers, product names, titles, usernames and password hashes).
Standard library only.
"""
import csv
import os
import random
import sqlite3
import sys

R = random.Random(20261129)
ROWS = 120
ROW = [0]  # the row being generated (a self-reference may only point back)

FIRST = ("James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara "
         "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Lukas Lena Hugo Chloe Mateo "
         "Lucia Giulia Marco Priya Rahul Yuki Aisha Omar Sven Ingrid Olga Ivan Fatima Noor Zoltan "
         "Siobhan Tariq Bartholomew Xiomara").split()
LAST = ("Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
        "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White "
        "Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres "
        "Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts "
        "Müller Schmidt Schneider Fischer Weber O'Brien García Rossi Dubois Kowalski Novak").split()
STREETS = ("Main Oak Pine Maple Cedar Elm Washington Lake Hill Park Sunset Baker Church High Mill "
           "Station Victoria Green Forest River Evergreen Highland").split()
SUFFIX = "Street St Avenue Ave Road Rd Boulevard Lane Drive Way Court Place Terrace".split()
DE_STREETS = "Haupt Bahnhof Garten Schiller Goethe Linden Berliner Kirch".split()
DE_SUFFIX = ["straße", "strasse", "weg", "platz", "allee"]
CITIES = ("Springfield Portland Austin Denver Boston Seattle Chicago London Manchester Leeds "
          "Berlin Hamburg Munich Madrid Toronto Dublin").split()
PRODUCTS = ("Ultra Widget|Steel Kettle|Desk Lamp|Wireless Mouse|Yoga Mat|Coffee Grinder|Trail Shoe|"
            "Espresso Cup|Garden Hose|Phone Case|Laptop Stand|Water Bottle|Kids Puzzle|Smart Plug|"
            "Linen Shirt|Chef Knife|Bike Light|Travel Pillow").split("|")
JOBS = ("Senior Engineer|Account Manager|Director of Sales|Nurse|Data Analyst|Chief Executive|"
        "Support Agent|Product Designer|Warehouse Associate|Teacher|Accountant").split("|")
BOOKS = ("The Silent River|Winter Garden|Ocean of Stars|A Brief History|Learning SQL|The Last "
         "Orchard|Midnight Library|Iron Gate|Northern Lights|Paper Towns").split("|")
WORDS = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor".split()
US_AREAS = [201, 212, 305, 312, 404, 415, 512, 617, 646, 702, 713, 206, 303, 503]


def luhn_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def card():
    prefix, length = R.choice([("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("34", 15),
                               ("37", 15), ("6011", 16), ("3530", 16)])
    body = prefix + "".join(R.choice("0123456789") for _ in range(length - len(prefix) - 1))
    n = body + luhn_digit(body)
    if R.random() < 0.5 and length == 16:
        sep = R.choice([" ", "-"])
        n = sep.join(n[i:i + 4] for i in range(0, 16, 4))
    return n


def not_luhn(n):
    last = int(n[-1])
    return n[:-1] + str((last + R.randint(1, 9)) % 10)


def order_number():
    """Card-length numbers with a card prefix that fail Luhn."""
    body = "4" + "".join(R.choice("0123456789") for _ in range(14))
    return not_luhn(body + luhn_digit(body))


def iban():
    country, length = R.choice([("DE", 22), ("GB", 22), ("FR", 27), ("ES", 24), ("NL", 18)])
    if country == "GB":
        bban = R.choice(["WEST", "NWBK", "BARC"]) + "".join(R.choice("0123456789") for _ in range(14))
    elif country == "NL":
        bban = R.choice(["ABNA", "INGB", "RABO"]) + "".join(R.choice("0123456789") for _ in range(10))
    else:
        bban = "".join(R.choice("0123456789") for _ in range(length - 4))
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(digits) % 97
    s = f"{country}{check:02d}{bban}"
    if R.random() < 0.5:
        s = " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    return s


def ssn(sep="-"):
    while True:
        area = R.randint(1, 899)
        if area != 666:
            break
    return f"{area:03d}{sep}{R.randint(1, 99):02d}{sep}{R.randint(1, 9999):04d}"


def nhs():
    while True:
        body = [R.randint(0, 9) for _ in range(9)]
        if body[0] == 0:
            continue
        check = 11 - sum(d * (10 - i) for i, d in enumerate(body)) % 11
        if check == 11:
            check = 0
        if check == 10:
            continue
        s = "".join(map(str, body)) + str(check)
        return f"{s[:3]} {s[3:6]} {s[6:]}" if R.random() < 0.6 else s


def sin():
    while True:
        body = str(R.choice([1, 2, 3, 4, 5, 6, 7, 9])) + "".join(R.choice("0123456789") for _ in range(7))
        s = body + luhn_digit(body)
        return f"{s[:3]} {s[3:6]} {s[6:]}" if R.random() < 0.6 else s


def nif():
    letters = "TRWAGMYFPDXBNJZSQVHLCKE"
    if R.random() < 0.5:
        n = R.randint(10000000, 99999999)
        return f"{n}{letters[n % 23]}"
    prefix = R.choice("XYZ")
    n = R.randint(0, 9999999)
    value = int(str("XYZ".index(prefix)) + f"{n:07d}")
    return f"{prefix}{n:07d}{letters[value % 23]}"


def steuer_id():
    while True:
        digits = list(range(10))
        R.shuffle(digits)
        chosen = digits[:9]  # nine distinct digits, one of them twice: ten digits
        chosen.append(R.choice(chosen))
        R.shuffle(chosen)
        if chosen[0] == 0:
            continue
        product = 10
        for d in chosen:
            s = (d + product) % 10
            if s == 0:
                s = 10
            product = (s * 2) % 11
        check = 11 - product
        if check == 10:
            check = 0
        return "".join(map(str, chosen)) + str(check)


def phone():
    area = R.choice(US_AREAS)
    ex = R.randint(200, 989)
    if ex % 100 == 11:
        ex += 1
    line = R.randint(1000, 9999)
    fmt = R.randint(0, 5)
    if fmt == 0:
        return f"({area}) {ex}-{line}"
    if fmt == 1:
        return f"{area}-{ex}-{line}"
    if fmt == 2:
        return f"+1 {area} {ex} {line}"
    if fmt == 3:
        return f"+1{area}{ex}{line}"
    if fmt == 4:
        return f"+44 20 7{R.randint(100, 999)} {R.randint(1000, 9999)}"
    return f"+49 30 {R.randint(2000000, 8999999)}"


def email(first=None, last=None):
    first = (first or R.choice(FIRST)).lower()
    last = (last or R.choice(LAST)).lower().replace("'", "").replace("ü", "u").replace("í", "i")
    dom = R.choice(["example.com", "mail.example.org", "corp.example.net", "example.co.uk"])
    return R.choice([f"{first}.{last}@{dom}", f"{first[0]}{last}{R.randint(1, 99)}@{dom}",
                     f"{first}+shop@{dom}"])


def ipv4():
    return ".".join(str(R.randint(1, 254)) for _ in range(4))


def ipv6():
    groups = [f"{R.randint(0, 65535):x}" for _ in range(8)]
    if R.random() < 0.5:
        return "2001:db8::" + ":".join(groups[:3])
    return ":".join(groups)


def date(start=1940, end=2005, fmt="iso"):
    y, m, d = R.randint(start, end), R.randint(1, 12), R.randint(1, 28)
    if fmt == "de":
        return f"{d:02d}.{m:02d}.{y}"
    if fmt == "us":
        return f"{m:02d}/{d:02d}/{y}"
    return f"{y}-{m:02d}-{d:02d}"


def timestamp():
    return date(2019, 2025) + f" {R.randint(0, 23):02d}:{R.randint(0, 59):02d}:{R.randint(0, 59):02d}"


def street():
    if R.random() < 0.25:
        return f"{R.choice(DE_STREETS)}{R.choice(DE_SUFFIX)} {R.randint(1, 120)}"
    apt = f", Apt {R.randint(1, 40)}" if R.random() < 0.2 else ""
    return f"{R.randint(1, 9999)} {R.choice(STREETS)} {R.choice(SUFFIX)}{apt}"


def postcode():
    kind = R.randint(0, 3)
    if kind == 0:
        return f"{R.randint(10000, 99999)}"
    if kind == 1:
        return f"{R.randint(10000, 99999)}-{R.randint(1000, 9999)}"
    if kind == 2:
        return (R.choice(["SW1A", "M1", "LS2", "EC1V", "B33", "CR2"]) + " " + str(R.randint(1, 9)) +
                R.choice("ABDEFGHJLNPQRSTUWXYZ") + R.choice("ABDEFGHJLNPQRSTUWXYZ"))
    return f"{R.randint(10000, 99999)}"


def digits(n):
    return str(R.randint(1, 9)) + "".join(R.choice("0123456789") for _ in range(n - 1))


def username():
    return R.choice([f"{R.choice(FIRST).lower()}{R.randint(1, 999)}",
                     f"{R.choice(FIRST).lower()[0]}{R.choice(LAST).lower().replace(chr(39), '')}",
                     f"{R.choice(['dark', 'blue', 'happy', 'quiet'])}_{R.choice(['fox', 'owl', 'coder'])}{R.randint(1, 99)}"])


def pw_hash():
    return R.choice(["$argon2id$v=19$m=65536,t=3,p=4$", "$2b$12$"]) + "".join(
        R.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./") for _ in range(40))


def hexid(n=32):
    return "".join(R.choice("0123456789abcdef") for _ in range(n))


def sentence():
    return " ".join(R.choice(WORDS) for _ in range(R.randint(4, 12))).capitalize() + "."


E, PH, CC, IB, GOV, IP = ("user.contact.email", "user.contact.phone_number",
                          "user.financial.credit_card", "user.financial.bank_account",
                          "user.government_id.national_identification_number",
                          "user.device.ip_address")
NAME, DOB, ST, PC, CITY = ("user.name", "user.demographic.date_of_birth",
                           "user.contact.address.street", "user.contact.address.postal_code",
                           "user.contact.address.city")
USER, PW = "user.account.username", "user.authorization.password"
ID = None  # integer key, filled from the row number

# database -> table -> [(column, SQL type, generator or None for the row id, label, fk)]
# fk = "table.column" for a foreign key.
SCHEMA = {
    "crm": {
        "customers": [
            ("id", "INTEGER", ID, "", None),
            ("first_name", "TEXT", lambda: R.choice(FIRST), NAME, None),
            ("last_name", "TEXT", lambda: R.choice(LAST), NAME, None),
            ("email", "TEXT", email, E, None),
            ("phone", "TEXT", phone, PH, None),
            ("date_of_birth", "TEXT", date, DOB, None),
            ("street_address", "TEXT", street, ST, None),
            ("city", "TEXT", lambda: R.choice(CITIES), CITY, None),
            ("zip", "TEXT", postcode, PC, None),
            ("created_at", "TEXT", timestamp, "", None),
            ("status", "TEXT", lambda: R.choice(["active", "churned", "trial"]), "", None),
            ("loyalty_tier", "TEXT", lambda: R.choice(["Gold", "Silver", "Bronze"]), "", None),
            ("lifetime_value", "REAL", lambda: round(R.uniform(0, 5000), 2), "", None),
            ("referral_code", "TEXT", lambda: hexid(8).upper(), "", None),
            ("marketing_opt_in", "INTEGER", lambda: R.randint(0, 1), "", None),
        ],
        "contacts": [
            ("contact_id", "INTEGER", ID, "", None),
            ("customer_id", "INTEGER", lambda: R.randint(1, ROWS), "", "customers.id"),
            ("full_name", "TEXT", lambda: f"{R.choice(FIRST)} {R.choice(LAST)}", NAME, None),
            ("workEmail", "TEXT", email, E, None),
            ("mobile", "TEXT", phone, PH, None),
            ("job_title", "TEXT", lambda: R.choice(JOBS), "", None),
            ("company_name", "TEXT", lambda: R.choice(["Acme Corp", "Globex", "Initech", "Umbrella Ltd"]), "", None),
            ("title", "TEXT", lambda: R.choice(["Mr", "Ms", "Dr", "Mx"]), "", None),
            ("notes", "TEXT", sentence, "", None),
            ("last_contacted", "TEXT", timestamp, "", None),
        ],
        "companies": [
            ("id", "INTEGER", ID, "", None),
            ("name", "TEXT", lambda: R.choice(["Acme Corp", "Globex", "Initech", "Hooli", "Vandelay Industries"]), "", None),
            ("industry", "TEXT", lambda: R.choice(["Retail", "Software", "Health"]), "", None),
            ("website", "TEXT", lambda: f"https://www.{R.choice(['acme', 'globex', 'initech'])}.example", "", None),
            ("employee_count", "INTEGER", lambda: R.randint(5, 50000), "", None),
            ("hq_country", "TEXT", lambda: R.choice(["US", "DE", "GB"]), "", None),
            ("vat_number", "TEXT", lambda: "DE" + digits(9), "", None),
            ("support_email_enabled", "INTEGER", lambda: R.randint(0, 1), "", None),
        ],
        "tickets": [
            ("id", "INTEGER", ID, "", None),
            ("customer_id", "INTEGER", lambda: R.randint(1, ROWS), "", "customers.id"),
            ("subject", "TEXT", sentence, "", None),
            ("priority", "TEXT", lambda: R.choice(["low", "high"]), "", None),
            ("opened_at", "TEXT", timestamp, "", None),
            ("requester_email", "TEXT", email, E, None),
            ("callback_number", "TEXT", phone, PH, None),
            ("ticket_ref", "TEXT", lambda: "TCK-" + digits(6), "", None),
        ],
    },
    "shop": {
        "products": [
            ("id", "INTEGER", ID, "", None),
            ("name", "TEXT", lambda: R.choice(PRODUCTS), "", None),
            ("sku", "TEXT", lambda: f"SKU-{hexid(6).upper()}", "", None),
            ("title", "TEXT", lambda: R.choice(BOOKS), "", None),
            ("description", "TEXT", sentence, "", None),
            ("price", "REAL", lambda: round(R.uniform(1, 500), 2), "", None),
            ("category", "TEXT", lambda: R.choice(["Kitchen", "Sports", "Office"]), "", None),
            ("ean", "TEXT", lambda: digits(13), "", None),
            ("weight_grams", "INTEGER", lambda: R.randint(10, 99999), "", None),
            ("version", "TEXT", lambda: f"{R.randint(1, 9)}.{R.randint(0, 20)}.{R.randint(0, 99)}", "", None),
            ("brand_name", "TEXT", lambda: R.choice(["Nordic", "Zen", "Peak"]), "", None),
        ],
        "orders": [
            ("id", "INTEGER", ID, "", None),
            ("customer_id", "INTEGER", lambda: R.randint(1, ROWS), "", None),
            ("order_number", "TEXT", order_number, "", None),
            ("tracking_number", "TEXT", lambda: "1Z" + hexid(16).upper(), "", None),
            ("total", "REAL", lambda: round(R.uniform(5, 900), 2), "", None),
            ("placed_at", "TEXT", timestamp, "", None),
            ("shipping_street", "TEXT", street, ST, None),
            ("shipping_postcode", "TEXT", postcode, PC, None),
            ("shipping_city", "TEXT", lambda: R.choice(CITIES), CITY, None),
            ("billing_ip", "TEXT", ipv4, IP, None),
            ("quantity", "INTEGER", lambda: R.randint(10000, 99999), "", None),
            ("coupon", "TEXT", lambda: R.choice(["SPRING10", "WELCOME", ""]), "", None),
            ("gift_message", "TEXT", sentence, "", None),
            ("recipient_name", "TEXT", lambda: f"{R.choice(FIRST)} {R.choice(LAST)}", NAME, None),
        ],
        "payments": [
            ("id", "INTEGER", ID, "", None),
            ("order_id", "INTEGER", lambda: R.randint(1, ROWS), "", "orders.id"),
            ("card_number", "TEXT", card, CC, None),
            ("cardholder", "TEXT", lambda: f"{R.choice(FIRST)} {R.choice(LAST)}".upper().title(), NAME, None),
            ("card_expiry", "TEXT", lambda: f"{R.randint(1, 12):02d}/{R.randint(25, 31)}", "", None),
            ("iban", "TEXT", iban, IB, None),
            ("amount", "REAL", lambda: round(R.uniform(5, 900), 2), "", None),
            ("currency", "TEXT", lambda: R.choice(["EUR", "USD", "GBP"]), "", None),
            ("processor_ref", "TEXT", lambda: "ch_" + hexid(24), "", None),
            ("auth_code", "TEXT", lambda: digits(6), "", None),
            ("pan", "TEXT", card, CC, None),
            ("settlement_batch", "TEXT", lambda: digits(16), "", None),
        ],
        "order_items": [
            ("id", "INTEGER", ID, "", None),
            ("order_id", "INTEGER", lambda: R.randint(1, ROWS), "", "orders.id"),
            ("product_id", "INTEGER", lambda: R.randint(1, ROWS), "", "products.id"),
            ("unit_price", "REAL", lambda: round(R.uniform(1, 500), 2), "", None),
            ("line_no", "INTEGER", lambda: R.randint(1, 9), "", None),
        ],
    },
    "hr": {
        "employees": [
            ("id", "INTEGER", ID, "", None),
            ("given_name", "TEXT", lambda: R.choice(FIRST), NAME, None),
            ("surname", "TEXT", lambda: R.choice(LAST), NAME, None),
            ("ssn", "TEXT", ssn, GOV, None),
            ("personal_email", "TEXT", email, E, None),
            ("work_phone", "TEXT", phone, PH, None),
            ("birth_date", "TEXT", lambda: date(1955, 2004, R.choice(["iso", "us"])), DOB, None),
            ("hire_date", "TEXT", lambda: date(2000, 2025), "", None),
            ("job_title", "TEXT", lambda: R.choice(JOBS), "", None),
            ("department", "TEXT", lambda: R.choice(["Sales", "Engineering", "Finance"]), "", None),
            ("salary", "INTEGER", lambda: R.randint(30000, 250000), "", None),
            ("manager_id", "INTEGER", lambda: max(1, ROW[0] - R.randint(0, 5)), "", "employees.id"),
            ("home_address", "TEXT", street, ST, None),
            ("postal_code", "TEXT", postcode, PC, None),
            ("badge_number", "TEXT", lambda: digits(9), "", None),
            ("employee_number", "TEXT", lambda: digits(10), "", None),
        ],
        "payroll": [
            ("id", "INTEGER", ID, "", None),
            ("employee_id", "INTEGER", lambda: R.randint(1, ROWS), "", "employees.id"),
            ("bank_iban", "TEXT", iban, IB, None),
            ("steuer_id", "TEXT", steuer_id, GOV, None),
            ("gross_amount", "REAL", lambda: round(R.uniform(1000, 20000), 2), "", None),
            ("period", "TEXT", lambda: f"2025-{R.randint(1, 12):02d}", "", None),
            ("payslip_no", "TEXT", lambda: digits(11), "", None),
        ],
        "uk_staff": [
            ("id", "INTEGER", ID, "", None),
            ("nhs_number", "TEXT", nhs, GOV, None),
            ("forename", "TEXT", lambda: R.choice(FIRST), NAME, None),
            ("postcode", "TEXT", postcode, PC, None),
            ("contract_type", "TEXT", lambda: R.choice(["permanent", "fixed"]), "", None),
            ("desk_phone_ext", "TEXT", lambda: digits(4), "", None),
        ],
        "ca_staff": [
            ("id", "INTEGER", ID, "", None),
            ("sin", "TEXT", sin, GOV, None),
            ("legal_name", "TEXT", lambda: f"{R.choice(FIRST)} {R.choice(LAST)}", NAME, None),
            ("province", "TEXT", lambda: R.choice(["ON", "QC", "BC"]), "", None),
            ("union_local", "TEXT", lambda: digits(3), "", None),
        ],
        "es_staff": [
            ("id", "INTEGER", ID, "", None),
            ("nif", "TEXT", nif, GOV, None),
            ("nombre", "TEXT", lambda: R.choice(FIRST), NAME, None),
            ("fecha_alta", "TEXT", lambda: date(2010, 2025), "", None),
            ("document_id", "TEXT", nif, GOV, None),
        ],
        "us_contractors": [
            ("id", "INTEGER", ID, "", None),
            ("tax_ssn", "TEXT", lambda: ssn(""), GOV, None),
            ("contractor_name", "TEXT", lambda: f"{R.choice(FIRST)} {R.choice(LAST)}", NAME, None),
            ("rate", "REAL", lambda: round(R.uniform(20, 200), 2), "", None),
            ("invoice_no", "TEXT", lambda: digits(9), "", None),
            ("dob", "TEXT", lambda: date(fmt="de"), DOB, None),
        ],
    },
    "app": {
        "users": [
            ("id", "INTEGER", ID, "", None),
            ("username", "TEXT", username, USER, None),
            ("password_hash", "TEXT", pw_hash, PW, None),
            ("email", "TEXT", email, E, None),
            ("email_verified", "INTEGER", lambda: R.randint(0, 1), "", None),
            ("password_changed_at", "TEXT", timestamp, "", None),
            ("last_login_ip", "TEXT", ipv4, IP, None),
            ("signup_ip_v6", "TEXT", ipv6, IP, None),
            ("display_name", "TEXT", username, USER, None),
            ("locale", "TEXT", lambda: R.choice(["en-US", "de-DE", "fr-FR"]), "", None),
            ("timezone", "TEXT", lambda: R.choice(["Europe/Berlin", "America/New_York"]), "", None),
            ("login_count", "INTEGER", lambda: R.randint(0, 5000), "", None),
            ("created_at", "TEXT", timestamp, "", None),
            ("avatar_url", "TEXT", lambda: f"https://cdn.example.com/a/{hexid(12)}.png", "", None),
            ("api_key_prefix", "TEXT", lambda: "rk_" + hexid(8), "", None),
            ("passport_office", "TEXT", lambda: R.choice(CITIES), "", None),
        ],
        "sessions": [
            ("id", "TEXT", lambda: hexid(), "", None),
            ("user_id", "INTEGER", lambda: R.randint(1, ROWS), "", "users.id"),
            ("ip_address", "TEXT", lambda: ipv4() if R.random() < 0.7 else ipv6(), IP, None),
            ("user_agent", "TEXT", lambda: R.choice(["Mozilla/5.0 (X11; Linux x86_64)", "curl/8.1"]), "", None),
            ("started_at", "TEXT", timestamp, "", None),
            ("expires_at", "TEXT", timestamp, "", None),
            ("duration_ms", "INTEGER", lambda: R.randint(10, 9999999), "", None),
        ],
        "audit_log": [
            ("id", "INTEGER", ID, "", None),
            ("action", "TEXT", lambda: R.choice(["login", "logout", "update_profile"]), "", None),
            ("actor_id", "INTEGER", lambda: R.randint(1, ROWS), "", "users.id"),
            ("occurred_at", "TEXT", timestamp, "", None),
            ("request_id", "TEXT", lambda: hexid(16), "", None),
            ("host_name", "TEXT", lambda: R.choice(["web-1", "web-2", "api-3"]), "", None),
            ("server_ip", "TEXT", ipv4, IP, None),
        ],
        "profiles": [
            ("user_id", "INTEGER", ID, "", "users.id"),
            ("nickname", "TEXT", username, USER, None),
            ("bio", "TEXT", sentence, "", None),
            ("birthday", "TEXT", date, DOB, None),
            ("phone_number", "TEXT", phone, PH, None),
            ("address_line1", "TEXT", street, ST, None),
            ("zipcode", "TEXT", postcode, PC, None),
            ("favourite_book", "TEXT", lambda: R.choice(BOOKS), "", None),
            ("theme", "TEXT", lambda: R.choice(["dark", "light"]), "", None),
        ],
    },
    "analytics": {
        "events": [
            ("id", "INTEGER", ID, "", None),
            ("event_name", "TEXT", lambda: R.choice(["page_view", "add_to_cart", "checkout"]), "", None),
            ("page_url", "TEXT", lambda: f"https://shop.example.com/p/{R.randint(1, 999)}", "", None),
            ("referrer", "TEXT", lambda: R.choice(["https://search.example/", ""]), "", None),
            ("client_ip", "TEXT", ipv4, IP, None),
            ("device_model", "TEXT", lambda: R.choice(["Pixel 8", "iPhone 15", "Galaxy S23"]), "", None),
            ("app_version", "TEXT", lambda: f"{R.randint(1, 5)}.{R.randint(0, 9)}.{R.randint(0, 30)}", "", None),
            ("random_digits", "TEXT", lambda: digits(R.choice([9, 10, 11, 16])), "", None),
            ("session_length", "INTEGER", lambda: R.randint(1, 100000), "", None),
            ("country_code", "TEXT", lambda: R.choice(["US", "DE", "FR"]), "", None),
            ("campaign_name", "TEXT", lambda: R.choice(["Spring Sale", "Black Friday"]), "", None),
            ("event_date", "TEXT", lambda: date(2023, 2025), "", None),
            ("product_title", "TEXT", lambda: R.choice(PRODUCTS), "", None),
            ("experiment_bucket", "INTEGER", lambda: R.randint(0, 99999), "", None),
        ],
        "signups": [
            ("id", "INTEGER", ID, "", None),
            ("contact", "TEXT", email, E, None),
            ("name", "TEXT", lambda: f"{R.choice(FIRST)} {R.choice(LAST)}", NAME, None),
            ("phone", "TEXT", phone, PH, None),
            ("source", "TEXT", lambda: R.choice(["ads", "organic"]), "", None),
            ("remote_addr", "TEXT", ipv4, IP, None),
            ("newsletter_list", "TEXT", lambda: R.choice(["weekly", "monthly"]), "", None),
            ("signup_score", "REAL", lambda: round(R.uniform(0, 1), 3), "", None),
        ],
        "geo": [
            ("id", "INTEGER", ID, "", None),
            ("region_name", "TEXT", lambda: R.choice(["Bavaria", "Texas", "Ontario"]), "", None),
            ("population", "INTEGER", lambda: R.randint(10000, 99999), "", None),
            ("latitude", "REAL", lambda: round(R.uniform(-90, 90), 5), "", None),
            ("longitude", "REAL", lambda: round(R.uniform(-180, 180), 5), "", None),
            ("zone_code", "TEXT", lambda: f"Z{R.randint(10, 99)}", "", None),
        ],
    },
}


def sql_literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    labels = []
    for db, tables in SCHEMA.items():
        statements = []
        for table, cols in tables.items():
            defs = []
            for name, typ, gen, label, fk in cols:
                d = f'"{name}" {typ}'
                if gen is ID:
                    d += " PRIMARY KEY"
                if fk:
                    t, c = fk.split(".")
                    d += f' REFERENCES "{t}"("{c}")'
                defs.append(d)
                labels.append((db, table, name, label))
            statements.append(f'CREATE TABLE "{table}" ({", ".join(defs)})')
        for table, cols in tables.items():
            for row in range(1, ROWS + 1):
                ROW[0] = row
                values = []
                for name, typ, gen, label, fk in cols:
                    if gen is ID:
                        v = row if typ == "INTEGER" else hexid()
                    else:
                        v = gen()
                    values.append(sql_literal(v))
                names = ", ".join(f'"{c[0]}"' for c in cols)
                statements.append(f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(values)})')
        with open(os.path.join(out, f"{db}.sql"), "w", encoding="utf-8") as f:
            for s in statements:
                f.write(s + ";\n")
        path = os.path.join(out, f"{db}.db")
        if os.path.exists(path):
            os.remove(path)
        con = sqlite3.connect(path)
        for s in statements:
            con.execute(s)
        con.commit()
        con.close()
    with open(os.path.join(out, "labels.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["database", "table", "column", "category"])
        w.writerows(labels)
    print(f"{len(labels)} labelled columns in {len(SCHEMA)} databases -> {out}")


if __name__ == "__main__":
    main()
