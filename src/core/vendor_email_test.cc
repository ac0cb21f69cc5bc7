#include "core/vendor_email.h"

#include <gtest/gtest.h>

namespace rd::core {
namespace {

TEST(CorrectionsText, FreeTextIsShownAsWritten) {
  EXPECT_EQ(CorrectionsText("\"My name is \\\"Ana\\\"\\nnot Anna\""),
            "My name is \"Ana\"\nnot Anna");
}

TEST(CorrectionsText, AnObjectIsOneLinePerField) {
  EXPECT_EQ(CorrectionsText("{\"name\":\"Ana Example\", \"city\" : \"M\\u00fcnchen\"}"),
            "    name: Ana Example\n    city: M\xC3\xBCnchen");
  EXPECT_EQ(CorrectionsText("{\"emoji\":\"\\ud83d\\ude00\"}"), "    emoji: \xF0\x9F\x98\x80");
  EXPECT_EQ(CorrectionsText("{}"), "");
}

TEST(CorrectionsText, AnythingElseIsShownAsItIs) {
  EXPECT_EQ(CorrectionsText("{\"name\": 3}"), "{\"name\": 3}");
  EXPECT_EQ(CorrectionsText("\"unterminated"), "\"unterminated");
  EXPECT_EQ(CorrectionsText("plain"), "plain");
}

TEST(VendorAction, SaysWhatToDoPerType) {
  PrivacyRequest q;
  q.type = RequestType::kDoNotMail;
  EXPECT_NE(VendorAction(q).find("stop sending marketing"), std::string::npos);
  q.type = RequestType::kRightToEdit;
  EXPECT_NE(VendorAction(q).find("as listed below"), std::string::npos);
  q.type = RequestType::kCustom;
  EXPECT_EQ(VendorAction(q), "act on the request described below");
}

}  // namespace
}  // namespace rd::core
