#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace rd::core {

// System discovery (PRODUCT.md §2): systems the company uses, seen in a mailbox export's
// headers, an SSO/app export or DNS TXT/SPF records, proposed to the admin as findings.

// Which kind of input a finding came from.
enum class FindingSource { kMailbox, kSso, kDns };
const char* FindingSourceName(FindingSource s);  // "mailbox", "sso", "dns"

// new: to decide; accepted: a data source was created from it; dismissed: not relevant.
enum class FindingStatus { kNew, kAccepted, kDismissed };
const char* FindingStatusName(FindingStatus s);
std::optional<FindingStatus> ParseFindingStatus(std::string_view s);

// A system seen in one input, before it is stored. Holds no personal data: recipients are a
// count, never addresses.
struct DiscoveredSystem {
  std::string domain;      // registrable domain, lower case; "" for an SSO app without one
  std::string catalog_id;  // catalog key; "" when not in the catalog
  std::string name;        // the catalog's name, the app's name, or the domain
  std::int64_t messages = 0;
  std::optional<UnixTime> first_seen;
  std::optional<UnixTime> last_seen;
  std::int64_t recipients = 0;       // distinct To/Cc addresses (mailbox) or users (SSO)
  std::vector<std::string> signals;  // where it was seen: "from", "return_path", "spf", ...
};

// What one input yielded.
struct DiscoveryReport {
  FindingSource source = FindingSource::kMailbox;
  std::vector<DiscoveredSystem> systems;
  std::int64_t read = 0;     // messages, rows or records read
  std::int64_t skipped = 0;  // malformed ones, skipped
};

// The form of a mailbox upload.
enum class MailboxFormat {
  kDetect,  // by content: a zip, an mbox ("From " line first) or one message
  kMbox,
  kEml,  // one message (message/rfc822)
  kZip,  // a zip of a Maildir (cur/, new/), of .eml files or of an .mbox
};

// The port to the readers (implemented by discovery/). Each returns kInvalidArgument naming the
// input when it is not of the expected kind at all ("file: not an mbox ..."); malformed
// messages, rows and records inside an otherwise good input are skipped and counted.
class SystemReader {
 public:
  virtual ~SystemReader() = default;
  // An mbox file, one .eml, a folder of .eml files or a Maildir on disk, read as a stream.
  [[nodiscard]] virtual Result<DiscoveryReport> ReadMailboxPath(const std::string& path) = 0;
  [[nodiscard]] virtual Result<DiscoveryReport> ReadMailboxUpload(std::string_view bytes,
                                                                  MailboxFormat format) = 0;
  // A CSV export of an identity provider's applications (Okta, Google Workspace).
  [[nodiscard]] virtual Result<DiscoveryReport> ReadSsoExport(std::string_view csv) = 0;
  // DNS TXT and SPF records pasted as text.
  [[nodiscard]] virtual Result<DiscoveryReport> ReadDnsRecords(std::string_view text) = 0;
};

// A stored finding. One per (source, match_key): a re-run merges into it.
struct DiscoveryFinding {
  std::string id;  // "fnd_" + id
  FindingSource source = FindingSource::kMailbox;
  std::string match_key;  // the domain, or "app:" + lower-case name for an SSO app without one
  std::string domain;
  std::string catalog_id;
  std::string name;
  std::int64_t messages = 0;
  std::optional<UnixTime> first_seen;
  std::optional<UnixTime> last_seen;
  std::int64_t recipients = 0;
  std::vector<std::string> signals;
  FindingStatus status = FindingStatus::kNew;
  std::string data_source_id;  // set once accepted
  UnixTime created_at = 0;
  UnixTime updated_at = 0;
};

// The merge key of a discovered system.
std::string FindingMatchKey(const DiscoveredSystem& s);

// Merges what a new run saw into a stored finding: messages add up (each upload is another
// export, e.g. another employee's mailbox), recipients take the larger count (addresses are
// never stored, so the distinct count cannot be united), first/last seen widen, signals unite,
// and catalog id and name are filled in when the new run knows them.
void MergeInto(const DiscoveredSystem& seen, DiscoveryFinding& f);

}  // namespace rd::core
