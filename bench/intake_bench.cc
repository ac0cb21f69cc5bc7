// Privacy Center intake in-process: IntakeService::Submit on SQLite (request, identity hash,
// verification challenge, the rendered verification email as a message, its email.send job,
// the expiry job and two audit events), from one thread and from 16 at once (where writes commit
// together), beside the store's bare create (BM_StoreCreateRequest in store_bench) as baseline.
//   build/bench/intake_bench [--benchmark_filter=...]
#include <benchmark/benchmark.h>

#include <atomic>
#include <filesystem>

#include "core/clock.h"
#include "core/intake_service.h"
#include "core/template_service.h"
#include "crypto/sodium_crypto.h"
#include "mail/mustache_renderer.h"
#include "store/database.h"
#include "store/migrator.h"
#include "store/sql_store.h"

namespace {

struct IntakeFixture {
  std::filesystem::path dir;
  std::unique_ptr<rd::crypto::SodiumCrypto> crypto;
  std::unique_ptr<rd::store::Database> db;
  std::unique_ptr<rd::store::SqlStore> store;
  rd::core::SystemClock clock;
  rd::mail::MustacheRenderer renderer;
  std::unique_ptr<rd::core::TemplateService> templates;
  std::unique_ptr<rd::core::IntakeService> intake;

  IntakeFixture() {
    (void)rd::crypto::InitSodium();
    crypto = std::make_unique<rd::crypto::SodiumCrypto>(std::string(32, 'k'));
    dir = std::filesystem::temp_directory_path() / ("rd-bench-" + crypto->RandomHex(6));
    db = std::move(*rd::store::Database::Open("sqlite://" + (dir / "b.db").string(), 16));
    (void)rd::store::Migrate(*db);
    store = std::make_unique<rd::store::SqlStore>(*db, *crypto);
    templates = std::make_unique<rd::core::TemplateService>(
        *store, renderer, *crypto, clock, rd::core::OrgInfo{"Bench Shop", "https://p.example"});
    rd::core::IntakePolicy policy;
    policy.per_address_per_hour = 0;
    policy.per_identity_per_day = 0;
    intake = std::make_unique<rd::core::IntakeService>(*store, *crypto, clock, *templates, policy);
  }
  ~IntakeFixture() {
    intake.reset();
    store.reset();
    db.reset();
    std::filesystem::remove_all(dir);
  }
};

IntakeFixture* fixture = nullptr;
std::atomic<std::int64_t> next_id{0};

void BM_IntakeSubmit(benchmark::State& state) {
  if (state.thread_index() == 0) fixture = new IntakeFixture();
  // Google Benchmark starts the timed loop of all threads together, after thread 0's setup.
  for (auto _ : state) {
    rd::core::Submission s;
    s.type = "deletion";
    s.subject.email = "bench-" + std::to_string(next_id++) + "@example.com";
    s.subject.name = "Bench Person";
    s.jurisdiction = "gdpr";
    s.details = "Please delete my account and newsletter data.";
    s.client_address = "127.0.0.1";
    auto r = fixture->intake->Submit(s);
    if (!r) state.SkipWithError(r.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    delete fixture;
    fixture = nullptr;
  }
}
BENCHMARK(BM_IntakeSubmit)->Unit(benchmark::kMicrosecond)->UseRealTime()->Threads(1);
BENCHMARK(BM_IntakeSubmit)->Unit(benchmark::kMicrosecond)->UseRealTime()->Threads(16);

}  // namespace

BENCHMARK_MAIN();
