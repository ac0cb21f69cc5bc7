#include "core/proof_service.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/fake_clock.h"
#include "core/intake_service.h"
#include "mail/mustache_renderer.h"
#include "store/temp_store.h"

namespace rd::core {
namespace {

const std::string kPdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";

class ProofServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto temp = store::TempSqliteStore::Create();
    ASSERT_TRUE(temp) << temp.error().message;
    temp_ = std::move(*temp);
    templates_ =
        std::make_unique<TemplateService>(temp_->store(), renderer_, temp_->crypto(), clock_,
                                          OrgInfo{"Example Shop", "https://privacy.shop.example"});
    IntakePolicy intake;
    intake.per_address_per_hour = 0;
    intake.per_identity_per_day = 0;
    intake_ = std::make_unique<IntakeService>(temp_->store(), temp_->crypto(), clock_, *templates_,
                                              intake);
    ProofPolicy policy;
    policy.per_address_per_hour = 4;
    proofs_ = std::make_unique<ProofService>(temp_->store(), temp_->crypto(), clock_, policy);
  }

  SubmissionReceipt Submitted(const std::string& requester_type = "authorized_agent") {
    Submission s;
    s.type = "deletion";
    s.subject.email = "sam@example.org";
    s.requester_type = requester_type;
    s.client_address = "192.0.2.1";
    auto r = intake_->Submit(s);
    EXPECT_TRUE(r) << r.error().message;
    return *r;
  }

  std::vector<AuditEvent> Events(const std::string& request_id, const std::string& kind) {
    std::vector<AuditEvent> out;
    EXPECT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
      return tx.Audit().ForEach(request_id, 0, 0, [&](const AuditEvent& e) {
        if (e.kind == kind) out.push_back(e);
      });
    }));
    return out;
  }

  FakeClock clock_{1'700'000'000};
  mail::MustacheRenderer renderer_;
  std::unique_ptr<store::TempSqliteStore> temp_;
  std::unique_ptr<TemplateService> templates_;
  std::unique_ptr<IntakeService> intake_;
  std::unique_ptr<ProofService> proofs_;
};

TEST(ProofSniffing, KnowsPdfPngAndJpegByTheirFirstBytes) {
  EXPECT_EQ(SniffProofType("%PDF-1.7 ..."), "application/pdf");
  EXPECT_EQ(SniffProofType(std::string("\x89PNG\r\n\x1a\n rest", 13)), "image/png");
  EXPECT_EQ(SniffProofType("\xFF\xD8\xFF\xE0 JFIF"), "image/jpeg");
  EXPECT_FALSE(SniffProofType("<html><script>"));
  EXPECT_FALSE(SniffProofType("%PD"));
  EXPECT_FALSE(SniffProofType(""));
}

TEST(ProofFileNames, KeepOnlyASafeLastSegment) {
  EXPECT_EQ(ProofFileName("C:\\Users\\a\\letter.pdf", "application/pdf"), "letter.pdf");
  EXPECT_EQ(ProofFileName("../../etc/passwd", "application/pdf"), "passwd");
  EXPECT_EQ(ProofFileName("a\"b\r\nc.png", "image/png"), "abc.png");
  EXPECT_EQ(ProofFileName("", "image/jpeg"), "proof.jpg");
  EXPECT_EQ(ProofFileName("..", "application/pdf"), "proof.pdf");
  const std::string name = ProofFileName(std::string(300, 'x') + ".pdf", "application/pdf");
  EXPECT_EQ(name.size(), kMaxProofNameBytes);
  // "ü" is two bytes; a cut never leaves half of it.
  std::string umlauts;
  for (int i = 0; i < 150; ++i) umlauts += "\xC3\xBC";
  EXPECT_EQ(ProofFileName("x" + umlauts, "application/pdf").size(), kMaxProofNameBytes - 1);
}

