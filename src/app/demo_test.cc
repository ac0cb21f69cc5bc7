#include "app/demo.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "app/application.h"
#include "app/demo_shop.h"

namespace rd::app {
namespace {

namespace fs = std::filesystem;

class DemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "/rd_demo_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // One value of `sql` (the first column of the first row) on the SQLite file at `path`.
  static std::string Scalar(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(st, 0);
      out = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }
  static std::string Bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  Config DemoConfig() const {
    Config c;
    c.data_dir = dir_ + "/data";
    c.catalog_path = std::string(RD_SOURCE_DIR) + "/catalog";
    c.worker_threads = 0;
    ApplyDemoDefaults(c);
    return c;
  }

  std::string dir_;
};

TEST_F(DemoTest, ShopIsTheSameOnEveryRunWithTheKnownSubjects) {
  const std::string a = dir_ + "/a/shop.db", b = dir_ + "/b/shop.db";
  auto made = CreateDemoShop(a);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_TRUE(*made);
  ASSERT_TRUE(CreateDemoShop(b));
  // The same rows, value for value.
  const std::map<std::string, std::string> columns = {
      {"customers", "id, email, first_name, last_name, phone, birth_date, created_at"},
      {"addresses", "id, customer_id, street, postal_code, city, country"},
      {"orders", "id, customer_id, shipping_address_id, ordered_at, status, total_cents"},
      {"order_items", "id, order_id, product, quantity, price_cents"},
      {"newsletter_subscriptions", "id, email, subscribed, subscribed_at"},
      {"support_tickets", "id, customer_email, subject, body, opened_at"}};
  for (const auto& [table, cols] : columns) {
    std::string row = "quote(" + cols + ")";
    for (std::size_t p = row.find(", "); p != std::string::npos; p = row.find(", ", p)) {
      row.replace(p, 2, ") || ',' || quote(");
    }
    const std::string sql = "SELECT count(*) || ':' || group_concat(r, '|') FROM (SELECT " + row +
                            " AS r FROM " + table + " ORDER BY id)";
    const std::string dump = Scalar(a, sql);
    EXPECT_GT(dump.size(), 100u) << table;
    EXPECT_EQ(dump, Scalar(b, sql)) << table;
  }
  EXPECT_EQ(Scalar(a, "SELECT count(*) FROM customers"), std::to_string(kDemoCustomers));
  EXPECT_EQ(Scalar(a, "SELECT count(DISTINCT email) FROM customers"),
            std::to_string(kDemoCustomers));
  for (const DemoSubject& s : DemoSubjects()) {
    const std::string q = "'" + s.email + "'";
    EXPECT_EQ(Scalar(a, "SELECT first_name || ' ' || last_name FROM customers WHERE email = " + q),
              s.name);
    EXPECT_EQ(Scalar(a,
                     "SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id "
                     "WHERE c.email = " +
                         q),
              "3");
    EXPECT_EQ(Scalar(a, "SELECT count(*) FROM support_tickets WHERE customer_email = " + q), "2");
    EXPECT_EQ(Scalar(a, "SELECT count(*) FROM newsletter_subscriptions WHERE email = " + q), "1");
  }
  EXPECT_GT(std::stoi(Scalar(a, "SELECT count(*) FROM order_items")), 500);
}

TEST_F(DemoTest, AnExistingShopIsLeftAlone) {
  const std::string path = dir_ + "/shop.db";
  ASSERT_TRUE(CreateDemoShop(path));
  const std::string before = Bytes(path);
  auto again = CreateDemoShop(path);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(*again);
  EXPECT_EQ(Bytes(path), before);
  EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST_F(DemoTest, UnwritablePlaceIsAClearError) {
  std::ofstream(dir_ + "/file") << "x";
  auto made = CreateDemoShop(dir_ + "/file/shop.db");
  ASSERT_FALSE(made);
  EXPECT_EQ(made.error().code, core::Errc::kUnavailable);
  EXPECT_NE(made.error().message.find("demo shop"), std::string::npos);
}

TEST_F(DemoTest, DefaultsSendMailToThePickupDirUnlessConfigured) {
  Config c;
  c.data_dir = "/srv/rd";
  ApplyDemoDefaults(c);
  EXPECT_EQ(c.smtp_pickup_dir, "/srv/rd/mail");
  Config smtp;
  smtp.smtp_host = "mail.example.com";
  ApplyDemoDefaults(smtp);
  EXPECT_EQ(smtp.smtp_pickup_dir, "");
  Config own;
  own.smtp_pickup_dir = "/tmp/elsewhere";
  ApplyDemoDefaults(own);
  EXPECT_EQ(own.smtp_pickup_dir, "/tmp/elsewhere");
}

TEST_F(DemoTest, SetUpCreatesEverythingOnceThroughTheServices) {
  log::Logger logger(stderr, log::Level::kWarn);
  const Config config = DemoConfig();
  {
    auto app = Application::Open(config, logger);
    ASSERT_TRUE(app) << app.error().message;
    auto demo = SetUpDemo(**app);
    ASSERT_TRUE(demo) << demo.error().message;
    EXPECT_TRUE(demo->shop_created);
    EXPECT_EQ(demo->sources_created, 3);
    EXPECT_EQ(demo->requests_created, 2);
    EXPECT_EQ(demo->mail_dir, fs::path(dir_ + "/data/mail").lexically_normal().string());
    EXPECT_TRUE(fs::exists(demo->shop_path));

    auto sources = (*app)->data_sources().List();
    ASSERT_TRUE(sources);
    ASSERT_EQ(sources->size(), 3u);
    std::map<std::string, std::string> process;
    for (const auto& ds : *sources) process[ds.process] = ds.name;
    EXPECT_EQ(process["integration"], "Demo shop database");
    EXPECT_EQ(process["email"], "PrintWorks fulfilment");
    EXPECT_EQ(process["manual"], "Paper files in the archive");

    auto page = (*app)->requests().List(core::RequestQuery{}, "");
    ASSERT_TRUE(page);
    ASSERT_EQ(page->items.size(), 2u);
    for (const auto& q : page->items) {
      EXPECT_EQ(q.status, core::RequestStatus::kReview);
      EXPECT_EQ(q.channel, core::Channel::kManual);
    }
    const std::string text = DescribeDemo(*demo, "http://127.0.0.1:8080");
    EXPECT_NE(text.find(demo->mail_dir), std::string::npos) << text;
    EXPECT_NE(text.find("ada@example.com"), std::string::npos) << text;
  }
  // A second start (a new process) finds everything and adds nothing.
  auto app = Application::Open(config, logger);
  ASSERT_TRUE(app) << app.error().message;
  auto again = SetUpDemo(**app);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(again->shop_created);
  EXPECT_EQ(again->sources_created, 0);
  EXPECT_EQ(again->requests_created, 0);
  EXPECT_EQ(again->requests.size(), 2u);
  EXPECT_EQ((*app)->data_sources().List()->size(), 3u);
  EXPECT_EQ((*app)->requests().List(core::RequestQuery{}, "")->items.size(), 2u);
  EXPECT_NE(DescribeDemo(*again, "http://x").find("reusing"), std::string::npos);
}

}  // namespace
}  // namespace rd::app
