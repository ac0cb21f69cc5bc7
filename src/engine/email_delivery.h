#pragma once

#include "core/clock.h"
#include "core/mailer.h"
#include "core/store.h"
#include "engine/worker_pool.h"

namespace rd::engine {

// Runs "email.send" jobs: {"message_id": "msg_..."}. Reads the message (recipient, subject,
// body) from the store, sends it, and records when the server accepted it together with an
// "email.sent" audit event. The job carries no personal data. A message already marked sent is
// not sent again, so a retried job does not mail twice unless the worker died between the
// server's acceptance and the commit (at-least-once; the Message-ID lets mail clients fold the
// duplicate).
class EmailDelivery final : public JobHandler {
 public:
  EmailDelivery(core::Store& store, core::Mailer& mailer, const core::Clock& clock,
                std::string message_id_domain);
  [[nodiscard]] core::Status Run(const core::Job& job) override;

 private:
  core::Store& store_;
  core::Mailer& mailer_;
  const core::Clock& clock_;
  std::string domain_;
};

// Runs "request.expire" jobs: {"request_id": "req_..."}, closing requests that were never
// verified (outcome unverified). `expire` is IntakeService::ExpireIfUnverified.
class RequestExpiry final : public JobHandler {
 public:
  explicit RequestExpiry(std::function<core::Status(const std::string&)> expire)
      : expire_(std::move(expire)) {}
  [[nodiscard]] core::Status Run(const core::Job& job) override;

 private:
  std::function<core::Status(const std::string&)> expire_;
};

// The string value of `field` in a flat JSON object, or "" (job payloads are written by us).
std::string PayloadField(const std::string& payload, const std::string& field);

}  // namespace rd::engine
