#include "core/auth_service.h"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/fake_clock.h"
#include "crypto/sodium_crypto.h"
#include "store/temp_store.h"

namespace rd::core {
namespace {

constexpr char kPassword[] = "correct horse battery";
constexpr char kWrongPassword[] = "incorrect horse battery";

AuthPolicy TestPolicy() {
  AuthPolicy p;
  p.session_ttl_seconds = 3600;
  p.max_failed_logins = 3;
  p.lock_seconds = 900;
  p.max_failed_per_ip = 5;
  p.ip_window_seconds = 600;
  p.min_password_length = 12;
  return p;
}

// A real SQLite store in a fresh temporary directory, an AuthService on top, and a clock the
// test moves by hand.
class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    store_ = &temp_->store();
    crypto_ = &temp_->crypto();
    auth_ = std::make_unique<AuthService>(*store_, *crypto_, clock_, TestPolicy());
  }

  void TearDown() override {
    auth_.reset();
    temp_.reset();
  }

  User MakeUser(const std::string& email, Role role = Role::kAgent) {
    auto user = auth_->CreateUser(email, role, kPassword, "system");
    EXPECT_TRUE(user) << user.error().message;
    return user.value_or(User{});
  }

  Principal LogIn(const std::string& email, const std::string& ip = "192.0.2.1") {
    auto login = auth_->Login(email, kPassword, ip);
    EXPECT_TRUE(login) << login.error().message;
    if (!login) return Principal{};
    auto p = auth_->AuthenticateSession(login->session_token);
    EXPECT_TRUE(p) << p.error().message;
    return p.value_or(Principal{});
  }

  AuditVerification VerifyAudit() {
    AuditVerification v;
    v.ok = false;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      auto r = tx.Audit().Verify();
      if (!r) return tl::unexpected(r.error());
      v = *r;
      return {};
    });
    EXPECT_TRUE(st) << st.error().message;
    return v;
  }

  std::vector<std::string> AuditKinds() {
    std::vector<std::string> kinds;
    Status st = store_->Read([&](Transaction& tx) -> Status {
      return tx.Audit().ForEach(std::nullopt, 0, 0,
                                [&](const AuditEvent& e) { kinds.push_back(e.kind); });
    });
    EXPECT_TRUE(st) << st.error().message;
    return kinds;
  }

  FakeClock clock_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  store::SqlStore* store_ = nullptr;
  crypto::SodiumCrypto* crypto_ = nullptr;
  std::unique_ptr<AuthService> auth_;
};

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// --- users ------------------------------------------------------------------------------

TEST_F(AuthServiceTest, CreateUserNormalizesEmail) {
  auto user = auth_->CreateUser("  Ana@Example.COM ", Role::kAdmin, kPassword, "system");
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->email, "ana@example.com");
  EXPECT_EQ(user->role, Role::kAdmin);
  EXPECT_TRUE(StartsWith(user->id, "usr_")) << user->id;
  EXPECT_EQ(user->created_at, clock_.Now());
}

TEST_F(AuthServiceTest, CreateUserRejectsInvalidEmail) {
  auto user = auth_->CreateUser("not-an-email", Role::kAgent, kPassword, "system");
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().code, Errc::kInvalidArgument);
  EXPECT_TRUE(StartsWith(user.error().message, "email:")) << user.error().message;
}

TEST_F(AuthServiceTest, CreateUserRequiresTwelveCharacterPassword) {
  auto short_one = auth_->CreateUser("ana@example.com", Role::kAgent, "elevenchars", "system");
  ASSERT_FALSE(short_one);
  EXPECT_EQ(short_one.error().code, Errc::kInvalidArgument);
  EXPECT_TRUE(StartsWith(short_one.error().message, "password:")) << short_one.error().message;
  EXPECT_NE(short_one.error().message.find("12"), std::string::npos) << short_one.error().message;

  auto twelve = auth_->CreateUser("ana@example.com", Role::kAgent, "twelve chars", "system");
  EXPECT_TRUE(twelve) << twelve.error().message;
}

TEST_F(AuthServiceTest, CreateUserRejectsOverlongPassword) {
  auto user = auth_->CreateUser("ana@example.com", Role::kAgent, std::string(1025, 'p'), "system");
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().code, Errc::kInvalidArgument);
  EXPECT_TRUE(StartsWith(user.error().message, "password:")) << user.error().message;
}

TEST_F(AuthServiceTest, DuplicateEmailIsAConflict) {
  MakeUser("ana@example.com");
  auto again = auth_->CreateUser("ANA@example.com", Role::kViewer, kPassword, "system");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kConflict);
  EXPECT_TRUE(StartsWith(again.error().message, "email:")) << again.error().message;
  auto users = auth_->ListUsers();
  ASSERT_TRUE(users) << users.error().message;
  EXPECT_EQ(users->size(), 1u);
}

