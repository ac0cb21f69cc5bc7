#include "mail/mustache_renderer.h"

#include <kainjow/mustache.hpp>

#include <exception>

namespace rd::mail {
namespace {

namespace km = kainjow::mustache;

tl::unexpected<core::Error> InvalidTemplate(const std::string& why) {
  return core::Fail(core::Errc::kInvalidArgument, "invalid template: " + why);
}

// An empty string is false, so that {{#name}} sections skip it; kainjow treats every string,
// even an empty one, as true.
km::data Value(const std::string& value) {
  return value.empty() ? km::data(false) : km::data(value);
}

km::data ToKainjow(const core::TemplateData& in) {
  km::data out{km::data::type::object};
  for (const auto& [name, value] : in.values) out.set(name, Value(value));
  for (const auto& [name, items] : in.lists) {
    km::data list{km::data::type::list};
    for (const auto& item : items) {
      km::data object{km::data::type::object};
      for (const auto& [key, value] : item) object.set(key, Value(value));
      list.push_back(object);
    }
    out.set(name, list);
  }
  return out;
}

}  // namespace

core::Status MustacheRenderer::Validate(std::string_view text) const {
  try {
    const km::mustache tmpl{std::string(text)};
    if (!tmpl.is_valid()) return InvalidTemplate(tmpl.error_message());
    return {};
  } catch (const std::exception& e) {  // kainjow reports errors as values; this is a bug guard
    return core::Fail(core::Errc::kInternal, std::string("template engine failed: ") + e.what());
  }
}

core::Result<std::string> MustacheRenderer::Render(std::string_view text,
                                                   const core::TemplateData& data,
                                                   bool escape_html) const {
  try {
    km::mustache tmpl{std::string(text)};
    if (!tmpl.is_valid()) return InvalidTemplate(tmpl.error_message());
    // Plain text must keep "&" and "<" as they are; {{{x}}} and {{&x}} never call this.
    if (!escape_html) tmpl.set_custom_escape([](const std::string& s) { return s; });
    std::string out = tmpl.render(ToKainjow(data));
    if (!tmpl.is_valid()) return InvalidTemplate(tmpl.error_message());
    return out;
  } catch (const std::exception& e) {
    return core::Fail(core::Errc::kInternal, std::string("template engine failed: ") + e.what());
  }
}

}  // namespace rd::mail
