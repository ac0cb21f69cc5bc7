#include "http/message.h"

namespace rd::http {
namespace {
const std::string kEmpty;
}

const std::string& HttpRequest::Header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? kEmpty : it->second;
}

const std::string& HttpRequest::Query(const std::string& name) const {
  const auto it = query.find(name);
  return it == query.end() ? kEmpty : it->second;
}

std::string HttpRequest::Cookie(const std::string& name) const {
  const std::string& all = Header("cookie");
  std::size_t pos = 0;
  while (pos < all.size()) {
    std::size_t end = all.find(';', pos);
    if (end == std::string::npos) end = all.size();
    std::size_t start = pos;
    while (start < end && all[start] == ' ') ++start;
    const std::size_t eq = all.find('=', start);
    if (eq != std::string::npos && eq < end && all.compare(start, eq - start, name) == 0) {
      return all.substr(eq + 1, end - eq - 1);
    }
    pos = end + 1;
  }
  return {};
}

}  // namespace rd::http
