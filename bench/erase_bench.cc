// Erasure of many subjects from a large PostgreSQL shop: the product's set-based batch
// (SqlConnector::EraseMany) against a row-at-a-time baseline as Fides runs it (find the rows
// of each subject, then one UPDATE or DELETE per row), on identical copies of the data, in one
// run (docs/performance.md, "Erasure: set-based against row at a time").
//   build/bench/erase_bench --server postgresql://postgres@127.0.0.1:5432/postgres
//       [--customers 1000000] [--orders 5000000] [--subjects 10000] [--batch 500]
//       [--single 0] [--latency-us 0]
// Builds a template database once (generate_series: customers with unique emails, one
// address each, orders spread over the customers; the indexes a shop has on its keys and
// identity column), then per run clones it (CREATE DATABASE ... TEMPLATE) and erases the same
// subjects (every customers/subjects-th customer) by the same policy: customers and addresses
// masked (email by HMAC, the rest NULL), orders deleted. Checks afterwards that no subject's
// email and no subject's order is left and that the other customers are untouched.
// --single N also times N subjects through the per-subject Erase (one call, one connection,
// one transaction each) and extrapolates to --subjects.
// --latency-us N puts the database N microseconds away in each direction (bench/latency_proxy:
// a forwarder on loopback), as a database on a LAN or in another zone is; both runs go
// through it.
// Prints a Markdown table: run, subjects, seconds, statements, statements per subject, and
// the speed-up over the baseline. The baseline runs twice: each statement in its own
// transaction, as Fides sends them (the speed-up is over this one), and each subject in one
// transaction, kinder to it than Fides is (BaselineTx).
#include <soci/soci.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/dataset.h"
#include "connectors/registry.h"
#include "connectors/sql_connector.h"
#include "connectors/traversal.h"
#include "latency_proxy.h"

namespace {

using Clock = std::chrono::steady_clock;
using rd::connectors::SqlConnector;

constexpr const char* kDataset = R"(dataset:
  - fides_key: bench_shop
    collections:
      - name: customers
        fields:
          - name: id
            data_categories: [user.unique_id]
            fides_meta: {primary_key: true}
          - name: email
            data_categories: [user.contact.email]
            fides_meta: {identity: email}
          - name: name
            data_categories: [user.name]
          - name: phone
            data_categories: [user.contact.phone_number]
      - name: addresses
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta: {primary_key: true}
          - name: customer_id
            data_categories: [user.unique_id]
            fides_meta:
              references: [{dataset: bench_shop, field: customers.id, direction: from}]
          - name: street
            data_categories: [user.contact.address.street]
          - name: city
            data_categories: [user.contact.address.city]
      - name: orders
        fides_meta:
          masking_strategy_override: {strategy: delete}
        fields:
          - name: id
            data_categories: [system.operations]
            fides_meta: {primary_key: true}
          - name: customer_id
            data_categories: [user.unique_id]
            fides_meta:
              references: [{dataset: bench_shop, field: customers.id, direction: from}]
          - name: total_cents
            data_categories: [system.operations]
)";
constexpr const char* kPolicy = R"({"default":"null","categories":{"user.contact.email":"hmac"}})";

struct Options {
  std::string server;
  long customers = 1000000;
  long orders = 5000000;
  long subjects = 10000;
  long batch = 500;
  long single = 0;
  long latency_us = 0;
  std::string run_server;  // where the timed runs connect: the server or the latency proxy
};

double Seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string Url(const Options& o, const std::string& db) {
  return o.server.substr(0, o.server.rfind('/') + 1) + db;
}

soci::session Open(const std::string& url) {
  auto u = rd::connectors::ParseConnectionUrl(url);
  if (!u) {
    std::fprintf(stderr, "erase_bench: %s\n", u.error().message.c_str());
    std::exit(2);
  }
  return soci::session(u->Backend(), u->ConnectString());
}

