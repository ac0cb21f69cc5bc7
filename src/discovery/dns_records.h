#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/catalog.h"
#include "core/discovery.h"
#include "core/result.h"
#include "discovery/registrable_domain.h"

namespace rd::discovery {

// A TXT verification token that names the vendor who asked for it.
struct VerificationToken {
  const char* prefix;  // as it starts the TXT value, lower case: "atlassian-domain-verification="
  const char* name;    // "Atlassian"
  const char* domain;  // the vendor's registrable domain, looked up in the catalog
};

// The tokens recognized, in code (there is no open dataset of them).
const std::vector<VerificationToken>& VerificationTokens();

// Reads DNS TXT records pasted as text: zone-file or dig lines (`example.com. 300 IN TXT
// "v=spf1 ..."`; adjacent quoted strings of one record are joined) or bare record values, one
// per line; lines starting with ';' or '#' are comments. Signals: SPF `include:` and
// `redirect=` hosts ("spf"), DMARC `rua=`/`ruf=` report addresses ("dmarc") and verification
// tokens ("txt:<token name>"), each mapped to a registrable domain and the catalog. Malformed
// records (an unclosed quote, an include without a usable host) are skipped and counted.
// kInvalidArgument when nothing in the text is an SPF, DMARC or known verification record.
[[nodiscard]] core::Result<core::DiscoveryReport> ReadDnsText(std::string_view text,
                                                              const core::Catalog& catalog,
                                                              const DomainMapper& domains);

}  // namespace rd::discovery
