#pragma once

#include <soci/soci.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>

namespace rd::store {

// The prepared INSERT/UPDATE/DELETE statements of one connection, kept for the connection's
// life, so that the writes a hot path makes on every call (intake's request, identity,
// verification, message, jobs and audit rows) are parsed once per connection instead of once
// per call — on SQLite, preparing costs more than running such a statement.
//
// Only statements that run to completion belong here: a SELECT left stepped would hold its
// read snapshot after the transaction ends. On PostgreSQL nothing is kept (`keep` false):
// SOCI deallocates a named statement when it is dropped, which fails in an aborted
// transaction; each call runs as a one-time statement there, as before.
class StatementCache {
 public:
  StatementCache(soci::session& sql, bool keep) : sql_(sql), keep_(keep) {}
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // Runs the statement `text` with `uses` (soci::use of plain values) and returns the number
  // of rows it changed. Throws what SOCI throws; a statement that failed is dropped and
  // prepared anew on its next use.
  template <typename... Uses>
  long long Execute(const std::string& text, Uses&&... uses) {
    if (!keep_) {
      soci::statement st(sql_);
      return Run(st, text, soci::details::st_one_time_query, std::forward<Uses>(uses)...);
    }
    auto it = statements_.find(text);
    if (it == statements_.end()) {
      it = statements_.emplace(text, std::make_unique<soci::statement>(sql_)).first;
      try {
        return Run(*it->second, text, soci::details::st_repeatable_query,
                   std::forward<Uses>(uses)...);
      } catch (...) {
        statements_.erase(text);
        throw;
      }
    }
    try {
      soci::statement& st = *it->second;
      st.bind_clean_up();
      (st.exchange(std::forward<Uses>(uses)), ...);
      st.define_and_bind();
      st.execute(true);
      return st.get_affected_rows();
    } catch (...) {
      statements_.erase(text);
      throw;
    }
  }

  std::size_t size() const { return statements_.size(); }

 private:
  template <typename... Uses>
  long long Run(soci::statement& st, const std::string& text, soci::details::statement_type type,
                Uses&&... uses) {
    st.alloc();
    (st.exchange(std::forward<Uses>(uses)), ...);
    st.prepare(text, type);
    st.define_and_bind();
    st.execute(true);
    return st.get_affected_rows();
  }

  soci::session& sql_;
  bool keep_;
  std::unordered_map<std::string, std::unique_ptr<soci::statement>> statements_;
};

}  // namespace rd::store
