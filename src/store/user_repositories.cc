// Users, console sessions and API tokens.
#include <soci/soci.h>

#include "store/row.h"
#include "store/sql_repositories.h"

namespace rd::store {
namespace {

core::User UserFromRow(const soci::row& r) {
  core::User u;
  u.id = RowText(r, 0);
  u.email = RowText(r, 1);
  u.role = core::ParseRole(RowText(r, 2)).value_or(core::Role::kViewer);
  u.password_hash = RowText(r, 3);
  u.created_at = RowInt(r, 4);
  u.failed_logins = static_cast<int>(RowInt(r, 5));
  u.locked_until = RowInt(r, 6);
  u.disabled = RowInt(r, 7) != 0;
  return u;
}

core::ApiToken TokenFromRow(const soci::row& r) {
  core::ApiToken t;
  t.id = RowText(r, 0);
  t.name = RowText(r, 1);
  t.user_id = RowText(r, 2);
  t.role = core::ParseRole(RowText(r, 3)).value_or(core::Role::kViewer);
  t.token_hash = RowText(r, 4);
  t.created_at = RowInt(r, 5);
  t.last_used_at = RowInt(r, 6);
  t.revoked = RowInt(r, 7) != 0;
  return t;
}

}  // namespace

core::Status SqlUserRepository::Insert(const core::User& u) {
  try {
    const std::string role = core::RoleName(u.role);
    const long long created = u.created_at;
    const int disabled = u.disabled ? 1 : 0;
    sql_ << "INSERT INTO users (id, email, role, password_hash, created_at, disabled) "
            "VALUES (:id, :email, :role, :hash, :created, :disabled)",
        soci::use(u.id), soci::use(u.email), soci::use(role), soci::use(u.password_hash),
        soci::use(created), soci::use(disabled);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "user"));
  }
}

core::Result<core::User> SqlUserRepository::FindBy(const char* column, const std::string& value) {
  try {
    soci::row r;
    sql_ << "SELECT id, email, role, password_hash, created_at, failed_logins, locked_until, "
            "disabled FROM users WHERE "
         << column << " = :v",
        soci::use(value), soci::into(r);
    if (!sql_.got_data()) return core::Fail(core::Errc::kNotFound, "no such user");
    return UserFromRow(r);
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "find user"));
  }
}

core::Result<core::User> SqlUserRepository::FindByEmail(const std::string& email) {
  return FindBy("email", email);
}

core::Result<core::User> SqlUserRepository::FindById(const std::string& id) {
  return FindBy("id", id);
}

core::Result<std::vector<core::User>> SqlUserRepository::List() {
  try {
    std::vector<core::User> out;
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT id, email, role, password_hash, created_at, failed_logins, "
                         "locked_until, disabled FROM users ORDER BY email");
    for (const auto& r : rows) out.push_back(UserFromRow(r));
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "list users"));
  }
}

core::Result<std::int64_t> SqlUserRepository::Count() {
  try {
    long long n = 0;
    sql_ << "SELECT COUNT(*) FROM users", soci::into(n);
    return n;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "count users"));
  }
}

core::Status SqlUserRepository::SetLoginState(const std::string& id, int failed_logins,
                                              core::UnixTime locked_until) {
  try {
    const long long until = locked_until;
    sql_ << "UPDATE users SET failed_logins = :f, locked_until = :u WHERE id = :id",
        soci::use(failed_logins), soci::use(until), soci::use(id);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "update user"));
  }
}

core::Status SqlSessionRepository::Insert(const core::Session& s) {
  try {
    const long long created = s.created_at;
    const long long expires = s.expires_at;
    sql_ << "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) "
            "VALUES (:h, :u, :c, :cr, :ex)",
        soci::use(s.token_hash), soci::use(s.user_id), soci::use(s.csrf_token), soci::use(created),
        soci::use(expires);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "session"));
  }
}

core::Result<core::Session> SqlSessionRepository::Find(const std::string& token_hash) {
  try {
    core::Session s;
    long long created = 0;
    long long expires = 0;
    sql_ << "SELECT token_hash, user_id, csrf_token, created_at, expires_at FROM sessions "
            "WHERE token_hash = :h",
        soci::use(token_hash), soci::into(s.token_hash), soci::into(s.user_id),
        soci::into(s.csrf_token), soci::into(created), soci::into(expires);
    if (!sql_.got_data()) return core::Fail(core::Errc::kNotFound, "no such session");
    s.created_at = created;
    s.expires_at = expires;
    return s;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "find session"));
  }
}

core::Status SqlSessionRepository::Delete(const std::string& token_hash) {
  try {
    sql_ << "DELETE FROM sessions WHERE token_hash = :h", soci::use(token_hash);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "delete session"));
  }
}

core::Status SqlSessionRepository::DeleteExpired(core::UnixTime now) {
  try {
    const long long t = now;
    sql_ << "DELETE FROM sessions WHERE expires_at <= :t", soci::use(t);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "expire sessions"));
  }
}

core::Status SqlApiTokenRepository::Insert(const core::ApiToken& t) {
  try {
    const std::string role = core::RoleName(t.role);
    const long long created = t.created_at;
    sql_ << "INSERT INTO api_tokens (id, name, user_id, role, token_hash, created_at) "
            "VALUES (:id, :n, :u, :r, :h, :c)",
        soci::use(t.id), soci::use(t.name), soci::use(t.user_id), soci::use(role),
        soci::use(t.token_hash), soci::use(created);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "api token"));
  }
}

core::Result<core::ApiToken> SqlApiTokenRepository::FindByHash(const std::string& token_hash) {
  try {
    soci::row r;
    sql_ << "SELECT id, name, user_id, role, token_hash, created_at, last_used_at, "
            "revoked FROM api_tokens WHERE token_hash = :h",
        soci::use(token_hash), soci::into(r);
    if (!sql_.got_data()) return core::Fail(core::Errc::kNotFound, "no such token");
    return TokenFromRow(r);
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "find api token"));
  }
}

core::Result<std::vector<core::ApiToken>> SqlApiTokenRepository::List() {
  try {
    std::vector<core::ApiToken> out;
    soci::rowset<soci::row> rows =
        (sql_.prepare << "SELECT id, name, user_id, role, token_hash, created_at, last_used_at, "
                         "revoked FROM api_tokens ORDER BY created_at, id");
    for (const auto& r : rows) out.push_back(TokenFromRow(r));
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "list api tokens"));
  }
}

core::Status SqlApiTokenRepository::Revoke(const std::string& id) {
  try {
    soci::statement st =
        (sql_.prepare << "UPDATE api_tokens SET revoked = 1 WHERE id = :id", soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() == 0) return core::Fail(core::Errc::kNotFound, "no such token");
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "revoke api token"));
  }
}

}  // namespace rd::store
