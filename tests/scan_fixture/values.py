"""The synthetic values of the labelled column fixture (generate.py): names, addresses, contact
details and identifiers generated valid (cards: IIN + Luhn; IBAN: mod-97; NHS, SIN, NIF/NIE,
Steuer-ID: their check digits), and the look-alikes of the hard negatives. Deterministic: one
seeded generator, R, shared with generate.py. Standard library only.
"""
import random

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
