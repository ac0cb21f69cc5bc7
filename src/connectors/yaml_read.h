// Reading the YAML of datasets and SaaS connector specs: plain values, names, flags, numbers,
// lists and known fields, each error naming its place ("endpoints[0].requests.read.path:
// required"). Internal to the connectors' loaders.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "connectors/saas_spec.h"
#include "core/result.h"

namespace rd::connectors::yaml_read {

core::Error Bad(const std::string& place, const std::string& what);
// "place[i]".
std::string Index(const std::string& place, std::size_t i);
bool IsName(const std::string& s);
// A plain value; "" when absent and not required.
core::Result<std::string> Scalar(const YAML::Node& n, const std::string& place, bool required);
// A required name ([A-Za-z_][A-Za-z0-9_.-]*).
core::Result<std::string> Name(const YAML::Node& n, const std::string& place);
// true or false; false when absent.
core::Result<bool> Bool(const YAML::Node& n, const std::string& place);
// A list of plain values; empty when absent.
core::Result<std::vector<std::string>> Strings(const YAML::Node& n, const std::string& place);
core::Result<std::int64_t> Int(const YAML::Node& n, const std::string& place, std::int64_t min,
                               std::int64_t max);
// `map` is a mapping with no field but `fields`.
core::Status Known(const YAML::Node& map, const std::string& place,
                   std::initializer_list<const char*> fields);
// Quoted scalars stay strings; others become numbers or booleans when they read as such.
nlohmann::json YamlToJson(const YAML::Node& n);
// name/value pairs: a list of {name, value} (Fides) or a mapping.
core::Status Pairs(const YAML::Node& n, const std::string& place,
                   std::vector<std::pair<std::string, std::string>>& out);

// The parts of a spec, read from their YAML (saas_spec_parts.cc).
core::Status LoadPagination(const YAML::Node& n, const std::string& place, SaasPagination& p);
core::Status LoadParamValue(const YAML::Node& n, const std::string& at, SaasParamValue& v);
core::Status LoadRequest(const YAML::Node& n, const std::string& place, const char* method,
                         SaasRequest& r);
core::Status LoadAuth(const YAML::Node& n, const std::string& place, SaasAuth& a);

}  // namespace rd::connectors::yaml_read
