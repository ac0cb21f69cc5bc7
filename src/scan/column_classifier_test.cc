#include "scan/column_classifier.h"

#include <gtest/gtest.h>

namespace rd::scan {
namespace {

class ColumnClassifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = ValueDetectors::Create({});
    ASSERT_TRUE(d);
    detectors_ = std::move(*d);
    auto s = detectors_->NewScratch();
    ASSERT_TRUE(s);
    scratch_.emplace(std::move(*s));
    classifier_.emplace(*detectors_, FirstNames::Bundled());
  }
  std::string Category(const std::string& field, std::vector<std::string> values) {
    return classifier_->Classify({"t", field, "", std::move(values)}, *scratch_).category;
  }

  std::unique_ptr<ValueDetectors> detectors_;
  std::optional<ValueDetectors::Scratch> scratch_;
  std::optional<ColumnClassifier> classifier_;
};

TEST(NameTokensTest, SplitsSnakeAndCamelCase) {
  EXPECT_EQ(NameTokens("billingZipCode"), (std::vector<std::string>{"billing", "zip", "code"}));
  EXPECT_EQ(NameTokens("cc_num"), (std::vector<std::string>{"cc", "num"}));
}

TEST_F(ColumnClassifierTest, ValueDetectorsDecideWithoutAHint) {
  EXPECT_EQ(Category("contact", {"a@example.com", "b.c@example.org", "d@mail.example.net"}),
            "user.contact.email");
  EXPECT_EQ(Category("x", {"4111 1111 1111 1111", "5555 5555 5555 4444", "378282246310005"}),
            "user.financial.credit_card");
}

TEST_F(ColumnClassifierTest, WeakDetectorsNeedTheNameHint) {
  EXPECT_EQ(Category("created", {"1984-02-29", "1990-12-31"}), "");
  EXPECT_EQ(Category("dob", {"1984-02-29", "1990-12-31"}), "user.demographic.date_of_birth");
  EXPECT_EQ(Category("quantity", {"94103", "10001"}), "");
  EXPECT_EQ(Category("zip", {"94103", "10001"}), "user.contact.address.postal_code");
}

TEST_F(ColumnClassifierTest, HardNegativesStayNegative) {
  EXPECT_EQ(Category("name", {"Ultra Widget", "Steel Kettle", "Desk Lamp"}), "");
  EXPECT_EQ(Category("title", {"Senior Engineer", "Account Manager", "Director"}), "");
  EXPECT_EQ(Category("passport_office", {"London", "Paris"}), "");
  // Luhn decides: ten order numbers of card length, one passing by chance.
  EXPECT_EQ(Category("order_number", {"4000123412341234", "4000123412341235", "4000123412341236",
                                      "4000123412341237", "4000123412341238"}),
            "");
}

TEST_F(ColumnClassifierTest, NamesUsernamesAndPasswords) {
  EXPECT_EQ(Category("first_name", {"Anna", "James", "Zoltan"}), "user.name");
  EXPECT_EQ(Category("surname", {"Berg", "O'Brien", "García"}), "user.name");
  EXPECT_EQ(Category("name", {"Anna Berg", "James Smith", "Maria Lopez"}), "user.name");
  EXPECT_EQ(Category("username", {"anna_b", "jsmith42"}), "user.account.username");
  EXPECT_EQ(Category("password_hash", {"$argon2id$v=19$abc", "$2b$12$xyz"}),
            "user.authorization.password");
  EXPECT_EQ(Category("password_changed_at", {"2024-01-01"}), "");
}

}  // namespace
}  // namespace rd::scan
