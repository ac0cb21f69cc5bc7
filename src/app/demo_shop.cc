#include "app/demo_shop.h"

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

namespace rd::app {

// Generated from demo/shop_dataset.yml (src/CMakeLists.txt).
const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedDemoFiles();

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  email VARCHAR(255) NOT NULL,
  first_name VARCHAR(100),
  last_name VARCHAR(100),
  phone VARCHAR(40),
  birth_date DATE,
  created_at DATE NOT NULL,
  do_not_sell BOOLEAN NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX customers_email ON customers(email);
CREATE TABLE addresses (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  street VARCHAR(255),
  postal_code VARCHAR(20),
  city VARCHAR(100),
  country CHAR(2)
);
CREATE INDEX addresses_customer ON addresses(customer_id);
CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(id),
  shipping_address_id INTEGER REFERENCES addresses(id),
  ordered_at DATE NOT NULL,
  status VARCHAR(20) NOT NULL,
  total_cents INTEGER NOT NULL
);
CREATE INDEX orders_customer ON orders(customer_id);
CREATE TABLE order_items (
  id INTEGER PRIMARY KEY,
  order_id INTEGER NOT NULL REFERENCES orders(id),
  product VARCHAR(255) NOT NULL,
  quantity INTEGER NOT NULL,
  price_cents INTEGER NOT NULL
);
CREATE INDEX order_items_order ON order_items(order_id);
CREATE TABLE newsletter_subscriptions (
  id INTEGER PRIMARY KEY,
  email VARCHAR(255) NOT NULL,
  subscribed BOOLEAN NOT NULL DEFAULT 1,
  subscribed_at DATE NOT NULL
);
CREATE INDEX newsletter_email ON newsletter_subscriptions(email);
CREATE TABLE support_tickets (
  id INTEGER PRIMARY KEY,
  customer_email VARCHAR(255) NOT NULL,
  subject VARCHAR(255),
  body TEXT,
  opened_at DATE NOT NULL
);
CREATE INDEX tickets_email ON support_tickets(customer_email);
)sql";

constexpr std::array kFirstNames = {
    "Maria",  "Jonas",  "Sofia", "Lukas", "Emma",  "Noah",   "Mia",    "Elias", "Hannah", "Paul",
    "Lea",    "Felix",  "Clara", "Ben",   "Lina",  "Leon",   "Olivia", "Liam",  "Chloe",  "Lucas",
    "Amelie", "Hugo",   "Ines",  "Mateo", "Julia", "Daniel", "Sarah",  "David", "Anna",   "Samuel",
    "Laura",  "Tobias", "Emily", "James", "Zoe",   "Oliver", "Nora",   "Henry", "Alice",  "Max",
    "Frieda", "Theo",   "Ella",  "Jan",   "Marta", "Pedro",  "Yuki",   "Amir"};
constexpr std::array kLastNames = {
    "Schmidt",   "Müller", "Fischer",  "Weber",   "Wagner", "Becker", "Hoffmann", "Koch",
    "Richter",   "Klein",  "Wolf",     "Neumann", "Dubois", "Martin", "Bernard",  "Moreau",
    "Laurent",   "Smith",  "Jones",    "Taylor",  "Brown",  "Wilson", "Evans",    "Walker",
    "de Vries",  "Jansen", "Bakker",   "Visser",  "Rossi",  "Russo",  "Ferrari",  "Esposito",
    "García",    "López",  "Martínez", "Silva",   "Santos", "Novak",  "Kowalski", "Nowak",
    "Lindqvist", "Hansen", "Nielsen",  "Berg",    "Tanaka", "Haddad", "Okafor",   "Keller"};
constexpr std::array kStreets = {
    "Hauptstraße",    "Bahnhofstraße",   "Gartenweg",   "Lindenallee",  "Schillerstraße",
    "Rue de la Paix", "Rue Victor Hugo", "High Street", "Station Road", "Church Lane",
    "Keizersgracht",  "Prinsengracht",   "Via Roma",    "Calle Mayor",  "Mill Road",
    "Berliner Platz", "Am Markt",        "Rosenweg",    "Elm Street",   "Park Avenue"};
