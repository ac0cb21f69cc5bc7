#include "app/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>

extern char** environ;

namespace rd::app {
namespace {

using Setter = std::function<core::Status(Config&, const std::string&)>;

core::Status Invalid(const std::string& key, const std::string& value, const std::string& what) {
  return core::Fail(core::Errc::kInvalidArgument,
                    key + ": '" + value + "' is not valid; expected " + what);
}

Setter Text(std::string Config::*field) {
  return [field](Config& c, const std::string& v) -> core::Status {
    c.*field = v;
    return {};
  };
}

Setter Int(int Config::*field, const std::string& key, int min, int max) {
  return [=](Config& c, const std::string& v) -> core::Status {
    char* end = nullptr;
    errno = 0;
    const long n = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno != 0 || n < min || n > max) {
      return Invalid(key, v,
                     "a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    }
    c.*field = static_cast<int>(n);
    return {};
  };
}

// A duration as a whole number with a unit: "7d", "12h", "30m" or "45s"; stored in seconds.
Setter Duration(int Config::*field, const std::string& key, int min_seconds, int max_seconds) {
  return [=](Config& c, const std::string& v) -> core::Status {
    const std::string what = "a duration such as 7d, 12h, 30m or 45s, from " +
                             std::to_string(min_seconds) + "s to " +
                             std::to_string(max_seconds / 86400) + "d";
    if (v.size() < 2) return Invalid(key, v, what);
    long unit = 0;
    switch (v.back()) {
      case 'd':
        unit = 86400;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'm':
        unit = 60;
        break;
      case 's':
        unit = 1;
        break;
      default:
        return Invalid(key, v, what);
    }
    const std::string number = v.substr(0, v.size() - 1);
    char* end = nullptr;
    errno = 0;
    const long n = std::strtol(number.c_str(), &end, 10);
    if (number.empty() || *end != '\0' || errno != 0 || n < 0 || n > max_seconds / unit ||
        n * unit < min_seconds) {
      return Invalid(key, v, what);
    }
    c.*field = static_cast<int>(n * unit);
    return {};
  };
}

Setter Bool(bool Config::*field, const std::string& key) {
  return [=](Config& c, const std::string& v) -> core::Status {
    std::string l = v;
    std::transform(l.begin(), l.end(), l.begin(),
                   [](unsigned char ch) { return std::tolower(ch); });
    if (l == "true" || l == "yes" || l == "1" || l == "on") {
      c.*field = true;
    } else if (l == "false" || l == "no" || l == "0" || l == "off") {
      c.*field = false;
    } else {
      return Invalid(key, v, "true or false");
    }
    return {};
  };
}

core::Status SetListen(Config& c, const std::string& v) {
  const auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == v.size()) {
    return Invalid("server.listen", v, "HOST:PORT, e.g. 127.0.0.1:8080");
  }
  std::string host = v.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = v.substr(colon + 1);
  char* end = nullptr;
  const long p = std::strtol(port.c_str(), &end, 10);
  if (*end != '\0' || p < 1 || p > 65535) {
    return Invalid("server.listen", v, "HOST:PORT with a port from 1 to 65535");
  }
  c.listen_host = host;
  c.listen_port = static_cast<std::uint16_t>(p);
  return {};
}

const std::map<std::string, Setter>& Setters() {
  static const std::map<std::string, Setter> kSetters = {
      {"server.listen", SetListen},
      {"server.threads", Int(&Config::server_threads, "server.threads", 0, 256)},
      {"server.secure_cookies", Bool(&Config::secure_cookies, "server.secure_cookies")},
      {"server.web_dir", Text(&Config::web_dir)},
      {"server.public_url",
       [](Config& c, const std::string& v) -> core::Status {
         if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
           return Invalid("server.public_url", v, "an http:// or https:// URL");
         }
         c.public_url = v;
         return {};
       }},
      {"catalog.path", Text(&Config::catalog_path)},
      {"catalog.local", Text(&Config::catalog_local)},
      {"worker.threads", Int(&Config::worker_threads, "worker.threads", 0, 64)},
      {"worker.lease", Duration(&Config::worker_lease_seconds, "worker.lease", 1, 86400)},
      {"worker.erase_batch", Int(&Config::worker_erase_batch, "worker.erase_batch", 1, 1000)},
      {"data_dir",
       [](Config& c, const std::string& v) -> core::Status {
         if (v.empty()) return Invalid("data_dir", v, "a directory path");
         c.data_dir = v;
         return {};
       }},
      {"database.url",
       [](Config& c, const std::string& v) -> core::Status {
         if (!v.empty() && v.rfind("sqlite://", 0) != 0 && v.rfind("postgresql://", 0) != 0 &&
             v.rfind("postgres://", 0) != 0) {
           return core::Fail(core::Errc::kInvalidArgument,
                             "database.url: expected sqlite:///path/to/file.db or "
                             "postgresql://user:pass@host:port/db");
         }
         c.database_url = v;
         return {};
       }},
      {"database.pool_size", Int(&Config::database_pool_size, "database.pool_size", 1, 256)},
      {"smtp.host", Text(&Config::smtp_host)},
      {"smtp.port", Int(&Config::smtp_port, "smtp.port", 1, 65535)},
      {"smtp.from",
       [](Config& c, const std::string& v) -> core::Status {
         if (v.find('@') == std::string::npos) return Invalid("smtp.from", v, "an email address");
         c.smtp_from = v;
         return {};
       }},
      {"smtp.username", Text(&Config::smtp_username)},
      {"smtp.password", Text(&Config::smtp_password)},
      {"smtp.starttls", Bool(&Config::smtp_starttls, "smtp.starttls")},
      {"smtp.tls_verify", Bool(&Config::smtp_tls_verify, "smtp.tls_verify")},
      {"smtp.pickup_dir", Text(&Config::smtp_pickup_dir)},
      {"security.master_key_file", Text(&Config::master_key_file)},
      {"security.session_ttl_hours",
       Int(&Config::session_ttl_hours, "security.session_ttl_hours", 1, 24 * 30)},
      {"security.login_max_failures",
       Int(&Config::login_max_failures, "security.login_max_failures", 0, 1000)},
      {"security.login_lock_minutes",
       Int(&Config::login_lock_minutes, "security.login_lock_minutes", 1, 24 * 60)},
      {"security.login_max_failures_per_ip",
       Int(&Config::login_max_failures_per_ip, "security.login_max_failures_per_ip", 0, 100000)},
      {"privacy_center.org_name",
       [](Config& c, const std::string& v) -> core::Status {
         if (v.empty() || v.size() > 200) {
           return Invalid("privacy_center.org_name", v, "a name of 1 to 200 characters");
         }
         c.org_name = v;
         return {};
       }},
      {"privacy_center.primary_color",
       [](Config& c, const std::string& v) -> core::Status {
         const bool hex = v.size() == 7 && v[0] == '#' &&
                          v.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string::npos;
         if (!hex) {
           return Invalid("privacy_center.primary_color", v, "a colour as #rrggbb (e.g. #1f4e79)");
         }
         c.primary_color = v;
         return {};
       }},
      {"privacy_center.code_minutes",
       Int(&Config::code_minutes, "privacy_center.code_minutes", 1, 24 * 60)},
      {"privacy_center.unverified_expiry",
       Duration(&Config::unverified_expiry_seconds, "privacy_center.unverified_expiry", 1,
                90 * 86400)},
      {"privacy_center.limit_per_address_per_hour",
       Int(&Config::limit_per_address_per_hour, "privacy_center.limit_per_address_per_hour", 0,
           1000000)},
      {"privacy_center.limit_per_identity_per_day",
       Int(&Config::limit_per_identity_per_day, "privacy_center.limit_per_identity_per_day", 0,
           100000)},
      {"review.duplicate_window",
       Duration(&Config::duplicate_window_seconds, "review.duplicate_window", 1, 3650 * 86400)},
      {"workflow.vendor_reminder_after", Duration(&Config::vendor_reminder_after_seconds,
                                                  "workflow.vendor_reminder_after", 1, 90 * 86400)},
      {"packages.ttl", Duration(&Config::package_ttl_seconds, "packages.ttl", 1, 365 * 86400)},
      {"workflow.vendor_max_reminders",
       Int(&Config::vendor_max_reminders, "workflow.vendor_max_reminders", 0, 10)},
      {"connectors.webhook_callback_timeout",
       Duration(&Config::webhook_callback_timeout_seconds, "connectors.webhook_callback_timeout", 1,
                90 * 86400)},
      {"discovery.min_unknown_messages",
       Int(&Config::discovery_min_unknown_messages, "discovery.min_unknown_messages", 1, 1000000)},
      {"scan.sample_rows", Int(&Config::scan_sample_rows, "scan.sample_rows", 1, 100000)},
      {"scan.phone_region",
       [](Config& c, const std::string& v) -> core::Status {
         if (v.size() != 2 || !std::isupper(static_cast<unsigned char>(v[0])) ||
             !std::isupper(static_cast<unsigned char>(v[1]))) {
           return Invalid("scan.phone_region", v, "a two-letter region code such as US or GB");
         }
         c.scan_phone_region = v;
         return {};
       }},
      {"log.level",
       [](Config& c, const std::string& v) -> core::Status {
         if (v != "debug" && v != "info" && v != "warn" && v != "error") {
           return Invalid("log.level", v, "debug, info, warn or error");
         }
         c.log_level = v;
         return {};
       }},
  };
  return kSetters;
}

core::Status Apply(Config& c, const std::string& key, const std::string& value,
                   const std::string& where) {
  const auto& setters = Setters();
  const auto it = setters.find(key);
  if (it == setters.end()) {
    return core::Fail(
        core::Errc::kInvalidArgument,
        where + ": unknown setting '" + key + "'; see docs/configuration.md for the known keys");
  }
  auto st = it->second(c, value);
  if (!st) return core::Fail(st.error().code, where + ": " + st.error().message);
  return {};
}

core::Status Flatten(const YAML::Node& node, const std::string& prefix,
                     std::map<std::string, std::string>* out) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      const std::string key = kv.first.as<std::string>();
      auto st = Flatten(kv.second, prefix.empty() ? key : prefix + "." + key, out);
      if (!st) return st;
    }
    return {};
  }
  if (node.IsScalar()) {
    (*out)[prefix] = node.Scalar();
    return {};
  }
  if (node.IsNull()) return {};  // "smtp:" with every key commented out: nothing set
  return core::Fail(core::Errc::kInvalidArgument, prefix + ": expected a single value");
}

}  // namespace

