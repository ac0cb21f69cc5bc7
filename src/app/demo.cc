#include "app/demo.h"

#include <filesystem>

#include "app/application.h"
#include "app/demo_shop.h"

namespace rd::app {
namespace {

constexpr const char* kActor = "system";
constexpr const char* kShopSource = "Demo shop database";
constexpr const char* kVendorSource = "PrintWorks fulfilment";
constexpr const char* kArchiveSource = "Paper files in the archive";

std::string AbsoluteDataDir(const Config& config) {
  std::error_code ec;
  auto path = std::filesystem::absolute(config.data_dir, ec);
  return ec ? config.data_dir : path.lexically_normal().string();
}

// The three sources, as an admin would enter them.
std::vector<core::DataSourceFields> DemoSources(const std::string& shop_path) {
  core::DataSourceFields shop;
  shop.name = kShopSource;
  shop.category = "database";
  shop.process = "integration";
  shop.owner = "Web shop team";
  shop.description =
      "The web shop's SQLite database: customers, addresses, orders, newsletter and support "
      "tickets. Erased and exported automatically through the dataset mapping.";
  shop.connector = DemoShopConnector(shop_path);
  shop.dataset = std::string(DemoShopDataset());
  shop.data_categories = std::vector<std::string>{"user.contact.email",
                                                  "user.name",
                                                  "user.contact.phone_number",
                                                  "user.contact.address",
                                                  "user.demographic.date_of_birth",
                                                  "user.behavior.purchase_history",
                                                  "user.content.private"};

  core::DataSourceFields vendor;
  vendor.name = kVendorSource;
  vendor.category = "fulfilment";
  vendor.process = "email";
  vendor.contact_email = "privacy@printworks.example";
  vendor.owner = "Operations";
  vendor.description =
      "Print partner that packs and ships orders with printed delivery notes. No API: their "
      "privacy team is emailed and confirms through the link.";
  vendor.data_categories = std::vector<std::string>{"user.name", "user.contact.address"};

  core::DataSourceFields archive;
  archive.name = kArchiveSource;
  archive.category = "archive";
  archive.process = "manual";
  archive.owner = "Finance";
  archive.instructions =
      "Look up the customer in the paper archive (folder by last name, room B2). Shred "
      "correspondence for a deletion (keep invoices under the retention period, note which); "
      "scan it for a copy. Note the folder checked.";
  archive.data_categories = std::vector<std::string>{"user.name", "user.contact.address"};
  return {shop, vendor, archive};
}

}  // namespace

void ApplyDemoDefaults(Config& config) {
  if (config.smtp_host.empty() && config.smtp_pickup_dir.empty()) {
    config.smtp_pickup_dir = (std::filesystem::path(AbsoluteDataDir(config)) / "mail").string();
  }
}

core::Result<DemoSummary> SetUpDemo(Application& app) {
  DemoSummary out;
  const Config& config = app.config();
  out.shop_path = (std::filesystem::path(AbsoluteDataDir(config)) / "demo-shop.db").string();
  out.mail_dir = config.smtp_host.empty() ? config.smtp_pickup_dir : "";
  auto created = CreateDemoShop(out.shop_path);
  if (!created) return tl::unexpected(created.error());
  out.shop_created = *created;

  auto existing = app.data_sources().List();
  if (!existing) return tl::unexpected(existing.error());
  for (const core::DataSourceFields& fields : DemoSources(out.shop_path)) {
    bool found = false;
    for (const core::DataSource& ds : *existing) found = found || ds.name == *fields.name;
    if (found) continue;
    auto ds = app.data_sources().Create(fields, kActor);
    if (!ds) return tl::unexpected(ds.error());
    ++out.sources_created;
  }

  for (const DemoSubject& subject : DemoSubjects()) {
    if (subject.request_type.empty()) continue;
    core::RequestQuery query;
    query.type = subject.request_type;
    query.limit = 1;
    auto page = app.requests().List(query, subject.email);
    if (!page) return tl::unexpected(page.error());
    if (!page->items.empty()) {
      const core::PrivacyRequest& q = page->items[0];
      out.requests.push_back(
          {q.reference, subject.request_type, subject.email, core::RequestStatusName(q.status)});
      continue;
    }
    core::NewRequest in;
    in.type = subject.request_type;
    in.subject.email = subject.email;
    in.subject.name = subject.name;
    in.jurisdiction = "gdpr";
    in.details = "Demo request, entered by the privacy team after a phone call.";
    in.skip_verification = true;
    in.channel = core::Channel::kManual;
    auto q = app.requests().Create(in, kActor);
    if (!q) return tl::unexpected(q.error());
    ++out.requests_created;
    out.requests.push_back(
        {q->reference, subject.request_type, subject.email, core::RequestStatusName(q->status)});
  }
  return out;
}

std::string DescribeDemo(const DemoSummary& s, const std::string& base_url) {
  std::string text = "\n  Demo: ";
  text += s.sources_created == 0 && s.requests_created == 0 && !s.shop_created
              ? "reusing the demo already set up in this data directory.\n"
              : "set up (" + std::to_string(s.sources_created) + " data sources and " +
                    std::to_string(s.requests_created) + " requests created now).\n";
  text +=
      "    shop database: " + s.shop_path + " (" + std::to_string(kDemoCustomers) + " customers)\n";
  text += "    data sources:  " + std::string(kShopSource) + " (integration), " + kVendorSource +
          " (email), " + kArchiveSource + " (manual)\n";
  for (const auto& r : s.requests) {
    text += "    request:       " + r.reference + " " + r.type + " for " + r.email + " (" +
            r.status + ")\n";
  }
  if (!s.mail_dir.empty()) {
    text += "    emails:        written as .eml files to " + s.mail_dir + " (not sent)\n";
  } else {
    text += "    emails:        sent through the SMTP server in smtp.host\n";
  }
  text += "  Try it: open " + base_url +
          "/ , log in as admin (password below on the first start), open the\n"
          "  deletion in Review and Continue with all sources; or be the subject at " +
          base_url + "/privacy\n  as alan@example.com and read the code from the newest email.\n\n";
  return text;
}

}  // namespace rd::app
