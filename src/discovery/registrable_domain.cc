#include "discovery/registrable_domain.h"

#include <libpsl.h>

#include <cctype>

namespace rd::discovery {

DomainMapper::DomainMapper() {
  psl_ctx_t* latest = psl_latest(nullptr);
  if (latest != nullptr) {
    psl_ = latest;
    owned_ = true;
  } else {
    psl_ = psl_builtin();
  }
}

DomainMapper::~DomainMapper() {
  if (owned_) psl_free(const_cast<psl_ctx_t*>(psl_));
}

std::string DomainMapper::Registrable(std::string_view host) const {
  while (!host.empty() && (host.back() == '.' || host.back() == ' ')) host.remove_suffix(1);
  while (!host.empty() && host.front() == ' ') host.remove_prefix(1);
  if (host.empty() || host.size() > 253 || psl_ == nullptr) return {};
  std::string lower;
  lower.reserve(host.size());
  bool has_dot = false, has_letter = false;
  for (char c : host) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      has_letter = true;  // UTF-8 of an internationalized name
    } else if (std::isalnum(u) || c == '-' || c == '_') {
      if (std::isalpha(u)) has_letter = true;
    } else if (c == '.') {
      if (!lower.empty() && lower.back() == '.') return {};
      has_dot = true;
    } else {
      return {};
    }
    lower.push_back(static_cast<char>(std::tolower(u)));
  }
  if (!has_dot || !has_letter || lower.front() == '.') return {};
  const char* reg = psl_registrable_domain(psl_, lower.c_str());
  if (reg == nullptr) return {};
  return reg;
}

std::string HostOfAddress(std::string_view address) {
  const auto at = address.rfind('@');
  if (at == std::string_view::npos) return {};
  return std::string(address.substr(at + 1));
}

}  // namespace rd::discovery
