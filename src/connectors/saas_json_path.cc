// Dotted paths into the JSON of SaaS requests and answers: the rows at a data_path, a value at
// a path, a cursor set into a request body.
#include <string>
#include <vector>

#include "connectors/saas_connector.h"

namespace rd::connectors {

using core::Errc;
using core::Fail;
using nlohmann::json;

core::Status SetAt(std::string& body, const std::string& path, const std::string& value) {
  json j = body.empty() ? json::object() : json::parse(body, nullptr, false);
  if (!j.is_object()) return Fail(Errc::kInvalidArgument, "not a JSON object for the cursor");
  json* cur = &j;
  std::size_t start = 0;
  for (;;) {
    const auto dot = path.find('.', start);
    const std::string key =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object()) return Fail(Errc::kInvalidArgument, path + " is not an object path");
    if (dot == std::string::npos) {
      (*cur)[key] = value;
      break;
    }
    cur = &(*cur)[key];
    if (cur->is_null()) *cur = json::object();
    start = dot + 1;
  }
  body = j.dump();
  return {};
}

const json* ValueAt(const json& j, const std::string& path) {
  const json* cur = &j;
  std::size_t start = 0;
  while (start <= path.size() && !path.empty()) {
    const auto dot = path.find('.', start);
    const std::string key =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (cur->is_object()) {
      const auto it = cur->find(key);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else if (cur->is_array() && !key.empty() &&
               key.find_first_not_of("0123456789") == std::string::npos) {
      const std::size_t i = std::stoul(key);
      if (i >= cur->size()) return nullptr;
      cur = &(*cur)[i];
    } else {
      return nullptr;
    }
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return cur;
}

std::vector<json> RowsAt(const json& body, const std::string& data_path) {
  std::vector<json> out;
  const json* at = data_path.empty() ? &body : ValueAt(body, data_path);
  if (at == nullptr || at->is_null()) return out;
  if (at->is_array()) {
    for (const auto& e : *at) out.push_back(e);
  } else if (at->is_object()) {
    out.push_back(*at);
  }
  return out;
}

}  // namespace rd::connectors