void BuildTemplate(const Options& o) {
  soci::session admin = Open(o.server);
  admin << "DROP DATABASE IF EXISTS rd_erase_template";
  admin << "CREATE DATABASE rd_erase_template";
  soci::session sql = Open(Url(o, "rd_erase_template"));
  const auto start = Clock::now();
  const std::string c = std::to_string(o.customers);
  for (const std::string& s : std::vector<std::string>{
           "CREATE TABLE customers (id BIGINT PRIMARY KEY, email TEXT NOT NULL, name TEXT, "
           "phone TEXT)",
           "CREATE TABLE addresses (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL "
           "REFERENCES customers(id), street TEXT, city TEXT)",
           "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL "
           "REFERENCES customers(id), total_cents INTEGER NOT NULL)",
           "INSERT INTO customers SELECT g, 'customer' || g || '@example.org', 'Name ' || g, "
           "'+4915' || lpad(g::text, 9, '0') FROM generate_series(1, " +
               c + ") g",
           "INSERT INTO addresses SELECT g, g, 'Street ' || g, 'City ' || (g % 1000) "
           "FROM generate_series(1, " +
               c + ") g",
           "INSERT INTO orders SELECT g, 1 + (g::bigint * 7919) % " + c +
               ", g % 10000 FROM generate_series(1, " + std::to_string(o.orders) + ") g",
           "CREATE UNIQUE INDEX customers_email ON customers(email)",
           "CREATE INDEX addresses_customer ON addresses(customer_id)",
           "CREATE INDEX orders_customer ON orders(customer_id)", "VACUUM ANALYZE"}) {
    sql << s;
  }
  std::fprintf(stderr, "template: %ld customers, %ld addresses, %ld orders in %.1f s\n",
               o.customers, o.customers, o.orders, Seconds(start));
}

// A fresh copy of the template, named `name`.
std::string Clone(const Options& o, const std::string& name) {
  soci::session admin = Open(o.server);
  admin << "DROP DATABASE IF EXISTS " + name;
  admin << "CREATE DATABASE " + name + " TEMPLATE rd_erase_template";
  // The copy's WAL written out now, so that no run pays for a checkpoint of the copy.
  admin << "CHECKPOINT";
  return o.run_server.substr(0, o.run_server.rfind('/') + 1) + name;
}

std::vector<std::string> SubjectEmails(const Options& o) {
  std::vector<std::string> out;
  const long step = o.customers / o.subjects;
  for (long i = 0; i < o.subjects; ++i) {
    out.push_back("customer" + std::to_string(1 + i * step) + "@example.org");
  }
  return out;
}

std::string Secret(long i) { return "bench-secret-" + std::to_string(i); }

// Every subject's email and order gone; the others whole.
void Check(const std::string& url, const Options& o, const std::vector<std::string>& emails) {
  soci::session sql = Open(url);
  long long left_emails = 0, orders = 0, customers = 0, masked = 0;
  sql << "SELECT COUNT(*) FROM customers WHERE email LIKE 'customer%@example.org'",
      soci::into(left_emails);
  sql << "SELECT COUNT(*) FROM orders", soci::into(orders);
  sql << "SELECT COUNT(*) FROM customers", soci::into(customers);
  sql << "SELECT COUNT(*) FROM addresses WHERE street IS NULL", soci::into(masked);
  long long expected_orders = 0;
  {
    // Orders of the subjects in the template: what must be gone.
    soci::session t = Open(Url(o, "rd_erase_template"));
    const long step = o.customers / o.subjects;
    t << "SELECT COUNT(*) FROM orders WHERE (customer_id - 1) % " + std::to_string(step) +
             " = 0 AND customer_id <= " + std::to_string(1 + (o.subjects - 1) * step),
        soci::into(expected_orders);
  }
  const bool ok = left_emails == o.customers - static_cast<long long>(emails.size()) &&
                  customers == o.customers && masked == static_cast<long long>(emails.size()) &&
                  orders == o.orders - expected_orders;
  std::fprintf(stderr,
               "check %s: emails left %lld, customers %lld, addresses masked %lld, orders %lld "
               "(expected %lld): %s\n",
               url.substr(url.rfind('/') + 1).c_str(), left_emails, customers, masked, orders,
               o.orders - expected_orders, ok ? "ok" : "WRONG");
  if (!ok) std::exit(1);
}

struct Run {
  std::string name;
  long subjects = 0;
  double seconds = 0;
  long long statements = 0;
};

Run Batch(const Options& o, const std::string& url, const std::vector<std::string>& emails) {
  auto dataset = rd::connectors::LoadDataset(kDataset);
  auto plan = rd::connectors::PlanTraversal(*dataset);
  auto parsed = rd::connectors::ParseConnectionUrl(url);
  auto policy = rd::connectors::ParseErasurePolicy(kPolicy);
  if (!dataset || !plan || !parsed || !policy) {
    std::fprintf(stderr, "erase_bench: bad dataset or URL\n");
    std::exit(2);
  }
  SqlConnector connector({*parsed, *policy}, *dataset, *plan);
  Run run{"set-based batch (`EraseMany`, " + std::to_string(o.batch) + " subjects per call)",
          static_cast<long>(emails.size())};
  const auto start = Clock::now();
  for (std::size_t off = 0; off < emails.size(); off += static_cast<std::size_t>(o.batch)) {
    std::vector<rd::core::ErasureSubject> subjects;
    for (std::size_t i = off; i < std::min(emails.size(), off + o.batch); ++i) {
      subjects.push_back({{{"email", emails[i]}}, Secret(static_cast<long>(i))});
    }
    auto r = connector.EraseMany(subjects);
    if (!r) {
      std::fprintf(stderr, "erase_bench: %s\n", r.error().message.c_str());
      std::exit(1);
    }
    run.statements += r->front().statements;
  }
  run.seconds = Seconds(start);
  return run;
}

