#include "connectors/sql_config.h"

#include <sodium.h>

#include <cctype>
#include <string_view>

#include "core/url_text.h"

namespace rd::connectors {
namespace {

using core::Errc;
using core::Fail;

std::string Escape(std::string_view in) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// A value in a libpq / SOCI MySQL key=value string.
std::string Quote(const std::string& v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

std::string ToHex(const unsigned char* p, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

}  // namespace

std::string ConnectionUrl::Backend() const {
  switch (dialect) {
    case SqlDialect::kSqlite:
      return "sqlite3";
    case SqlDialect::kPostgres:
      return "postgresql";
    case SqlDialect::kMysql:
      return "mysql";
  }
  return "";
}

std::string ConnectionUrl::ConnectString() const {
  if (dialect == SqlDialect::kSqlite) return "db=\"" + database + "\" timeout=10";
  std::string out;
  auto add = [&out](const std::string& k, const std::string& v) {
    if (!v.empty()) out += (out.empty() ? "" : " ") + k + "=" + Quote(v);
  };
  add("host", host);
  add("port", port);
  add(dialect == SqlDialect::kPostgres ? "dbname" : "db", database);
  add("user", user);
  add("password", password);
  for (const auto& [k, v] : params) add(k, v);
  return out;
}

std::string ConnectionUrl::Redacted() const { return Build(false); }

std::string ConnectionUrl::WithPassword() const { return Build(true); }

std::string ConnectionUrl::Build(bool with_password) const {
  if (dialect == SqlDialect::kSqlite) return "sqlite://" + database;
  std::string out = scheme + "://";
  if (!user.empty() || has_password) {
    out += Escape(user);
    if (has_password) out += ":" + (with_password ? Escape(password) : std::string("***"));
    out += "@";
  }
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (!port.empty()) out += ":" + port;
  out += "/" + Escape(database);
  for (std::size_t i = 0; i < params.size(); ++i) {
    out += (i ? "&" : "?") + Escape(params[i].first) + "=" + Escape(params[i].second);
  }
  return out;
}

core::Result<ConnectionUrl> ParseConnectionUrl(const std::string& url) {
  ConnectionUrl u;
  const auto sep = url.find("://");
  if (sep == std::string::npos) {
    return Fail(Errc::kInvalidArgument,
                "connector.url: sqlite:///abs/path.db, postgresql://user:pass@host:port/db or "
                "mysql://user:pass@host:port/db");
  }
  u.scheme = url.substr(0, sep);
  std::string_view rest(url);
  rest.remove_prefix(sep + 3);
  if (u.scheme == "sqlite") {
    u.dialect = SqlDialect::kSqlite;
    if (rest.empty() || rest.front() != '/') {
      return Fail(Errc::kInvalidArgument,
                  "connector.url: a SQLite URL names an absolute path: sqlite:///abs/path.db");
    }
    if (rest.find('"') != std::string_view::npos) {
      return Fail(Errc::kInvalidArgument, "connector.url: the SQLite path may not contain '\"'");
    }
    u.database = std::string(rest);
    return u;
  }
  if (u.scheme == "postgresql" || u.scheme == "postgres") {
    u.dialect = SqlDialect::kPostgres;
  } else if (u.scheme == "mysql" || u.scheme == "mariadb") {
    u.dialect = SqlDialect::kMysql;
  } else {
    return Fail(Errc::kInvalidArgument, "connector.url: unsupported scheme '" +
                                            u.scheme.substr(0, 20) +
                                            "'; use sqlite, postgresql or mysql");
  }
  std::string_view query;
  if (const auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash + 1 >= rest.size()) {
    return Fail(Errc::kInvalidArgument, "connector.url: the database name is missing (…/db)");
  }
  u.database = core::PercentDecodeLenient(rest.substr(slash + 1));
  rest = rest.substr(0, slash);
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = userinfo.find(':');
    u.user = core::PercentDecodeLenient(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) {
      u.password = core::PercentDecodeLenient(userinfo.substr(colon + 1));
      u.has_password = true;
    }
  }
  std::string_view host = rest;
  if (!host.empty() && host.front() == '[') {
    const auto close = host.find(']');
    if (close == std::string_view::npos) {
      return Fail(Errc::kInvalidArgument, "connector.url: unclosed '[' in the host");
    }
    if (close + 1 < host.size() && host[close + 1] == ':') u.port = host.substr(close + 2);
    u.host = host.substr(1, close - 1);
  } else {
    if (const auto colon = host.rfind(':'); colon != std::string_view::npos) {
      u.port = host.substr(colon + 1);
      host = host.substr(0, colon);
    }
    u.host = host;
  }
  if (u.host.empty()) return Fail(Errc::kInvalidArgument, "connector.url: the host is missing");
  if (u.port.find_first_not_of("0123456789") != std::string::npos || u.port.size() > 5) {
    return Fail(Errc::kInvalidArgument, "connector.url: the port must be a number");
  }
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return Fail(Errc::kInvalidArgument, "connector.url: query parameters must be key=value");
    }
    const std::string key = core::PercentDecodeLenient(pair.substr(0, eq));
    for (char c : key) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
        return Fail(Errc::kInvalidArgument, "connector.url: bad parameter name");
      }
    }
    u.params.emplace_back(key, core::PercentDecodeLenient(pair.substr(eq + 1)));
  }
  return u;
}

std::optional<MaskStrategy> ErasurePolicy::For(const std::vector<std::string>& cats) const {
  const std::pair<std::string, MaskStrategy>* best = nullptr;
  bool personal = false;
  for (const auto& cat : cats) {
    if (cat.rfind("user.", 0) == 0 || cat == "user") personal = true;
    for (const auto& entry : categories) {
      const std::string& prefix = entry.first;
      const bool match = cat == prefix ||
                         (cat.size() > prefix.size() &&
                          cat.compare(0, prefix.size(), prefix) == 0 && cat[prefix.size()] == '.');
      if (match && (!best || prefix.size() > best->first.size())) best = &entry;
    }
  }
  if (best) return best->second;
  if (personal) return default_strategy;
  return std::nullopt;
}

std::optional<std::string> MaskValue(const MaskStrategy& s, const std::string& value,
                                     const std::string& secret) {
  switch (s.kind) {
    case MaskKind::kNull:
    case MaskKind::kDelete:
      return std::nullopt;
    case MaskKind::kString:
      return s.value;
    case MaskKind::kRandom: {
      static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
      std::string out;
      for (int i = 0; i < s.length; ++i) out.push_back(kAlphabet[randombytes_uniform(36)]);
      return out;
    }
    case MaskKind::kHash: {
      unsigned char out[crypto_hash_sha256_BYTES];
      crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(value.data()), value.size());
      return ToHex(out, sizeof out);
    }
    case MaskKind::kHmac: {
      unsigned char out[crypto_auth_hmacsha256_BYTES];
      crypto_auth_hmacsha256_state st;
      crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()),
                                  secret.size());
      crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(value.data()),
                                    value.size());
      crypto_auth_hmacsha256_final(&st, out);
      return ToHex(out, sizeof out);
    }
  }
  return std::nullopt;
}

}  // namespace rd::connectors
