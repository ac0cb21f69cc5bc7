// The SQL connector against real databases: a SQLite file always; PostgreSQL and MariaDB when
// RD_TEST_CONNECTOR_URL names a server (ctest's connectors.postgres and connectors.mariadb,
// started by scripts/test-postgres and scripts/test-mariadb). Each test gets a fresh database
// with the shop of tests/fixtures/shop and checks it directly afterwards.
#include "connectors/sql_connector.h"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <sodium.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <tuple>

#include "connectors/registry.h"
#include "crypto/sodium_crypto.h"

namespace rd::connectors {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> Statements(const std::string& sql) {
  std::string text;
  std::istringstream in(sql);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("--", 0) != 0) text += line + "\n";
  }
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t semi; (semi = text.find(';', start)) != std::string::npos; start = semi + 1) {
    out.push_back(text.substr(start, semi - start));
  }
  return out;
}

std::string RandomName() {
  std::random_device rd;
  return "rdc_" + std::to_string(rd() % 1000000000);
}

// A fresh shop database: a SQLite file, or a new database on the server of
// RD_TEST_CONNECTOR_URL. Its URL is `url`.
class ShopDatabase {
 public:
  ShopDatabase() {
    const char* server = std::getenv("RD_TEST_CONNECTOR_URL");
    const std::string name = RandomName();
    if (server == nullptr || *server == '\0') {
      dir_ = fs::temp_directory_path() / name;
      fs::create_directories(dir_);
      url = "sqlite://" + (dir_ / "shop.db").string();
    } else {
      auto admin = ParseConnectionUrl(server);
      EXPECT_TRUE(admin);
      soci::session sql(admin->Backend(), admin->ConnectString());
      sql << "CREATE DATABASE " + name;
      url = std::string(server);
      url = url.substr(0, url.rfind('/') + 1) + name;
    }
    auto u = ParseConnectionUrl(url);
    EXPECT_TRUE(u);
    parsed = *u;
    sql.open(parsed.Backend(), parsed.ConnectString());
    for (const auto& s : Statements(ReadFile(RD_SHOP_FIXTURES "/schema.sql"))) sql << s;
    for (const auto& s : Statements(ReadFile(RD_SHOP_FIXTURES "/data.sql"))) sql << s;
  }
  ~ShopDatabase() {
    sql.close();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  long long Count(const std::string& query) {
    long long n = -1;
    sql << query, soci::into(n);
    return n;
  }
  std::string Text(const std::string& query) {
    std::string v;
    soci::indicator ind = soci::i_ok;
    sql << query, soci::into(v, ind);
    return ind == soci::i_null ? "<null>" : v;
  }

  std::string url;
  ConnectionUrl parsed;
  soci::session sql;

 private:
  fs::path dir_;
};

class SqlConnectorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(crypto::InitSodium()); }

  std::unique_ptr<core::Connector> Open(const std::string& erasure = "") {
    core::DataSource ds;
    ds.process = "integration";
    ds.dataset = ReadFile(RD_SHOP_FIXTURES "/dataset.yml");
    std::string connector = "{\"kind\":\"sql\",\"url\":\"" + db_.url + "\"";
    if (!erasure.empty()) connector += ",\"erasure\":" + erasure;
    connector += "}";
    auto stored = registry_.Prepare(connector, ds.dataset, "");
    EXPECT_TRUE(stored) << stored.error().message;
    ds.connector = *stored;
    auto c = registry_.Open(ds);
    EXPECT_TRUE(c) << c.error().message;
    return std::move(*c);
  }

  static std::map<std::string, std::int64_t> Found(const core::ConnectorResult& r) {
    std::map<std::string, std::int64_t> out;
    for (const auto& c : r.collections) out[c.name] = c.found;
    return out;
  }

  crypto::SodiumCrypto crypto_{std::string(32, 'k')};
  Registry registry_{crypto_};
  ShopDatabase db_;
  const core::Identities ana_{{"email", "ana@example.org"}};
};

TEST_F(SqlConnectorTest, TestConnectsAndReadsEveryCollection) {
  auto c = Open();
  EXPECT_TRUE(c->Test());
  db_.sql << "DROP TABLE order_items";
  auto s = c->Test();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, core::Errc::kInvalidArgument);
  EXPECT_EQ(s.error().message.rfind("collections[order_items]: cannot be read", 0), 0u)
      << s.error().message;
}

