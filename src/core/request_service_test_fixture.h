#pragma once

// The fixture of the RequestService tests (request_service_test.cc, request_list_test.cc):
// a real SQLite store in a fresh temporary directory and a clock the test moves by hand.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/fake_clock.h"
#include "core/request_service.h"
#include "crypto/sodium_crypto.h"
#include "mail/mustache_renderer.h"
#include "store/temp_store.h"

namespace rd::core::testing {

constexpr UnixTime kDay = 86400;

inline UnixTime At(const std::string& rfc3339) {
  UnixTime t = 0;
  EXPECT_TRUE(ParseRfc3339(rfc3339, &t)) << rfc3339;
  return t;
}

inline NewRequest Valid(const std::string& email = "ana@example.com") {
  NewRequest in;
  in.type = "deletion";
  in.subject.email = email;
  in.subject.name = "Ana Example";
  in.subject.phone = "+1 (415) 555-0134";
  in.jurisdiction = "gdpr";
  in.details = "Please delete my account.\nThanks.";
  return in;
}

// A real SQLite store in a fresh temporary directory and a clock the test moves by hand.
class RequestServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    store_ = &temp_->store();
    crypto_ = &temp_->crypto();
    templates_ = std::make_unique<TemplateService>(*store_, renderer_, *crypto_, clock_, OrgInfo{});
    requests_ = std::make_unique<RequestService>(*store_, *crypto_, clock_, *templates_);
    clock_.Set(At("2026-11-02T09:00:00Z"));
  }

  void TearDown() override {
    requests_.reset();
    templates_.reset();
    temp_.reset();
  }

  PrivacyRequest Create(const NewRequest& in) {
    auto r = requests_->Create(in, "user:usr_test");
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(PrivacyRequest{});
  }

  std::vector<PrivacyRequest> ListAll(RequestQuery q, const std::string& search = "") {
    auto page = requests_->List(q, search);
    EXPECT_TRUE(page) << page.error().message;
    if (!page) return {};
    EXPECT_TRUE(page->next_cursor.empty());
    return page->items;
  }

  static std::set<std::string> Ids(const std::vector<PrivacyRequest>& items) {
    std::set<std::string> ids;
    for (const auto& r : items) ids.insert(r.id);
    return ids;
  }

  FakeClock clock_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  store::SqlStore* store_ = nullptr;
  crypto::SodiumCrypto* crypto_ = nullptr;
  mail::MustacheRenderer renderer_;
  std::unique_ptr<TemplateService> templates_;
  std::unique_ptr<RequestService> requests_;
};

inline bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

// --- create -----------------------------------------------------------------------------

struct BadInput {
  const char* what;
  std::function<void(NewRequest&)> spoil;
  const char* field;  // the message must start with "<field>:"
};

}  // namespace rd::core::testing
