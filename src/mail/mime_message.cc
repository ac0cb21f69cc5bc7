#include "mail/mime_message.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>

namespace rd::mail {
namespace {

constexpr std::size_t kMaxLine = 998;     // RFC 5322 2.1.1: MUST
constexpr std::size_t kFoldAt = 78;       // RFC 5322 2.1.1: SHOULD
constexpr std::size_t kQpLine = 76;       // RFC 2045 6.7 (5)
constexpr std::size_t kMaxAddress = 254;  // RFC 5321 4.5.3.1.3, less the brackets
constexpr std::size_t kWordBytes = 42;    // 56 base64 chars: "Subject: " + word <= 78
constexpr char kHex[] = "0123456789ABCDEF";

tl::unexpected<core::Error> Invalid(std::string message) {
  return core::Fail(core::Errc::kInvalidArgument, std::move(message));
}

bool IsAsciiControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t n = static_cast<unsigned char>(in[i]) << 16 |
                            static_cast<unsigned char>(in[i + 1]) << 8 |
                            static_cast<unsigned char>(in[i + 2]);
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63],
            kAlphabet[n & 63]};
  }
  if (const std::size_t rest = in.size() - i; rest > 0) {
    std::uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (rest == 2) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += {kAlphabet[n >> 18], kAlphabet[(n >> 12) & 63],
            rest == 2 ? kAlphabet[(n >> 6) & 63] : '=', '='};
  }
  return out;
}

// Folds an unstructured ASCII value by inserting CRLF before spaces, so that lines stay within
// 78 characters where the words allow. `first_line_used` is the length of "Name: ". Never
// folds before a run of only spaces (a line must not be white space alone). nullopt when a
// line would still exceed 998 characters.
std::optional<std::string> FoldAtSpaces(std::string_view value, std::size_t first_line_used) {
  std::string out;
  std::size_t line = first_line_used;
  bool line_has_text = false;
  std::size_t pos = 0;
  while (pos < value.size()) {
    // A segment is the spaces before a word and the word.
    std::size_t end = value.find_first_not_of(' ', pos);
    const bool only_spaces = end == std::string_view::npos;
    if (!only_spaces) end = value.find(' ', end);
    if (end == std::string_view::npos) end = value.size();
    const std::string_view segment = value.substr(pos, end - pos);
    if (line_has_text && !only_spaces && segment.front() == ' ' &&
        line + segment.size() > kFoldAt) {
      out += "\r\n";
      line = 0;
    }
    out += segment;
    line += segment.size();
    line_has_text = true;
    if (line > kMaxLine) return std::nullopt;
    pos = end;
  }
  return out;
}

// Length of the UTF-8 sequence starting with `lead` (1 for anything else).
std::size_t Utf8SequenceLength(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

// Encoded-words of at most kWordBytes input bytes each, cut between UTF-8 sequences and joined
// by folding white space (which decoders drop between adjacent encoded-words).
std::string EncodedWords(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = pos;
    while (end < text.size()) {
      const std::size_t len = Utf8SequenceLength(static_cast<unsigned char>(text[end]));
      if (end + len - pos > kWordBytes) break;
      end += len;
    }
    if (end == pos) end = std::min(text.size(), pos + kWordBytes);  // not UTF-8: cut anyway
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(pos, end - pos)) + "?=";
    pos = end;
  }
  return out;
}

core::Status CheckMessageId(std::string_view id) {
  const std::string problem = "the message id must look like <left@right> without spaces";
  if (id.size() < 5 || id.size() > 250 || id.front() != '<' || id.back() != '>') {
    return Invalid(problem);
  }
  const std::string_view inner = id.substr(1, id.size() - 2);
  const auto at = inner.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == inner.size()) return Invalid(problem);
  for (const char ch : inner) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsAsciiControl(c) || c == ' ' || c >= 0x80 || c == '<' || c == '>') {
      return Invalid(problem);
    }
  }
  return {};
}

bool IsFieldName(std::string_view name) {
  if (name.empty()) return false;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 33 || c > 126 || c == ':') return false;
  }
  return true;
}

constexpr std::array<std::string_view, 8> kOwnHeaders = {
    "Date",       "From",         "To",           "Subject",
    "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"};

core::Result<std::string> ExtraHeader(std::string_view name, std::string_view value) {
  if (!IsFieldName(name)) return Invalid("an extra header has an invalid name");
  for (const auto own : kOwnHeaders) {
    if (EqualsIgnoreCase(name, own)) {
      return Invalid("the extra header " + std::string(name) + " is set by the mailer");
    }
  }
  if (HasLineBreak(value)) {
    return Invalid("the value of the header " + std::string(name) + " contains a line break");
  }
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if ((IsAsciiControl(c) && c != '\t') || c >= 0x80) {
      return Invalid("the value of the header " + std::string(name) + " must be printable ASCII");
    }
  }
  auto folded = FoldAtSpaces(value, name.size() + 2);
  if (!folded) return Invalid("the value of the header " + std::string(name) + " is too long");
  return std::string(name) + ": " + *folded + "\r\n";
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > text.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += len;
  }
  return true;
}