TEST_F(SqlConnectorTest, FindFollowsTheReferencesFromTheIdentities) {
  auto c = Open();
  auto r = c->Find(ana_);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(Found(*r), (std::map<std::string, std::int64_t>{{"customers", 1},
                                                            {"addresses", 2},
                                                            {"orders", 2},
                                                            {"order_items", 3},
                                                            {"newsletter", 1},
                                                            {"tickets", 2}}));
  // One statement per collection and key set: seeds, then addresses/orders, then items.
  EXPECT_LE(r->statements, 8);
  auto nobody = c->Find({{"email", "nobody@example.org"}});
  ASSERT_TRUE(nobody);
  EXPECT_EQ(nobody->Total(&core::CollectionOutcome::found), 0);
  // By phone: the customer and what hangs off it, not the email-only tables.
  auto phone = c->Find({{"phone_number", "+4915100000001"}});
  ASSERT_TRUE(phone);
  EXPECT_EQ(Found(*phone)["orders"], 2);
  EXPECT_EQ(Found(*phone)["tickets"], 0);
}

TEST_F(SqlConnectorTest, ExportStreamsEveryReachableRowToTheSink) {
  auto c = Open();
  core::RowCollector all(1000);
  auto r = c->Export(ana_, all);
  ASSERT_TRUE(r) << r.error().message;
  all.MoveInto(*r);
  EXPECT_EQ(r->Total(&core::CollectionOutcome::exported), 11);
  EXPECT_FALSE(r->truncated);
  const auto& customers = r->collections.front();
  ASSERT_EQ(customers.name, "customers");
  ASSERT_EQ(customers.rows.size(), 1u);
  EXPECT_NE(customers.rows[0].find("\"email\":\"ana@example.org\""), std::string::npos)
      << customers.rows[0];
  EXPECT_NE(customers.rows[0].find("\"id\":1"), std::string::npos) << customers.rows[0];
  core::RowCollector three(3);
  auto limited = c->Export(ana_, three);
  ASSERT_TRUE(limited);
  three.MoveInto(*limited);
  EXPECT_EQ(limited->Total(&core::CollectionOutcome::exported), 11);
  EXPECT_TRUE(limited->truncated);
  std::size_t kept = 0;
  for (const auto& col : limited->collections) kept += col.rows.size();
  EXPECT_EQ(kept, 3u);
  const std::string json = core::ConnectorResultJson(*limited, true);
  EXPECT_NE(json.find("\"rows\":{\"customers\":["), std::string::npos) << json;
}

// A sink that refuses stops the export with its error.
class RefusingSink final : public core::RowSink {
 public:
  core::Status Row(const std::string&, std::string) override {
    return core::Fail(core::Errc::kUnavailable, "package: disk full");
  }
};

TEST_F(SqlConnectorTest, ExportStopsWhenTheSinkFails) {
  auto c = Open();
  RefusingSink sink;
  auto r = c->Export(ana_, sink);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "package: disk full");
}

