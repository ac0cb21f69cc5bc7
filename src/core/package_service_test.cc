#include "core/package_service.h"

#include <gtest/gtest.h>
#include <zip.h>

#include <map>

#include "core/data_source_service.h"
#include "core/fake_clock.h"
#include "core/integration_service.h"
#include "core/reply_service.h"
#include "core/request_service.h"
#include "core/sealed_stream.h"
#include "core/workflow_service.h"
#include "mail/mustache_renderer.h"
#include "package/zip_writer.h"
#include "store/temp_store.h"

namespace rd::core {
namespace {

// Exports `customers` customer rows (with values CSV must quote) and two orders.
class ShopConnector final : public Connector {
 public:
  explicit ShopConnector(int customers) : customers_(customers) {}
  Status Test() override { return {}; }
  Result<ConnectorResult> Find(const Identities&) override { return ConnectorResult{}; }
  Result<ConnectorResult> Export(const Identities&, RowSink& sink) override {
    ConnectorResult r;
    r.action = "export";
    CollectionOutcome c{"customers"};
    for (int i = 0; i < customers_; ++i) {
      const std::string row =
          "{\"id\":" + std::to_string(i) +
          R"x(,"email":"ana@example.com","note":"likes \"tea\", cakes\nand =SUM(A1)","vip":true})x";
      if (auto s = sink.Row("customers", row); !s) return tl::unexpected(s.error());
      ++c.exported;
    }
    CollectionOutcome o{"orders"};
    for (int i = 0; i < 2; ++i) {
      if (auto s = sink.Row("orders", "{\"id\":" + std::to_string(100 + i) +
                                          ",\"total\":12.5,\"customer_id\":0}");
          !s) {
        return tl::unexpected(s.error());
      }
      ++o.exported;
    }
    r.collections = {c, o};
    return r;
  }
  Result<ConnectorResult> Erase(const Identities&, const std::string&) override {
    return ConnectorResult{};
  }
  Result<ConnectorResult> OptOut(const Identities&) override { return ConnectorResult{}; }

 private:
  int customers_;
};

class ShopRegistry final : public ConnectorRegistry {
 public:
  int customers = 3;
  Result<std::string> Prepare(const std::string& connector, const std::string&,
                              const std::string&) const override {
    return connector;
  }
  std::string Redact(const std::string& stored) const override { return stored; }
  Result<std::string> DatabaseUrl(const DataSource&) const override {
    return Fail(Errc::kInvalidArgument, "connector: none");
  }
  Result<std::unique_ptr<Connector>> Open(const DataSource&) const override {
    return std::unique_ptr<Connector>(new ShopConnector(customers));
  }
};

// The entries of a zip, read back with libzip.
std::map<std::string, std::string> Unzip(const std::string& zip) {
  std::map<std::string, std::string> out;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(zip.data(), zip.size(), 0, &error);
  EXPECT_NE(src, nullptr);
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  EXPECT_NE(za, nullptr) << zip_error_strerror(&error);
  if (za == nullptr) return out;
  for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); ++i) {
    const char* name = zip_get_name(za, static_cast<zip_uint64_t>(i), 0);
    zip_file_t* f = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0);
    std::string data;
    char buf[8192];
    zip_int64_t n;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0) data.append(buf, static_cast<std::size_t>(n));
    EXPECT_EQ(n, 0) << name;
    zip_fclose(f);
    out[name] = data;
  }
  zip_close(za);
  return out;
}

class PackageServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    clock_.Set(1767225600);  // 2026-01-01
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
    PackagePolicy policy;
    policy.org_name = "Example Shop";
    packages_ =
        std::make_unique<PackageService>(temp_->store(), temp_->crypto(), clock_, zip_, policy);
    replies_ = std::make_unique<ReplyService>(temp_->store(), *templates_, temp_->crypto(), clock_);
  }

  // A copy request continued onto the shop source, its task run: now in reply.
  PrivacyRequest CopyRequest() {
    NewRequest in;
    in.type = "copy";
    in.subject = {"ana@example.com", "Ana Example", ""};
    in.skip_verification = true;
    auto q = requests_->Create(in, "user:usr_agent");
    EXPECT_TRUE(q) << q.error().message;
    DataSourceFields f;
    f.name = "Shop DB";
    f.category = "database";
    f.process = "integration";
    f.connector = R"({"kind":"sql","url":"sqlite:///shop.db"})";
    f.dataset = "dataset: []";
    auto ds = sources_->Create(f, "user:usr_admin");
    EXPECT_TRUE(ds) << ds.error().message;
    source_id_ = ds->id;
    auto r = workflow_->Continue(q->id, std::vector<std::string>{ds->id}, "user:usr_agent");
    EXPECT_TRUE(r) << r.error().message;
    EXPECT_TRUE(integrations_->RunTask(r->tasks.at(0).id, false));
    EXPECT_EQ(requests_->Get(q->id)->status, RequestStatus::kReply);
    return *q;
  }

  Package PackageOf(const std::string& request_id) {
    Package out;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
      auto p = tx.Packages().FindByRequest(request_id);
      if (!p) return tl::unexpected(p.error());
      out = *p;
      return {};
    }));
    return out;
  }

  std::map<std::string, std::string> Download(const std::string& request_id) {
    const std::string token = PackageService::DownloadToken(temp_->crypto(), PackageOf(request_id));
    EXPECT_EQ(token.size(), 32u);
    auto d = packages_->Download(token);
    EXPECT_TRUE(d) << d.error().message;
    if (!d) return {};
    EXPECT_FALSE(d->expired);
    std::string zip;
    for (auto piece = d->read(); piece && *piece; piece = d->read()) zip += **piece;
    EXPECT_EQ(zip.size(), d->bytes);
    return Unzip(zip);
  }

  std::vector<AuditEvent> Events(const std::string& request_id) {
    std::vector<AuditEvent> out;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) {
      return tx.Audit().ForEach(request_id, 0, 0, [&](const AuditEvent& e) { out.push_back(e); });
    }));
    return out;
  }

  std::unique_ptr<store::TempSqliteStore> temp_;
  FakeClock clock_;
  mail::MustacheRenderer renderer_;
  ShopRegistry registry_;
  package::ZipWriter zip_;
  std::unique_ptr<TemplateService> templates_;
  std::unique_ptr<RequestService> requests_;
  std::unique_ptr<DataSourceService> sources_;
  std::unique_ptr<WorkflowService> workflow_;
  std::unique_ptr<IntegrationService> integrations_;
  std::unique_ptr<PackageService> packages_;
  std::unique_ptr<ReplyService> replies_;
  std::string source_id_;
};

