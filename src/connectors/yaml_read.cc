#include "connectors/yaml_read.h"

#include <regex>

namespace rd::connectors::yaml_read {

using core::Errc;
using nlohmann::json;

core::Error Bad(const std::string& place, const std::string& what) {
  return {Errc::kInvalidArgument, place + ": " + what};
}

std::string Index(const std::string& place, std::size_t i) {
  return place + "[" + std::to_string(i) + "]";
}

bool IsName(const std::string& s) {
  static const std::regex kName("[A-Za-z_][A-Za-z0-9_.-]{0,99}");
  return std::regex_match(s, kName);
}

core::Result<std::string> Scalar(const YAML::Node& n, const std::string& place, bool required) {
  if (!n || n.IsNull()) {
    if (required) return tl::unexpected(Bad(place, "required"));
    return std::string();
  }
  if (!n.IsScalar()) return tl::unexpected(Bad(place, "must be a plain value"));
  return n.Scalar();
}

core::Result<std::string> Name(const YAML::Node& n, const std::string& place) {
  auto s = Scalar(n, place, true);
  if (!s) return s;
  if (!IsName(*s)) {
    return tl::unexpected(Bad(place, "must be a name ([A-Za-z_][A-Za-z0-9_.-]*)"));
  }
  return s;
}

core::Result<bool> Bool(const YAML::Node& n, const std::string& place) {
  if (!n || n.IsNull()) return false;
  bool v = false;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, v)) {
    return tl::unexpected(Bad(place, "must be true or false"));
  }
  return v;
}

core::Result<std::vector<std::string>> Strings(const YAML::Node& n, const std::string& place) {
  std::vector<std::string> out;
  if (!n || n.IsNull()) return out;
  if (!n.IsSequence()) return tl::unexpected(Bad(place, "must be a list"));
  for (std::size_t i = 0; i < n.size(); ++i) {
    if (!n[i].IsScalar()) return tl::unexpected(Bad(Index(place, i), "must be a plain value"));
    out.push_back(n[i].Scalar());
  }
  return out;
}

core::Result<std::int64_t> Int(const YAML::Node& n, const std::string& place, std::int64_t min,
                               std::int64_t max) {
  std::int64_t v = 0;
  if (!n.IsScalar() || !YAML::convert<std::int64_t>::decode(n, v) || v < min || v > max) {
    return tl::unexpected(Bad(place, "must be a whole number from " + std::to_string(min) + " to " +
                                         std::to_string(max)));
  }
  return v;
}

core::Status Known(const YAML::Node& map, const std::string& place,
                   std::initializer_list<const char*> fields) {
  if (!map.IsMap()) return tl::unexpected(Bad(place, "must be a mapping"));
  for (const auto& kv : map) {
    const std::string k = kv.first.Scalar();
    bool ok = false;
    for (const char* f : fields) ok = ok || k == f;
    if (!ok) return tl::unexpected(Bad(place + "." + k.substr(0, 40), "unknown field"));
  }
  return {};
}

nlohmann::json YamlToJson(const YAML::Node& n) {
  if (!n || n.IsNull()) return nullptr;
  if (n.IsSequence()) {
    json a = json::array();
    for (const auto& e : n) a.push_back(YamlToJson(e));
    return a;
  }
  if (n.IsMap()) {
    json o = json::object();
    for (const auto& kv : n) o[kv.first.Scalar()] = YamlToJson(kv.second);
    return o;
  }
  if (n.Tag() == "!") return n.Scalar();  // quoted: always a string
  bool b = false;
  std::int64_t i = 0;
  double d = 0;
  if (YAML::convert<std::int64_t>::decode(n, i)) return i;
  if (YAML::convert<double>::decode(n, d)) return d;
  if (YAML::convert<bool>::decode(n, b)) return b;
  return n.Scalar();
}

core::Status Pairs(const YAML::Node& n, const std::string& place,
                   std::vector<std::pair<std::string, std::string>>& out) {
  if (!n || n.IsNull()) return {};
  if (n.IsMap()) {
    for (const auto& kv : n) {
      auto v = Scalar(kv.second, place + "." + kv.first.Scalar(), true);
      if (!v) return tl::unexpected(v.error());
      out.emplace_back(kv.first.Scalar(), *v);
    }
    return {};
  }
  if (!n.IsSequence()) return tl::unexpected(Bad(place, "must be a list of {name, value}"));
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string at = Index(place, i);
    if (auto k = Known(n[i], at, {"name", "value"}); !k) return k;
    auto name = Scalar(n[i]["name"], at + ".name", true);
    if (!name) return tl::unexpected(name.error());
    auto value = Scalar(n[i]["value"], at + ".value", true);
    if (!value) return tl::unexpected(value.error());
    out.emplace_back(*name, *value);
  }
  return {};
}

}  // namespace rd::connectors::yaml_read
