// The test fixture of the integration service's tests: a scripted connector and registry, and
// the services over a temporary SQLite store. For tests only.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "core/data_source_service.h"
#include "core/fake_clock.h"
#include "core/integration_service.h"
#include "core/package_service.h"
#include "core/request_service.h"
#include "core/sealed_stream.h"
#include "core/workflow_service.h"
#include "mail/mustache_renderer.h"
#include "store/temp_store.h"

namespace rd::core::integration_fixture {

// A connector that answers from a script and records what it was asked.
struct Script {
  std::vector<Error> erase_errors;  // returned by the next Erase calls, in order
  int erase_calls = 0;
  int find_calls = 0;
  Identities last_ids;
  std::string last_secret;
  bool defer = false;  // Erase and OptOut answer "accepted, result later"
  ConnectorJob last_job;
  std::function<void()> during_erase;     // runs inside Erase (a system calling back at once)
  std::size_t batch_limit = 1;            // EraseBatchLimit(); above 1, EraseMany is scripted
  std::vector<std::size_t> batch_sizes;   // subjects per EraseMany call
  std::vector<std::string> batch_emails;  // every subject's email, in order
};

class ScriptedConnector final : public Connector {
 public:
  explicit ScriptedConnector(Script& s) : s_(s) {}
  Status Test() override { return {}; }
  Result<ConnectorResult> Find(const Identities& ids) override {
    s_.find_calls++;
    s_.last_ids = ids;
    return Outcome("find");
  }
  Result<ConnectorResult> Export(const Identities& ids, RowSink& sink) override {
    s_.last_ids = ids;
    auto r = Outcome("export");
    if (auto st = sink.Row(r.collections[0].name, "{\"email\":\"ana@example.com\"}"); !st) {
      return tl::unexpected(st.error());
    }
    r.collections[0].exported = 1;
    return r;
  }
  Result<ConnectorResult> Erase(const Identities& ids, const std::string& secret) override {
    s_.last_ids = ids;
    s_.last_secret = secret;
    if (s_.erase_calls++ < static_cast<int>(s_.erase_errors.size())) {
      return tl::unexpected(s_.erase_errors[static_cast<std::size_t>(s_.erase_calls - 1)]);
    }
    if (s_.during_erase) s_.during_erase();
    if (s_.defer) {
      ConnectorResult later;
      later.action = "erase";
      later.deferred = true;
      return later;
    }
    auto r = Outcome("erase");
    r.collections[0].erased = 2;
    r.verified = true;
    return r;
  }
  Result<std::vector<ConnectorResult>> EraseMany(
      const std::vector<ErasureSubject>& subjects) override {
    if (s_.batch_limit <= 1) return Connector::EraseMany(subjects);
    s_.batch_sizes.push_back(subjects.size());
    if (s_.erase_calls++ < static_cast<int>(s_.erase_errors.size())) {
      return tl::unexpected(s_.erase_errors[static_cast<std::size_t>(s_.erase_calls - 1)]);
    }
    std::vector<ConnectorResult> out;
    for (const auto& subject : subjects) {
      s_.batch_emails.push_back(subject.ids.at("email"));
      auto r = Outcome("erase");
      r.collections[0].erased = static_cast<std::int64_t>(out.size()) + 1;
      r.verified = true;
      r.batch_subjects = static_cast<std::int64_t>(subjects.size());
      out.push_back(r);
    }
    return out;
  }
  std::size_t EraseBatchLimit() const override { return s_.batch_limit; }
  Result<ConnectorResult> OptOut(const Identities&) override {
    auto r = Outcome("opt_out");
    r.collections[0].opted_out = 2;
    return r;
  }
  void ForJob(const ConnectorJob& job) override { s_.last_job = job; }