TEST_F(PackageServiceTest, BuildsAZipWithJsonCsvAndAPageAndTheReplyCarriesTheLink) {
  const auto q = CopyRequest();
  EXPECT_EQ(PackageOf(q.id).status, "building");
  // No reply while the package is being built.
  auto early = replies_->Send(q.id, "Your data", "Here it is", std::nullopt, "user:usr_agent");
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, Errc::kConflict);

  ASSERT_TRUE(packages_->Build(q.id));
  const Package p = PackageOf(q.id);
  EXPECT_EQ(p.status, "ready");
  EXPECT_EQ(p.expires_at, clock_.Now() + 7 * 86400);
  EXPECT_EQ(p.summary.find("ana@"), std::string::npos);

  auto files = Download(q.id);
  ASSERT_EQ(files.size(), 4u);
  ASSERT_TRUE(files.count("index.html"));
  ASSERT_TRUE(files.count("shop-db.json"));
  ASSERT_TRUE(files.count("shop-db/customers.csv"));
  ASSERT_TRUE(files.count("shop-db/orders.csv"));
  const std::string& html = files["index.html"];
  EXPECT_NE(html.find("Shop DB"), std::string::npos);
  EXPECT_NE(html.find("<td>customers</td><td>3</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("Example Shop"), std::string::npos);
  EXPECT_NE(html.find(q.reference), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(files["shop-db/customers.csv"],
            "id,email,note,vip\r\n"
            "0,ana@example.com,\"likes \"\"tea\"\", cakes\nand =SUM(A1)\",true\r\n"
            "1,ana@example.com,\"likes \"\"tea\"\", cakes\nand =SUM(A1)\",true\r\n"
            "2,ana@example.com,\"likes \"\"tea\"\", cakes\nand =SUM(A1)\",true\r\n");
  EXPECT_EQ(files["shop-db/orders.csv"], "id,total,customer_id\r\n100,12.5,0\r\n101,12.5,0\r\n");
  const std::string& json = files["shop-db.json"];
  EXPECT_EQ(json.rfind("{\"source\":\"Shop DB\",\"data_source_id\":\"" + source_id_, 0), 0u)
      << json;
  EXPECT_NE(
      json.find("{\"name\":\"customers\",\"rows\":[\n{\"id\":0,\"email\":\"ana@example.com\""),
      std::string::npos)
      << json;
  EXPECT_NE(json.find("{\"name\":\"orders\""), std::string::npos);

  // The draft carries the link; the reply can go now.
  auto draft = replies_->Draft(q.id);
  ASSERT_TRUE(draft) << draft.error().message;
  const std::string token = PackageService::DownloadToken(temp_->crypto(), p);
  EXPECT_NE(draft->body.find("https://privacy.shop.example/api/v1/packages/" + token),
            std::string::npos)
      << draft->body;
  EXPECT_NE(draft->body.find(FormatDate(p.expires_at)), std::string::npos);

  // Downloads are counted and audited without personal data.
  EXPECT_EQ(PackageOf(q.id).downloads, 1);
  int downloads = 0;
  for (const auto& e : Events(q.id)) {
    EXPECT_EQ(e.detail.find("ana@"), std::string::npos) << e.kind;
    if (e.kind == "package.downloaded") ++downloads;
  }
  EXPECT_EQ(downloads, 1);
  EXPECT_TRUE(replies_->Send(q.id, draft->subject, draft->body, std::nullopt, "user:usr_agent"));

  // A wrong token finds nothing.
  auto unknown = packages_->Download(std::string(32, 'a'));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::kNotFound);
  EXPECT_FALSE(packages_->Download("../etc"));
}

TEST_F(PackageServiceTest, PreviewAndRedactionLeaveAColumnOut) {
  const auto q = CopyRequest();
  ASSERT_TRUE(packages_->Build(q.id));
  auto preview = packages_->Preview(q.id);
  ASSERT_TRUE(preview) << preview.error().message;
  ASSERT_EQ(preview->sources.size(), 1u);
  const auto& customers = preview->sources[0].collections.at(0);
  EXPECT_EQ(customers.name, "customers");
  EXPECT_EQ(customers.rows, 3);
  EXPECT_EQ(customers.columns, (std::vector<std::string>{"id", "email", "note", "vip"}));
  EXPECT_EQ(customers.sample.size(), 3u);

  auto bad = packages_->Redact(q.id, {{source_id_, "customers", "shoe_size"}}, "user:usr_agent");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::kInvalidArgument);
  EXPECT_EQ(bad.error().message.rfind("fields[0].column:", 0), 0u) << bad.error().message;
  EXPECT_FALSE(packages_->Redact(q.id, {{"ds_nope", "customers", "note"}}, "user:usr_agent"));
  EXPECT_FALSE(packages_->Redact(q.id, {{source_id_, "nope", "note"}}, "user:usr_agent"));
  EXPECT_EQ(PackageOf(q.id).status, "ready");  // nothing changed

  auto redacted = packages_->Redact(q.id, {{source_id_, "customers", "note"}}, "user:usr_agent");
  ASSERT_TRUE(redacted) << redacted.error().message;
  EXPECT_EQ(redacted->sources[0].collections[0].redacted, std::vector<std::string>{"note"});
  EXPECT_EQ(redacted->sources[0].collections[0].sample[0].find("note"), std::string::npos);
  EXPECT_EQ(PackageOf(q.id).status, "building");
  const std::string token_before = PackageService::DownloadToken(temp_->crypto(), PackageOf(q.id));
  ASSERT_TRUE(packages_->Build(q.id));
  EXPECT_EQ(PackageService::DownloadToken(temp_->crypto(), PackageOf(q.id)), token_before);
  auto files = Download(q.id);
  EXPECT_EQ(files["shop-db/customers.csv"].substr(0, 18), "id,email,vip\r\n0,an");
  EXPECT_EQ(files["shop-db.json"].find("tea"), std::string::npos);
  EXPECT_EQ(files["index.html"].find("note"), std::string::npos);
  bool audited = false;
  for (const auto& e : Events(q.id)) {
    if (e.kind == "package.redacted") {
      audited = true;
      EXPECT_EQ(e.actor, "user:usr_agent");
      EXPECT_NE(e.detail.find("\"column\":\"note\""), std::string::npos);
    }
  }
  EXPECT_TRUE(audited);
}

