// The signatures of accepted webhook callbacks (replay protection).
#include <soci/soci.h>

#include "store/row.h"
#include "store/sql_repositories.h"

namespace rd::store {

core::Result<bool> SqlWebhookCallbackRepository::Remember(const std::string& signature,
                                                          const std::string& task_id,
                                                          core::UnixTime now,
                                                          core::UnixTime forget_before) {
  try {
    const long long before = forget_before;
    sql_ << "DELETE FROM webhook_callbacks WHERE received_at < :t", soci::use(before);
    int n = 0;
    sql_ << "SELECT COUNT(*) FROM webhook_callbacks WHERE signature = :s", soci::use(signature),
        soci::into(n);
    if (n > 0) return false;
    // Two identical callbacks at once on PostgreSQL: the second insert violates the primary
    // key and its transaction fails as a conflict.
    const long long at = now;
    sql_ << "INSERT INTO webhook_callbacks (signature, task_id, received_at) VALUES (:s, :t, :a)",
        soci::use(signature), soci::use(task_id), soci::use(at);
    return true;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "webhook callback"));
  }
}

}  // namespace rd::store
