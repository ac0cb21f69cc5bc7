// The OpenAPI document the server serves must describe exactly the routes it registers: a
// route added without documentation, or documentation left behind for a removed route, fails
// here. The document is read the way a client reads it: through GET /api/v1/openapi.json on
// the real Api, wired to real services on a temporary SQLite database.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/audit_trail.h"
#include "core/auth_service.h"
#include "core/data_source_service.h"
#include "core/fake_clock.h"
#include "core/request_service.h"
#include "core/template_service.h"
#include "core/workflow_service.h"
#include "crypto/sodium_crypto.h"
#include "discovery/discoverer.h"
#include "http/api.h"
#include "http/metrics.h"
#include "log/json_log.h"
#include "mail/mustache_renderer.h"
#include "store/temp_store.h"

namespace rd::http {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The methods an OpenAPI path item may hold (other keys, like "parameters", are not
// operations).
const std::set<std::string>& OperationKeys() {
  static const std::set<std::string> kKeys = {"get",     "put",  "post",  "delete",
                                              "options", "head", "patch", "trace"};
  return kKeys;
}

class OpenApi : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    store_ = &temp_->store();
    crypto_ = &temp_->crypto();
    auth_ = std::make_unique<core::AuthService>(*store_, *crypto_, clock_, core::AuthPolicy{});
    templates_ = std::make_unique<core::TemplateService>(*store_, renderer_, *crypto_, clock_,
                                                         core::OrgInfo{});
    requests_ = std::make_unique<core::RequestService>(*store_, *crypto_, clock_, *templates_);
    audit_ = std::make_unique<core::AuditTrail>(*store_);
    request_types_ = std::make_unique<core::RequestTypeService>(*store_, clock_);
    intake_ = std::make_unique<core::IntakeService>(*store_, *crypto_, clock_, *templates_,
                                                    core::IntakePolicy{});
    replies_ = std::make_unique<core::ReplyService>(*store_, *templates_, *crypto_, clock_);
    cases_ = std::make_unique<core::CaseService>(*store_, *crypto_, clock_, *templates_,
                                                 core::CasePolicy{});
    subjects_ = std::make_unique<core::SubjectService>(*store_, *crypto_, clock_, *templates_,
                                                       core::SubjectPolicy{});
    data_sources_ = std::make_unique<core::DataSourceService>(*store_, *crypto_, clock_);
    workflow_ = std::make_unique<core::WorkflowService>(*store_, *crypto_, clock_, *templates_,
                                                        core::WorkflowPolicy{});
    reader_ = std::make_unique<discovery::Discoverer>(catalog_, discovery::MailboxOptions{});
    discovery_ = std::make_unique<core::DiscoveryService>(*store_, *crypto_, clock_, *reader_,
                                                          *data_sources_, catalog_);
    log_sink_ = std::tmpfile();
    ASSERT_NE(log_sink_, nullptr);
    logger_ = std::make_unique<log::Logger>(log_sink_, log::Level::kError);
    api_ = std::make_unique<Api>(
        ApiServices{*auth_, *requests_, *intake_, *audit_, *templates_, *replies_, *store_, clock_,
                    *logger_, metrics_, *request_types_, *cases_, *subjects_, *data_sources_,
                    *workflow_, *discovery_, catalog_, taxonomy_},
        ApiOptions{});

    HttpRequest req;
    req.method = "GET";
    req.path = "/api/v1/openapi.json";
    req.remote_address = "127.0.0.1";
    const HttpResponse resp = api_->Handle(req);
    ASSERT_EQ(resp.status, 200) << resp.body;
    doc_ = nlohmann::json::parse(resp.body, nullptr, false);
    ASSERT_FALSE(doc_.is_discarded()) << "GET /api/v1/openapi.json is not valid JSON";
    ASSERT_TRUE(doc_.is_object());
    ASSERT_TRUE(doc_.contains("paths") && doc_["paths"].is_object());
  }

  void TearDown() override {
    api_.reset();
    logger_.reset();
    if (log_sink_ != nullptr) std::fclose(log_sink_);
    replies_.reset();
    discovery_.reset();
    workflow_.reset();
    data_sources_.reset();
    subjects_.reset();
    cases_.reset();
    intake_.reset();
    request_types_.reset();
    audit_.reset();
    requests_.reset();
    auth_.reset();
    templates_.reset();
    temp_.reset();
  }

  // The operation object for (pattern, method), or nullptr when the document lacks it.
  const nlohmann::json* Operation(const std::string& pattern, const std::string& method) const {
    const auto& paths = doc_["paths"];
    const auto path = paths.find(pattern);
    if (path == paths.end() || !path->is_object()) return nullptr;
    const auto op = path->find(Lower(method));
    if (op == path->end() || !op->is_object()) return nullptr;
    return &*op;
  }

