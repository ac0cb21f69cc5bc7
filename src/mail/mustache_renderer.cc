#include "mail/mustache_renderer.h"

#include <kainjow/mustache.hpp>

#include <exception>
#include <memory>
#include <string>
#include <unordered_map>

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

// Parsed templates of this thread, by escaping and text: emails render the same few texts again
// and again, and parsing costs more than rendering. Per thread because a parsed template
// keeps its error state and escape function; bounded, since an admin's edits add texts.
using ParsedCache = std::unordered_map<std::string, std::unique_ptr<km::mustache>>;
thread_local ParsedCache parsed_cache;
constexpr std::size_t kMaxParsed = 64;

std::string CacheKey(std::string_view text, bool escape_html) {
  std::string key(escape_html ? "h" : "t");
  key.append(text);
  return key;
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
    std::string key = CacheKey(text, escape_html);
    auto it = parsed_cache.find(key);
    if (it == parsed_cache.end()) {
      auto tmpl = std::make_unique<km::mustache>(std::string(text));
      if (!tmpl->is_valid()) return InvalidTemplate(tmpl->error_message());
      // Plain text must keep "&" and "<" as they are; {{{x}}} and {{&x}} never call this.
      if (!escape_html) tmpl->set_custom_escape([](const std::string& s) { return s; });
      if (parsed_cache.size() >= kMaxParsed) parsed_cache.clear();
      it = parsed_cache.emplace(std::move(key), std::move(tmpl)).first;
    }
    std::string out = it->second->render(ToKainjow(data));
    if (!it->second->is_valid()) {
      std::string why = it->second->error_message();
      parsed_cache.erase(it);  // parsed anew next time: the error state stays with the object
      return InvalidTemplate(why);
    }
    return out;
  } catch (const std::exception& e) {
    return core::Fail(core::Errc::kInternal, std::string("template engine failed: ") + e.what());
  }
}

}  // namespace rd::mail
