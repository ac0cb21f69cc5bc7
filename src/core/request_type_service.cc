#include "core/request_type_service.h"

#include "core/settings_version.h"

#include <algorithm>
#include <iterator>

#include "core/free_text.h"
#include "core/json_text.h"
#include "core/privacy_request.h"

namespace rd::core {
namespace {

// Characters, not bytes: names are shown to people in many languages. Input is valid UTF-8
// (the JSON parser checks it), so counting every byte that does not continue a sequence works.
std::size_t CountChars(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

// Built-in types first (fixed order, stored overrides applied), then custom rights by key.
Result<std::vector<RequestTypeSetting>> ListIn(Transaction& tx) {
  auto stored = tx.RequestTypes().List();
  if (!stored) return tl::unexpected(stored.error());
  std::vector<RequestTypeSetting> out = RequestTypeService::BuiltinDefaults();
  std::vector<RequestTypeSetting> custom;
  for (auto& s : *stored) {
    if (ParseRequestType(s.key)) {
      for (auto& b : out) {
        if (b.key != s.key) continue;
        b.name = s.name;
        b.description = s.description;
        b.enabled = s.enabled;
        b.created_at = s.created_at;
        b.updated_at = s.updated_at;
      }
    } else {
      s.builtin = false;
      custom.push_back(std::move(s));
    }
  }
  std::sort(custom.begin(), custom.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  out.insert(out.end(), std::make_move_iterator(custom.begin()),
             std::make_move_iterator(custom.end()));
  return out;
}

Status ValidateName(const std::string& name) {
  const std::size_t n = CountChars(name);
  if (n == 0 || n > kMaxTypeNameChars || HasControlCharacters(name, false)) {
    return Fail(Errc::kInvalidArgument,
                "name: required, 1 to 100 characters without control characters");
  }
  return {};
}

Status ValidateDescription(const std::string& description) {
  if (CountChars(description) > kMaxTypeDescriptionChars ||
      HasControlCharacters(description, true)) {
    return Fail(Errc::kInvalidArgument,
                "description: at most 1000 characters, no control characters");
  }
  return {};
}

}  // namespace

RequestTypeService::RequestTypeService(Store& store, const Clock& clock)
    : store_(store), clock_(clock) {}

const std::vector<RequestTypeSetting>& RequestTypeService::BuiltinDefaults() {
  static const std::vector<RequestTypeSetting> kDefaults = {
      {"deletion", "Delete my data", "Ask us to erase the personal data we hold about you.", true,
       true, 0, 0, 0},
      {"copy", "Get a copy of my data",
       "Receive a copy of the personal data we hold about you, in a portable format.", true, true,
       0, 0, 0},
      {"do_not_sell", "Do not sell or share my personal information",
       "Opt out of the sale or sharing of your personal information.", true, true, 0, 0, 0},
      {"do_not_mail", "Stop marketing mail", "Stop receiving marketing email and mail from us.",
       true, true, 0, 0, 0},
      {"right_to_edit", "Correct my data",
       "Tell us which of your personal data is wrong, and we will correct it.", true, true, 0, 0,
       0},
  };
  return kDefaults;
}

Status RequestTypeService::ValidateCustomKey(const std::string& key) {
  const bool shape_ok = key.size() >= 2 && key.size() <= 40 && key[0] >= 'a' && key[0] <= 'z' &&
                        std::all_of(key.begin(), key.end(), [](char c) {
                          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                        });
  if (!shape_ok) {
    return Fail(Errc::kInvalidArgument,
                "key: 2 to 40 characters: a lowercase letter, then lowercase letters, digits or "
                "underscores");
  }
  if (key == "custom") return Fail(Errc::kInvalidArgument, "key: \"custom\" is reserved");
  return {};
}

Result<std::vector<RequestTypeSetting>> RequestTypeService::List() {
  Result<std::vector<RequestTypeSetting>> out = std::vector<RequestTypeSetting>{};
  Status st = store_.Read([&](Transaction& tx) -> Status {
    out = ListIn(tx);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

Result<std::vector<RequestTypeSetting>> RequestTypeService::ListEnabled() {
  auto all = List();
  if (!all) return all;
  all->erase(std::remove_if(all->begin(), all->end(), [](const auto& s) { return !s.enabled; }),
             all->end());
  return all;
}

Result<std::map<std::string, std::string>> RequestTypeService::Names() {
  const UnixTime now = clock_.Now();
  {
    std::lock_guard lock(names_mu_);
    if (names_ && now - names_loaded_at_ < kNamesTtlSeconds) return *names_;
  }
  auto all = List();
  if (!all) return tl::unexpected(all.error());
  std::map<std::string, std::string> out;
  for (const auto& s : *all) out[s.key] = s.name;
  std::lock_guard lock(names_mu_);
  names_ = out;
  names_loaded_at_ = now;
  return out;
}

Result<RequestTypeChange> RequestTypeService::Put(const std::string& key,
                                                  const RequestTypeUpdate& update,
                                                  const std::string& actor) {
  const bool builtin = ParseRequestType(key).has_value();
  if (builtin) {
    if (update.deadline_days && *update.deadline_days != 0) {
      return Fail(Errc::kInvalidArgument,
                  "deadline_days: built-in types follow the jurisdiction's deadline rule; leave "
                  "it out");
    }
  } else {
    if (auto s = ValidateCustomKey(key); !s) return tl::unexpected(s.error());
    if (update.deadline_days &&
        (*update.deadline_days < 0 || *update.deadline_days > kMaxTypeDeadlineDays)) {
      return Fail(Errc::kInvalidArgument,
                  "deadline_days: 0 (the jurisdiction's rule) or 1 to 365 days");
    }
  }
  std::optional<std::string> name;
  if (update.name) {
    name = Trim(*update.name);
    if (auto s = ValidateName(*name); !s) return tl::unexpected(s.error());
  }
  if (update.description) {
    if (auto s = ValidateDescription(*update.description); !s) return tl::unexpected(s.error());
  }

  const UnixTime now = clock_.Now();
  RequestTypeChange out;
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto all = ListIn(tx);
    if (!all) return tl::unexpected(all.error());
    const auto current = std::find_if(all->begin(), all->end(),
                                      [&](const RequestTypeSetting& s) { return s.key == key; });
    RequestTypeSetting s;
    if (current != all->end()) {
      s = *current;
    } else {
      if (!name) return Fail(Errc::kInvalidArgument, "name: required for a new custom right");
      s.key = key;
      s.builtin = false;
    }
    out.created = current == all->end();
    if (s.created_at == 0) s.created_at = now;
    s.updated_at = now;
    if (name) s.name = *name;
    if (update.description) s.description = *update.description;
    if (update.enabled) s.enabled = *update.enabled;
    if (update.deadline_days) s.deadline_days = *update.deadline_days;
    if (auto p = tx.RequestTypes().Put(s); !p) return p;
    // Names and descriptions are the organisation's wording, not personal data, but the
    // audit trail only needs what changed in effect.
    NewAuditEvent ev{actor, std::nullopt, "request_type.updated",
                     "{\"key\":" + JsonString(key) +
                         ",\"enabled\":" + (s.enabled ? "true" : "false") +
                         ",\"created\":" + (out.created ? "true" : "false") + "}"};
    if (auto e = tx.Audit().Append(ev, now); !e) return tl::unexpected(e.error());
    out.setting = s;
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  SettingsChanged();
  std::lock_guard lock(names_mu_);
  names_.reset();
  return out;
}

Result<RequestTypeSetting> RequestTypeService::Resolve(Transaction& tx,
                                                       const std::string& type_key) {
  // Every submission passes here: one lookup by key, and the whole list only to explain a
  // refusal.
  auto stored = tx.RequestTypes().Find(type_key);
  if (!stored) return tl::unexpected(stored.error());
  const auto& defaults = BuiltinDefaults();
  const auto builtin = std::find_if(defaults.begin(), defaults.end(),
                                    [&](const RequestTypeSetting& s) { return s.key == type_key; });
  if (*stored || builtin != defaults.end()) {
    RequestTypeSetting s = builtin != defaults.end() ? *builtin : **stored;
    if (*stored) {
      s.name = (*stored)->name;
      s.description = (*stored)->description;
      s.enabled = (*stored)->enabled;
      s.deadline_days = builtin != defaults.end() ? 0 : (*stored)->deadline_days;
      s.created_at = (*stored)->created_at;
      s.updated_at = (*stored)->updated_at;
      s.builtin = builtin != defaults.end();
    }
    if (s.enabled) return s;
    return Fail(Errc::kInvalidArgument, "type: " + s.key + " requests are not accepted");
  }
  auto all = ListIn(tx);
  if (!all) return tl::unexpected(all.error());
  std::string enabled;
  for (const auto& s : *all) {
    if (s.key == type_key) {
      if (!s.enabled) {
        return Fail(Errc::kInvalidArgument, "type: " + s.key + " requests are not accepted");
      }
      return s;
    }
    if (s.enabled) enabled += (enabled.empty() ? "" : ", ") + s.key;
  }
  if (enabled.empty()) {
    return Fail(Errc::kInvalidArgument, "type: no request types are accepted at the moment");
  }
  return Fail(Errc::kInvalidArgument, "type: must be one of " + enabled);
}

Result<RequestTypeSetting> RequestTypeService::Resolve(Store& store, const std::string& type_key) {
  Result<RequestTypeSetting> out = Fail(Errc::kInternal, "");
  Status st = store.Read([&](Transaction& tx) -> Status {
    out = Resolve(tx, type_key);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return out;
}

}  // namespace rd::core