  core::FakeClock clock_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  store::SqlStore* store_ = nullptr;
  crypto::SodiumCrypto* crypto_ = nullptr;
  std::unique_ptr<core::AuthService> auth_;
  std::unique_ptr<core::RequestService> requests_;
  std::unique_ptr<core::AuditTrail> audit_;
  std::unique_ptr<core::RequestTypeService> request_types_;
  mail::MustacheRenderer renderer_;
  std::unique_ptr<core::TemplateService> templates_;
  std::unique_ptr<core::IntakeService> intake_;
  std::unique_ptr<core::CaseService> cases_;
  std::unique_ptr<core::SubjectService> subjects_;
  std::unique_ptr<core::DataSourceService> data_sources_;
  std::unique_ptr<core::WorkflowService> workflow_;
  core::Catalog catalog_;
  std::unique_ptr<discovery::Discoverer> reader_;
  std::unique_ptr<core::DiscoveryService> discovery_;
  std::unique_ptr<core::ReplyService> replies_;
  std::FILE* log_sink_ = nullptr;
  std::unique_ptr<log::Logger> logger_;
  Metrics metrics_;
  core::DataCategoryTaxonomy taxonomy_;
  std::unique_ptr<Api> api_;
  nlohmann::json doc_;
};

TEST_F(OpenApi, IsAnOpenApi303Document) {
  EXPECT_EQ(doc_.value("openapi", ""), "3.0.3");
  ASSERT_TRUE(doc_.contains("info"));
  EXPECT_FALSE(doc_["info"].value("title", "").empty());
  ASSERT_TRUE(doc_.contains("components"));
  EXPECT_TRUE(doc_["components"]["schemas"].contains("Error"));
}

TEST_F(OpenApi, EveryRegisteredRouteIsDocumented) {
  ASSERT_FALSE(api_->router().routes().empty());
  for (const Route& route : api_->router().routes()) {
    EXPECT_NE(Operation(route.pattern, route.method), nullptr)
        << route.method << " " << route.pattern << " is registered but missing from "
        << "docs/api/openapi.json";
  }
}

TEST_F(OpenApi, EveryDocumentedOperationIsRegistered) {
  std::set<std::pair<std::string, std::string>> registered;
  for (const Route& route : api_->router().routes()) {
    registered.emplace(route.pattern, Lower(route.method));
  }
  for (const auto& [pattern, item] : doc_["paths"].items()) {
    ASSERT_TRUE(item.is_object()) << pattern;
    int operations = 0;
    for (const auto& entry : item.items()) {
      const std::string& key = entry.key();
      if (OperationKeys().count(key) == 0) continue;
      ++operations;
      EXPECT_TRUE(registered.count({pattern, key}) == 1)
          << key << " " << pattern << " is documented but the server does not register it";
    }
    EXPECT_GT(operations, 0) << pattern << " has no operations";
  }
}

TEST_F(OpenApi, SecurityMatchesWhetherTheRouteIsPublic) {
  const auto& schemes = doc_["components"]["securitySchemes"];
  for (const Route& route : api_->router().routes()) {
    const nlohmann::json* op = Operation(route.pattern, route.method);
    if (op == nullptr) continue;  // reported by EveryRegisteredRouteIsDocumented
    const std::string name = route.method + " " + route.pattern;
    ASSERT_TRUE(op->contains("security") && (*op)["security"].is_array())
        << name << " must declare security explicitly";
    const auto& security = (*op)["security"];
    if (route.is_public) {
      EXPECT_TRUE(security.empty()) << name << " is public: expected security: []";
      continue;
    }
    EXPECT_FALSE(security.empty()) << name << " needs authentication: declare its schemes";
    for (const auto& requirement : security) {
      ASSERT_TRUE(requirement.is_object()) << name;
      EXPECT_FALSE(requirement.empty()) << name << ": {} would allow anonymous calls";
      for (const auto& entry : requirement.items()) {
        EXPECT_TRUE(schemes.contains(entry.key()))
            << name << " uses the undefined security scheme " << entry.key();
      }
    }
  }
}

TEST_F(OpenApi, PathParametersAreDeclared) {
  for (const Route& route : api_->router().routes()) {
    const nlohmann::json* op = Operation(route.pattern, route.method);
    if (op == nullptr) continue;
    std::set<std::string> declared;
    for (const auto& p : op->value("parameters", nlohmann::json::array())) {
      if (p.value("in", "") == "path") declared.insert(p.value("name", ""));
    }
    for (const std::string& segment : SplitPath(route.pattern)) {
      if (segment.size() > 2 && segment.front() == '{' && segment.back() == '}') {
        const std::string param = segment.substr(1, segment.size() - 2);
        EXPECT_EQ(declared.count(param), 1u)
            << route.method << " " << route.pattern << " does not declare path parameter " << param;
      }
    }
  }
}

}  // namespace
}  // namespace rd::http
