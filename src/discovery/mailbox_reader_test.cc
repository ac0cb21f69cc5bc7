#include "discovery/mailbox_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "discovery/discoverer.h"
#include "discovery/test_catalog.h"

namespace rd::discovery {
namespace {

namespace fs = std::filesystem;

core::UnixTime At(const std::string& rfc3339) {
  core::UnixTime t = 0;
  EXPECT_TRUE(core::ParseRfc3339(rfc3339, &t)) << rfc3339;
  return t;
}

// A generated mailbox of known vendors. Expected, from the headers only:
//   mcsv.net (Mailchimp, Return-Path + DKIM): 2 messages, 2026-01-05 .. 2026-03-10, 2 recipients
//   list-manage.com (Mailchimp, List-Unsubscribe): the same 2 messages
//   stripe.com (From + DKIM; one From wholly RFC 2047-encoded): 3 messages, 3 recipients
//   hubspot.com (From, encoded display name): 1 message
//   unknownvendor.io (not in the catalog, 3 messages): a finding without catalog
//   acmeshop.co.uk (2 messages), rarevendor.io (1), gmail.com (3), ourco.com (internal): none
//   zendesk.com: named only in a body, never found
//   2 messages skipped: one without any sender, one with a date that does not parse.
std::vector<std::string> Messages() {
  return {
      // Mailchimp campaign for a shop.
      "From: \"Acme Shop\" <news@acmeshop.co.uk>\n"
      "Return-Path: <bounce-mc.us5_123.456-alice=ourco.com@mail181.suw11.mcsv.net>\n"
      "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\n"
      "\td=mcsv.net; s=k3; h=From:Subject; bh=abc=; b=def=\n"
      "List-Unsubscribe: <https://acmeshop.us5.list-manage.com/unsubscribe?u=1&id=2>,\n"
      " <mailto:unsubscribe-mc.us5_1@unsubscribe.list-manage.com?subject=unsubscribe>\n"
      "To: alice@ourco.com\n"
      "Subject: Winter sale\n"
      "Date: Mon, 05 Jan 2026 10:00:00 +0000\n"
      "Content-Type: text/plain; charset=utf-8\n"
      "\n"
      "Our support runs on Zendesk: write to help@zendesk.com.\n"
      "From: support@zendesk.com\n",
      "From: \"Acme Shop\" <news@acmeshop.co.uk>\n"
      "Return-Path: <bounce-mc.us5_789@mail9.atl11.mcsv.net>\n"
      "List-Unsubscribe: <https://acmeshop.us5.list-manage.com/unsubscribe?u=1&id=3>\n"
      "To: Bob <bob@ourco.com>\n"
      "Date: Tue, 10 Mar 2026 08:30:00 +0100\n"
      "\n"
      "Spring sale.\n",
      // Stripe.
      "From: Stripe <notifications@stripe.com>\n"
      "DKIM-Signature: v=1; a=rsa-sha256; d=stripe.com; s=s1; b=x\n"
      "To: alice@ourco.com, carol@ourco.com\n"
      "Date: Thu, 12 Feb 2026 12:00:00 +0000\n"
      "Subject: =?UTF-8?Q?Your_receipt_=E2=80=94_Acme?=\n"
      "\n"
      "Receipt body.\n",
      "From: Stripe <notifications@stripe.com>\n"
      "To: alice@ourco.com\n"
      "Cc: dave@ourco.com\n"
      "Date: Fri, 20 Feb 2026 12:00:00 +0000\n"
      "\n"
      "Receipt body.\n",
      // The whole address inside an RFC 2047 encoded-word.
      "From: =?utf-8?q?billing=40stripe=2Ecom?=\n"
      "To: alice@ourco.com\n"
      "Date: Sat, 01 Feb 2026 09:00:00 +0000\n"
      "\n"
      "Invoice.\n",
      // HubSpot, with an encoded display name.
      "From: =?UTF-8?Q?HubSpot_=C3=89quipe?= <noreply@hubspot.com>\n"
      "To: erin@ourco.com\n"
      "Date: Wed, 14 Jan 2026 16:00:00 +0000\n"
      "\n"
      "Your HubSpot digest. Powered by Zendesk and https://www.zendesk.com/\n",
      // An unknown vendor, three times; another only once.
      "From: hello@unknownvendor.io\nTo: alice@ourco.com\n"
      "Date: Thu, 01 Jan 2026 00:00:00 +0000\n\nHi\n",
      "From: hello@unknownvendor.io\nTo: bob@ourco.com\n"
      "Date: Fri, 02 Jan 2026 00:00:00 +0000\n\nHi\n",
      "From: hello@unknownvendor.io\nTo: bob@ourco.com\n"
      "Date: Sat, 03 Jan 2026 00:00:00 +0000\n\nHi\n",
      "From: hi@rarevendor.io\nTo: bob@ourco.com\n"
      "Date: Sat, 03 Jan 2026 00:00:00 +0000\n\nHi\n",
      // People, not systems.
      "From: friend@gmail.com\nTo: bob@ourco.com\nDate: Sat, 03 Jan 2026 00:00:00 +0000\n\nx\n",
      "From: friend@gmail.com\nTo: bob@ourco.com\nDate: Sun, 04 Jan 2026 00:00:00 +0000\n\nx\n",
      "From: friend@gmail.com\nTo: bob@ourco.com\nDate: Mon, 05 Jan 2026 00:00:00 +0000\n\nx\n",
      "From: carol@ourco.com\nTo: bob@ourco.com\nDate: Mon, 05 Jan 2026 00:00:00 +0000\n\n"
      "Forwarding: From: support@zendesk.com\n",
      "From: carol@ourco.com\nTo: bob@ourco.com\nDate: Mon, 05 Jan 2026 01:00:00 +0000\n\nx\n",
      "From: carol@ourco.com\nTo: bob@ourco.com\nDate: Mon, 05 Jan 2026 02:00:00 +0000\n\nx\n",
      // Malformed: no sender at all; a date that does not parse.
      "To: bob@ourco.com\nSubject: who sent this?\nDate: Mon, 05 Jan 2026 00:00:00 +0000\n\nx\n",
      "From: Stripe <notifications@stripe.com>\nTo: bob@ourco.com\nDate: the day after "
      "tomorrow\n\nx\n",
  };
}

std::string Mbox() {
  std::string out;
  for (const auto& m : Messages()) {
    out += "From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n";
    out += m;
    out += "\n";
  }
  return out;
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/rd-discovery-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void WriteFile(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// Writes the messages as a Maildir: even ones in cur/, odd ones in new/.
void WriteMaildir(const fs::path& dir) {
  fs::create_directories(dir / "tmp");
  const auto msgs = Messages();
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    const std::string name = "17000000" + std::to_string(i) + ".M1P1.host" + (i % 2 ? "" : ":2,S");
    WriteFile(dir / (i % 2 ? "new" : "cur") / name, msgs[i]);
  }
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A zip of `files` (name → content), returned as bytes.
std::string Zip(const fs::path& dir,
                const std::vector<std::pair<std::string, std::string>>& files) {
  const fs::path p = dir / "upload.zip";
  int err = 0;
  zip_t* za = zip_open(p.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  EXPECT_NE(za, nullptr);
  for (const auto& [name, content] : files) {
    zip_source_t* src = zip_source_buffer(za, content.data(), content.size(), 0);
    EXPECT_GE(zip_file_add(za, name.c_str(), src, ZIP_FL_OVERWRITE), 0);
  }
  EXPECT_EQ(zip_close(za), 0);
  return ReadAll(p);
}

const core::DiscoveredSystem* Find(const core::DiscoveryReport& r, const std::string& domain) {
  for (const auto& s : r.systems) {
    if (s.domain == domain) return &s;
  }
  return nullptr;
}

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// The expectations of Messages(), whatever the container.
void ExpectKnownVendors(const core::DiscoveryReport& r) {
  EXPECT_EQ(r.source, core::FindingSource::kMailbox);
  EXPECT_EQ(r.read, 16);
  EXPECT_EQ(r.skipped, 2);
  ASSERT_EQ(r.systems.size(), 5u);

  const auto* mc = Find(r, "mcsv.net");
  ASSERT_NE(mc, nullptr);
  EXPECT_EQ(mc->catalog_id, "mailchimp");
  EXPECT_EQ(mc->name, "Mailchimp");
  EXPECT_EQ(mc->messages, 2);
  EXPECT_EQ(mc->first_seen, At("2026-01-05T10:00:00Z"));
  EXPECT_EQ(mc->last_seen, At("2026-03-10T07:30:00Z"));
  EXPECT_EQ(mc->recipients, 2);
  EXPECT_EQ(mc->signals, (std::vector<std::string>{"return_path", "dkim"}));

  const auto* lm = Find(r, "list-manage.com");
  ASSERT_NE(lm, nullptr);
  EXPECT_EQ(lm->catalog_id, "mailchimp");
  EXPECT_EQ(lm->messages, 2);
  EXPECT_EQ(lm->signals, (std::vector<std::string>{"list_unsubscribe"}));

  const auto* stripe = Find(r, "stripe.com");
  ASSERT_NE(stripe, nullptr);
  EXPECT_EQ(stripe->catalog_id, "stripe");
  EXPECT_EQ(stripe->messages, 3);
  EXPECT_EQ(stripe->first_seen, At("2026-02-01T09:00:00Z"));
  EXPECT_EQ(stripe->last_seen, At("2026-02-20T12:00:00Z"));
  EXPECT_EQ(stripe->recipients, 3);  // alice, carol, dave
  EXPECT_TRUE(Has(stripe->signals, "from"));
  EXPECT_TRUE(Has(stripe->signals, "dkim"));

  const auto* hub = Find(r, "hubspot.com");
  ASSERT_NE(hub, nullptr);
  EXPECT_EQ(hub->catalog_id, "hubspot");
  EXPECT_EQ(hub->messages, 1);
  EXPECT_EQ(hub->recipients, 1);

  const auto* unknown = Find(r, "unknownvendor.io");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->catalog_id, "");
  EXPECT_EQ(unknown->name, "unknownvendor.io");
  EXPECT_EQ(unknown->messages, 3);
  EXPECT_EQ(unknown->recipients, 2);

  for (const char* absent :
       {"zendesk.com", "acmeshop.co.uk", "rarevendor.io", "gmail.com", "ourco.com"}) {
    EXPECT_EQ(Find(r, absent), nullptr) << absent;
  }
  // Most messages first.
  EXPECT_EQ(r.systems.front().messages, 3);
}

class MailboxReaderTest : public ::testing::Test {
 protected:
  core::Catalog catalog_ = TestCatalog();
  Discoverer discoverer_{catalog_, MailboxOptions{}};
  TempDir dir_;
};

TEST_F(MailboxReaderTest, FindsKnownVendorsInAnMboxFromHeadersOnly) {
  const fs::path p = dir_.path() / "export.mbox";
  WriteFile(p, Mbox());
  auto r = discoverer_.ReadMailboxPath(p.string());
  ASSERT_TRUE(r) << r.error().message;
  ExpectKnownVendors(*r);
}

TEST_F(MailboxReaderTest, AnMboxUploadGivesTheSameFindings) {
  auto r = discoverer_.ReadMailboxUpload(Mbox(), core::MailboxFormat::kDetect);
  ASSERT_TRUE(r) << r.error().message;
  ExpectKnownVendors(*r);
}

TEST_F(MailboxReaderTest, FindsKnownVendorsInAMaildir) {
  WriteMaildir(dir_.path() / "Maildir");
  auto r = discoverer_.ReadMailboxPath((dir_.path() / "Maildir").string());
  ASSERT_TRUE(r) << r.error().message;
  ExpectKnownVendors(*r);
}

TEST_F(MailboxReaderTest, FindsKnownVendorsInAFolderOfEmlFiles) {
  const auto msgs = Messages();
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    WriteFile(dir_.path() / "eml" / (i % 3 ? "sub" : ".") / ("m" + std::to_string(i) + ".eml"),
              msgs[i]);
  }
  WriteFile(dir_.path() / "eml" / "notes.txt", "not mail");
  auto r = discoverer_.ReadMailboxPath((dir_.path() / "eml").string());
  ASSERT_TRUE(r) << r.error().message;
  ExpectKnownVendors(*r);
}

TEST_F(MailboxReaderTest, FindsKnownVendorsInAZippedMaildir) {
  std::vector<std::pair<std::string, std::string>> files;
  const auto msgs = Messages();
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    files.emplace_back(std::string("Maildir/") + (i % 2 ? "new/" : "cur/") + std::to_string(i),
                       msgs[i]);
  }
  files.emplace_back("Maildir/dovecot-uidlist", "3 V1 N2\n");
  auto r = discoverer_.ReadMailboxUpload(Zip(dir_.path(), files), core::MailboxFormat::kDetect);
  ASSERT_TRUE(r) << r.error().message;
  ExpectKnownVendors(*r);
  // The same zip on disk (Zip() left it there), read entry by entry.
  auto from_disk = discoverer_.ReadMailboxPath((dir_.path() / "upload.zip").string());
  ASSERT_TRUE(from_disk) << from_disk.error().message;
  ExpectKnownVendors(*from_disk);
}

TEST_F(MailboxReaderTest, ReadsOneEmlAndItsSenderOnly) {
  auto r = discoverer_.ReadMailboxUpload(Messages()[2], core::MailboxFormat::kEml);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->systems.size(), 1u);
  EXPECT_EQ(r->systems[0].catalog_id, "stripe");
  EXPECT_EQ(r->systems[0].messages, 1);
  EXPECT_EQ(r->read, 1);
}

TEST_F(MailboxReaderTest, AVendorNamedOnlyInABodyIsNotFound) {
  std::string mbox =
      "From x Thu Jan  1 00:00:00 2026\n"
      "From: carol@ourco.com\nTo: bob@ourco.com\nDate: Mon, 05 Jan 2026 00:00:00 +0000\n"
      "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\n"
      "From: support@zendesk.com\nReturn-Path: <x@zendesk.com>\n"
      "DKIM-Signature: d=zendesk.com\nDate: Mon, 05 Jan 2026 00:00:00 +0000\n\nbody\n--b--\n";
  auto r = discoverer_.ReadMailboxUpload(mbox, core::MailboxFormat::kMbox);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->systems.empty());
  EXPECT_EQ(r->read, 1);
}

