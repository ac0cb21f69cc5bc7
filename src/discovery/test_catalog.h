#pragma once

// A small catalog for the discovery tests, built in code.
#include <string>
#include <vector>

#include "core/catalog.h"

namespace rd::discovery {

inline core::CatalogEntry TestEntry(std::string key, std::string name, std::string category,
                                    std::vector<std::string> domains,
                                    std::vector<std::string> mail_domains = {},
                                    std::string privacy_email = "") {
  core::CatalogEntry e;
  e.key = std::move(key);
  e.name = std::move(name);
  e.category = std::move(category);
  e.domains = std::move(domains);
  e.mail_domains = std::move(mail_domains);
  e.privacy_email = std::move(privacy_email);
  return e;
}

inline core::Catalog TestCatalog() {
  return core::Catalog({
      TestEntry("mailchimp", "Mailchimp", "marketing", {"mailchimp.com"},
                {"mcsv.net", "mcdlv.net", "list-manage.com"}, "privacy@intuit.com"),
      TestEntry("stripe", "Stripe", "payments", {"stripe.com"}, {}, "privacy@stripe.com"),
      TestEntry("hubspot", "HubSpot", "crm", {"hubspot.com"}, {"hubspotemail.net"}),
      TestEntry("zendesk", "Zendesk", "support", {"zendesk.com"}, {}, "euprivacy@zendesk.com"),
      TestEntry("salesforce", "Salesforce", "crm", {"salesforce.com"}),
      TestEntry("slack", "Slack", "communication", {"slack.com"}),
      TestEntry("atlassian", "Atlassian", "collaboration", {"atlassian.com", "atlassian.net"}),
      TestEntry("google_workspace", "Google Workspace", "productivity", {"google.com"}),
      TestEntry("sendgrid", "SendGrid", "email_delivery", {"sendgrid.com"}, {"sendgrid.net"}),
  });
}

}  // namespace rd::discovery
