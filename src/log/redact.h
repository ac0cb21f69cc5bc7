#pragma once

#include <string>
#include <string_view>

namespace rd::log {

// Masks what looks like personal data in free text before it reaches a log line: email
// addresses become "[email]", runs of 7 or more digits (phone numbers, card numbers,
// national ids; separators allowed) become "[number]". A second line of defence: code should
// not log personal data in the first place.
std::string RedactPersonalData(std::string_view text);

}  // namespace rd::log
