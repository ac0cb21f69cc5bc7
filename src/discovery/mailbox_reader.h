#pragma once

#include <string>
#include <string_view>

#include "core/discovery.h"
#include "core/result.h"
#include "discovery/mailbox_tally.h"

namespace rd::discovery {

// Reads mailbox exports into a MailboxTally, from the headers only (GMime 3): bodies are never
// decoded. An mbox is parsed as a stream with GMime's mbox parser, which keeps each message's
// content as a byte range of the stream rather than in memory (it scans the body only to find
// where the next message starts); a single message — an .eml file, a Maildir file, a zip entry —
// is read only up to the blank line that ends its headers. Messages whose headers are unusable
// are skipped and counted; an input that is not a mailbox at all is kInvalidArgument naming it.

// `path`: an mbox file, one .eml, a zip (as uploads), a folder of .eml files (searched
// recursively) or a Maildir (cur/ and new/). kInvalidArgument when it does not exist or holds
// no mailbox.
[[nodiscard]] core::Status ReadMailboxPath(const std::string& path, MailboxTally& tally);

// An upload held in memory. kDetect decides by content: a zip ("PK"), an mbox ("From "), else
// one message.
[[nodiscard]] core::Status ReadMailboxBytes(std::string_view bytes, core::MailboxFormat format,
                                            MailboxTally& tally);

// The headers of one message: everything before the first empty line (at most 256 KiB).
std::string_view HeaderBlock(std::string_view message);

}  // namespace rd::discovery
