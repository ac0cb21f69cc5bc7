#pragma once

#include <string>
#include <string_view>

#include "core/crypto.h"

namespace rd::core {

// A new row identifier: `prefix` + 11 hex digits of the current time in milliseconds + 13
// random hex digits (24 in all). Ids made later sort later, so that inserts land at the end of
// the primary-key B-tree instead of on a random page: a transaction then dirties, and writes
// to the log, a few pages rather than one per row and index. The random half keeps ids
// unpredictable; they are never secrets (links carry their own tokens).
std::string NewId(const Crypto& crypto, std::string_view prefix);

}  // namespace rd::core
