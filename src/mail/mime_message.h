#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/mailer.h"
#include "core/result.h"

namespace rd::mail {

// Turns an OutgoingEmail into the bytes of an RFC 5322 message: a plain-text UTF-8 body in
// quoted-printable, so that the message is 7-bit clean and no line is longer than 76
// characters. Pure functions, no I/O; thread-safe.

// Checks one address ("local@domain", no display name, no angle brackets). Errors
// (kInvalidArgument, naming `what` — "the recipient", "the sender" — but never the address
// itself, which is personal data): empty, longer than 254 bytes, no '@' or an empty part
// before or after the last '@', a control character (CR and LF included), white space, one
// of "<>,", or a non-ASCII byte (internationalized addresses are not supported).
[[nodiscard]] core::Status ValidateAddress(std::string_view what, std::string_view address);

// The whole message, header and body, with CRLF line endings:
//   Date (from `now`, UTC), From: `from`, To: email.to, Subject (RFC 2047 "B" encoded-words
//   in UTF-8 when not plain ASCII), Message-ID: `message_id`, MIME-Version: 1.0,
//   Content-Type: text/plain; charset=utf-8, Content-Transfer-Encoding: quoted-printable,
//   then email.headers in order, a blank line and the encoded email.text_body.
// `from` is the effective sender (email.from is ignored here; the caller resolves the
// default) and `message_id` the effective "<id@host>".
// Errors (kInvalidArgument; messages name the field, never its value): a bad address
// (ValidateAddress); a subject, header value or message id containing CR or LF; a subject or
// body that is not valid UTF-8; a message id not of the form "<left@right>" without white
// space; an extra header whose name is not a valid field name, repeats a header this
// function writes (Date, From, To, Subject, Message-ID, MIME-Version, Content-Type,
// Content-Transfer-Encoding), has a value with a non-ASCII byte or a control character other
// than tab, or cannot be folded into lines of at most 998 characters.
[[nodiscard]] core::Result<std::string> ComposeMessage(const core::OutgoingEmail& email,
                                                       std::string_view from,
                                                       std::string_view message_id,
                                                       core::UnixTime now);

// "Thu, 01 Jan 1970 00:00:00 +0000" (RFC 5322 section 3.3, always UTC, English names
// whatever the process locale).
std::string FormatRfc5322Date(core::UnixTime t);

// Quoted-printable (RFC 2045 section 6.7) of UTF-8 `text` whose lines end in "\n" or "\r\n".
// Output lines end in CRLF and are at most 76 characters; '=', bytes outside printable ASCII,
// a lone CR, white space at the end of a line and the 'F' of a line starting "From " are
// written as =XX; longer lines are split with soft line breaks ("=" CRLF). Text that does not
// end in a line break ends in a soft line break, so decoding gives back `text` exactly
// (with "\n" line endings).
std::string EncodeQuotedPrintable(std::string_view text);

// The value part of a "Subject:" field, folded with CRLF + space so that every line of
// "Subject: " + value stays within 78 characters where the text allows and within 998 always.
// Plain ASCII text is kept as is (folded at spaces); text with non-ASCII bytes, control
// characters, "=?" or a word too long to fit becomes UTF-8 base64 encoded-words of at most
// 75 characters, never splitting a UTF-8 sequence. `text` must not contain CR or LF.
std::string EncodeSubject(std::string_view text);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or values above
// U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace rd::mail