struct City {
  const char* name;
  const char* postal_prefix;
  const char* country;
};
constexpr std::array kCities = {
    City{"Berlin", "10", "DE"},     City{"Hamburg", "20", "DE"}, City{"München", "80", "DE"},
    City{"Köln", "50", "DE"},       City{"Leipzig", "04", "DE"}, City{"Wien", "10", "AT"},
    City{"Zürich", "80", "CH"},     City{"Paris", "75", "FR"},   City{"Lyon", "69", "FR"},
    City{"Amsterdam", "10", "NL"},  City{"Utrecht", "35", "NL"}, City{"London", "E1", "GB"},
    City{"Manchester", "M1", "GB"}, City{"Madrid", "28", "ES"},  City{"Milano", "20", "IT"},
    City{"Kraków", "30", "PL"}};
struct Product {
  const char* name;
  int price_cents;
};
constexpr std::array kProducts = {Product{"Sencha green tea, 100 g", 890},
                                  Product{"Earl Grey, 250 g", 1290},
                                  Product{"Stoneware mug", 1450},
                                  Product{"Glass teapot, 1 l", 3490},
                                  Product{"Rooibos vanilla, 100 g", 790},
                                  Product{"Matcha whisk", 1990},
                                  Product{"Ceramic tea cup set (4)", 4200},
                                  Product{"Darjeeling first flush, 100 g", 1690},
                                  Product{"Tea infuser", 690},
                                  Product{"Gift card", 2500},
                                  Product{"Cast-iron kettle", 5900},
                                  Product{"Chai spice blend, 150 g", 990}};
constexpr std::array kTicketSubjects = {
    "Where is my parcel?", "Damaged item",         "Wrong product delivered",
    "Refund request",      "Change of address",    "Invoice needed",
    "Cancel my order",     "Question about a tea", "Voucher does not work"};
constexpr std::array kTicketBodies = {
    "Hello, my order has not arrived yet. Could you check the tracking, please?",
    "The mug arrived with a crack. Can you send a new one?",
    "I ordered Earl Grey but received rooibos.",
    "Please refund the teapot, it leaks.",
    "I moved last week, please update my shipping address for open orders.",
    "Could you send me an invoice with my company name on it?",
    "Please cancel my last order, I ordered twice by mistake.",
    "Is the sencha suitable for cold brewing?",
    "My gift card code is refused at checkout."};
constexpr std::array kStatuses = {"delivered", "delivered", "delivered", "shipped", "cancelled"};

// SplitMix64: a tiny fixed-seed generator, the same sequence on every platform (unlike the
// standard distributions, whose results may differ between library versions).
class Sequence {
 public:
  explicit Sequence(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // A whole number in [lo, hi].
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  template <class Array>
  const auto& Pick(const Array& a) {
    return a[Next() % a.size()];
  }

 private:
  std::uint64_t state_;
};

std::string Date(int year, int month, int day) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string RandomDate(Sequence& s, int from_year, int to_year) {
  return Date(s.Between(from_year, to_year), s.Between(1, 12), s.Between(1, 28));
}

// Lower-case ASCII for an email's local part: letters kept, umlauts and accents spelled out
// roughly, spaces dropped.
std::string LocalPart(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) {
      if (std::isalpha(c)) out += static_cast<char>(std::tolower(c));
      continue;
    }
    // Two-byte UTF-8 Latin-1 letters: fold the common ones.
    if (c == 0xC3 && i + 1 < name.size()) {
      const unsigned char d = static_cast<unsigned char>(name[++i]);
      switch (d) {
        case 0xA4:
          out += "ae";
          break;  // ä
        case 0xB6:
          out += "oe";
          break;  // ö
        case 0xBC:
          out += "ue";
          break;  // ü
        case 0x9F:
          out += "ss";
          break;  // ß
        case 0xA9:
        case 0xA8:
          out += "e";
          break;  // é è
        case 0xA1:
          out += "a";
          break;  // á
        case 0xAD:
          out += "i";
          break;  // í
        case 0xB3:
          out += "o";
          break;  // ó
        default:
          break;
      }
    } else if (c == 0xC5 && i + 1 < name.size()) {
      ++i;  // ł and friends: dropped
    }
  }
  return out;
}

