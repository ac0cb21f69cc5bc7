#include "discovery/mailbox_tally.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

namespace rd::discovery {
namespace {

constexpr MailSignal kAllSignals[] = {MailSignal::kFrom, MailSignal::kSender,
                                      MailSignal::kReturnPath, MailSignal::kListUnsubscribe,
                                      MailSignal::kDkim};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

const char* MailSignalName(MailSignal s) {
  switch (s) {
    case MailSignal::kFrom:
      return "from";
    case MailSignal::kSender:
      return "sender";
    case MailSignal::kReturnPath:
      return "return_path";
    case MailSignal::kListUnsubscribe:
      return "list_unsubscribe";
    case MailSignal::kDkim:
      return "dkim";
  }
  return "from";
}

bool IsConsumerMailDomain(const std::string& d) {
  static const std::set<std::string> kConsumer = {
      "gmail.com",      "googlemail.com", "yahoo.com",     "yahoo.co.uk", "ymail.com",
      "outlook.com",    "hotmail.com",    "hotmail.co.uk", "live.com",    "msn.com",
      "icloud.com",     "me.com",         "mac.com",       "aol.com",     "gmx.de",
      "gmx.net",        "gmx.com",        "web.de",        "t-online.de", "proton.me",
      "protonmail.com", "pm.me",          "yandex.ru",     "yandex.com",  "mail.ru",
      "qq.com",         "163.com",        "126.com",       "zoho.com",    "fastmail.com",
      "tutanota.com",   "laposte.net",    "orange.fr",     "free.fr",     "libero.it"};
  return kConsumer.count(d) > 0;
}

MailboxTally::MailboxTally(const core::Catalog& catalog, const DomainMapper& domains,
                           MailboxOptions options)
    : catalog_(catalog), domains_(domains), options_(options) {}

void MailboxTally::Add(const MessageHeaders& m) {
  if (!m.date) {
    ++skipped_;
    return;
  }
  std::map<std::string, unsigned> seen;  // registrable domain → signal bits
  for (const auto& [signal, host] : m.sender_hosts) {
    const std::string reg = domains_.Registrable(host);
    if (!reg.empty()) seen[reg] |= 1u << static_cast<unsigned>(signal);
  }
  if (seen.empty()) {
    ++skipped_;
    return;
  }
  ++read_;
  std::set<std::uint64_t> recipient_hashes;
  std::set<std::string> recipient_domains;
  for (const auto& addr : m.recipients) {
    const std::string lower = Lower(addr);
    recipient_hashes.insert(std::hash<std::string>{}(lower));
    const std::string reg = domains_.Registrable(HostOfAddress(lower));
    if (!reg.empty()) recipient_domains.insert(reg);
  }
  for (const auto& [domain, bits] : seen) {
    DomainCount& c = counts_[domain];
    if (c.messages == 0 || *m.date < c.first_seen) c.first_seen = *m.date;
    if (c.messages == 0 || *m.date > c.last_seen) c.last_seen = *m.date;
    ++c.messages;
    c.signals |= bits;
    c.recipients.insert(recipient_hashes.begin(), recipient_hashes.end());
    if (recipient_domains.count(domain) > 0) c.internal = true;
  }
}

core::DiscoveryReport MailboxTally::Finish() const {
  core::DiscoveryReport report;
  report.source = core::FindingSource::kMailbox;
  report.read = read_;
  report.skipped = skipped_;
  for (const auto& [domain, c] : counts_) {
    const core::CatalogEntry* entry = catalog_.FindByDomain(domain);
    if (entry == nullptr && (c.messages < options_.min_unknown_messages || c.internal ||
                             IsConsumerMailDomain(domain))) {
      continue;
    }
    core::DiscoveredSystem s;
    s.domain = domain;
    s.catalog_id = entry != nullptr ? entry->key : "";
    s.name = entry != nullptr ? entry->name : domain;
    s.messages = c.messages;
    s.first_seen = c.first_seen;
    s.last_seen = c.last_seen;
    s.recipients = static_cast<std::int64_t>(c.recipients.size());
    for (MailSignal sig : kAllSignals) {
      if (c.signals & (1u << static_cast<unsigned>(sig))) s.signals.push_back(MailSignalName(sig));
    }
    report.systems.push_back(std::move(s));
  }
  std::stable_sort(report.systems.begin(), report.systems.end(),
                   [](const core::DiscoveredSystem& a, const core::DiscoveredSystem& b) {
                     return a.messages > b.messages;
                   });
  return report;
}

}  // namespace rd::discovery