core::Status ValidateAddress(std::string_view what, std::string_view address) {
  const std::string w(what);
  if (address.empty()) return Invalid(w + " address is empty");
  if (address.size() > kMaxAddress) return Invalid(w + " address is longer than 254 characters");
  for (const char ch : address) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\r' || c == '\n') return Invalid(w + " address contains a line break");
    if (IsAsciiControl(c) || c == ' ' || c == '<' || c == '>' || c == ',') {
      return Invalid(w + " address contains a space, a control character or one of <>,");
    }
    if (c >= 0x80) {
      return Invalid(w + " address is not ASCII; internationalized addresses are not supported");
    }
  }
  const auto at = address.rfind('@');
  if (at == std::string_view::npos) return Invalid(w + " address has no '@'");
  if (at == 0 || at + 1 == address.size()) {
    return Invalid(w + " address needs a part before and after the '@'");
  }
  return {};
}

std::string FormatRfc5322Date(core::UnixTime t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::int64_t days = t / 86400;
  std::int64_t secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  const core::CivilDate d = core::CivilFromDays(days);
  const int weekday = static_cast<int>(((days + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d +0000", kDays[weekday], d.day,
                kMonths[d.month - 1], d.year, static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
  return buf;
}

std::string EncodeQuotedPrintable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    const bool hard_break = eol != std::string_view::npos;
    if (!hard_break) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = hard_break ? eol + 1 : eol;
    if (hard_break && !line.empty() && line.back() == '\r') line.remove_suffix(1);

    // Before a soft break ("="), a line holds 75 characters; the last one before a hard break
    // may reach 76.
    const std::size_t last_limit = hard_break ? kQpLine : kQpLine - 1;
    std::size_t used = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      // mbox stores turn a line starting "From " into ">From "; =46 keeps it intact.
      const auto literal_at = [&](std::size_t column) {
        if (column == 0 && c == 'F' && line.substr(i, 5) == "From ") return false;
        return (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
      };
      bool literal = literal_at(used);
      if (used + (literal ? 1 : 3) > (last ? last_limit : kQpLine - 1)) {
        out += "=\r\n";
        used = 0;
        literal = literal_at(0);
      }
      if (literal) {
        out += static_cast<char>(c);
      } else {
        out += {'=', kHex[c >> 4], kHex[c & 15]};
      }
      used += literal ? 1 : 3;
    }
    out += hard_break ? "\r\n" : "=\r\n";
  }
  return out;
}

std::string EncodeSubject(std::string_view text) {
  bool plain = text.find("=?") == std::string_view::npos;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsAsciiControl(c) || c >= 0x80) plain = false;
  }
  if (plain) {
    if (auto folded = FoldAtSpaces(text, sizeof "Subject: " - 1)) return *folded;
  }
  return EncodedWords(text);
}

core::Result<std::string> ComposeMessage(const core::OutgoingEmail& email, std::string_view from,
                                         std::string_view message_id, core::UnixTime now) {
  if (auto st = ValidateAddress("the sender", from); !st) return tl::unexpected(st.error());
  if (auto st = ValidateAddress("the recipient", email.to); !st) {
    return tl::unexpected(st.error());
  }
  if (auto st = CheckMessageId(message_id); !st) return tl::unexpected(st.error());
  if (HasLineBreak(email.subject)) return Invalid("the subject contains a line break");
  if (!IsValidUtf8(email.subject)) return Invalid("the subject is not valid UTF-8");
  if (!IsValidUtf8(email.text_body)) return Invalid("the body is not valid UTF-8");

  std::string extra;
  for (const auto& [name, value] : email.headers) {
    auto header = ExtraHeader(name, value);
    if (!header) return tl::unexpected(header.error());
    extra += *header;
  }

  std::string out;
  out.reserve(email.text_body.size() * 11 / 10 + 512);
  out += "Date: " + FormatRfc5322Date(now) + "\r\n";
  out += "From: " + std::string(from) + "\r\n";
  out += "To: " + email.to + "\r\n";
  out += "Subject: " + EncodeSubject(email.subject) + "\r\n";
  out += "Message-ID: " + std::string(message_id) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n";
  out += extra;
  out += "\r\n";
  out += EncodeQuotedPrintable(email.text_body);
  return out;
}

}  // namespace rd::mail
