#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/catalog.h"
#include "core/discovery.h"
#include "discovery/registrable_domain.h"

namespace rd::discovery {

// Where a sender host was seen in a message's headers.
enum class MailSignal { kFrom, kSender, kReturnPath, kListUnsubscribe, kDkim };
const char* MailSignalName(MailSignal s);  // "from", "sender", "return_path", ...

// What one message's headers say about who sent it and to whom. Built from the headers only.
struct MessageHeaders {
  std::vector<std::pair<MailSignal, std::string>> sender_hosts;  // host names, any case
  std::vector<std::string> recipients;                           // To and Cc addresses
  std::optional<core::UnixTime> date;
};

struct MailboxOptions {
  // Senders not in the catalog become findings from this many messages on.
  std::int64_t min_unknown_messages = 3;
};

// Counts messages per registrable sender domain. A message counts once for every distinct
// registrable domain among its sender signals (From, Sender, Return-Path, List-Unsubscribe
// hosts, DKIM d=), so a newsletter from shop.example sent through Mailchimp counts for both
// shop.example and mcsv.net. Recipient addresses are kept only as 64-bit hashes, in memory,
// for the distinct count. Not thread-safe.
class MailboxTally {
 public:
  MailboxTally(const core::Catalog& catalog, const DomainMapper& domains, MailboxOptions options);

  // Counts the message, or skips it (counted as skipped) when it has no date or no sender
  // host that maps to a registrable domain.
  void Add(const MessageHeaders& m);
  // A message that could not be read at all.
  void Skip() { ++skipped_; }
  std::int64_t read() const { return read_; }

  // The findings: every domain owned by a catalog entry, and unknown domains with at least
  // min_unknown_messages messages (never consumer mailbox providers such as gmail.com, nor
  // the recipients' own domain); most messages first.
  core::DiscoveryReport Finish() const;

 private:
  struct DomainCount {
    std::int64_t messages = 0;
    core::UnixTime first_seen = 0;
    core::UnixTime last_seen = 0;
    std::unordered_set<std::uint64_t> recipients;
    unsigned signals = 0;   // bit per MailSignal
    bool internal = false;  // also a recipient domain: the company's own mail
  };
  const core::Catalog& catalog_;
  const DomainMapper& domains_;
  MailboxOptions options_;
  std::map<std::string, DomainCount> counts_;
  std::int64_t read_ = 0;
  std::int64_t skipped_ = 0;
};

// True for consumer mailbox providers (gmail.com, outlook.com, ...): mail from them is from
// people, not from a system the company uses.
bool IsConsumerMailDomain(const std::string& registrable_domain);

}  // namespace rd::discovery