 private:
  static ConnectorResult Outcome(const std::string& action) {
    ConnectorResult r;
    r.action = action;
    CollectionOutcome c;
    c.name = "customers";
    c.found = 2;
    r.collections.push_back(c);
    return r;
  }
  Script& s_;
};

class ScriptedRegistry final : public ConnectorRegistry {
 public:
  explicit ScriptedRegistry(Script& s) : s_(s) {}
  Result<std::string> Prepare(const std::string& connector, const std::string&,
                              const std::string&) const override {
    if (connector.find("bad") != std::string::npos) {
      return Fail(Errc::kInvalidArgument, "connector.url: bad");
    }
    return connector;
  }
  std::string Redact(const std::string& stored) const override { return stored; }
  Result<std::string> DatabaseUrl(const DataSource&) const override {
    return Fail(Errc::kInvalidArgument, "connector: scripted sources have no database");
  }
  Result<std::unique_ptr<Connector>> Open(const DataSource& ds) const override {
    if (ds.dataset == "unloadable") return Fail(Errc::kInvalidArgument, "dataset: broken");
    return std::unique_ptr<Connector>(new ScriptedConnector(s_));
  }
  // Scripted callbacks: signature "good" passes (the body is the status, "completed" with 3
  // rows erased), anything else is refused; the signature accepted once is the timestamp.
  Result<ConnectorCallback> ReadCallback(const DataSource&, const CallbackMessage& msg, UnixTime,
                                         RowSink&) const override {
    if (msg.signature != "good") return Fail(Errc::kUnauthenticated, "Rightsdesk-Signature: bad");
    if (msg.body == "malformed") return Fail(Errc::kInvalidArgument, "body.status: required");
    ConnectorCallback cb;
    cb.id = s_.last_job.id;  // about the job the connector was last given
    cb.status = msg.body;
    cb.signature = msg.timestamp;
    if (cb.status == "failed") {
      cb.error = "disk full";
    } else {
      CollectionOutcome c;
      c.name = "accounts";
      c.found = 3;
      c.erased = 3;
      cb.result.collections.push_back(c);
    }
    return cb;
  }

 private:
  Script& s_;
};

class IntegrationServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    templates_ =
        std::make_unique<TemplateService>(temp_->store(), renderer_, temp_->crypto(), clock_,
                                          OrgInfo{"Example Shop", "https://privacy.shop.example"});
    requests_ =
        std::make_unique<RequestService>(temp_->store(), temp_->crypto(), clock_, *templates_);
    sources_ =
        std::make_unique<DataSourceService>(temp_->store(), temp_->crypto(), clock_, &registry_);
    workflow_ = std::make_unique<WorkflowService>(temp_->store(), temp_->crypto(), clock_,
                                                  *templates_, WorkflowPolicy{});
    integrations_ = std::make_unique<IntegrationService>(temp_->store(), temp_->crypto(), clock_,
                                                         registry_, IntegrationPolicy{});
  }

  PrivacyRequest Request(const std::string& type = "deletion",
                         const std::string& email = "ana@example.com") {
    NewRequest in;
    in.type = type;
    in.subject = {email, "Ana Example", "+14155550134"};
    in.skip_verification = true;
    auto q = requests_->Create(in, "user:usr_agent");
    EXPECT_TRUE(q) << q.error().message;
    return *q;
  }

  DataSource Source(const std::string& dataset = "dataset: []") {
    DataSourceFields f;
    f.name = "Shop DB";
    f.category = "database";
    f.process = "integration";
    f.connector = R"({"kind":"sql","url":"sqlite:///shop.db"})";
    f.dataset = dataset;
    auto ds = sources_->Create(f, "user:usr_admin");
    EXPECT_TRUE(ds) << ds.error().message;
    return *ds;
  }

  std::vector<Job> Jobs(const std::string& kind) {
    std::vector<Job> out;
    EXPECT_TRUE(temp_->store().Write([&](Transaction& tx) -> Status {
      for (;;) {
        auto j = tx.Jobs().Claim("test", clock_.Now(), 60);
        if (!j) return tl::unexpected(j.error());
        if (!*j) return {};
        if ((*j)->kind == kind) out.push_back(**j);
        if (auto s = tx.Jobs().Complete((*j)->id, "test", clock_.Now()); !s) return s;
      }
    }));
    return out;
  }

  std::vector<AuditEvent> Events(const std::string& request_id) {
    std::vector<AuditEvent> out;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) {
      return tx.Audit().ForEach(request_id, 0, 0, [&](const AuditEvent& e) { out.push_back(e); });
    }));
    return out;
  }

  const AuditEvent* Event(const std::vector<AuditEvent>& events, const std::string& kind) {
    for (const auto& e : events) {
      if (e.kind == kind) return &e;
    }
    return nullptr;
  }

  // Continues `q` onto `ds` and returns the task, with its task.run job claimed.
  Task Continue(const PrivacyRequest& q, const DataSource& ds) {
    Jobs("");  // drains the acknowledgement's jobs
    auto r = workflow_->Continue(q.id, std::vector<std::string>{ds.id}, "user:usr_agent");
    EXPECT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->tasks.at(0).status, TaskStatus::kPending);
    EXPECT_EQ(Jobs("task.run").size(), 1u);
    return r->tasks.at(0);
  }

  Script script_;
  ScriptedRegistry registry_{script_};
  FakeClock clock_;
  mail::MustacheRenderer renderer_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  std::unique_ptr<TemplateService> templates_;
  std::unique_ptr<RequestService> requests_;
  std::unique_ptr<DataSourceService> sources_;
  std::unique_ptr<WorkflowService> workflow_;
  std::unique_ptr<IntegrationService> integrations_;
};

}  // namespace rd::core::integration_fixture
