#pragma once

// Fills a store with synthetic privacy requests for benchmarks: statuses, types and
// jurisdictions spread evenly, due dates over 90 days, one identity each.

#include <string>

#include "core/crypto.h"
#include "core/store.h"

namespace rd::bench {

core::PrivacyRequest SyntheticRequest(std::int64_t i, core::UnixTime now);

// Inserts `count` requests numbered from `first`, `batch` per transaction. Returns false and
// prints the error on failure.
bool SeedRequests(core::Store& store, const core::Crypto& crypto, std::int64_t first,
                  std::int64_t count, int batch = 5000);

}  // namespace rd::bench
