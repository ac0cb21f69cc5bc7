#include "core/auth_service.h"

#include "core/json_text.h"

namespace rd::core {

AuthService::AuthService(Store& store, const Crypto& crypto, const Clock& clock, AuthPolicy policy)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      policy_(policy),
      ip_throttle_(policy.max_failed_per_ip, policy.ip_window_seconds),
      dummy_hash_(crypto.HashPassword(crypto.RandomHex(16))) {}

std::string AuthService::ActorOf(const Principal& p) {
  return p.via_cookie || p.token_id.empty() ? "user:" + p.user_id : "token:" + p.token_id;
}

Result<User> AuthService::CreateUser(const std::string& email, Role role,
                                     const std::string& password, const std::string& actor) {
  const auto normalized = NormalizeEmail(email);
  if (!normalized) return Fail(Errc::kInvalidArgument, "email: not a valid email address");
  if (password.size() < policy_.min_password_length) {
    return Fail(Errc::kInvalidArgument, "password: must be at least " +
                                            std::to_string(policy_.min_password_length) +
                                            " characters");
  }
  if (password.size() > 1024) {
    return Fail(Errc::kInvalidArgument, "password: must be at most 1024 characters");
  }
  User user;
  user.id = "usr_" + crypto_.RandomHex(12);
  user.email = *normalized;
  user.role = role;
  user.password_hash = crypto_.HashPassword(password);
  user.created_at = clock_.Now();
  Status st = store_.Write([&](Transaction& tx) -> Status {
    auto existing = tx.Users().FindByEmail(user.email);
    if (existing) return Fail(Errc::kConflict, "email: a user with this email already exists");
    if (existing.error().code != Errc::kNotFound) return tl::unexpected(existing.error());
    if (auto s = tx.Users().Insert(user); !s) return s;
    NewAuditEvent ev{
        actor, std::nullopt, "user.created",
        "{\"user_id\":" + JsonString(user.id) + ",\"role\":" + JsonString(RoleName(role)) + "}"};
    return tx.Audit().Append(ev, user.created_at).map([](const AuditEvent&) {});
  });
  if (!st) return tl::unexpected(st.error());
  return user;
}

Result<LoginResult> AuthService::Login(const std::string& email, const std::string& password,
                                       const std::string& client_address) {
  const UnixTime now = clock_.Now();
  const std::string ip_key = "ip:" + client_address;
  if (ip_throttle_.Blocked(ip_key, now)) {
    return Fail(Errc::kRateLimited, "too many failed logins from this address; try again later");
  }
  const auto normalized = NormalizeEmail(email);
  Result<User> found = Fail(Errc::kNotFound, "");
  if (normalized) {
    Status st = store_.Read([&](Transaction& tx) -> Status {
      found = tx.Users().FindByEmail(*normalized);
      if (!found && found.error().code != Errc::kNotFound) return tl::unexpected(found.error());
      return {};
    });
    if (!st) return tl::unexpected(st.error());
  }
  if (!found || found->disabled) {
    (void)crypto_.VerifyPassword(dummy_hash_, password);  // same cost as a real check
    ip_throttle_.RecordFailure(ip_key, now);
    return Fail(Errc::kUnauthenticated, "wrong email or password");
  }
  User user = *found;
  if (user.locked_until > now) {
    return Fail(Errc::kRateLimited, "too many failed logins for this account; try again in " +
                                        std::to_string((user.locked_until - now + 59) / 60) +
                                        " minutes");
  }
  if (!crypto_.VerifyPassword(user.password_hash, password)) {
    ip_throttle_.RecordFailure(ip_key, now);
    const int failures = user.failed_logins + 1;
    const bool lock = policy_.max_failed_logins > 0 && failures >= policy_.max_failed_logins;
    Status st = store_.Write([&](Transaction& tx) -> Status {
      if (auto s = tx.Users().SetLoginState(user.id, lock ? 0 : failures,
                                            lock ? now + policy_.lock_seconds : 0);
          !s) {
        return s;
      }
      NewAuditEvent ev{"user:" + user.id, std::nullopt,
                       lock ? "auth.account_locked" : "auth.login_failed", "{}"};
      return tx.Audit().Append(ev, now).map([](const AuditEvent&) {});
    });
    if (!st) return tl::unexpected(st.error());
    return Fail(Errc::kUnauthenticated, "wrong email or password");
  }

  LoginResult result;
  result.session_token = crypto_.RandomHex(32);
  result.csrf_token = crypto_.RandomHex(32);
  result.user = user;
  Session session{crypto_.Sha256Hex(result.session_token), user.id, result.csrf_token, now,
                  now + policy_.session_ttl_seconds};
  Status st = store_.Write([&](Transaction& tx) -> Status {
    if (user.failed_logins != 0 || user.locked_until != 0) {
      if (auto s = tx.Users().SetLoginState(user.id, 0, 0); !s) return s;
    }
    if (auto s = tx.Sessions().DeleteExpired(now); !s) return s;
    if (auto s = tx.Sessions().Insert(session); !s) return s;
    NewAuditEvent ev{"user:" + user.id, std::nullopt, "auth.login", "{}"};
    return tx.Audit().Append(ev, now).map([](const AuditEvent&) {});
  });
  if (!st) return tl::unexpected(st.error());
  ip_throttle_.Reset(ip_key);
  return result;
}

Status AuthService::Logout(const std::string& session_token) {
  const std::string hash = crypto_.Sha256Hex(session_token);
  return store_.Write([&](Transaction& tx) -> Status {
    auto session = tx.Sessions().Find(hash);
    if (!session) return {};  // already gone: logging out twice is fine
    if (auto s = tx.Sessions().Delete(hash); !s) return s;
    NewAuditEvent ev{"user:" + session->user_id, std::nullopt, "auth.logout", "{}"};
    return tx.Audit().Append(ev, clock_.Now()).map([](const AuditEvent&) {});
  });
}

Result<Principal> AuthService::AuthenticateSession(const std::string& session_token) {
  if (session_token.empty() || session_token.size() > 256) {
    return Fail(Errc::kUnauthenticated, "not logged in");
  }
  Principal p;
  const UnixTime now = clock_.Now();
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto session = tx.Sessions().Find(crypto_.Sha256Hex(session_token));
    if (!session) {
      if (session.error().code == Errc::kNotFound) {
        return Fail(Errc::kUnauthenticated, "not logged in");
      }
      return tl::unexpected(session.error());
    }
    if (session->expires_at <= now) return Fail(Errc::kUnauthenticated, "session expired");
    auto user = tx.Users().FindById(session->user_id);
    if (!user || user->disabled) return Fail(Errc::kUnauthenticated, "not logged in");
    p.user_id = user->id;
    p.email = user->email;
    p.role = user->role;
    p.via_cookie = true;
    p.csrf_token = session->csrf_token;
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return p;
}

Result<Principal> AuthService::AuthenticateBearer(const std::string& token) {
  if (token.empty() || token.size() > 256) return Fail(Errc::kUnauthenticated, "bad token");
  Principal p;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto t = tx.ApiTokens().FindByHash(crypto_.Sha256Hex(token));
    if (!t) {
      if (t.error().code == Errc::kNotFound) return Fail(Errc::kUnauthenticated, "bad token");
      return tl::unexpected(t.error());
    }
    if (t->revoked) return Fail(Errc::kUnauthenticated, "token revoked");
    auto user = tx.Users().FindById(t->user_id);
    if (!user || user->disabled) return Fail(Errc::kUnauthenticated, "bad token");
    p.user_id = user->id;
    p.email = user->email;
    // A token never exceeds its owner's current role.
    p.role = static_cast<int>(t->role) < static_cast<int>(user->role) ? t->role : user->role;
    p.token_id = t->id;
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  return p;
}

Result<CreatedApiToken> AuthService::CreateApiToken(const Principal& owner, const std::string& name,
                                                    std::optional<Role> role) {
  if (name.empty() || name.size() > 100) {
    return Fail(Errc::kInvalidArgument, "name: required, at most 100 characters");
  }
  const Role r = role.value_or(owner.role);
  if (static_cast<int>(r) > static_cast<int>(owner.role)) {
    return Fail(Errc::kInvalidArgument, "role: may not exceed your own role");
  }
  CreatedApiToken out;
  out.secret = "rdt_" + crypto_.RandomHex(32);
  out.token.id = "tok_" + crypto_.RandomHex(12);
  out.token.name = name;
  out.token.user_id = owner.user_id;
  out.token.role = r;
  out.token.token_hash = crypto_.Sha256Hex(out.secret);
  out.token.created_at = clock_.Now();
  Status st = store_.Write([&](Transaction& tx) -> Status {
    if (auto s = tx.ApiTokens().Insert(out.token); !s) return s;
    NewAuditEvent ev{
        ActorOf(owner), std::nullopt, "api_token.created",
        "{\"token_id\":" + JsonString(out.token.id) + ",\"role\":" + JsonString(RoleName(r)) + "}"};
    return tx.Audit().Append(ev, out.token.created_at).map([](const AuditEvent&) {});
  });
  if (!st) return tl::unexpected(st.error());
  out.token.token_hash.clear();
  return out;
}

Result<std::vector<ApiToken>> AuthService::ListApiTokens() {
  std::vector<ApiToken> out;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto list = tx.ApiTokens().List();
    if (!list) return tl::unexpected(list.error());
    out = std::move(*list);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  for (auto& t : out) t.token_hash.clear();
  return out;
}

Status AuthService::RevokeApiToken(const Principal& actor, const std::string& id) {
  return store_.Write([&](Transaction& tx) -> Status {
    if (auto s = tx.ApiTokens().Revoke(id); !s) return s;
    NewAuditEvent ev{ActorOf(actor), std::nullopt, "api_token.revoked",
                     "{\"token_id\":" + JsonString(id) + "}"};
    return tx.Audit().Append(ev, clock_.Now()).map([](const AuditEvent&) {});
  });
}

Result<std::vector<User>> AuthService::ListUsers() {
  std::vector<User> out;
  Status st = store_.Read([&](Transaction& tx) -> Status {
    auto list = tx.Users().List();
    if (!list) return tl::unexpected(list.error());
    out = std::move(*list);
    return {};
  });
  if (!st) return tl::unexpected(st.error());
  for (auto& u : out) u.password_hash.clear();
  return out;
}

}  // namespace rd::core