TEST_F(AuthServiceTest, ListUsersNeverReturnsPasswordHashes) {
  MakeUser("ana@example.com");
  MakeUser("bob@example.com", Role::kViewer);
  auto users = auth_->ListUsers();
  ASSERT_TRUE(users) << users.error().message;
  ASSERT_EQ(users->size(), 2u);
  for (const auto& u : *users) EXPECT_TRUE(u.password_hash.empty()) << u.email;
}

// --- login ------------------------------------------------------------------------------

TEST_F(AuthServiceTest, LoginWithRightPasswordGivesSessionAndCsrfToken) {
  const User ana = MakeUser("ana@example.com");
  auto login = auth_->Login("Ana@Example.com", kPassword, "192.0.2.1");
  ASSERT_TRUE(login) << login.error().message;
  EXPECT_GE(login->session_token.size(), 32u);
  EXPECT_GE(login->csrf_token.size(), 32u);
  EXPECT_NE(login->session_token, login->csrf_token);
  EXPECT_EQ(login->user.id, ana.id);

  auto p = auth_->AuthenticateSession(login->session_token);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->user_id, ana.id);
  EXPECT_EQ(p->email, "ana@example.com");
  EXPECT_EQ(p->role, Role::kAgent);
  EXPECT_TRUE(p->via_cookie);
  EXPECT_EQ(p->csrf_token, login->csrf_token);
  EXPECT_TRUE(auth_->CsrfMatches(login->csrf_token, p->csrf_token));
  EXPECT_FALSE(auth_->CsrfMatches("forged", p->csrf_token));
}

TEST_F(AuthServiceTest, EachLoginGetsItsOwnSession) {
  MakeUser("ana@example.com");
  auto a = auth_->Login("ana@example.com", kPassword, "192.0.2.1");
  auto b = auth_->Login("ana@example.com", kPassword, "192.0.2.1");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->session_token, b->session_token);
  EXPECT_TRUE(auth_->AuthenticateSession(a->session_token));
  EXPECT_TRUE(auth_->AuthenticateSession(b->session_token));
}

TEST_F(AuthServiceTest, WrongPasswordLooksLikeUnknownEmail) {
  MakeUser("ana@example.com");
  auto wrong = auth_->Login("ana@example.com", kWrongPassword, "192.0.2.1");
  auto unknown = auth_->Login("nobody@example.com", kPassword, "192.0.2.1");
  auto malformed = auth_->Login("not an email", kPassword, "192.0.2.1");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  ASSERT_FALSE(malformed);
  EXPECT_EQ(wrong.error().code, Errc::kUnauthenticated);
  EXPECT_EQ(unknown.error().code, Errc::kUnauthenticated);
  EXPECT_EQ(malformed.error().code, Errc::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_EQ(wrong.error().message, malformed.error().message);
}

TEST_F(AuthServiceTest, AccountLocksAfterMaxFailuresEvenWithRightPassword) {
  MakeUser("ana@example.com");
  for (int i = 0; i < 3; ++i) {
    auto r = auth_->Login("ana@example.com", kWrongPassword, "192.0.2.1");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kUnauthenticated) << i;
  }
  auto locked = auth_->Login("ana@example.com", kPassword, "192.0.2.2");
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, Errc::kRateLimited);
  EXPECT_NE(locked.error().message.find("15 minutes"), std::string::npos) << locked.error().message;
}

TEST_F(AuthServiceTest, LockedAccountUnlocksAfterLockTime) {
  MakeUser("ana@example.com");
  for (int i = 0; i < 3; ++i) (void)auth_->Login("ana@example.com", kWrongPassword, "192.0.2.1");
  clock_.Advance(899);
  auto still = auth_->Login("ana@example.com", kPassword, "192.0.2.2");
  ASSERT_FALSE(still);
  EXPECT_EQ(still.error().code, Errc::kRateLimited);
  clock_.Advance(1);
  auto open = auth_->Login("ana@example.com", kPassword, "192.0.2.2");
  EXPECT_TRUE(open) << open.error().message;
}

TEST_F(AuthServiceTest, SuccessfulLoginResetsFailureCount) {
  MakeUser("ana@example.com");
  for (int i = 0; i < 2; ++i) (void)auth_->Login("ana@example.com", kWrongPassword, "192.0.2.1");
  ASSERT_TRUE(auth_->Login("ana@example.com", kPassword, "192.0.2.1"));
  for (int i = 0; i < 2; ++i) (void)auth_->Login("ana@example.com", kWrongPassword, "192.0.2.1");
  auto login = auth_->Login("ana@example.com", kPassword, "192.0.2.1");
  EXPECT_TRUE(login) << login.error().message;
}

