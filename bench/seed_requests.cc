// bench/seed_requests: fills a Rightsdesk database with N synthetic requests for load tests.
//   seed_requests --database URL --count N
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "crypto/sodium_crypto.h"
#include "seed.h"
#include "store/database.h"
#include "store/migrator.h"
#include "store/sql_store.h"

int main(int argc, char** argv) {
  std::string url;
  std::string key_file;
  long long count = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--database") == 0) url = argv[i + 1];
    if (std::strcmp(argv[i], "--count") == 0) count = std::atoll(argv[i + 1]);
    if (std::strcmp(argv[i], "--master-key") == 0) key_file = argv[i + 1];
  }
  if (url.empty() || count <= 0 || key_file.empty()) {
    std::fprintf(stderr, "usage: seed_requests --database URL --master-key FILE --count N\n");
    return 2;
  }
  if (!rd::crypto::InitSodium()) return 1;
  auto key = rd::crypto::LoadOrCreateMasterKey(key_file);
  if (!key) {
    std::fprintf(stderr, "%s\n", key.error().message.c_str());
    return 1;
  }
  rd::crypto::SodiumCrypto crypto(*key);
  auto db = rd::store::Database::Open(url, 1);
  if (!db) {
    std::fprintf(stderr, "%s\n", db.error().message.c_str());
    return 1;
  }
  if (auto m = rd::store::Migrate(**db); !m) {
    std::fprintf(stderr, "%s\n", m.error().message.c_str());
    return 1;
  }
  rd::store::SqlStore store(**db, crypto);
  return rd::bench::SeedRequests(store, crypto, 0, count) ? 0 : 1;
}
