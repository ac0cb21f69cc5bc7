#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace rd::connectors {

enum class SqlDialect { kSqlite, kPostgres, kMysql };

// A SQL source's URL: sqlite:///abs/path.db, postgresql://user:pass@host:port/db?k=v,
// mysql://user:pass@host:port/db (user, password and database percent-decoded).
struct ConnectionUrl {
  SqlDialect dialect = SqlDialect::kSqlite;
  std::string scheme;
  std::string user;
  std::string password;
  bool has_password = false;
  std::string host;
  std::string port;
  std::string database;  // the file path for SQLite
  std::vector<std::pair<std::string, std::string>> params;

  // SOCI's backend name and connection string.
  std::string Backend() const;
  std::string ConnectString() const;
  // The URL with the password replaced by "***" (nothing else changes).
  std::string Redacted() const;
  // The URL with the password (percent-encoded): for opening the database only, never shown.
  std::string WithPassword() const;

 private:
  std::string Build(bool with_password) const;
};

// kInvalidArgument naming "connector.url" and what is wrong; never echoes the password.
[[nodiscard]] core::Result<ConnectionUrl> ParseConnectionUrl(const std::string& url);

// An erasure strategy (PRODUCT.md §3): delete the row, or overwrite a field with NULL, a
// fixed string, a random string, SHA-256 of the value or HMAC-SHA-256 of the value under the
// request's secret.
enum class MaskKind { kNull, kString, kRandom, kHash, kHmac, kDelete };

struct MaskStrategy {
  MaskKind kind = MaskKind::kNull;
  std::string value = "MASKED";  // kString
  int length = 20;               // kRandom
};

// The connector's "erasure": {"default": S, "categories": {"user.contact.email": S}} where S
// is a name (null, string, random, hash, hmac, delete) or {"strategy": name, "value": text,
// "length": n}. A category applies to the field's categories it prefixes (the longest wins);
// the default applies to every other field with a user.* category.
struct ErasurePolicy {
  MaskStrategy default_strategy;
  std::vector<std::pair<std::string, MaskStrategy>> categories;

  // The strategy for a field with `data_categories`, or nullopt when none of them is
  // personal (user.*) nor named in the policy: the field is left as it is.
  std::optional<MaskStrategy> For(const std::vector<std::string>& data_categories) const;
};

// The value a strategy writes in place of `value` (nullopt: NULL). kDelete is not a mask.
std::optional<std::string> MaskValue(const MaskStrategy& s, const std::string& value,
                                     const std::string& secret);

// A SQL connector as configured: {"kind": "sql", "url": URL, "erasure": {...}}.
struct SqlConnectorConfig {
  ConnectionUrl url;
  ErasurePolicy erasure;
};

}  // namespace rd::connectors
