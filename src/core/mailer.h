#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace rd::core {

// One plain-text email. Header values must not contain CR or LF (the mailer refuses them).
struct OutgoingEmail {
  std::string from;        // address; empty = the configured smtp.from
  std::string to;          // one address
  std::string subject;     // UTF-8; encoded for the wire by the mailer
  std::string text_body;   // UTF-8, lines separated by \n
  std::string message_id;  // "<id@host>"; stable per email, so a resend can be recognized
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Reply-To
};

// Sends email. Implementations are thread-safe. Errors: kUnavailable when the server cannot be
// reached or answers with a temporary failure (retry later); kInvalidArgument when the message
// or a recipient is refused for good (do not retry).
class Mailer {
 public:
  virtual ~Mailer() = default;
  [[nodiscard]] virtual Status Send(const OutgoingEmail& email) = 0;
};

}  // namespace rd::core
