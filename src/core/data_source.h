#pragma once

#include <algorithm>
#include <string>

#include "core/store.h"

namespace rd::core {

// True when `ds` is one of the sources a request of `type_key` goes to by default: used in
// request handling, not archived, and handling that type (an empty request_types list means
// every type). Review shows these sources; continue pre-selects them.
inline bool SourceApplies(const DataSource& ds, const std::string& type_key) {
  if (ds.archived || !ds.request_handling) return false;
  return ds.request_types.empty() || std::find(ds.request_types.begin(), ds.request_types.end(),
                                               type_key) != ds.request_types.end();
}

}  // namespace rd::core
