#pragma once

#include <atomic>
#include <string>

#include "core/clock.h"
#include "core/mailer.h"
#include "core/result.h"

namespace rd::mail {

// core::Mailer that delivers into a pickup directory instead of a server: every message is
// composed exactly as SmtpMailer would send it (ComposeMessage: the email's Message-ID or a
// new one, Date from `clock`) and written as one `.eml` file (RFC 5322, CRLF line endings) that
// any mail client opens. Used when smtp.pickup_dir is set and smtp.host is empty, so that a
// newcomer (`rightsdesk demo`) reads verification codes and vendor links without a mail server.
//
// The file appears whole or not at all: it is written under a temporary name in the same
// directory and renamed. Names sort by time: "<unix seconds>-<sequence>-<random hex>.eml".
// The directory is created (with parents) on the first Send when missing.
//
// Thread-safe. `clock` must outlive the mailer.
//
// Send's errors: kInvalidArgument when the email is malformed (ComposeMessage's checks; nothing
// is written; do not retry); kUnavailable when the directory cannot be created or the file
// cannot be written (retry later). Messages name the directory, never an address.
class PickupMailer final : public core::Mailer {
 public:
  PickupMailer(std::string dir, std::string from, const core::Clock& clock);

  [[nodiscard]] core::Status Send(const core::OutgoingEmail& email) override;

  const std::string& dir() const { return dir_; }

 private:
  const std::string dir_;
  const std::string from_;  // sender when an email names none (smtp.from)
  const core::Clock& clock_;
  std::atomic<unsigned> sequence_{0};
};

}  // namespace rd::mail
