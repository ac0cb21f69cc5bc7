#pragma once

#include <string>
#include <string_view>

struct psl_ctx_st;

namespace rd::discovery {

// Maps a host name to its registrable domain ("mail123.mcsv.net" → "mcsv.net",
// "news.example.co.uk" → "example.co.uk") with the Public Suffix List (libpsl): the system's
// list (/usr/share/publicsuffix) when installed, else libpsl's built-in copy. Thread-safe
// after construction.
class DomainMapper {
 public:
  DomainMapper();
  ~DomainMapper();
  DomainMapper(const DomainMapper&) = delete;
  DomainMapper& operator=(const DomainMapper&) = delete;

  // The registrable domain of `host` in lower case; "" when `host` is not a host name (empty,
  // an IP literal, bad characters, no dot) or is itself a public suffix ("co.uk").
  std::string Registrable(std::string_view host) const;

 private:
  const psl_ctx_st* psl_ = nullptr;
  bool owned_ = false;
};

// The host part of an address ("a@B.example.com" → "b.example.com"); "" without an '@'.
std::string HostOfAddress(std::string_view address);

}  // namespace rd::discovery
