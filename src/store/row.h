#pragma once

// Reading soci::row columns the same way on SQLite and PostgreSQL. The drivers describe the
// same column differently (SQLite by declared type or value, PostgreSQL by OID), so callers
// ask for the C++ type they need and these convert; NULL reads as 0 or "".

#include <soci/soci.h>

#include <string>

namespace rd::store {

inline long long RowInt(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return 0;
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return r.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<long long>(r.get<unsigned long long>(i));
    case soci::dt_double:
      return static_cast<long long>(r.get<double>(i));
    case soci::dt_string:
      return std::stoll(r.get<std::string>(i));
    default:
      return 0;
  }
}

inline std::string RowText(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return {};
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_string:
      return r.get<std::string>(i);
    case soci::dt_integer:
      return std::to_string(r.get<int>(i));
    case soci::dt_long_long:
      return std::to_string(r.get<long long>(i));
    default:
      return {};
  }
}

inline bool RowIsNull(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null;
}

}  // namespace rd::store
