#pragma once

#include <string>

#include "core/clock.h"
#include "core/role.h"

namespace rd::core {

struct User {
  std::string id;  // "usr_" + hex
  std::string email;
  Role role = Role::kViewer;
  std::string password_hash;  // Argon2id; never leaves the server
  UnixTime created_at = 0;
  int failed_logins = 0;      // consecutive failures since the last success
  UnixTime locked_until = 0;  // logins refused before this time
  bool disabled = false;
};

// A console session. The browser holds the token in an HttpOnly cookie; the store keeps
// only its SHA-256.
struct Session {
  std::string token_hash;
  std::string user_id;
  std::string csrf_token;
  UnixTime created_at = 0;
  UnixTime expires_at = 0;
};

// An API token for automation. The caller sees the token once; the store keeps its SHA-256.
struct ApiToken {
  std::string id;  // "tok_" + hex
  std::string name;
  std::string user_id;
  Role role = Role::kViewer;  // never above the creating user's role
  std::string token_hash;
  UnixTime created_at = 0;
  UnixTime last_used_at = 0;
  bool revoked = false;
};

// Who is calling, once authenticated.
struct Principal {
  std::string user_id;
  std::string email;
  Role role = Role::kViewer;
  bool via_cookie = false;  // cookie sessions need a CSRF token on writes
  std::string csrf_token;   // the session's, when via_cookie
  std::string token_id;     // the API token's id, when not via_cookie
};

}  // namespace rd::core