TEST_F(PackageServiceTest, ExpiredLinksAreGoneAndPurgeDeletesPackageAndSpools) {
  const auto q = CopyRequest();
  ASSERT_TRUE(packages_->Build(q.id));
  const Package p = PackageOf(q.id);
  const auto task_id = workflow_->Tasks(q.id)->at(0).id;
  const std::string token = PackageService::DownloadToken(temp_->crypto(), p);
  clock_.Advance(7 * 86400);
  auto d = packages_->Download(token);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->expired);
  EXPECT_FALSE(d->read);
  ASSERT_TRUE(packages_->Purge());
  EXPECT_EQ(PackageOf(q.id).status, "expired");
  EXPECT_TRUE(packages_->Download(token)->expired);
  EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
    EXPECT_FALSE(*tx.Chunks().Get(p.stream, 0));
    EXPECT_FALSE(*tx.Chunks().Get(SpoolStream(task_id), 0));
    return {};
  }));
}

TEST_F(PackageServiceTest, ManyRowsSpanManySealedChunks) {
  registry_.customers = 20000;
  const auto q = CopyRequest();
  ASSERT_TRUE(packages_->Build(q.id));
  EXPECT_GT(PackageOf(q.id).chunks, 1);
  auto files = Download(q.id);
  const std::string& csv = files["shop-db/customers.csv"];
  // Each row holds one quoted line break: two CRLF-free lines per row, plus the header.
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\r'), 20001);
  EXPECT_NE(csv.find("\r\n19999,ana@example.com,"), std::string::npos);
}

// The download holds one chunk at a time: the first is opened before the answer (a broken
// package fails there, with an error to show), the others as they are sent; a chunk changed
// or moved after the first stops the stream at that piece.
TEST_F(PackageServiceTest, ADownloadComesPieceByPieceAndAChangedChunkStopsIt) {
  registry_.customers = 20000;
  const auto q = CopyRequest();
  ASSERT_TRUE(packages_->Build(q.id));
  const Package p = PackageOf(q.id);
  ASSERT_GE(p.chunks, 2);
  const std::string token = PackageService::DownloadToken(temp_->crypto(), p);
  auto d = packages_->Download(token);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->bytes, static_cast<std::uint64_t>(p.bytes));
  int pieces = 0;
  for (auto piece = d->read(); piece && *piece; piece = d->read()) {
    EXPECT_LE((*piece)->size(), kSealedChunkBytes);
    ++pieces;
  }
  EXPECT_EQ(pieces, p.chunks);

  // Chunk 1 replaced by chunk 0: sealed for another place in the stream.
  ASSERT_TRUE(temp_->store().Write([&](Transaction& tx) -> Status {
    auto first = tx.Chunks().Get(p.stream, 0);
    if (!first) return tl::unexpected(first.error());
    return tx.Chunks().Put(p.stream, 1, **first);
  }));
  d = packages_->Download(token);
  ASSERT_TRUE(d) << "the first chunk is intact";
  auto piece = d->read();
  ASSERT_TRUE(piece && *piece);
  piece = d->read();
  ASSERT_FALSE(piece);
  EXPECT_EQ(piece.error().code, Errc::kInvalidArgument);
}

}  // namespace
}  // namespace rd::core
