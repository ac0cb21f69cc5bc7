#include "core/outbox.h"

#include "core/ids.h"
#include "core/json_text.h"

namespace rd::core {

Result<Message> QueueEmail(Transaction& tx, const Crypto& crypto, const OutgoingMessage& m,
                           UnixTime now) {
  Message msg{NewId(crypto, "msg_"), m.request_id, "out",  m.sender,
              m.recipient,           m.subject,    m.body, now,
              std::nullopt};
  if (auto s = tx.Messages().Insert(msg); !s) return tl::unexpected(s.error());
  if (auto s =
          tx.Jobs().Enqueue({"", "email.send", "{\"message_id\":" + JsonString(msg.id) + "}", now});
      !s) {
    return tl::unexpected(s.error());
  }
  NewAuditEvent ev{
      m.sender, m.request_id, "email.queued",
      "{\"message_id\":" + JsonString(msg.id) + ",\"purpose\":" + JsonString(m.purpose) + "}"};
  if (auto e = tx.Audit().Append(ev, now); !e) return tl::unexpected(e.error());
  return msg;
}

}  // namespace rd::core