struct Closer {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using Db = std::unique_ptr<sqlite3, Closer>;
using Stmt = std::unique_ptr<sqlite3_stmt, Closer>;

// One prepared INSERT, bound from a list of values (text or integers) and run.
class Inserter {
 public:
  Inserter(sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    ok_ = sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK;
    st_.reset(st);
  }
  struct Value {
    Value(std::int64_t v) : is_int(true), i(v) {}  // NOLINT: implicit on purpose
    Value(int v) : is_int(true), i(v) {}           // NOLINT
    Value(std::string v) : s(std::move(v)) {}      // NOLINT
    Value(const char* v) : s(v) {}                 // NOLINT
    bool is_int = false;
    std::int64_t i = 0;
    std::string s;
  };
  bool Run(std::initializer_list<Value> values) {
    if (!ok_) return false;
    sqlite3_reset(st_.get());
    int n = 1;
    for (const Value& v : values) {
      if (v.is_int) {
        sqlite3_bind_int64(st_.get(), n++, v.i);
      } else {
        sqlite3_bind_text(st_.get(), n++, v.s.c_str(), static_cast<int>(v.s.size()),
                          SQLITE_TRANSIENT);
      }
    }
    ok_ = sqlite3_step(st_.get()) == SQLITE_DONE;
    return ok_;
  }

 private:
  Stmt st_;
  bool ok_ = false;
};

// The shop's rows: the demo subjects first (ids 1..3, each with data in every table), then
// the generated customers, prospects on the newsletter, and tickets.
class ShopWriter {
 public:
  explicit ShopWriter(sqlite3* db)
      : customers_(db,
                   "INSERT INTO customers (id, email, first_name, last_name, phone, birth_date, "
                   "created_at, do_not_sell) VALUES (?, ?, ?, ?, ?, ?, ?, 0)"),
        addresses_(db,
                   "INSERT INTO addresses (id, customer_id, street, postal_code, city, country) "
                   "VALUES (?, ?, ?, ?, ?, ?)"),
        orders_(db,
                "INSERT INTO orders (id, customer_id, shipping_address_id, ordered_at, status, "
                "total_cents) VALUES (?, ?, ?, ?, ?, ?)"),
        items_(db,
               "INSERT INTO order_items (id, order_id, product, quantity, price_cents) "
               "VALUES (?, ?, ?, ?, ?)"),
        newsletter_(db,
                    "INSERT INTO newsletter_subscriptions (id, email, subscribed, subscribed_at) "
                    "VALUES (?, ?, ?, ?)"),
        tickets_(db,
                 "INSERT INTO support_tickets (id, customer_email, subject, body, opened_at) "
                 "VALUES (?, ?, ?, ?, ?)") {}

  bool Write() {
    Sequence s(20260101);
    const auto& subjects = DemoSubjects();
    std::set<std::string> emails;
    for (int id = 1; id <= kDemoCustomers && ok_; ++id) {
      std::string first, last, email;
      const bool known = id <= static_cast<int>(subjects.size());
      if (known) {
        const DemoSubject& p = subjects[id - 1];
        first = p.name.substr(0, p.name.find(' '));
        last = p.name.substr(p.name.find(' ') + 1);
        email = p.email;
      } else {
        first = s.Pick(kFirstNames);
        last = s.Pick(kLastNames);
        const char* domain = s.Between(0, 1) ? "example.net" : "example.org";
        const std::string base = LocalPart(first) + "." + LocalPart(last);
        email = base + "@" + domain;
        for (int n = s.Between(1, 99); emails.count(email) > 0; ++n) {
          email = base + std::to_string(n) + "@" + domain;
        }
      }
      emails.insert(email);
      Customer(s, id, first, last, email, known);
    }
    // People on the newsletter who never ordered.
    for (int i = 0; i < 40 && ok_; ++i) {
      const std::string email =
          LocalPart(s.Pick(kFirstNames)) + std::to_string(1000 + i) + "@example.org";
      ok_ = newsletter_.Run(
          {++newsletter_id_, email, s.Between(0, 4) > 0 ? 1 : 0, RandomDate(s, 2020, 2025)});
    }
    return ok_;
  }

