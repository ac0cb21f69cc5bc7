#pragma once

#include <string>
#include <vector>

#include "app/config.h"
#include "core/result.h"

namespace rd::app {

class Application;

// `rightsdesk demo`: a desk a newcomer can watch work end to end. Everything is created
// through the core services, as an admin would through the API, by the actor "system".

// The configuration the demo runs with: when no SMTP server is configured and no pickup
// directory is set, mail goes to <data_dir>/mail (smtp.pickup_dir) so the codes and vendor
// links can be read from files. Anything set explicitly is kept.
void ApplyDemoDefaults(Config& config);

// What SetUpDemo found or made.
struct DemoSummary {
  std::string shop_path;  // the demo shop's SQLite file
  std::string mail_dir;   // smtp.pickup_dir, or "" when mail goes to an SMTP server
  bool shop_created = false;
  int sources_created = 0;   // of 3
  int requests_created = 0;  // of 2
  struct Request {
    std::string reference, type, email, status;
  };
  std::vector<Request> requests;  // the demo requests (created now or earlier)
};

// Makes sure the demo exists, creating only what is missing (running it again duplicates
// nothing): the shop database <data_dir>/demo-shop.db (CreateDemoShop), three data sources
// found by name — "Demo shop database" (integration, the shop with its dataset and an erasure
// policy), "PrintWorks fulfilment" (email, a print partner without an API) and "Paper files in
// the archive" (manual) — and, for the demo subjects with a request type, one request each in
// review (channel manual, verification skipped, jurisdiction gdpr) unless a request of that
// type for that address exists already (in any status). Errors from the services or
// CreateDemoShop end the setup; what was created before stays (the next run completes it).
[[nodiscard]] core::Result<DemoSummary> SetUpDemo(Application& app);

// The lines the demo prints before serving: what exists, where the mail goes, what to try.
std::string DescribeDemo(const DemoSummary& summary, const std::string& base_url);

}  // namespace rd::app
