// RequestService listing: search by email or reference, keyset pages, filters.
#include <gtest/gtest.h>

#include "core/request_service_test_fixture.h"

namespace rd::core {
namespace {

using namespace rd::core::testing;  // NOLINT(google-build-using-namespace)

TEST_F(RequestServiceTest, SearchByEmailIgnoresCase) {
  const PrivacyRequest ana = Create(Valid("Ana@Example.com"));
  Create(Valid("bob@example.com"));
  for (const char* q : {"ana@example.com", "ANA@EXAMPLE.COM", "  Ana@example.Com  "}) {
    const auto found = ListAll(RequestQuery{}, q);
    ASSERT_EQ(found.size(), 1u) << q;
    EXPECT_EQ(found[0].id, ana.id) << q;
  }
  EXPECT_TRUE(ListAll(RequestQuery{}, "carla@example.com").empty());
}

TEST_F(RequestServiceTest, SearchByEmailFindsEveryRequestOfThatSubject) {
  const PrivacyRequest first = Create(Valid("ana@example.com"));
  NewRequest copy = Valid("ANA@example.com");
  copy.type = "copy";
  const PrivacyRequest second = Create(copy);
  Create(Valid("bob@example.com"));
  EXPECT_EQ(Ids(ListAll(RequestQuery{}, "ana@example.com")),
            (std::set<std::string>{first.id, second.id}));
}

TEST_F(RequestServiceTest, SearchByReference) {
  const PrivacyRequest ana = Create(Valid("ana@example.com"));
  Create(Valid("bob@example.com"));
  auto found = ListAll(RequestQuery{}, ana.reference);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, ana.id);

  std::string lower = ana.reference;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  found = ListAll(RequestQuery{}, lower);
  ASSERT_EQ(found.size(), 1u) << lower;
  EXPECT_EQ(found[0].id, ana.id);

  EXPECT_TRUE(ListAll(RequestQuery{}, "RD-0000-0000").empty());
}

TEST_F(RequestServiceTest, SearchThatIsNeitherEmailNorReferenceIsRejected) {
  Create(Valid());
  for (const char* q : {"ana", "Ana Example", "555-0134", "ana@example"}) {
    auto page = requests_->List(RequestQuery{}, q);
    ASSERT_FALSE(page) << q;
    EXPECT_EQ(page.error().code, Errc::kInvalidArgument) << q;
    EXPECT_TRUE(StartsWith(page.error().message, "q:")) << page.error().message;
  }
}

// --- paging -----------------------------------------------------------------------------

TEST_F(RequestServiceTest, PagesReturnEveryRequestOnceInDueOrder) {
  // Mixed jurisdictions so that creation order is not due order, with ties on due_at
  // (default and gdpr are both 30 days from 2 November).
  std::set<std::string> created;
  for (const char* j : {"ccpa", "default", "lgpd", "gdpr", "default"}) {
    NewRequest in = Valid();
    in.jurisdiction = j;
    created.insert(Create(in).id);
  }
  ASSERT_EQ(created.size(), 5u);

  RequestQuery q;
  q.limit = 2;
  std::vector<PrivacyRequest> seen;
  std::vector<std::size_t> page_sizes;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = requests_->List(q, "");
    ASSERT_TRUE(page) << page.error().message;
    page_sizes.push_back(page->items.size());
    seen.insert(seen.end(), page->items.begin(), page->items.end());
    if (page->next_cursor.empty()) break;
    q.cursor = page->next_cursor;
  }
  EXPECT_EQ(page_sizes, (std::vector<std::size_t>{2, 2, 1}));
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(Ids(seen), created);
  for (std::size_t i = 1; i < seen.size(); ++i) {
    EXPECT_LE(seen[i - 1].due_at, seen[i].due_at) << i;
    if (seen[i - 1].due_at == seen[i].due_at) {
      EXPECT_LT(seen[i - 1].id, seen[i].id) << i;
    }
  }
  EXPECT_EQ(seen.front().jurisdiction, "lgpd");
  EXPECT_EQ(seen.back().jurisdiction, "ccpa");
}

TEST_F(RequestServiceTest, ExactlyFullLastPageHasNoCursor) {
  for (int i = 0; i < 4; ++i) Create(Valid());
  RequestQuery q;
  q.limit = 2;
  auto first = requests_->List(q, "");
  ASSERT_TRUE(first);
  ASSERT_FALSE(first->next_cursor.empty());
  q.cursor = first->next_cursor;
  auto second = requests_->List(q, "");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->items.size(), 2u);
  EXPECT_TRUE(second->next_cursor.empty());
}

TEST_F(RequestServiceTest, LimitIsClampedToAtLeastOne) {
  Create(Valid());
  Create(Valid());
  RequestQuery q;
  q.limit = 0;
  auto page = requests_->List(q, "");
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->items.size(), 1u);
  EXPECT_FALSE(page->next_cursor.empty());
}

TEST_F(RequestServiceTest, BadCursorIsRejected) {
  Create(Valid());
  for (const char* cursor :
       {"garbage", "123.", ".req_1", "abc.req_1", "12x.req_1", "123.req_1' OR '1'='1"}) {
    RequestQuery q;
    q.cursor = cursor;
    auto page = requests_->List(q, "");
    ASSERT_FALSE(page) << cursor;
    EXPECT_EQ(page.error().code, Errc::kInvalidArgument) << cursor;
    EXPECT_TRUE(StartsWith(page.error().message, "cursor:")) << page.error().message;
  }
}