TEST_F(SqlConnectorTest, EraseMasksAndDeletesByThePolicyThenVerifies) {
  auto c = Open(
      R"({"default":"null","categories":{"user.contact.email":"hmac",)"
      R"("user.name":{"strategy":"string","value":"REDACTED"},)"
      R"("user.contact.phone_number":"hash","user.contact.address.street":{"strategy":"random","length":12}}})");
  auto r = c->Erase(ana_, "per-request-secret");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->verified);
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> done;
  for (const auto& o : r->collections) done[o.name] = {o.erased, o.masked};
  EXPECT_EQ(done["order_items"], std::make_pair(std::int64_t{3}, std::int64_t{0}));
  EXPECT_EQ(done["tickets"], std::make_pair(std::int64_t{2}, std::int64_t{0}));
  EXPECT_EQ(done["customers"], std::make_pair(std::int64_t{0}, std::int64_t{1}));
  EXPECT_EQ(done["addresses"], std::make_pair(std::int64_t{0}, std::int64_t{2}));
  EXPECT_EQ(done["newsletter"], std::make_pair(std::int64_t{0}, std::int64_t{1}));
  EXPECT_EQ(done["orders"], std::make_pair(std::int64_t{0}, std::int64_t{0}));  // nothing personal

  // The target database itself.
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  const std::string secret = "per-request-secret", email = "ana@example.org";
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(email.data()),
                                email.size());
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  EXPECT_EQ(db_.Text("SELECT email FROM customers WHERE id = 1"), hex);
  EXPECT_EQ(db_.Text("SELECT name FROM customers WHERE id = 1"), "REDACTED");
  unsigned char sha[crypto_hash_sha256_BYTES];
  const std::string phone = "+4915100000001";
  crypto_hash_sha256(sha, reinterpret_cast<const unsigned char*>(phone.data()), phone.size());
  char sha_hex[sizeof sha * 2 + 1];
  sodium_bin2hex(sha_hex, sizeof sha_hex, sha, sizeof sha);
  EXPECT_EQ(db_.Text("SELECT phone FROM customers WHERE id = 1"), sha_hex);
  const std::string street = db_.Text("SELECT street FROM addresses WHERE id = 10");
  EXPECT_EQ(street.size(), 12u);
  EXPECT_NE(street, "Main St 1");
  EXPECT_EQ(db_.Text("SELECT city FROM addresses WHERE id = 10"), "<null>");        // default: null
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM addresses WHERE customer_id = 1"), 2);  // join kept
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM order_items WHERE order_id IN (100, 101)"), 0);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM tickets WHERE customer_email = 'ana@example.org'"), 0);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM orders WHERE customer_id = 1"), 2);
  // Bo is untouched.
  EXPECT_EQ(db_.Text("SELECT email FROM customers WHERE id = 2"), "bo@example.org");
  EXPECT_EQ(db_.Text("SELECT name FROM customers WHERE id = 2"), "Bo Other");
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM order_items"), 1);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM tickets"), 1);
  EXPECT_EQ(db_.Text("SELECT street FROM addresses WHERE id = 12"), "Other St 3");

  // Idempotent: a second run finds nothing and changes nothing.
  auto again = c->Erase(ana_, "per-request-secret");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->verified);
  EXPECT_EQ(again->Total(&core::CollectionOutcome::found), 0);
  EXPECT_EQ(again->Total(&core::CollectionOutcome::masked), 0);
}

std::string HmacHex(const std::string& secret, const std::string& value) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                              secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(value.data()),
                                value.size());
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[sizeof mac * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

TEST_F(SqlConnectorTest, EraseManyErasesEverySubjectInOneTransactionWithItsOwnCounts) {
  auto c = Open(R"({"default":"delete"})");
  EXPECT_EQ(c->EraseBatchLimit(), kMaxSubjectsPerErase);
  auto r = c->EraseMany({{ana_, "a"},
                         {{{"email", "bo@example.org"}}, "b"},
                         {{{"email", "nobody@example.org"}}, "n"}});
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  const auto& [ana, bo, nobody] = std::tie((*r)[0], (*r)[1], (*r)[2]);
  EXPECT_EQ(ana.Total(&core::CollectionOutcome::erased), 11);
  EXPECT_EQ(Found(ana), (std::map<std::string, std::int64_t>{{"customers", 1},
                                                             {"addresses", 2},
                                                             {"orders", 2},
                                                             {"order_items", 3},
                                                             {"newsletter", 1},
                                                             {"tickets", 2}}));
  EXPECT_EQ(bo.Total(&core::CollectionOutcome::erased), 6);
  EXPECT_EQ(nobody.Total(&core::CollectionOutcome::found), 0);
  for (const auto& one : *r) {
    EXPECT_TRUE(one.verified);
    EXPECT_EQ(one.action, "erase");
    EXPECT_EQ(one.batch_subjects, 3);
    EXPECT_EQ(one.statements, ana.statements);  // the batch's, shared
  }
  // One walk for all three: as many statements as one subject's erasure takes.
  EXPECT_LE(ana.statements, 20);
  EXPECT_NE(core::ConnectorResultJson(ana, false).find("\"batch_subjects\":3"), std::string::npos);
  for (const char* table :
       {"customers", "addresses", "orders", "order_items", "newsletter", "tickets"}) {
    EXPECT_EQ(db_.Count(std::string("SELECT COUNT(*) FROM ") + table), 0) << table;
  }
  // Idempotent: again, nothing is found.
  auto again = c->EraseMany({{ana_, "a"}, {{{"email", "bo@example.org"}}, "b"}});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ((*again)[0].Total(&core::CollectionOutcome::found) +
                (*again)[1].Total(&core::CollectionOutcome::found),
            0);
}

TEST_F(SqlConnectorTest, EraseManyMasksEachRowWithItsSubjectsSecret) {
  auto c = Open(R"({"default":"null","categories":{"user.contact.email":"hmac"}})");
  auto r = c->EraseMany({{ana_, "secret-of-ana"}, {{{"email", "bo@example.org"}}, "secret-of-bo"}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ((*r)[0].Total(&core::CollectionOutcome::masked), 4);  // customer, addresses, newsletter
  EXPECT_EQ((*r)[1].Total(&core::CollectionOutcome::masked), 3);
  EXPECT_EQ((*r)[0].Total(&core::CollectionOutcome::erased), 5);  // order items and tickets
  EXPECT_EQ(db_.Text("SELECT email FROM customers WHERE id = 1"),
            HmacHex("secret-of-ana", "ana@example.org"));
  EXPECT_EQ(db_.Text("SELECT email FROM customers WHERE id = 2"),
            HmacHex("secret-of-bo", "bo@example.org"));
  EXPECT_EQ(db_.Text("SELECT email FROM newsletter WHERE id = 21"),
            HmacHex("secret-of-bo", "bo@example.org"));
  // The same as erasing each alone: Erase is EraseMany of one.
  EXPECT_EQ((*r)[0].batch_subjects, 2);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM addresses WHERE street IS NOT NULL"), 0);
}

TEST_F(SqlConnectorTest, EraseManyOfNoSubjectsDoesNothing) {
  auto c = Open();
  auto r = c->EraseMany({});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->empty());
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM customers"), 2);
}

TEST_F(SqlConnectorTest, DeleteAsTheDefaultRemovesEveryReachableRowChildrenFirst) {
  auto c = Open(R"({"default":"delete"})");
  auto r = c->Erase(ana_, "s");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->verified);
  EXPECT_EQ(r->Total(&core::CollectionOutcome::erased), 11);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM customers"), 1);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM orders"), 1);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM addresses"), 1);
  EXPECT_EQ(db_.Text("SELECT email FROM customers"), "bo@example.org");
}