Run Single(const Options& o, const std::string& url, const std::vector<std::string>& emails) {
  auto dataset = rd::connectors::LoadDataset(kDataset);
  auto plan = rd::connectors::PlanTraversal(*dataset);
  auto parsed = rd::connectors::ParseConnectionUrl(url);
  auto policy = rd::connectors::ParseErasurePolicy(kPolicy);
  SqlConnector connector({*parsed, *policy}, *dataset, *plan);
  Run run{
      "per-subject `Erase` (one call each; " + std::to_string(o.single) + " timed, scaled to all)",
      static_cast<long>(emails.size())};
  const auto start = Clock::now();
  for (long i = 0; i < o.single; ++i) {
    auto r = connector.Erase({{"email", emails[static_cast<std::size_t>(i)]}}, Secret(i));
    if (!r) {
      std::fprintf(stderr, "erase_bench: %s\n", r.error().message.c_str());
      std::exit(1);
    }
    run.statements += r->statements;
  }
  const double scale = static_cast<double>(emails.size()) / static_cast<double>(o.single);
  run.seconds = Seconds(start) * scale;
  run.statements = static_cast<long long>(static_cast<double>(run.statements) * scale);
  return run;
}

// How the baseline's statements are wrapped in transactions.
enum class BaselineTx {
  // As Fides's SQL connector sends them: each read and each row's UPDATE/DELETE on its own
  // pooled connection checkout (`with client.connect() as connection: connection.execute(…)`
  // in `retrieve_data` and, per row, in `mask_data`). Its driver (psycopg2, not in
  // autocommit mode) sends BEGIN before the statement; SQLAlchemy 1.4 commits a data-changing
  // text statement at once (COMMIT), and the pool rolls a read's transaction back when the
  // connection returns (ROLLBACK). Three round trips per statement.
  kAsFides,
  // One transaction per subject: BEGIN, the subject's statements, COMMIT. Kinder to the
  // baseline than Fides is.
  kPerSubject,
};

