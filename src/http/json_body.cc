#include "http/json_body.h"

namespace rd::http {

core::Result<nlohmann::json> ParseJsonObject(const std::string& body) {
  if (body.empty()) {
    return core::Fail(core::Errc::kInvalidArgument, "the body must be a JSON object");
  }
  try {
    nlohmann::json j = nlohmann::json::parse(body);
    if (!j.is_object()) {
      return core::Fail(core::Errc::kInvalidArgument, "the body must be a JSON object");
    }
    return j;
  } catch (const nlohmann::json::parse_error& e) {
    return core::Fail(core::Errc::kInvalidArgument,
                      "malformed JSON at byte " + std::to_string(e.byte));
  }
}

core::Result<std::optional<std::string>> OptionalString(const nlohmann::json& obj,
                                                        const std::string& field,
                                                        std::size_t max_bytes) {
  const auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::optional<std::string>{};
  if (!it->is_string())
    return core::Fail(core::Errc::kInvalidArgument, field + ": must be a string");
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max_bytes) {
    return core::Fail(core::Errc::kInvalidArgument,
                      field + ": at most " + std::to_string(max_bytes) + " bytes");
  }
  return std::optional<std::string>(s);
}

core::Result<std::string> RequiredString(const nlohmann::json& obj, const std::string& field,
                                         std::size_t max_bytes) {
  auto v = OptionalString(obj, field, max_bytes);
  if (!v) return tl::unexpected(v.error());
  if (!*v || (*v)->empty()) return core::Fail(core::Errc::kInvalidArgument, field + ": required");
  return **v;
}

core::Result<std::optional<bool>> OptionalBool(const nlohmann::json& obj,
                                               const std::string& field) {
  const auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::optional<bool>{};
  if (!it->is_boolean()) {
    return core::Fail(core::Errc::kInvalidArgument, field + ": must be true or false");
  }
  return std::optional<bool>(it->get<bool>());
}

HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  HttpResponse r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  r.Header("Content-Type", "application/json");
  return r;
}

}  // namespace rd::http