TEST_F(ProofServiceTest, StoresTheProofSealedAndShowsItsInfo) {
  auto r = Submitted();
  auto info = proofs_->Upload(r.request.id, r.status_token, "authority.pdf", kPdf, "192.0.2.9");
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->media_type, "application/pdf");
  EXPECT_EQ(info->size, static_cast<std::int64_t>(kPdf.size()));
  EXPECT_EQ(info->file_name, "authority.pdf");

  ASSERT_TRUE(temp_->store().Read([&](Transaction& tx) -> Status {
    auto row = tx.Proofs().Find(r.request.id);
    EXPECT_TRUE(row && row->has_value());
    EXPECT_EQ((*row)->sealed_content.find("PDF"), std::string::npos);
    EXPECT_EQ((*row)->sealed_name.find("authority"), std::string::npos);
    return {};
  }));
  auto shown = proofs_->Info(r.request.id);
  ASSERT_TRUE(shown && shown->has_value());
  EXPECT_EQ((*shown)->file_name, "authority.pdf");

  auto file = proofs_->Download(r.request.id, "user:usr_a");
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_EQ(file->content, kPdf);
  auto downloads = Events(r.request.id, "proof.downloaded");
  ASSERT_EQ(downloads.size(), 1u);
  EXPECT_EQ(downloads[0].actor, "user:usr_a");

  auto uploads = Events(r.request.id, "proof.uploaded");
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].actor, "subject");
  EXPECT_EQ(uploads[0].detail.find("authority"), std::string::npos);  // no file name
  EXPECT_NE(uploads[0].detail.find("\"replaced\":false"), std::string::npos);
}

TEST_F(ProofServiceTest, AReUploadReplacesTheProof) {
  auto r = Submitted();
  ASSERT_TRUE(proofs_->Upload(r.request.id, r.status_token, "a.pdf", kPdf, "192.0.2.9"));
  const std::string png("\x89PNG\r\n\x1a\nimage", 13);
  ASSERT_TRUE(proofs_->Upload(r.request.id, r.status_token, "b.png", png, "192.0.2.9"));
  auto file = proofs_->Download(r.request.id, "user:usr_a");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->info.file_name, "b.png");
  EXPECT_EQ(file->info.media_type, "image/png");
  EXPECT_EQ(file->content, png);
  auto uploads = Events(r.request.id, "proof.uploaded");
  ASSERT_EQ(uploads.size(), 2u);
  EXPECT_NE(uploads[1].detail.find("\"replaced\":true"), std::string::npos);
}

TEST_F(ProofServiceTest, RefusesBadUploadsAndStoresNothing) {
  auto r = Submitted();
  const std::string id = r.request.id;
  EXPECT_EQ(proofs_->Upload(id, "", "a.pdf", kPdf, "a").error().code, Errc::kNotFound);
  EXPECT_EQ(proofs_->Upload(id, std::string(32, '0'), "a.pdf", kPdf, "b").error().code,
            Errc::kNotFound);
  EXPECT_EQ(proofs_->Upload(id, r.status_token, "a.pdf", "", "c").error().code,
            Errc::kInvalidArgument);
  auto html = proofs_->Upload(id, r.status_token, "a.pdf", "<html>", "d");
  EXPECT_EQ(html.error().code, Errc::kUnsupportedMedia);
  EXPECT_EQ(html.error().message.rfind("file: ", 0), 0u);
  const std::string big = "%PDF-" + std::string(kMaxProofBytes, 'x');
  EXPECT_EQ(proofs_->Upload(id, r.status_token, "a.pdf", big, "e").error().code,
            Errc::kPayloadTooLarge);
  auto consumer = Submitted("consumer");
  EXPECT_EQ(
      proofs_->Upload(consumer.request.id, consumer.status_token, "a.pdf", kPdf, "f").error().code,
      Errc::kConflict);
  auto none = proofs_->Info(id);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(proofs_->Download(id, "user:usr_a").error().code, Errc::kNotFound);
  EXPECT_TRUE(Events(id, "proof.uploaded").empty());
}

TEST_F(ProofServiceTest, LimitsUploadsPerAddress) {
  auto r = Submitted();
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(proofs_->Upload(r.request.id, r.status_token, "a.pdf", kPdf, "192.0.2.7"));
  }
  EXPECT_EQ(proofs_->Upload(r.request.id, r.status_token, "a.pdf", kPdf, "192.0.2.7").error().code,
            Errc::kRateLimited);
  EXPECT_TRUE(proofs_->Upload(r.request.id, r.status_token, "a.pdf", kPdf, "192.0.2.8"));
  clock_.Advance(3600);
  EXPECT_TRUE(proofs_->Upload(r.request.id, r.status_token, "a.pdf", kPdf, "192.0.2.7"));
}

TEST_F(ProofServiceTest, RefusesAClosedRequest) {
  auto r = Submitted();
  clock_.Advance(8 * 86400);
  ASSERT_TRUE(intake_->ExpireIfUnverified(r.request.id));
  EXPECT_EQ(proofs_->Upload(r.request.id, r.status_token, "a.pdf", kPdf, "x").error().code,
            Errc::kConflict);
}

}  // namespace
}  // namespace rd::core
