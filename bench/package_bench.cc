// Peak memory of a copy package built end to end (docs/performance.md):
//   package_bench --mode stream --rows 100000   the product's path: the SQL connector streams
//       the rows into the task's sealed spool, then the package.build job streams the spool into
//       a sealed zip (libzip), both through the database;
//   package_bench --mode memory --rows 100000   the baseline: the same rows collected in memory
//       (a RowCollector without bound, as the task's result kept them before) and written out
//       as one JSON text.
// Each run is its own process, so its peak RSS (getrusage ru_maxrss) is that mode's alone.
// The source is a SQLite shop database (tests/fixtures/shop) with one customer, her orders
// and order items: `rows` rows in all reachable from her email.
#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "connectors/registry.h"
#include "core/data_source_service.h"
#include "core/fake_clock.h"
#include "core/integration_service.h"
#include "core/package_service.h"
#include "core/request_service.h"
#include "core/workflow_service.h"
#include "mail/mustache_renderer.h"
#include "package/zip_writer.h"
#include "store/temp_store.h"

namespace {

using rd::core::Status;

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

long PeakKiB() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "package_bench: %s\n", what.c_str());
  std::exit(1);
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    Die(std::string("sqlite: ") + (err ? err : "?"));
  }
}

// The shop with one customer and rows - 3 orders and order items between them.
void MakeShop(const std::string& path, long rows) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) Die("cannot create " + path);
  Exec(db, Slurp(std::string(RD_SHOP_FIXTURES) + "/schema.sql"));
  Exec(db, "BEGIN");
  Exec(db,
       "INSERT INTO customers (id, email, name, phone) VALUES "
       "(1, 'ana@example.org', 'Ana Example', '+14155550134');"
       "INSERT INTO addresses (id, customer_id, street, city) VALUES (10, 1, '1 Main St', 'Town');"
       "INSERT INTO tickets (id, customer_email, subject, body) VALUES "
       "(30, 'ana@example.org', 'Where is my order?', 'It has not arrived, \"again\", sadly.')");
  const long orders = (rows - 3) / 2;
  const long items = rows - 3 - orders;
  sqlite3_stmt* o = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO orders (id, customer_id, shipping_address_id, total_cents) "
                     "VALUES (?, 1, 10, ?)",
                     -1, &o, nullptr);
  for (long i = 0; i < orders; ++i) {
    sqlite3_bind_int64(o, 1, 1000 + i);
    sqlite3_bind_int64(o, 2, 100 + i % 9000);
    sqlite3_step(o);
    sqlite3_reset(o);
  }
  sqlite3_finalize(o);
  sqlite3_stmt* it = nullptr;
  sqlite3_prepare_v2(
      db, "INSERT INTO order_items (id, order_id, product, quantity) VALUES (?, ?, ?, ?)", -1, &it,
      nullptr);
  for (long i = 0; i < items; ++i) {
    sqlite3_bind_int64(it, 1, 1000000 + i);
    sqlite3_bind_int64(it, 2, 1000 + i % orders);
    const std::string product = "Product number " + std::to_string(i % 500) + ", size M";
    sqlite3_bind_text(it, 3, product.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(it, 4, 1 + i % 4);
    sqlite3_step(it);
    sqlite3_reset(it);
  }
  sqlite3_finalize(it);
  Exec(db, "COMMIT");
  sqlite3_close(db);
}

template <typename T>
T Must(rd::core::Result<T> r, const char* what) {
  if (!r) Die(std::string(what) + ": " + r.error().message);
  return std::move(*r);
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = "stream";
  long rows = 100000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--mode") == 0) mode = argv[i + 1];
    if (std::strcmp(argv[i], "--rows") == 0) rows = std::atol(argv[i + 1]);
  }
  if (mode != "stream" && mode != "memory") Die("--mode stream|memory");
  auto temp = Must(rd::store::TempSqliteStore::Create(), "store");
  const std::string shop = temp->dir() + "/shop.db";
  MakeShop(shop, rows);
  const long floor_kib = PeakKiB();

  rd::core::FakeClock clock;
  clock.Set(1767225600);
  rd::mail::MustacheRenderer renderer;
  rd::core::TemplateService templates(temp->store(), renderer, temp->crypto(), clock,
                                      rd::core::OrgInfo{"Example Shop", "https://shop.example"});
  rd::core::RequestService requests(temp->store(), temp->crypto(), clock, templates);
  rd::connectors::Registry registry(temp->crypto());
  rd::core::DataSourceService sources(temp->store(), temp->crypto(), clock, &registry);
  rd::core::WorkflowService workflow(temp->store(), temp->crypto(), clock, templates,
                                     rd::core::WorkflowPolicy{});
  rd::core::IntegrationService integrations(temp->store(), temp->crypto(), clock, registry,
                                            rd::core::IntegrationPolicy{});
  rd::package::ZipWriter zip;
  rd::core::PackageService packages(temp->store(), temp->crypto(), clock, zip,
                                    rd::core::PackagePolicy{});

  rd::core::DataSourceFields f;
  f.name = "Shop DB";
  f.category = "database";
  f.process = "integration";
  f.connector = "{\"kind\":\"sql\",\"url\":\"sqlite://" + shop + "\"}";
  f.dataset = Slurp(std::string(RD_SHOP_FIXTURES) + "/dataset.yml");
  const auto ds = Must(sources.Create(f, "user:bench"), "data source");

  const auto start = std::chrono::steady_clock::now();
  std::int64_t exported = 0;
  std::size_t bytes = 0;
  if (mode == "stream") {
    rd::core::NewRequest in;
    in.type = "copy";
    in.subject = {"ana@example.org", "Ana Example", ""};
    in.skip_verification = true;
    const auto q = Must(requests.Create(in, "user:bench"), "request");
    const auto cont =
        Must(workflow.Continue(q.id, std::vector<std::string>{ds.id}, "user:bench"), "continue");
    if (auto s = integrations.RunTask(cont.tasks.at(0).id, true); !s) Die(s.error().message);
    if (auto s = packages.Build(q.id); !s) Die(s.error().message);
    const auto preview = Must(packages.Preview(q.id), "preview");
    if (preview.package.status != "ready") Die("the package is " + preview.package.status);
    for (const auto& s : preview.sources) {
      for (const auto& c : s.collections) exported += c.rows;
    }
    bytes = static_cast<std::size_t>(preview.package.bytes);
  } else {
    auto connector = Must(registry.Open(ds), "open");
    rd::core::RowCollector all(std::numeric_limits<std::size_t>::max());
    auto r = Must(connector->Export({{"email", "ana@example.org"}}, all), "export");
    all.MoveInto(r);
    exported = r.Total(&rd::core::CollectionOutcome::exported);
    const std::string json = rd::core::ConnectorResultJson(r, true);
    bytes = json.size();
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("mode=%s rows=%lld bytes=%zu seconds=%.2f setup_peak_kib=%ld peak_kib=%ld\n",
              mode.c_str(), static_cast<long long>(exported), bytes, secs, floor_kib, PeakKiB());
  return 0;
}
