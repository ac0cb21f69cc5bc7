#pragma once

#include <optional>

#include "core/privacy_request.h"
#include "core/result.h"

namespace rd::core {

// What can happen to a request (PRODUCT.md §1):
//
//   unverified ──verify──▶ review ──continue──▶ process ──tasks finished──▶ reply ──close──▶ closed
//        │                   └──reject (reason)─────────────────────────────▲
//        └──expire──▶ closed (outcome unverified)
//   withdraw: any open status ──▶ closed (outcome withdrawn)
//
// Extend, hold, release and assign keep the status; they are refused on closed requests.
enum class RequestAction {
  kVerify,         // the subject proved control of the email address
  kContinue,       // an agent chose the data sources; tasks are created
  kReject,         // an agent rejected the request with a reason
  kTasksFinished,  // every task is done, skipped or failed-and-acknowledged
  kClose,          // an agent sent the reply ("Reply & close")
  kExpire,         // verification was never completed in time
  kWithdraw,       // the subject withdrew the request
  kExtend,         // the due date moved by the jurisdiction's extension
  kHold,           // put on hold with a reason
  kRelease,        // taken off hold
  kAssign,         // given to an agent
};

// Who acts. Agents are users with the agent or admin role; viewers never change requests.
enum class Actor { kSubject, kAgent, kSystem, kVendor };

const char* RequestActionName(RequestAction a);

struct Transition {
  RequestStatus to;
  std::optional<Outcome> outcome;  // set when the transition decides the outcome
};

// The status after `action` by `actor` on a request in `from`, or kConflict (wrong status)
// or kPermissionDenied (that actor may not do it) with a message that says why.
[[nodiscard]] Result<Transition> Apply(RequestStatus from, RequestAction action, Actor actor);

// True for every status but closed.
bool IsOpen(RequestStatus s);

}  // namespace rd::core
