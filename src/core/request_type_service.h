#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "core/store.h"

namespace rd::core {

// What an admin sends to configure a request type. Absent fields keep the current value (for a
// built-in type: its default), so switching a type off needs only `enabled`.
struct RequestTypeUpdate {
  std::optional<std::string> name;         // 1..100 characters, no control characters
  std::optional<std::string> description;  // 0..1000 characters; newlines allowed
  std::optional<bool> enabled;
  std::optional<int> deadline_days;  // custom rights: 1..365, or 0 for the jurisdiction's rule
};

struct RequestTypeChange {
  RequestTypeSetting setting;  // as stored
  bool created = false;        // a new custom right
};

// Limits of a custom right's definition.
inline constexpr std::size_t kMaxTypeNameChars = 100;
inline constexpr std::size_t kMaxTypeDescriptionChars = 1000;
inline constexpr int kMaxTypeDeadlineDays = 365;

// The request types of this desk (PRODUCT.md §1): the five built-in types, each of which an
// admin may rename, describe and switch off, and the custom rights an admin defines (a key, a
// name, a description shown in the Privacy Center, a deadline rule; processed manually).
// Built-in types always follow the jurisdiction's deadline rule. Custom rights cannot be
// deleted (requests keep their key); they are switched off instead. Thread-safe.
class RequestTypeService {
 public:
  RequestTypeService(Store& store, const Clock& clock);

  // Every type: the built-in ones in their fixed order (defaults overridden by stored
  // settings), then custom rights by key. kUnavailable when the database cannot be reached.
  [[nodiscard]] Result<std::vector<RequestTypeSetting>> List();
  // Only the enabled ones, in the same order: what the Privacy Center offers.
  [[nodiscard]] Result<std::vector<RequestTypeSetting>> ListEnabled();
  // Configures the type `key`: a built-in type (name, description, enabled; deadline_days must
  // be absent or 0), else a custom right, created when new (key [a-z][a-z0-9_]{1,39}, not
  // "custom"; name required on creation). Appends "request_type.updated" {key, enabled,
  // created}. Errors: kInvalidArgument naming the field ("key: ...", "name: ...",
  // "description: ...", "deadline_days: ...").
  [[nodiscard]] Result<RequestTypeChange> Put(const std::string& key,
                                              const RequestTypeUpdate& update,
                                              const std::string& actor);
  // The configured name of every type by key (built-in and custom), for showing requests.
  // Kept for kNamesTtlSeconds (a change in this process shows at once; one made by another
  // process within that time).
  [[nodiscard]] Result<std::map<std::string, std::string>> Names();
  static constexpr UnixTime kNamesTtlSeconds = 5;

  // The setting a new request of `type_key` is created with, inside `tx`. Errors:
  // kInvalidArgument "type: must be one of <enabled keys>" for an unknown key, and
  // "type: <key> requests are not accepted" for a type that is switched off.
  [[nodiscard]] static Result<RequestTypeSetting> Resolve(Transaction& tx,
                                                          const std::string& type_key);
  // The same in a read transaction of its own.
  [[nodiscard]] static Result<RequestTypeSetting> Resolve(Store& store,
                                                          const std::string& type_key);

  // The built-in types with their default names and descriptions, in display order.
  static const std::vector<RequestTypeSetting>& BuiltinDefaults();
  // kInvalidArgument "key: ..." unless `key` can name a custom right.
  [[nodiscard]] static Status ValidateCustomKey(const std::string& key);

 private:
  Store& store_;
  const Clock& clock_;
  std::mutex names_mu_;
  std::optional<std::map<std::string, std::string>> names_;  // guarded by names_mu_
  UnixTime names_loaded_at_ = 0;
};

}  // namespace rd::core