// --- filters ----------------------------------------------------------------------------

TEST_F(RequestServiceTest, FiltersByStatus) {
  NewRequest in = Valid();
  const PrivacyRequest unverified = Create(in);
  in.skip_verification = true;
  const PrivacyRequest review = Create(in);
  RequestQuery q;
  q.status = RequestStatus::kReview;
  EXPECT_EQ(Ids(ListAll(q)), (std::set<std::string>{review.id}));
  q.status = RequestStatus::kUnverified;
  EXPECT_EQ(Ids(ListAll(q)), (std::set<std::string>{unverified.id}));
  q.status = RequestStatus::kClosed;
  EXPECT_TRUE(ListAll(q).empty());
}

TEST_F(RequestServiceTest, FiltersByType) {
  NewRequest in = Valid();
  const PrivacyRequest deletion = Create(in);
  in.type = "copy";
  const PrivacyRequest copy = Create(in);
  RequestQuery q;
  q.type = "copy";
  EXPECT_EQ(Ids(ListAll(q)), (std::set<std::string>{copy.id}));
  q.type = "deletion";
  EXPECT_EQ(Ids(ListAll(q)), (std::set<std::string>{deletion.id}));
}

TEST_F(RequestServiceTest, FiltersByJurisdiction) {
  NewRequest in = Valid();
  in.jurisdiction = "ccpa";
  const PrivacyRequest ccpa = Create(in);
  in.jurisdiction = "gdpr";
  Create(in);
  RequestQuery q;
  q.jurisdiction = "ccpa";
  EXPECT_EQ(Ids(ListAll(q)), (std::set<std::string>{ccpa.id}));
}

TEST_F(RequestServiceTest, OverdueFilterFollowsTheClock) {
  NewRequest in = Valid();
  in.jurisdiction = "lgpd";  // 15 days
  const PrivacyRequest soon = Create(in);
  in.jurisdiction = "ccpa";  // 45 days
  const PrivacyRequest later = Create(in);
  RequestQuery q;
  q.overdue_only = true;
  EXPECT_TRUE(ListAll(q).empty());

  clock_.Advance(15 * kDay);  // due exactly now: not yet overdue
  EXPECT_TRUE(ListAll(q).empty());
  clock_.Advance(1);
  EXPECT_EQ(Ids(ListAll(q)), (std::set<std::string>{soon.id}));
  clock_.Advance(30 * kDay);
  EXPECT_EQ(Ids(ListAll(q)), (std::set<std::string>{soon.id, later.id}));
}

TEST_F(RequestServiceTest, FiltersCombine) {
  NewRequest in = Valid("ana@example.com");
  in.jurisdiction = "lgpd";
  const PrivacyRequest target = Create(in);
  in.type = "copy";
  Create(in);
  Create(Valid("bob@example.com"));
  clock_.Advance(16 * kDay);
  RequestQuery q;
  q.overdue_only = true;
  q.type = "deletion";
  EXPECT_EQ(Ids(ListAll(q, "ana@example.com")), (std::set<std::string>{target.id}));
}

// --- audit ------------------------------------------------------------------------------

// --- counts (inbox tabs, dashboard) ------------------------------------------------------

TEST_F(RequestServiceTest, CountsByStatusOverdueAndDueThisWeek) {
  auto empty = requests_->Counts();
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_EQ(empty->by_status.size(), 5u);
  EXPECT_EQ(empty->by_status.at("review"), 0);
  EXPECT_EQ(empty->open, 0);

  const auto in_review = [](const std::string& email, const std::string& jurisdiction) {
    NewRequest in = Valid(email);
    in.jurisdiction = jurisdiction;
    in.skip_verification = true;
    return in;
  };
  const PrivacyRequest soon = Create(in_review("ana@example.com", "lgpd"));  // due in 15 days
  Create(in_review("bob@example.com", "gdpr"));                              // due in a month
  Create(Valid("dora@example.com"));                                         // unverified
  const PrivacyRequest rejected = Create(in_review("carla@example.com", "gdpr"));
  auto moved = requests_->Reject(rejected.id, "no_match", "", "user:usr_test");
  ASSERT_TRUE(moved) << moved.error().message;

  auto now = requests_->Counts();
  ASSERT_TRUE(now) << now.error().message;
  EXPECT_EQ(now->by_status.at("review"), 2);
  EXPECT_EQ(now->by_status.at("reply"), 1);
  EXPECT_EQ(now->by_status.at("unverified"), 1);
  EXPECT_EQ(now->by_status.at("closed"), 0);
  EXPECT_EQ(now->open, 4);
  EXPECT_EQ(now->overdue, 0);
  EXPECT_EQ(now->due_this_week, 0);

  clock_.Set(soon.due_at - 2 * kDay);
  auto later = requests_->Counts();
  ASSERT_TRUE(later);
  EXPECT_EQ(later->due_this_week, 1);
  EXPECT_EQ(later->overdue, 0);

  clock_.Set(soon.due_at + kDay);
  auto overdue = requests_->Counts();
  ASSERT_TRUE(overdue);
  EXPECT_EQ(overdue->overdue, 1);
  EXPECT_EQ(overdue->open, 4);
}

}  // namespace
}  // namespace rd::core
