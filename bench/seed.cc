#include "seed.h"

#include <cstdio>

namespace rd::bench {

core::PrivacyRequest SyntheticRequest(std::int64_t i, core::UnixTime now) {
  static const char* kJurisdictions[] = {"gdpr", "ccpa", "vcdpa", "cpa", "lgpd", "default"};
  core::PrivacyRequest q;
  char id[32];
  std::snprintf(id, sizeof id, "req_%020lld", static_cast<long long>(i));
  q.id = id;
  char ref[32];
  std::snprintf(ref, sizeof ref, "RD-B%07lld", static_cast<long long>(i));
  q.reference = ref;
  q.type = static_cast<core::RequestType>(i % 5);
  q.status = static_cast<core::RequestStatus>((i / 5) % 5);
  q.channel = core::Channel::kPrivacyCenter;
  q.jurisdiction = kJurisdictions[i % 6];
  q.subject.email = "subject" + std::to_string(i) + "@example.com";
  q.received_at = now - (i * 7919) % (90 * 86400);
  q.due_at = q.received_at + 30 * 86400;
  q.updated_at = q.received_at;
  return q;
}

bool SeedRequests(core::Store& store, const core::Crypto& crypto, std::int64_t first,
                  std::int64_t count, int batch) {
  const core::UnixTime now = 1'790'000'000;
  for (std::int64_t start = first; start < first + count; start += batch) {
    const std::int64_t end = std::min(first + count, start + batch);
    auto st = store.Write([&](core::Transaction& tx) -> core::Status {
      for (std::int64_t i = start; i < end; ++i) {
        const core::PrivacyRequest q = SyntheticRequest(i, now);
        if (auto s = tx.Requests().Insert(q, crypto.IdentityHash(q.subject.email)); !s) return s;
      }
      return {};
    });
    if (!st) {
      std::fprintf(stderr, "seed: %s\n", st.error().message.c_str());
      return false;
    }
  }
  return true;
}

}  // namespace rd::bench
