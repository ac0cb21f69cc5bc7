// Store benchmarks: creating a request (row + identities + audit event, one transaction) and
// listing a page of 50, through the real store, against a raw sqlite3 baseline doing the same
// inserts with no abstraction in between.
//   build/bench/store_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <filesystem>

#include "crypto/sodium_crypto.h"
#include "seed.h"
#include "store/database.h"
#include "store/migrator.h"
#include "store/sql_store.h"

namespace {

struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<rd::crypto::SodiumCrypto> crypto;
  std::unique_ptr<rd::store::Database> db;
  std::unique_ptr<rd::store::SqlStore> store;

  explicit Fixture(std::int64_t seeded) {
    (void)rd::crypto::InitSodium();
    crypto = std::make_unique<rd::crypto::SodiumCrypto>(std::string(32, 'k'));
    dir = std::filesystem::temp_directory_path() / ("rd-bench-" + crypto->RandomHex(6));
    db = std::move(*rd::store::Database::Open("sqlite://" + (dir / "b.db").string(), 2));
    (void)rd::store::Migrate(*db);
    store = std::make_unique<rd::store::SqlStore>(*db, *crypto);
    if (seeded > 0) rd::bench::SeedRequests(*store, *crypto, 0, seeded);
  }
  ~Fixture() {
    store.reset();
    db.reset();
    std::filesystem::remove_all(dir);
  }
};

void BM_StoreCreateRequest(benchmark::State& state) {
  Fixture f(0);
  std::int64_t i = 10'000'000;
  for (auto _ : state) {
    const auto q = rd::bench::SyntheticRequest(i++, 1'790'000'000);
    auto st = f.store->Write([&](rd::core::Transaction& tx) -> rd::core::Status {
      if (auto s = tx.Requests().Insert(q, f.crypto->IdentityHash(q.subject.email)); !s) return s;
      auto e = tx.Audit().Append({"system", q.id, "request.received", "{}"}, q.received_at);
      if (!e) return tl::unexpected(e.error());
      return {};
    });
    if (!st) state.SkipWithError(st.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StoreCreateRequest)->Unit(benchmark::kMicrosecond);

// Baseline: the same two inserts plus an audit row, one transaction each, straight through
// the sqlite3 C API with prepared statements (no SOCI, no hashing of the chain).
void BM_RawSqliteCreateRequest(benchmark::State& state) {
  Fixture f(0);
  f.store.reset();
  f.db.reset();
  sqlite3* db = nullptr;
  sqlite3_open((f.dir / "b.db").c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nullptr, nullptr, nullptr);
  sqlite3_stmt* ins = nullptr;
  sqlite3_stmt* ident = nullptr;
  sqlite3_stmt* audit = nullptr;
  sqlite3_prepare_v2(db,
                     "INSERT INTO privacy_requests (id, reference, type, status, channel, "
                     "jurisdiction, details, subject_email, received_at, due_at, updated_at) "
                     "VALUES (?, ?, 'deletion', 'review', 'api', 'gdpr', '', ?, ?, ?, ?)",
                     -1, &ins, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO request_identities (request_id, kind, value_hash) "
                     "VALUES (?, 'email', ?)",
                     -1, &ident, nullptr);
  sqlite3_prepare_v2(
      db,
      "INSERT INTO audit_events (seq, at, actor, request_id, kind, detail, "
      "prev_hash, hash) VALUES (?, 0, 'system', ?, 'request.received', '{}', 'p', 'h')",
      -1, &audit, nullptr);
  std::int64_t i = 10'000'000;
  for (auto _ : state) {
    const auto q = rd::bench::SyntheticRequest(i, 1'790'000'000);
    sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_bind_text(ins, 1, q.id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 2, q.reference.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 3, q.subject.email.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins, 4, q.received_at);
    sqlite3_bind_int64(ins, 5, q.due_at);
    sqlite3_bind_int64(ins, 6, q.updated_at);
    sqlite3_step(ins);
    sqlite3_reset(ins);
    sqlite3_bind_text(ident, 1, q.id.c_str(), -1, SQLITE_TRANSIENT);
    const std::string hash = f.crypto->IdentityHash(q.subject.email);  // same work as ours
    sqlite3_bind_text(ident, 2, hash.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(ident);
    sqlite3_reset(ident);
    sqlite3_bind_int64(audit, 1, i);
    sqlite3_bind_text(audit, 2, q.id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(audit);
    sqlite3_reset(audit);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    ++i;
  }
  sqlite3_finalize(ins);
  sqlite3_finalize(ident);
  sqlite3_finalize(audit);
  sqlite3_close(db);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawSqliteCreateRequest)->Unit(benchmark::kMicrosecond);

// Listing 50 requests by status, first page and a deep page (keyset cursor), out of N.
void BM_StoreListRequests(benchmark::State& state) {
  // Google Benchmark calls this several times while it sizes the run: seed once.
  static Fixture* f = new Fixture(state.range(0));
  rd::core::RequestQuery q;
  q.status = rd::core::RequestStatus::kReview;
  q.limit = 50;
  if (state.range(1) == 1) {
    q.cursor = std::to_string(1'790'000'000 - 10 * 86400) + ".req_5";  // a page 20 days in
  }
  for (auto _ : state) {
    auto st = f->store->Read([&](rd::core::Transaction& tx) -> rd::core::Status {
      auto page = tx.Requests().List(q);
      if (!page) return tl::unexpected(page.error());
      benchmark::DoNotOptimize(page->items.size());
      return {};
    });
    if (!st) state.SkipWithError(st.error().message.c_str());
  }
}
BENCHMARK(BM_StoreListRequests)
    ->Args({100'000, 0})
    ->Args({100'000, 1})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