std::string Config::DatabaseUrl() const {
  if (!database_url.empty()) return database_url;
  std::string dir = data_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return "sqlite://" + dir + "/rightsdesk.db";
}

std::string Config::PublicUrl() const {
  std::string url =
      public_url.empty() ? "http://" + listen_host + ":" + std::to_string(listen_port) : public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string Config::MasterKeyFile() const {
  if (!master_key_file.empty()) return master_key_file;
  return data_dir + "/master.key";
}

const std::vector<std::string>& ConfigKeys() {
  static const std::vector<std::string> kKeys = [] {
    std::vector<std::string> keys;
    for (const auto& [k, _] : Setters()) keys.push_back(k);
    return keys;
  }();
  return kKeys;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry = *e;
    if (entry.rfind("RIGHTSDESK_", 0) != 0) continue;
    const auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    out[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return out;
}

core::Result<Config> LoadConfig(const std::string& file,
                                const std::map<std::string, std::string>& env,
                                const std::map<std::string, std::string>& flags) {
  Config c;
  if (!file.empty()) {
    YAML::Node root;
    try {
      root = YAML::LoadFile(file);
    } catch (const YAML::BadFile&) {
      return core::Fail(core::Errc::kInvalidArgument, "--config: cannot read " + file);
    } catch (const YAML::ParserException& e) {
      return core::Fail(core::Errc::kInvalidArgument,
                        file + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    if (!root.IsNull() && !root.IsMap()) {
      return core::Fail(core::Errc::kInvalidArgument,
                        file + ": the configuration must be a map of sections");
    }
    std::map<std::string, std::string> flat;
    if (root.IsMap()) {
      auto st = Flatten(root, "", &flat);
      if (!st) return core::Fail(st.error().code, file + ": " + st.error().message);
    }
    for (const auto& [key, value] : flat) {
      auto st = Apply(c, key, value, file);
      if (!st) return tl::unexpected(st.error());
    }
  }
  for (const auto& [name, value] : env) {
    if (name.rfind("RIGHTSDESK_", 0) != 0) continue;
    std::string key;
    const std::string rest = name.substr(11);
    for (std::size_t i = 0; i < rest.size(); ++i) {
      if (rest.compare(i, 2, "__") == 0) {
        key.push_back('.');
        ++i;
      } else {
        key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(rest[i]))));
      }
    }
    auto st = Apply(c, key, value, "environment variable " + name);
    if (!st) return tl::unexpected(st.error());
  }
  for (const auto& [key, value] : flags) {
    auto st = Apply(c, key, value, "flag for " + key);
    if (!st) return tl::unexpected(st.error());
  }
  return c;
}

}  // namespace rd::app
