#include "core/privacy_request.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace rd::core {
namespace {

TEST(RequestEnums, EveryTypeRoundTrips) {
  std::set<std::string> names;
  for (RequestType t : {RequestType::kDeletion, RequestType::kCopy, RequestType::kDoNotSell,
                        RequestType::kDoNotMail, RequestType::kRightToEdit}) {
    const std::string name = RequestTypeName(t);
    names.insert(name);
    EXPECT_EQ(ParseRequestType(name), t) << name;
  }
  EXPECT_EQ(names, (std::set<std::string>{"deletion", "copy", "do_not_sell", "do_not_mail",
                                          "right_to_edit"}));
}

TEST(RequestEnums, EveryStatusRoundTrips) {
  std::set<std::string> names;
  for (RequestStatus s : {RequestStatus::kUnverified, RequestStatus::kReview,
                          RequestStatus::kProcess, RequestStatus::kReply, RequestStatus::kClosed}) {
    const std::string name = RequestStatusName(s);
    names.insert(name);
    EXPECT_EQ(ParseRequestStatus(name), s) << name;
  }
  EXPECT_EQ(names, (std::set<std::string>{"unverified", "review", "process", "reply", "closed"}));
}

TEST(RequestEnums, EveryOutcomeRoundTrips) {
  std::set<std::string> names;
  for (Outcome o : {Outcome::kFulfilled, Outcome::kPartiallyFulfilled, Outcome::kRejected,
                    Outcome::kUnverified, Outcome::kWithdrawn}) {
    const std::string name = OutcomeName(o);
    names.insert(name);
    EXPECT_EQ(ParseOutcome(name), o) << name;
  }
  EXPECT_EQ(names, (std::set<std::string>{"fulfilled", "partially_fulfilled", "rejected",
                                          "unverified", "withdrawn"}));
}

TEST(RequestEnums, EveryChannelRoundTrips) {
  std::set<std::string> names;
  for (Channel c : {Channel::kPrivacyCenter, Channel::kManual, Channel::kApi,
                    Channel::kAuthorizedAgent, Channel::kGpc}) {
    const std::string name = ChannelName(c);
    names.insert(name);
    EXPECT_EQ(ParseChannel(name), c) << name;
  }
  EXPECT_EQ(names,
            (std::set<std::string>{"privacy_center", "manual", "api", "authorized_agent", "gpc"}));
}

TEST(RequestEnums, UnknownNamesAreRejected) {
  for (const char* s :
       {"", "Deletion", "DELETION", "delete", " deletion", "deletion ", "unknown"}) {
    EXPECT_FALSE(ParseRequestType(s).has_value()) << "'" << s << "'";
  }
  for (const char* s : {"", "Review", "open", "done", "unknown"}) {
    EXPECT_FALSE(ParseRequestStatus(s).has_value()) << "'" << s << "'";
  }
  for (const char* s : {"", "Fulfilled", "partial", "unknown"}) {
    EXPECT_FALSE(ParseOutcome(s).has_value()) << "'" << s << "'";
  }
  for (const char* s : {"", "email", "API", "unknown"}) {
    EXPECT_FALSE(ParseChannel(s).has_value()) << "'" << s << "'";
  }
}

TEST(NormalizeEmail, LowerCasesAndTrims) {
  EXPECT_EQ(NormalizeEmail("  Ana.Smith@Example.COM \t\n"), "ana.smith@example.com");
  EXPECT_EQ(NormalizeEmail("bob+tag@mail.example.co.uk"), "bob+tag@mail.example.co.uk");
  EXPECT_EQ(NormalizeEmail("a@b.co"), "a@b.co");
}

TEST(NormalizeEmail, IsIdempotent) {
  const auto once = NormalizeEmail(" MiXeD@Case.Example ");
  ASSERT_TRUE(once.has_value());
  EXPECT_EQ(NormalizeEmail(*once), once);
}

TEST(NormalizeEmail, RejectsEmptyInput) {
  EXPECT_FALSE(NormalizeEmail("").has_value());
  EXPECT_FALSE(NormalizeEmail("   ").has_value());
}

TEST(NormalizeEmail, RejectsWithoutAt) {
  EXPECT_FALSE(NormalizeEmail("ana.example.com").has_value());
}

TEST(NormalizeEmail, RejectsTwoAts) {
  EXPECT_FALSE(NormalizeEmail("ana@smith@example.com").has_value());
}

TEST(NormalizeEmail, RejectsEmptyLocalPart) {
  EXPECT_FALSE(NormalizeEmail("@example.com").has_value());
}

TEST(NormalizeEmail, RejectsDomainWithoutDot) {
  EXPECT_FALSE(NormalizeEmail("ana@localhost").has_value());
  EXPECT_FALSE(NormalizeEmail("ana@").has_value());
}

TEST(NormalizeEmail, RejectsBadlyPlacedDotsInDomain) {
  EXPECT_FALSE(NormalizeEmail("ana@.example.com").has_value());
  EXPECT_FALSE(NormalizeEmail("ana@example.com.").has_value());
  EXPECT_FALSE(NormalizeEmail("a@b..c").has_value());
}

TEST(NormalizeEmail, RejectsSpacesInside) {
  EXPECT_FALSE(NormalizeEmail("ana smith@example.com").has_value());
  EXPECT_FALSE(NormalizeEmail("ana@exa mple.com").has_value());
}

TEST(NormalizeEmail, RejectsControlCharacters) {
  EXPECT_FALSE(NormalizeEmail("ana\x01@example.com").has_value());
  EXPECT_FALSE(NormalizeEmail("ana@exam\x7fple.com").has_value());
  EXPECT_FALSE(NormalizeEmail(std::string("ana\0x@example.com", 17)).has_value());
  EXPECT_FALSE(NormalizeEmail("ana\r\nBcc: x@example.com").has_value());
}

TEST(NormalizeEmail, RejectsHeaderSpecials) {
  EXPECT_FALSE(NormalizeEmail("<ana@example.com>").has_value());
  EXPECT_FALSE(NormalizeEmail("ana@example.com,bob@example.com").has_value());
  EXPECT_FALSE(NormalizeEmail("\"ana\"@example.com").has_value());
}

TEST(NormalizeEmail, AcceptsUpTo254Bytes) {
  const std::string domain = "@example.com";  // 12 bytes
  const std::string at_limit = std::string(254 - domain.size(), 'a') + domain;
  ASSERT_EQ(at_limit.size(), 254u);
  EXPECT_EQ(NormalizeEmail(at_limit), at_limit);
  EXPECT_FALSE(NormalizeEmail("b" + at_limit).has_value());
  // Surrounding whitespace does not count towards the limit.
  EXPECT_EQ(NormalizeEmail("  " + at_limit + "  "), at_limit);
}

}  // namespace
}  // namespace rd::core
