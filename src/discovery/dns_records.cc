#include "discovery/dns_records.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace rd::discovery {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  std::string w;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!w.empty()) out.push_back(std::move(w));
      w.clear();
    } else {
      w.push_back(c);
    }
  }
  if (!w.empty()) out.push_back(std::move(w));
  return out;
}

// The record's value: its quoted strings joined, or the line itself. nullopt for an unclosed
// quote.
std::optional<std::string> RecordValue(std::string_view line) {
  if (line.find('"') == std::string_view::npos) return std::string(line);
  std::string out;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (quoted && c == '\\' && i + 1 < line.size()) {
      out.push_back(line[++i]);
    } else if (quoted) {
      out.push_back(c);
    }
  }
  if (quoted) return std::nullopt;
  return out;
}

class DnsTally {
 public:
  DnsTally(const core::Catalog& catalog, const DomainMapper& domains)
      : catalog_(catalog), domains_(domains) {}

  // False when `host` has no registrable domain.
  bool AddHost(const std::string& host, const std::string& signal) {
    const std::string reg = domains_.Registrable(host);
    if (reg.empty()) return false;
    const auto* entry = catalog_.FindByDomain(reg);
    Add(reg, entry, entry != nullptr ? entry->name : reg, signal);
    return true;
  }

  void AddToken(const VerificationToken& t) {
    const auto* entry = catalog_.FindByDomain(t.domain);
    std::string signal = "txt:" + std::string(t.prefix);
    while (!signal.empty() && (signal.back() == '=' || signal.back() == '_')) signal.pop_back();
    Add(t.domain, entry, entry != nullptr ? entry->name : t.name, signal);
  }

  std::vector<core::DiscoveredSystem> Systems() && {
    std::vector<core::DiscoveredSystem> out;
    for (auto& key : order_) out.push_back(std::move(systems_[key]));
    return out;
  }

 private:
  void Add(const std::string& domain, const core::CatalogEntry* entry, const std::string& name,
           const std::string& signal) {
    auto [it, inserted] = systems_.try_emplace(domain);
    core::DiscoveredSystem& s = it->second;
    if (inserted) {
      order_.push_back(domain);
      s.domain = domain;
      s.catalog_id = entry != nullptr ? entry->key : "";
      s.name = name;
    }
    if (std::find(s.signals.begin(), s.signals.end(), signal) == s.signals.end()) {
      s.signals.push_back(signal);
    }
  }

  const core::Catalog& catalog_;
  const DomainMapper& domains_;
  std::map<std::string, core::DiscoveredSystem> systems_;
  std::vector<std::string> order_;
};

}  // namespace

const std::vector<VerificationToken>& VerificationTokens() {
  static const std::vector<VerificationToken> kTokens = {
      {"google-site-verification=", "Google Workspace", "google.com"},
      {"atlassian-domain-verification=", "Atlassian", "atlassian.com"},
      {"ms=", "Microsoft 365", "microsoft.com"},
      {"facebook-domain-verification=", "Facebook", "facebook.com"},
      {"docusign=", "DocuSign", "docusign.com"},
      {"stripe-verification=", "Stripe", "stripe.com"},
      {"hubspot-developer-verification=", "HubSpot", "hubspot.com"},
      {"slack-domain-verification=", "Slack", "slack.com"},
      {"apple-domain-verification=", "Apple", "apple.com"},
      {"adobe-idp-site-verification=", "Adobe", "adobe.com"},
      {"adobe-sign-verification=", "Adobe Acrobat Sign", "adobe.com"},
      {"zoom_verify_", "Zoom", "zoom.us"},
      {"dropbox-domain-verification=", "Dropbox", "dropbox.com"},
      {"globalsign-domain-verification=", "GlobalSign", "globalsign.com"},
      {"amazonses:", "Amazon SES", "amazonaws.com"},
      {"miro-verification=", "Miro", "miro.com"},
      {"onetrust-domain-verification=", "OneTrust", "onetrust.com"},
      {"cisco-ci-domain-verification=", "Webex", "webex.com"},
      {"webexdomainverification.", "Webex", "webex.com"},
      {"airtable-verification=", "Airtable", "airtable.com"},
      {"klaviyo-site-verification=", "Klaviyo", "klaviyo.com"},
      {"yandex-verification:", "Yandex", "yandex.com"},
      {"twilio-domain-verification=", "Twilio", "twilio.com"},
      {"sendinblue-code:", "Brevo", "brevo.com"},
      {"brevo-code:", "Brevo", "brevo.com"},
      {"mongodb-site-verification=", "MongoDB Atlas", "mongodb.com"},
      {"knowbe4-site-verification=", "KnowBe4", "knowbe4.com"},
      {"teamviewer-sso-verification=", "TeamViewer", "teamviewer.com"},
      {"canva-site-verification=", "Canva", "canva.com"},
      {"postman-domain-verification=", "Postman", "postman.com"},
      {"zapier-domain-verification-challenge=", "Zapier", "zapier.com"},
      {"openai-domain-verification=", "OpenAI", "openai.com"},
      {"smartsheet-site-validation=", "Smartsheet", "smartsheet.com"},
      {"citrix-verification-code=", "Citrix", "citrix.com"},
      {"loom-site-verification=", "Loom", "loom.com"},
      {"notion-domain-verification=", "Notion", "notion.so"},
      {"figma-domain-verification=", "Figma", "figma.com"},
      {"asana-domain-verification=", "Asana", "asana.com"},
      {"pinterest-site-verification=", "Pinterest", "pinterest.com"},
      {"logmein-verification-code=", "GoTo (LogMeIn)", "logmein.com"},
      {"workplace-domain-verification=", "Workplace from Meta", "workplace.com"},
      {"have-i-been-pwned-verification=", "Have I Been Pwned", "haveibeenpwned.com"},
      {"mailru-verification:", "Mail.ru", "mail.ru"},
      {"intercom-domain-verification=", "Intercom", "intercom.com"},
      {"calendly-site-verification=", "Calendly", "calendly.com"},
      {"1password-site-verification=", "1Password", "1password.com"},
      {"lastpass-verification-code=", "LastPass", "lastpass.com"},
      {"segment-site-verification=", "Segment", "segment.com"},
      {"wrike-verification=", "Wrike", "wrike.com"},
      {"box-domain-verification=", "Box", "box.com"},
  };
  return kTokens;
}

