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
import sqlite3
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree when the build runs this
from values import (  # the fixture's value generators, beside this file
    BOOKS, CITIES, FIRST, JOBS, LAST, PRODUCTS, R, ROW, ROWS, card, date, digits, email, hexid,
    iban, ipv4, ipv6, nhs, nif, order_number, phone, postcode, pw_hash, sentence, sin, ssn,
    steuer_id, street, timestamp, username,
)

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