TEST_F(MailboxReaderTest, LowersTheThresholdForUnknownSenders) {
  Discoverer eager(catalog_, MailboxOptions{1});
  auto r = eager.ReadMailboxUpload(Mbox(), core::MailboxFormat::kMbox);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_NE(Find(*r, "rarevendor.io"), nullptr);
  EXPECT_NE(Find(*r, "acmeshop.co.uk"), nullptr);
  EXPECT_EQ(Find(*r, "gmail.com"), nullptr);
  EXPECT_EQ(Find(*r, "ourco.com"), nullptr);
}

TEST_F(MailboxReaderTest, RefusesWhatIsNotAMailbox) {
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  for (auto [bytes, format] :
       {std::pair<std::string, core::MailboxFormat>{png, core::MailboxFormat::kDetect},
        {"hello, world\n", core::MailboxFormat::kDetect},
        {"hello, world\n", core::MailboxFormat::kMbox},
        {"", core::MailboxFormat::kDetect},
        {"PK\x03\x04garbage", core::MailboxFormat::kDetect}}) {
    auto r = discoverer_.ReadMailboxUpload(bytes, format);
    ASSERT_FALSE(r) << bytes;
    EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
  }
  auto empty_zip = discoverer_.ReadMailboxUpload(Zip(dir_.path(), {{"readme.txt", "hi"}}),
                                                 core::MailboxFormat::kZip);
  ASSERT_FALSE(empty_zip);
  EXPECT_NE(empty_zip.error().message.find("no Maildir"), std::string::npos);

  WriteFile(dir_.path() / "photo.png", png);
  auto file = discoverer_.ReadMailboxPath((dir_.path() / "photo.png").string());
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().message.find("photo.png: not a mailbox"), std::string::npos);
  EXPECT_FALSE(discoverer_.ReadMailboxPath((dir_.path() / "missing").string()));
  fs::create_directories(dir_.path() / "empty");
  EXPECT_FALSE(discoverer_.ReadMailboxPath((dir_.path() / "empty").string()));
}