TEST_F(AuthServiceTest, ClientAddressIsThrottledAcrossAccounts) {
  MakeUser("ana@example.com");
  MakeUser("bob@example.com");
  MakeUser("cem@example.com");
  // Five failures from one address, spread so that no account reaches its own limit.
  (void)auth_->Login("ana@example.com", kWrongPassword, "203.0.113.9");
  (void)auth_->Login("ana@example.com", kWrongPassword, "203.0.113.9");
  (void)auth_->Login("bob@example.com", kWrongPassword, "203.0.113.9");
  (void)auth_->Login("bob@example.com", kWrongPassword, "203.0.113.9");
  (void)auth_->Login("nobody@example.com", kWrongPassword, "203.0.113.9");

  auto blocked = auth_->Login("cem@example.com", kPassword, "203.0.113.9");
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, Errc::kRateLimited);

  // Another address is not affected, and the accounts themselves are not locked.
  EXPECT_TRUE(auth_->Login("cem@example.com", kPassword, "203.0.113.10"));
  EXPECT_TRUE(auth_->Login("ana@example.com", kPassword, "203.0.113.10"));

  // The address is let in again once its window has passed.
  clock_.Advance(600);
  auto later = auth_->Login("cem@example.com", kPassword, "203.0.113.9");
  EXPECT_TRUE(later) << later.error().message;
}

// --- sessions ---------------------------------------------------------------------------

TEST_F(AuthServiceTest, SessionExpiresAfterTtl) {
  MakeUser("ana@example.com");
  auto login = auth_->Login("ana@example.com", kPassword, "192.0.2.1");
  ASSERT_TRUE(login);
  clock_.Advance(3599);
  EXPECT_TRUE(auth_->AuthenticateSession(login->session_token));
  clock_.Advance(1);
  auto expired = auth_->AuthenticateSession(login->session_token);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, Errc::kUnauthenticated);
}

TEST_F(AuthServiceTest, LogoutEndsSession) {
  MakeUser("ana@example.com");
  auto login = auth_->Login("ana@example.com", kPassword, "192.0.2.1");
  ASSERT_TRUE(login);
  ASSERT_TRUE(auth_->Logout(login->session_token));
  auto after = auth_->AuthenticateSession(login->session_token);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, Errc::kUnauthenticated);
  // Logging out twice is harmless.
  EXPECT_TRUE(auth_->Logout(login->session_token));
}

TEST_F(AuthServiceTest, UnknownSessionTokensAreRejected) {
  for (const std::string& token :
       {std::string(), std::string("nope"), std::string(300, 'a'), std::string(64, '0')}) {
    auto p = auth_->AuthenticateSession(token);
    ASSERT_FALSE(p) << token;
    EXPECT_EQ(p.error().code, Errc::kUnauthenticated);
  }
}

// --- API tokens -------------------------------------------------------------------------

TEST_F(AuthServiceTest, ApiTokenAuthenticatesAsItsOwner) {
  const User ana = MakeUser("ana@example.com", Role::kAdmin);
  const Principal owner = LogIn("ana@example.com");
  auto created = auth_->CreateApiToken(owner, "ci", Role::kAgent);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(StartsWith(created->secret, "rdt_")) << created->secret;
  EXPECT_GT(created->secret.size(), 4u + 32u);
  EXPECT_TRUE(StartsWith(created->token.id, "tok_")) << created->token.id;
  EXPECT_TRUE(created->token.token_hash.empty());
  EXPECT_EQ(created->token.role, Role::kAgent);

  auto p = auth_->AuthenticateBearer(created->secret);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->user_id, ana.id);
  EXPECT_EQ(p->role, Role::kAgent);
  EXPECT_EQ(p->token_id, created->token.id);
  EXPECT_FALSE(p->via_cookie);
  EXPECT_EQ(AuthService::ActorOf(*p), "token:" + created->token.id);
}

TEST_F(AuthServiceTest, ApiTokenDefaultsToOwnersRole) {
  MakeUser("ana@example.com", Role::kAgent);
  const Principal owner = LogIn("ana@example.com");
  auto created = auth_->CreateApiToken(owner, "default role", std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->token.role, Role::kAgent);
}

TEST_F(AuthServiceTest, ApiTokenRoleMayNotExceedOwnersRole) {
  MakeUser("ana@example.com", Role::kAgent);
  const Principal owner = LogIn("ana@example.com");
  auto created = auth_->CreateApiToken(owner, "too strong", Role::kAdmin);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, Errc::kInvalidArgument);
  EXPECT_TRUE(StartsWith(created.error().message, "role:")) << created.error().message;
}

