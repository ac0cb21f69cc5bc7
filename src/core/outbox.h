#pragma once

#include <string>

#include "core/crypto.h"
#include "core/result.h"
#include "core/store.h"

namespace rd::core {

// An email to send about a request.
struct OutgoingMessage {
  std::string request_id;
  std::string recipient;  // address
  std::string sender;     // "system" or "user:usr_..": who caused it
  std::string subject;
  std::string body;
  std::string purpose;  // the template key it came from ("acknowledgement", "reply", ...)
};

// Queues `m` in the caller's transaction (the outbox): the message row, an "email.send" job and
// an "email.queued" audit event naming the message and its purpose (never the address). The
// email goes out only if the transaction commits, and the job is retried until the mail server
// accepts it, so a crash neither loses nor duplicates it.
[[nodiscard]] Result<Message> QueueEmail(Transaction& tx, const Crypto& crypto,
                                         const OutgoingMessage& m, UnixTime now);

}  // namespace rd::core
