#include "core/status_machine.h"

#include <string>
#include <vector>

namespace rd::core {
namespace {

constexpr unsigned Mask(std::initializer_list<RequestStatus> statuses) {
  unsigned m = 0;
  for (RequestStatus s : statuses) m |= 1u << static_cast<unsigned>(s);
  return m;
}

struct Rule {
  RequestAction action;
  Actor actor;
  unsigned from;                    // Mask() of the statuses the action is allowed from
  std::optional<RequestStatus> to;  // empty: the status stays
  std::optional<Outcome> outcome;
};

constexpr RequestStatus kUnverified = RequestStatus::kUnverified;
constexpr RequestStatus kReview = RequestStatus::kReview;
constexpr RequestStatus kProcess = RequestStatus::kProcess;
constexpr RequestStatus kReply = RequestStatus::kReply;
constexpr RequestStatus kClosed = RequestStatus::kClosed;

const std::vector<Rule>& Rules() {
  static const std::vector<Rule> kRules = {
      {RequestAction::kVerify, Actor::kSubject, Mask({kUnverified}), kReview, std::nullopt},
      {RequestAction::kContinue, Actor::kAgent, Mask({kReview}), kProcess, std::nullopt},
      {RequestAction::kReject, Actor::kAgent, Mask({kReview}), kReply, Outcome::kRejected},
      {RequestAction::kTasksFinished, Actor::kSystem, Mask({kProcess}), kReply, std::nullopt},
      {RequestAction::kClose, Actor::kAgent, Mask({kReply}), kClosed, std::nullopt},
      {RequestAction::kExpire, Actor::kSystem, Mask({kUnverified}), kClosed, Outcome::kUnverified},
      {RequestAction::kWithdraw, Actor::kSubject, Mask({kUnverified, kReview, kProcess, kReply}),
       kClosed, Outcome::kWithdrawn},
      {RequestAction::kExtend, Actor::kAgent, Mask({kUnverified, kReview, kProcess, kReply}),
       std::nullopt, std::nullopt},
      {RequestAction::kHold, Actor::kAgent, Mask({kReview, kProcess, kReply}), std::nullopt,
       std::nullopt},
      {RequestAction::kRelease, Actor::kAgent, Mask({kReview, kProcess, kReply}), std::nullopt,
       std::nullopt},
      {RequestAction::kAssign, Actor::kAgent, Mask({kUnverified, kReview, kProcess, kReply}),
       std::nullopt, std::nullopt},
  };
  return kRules;
}

const char* ActorName(Actor a) {
  switch (a) {
    case Actor::kSubject:
      return "the subject";
    case Actor::kAgent:
      return "an agent";
    case Actor::kSystem:
      return "the system";
    case Actor::kVendor:
      return "a vendor";
  }
  return "someone";
}

}  // namespace

const char* RequestActionName(RequestAction a) {
  switch (a) {
    case RequestAction::kVerify:
      return "verify";
    case RequestAction::kContinue:
      return "continue";
    case RequestAction::kReject:
      return "reject";
    case RequestAction::kTasksFinished:
      return "finish the tasks of";
    case RequestAction::kClose:
      return "reply to and close";
    case RequestAction::kExpire:
      return "expire";
    case RequestAction::kWithdraw:
      return "withdraw";
    case RequestAction::kExtend:
      return "extend";
    case RequestAction::kHold:
      return "put on hold";
    case RequestAction::kRelease:
      return "release from hold";
    case RequestAction::kAssign:
      return "assign";
  }
  return "change";
}

bool IsOpen(RequestStatus s) { return s != RequestStatus::kClosed; }

Result<Transition> Apply(RequestStatus from, RequestAction action, Actor actor) {
  for (const Rule& rule : Rules()) {
    if (rule.action != action) continue;
    if (rule.actor != actor) {
      return Fail(Errc::kPermissionDenied, std::string(ActorName(actor)) + " may not " +
                                               RequestActionName(action) + " a request");
    }
    if ((rule.from & (1u << static_cast<unsigned>(from))) != 0) {
      return Transition{rule.to.value_or(from), rule.outcome};
    }
    return Fail(Errc::kConflict, std::string("cannot ") + RequestActionName(action) +
                                     " a request in status " + RequestStatusName(from));
  }
  return Fail(Errc::kInternal, "unknown action");
}

}  // namespace rd::core