// As Fides erases: per subject, read the keys of each collection (customer by email, then
// addresses and orders by customer id), then one statement per row: DELETE an order, UPDATE
// an address or a customer with its masked values.
Run RowAtATime(const std::string& url, const std::vector<std::string>& emails, BaselineTx mode) {
  soci::session sql = Open(url);
  const bool as_fides = mode == BaselineTx::kAsFides;
  Run run{as_fides ? "row at a time (baseline, as Fides: one UPDATE/DELETE per row, each in its "
                     "own transaction)"
                   : "row at a time, one transaction per subject (kinder than Fides)",
          static_cast<long>(emails.size())};
  // Runs one statement the way `mode` wraps it; `write`: it changes data.
  auto one = [&](bool write, const std::function<void()>& statement) {
    if (as_fides) sql << "BEGIN";
    statement();
    if (as_fides) sql << (write ? "COMMIT" : "ROLLBACK");
    ++run.statements;
  };
  const auto start = Clock::now();
  rd::connectors::MaskStrategy hmac;
  hmac.kind = rd::connectors::MaskKind::kHmac;
  for (std::size_t i = 0; i < emails.size(); ++i) {
    std::optional<soci::transaction> tx;
    if (!as_fides) tx.emplace(sql);
    long long customer = 0;
    bool found = false;
    one(false, [&] {
      sql << "SELECT id FROM customers WHERE email = :e", soci::use(emails[i]),
          soci::into(customer);
      found = sql.got_data();
    });
    if (!found) continue;
    std::vector<long long> addresses(64), orders(256);
    one(false, [&] {
      sql << "SELECT id FROM addresses WHERE customer_id = :c", soci::use(customer),
          soci::into(addresses);
    });
    one(false, [&] {
      sql << "SELECT id FROM orders WHERE customer_id = :c", soci::use(customer),
          soci::into(orders);
    });
    for (long long id : orders) {
      one(true, [&] { sql << "DELETE FROM orders WHERE id = :id", soci::use(id); });
    }
    for (long long id : addresses) {
      one(true, [&] {
        sql << "UPDATE addresses SET street = NULL, city = NULL WHERE id = :id", soci::use(id);
      });
    }
    const std::string masked =
        *rd::connectors::MaskValue(hmac, emails[i], Secret(static_cast<long>(i)));
    one(true, [&] {
      sql << "UPDATE customers SET email = :m, name = NULL, phone = NULL WHERE id = :id",
          soci::use(masked), soci::use(customer);
    });
    if (tx) tx->commit();
  }
  run.seconds = Seconds(start);
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--server")
      o.server = v;
    else if (k == "--customers")
      o.customers = std::atol(v.c_str());
    else if (k == "--orders")
      o.orders = std::atol(v.c_str());
    else if (k == "--subjects")
      o.subjects = std::atol(v.c_str());
    else if (k == "--batch")
      o.batch = std::atol(v.c_str());
    else if (k == "--single")
      o.single = std::atol(v.c_str());
    else if (k == "--latency-us")
      o.latency_us = std::atol(v.c_str());
    else {
      std::fprintf(stderr, "erase_bench: unknown option %s\n", k.c_str());
      return 2;
    }
  }
  if (o.server.empty() || o.subjects <= 0 || o.customers < o.subjects || o.batch <= 0 ||
      o.single < 0 || o.single > o.subjects || o.latency_us < 0) {
    std::fprintf(stderr,
                 "usage: erase_bench --server postgresql://user@host:port/db [--customers N] "
                 "[--orders N] [--subjects N] [--batch N] [--single N] [--latency-us N]\n");
    return 2;
  }
  BuildTemplate(o);
  o.run_server = o.server;
  std::unique_ptr<rd::bench::LatencyProxy> proxy;
  if (o.latency_us > 0) {
    // postgresql://user@HOST:PORT/db → the same through the proxy.
    const auto at = o.server.find('@') + 1, colon = o.server.find(':', at),
               slash = o.server.find('/', colon);
    proxy = std::make_unique<rd::bench::LatencyProxy>(
        o.server.substr(at, colon - at), std::atoi(o.server.substr(colon + 1, slash).c_str()),
        std::chrono::microseconds(o.latency_us));
    o.run_server =
        o.server.substr(0, colon + 1) + std::to_string(proxy->port()) + o.server.substr(slash);
  }
  // What one round trip costs where the runs connect (a statement needs one or more).
  double round_trip_us = 0;
  {
    soci::session timed =
        Open(o.run_server.substr(0, o.run_server.rfind('/') + 1) + "rd_erase_template");
    int one = 0;
    const auto start = Clock::now();
    for (int i = 0; i < 500; ++i) timed << "SELECT 1", soci::into(one);
    round_trip_us = Seconds(start) * 1e6 / 500;
  }
  const auto emails = SubjectEmails(o);
  std::vector<Run> runs;
  for (BaselineTx mode : {BaselineTx::kAsFides, BaselineTx::kPerSubject}) {
    const std::string url =
        Clone(o, mode == BaselineTx::kAsFides ? "rd_erase_baseline" : "rd_erase_baseline_tx");
    runs.push_back(RowAtATime(url, emails, mode));
    Check(url, o, emails);
  }
  {
    const std::string url = Clone(o, "rd_erase_batch");
    runs.push_back(Batch(o, url, emails));
    Check(url, o, emails);
  }
  if (o.single > 0) {
    const std::string url = Clone(o, "rd_erase_single");
    runs.push_back(Single(o, url, emails));
  }
  std::printf(
      "Erase %ld subjects from %ld customers, %ld addresses and %ld orders (PostgreSQL, %s):\n\n",
      o.subjects, o.customers, o.customers, o.orders,
      o.latency_us > 0
          ? (std::to_string(o.latency_us) + " µs away in each direction (bench/latency_proxy)")
                .c_str()
          : "on loopback");
  std::printf("One `SELECT 1` round trip where the runs connect: %.0f µs.\n\n", round_trip_us);
  {
    soci::session sql = Open(o.server);
    std::string fsync, sync_commit;
    sql << "SELECT current_setting('fsync'), current_setting('synchronous_commit')",
        soci::into(fsync), soci::into(sync_commit);
    std::printf("PostgreSQL: fsync=%s, synchronous_commit=%s.\n\n", fsync.c_str(),
                sync_commit.c_str());
  }
  std::printf("| run | seconds | statements | statements per subject | speed-up over baseline |\n");
  std::printf("|---|---:|---:|---:|---:|\n");
  for (const auto& r : runs) {
    std::printf("| %s | %.2f | %lld | %.2f | %.1fx |\n", r.name.c_str(), r.seconds, r.statements,
                static_cast<double>(r.statements) / static_cast<double>(r.subjects),
                runs.front().seconds / r.seconds);
  }
  return 0;
}
