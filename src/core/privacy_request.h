#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace rd::core {

// Built-in request types (PRODUCT.md §1). A custom right an admin defined is kCustom, with its
// own key in PrivacyRequest::custom_type.
enum class RequestType { kDeletion, kCopy, kDoNotSell, kDoNotMail, kRightToEdit, kCustom };
enum class RequestStatus { kUnverified, kReview, kProcess, kReply, kClosed };
enum class Outcome { kFulfilled, kPartiallyFulfilled, kRejected, kUnverified, kWithdrawn };
enum class Channel { kPrivacyCenter, kManual, kApi, kAuthorizedAgent, kGpc };
enum class RequesterType { kConsumer, kEmployee, kApplicant, kAuthorizedAgent };

const char* RequestTypeName(RequestType t);
const char* RequestStatusName(RequestStatus s);
const char* OutcomeName(Outcome o);
const char* ChannelName(Channel c);
std::optional<RequestType> ParseRequestType(std::string_view s);
std::optional<RequestStatus> ParseRequestStatus(std::string_view s);
std::optional<Outcome> ParseOutcome(std::string_view s);
std::optional<Channel> ParseChannel(std::string_view s);
const char* RequesterTypeName(RequesterType t);
std::optional<RequesterType> ParseRequesterType(std::string_view s);

// Who the request is about. Only `email` is required.
struct Subject {
  std::string email;
  std::string name;
  std::string phone;
};

struct PrivacyRequest {
  std::string id;         // "req_" + 24 hex digits
  std::string reference;  // short human reference shown to the subject, e.g. "RD-7K3M-Q9XA"
  RequestType type = RequestType::kDeletion;
  RequestStatus status = RequestStatus::kUnverified;
  std::optional<Outcome> outcome;
  Channel channel = Channel::kManual;
  std::string jurisdiction;  // a key of the deadline rules ("gdpr", "ccpa", ...)
  Subject subject;
  std::string details;
  RequesterType requester_type = RequesterType::kConsumer;
  std::string corrections;  // right_to_edit: what the subject says is wrong (JSON text), or ""
  UnixTime received_at = 0;
  UnixTime due_at = 0;
  std::string assignee;  // user id, empty when unassigned
  UnixTime updated_at = 0;
  std::optional<UnixTime> verified_at;  // when the subject proved control of the email
  std::string verification_method;      // "email_code", "email_link", or "" (skipped)
  std::string status_token_hash;        // SHA-256 of the status-link secret; never shown
  std::string rejection_reason;         // a RejectionReason name when rejected, else ""
  std::string rejection_note;
  std::string custom_type;  // the custom right's key when type is kCustom, else ""
  std::string hold_reason;  // non-empty while on hold
  std::optional<UnixTime> held_at;
  std::optional<UnixTime> extended_at;  // when the one extension was used
  std::string extension_reason;
};

// The key the API and the database use for the request's type: a built-in name
// ("deletion", ...) or the custom right's key.
std::string TypeKey(const PrivacyRequest& q);
// How emails name the type: "deletion", "data copy", ...; a custom right by its key.
std::string TypeLabel(const PrivacyRequest& q);

// Why a request was rejected (PRODUCT.md §1).
bool IsRejectionReason(std::string_view reason);
// "insufficient_verification, no_match, ..." for error messages.
const char* RejectionReasons();

// Filter and page for listing requests. Empty fields do not filter.
struct RequestQuery {
  std::optional<RequestStatus> status;
  std::string type;  // a type key (built-in or custom), or empty
  std::string jurisdiction;
  std::string assignee;
  std::optional<Channel> channel;
  bool overdue_only = false;
  UnixTime now = 0;           // "overdue" is judged against this
  std::string identity_hash;  // keyed hash of an email, or empty
  std::string reference;      // exact reference, or empty
  int limit = 50;
  std::string cursor;  // opaque; from a previous page's next_cursor
};

struct RequestPage {
  std::vector<PrivacyRequest> items;
  std::string next_cursor;  // empty on the last page
};

// How many requests there are, as the inbox tabs and the dashboard show them.
struct RequestCounts {
  std::map<std::string, std::int64_t> by_status;  // every status name, 0 when none
  std::int64_t open = 0;                          // not closed
  std::int64_t overdue = 0;                       // not closed, due before now
  std::int64_t due_this_week = 0;                 // not closed, due in the next 7 days
  // Per type key, the median of (close time - received time) in days, over the requests
  // closed in the last 90 days (close time: updated_at of a closed request). Types with no
  // such request are absent.
  std::map<std::string, double> median_days_to_close;
};

// Lower-cases and trims an email address; returns nullopt if it is not a plausible
// address (one '@', a dot in the domain, no spaces or control characters, <= 254 bytes).
std::optional<std::string> NormalizeEmail(std::string_view raw);

}  // namespace rd::core