core::Result<core::DiscoveryReport> ReadDnsText(std::string_view text, const core::Catalog& catalog,
                                                const DomainMapper& domains) {
  if (text.find('\0') != std::string_view::npos) {
    return core::Fail(core::Errc::kInvalidArgument, "text: not text (it contains NUL bytes)");
  }
  core::DiscoveryReport report;
  report.source = core::FindingSource::kDns;
  DnsTally tally(catalog, domains);
  bool recognized = false;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) {
      line.remove_prefix(1);
    }
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
      line.remove_suffix(1);
    }
    if (line.empty() || line.front() == ';' || line.front() == '#') continue;
    const auto value = RecordValue(line);
    if (!value) {
      ++report.skipped;
      continue;
    }
    const std::string lower = Lower(*value);
    bool malformed = false, useful = false;
    if (const auto spf = lower.find("v=spf1"); spf != std::string::npos) {
      useful = true;
      for (const auto& term : Words(std::string_view(*value).substr(spf + 6))) {
        std::string t = Lower(term);
        if (!t.empty() && std::string("+-~?").find(t.front()) != std::string::npos) t.erase(0, 1);
        std::string host;
        if (t.rfind("include:", 0) == 0)
          host = t.substr(8);
        else if (t.rfind("redirect=", 0) == 0)
          host = t.substr(9);
        else
          continue;
        // Macros (%{d}) name no fixed host.
        if (host.find('%') != std::string::npos || !tally.AddHost(host, "spf")) malformed = true;
      }
    } else if (const auto dmarc = lower.find("v=dmarc1"); dmarc != std::string::npos) {
      useful = true;
      for (const char* tag : {"rua=", "ruf="}) {
        const auto pos = lower.find(tag, dmarc);
        if (pos == std::string::npos) continue;
        std::string list = lower.substr(pos + 4, lower.find(';', pos) - pos - 4);
        std::size_t p = 0;
        while ((p = list.find("mailto:", p)) != std::string::npos) {
          std::string addr = list.substr(p + 7, list.find(',', p) - p - 7);
          addr = addr.substr(0, addr.find('!'));  // a size limit: "mailto:a@b.com!10m"
          while (!addr.empty() && std::isspace(static_cast<unsigned char>(addr.back()))) {
            addr.pop_back();
          }
          if (!tally.AddHost(HostOfAddress(addr), "dmarc")) malformed = true;
          p += 7;
        }
      }
    } else {
      for (const auto& word : Words(*value)) {
        const std::string w = Lower(word);
        for (const auto& token : VerificationTokens()) {
          const std::size_t len = std::char_traits<char>::length(token.prefix);
          if (w.size() > len && w.compare(0, len, token.prefix) == 0) {
            tally.AddToken(token);
            useful = true;
            break;
          }
        }
      }
    }
    ++report.read;
    if (malformed) ++report.skipped;
    recognized = recognized || useful;
  }
  if (!recognized) {
    return core::Fail(core::Errc::kInvalidArgument,
                      "text: no SPF record (v=spf1), DMARC record (v=DMARC1) or known "
                      "verification token (e.g. atlassian-domain-verification=) found");
  }
  report.systems = std::move(tally).Systems();
  return report;
}

}  // namespace rd::discovery
