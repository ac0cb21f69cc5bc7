#pragma once

// ASCII byte tests for the text scanner and its matchers: one subtraction and compare each, no
// locale, no table (every other byte, UTF-8 included, is none of these).
namespace rd::scan::ascii {

inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
inline bool IsUpper(char c) { return static_cast<unsigned char>(c - 'A') < 26; }
inline bool IsLetter(char c) { return static_cast<unsigned char>((c | 0x20) - 'a') < 26; }

}  // namespace rd::scan::ascii