 private:
  void Customer(Sequence& s, int id, const std::string& first, const std::string& last,
                const std::string& email, bool known) {
    char phone[32];
    std::snprintf(phone, sizeof phone, "+49 15%d %07d", s.Between(1, 7), s.Between(0, 9999999));
    ok_ = ok_ && customers_.Run({id, email, first, last, std::string(phone),
                                 RandomDate(s, 1950, 2004), RandomDate(s, 2019, 2023)});
    // Addresses: the known subjects have two, everyone else one or two.
    const int n_addresses = known ? 2 : s.Between(1, 2);
    std::vector<std::int64_t> addresses;
    for (int a = 0; a < n_addresses && ok_; ++a) {
      const City& city = s.Pick(kCities);
      const std::string street =
          std::string(s.Pick(kStreets)) + " " + std::to_string(s.Between(1, 180));
      const std::string postal =
          std::string(city.postal_prefix) + std::to_string(s.Between(100, 999));
      addresses.push_back(++address_id_);
      ok_ = addresses_.Run({address_id_, id, street, postal, city.name, city.country});
    }
    // Orders with their items.
    const int n_orders = known ? 3 : s.Between(0, 6);
    for (int o = 0; o < n_orders && ok_; ++o) {
      const std::int64_t order = ++order_id_;
      const std::int64_t address = addresses[s.Next() % addresses.size()];
      int total = 0;
      const int n_items = s.Between(1, 4);
      struct Line {
        const char* product;
        int quantity;
        int price;
      };
      std::vector<Line> lines;
      for (int i = 0; i < n_items; ++i) {
        const Product& p = s.Pick(kProducts);
        lines.push_back({p.name, s.Between(1, 3), p.price_cents});
        total += lines.back().quantity * p.price_cents;
      }
      ok_ = orders_.Run({order, id, address, RandomDate(s, 2022, 2025),
                         known ? "delivered" : s.Pick(kStatuses), total});
      for (const Line& l : lines) {
        if (ok_) ok_ = items_.Run({++item_id_, order, l.product, l.quantity, l.price});
      }
    }
    // Newsletter: the known subjects and about 60% of the others.
    if (ok_ && (known || s.Between(0, 9) < 6)) {
      ok_ = newsletter_.Run({++newsletter_id_, email, 1, RandomDate(s, 2020, 2025)});
    }
    // Tickets: two for the known subjects, about one customer in four has one or two.
    const int n_tickets = known ? 2 : (s.Between(0, 3) == 0 ? s.Between(1, 2) : 0);
    for (int t = 0; t < n_tickets && ok_; ++t) {
      const std::size_t k = s.Next() % kTicketSubjects.size();
      ok_ = tickets_.Run(
          {++ticket_id_, email, kTicketSubjects[k], kTicketBodies[k], RandomDate(s, 2023, 2025)});
    }
  }

  Inserter customers_, addresses_, orders_, items_, newsletter_, tickets_;
  std::int64_t address_id_ = 0, order_id_ = 0, item_id_ = 0, newsletter_id_ = 0, ticket_id_ = 0;
  bool ok_ = true;
};

core::Error Unwritable(const std::string& path, const std::string& why) {
  return core::Error{core::Errc::kUnavailable, "demo shop: cannot create " + path + ": " + why};
}

}  // namespace

const std::vector<DemoSubject>& DemoSubjects() {
  static const std::vector<DemoSubject> kSubjects = {
      {"ada@example.com", "Ada Lovelace", "deletion"},
      {"grace@example.com", "Grace Hopper", "copy"},
      {"alan@example.com", "Alan Turing", ""},
  };
  return kSubjects;
}

core::Result<bool> CreateDemoShop(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(path, ec)) return false;
  fs::create_directories(fs::path(path).parent_path(), ec);
  const std::string temp = path + ".tmp";
  fs::remove(temp, ec);  // a leftover of an interrupted run
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(temp.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return tl::unexpected(Unwritable(path, sqlite3_errstr(rc)));
  auto exec = [&](const char* sql) {
    return sqlite3_exec(db.get(), sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  };
  bool ok = exec("BEGIN") && exec(kSchema);
  if (ok) ok = ShopWriter(db.get()).Write();
  ok = ok && exec("COMMIT");
  std::string why = ok ? "" : sqlite3_errmsg(db.get());
  db.reset();
  if (ok) {
    fs::rename(temp, path, ec);
    if (ec) why = ec.message();
  }
  if (!ok || ec) {
    fs::remove(temp, ec);
    return tl::unexpected(Unwritable(path, why));
  }
  return true;
}

std::string_view DemoShopDataset() {
  for (const auto& [name, text] : EmbeddedDemoFiles()) {
    if (name == "shop_dataset.yml") return text;
  }
  return {};
}

std::string DemoShopConnector(const std::string& path) {
  const nlohmann::json connector = {
      {"kind", "sql"},
      {"url", "sqlite://" + path},
      {"erasure",
       {{"default", "null"},
        {"categories",
         {{"user.contact.email", "hmac"},
          {"user.name", {{"strategy", "string"}, {"value", "REDACTED"}}},
          {"user.contact.phone_number", "hash"},
          {"user.contact.address.street", {{"strategy", "random"}, {"length", 12}}}}}}}};
  return connector.dump();
}

}  // namespace rd::app