TEST_F(SqlConnectorTest, FixedStringMaskingOfTheIdentity) {
  auto c = Open(R"({"default":{"strategy":"string","value":"erased"}})");
  auto r = c->Erase(ana_, "s");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(db_.Text("SELECT email FROM customers WHERE id = 1"), "erased");
  EXPECT_EQ(db_.Text("SELECT email FROM newsletter WHERE id = 20"), "erased");
}

TEST_F(SqlConnectorTest, AFailedStatementRollsBackTheWholeErasure) {
  // NOT NULL on customers.email: NULL masking fails there, after order_items, tickets and
  // addresses were changed in the same transaction.
  auto c = Open(R"({"default":"null"})");
  auto r = c->Erase(ana_, "s");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, core::Errc::kUnavailable);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM order_items"), 4);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM tickets"), 3);
  EXPECT_EQ(db_.Text("SELECT street FROM addresses WHERE id = 10"), "Main St 1");
}

TEST_F(SqlConnectorTest, OptOutSetsTheAnnotatedFields) {
  auto c = Open();
  auto r = c->OptOut(ana_);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->Total(&core::CollectionOutcome::opted_out), 2);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM customers WHERE do_not_sell = TRUE"), 1);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM customers WHERE id = 1 AND do_not_sell = TRUE"), 1);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM newsletter WHERE subscribed = FALSE"), 1);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM newsletter WHERE id = 20 AND subscribed = FALSE"), 1);
  auto again = c->OptOut(ana_);
  ASSERT_TRUE(again);
}

TEST_F(SqlConnectorTest, KeysAreReadInBatchesOfAtMost500) {
  // 1200 orders for Ana: three batches for order_items.
  soci::transaction tx(db_.sql);
  for (int i = 0; i < 1200; ++i) {
    db_.sql << "INSERT INTO orders (id, customer_id, shipping_address_id, total_cents) VALUES (" +
                   std::to_string(5000 + i) + ", 1, NULL, 1)";
  }
  tx.commit();
  auto c = Open(R"({"default":"delete"})");
  auto r = c->Find(ana_);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(Found(*r)["orders"], 1202);
  auto e = c->Erase(ana_, "s");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM orders WHERE customer_id = 1"), 0);
  EXPECT_EQ(db_.Count("SELECT COUNT(*) FROM orders"), 1);
}