TEST_F(MailboxReaderTest, SkipsGarbageMessagesInsideAMailboxWithACount) {
  std::string mbox = Mbox();
  mbox += "From x Thu Jan  1 00:00:00 2026\n\x01\x02\x03 binary junk\n\n";
  mbox += "From x Thu Jan  1 00:00:00 2026\nFrom: <>\nDate: nonsense\n\n";
  auto r = discoverer_.ReadMailboxUpload(mbox, core::MailboxFormat::kMbox);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->skipped, 4);
  EXPECT_EQ(r->read, 16);

  WriteMaildir(dir_.path() / "md");
  WriteFile(dir_.path() / "md" / "cur" / "junk", std::string("\x89PNG\0\0", 6));
  auto md = discoverer_.ReadMailboxPath((dir_.path() / "md").string());
  ASSERT_TRUE(md) << md.error().message;
  EXPECT_EQ(md->skipped, 3);
}

// Random and truncated input never crashes a reader: it is refused or skipped and counted.
TEST_F(MailboxReaderTest, SurvivesRandomAndTruncatedInput) {
  std::mt19937 rng(20260105);
  const std::string mbox = Mbox();
  const std::vector<std::string> prefixes = {
      "", "From ", "PK\x03\x04", "From: a@b.com\n", "Application,Users\n", "v=spf1 include:"};
  for (int i = 0; i < 300; ++i) {
    std::string bytes = prefixes[i % prefixes.size()];
    if (i % 3 == 0) {
      bytes += mbox.substr(rng() % mbox.size());  // a mailbox cut anywhere
    } else {
      const std::size_t n = rng() % 2048;
      for (std::size_t k = 0; k < n; ++k) bytes.push_back(static_cast<char>(rng() % 256));
    }
    for (auto format : {core::MailboxFormat::kDetect, core::MailboxFormat::kMbox,
                        core::MailboxFormat::kEml, core::MailboxFormat::kZip}) {
      auto r = discoverer_.ReadMailboxUpload(bytes, format);
      if (!r) {
        EXPECT_EQ(r.error().code, core::Errc::kInvalidArgument);
      }
    }
    auto sso = discoverer_.ReadSsoExport(bytes);
    if (!sso) {
      EXPECT_EQ(sso.error().code, core::Errc::kInvalidArgument);
    }
    auto dns = discoverer_.ReadDnsRecords(bytes);
    if (!dns) {
      EXPECT_EQ(dns.error().code, core::Errc::kInvalidArgument);
    }
  }
}

TEST(HeaderBlock, EndsAtTheFirstEmptyLine) {
  EXPECT_EQ(HeaderBlock("A: 1\nB: 2\n\nbody\n"), "A: 1\nB: 2\n");
  EXPECT_EQ(HeaderBlock("A: 1\r\n\r\nbody"), "A: 1\r\n");
  EXPECT_EQ(HeaderBlock("A: 1\n"), "A: 1\n");
}

}  // namespace
}  // namespace rd::discovery