TEST_F(AuthServiceTest, ApiTokenNeedsAName) {
  MakeUser("ana@example.com", Role::kAdmin);
  const Principal owner = LogIn("ana@example.com");
  for (const std::string& name : {std::string(), std::string(101, 'n')}) {
    auto created = auth_->CreateApiToken(owner, name, std::nullopt);
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().code, Errc::kInvalidArgument);
    EXPECT_TRUE(StartsWith(created.error().message, "name:")) << created.error().message;
  }
}

TEST_F(AuthServiceTest, ApiTokenIsCappedAtOwnersCurrentRole) {
  const User ana = MakeUser("ana@example.com", Role::kAdmin);
  const Principal owner = LogIn("ana@example.com");
  auto created = auth_->CreateApiToken(owner, "ops", Role::kAdmin);
  ASSERT_TRUE(created) << created.error().message;

  // The owner is demoted after creating the token (no service call does this yet).
  {
    soci::session sql(temp_->database().pool());
    sql << "UPDATE users SET role = 'viewer' WHERE id = :id", soci::use(ana.id);
  }
  auto p = auth_->AuthenticateBearer(created->secret);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->role, Role::kViewer);
}

TEST_F(AuthServiceTest, RevokedApiTokenIsRejected) {
  MakeUser("ana@example.com", Role::kAdmin);
  const Principal owner = LogIn("ana@example.com");
  auto created = auth_->CreateApiToken(owner, "ci", std::nullopt);
  ASSERT_TRUE(created) << created.error().message;
  ASSERT_TRUE(auth_->RevokeApiToken(owner, created->token.id));
  auto p = auth_->AuthenticateBearer(created->secret);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, Errc::kUnauthenticated);

  auto tokens = auth_->ListApiTokens();
  ASSERT_TRUE(tokens) << tokens.error().message;
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_TRUE(tokens->front().revoked);
  EXPECT_TRUE(tokens->front().token_hash.empty());
}

TEST_F(AuthServiceTest, RevokingUnknownTokenIsNotFound) {
  MakeUser("ana@example.com", Role::kAdmin);
  const Principal owner = LogIn("ana@example.com");
  auto st = auth_->RevokeApiToken(owner, "tok_000000000000000000000000");
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, Errc::kNotFound);
}

TEST_F(AuthServiceTest, UnknownBearerTokensAreRejected) {
  for (const std::string& token : {std::string(), std::string("rdt_nope"), std::string(300, 'r')}) {
    auto p = auth_->AuthenticateBearer(token);
    ASSERT_FALSE(p) << token;
    EXPECT_EQ(p.error().code, Errc::kUnauthenticated);
  }
}

// --- audit ------------------------------------------------------------------------------

TEST_F(AuthServiceTest, EveryChangeIsAuditedInAVerifiableChain) {
  MakeUser("ana@example.com", Role::kAdmin);
  (void)auth_->Login("ana@example.com", kWrongPassword, "192.0.2.1");
  auto login = auth_->Login("ana@example.com", kPassword, "192.0.2.1");
  ASSERT_TRUE(login);
  auto owner = auth_->AuthenticateSession(login->session_token);
  ASSERT_TRUE(owner);
  auto token = auth_->CreateApiToken(*owner, "ci", std::nullopt);
  ASSERT_TRUE(token);
  ASSERT_TRUE(auth_->RevokeApiToken(*owner, token->token.id));
  ASSERT_TRUE(auth_->Logout(login->session_token));

  EXPECT_EQ(AuditKinds(),
            (std::vector<std::string>{"user.created", "auth.login_failed", "auth.login",
                                      "api_token.created", "api_token.revoked", "auth.logout"}));
  const AuditVerification v = VerifyAudit();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.events, 6);
}

TEST_F(AuthServiceTest, LockingAnAccountIsAudited) {
  MakeUser("ana@example.com");
  for (int i = 0; i < 3; ++i) (void)auth_->Login("ana@example.com", kWrongPassword, "192.0.2.1");
  EXPECT_EQ(AuditKinds(), (std::vector<std::string>{"user.created", "auth.login_failed",
                                                    "auth.login_failed", "auth.account_locked"}));
  EXPECT_TRUE(VerifyAudit().ok);
}

TEST_F(AuthServiceTest, RejectedChangesLeaveNoAuditEvent) {
  MakeUser("ana@example.com", Role::kAgent);
  (void)auth_->CreateUser("ana@example.com", Role::kAgent, kPassword, "system");
  (void)auth_->CreateUser("bad", Role::kAgent, kPassword, "system");
  const Principal owner = LogIn("ana@example.com");
  (void)auth_->CreateApiToken(owner, "too strong", Role::kAdmin);
  EXPECT_EQ(AuditKinds(), (std::vector<std::string>{"user.created", "auth.login"}));
  const AuditVerification v = VerifyAudit();
  EXPECT_TRUE(v.ok) << v.problem;
  EXPECT_EQ(v.events, 2);
}

}  // namespace
}  // namespace rd::core
