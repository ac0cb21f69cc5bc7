#include "engine/email_delivery.h"

#include <nlohmann/json.hpp>

#include "core/json_text.h"

namespace rd::engine {

std::string PayloadField(const std::string& payload, const std::string& field) {
  const auto j = nlohmann::json::parse(payload, nullptr, false);
  if (!j.is_object()) return {};
  const auto it = j.find(field);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

EmailDelivery::EmailDelivery(core::Store& store, core::Mailer& mailer, const core::Clock& clock,
                             std::string message_id_domain)
    : store_(store), mailer_(mailer), clock_(clock), domain_(std::move(message_id_domain)) {}

core::Status EmailDelivery::Run(const core::Job& job) {
  const std::string id = PayloadField(job.payload, "message_id");
  if (id.empty()) return core::Fail(core::Errc::kInvalidArgument, "job without message_id");
  core::Message m;
  auto read = store_.Read([&](core::Transaction& tx) -> core::Status {
    auto found = tx.Messages().Get(id);
    if (!found) return tl::unexpected(found.error());
    m = *found;
    return {};
  });
  if (!read) return read;
  if (m.sent_at) return {};  // sent by an earlier attempt
  core::OutgoingEmail email;
  email.to = m.recipient;
  email.subject = m.subject;
  email.text_body = m.body;
  email.message_id = "<" + m.id + "@" + domain_ + ">";
  if (auto sent = mailer_.Send(email); !sent) return sent;
  const core::UnixTime now = clock_.Now();
  return store_.Write([&](core::Transaction& tx) -> core::Status {
    if (auto s = tx.Messages().MarkSent(m.id, now); !s) return s;
    core::NewAuditEvent ev{"system", m.request_id, "email.sent",
                           "{\"message_id\":" + core::JsonString(m.id) + "}"};
    return tx.Audit().Append(ev, now).map([](const core::AuditEvent&) {});
  });
}

core::Status RequestExpiry::Run(const core::Job& job) {
  const std::string id = PayloadField(job.payload, "request_id");
  if (id.empty()) return core::Fail(core::Errc::kInvalidArgument, "job without request_id");
  return expire_(id);
}

}  // namespace rd::engine
