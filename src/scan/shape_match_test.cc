// The hand-written matchers against RE2 itself: for random strings of the bytes the patterns
// care about and random search ranges, MatchShape must give exactly the candidate RE2's
// extract pattern gives (group 1 of its leftmost-first match), or none when RE2 has none.
#include "scan/shape_match.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <algorithm>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace rd::scan {
namespace {

struct Answer {
  bool found = false;
  std::size_t begin = 0;
  std::size_t end = 0;
  bool operator==(const Answer&) const = default;
  friend void PrintTo(const Answer& a, std::ostream* os) {
    *os << (a.found ? "[" + std::to_string(a.begin) + ", " + std::to_string(a.end) + ")" : "none");
  }
};

Answer ByRe2(const RE2& re, std::string_view text, std::size_t pos, std::size_t to) {
  re2::StringPiece groups[2];
  Answer a;
  if (re.Match(re2::StringPiece(text.data(), text.size()), pos, to, RE2::UNANCHORED, groups, 2)) {
    a.found = true;
    a.begin = static_cast<std::size_t>(groups[1].data() - text.data());
    a.end = a.begin + groups[1].size();
  }
  return a;
}

Answer ByHand(Detector d, std::string_view text, std::size_t pos, std::size_t to) {
  Answer a;
  a.found = MatchShape(d, text, pos, to, a.begin, a.end);
  if (!a.found) a.begin = a.end = 0;
  return a;
}

std::string Show(std::string_view text, std::size_t pos, std::size_t to, const Answer& a) {
  return "text \"" + std::string(text) + "\" [" + std::to_string(pos) + ", " + std::to_string(to) +
         ") -> " +
         (a.found ? "[" + std::to_string(a.begin) + ", " + std::to_string(a.end) + ")" : "none");
}

constexpr Detector kShaped[] = {Detector::kPhone,      Detector::kCard,     Detector::kSsn,
                                Detector::kIpv4,       Detector::kDate,     Detector::kNhs,
                                Detector::kSin,        Detector::kSteuerId, Detector::kNifNie,
                                Detector::kPostalCode, Detector::kIban,     Detector::kEmail,
                                Detector::kStreet};

TEST(ShapeMatchTest, OnlyTheFixedShapesHaveAMatcher) {
  for (const Detector d : kShaped) EXPECT_TRUE(HasShapeMatcher(d)) << DetectorName(d);
  for (const Detector d : {Detector::kIpv6}) {
    EXPECT_FALSE(HasShapeMatcher(d)) << DetectorName(d);
  }
}

// Values of the detectors' shapes, the seeds of near misses.
const char* const kShapes[] = {"+1 (415) 555-2671",
                               "4111 1111 1111 1111",
                               "5500-0000-0000-0004",
                               "123-45-6789",
                               "10.0.0.1",
                               "192.168.100.200",
                               "2024-05-12",
                               "12/03/1990",
                               "12.03.1990",
                               "943 476 5919",
                               "046 454 286",
                               "X1234567-L",
                               "12345678Z",
                               "86 095 742 719",
                               "SW1A 1AA",
                               "A1B 2C3",
                               "12345-6789",
                               "M1 1AE",
                               "DE89 3704 0044 0532 0130 00",
                               "GB82WEST12345698765432",
                               "GB82 WEST 1234 5698 7654 32",
                               "anna.smith@example.com",
                               "m_g%1+x@mail.example.co.uk",
                               "a@b.c.d.e.f.g.h.i.j.k",
                               "12 Main Street",
                               "4b Baker St.",
                               "1600 Pennsylvania Avenue NW",
                               "Hauptstra\xc3\x9f"
                               "e 12a",
                               "Lindenallee 5",
                               "K\xc3\xb6nigsweg 123",
                               "Am Ring 7",
                               "Xweg 12",
                               "Aring 5"};

TEST(ShapeMatchTest, SameCandidatesAsRe2OnRandomStrings) {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  // Runs of 1 to 9 digits (mostly 1 to 4) between single bytes the patterns read (separators,
  // letters of the left and right context classes, a line feed, a 0 byte).
  const std::string others = std::string("  --..//()+XYzABCQae\n:@@_%") + std::string(1, '\0');
  for (const Detector d : kShaped) {
    const RE2 re(std::string(ExtractPattern(d)), options);
    ASSERT_TRUE(re.ok()) << re.error();
    std::mt19937_64 rng(static_cast<std::uint64_t>(d) + 2026);
    int found = 0;
    for (int trial = 0; trial < 60000; ++trial) {
      std::string text;
      // One string in eight up to 400 bytes, with IBAN-like and email-like runs: the patterns'
      // bounds (64 and 63 bytes, eight groups) are reached.
      const bool long_text = trial % 8 == 0;
      const std::size_t length = rng() % (long_text ? 400 : 40);
      while (text.size() < length) {
        const auto r = rng() % 8;
        if (long_text && r == 7) {
          // An IBAN-like run of groups or an email-like run of labels, of random lengths.
          const auto some = [&](std::string_view from, std::size_t count) {
            for (; count > 0; --count) text.push_back(from[rng() % from.size()]);
          };
          if (rng() % 2) {
            some("ABCDEFGHIJ", 2);
            some("0123456789", 2);
            for (int g = static_cast<int>(rng() % 11); g > 0; --g) {
              if (rng() % 2) text.push_back(' ');
              some("ABCDEFGHIJ0123456789", 1 + rng() % 5);
            }
          } else {
            some("a.b-c_d%e+f", 1 + rng() % (rng() % 2 ? 8 : 70));
            text.push_back('@');
            for (int label = static_cast<int>(rng() % 11); label >= 0; --label) {
              some("abcdefghij-", 1 + rng() % (rng() % 2 ? 8 : 70));
              if (label > 0) text.push_back('.');
            }
          }
          continue;
        }
        if (r == 6 && rng() % 2) {
          // Address-like: a number, maybe a letter, words (street words among them), German
          // street names, separated by one space mostly.
          static const char* const kWords[] = {"Main",
                                               "st",
                                               "St.",
                                               "Street",
                                               "O'Neil",
                                               "road",
                                               "Rd",
                                               "x",
                                               "Way",
                                               "ave",
                                               "Ave.",
                                               "streets",
                                               "st_",
                                               "St1",
                                               "Lindenallee",
                                               "Hauptstra\xc3\x9f"
                                               "e",
                                               "weg",
                                               "ring",
                                               "Ring",
                                               "K\xc3\xb6nigsweg",
                                               "Gasse",
                                               "Kurzgasse",
                                               "a.b",
                                               "BLVD"};
          for (int k = 1 + static_cast<int>(rng() % 7); k > 0; --k)
            text.push_back('0' + rng() % 10);
          if (rng() % 4 == 0) text.push_back('b');
          for (int w = static_cast<int>(rng() % 7); w > 0; --w) {
            text += rng() % 8 == 0 ? (rng() % 2 ? "  " : ", ") : " ";
            text += kWords[rng() % std::size(kWords)];
          }
          if (rng() % 2) text += rng() % 2 ? " 12" : " 7a";
          continue;
        }
        if (r < 2) {
          // A value of some detector's shape, with up to two bytes changed, removed or added.
          std::string piece = kShapes[rng() % std::size(kShapes)];
          for (int k = static_cast<int>(rng() % 3); k > 0 && !piece.empty(); --k) {
            const std::size_t at = rng() % piece.size();
            const char c = rng() % 2 ? others[rng() % others.size()] : '0' + rng() % 10;
            switch (rng() % 3) {
              case 0:
                piece[at] = c;
                break;
              case 1:
                piece.erase(at, 1);
                break;
              default:
                piece.insert(at, 1, c);
            }
          }
          text += piece;
        } else if (r < 5) {
          const int run = 1 + static_cast<int>(rng() % 2 ? rng() % 4 : rng() % 9);
          for (int k = run; k > 0; --k) text.push_back('0' + rng() % 10);
        } else {
          text.push_back(others[rng() % others.size()]);
        }
      }
      const std::size_t to = rng() % 2 ? text.size() : rng() % (text.size() + 1);
      // Every match of the range in turn, each search starting where the last candidate
      // ended, as ConfirmRange iterates.
      for (std::size_t pos = rng() % 3 == 0 ? 0 : rng() % (to + 1); pos < to;) {
        const Answer want = ByRe2(re, text, pos, to);
        const Answer got = ByHand(d, text, pos, to);
        ASSERT_EQ(got, want) << DetectorName(d) << ": RE2 " << Show(text, pos, to, want)
                             << ", by hand " << Show(text, pos, to, got);
        if (!want.found) break;
        ++found;
        pos = want.end;
      }
    }
    // The strings are dense enough that every pattern matches often.
    EXPECT_GT(found, 200) << DetectorName(d);
  }
}

// The street word tests against the list itself: every street word in any case, and random
// words of letters (near misses: one letter changed, one more, one less), read as the text
// scanner reads them (IsStreetWordBefore8: eight bytes from the word, whatever follows it).
TEST(ShapeMatchTest, StreetWordTestsAgreeWithTheList) {
  const auto listed = [](std::string word) {
    for (char& c : word) c = static_cast<char>(c | 0x20);
    return std::find(std::begin(kStreetWords), std::end(kStreetWords), word) !=
           std::end(kStreetWords);
  };
  std::mt19937 rng(11);
  std::vector<std::string> words;
  for (const std::string_view w : kStreetWords) {
    std::string word(w);
    for (int variant = 0; variant < 8; ++variant) {
      std::string v = word;
      for (char& c : v) c = rng() % 2 ? static_cast<char>(c & ~0x20) : c;
      words.push_back(v);
      std::string changed = v;
      changed[rng() % changed.size()] = static_cast<char>('a' + rng() % 26);
      words.push_back(changed);
      words.push_back(v + static_cast<char>('a' + rng() % 26));
      words.push_back(v.substr(0, v.size() - 1));
    }
  }
  for (int i = 0; i < 20000; ++i) {
    std::string w(1 + rng() % 10, 'a');
    for (char& c : w) c = static_cast<char>((rng() % 2 ? 'a' : 'A') + rng() % 26);
    words.push_back(w);
  }
  for (const std::string& w : words) {
    const std::string padded = w + " Main St 12345";  // what follows is read, not matched
    EXPECT_EQ(IsStreetWord(w.data(), w.size()), listed(w)) << w;
    EXPECT_EQ(IsStreetWordBefore8(padded.data(), w.size()), listed(w)) << w;
  }
}

TEST(ShapeMatchTest, KnownShapes) {
  const auto match = [](Detector d, std::string_view text) {
    std::size_t b = 0, e = 0;
    return MatchShape(d, text, 0, text.size(), b, e) ? std::string(text.substr(b, e - b))
                                                     : std::string("none");
  };
  EXPECT_EQ(match(Detector::kPhone, "call +1 (415) 555-2671 now"), "+1 (415) 555-2671");
  EXPECT_EQ(match(Detector::kCard, "card 4111 1111 1111 1111."), "4111 1111 1111 1111");
  EXPECT_EQ(match(Detector::kCard, "4111-1111-1111-1111-"), "none");
  EXPECT_EQ(match(Detector::kSsn, "ssn 123-45-6789"), "123-45-6789");
  EXPECT_EQ(match(Detector::kIpv4, "from 10.0.0.1:80"), "10.0.0.1");
  EXPECT_EQ(match(Detector::kIpv4, "1.2.3.4.5"), "none");
  EXPECT_EQ(match(Detector::kDate, "born 12.03.1990"), "12.03.1990");
  EXPECT_EQ(match(Detector::kNifNie, "X1234567-L"), "X1234567-L");
  EXPECT_EQ(match(Detector::kPostalCode, "SW1A 1AA"), "SW1A 1AA");
  EXPECT_EQ(match(Detector::kPostalCode, "12345-6789x"), "12345");  // '-' ends it
  EXPECT_EQ(match(Detector::kPostalCode, "12345-6789a 12345-67"), "12345");
  EXPECT_EQ(match(Detector::kSteuerId, "86 095 742 719"), "86 095 742 719");
  EXPECT_EQ(match(Detector::kIban, "iban DE89 3704 0044 0532 0130 00."),
            "DE89 3704 0044 0532 0130 00");
  EXPECT_EQ(match(Detector::kEmail, "mail <anna.smith@example.com>"), "anna.smith@example.com");
  EXPECT_EQ(match(Detector::kStreet, "at 221b Baker St. London"), "221b Baker St.");
  EXPECT_EQ(match(Detector::kStreet, "at 12 Main Street Apt 4"), "12 Main Street");
  EXPECT_EQ(match(Detector::kStreet,
                  "Hauptstra\xc3\x9f"
                  "e 12a, Berlin"),
            "Hauptstra\xc3\x9f"
            "e 12a");
  EXPECT_EQ(match(Detector::kStreet, "123456 Main St"), "23456 Main St");
}

}  // namespace
}  // namespace rd::scan
