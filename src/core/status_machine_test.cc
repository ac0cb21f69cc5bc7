#include "core/status_machine.h"

#include <gtest/gtest.h>

#include <set>
#include <tuple>

namespace rd::core {
namespace {

constexpr RequestStatus kStatuses[] = {RequestStatus::kUnverified, RequestStatus::kReview,
                                       RequestStatus::kProcess, RequestStatus::kReply,
                                       RequestStatus::kClosed};
constexpr RequestAction kActions[] = {
    RequestAction::kVerify,        RequestAction::kContinue, RequestAction::kReject,
    RequestAction::kTasksFinished, RequestAction::kClose,    RequestAction::kExpire,
    RequestAction::kWithdraw,      RequestAction::kExtend,   RequestAction::kHold,
    RequestAction::kRelease,       RequestAction::kAssign};
constexpr Actor kActors[] = {Actor::kSubject, Actor::kAgent, Actor::kSystem, Actor::kVendor};

using S = RequestStatus;
using A = RequestAction;

// The legal moves, written out from PRODUCT.md §1 independently of the implementation.
struct Legal {
  S from;
  A action;
  Actor actor;
  S to;
  std::optional<Outcome> outcome;
};
const Legal kLegal[] = {
    {S::kUnverified, A::kVerify, Actor::kSubject, S::kReview, std::nullopt},
    {S::kReview, A::kContinue, Actor::kAgent, S::kProcess, std::nullopt},
    {S::kReview, A::kReject, Actor::kAgent, S::kReply, Outcome::kRejected},
    {S::kProcess, A::kTasksFinished, Actor::kSystem, S::kReply, std::nullopt},
    {S::kReply, A::kClose, Actor::kAgent, S::kClosed, std::nullopt},
    {S::kUnverified, A::kExpire, Actor::kSystem, S::kClosed, Outcome::kUnverified},
    {S::kUnverified, A::kWithdraw, Actor::kSubject, S::kClosed, Outcome::kWithdrawn},
    {S::kReview, A::kWithdraw, Actor::kSubject, S::kClosed, Outcome::kWithdrawn},
    {S::kProcess, A::kWithdraw, Actor::kSubject, S::kClosed, Outcome::kWithdrawn},
    {S::kReply, A::kWithdraw, Actor::kSubject, S::kClosed, Outcome::kWithdrawn},
    {S::kUnverified, A::kExtend, Actor::kAgent, S::kUnverified, std::nullopt},
    {S::kReview, A::kExtend, Actor::kAgent, S::kReview, std::nullopt},
    {S::kProcess, A::kExtend, Actor::kAgent, S::kProcess, std::nullopt},
    {S::kReply, A::kExtend, Actor::kAgent, S::kReply, std::nullopt},
    {S::kReview, A::kHold, Actor::kAgent, S::kReview, std::nullopt},
    {S::kProcess, A::kHold, Actor::kAgent, S::kProcess, std::nullopt},
    {S::kReply, A::kHold, Actor::kAgent, S::kReply, std::nullopt},
    {S::kReview, A::kRelease, Actor::kAgent, S::kReview, std::nullopt},
    {S::kProcess, A::kRelease, Actor::kAgent, S::kProcess, std::nullopt},
    {S::kReply, A::kRelease, Actor::kAgent, S::kReply, std::nullopt},
    {S::kUnverified, A::kAssign, Actor::kAgent, S::kUnverified, std::nullopt},
    {S::kReview, A::kAssign, Actor::kAgent, S::kReview, std::nullopt},
    {S::kProcess, A::kAssign, Actor::kAgent, S::kProcess, std::nullopt},
    {S::kReply, A::kAssign, Actor::kAgent, S::kReply, std::nullopt},
};

TEST(StatusMachine, EveryLegalMoveLandsWhereTheSpecSays) {
  for (const Legal& l : kLegal) {
    auto t = Apply(l.from, l.action, l.actor);
    ASSERT_TRUE(t) << RequestStatusName(l.from) << " " << RequestActionName(l.action) << ": "
                   << t.error().message;
    EXPECT_EQ(t->to, l.to);
    EXPECT_EQ(t->outcome, l.outcome);
  }
}

TEST(StatusMachine, EveryOtherMoveIsRefused) {
  std::set<std::tuple<S, A, Actor>> legal;
  for (const Legal& l : kLegal) legal.insert({l.from, l.action, l.actor});
  int refused = 0;
  for (S from : kStatuses) {
    for (A action : kActions) {
      for (Actor actor : kActors) {
        if (legal.count({from, action, actor}) != 0) continue;
        auto t = Apply(from, action, actor);
        EXPECT_FALSE(t) << RequestStatusName(from) << " " << RequestActionName(action);
        if (!t) {
          EXPECT_TRUE(t.error().code == Errc::kConflict ||
                      t.error().code == Errc::kPermissionDenied);
          EXPECT_FALSE(t.error().message.empty());
          ++refused;
        }
      }
    }
  }
  EXPECT_EQ(refused, 5 * 11 * 4 - static_cast<int>(std::size(kLegal)));
}

TEST(StatusMachine, ClosedRequestsAreReadOnly) {
  for (A action : kActions) {
    for (Actor actor : kActors) EXPECT_FALSE(Apply(S::kClosed, action, actor));
  }
  EXPECT_FALSE(IsOpen(S::kClosed));
  EXPECT_TRUE(IsOpen(S::kReply));
}

TEST(StatusMachine, WrongStatusSaysWhichStatus) {
  auto t = Apply(S::kProcess, A::kContinue, Actor::kAgent);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, Errc::kConflict);
  EXPECT_EQ(t.error().message, "cannot continue a request in status process");
}

TEST(StatusMachine, WrongActorIsPermissionDenied) {
  auto t = Apply(S::kReview, A::kContinue, Actor::kSubject);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code, Errc::kPermissionDenied);
  EXPECT_FALSE(Apply(S::kUnverified, A::kVerify, Actor::kAgent));
  EXPECT_FALSE(Apply(S::kReview, A::kWithdraw, Actor::kVendor));
}

}  // namespace
}  // namespace rd::core