TEST_F(SqlConnectorTest, AnUnreachableServerIsUnavailable) {
  core::DataSource ds;
  ds.process = "integration";
  ds.dataset = ReadFile(RD_SHOP_FIXTURES "/dataset.yml");
  auto stored = registry_.Prepare(R"({"kind":"sql","url":"sqlite:///nonexistent/dir/shop.db"})",
                                  ds.dataset, "");
  ASSERT_TRUE(stored);
  ds.connector = *stored;
  auto c = registry_.Open(ds);
  ASSERT_TRUE(c);
  auto s = (*c)->Test();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, core::Errc::kUnavailable);
  EXPECT_FALSE(fs::exists("/nonexistent/dir/shop.db"));
}

TEST(ConnectorRegistry, PasswordsAreSealedAndShownAsStars) {
  ASSERT_TRUE(crypto::InitSodium());
  crypto::SodiumCrypto crypto(std::string(32, 'k'));
  Registry registry(crypto);
  const std::string dataset = ReadFile(RD_SHOP_FIXTURES "/dataset.yml");
  auto stored = registry.Prepare(
      R"({"kind":"sql","url":"postgresql://shop:p%40ss@db.internal:5432/shop"})", dataset, "");
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->find("p@ss"), std::string::npos);
  EXPECT_EQ(stored->find("p%40ss"), std::string::npos);
  EXPECT_NE(stored->find("sealed_password"), std::string::npos);
  EXPECT_EQ(registry.Redact(*stored),
            R"({"kind":"sql","url":"postgresql://shop:***@db.internal:5432/shop"})");
  // Sent back as read: the sealed password stays.
  auto again = registry.Prepare(registry.Redact(*stored), dataset, *stored);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(*again, *stored);
  // Another host with "***": refused.
  auto moved = registry.Prepare(
      R"({"kind":"sql","url":"postgresql://shop:***@evil.example:5432/shop"})", dataset, *stored);
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().message.rfind("connector.url: '***' keeps", 0), 0u);

  for (
      const auto& [connector, error] : std::vector<std::pair<std::string, std::string>>{
          {"[]", "connector: must be a JSON object"},
          {R"({"url":"sqlite:///x.db"})", "connector.kind: required (sql, saas or webhook)"},
          {R"({"kind":"ftp","url":"x"})",
           "connector.kind: 'ftp' is not available; use sql, saas or webhook"},
          {R"({"kind":"sql"})",
           "connector.url: required, e.g. sqlite:///abs/path.db, "
           "postgresql://user:pass@host:5432/db or "
           "mysql://user:pass@host:3306/db"},
          {R"({"kind":"sql","url":"oracle://x/y"})",
           "connector.url: unsupported scheme 'oracle'; use sqlite, postgresql or mysql"},
          {R"({"kind":"sql","url":"sqlite://rel.db"})",
           "connector.url: a SQLite URL names an absolute path: sqlite:///abs/path.db"},
          {R"({"kind":"sql","url":"mysql://u:p@h:port/db"})",
           "connector.url: the port must be a number"},
          {R"({"kind":"sql","url":"mysql://u:p@h:3306"})",
           "connector.url: the database name is missing (…/db)"},
          {R"({"kind":"sql","url":"sqlite:///x.db","erasure":{"default":"shred"}})",
           "connector.erasure.default: 'shred' is not a strategy; use null, string, random, "
           "hash, hmac or delete"},
          {R"({"kind":"sql","url":"sqlite:///x.db","erasure":{"categories":{"user.name":{"strategy":"random","length":0}}}})",
           "connector.erasure.categories[user.name].length: a whole number from 1 to 200"},
          {R"({"kind":"sql","url":"sqlite:///x.db","extra":1})", "connector.extra: unknown field"},
      }) {
    auto r = registry.Prepare(connector, dataset, "");
    ASSERT_FALSE(r) << connector;
    EXPECT_EQ(r.error().message, error) << connector;
  }
  // Without a mapping the source is stored (a scan proposes one) but cannot run.
  auto no_dataset = registry.Prepare(R"({"kind":"sql","url":"sqlite:///x.db"})", "", "");
  ASSERT_TRUE(no_dataset) << no_dataset.error().message;
  core::DataSource ds;
  ds.process = "integration";
  ds.connector = *no_dataset;
  auto opened = registry.Open(ds);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().message.rfind("dataset: this source has no dataset mapping yet", 0), 0u);
}

}  // namespace
}  // namespace rd::connectors
