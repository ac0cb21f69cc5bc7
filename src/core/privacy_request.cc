#include "core/privacy_request.h"

#include <array>
#include <cctype>
#include <utility>

namespace rd::core {
namespace {

template <class E, std::size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, const char*>, N>& table, std::string_view s) {
  for (const auto& [value, name] : table) {
    if (s == name) return value;
  }
  return std::nullopt;
}

template <class E, std::size_t N>
const char* NameOf(const std::array<std::pair<E, const char*>, N>& table, E e) {
  for (const auto& [value, name] : table) {
    if (value == e) return name;
  }
  return "unknown";
}

constexpr std::array<std::pair<RequestType, const char*>, 5> kTypes{{
    {RequestType::kDeletion, "deletion"},
    {RequestType::kCopy, "copy"},
    {RequestType::kDoNotSell, "do_not_sell"},
    {RequestType::kDoNotMail, "do_not_mail"},
    {RequestType::kRightToEdit, "right_to_edit"},
}};
constexpr std::array<std::pair<RequestStatus, const char*>, 5> kStatuses{{
    {RequestStatus::kUnverified, "unverified"},
    {RequestStatus::kReview, "review"},
    {RequestStatus::kProcess, "process"},
    {RequestStatus::kReply, "reply"},
    {RequestStatus::kClosed, "closed"},
}};
constexpr std::array<std::pair<Outcome, const char*>, 5> kOutcomes{{
    {Outcome::kFulfilled, "fulfilled"},
    {Outcome::kPartiallyFulfilled, "partially_fulfilled"},
    {Outcome::kRejected, "rejected"},
    {Outcome::kUnverified, "unverified"},
    {Outcome::kWithdrawn, "withdrawn"},
}};
constexpr std::array<std::pair<Channel, const char*>, 5> kChannels{{
    {Channel::kPrivacyCenter, "privacy_center"},
    {Channel::kManual, "manual"},
    {Channel::kApi, "api"},
    {Channel::kAuthorizedAgent, "authorized_agent"},
    {Channel::kGpc, "gpc"},
}};

constexpr std::array<std::pair<RequesterType, const char*>, 4> kRequesterTypes{{
    {RequesterType::kConsumer, "consumer"},
    {RequesterType::kEmployee, "employee"},
    {RequesterType::kApplicant, "applicant"},
    {RequesterType::kAuthorizedAgent, "authorized_agent"},
}};

}  // namespace

const char* RequesterTypeName(RequesterType t) { return NameOf(kRequesterTypes, t); }
std::optional<RequesterType> ParseRequesterType(std::string_view s) {
  return Lookup(kRequesterTypes, s);
}

const char* RequestTypeName(RequestType t) {
  return t == RequestType::kCustom ? "custom" : NameOf(kTypes, t);
}

std::string TypeLabel(const PrivacyRequest& q) {
  switch (q.type) {
    case RequestType::kDeletion:
      return "deletion";
    case RequestType::kCopy:
      return "data copy";
    case RequestType::kDoNotSell:
      return "do-not-sell";
    case RequestType::kDoNotMail:
      return "do-not-mail";
    case RequestType::kRightToEdit:
      return "correction";
    case RequestType::kCustom:
      break;
  }
  std::string label = q.custom_type;
  for (char& c : label) c = c == '_' ? ' ' : c;
  return label;
}

std::string TypeKey(const PrivacyRequest& q) {
  return q.type == RequestType::kCustom ? q.custom_type : RequestTypeName(q.type);
}
const char* RequestStatusName(RequestStatus s) { return NameOf(kStatuses, s); }
const char* OutcomeName(Outcome o) { return NameOf(kOutcomes, o); }
const char* ChannelName(Channel c) { return NameOf(kChannels, c); }
std::optional<RequestType> ParseRequestType(std::string_view s) { return Lookup(kTypes, s); }
std::optional<RequestStatus> ParseRequestStatus(std::string_view s) { return Lookup(kStatuses, s); }
std::optional<Outcome> ParseOutcome(std::string_view s) { return Lookup(kOutcomes, s); }
std::optional<Channel> ParseChannel(std::string_view s) { return Lookup(kChannels, s); }

bool IsRejectionReason(std::string_view reason) {
  for (std::string_view r :
       {"insufficient_verification", "no_match", "not_covered", "outside_jurisdiction",
        "too_many_requests", "suspected_fraud", "other"}) {
    if (reason == r) return true;
  }
  return false;
}

const char* RejectionReasons() {
  return "insufficient_verification, no_match, not_covered, outside_jurisdiction, "
         "too_many_requests, suspected_fraud, other";
}

std::optional<std::string> NormalizeEmail(std::string_view raw) {
  while (!raw.empty() && std::isspace(static_cast<unsigned char>(raw.front()))) {
    raw.remove_prefix(1);
  }
  while (!raw.empty() && std::isspace(static_cast<unsigned char>(raw.back()))) {
    raw.remove_suffix(1);
  }
  if (raw.empty() || raw.size() > 254) return std::nullopt;
  const auto at = raw.find('@');
  if (at == std::string_view::npos || at == 0 || raw.find('@', at + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view domain = raw.substr(at + 1);
  const auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"') {
      return std::nullopt;
    }
    out.push_back(static_cast<char>(std::tolower(u)));
  }
  return out;
}

}  // namespace rd::core
