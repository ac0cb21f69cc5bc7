#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/attempt_limiter.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/result.h"
#include "core/store.h"
#include "core/user.h"

namespace rd::core {

struct AuthPolicy {
  int session_ttl_seconds = 12 * 3600;
  int max_failed_logins = 5;  // per account, then locked for lock_seconds
  int lock_seconds = 15 * 60;
  int max_failed_per_ip = 20;  // per client address within ip_window_seconds
  int ip_window_seconds = 15 * 60;
  std::size_t min_password_length = 12;
};

struct LoginResult {
  std::string session_token;  // goes into the cookie; only its hash is stored
  std::string csrf_token;
  User user;
};

struct CreatedApiToken {
  ApiToken token;      // without the secret
  std::string secret;  // "rdt_..." shown once
};

// Users, console sessions and API tokens. Every change writes an audit event in the same
// transaction. Thread-safe (the throttle is internally locked; the rest is stateless).
class AuthService {
 public:
  AuthService(Store& store, const Crypto& crypto, const Clock& clock, AuthPolicy policy);

  // Errors: kInvalidArgument (email, role or password unacceptable; the message says which),
  // kConflict (the email is taken).
  [[nodiscard]] Result<User> CreateUser(const std::string& email, Role role,
                                        const std::string& password, const std::string& actor);

  // Errors: kUnauthenticated for a wrong email or password (one message for both, so that
  // accounts cannot be probed); kRateLimited when the account is locked or the client
  // address has failed too often.
  [[nodiscard]] Result<LoginResult> Login(const std::string& email, const std::string& password,
                                          const std::string& client_address);
  [[nodiscard]] Status Logout(const std::string& session_token);

  // Resolve credentials to a principal. kUnauthenticated when unknown, expired or revoked.
  [[nodiscard]] Result<Principal> AuthenticateSession(const std::string& session_token);
  [[nodiscard]] Result<Principal> AuthenticateBearer(const std::string& token);

  // A token acting as `owner`, with `role` (default: the owner's), never above the owner's.
  [[nodiscard]] Result<CreatedApiToken> CreateApiToken(const Principal& owner,
                                                       const std::string& name,
                                                       std::optional<Role> role);
  [[nodiscard]] Result<std::vector<ApiToken>> ListApiTokens();
  [[nodiscard]] Status RevokeApiToken(const Principal& actor, const std::string& id);
  [[nodiscard]] Result<std::vector<User>> ListUsers();

  // Constant-time comparison of a sent CSRF token with the session's.
  bool CsrfMatches(const std::string& sent, const std::string& expected) const {
    return crypto_.ConstantTimeEquals(sent, expected);
  }

  // "user:usr_..." or "token:tok_...", for audit events.
  static std::string ActorOf(const Principal& p);

 private:
  Store& store_;
  const Crypto& crypto_;
  const Clock& clock_;
  AuthPolicy policy_;
  AttemptLimiter ip_throttle_;
  std::string dummy_hash_;  // verified against when the email is unknown, to equalize timing
};

}  // namespace rd::core
