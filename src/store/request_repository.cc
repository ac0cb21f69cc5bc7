#include <soci/soci.h>

#include <deque>
#include <map>
#include <vector>

#include "store/row.h"
#include "store/sql_repositories.h"

namespace rd::store {
namespace {

// The dashboard's median days to close looks at the requests closed in this window.
constexpr long long kMedianWindowSeconds = 90LL * 86400;

constexpr const char* kSelect =
    "SELECT r.id, r.reference, r.type, r.status, r.outcome, r.channel, r.jurisdiction, "
    "r.details, r.received_at, r.due_at, r.assignee, r.updated_at, r.subject_email, "
    "r.subject_name, r.subject_phone, r.requester_type, r.corrections, r.verified_at, "
    "r.verification_method, r.status_token_hash, r.rejection_reason, r.rejection_note, "
    "r.hold_reason, r.held_at, r.extended_at, r.extension_reason "
    "FROM privacy_requests r";

core::PrivacyRequest FromRow(const soci::row& r) {
  core::PrivacyRequest q;
  q.id = RowText(r, 0);
  q.reference = RowText(r, 1);
  const std::string type = RowText(r, 2);
  if (auto builtin = core::ParseRequestType(type)) {
    q.type = *builtin;
  } else {
    q.type = core::RequestType::kCustom;
    q.custom_type = type;
  }
  q.status = core::ParseRequestStatus(RowText(r, 3)).value_or(core::RequestStatus::kReview);
  if (!RowIsNull(r, 4)) q.outcome = core::ParseOutcome(RowText(r, 4));
  q.channel = core::ParseChannel(RowText(r, 5)).value_or(core::Channel::kManual);
  q.jurisdiction = RowText(r, 6);
  q.details = RowText(r, 7);
  q.received_at = RowInt(r, 8);
  q.due_at = RowInt(r, 9);
  q.assignee = RowText(r, 10);
  q.updated_at = RowInt(r, 11);
  q.subject.email = RowText(r, 12);
  q.subject.name = RowText(r, 13);
  q.subject.phone = RowText(r, 14);
  q.requester_type =
      core::ParseRequesterType(RowText(r, 15)).value_or(core::RequesterType::kConsumer);
  q.corrections = RowText(r, 16);
  if (!RowIsNull(r, 17)) q.verified_at = RowInt(r, 17);
  q.verification_method = RowText(r, 18);
  q.status_token_hash = RowText(r, 19);
  q.rejection_reason = RowText(r, 20);
  q.rejection_note = RowText(r, 21);
  q.hold_reason = RowText(r, 22);
  if (!RowIsNull(r, 23)) q.held_at = RowInt(r, 23);
  if (!RowIsNull(r, 24)) q.extended_at = RowInt(r, 24);
  q.extension_reason = RowText(r, 25);
  return q;
}

// Cursor: "<due_at>.<id>" of the last item of the previous page (keyset pagination).
bool ParseCursor(const std::string& cursor, long long* due, std::string* id) {
  const auto dot = cursor.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 >= cursor.size()) return false;
  try {
    std::size_t used = 0;
    *due = std::stoll(cursor.substr(0, dot), &used);
    if (used != dot) return false;
  } catch (const std::exception&) {
    return false;
  }
  *id = cursor.substr(dot + 1);
  for (char c : *id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

core::Status SqlRequestRepository::Insert(const core::PrivacyRequest& q,
                                          const std::string& identity_hash) {
  try {
    const std::string type = core::TypeKey(q);
    const std::string status = core::RequestStatusName(q.status);
    const std::string outcome = q.outcome ? core::OutcomeName(*q.outcome) : "";
    soci::indicator outcome_ind = q.outcome ? soci::i_ok : soci::i_null;
    const std::string channel = core::ChannelName(q.channel);
    soci::indicator assignee_ind = q.assignee.empty() ? soci::i_null : soci::i_ok;
    const long long received = q.received_at;
    const long long due = q.due_at;
    const long long updated = q.updated_at;
    const std::string requester = core::RequesterTypeName(q.requester_type);
    soci::indicator token_ind = q.status_token_hash.empty() ? soci::i_null : soci::i_ok;
    statements_.Execute(
        "INSERT INTO privacy_requests (id, reference, type, status, outcome, channel, "
        "jurisdiction, details, subject_email, subject_name, subject_phone, received_at, "
        "due_at, assignee, updated_at, requester_type, corrections, status_token_hash) "
        "VALUES (:id, :ref, :type, :status, :outcome, :channel, :jur, :details, :email, "
        ":name, :phone, :received, :due, :assignee, :updated, :requester, :corrections, "
        ":token)",
        soci::use(q.id), soci::use(q.reference), soci::use(type), soci::use(status),
        soci::use(outcome, outcome_ind), soci::use(channel), soci::use(q.jurisdiction),
        soci::use(q.details), soci::use(q.subject.email), soci::use(q.subject.name),
        soci::use(q.subject.phone), soci::use(received), soci::use(due),
        soci::use(q.assignee, assignee_ind), soci::use(updated), soci::use(requester),
        soci::use(q.corrections), soci::use(q.status_token_hash, token_ind));
    statements_.Execute(
        "INSERT INTO request_identities (request_id, kind, value_hash) "
        "VALUES (:r, 'email', :h)",
        soci::use(q.id), soci::use(identity_hash));
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "privacy request"));
  }
}

core::Result<core::PrivacyRequest> SqlRequestRepository::Get(const std::string& id) {
  try {
    soci::row r;
    sql_ << std::string(kSelect) + " WHERE r.id = :id", soci::use(id), soci::into(r);
    if (!sql_.got_data()) return core::Fail(core::Errc::kNotFound, "no such request");
    return FromRow(r);
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "get privacy request"));
  }
}

core::Result<core::RequestPage> SqlRequestRepository::List(const core::RequestQuery& query) {
  try {
    // Bound values must stay at stable addresses until the statement runs: deques do.
    std::deque<std::string> texts;
    std::deque<long long> ints;
    // Row by row through soci::row: SOCI 4.0's SQLite backend leaks cell buffers when a
    // result is fetched into vectors (seen under LeakSanitizer), and was no faster here.
    std::string sql = kSelect;
    std::string where;
    std::vector<std::function<void(soci::details::prepare_temp_type&)>> binds;
    auto text = [&](const std::string& clause, const std::string& value) {
      where += (where.empty() ? " WHERE " : " AND ") + clause;
      texts.push_back(value);
      const std::string* p = &texts.back();
      binds.emplace_back([p](soci::details::prepare_temp_type& t) { t, soci::use(*p); });
    };
    auto number = [&](const std::string& clause, long long value) {
      where += (where.empty() ? " WHERE " : " AND ") + clause;
      ints.push_back(value);
      const long long* p = &ints.back();
      binds.emplace_back([p](soci::details::prepare_temp_type& t) { t, soci::use(*p); });
    };
    if (query.status) text("r.status = :status", core::RequestStatusName(*query.status));
    if (!query.type.empty()) text("r.type = :type", query.type);
    if (!query.jurisdiction.empty()) text("r.jurisdiction = :jur", query.jurisdiction);
    if (!query.assignee.empty()) text("r.assignee = :assignee", query.assignee);
    if (query.channel) text("r.channel = :channel", core::ChannelName(*query.channel));
    if (query.overdue_only) {
      number("r.due_at < :now", query.now);
      where += " AND r.status <> 'closed'";
    }
    if (!query.identity_hash.empty()) {
      text("r.id IN (SELECT request_id FROM request_identities WHERE value_hash = :h)",
           query.identity_hash);
    }
    if (!query.reference.empty()) text("r.reference = :ref", query.reference);
    if (!query.cursor.empty()) {
      long long due = 0;
      std::string id;
      if (!ParseCursor(query.cursor, &due, &id)) {
        return core::Fail(core::Errc::kInvalidArgument, "cursor: not a cursor from this list");
      }
      // A row-value comparison lets both databases seek the (status, due_at, id) index.
      number("(r.due_at, r.id) > (:d", due);
      where += ", :cid)";
      texts.push_back(id);
      const std::string* s = &texts.back();
      binds.emplace_back([s](soci::details::prepare_temp_type& t) { t, soci::use(*s); });
    }
    const int limit = query.limit;
    sql += where + " ORDER BY r.due_at, r.id LIMIT " + std::to_string(limit + 1);

    soci::row r;
    soci::details::prepare_temp_type prep = (sql_.prepare << sql);
    for (auto& bind : binds) bind(prep);
    prep, soci::into(r);
    soci::statement st(prep);
    st.execute();
    core::RequestPage page;
    page.items.reserve(static_cast<std::size_t>(limit) + 1);
    while (st.fetch()) page.items.push_back(FromRow(r));
    if (static_cast<int>(page.items.size()) > limit) {
      page.items.pop_back();
      const auto& last = page.items.back();
      page.next_cursor = std::to_string(last.due_at) + "." + last.id;
    }
    return page;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "list privacy requests"));
  }
}

core::Result<core::RequestCounts> SqlRequestRepository::Counts(core::UnixTime now,
                                                               core::UnixTime soon) {
  try {
    const long long now_v = now;
    const long long soon_v = soon;
    std::string status;
    long long total = 0;
    long long overdue = 0;
    long long due_soon = 0;
    // One pass over the (status, due_at) index; COUNT of a CASE is a bigint on both databases.
    soci::statement st =
        (sql_.prepare << "SELECT status, COUNT(*), "
                         "COUNT(CASE WHEN due_at < :now1 THEN 1 END), "
                         "COUNT(CASE WHEN due_at >= :now2 AND due_at < :soon THEN 1 END) "
                         "FROM privacy_requests GROUP BY status",
         soci::use(now_v), soci::use(now_v), soci::use(soon_v), soci::into(status),
         soci::into(total), soci::into(overdue), soci::into(due_soon));
    st.execute();
    core::RequestCounts out;
    while (st.fetch()) {
      out.by_status[status] = total;
      if (status == core::RequestStatusName(core::RequestStatus::kClosed)) continue;
      out.open += total;
      out.overdue += overdue;
      out.due_this_week += due_soon;
    }
    // Median days to close per type, over the requests closed in the last 90 days. A closed
    // request is not changed again, so its updated_at is its close time. Sorted per type by
    // the database; the median is taken here (SQLite has no percentile function).
    const long long since = now - kMedianWindowSeconds;
    const std::string closed = core::RequestStatusName(core::RequestStatus::kClosed);
    std::string type;
    long long took = 0;
    soci::statement durations =
        (sql_.prepare << "SELECT type, updated_at - received_at FROM privacy_requests "
                         "WHERE status = :closed AND updated_at >= :since "
                         "ORDER BY type, updated_at - received_at",
         soci::use(closed), soci::use(since), soci::into(type), soci::into(took));
    durations.execute();
    std::map<std::string, std::vector<long long>> by_type;
    while (durations.fetch()) by_type[type].push_back(took < 0 ? 0 : took);
    for (const auto& [key, v] : by_type) {
      const std::size_t n = v.size();
      const double mid = n % 2 ? static_cast<double>(v[n / 2])
                               : (static_cast<double>(v[n / 2 - 1]) + v[n / 2]) / 2.0;
      out.median_days_to_close[key] = mid / 86400.0;
    }
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "count privacy requests"));
  }
}

core::Status SqlRequestRepository::Transition(const std::string& id, core::RequestStatus from,
                                              core::RequestStatus to,
                                              std::optional<core::Outcome> outcome,
                                              core::UnixTime now) {
  try {
    const std::string from_s = core::RequestStatusName(from);
    const std::string to_s = core::RequestStatusName(to);
    const std::string outcome_s = outcome ? core::OutcomeName(*outcome) : "";
    const long long t = now;
    soci::statement st =
        outcome ? (sql_.prepare << "UPDATE privacy_requests SET status = :to, outcome = :o, "
                                   "updated_at = :t WHERE id = :id AND status = :from",
                   soci::use(to_s), soci::use(outcome_s), soci::use(t), soci::use(id),
                   soci::use(from_s))
                : (sql_.prepare << "UPDATE privacy_requests SET status = :to, updated_at = :t "
                                   "WHERE id = :id AND status = :from",
                   soci::use(to_s), soci::use(t), soci::use(id), soci::use(from_s));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return core::Fail(core::Errc::kConflict,
                        "the request is no longer in status " + from_s + "; reload it");
    }
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "update privacy request"));
  }
}

core::Status SqlRequestRepository::MarkVerified(const std::string& id, core::UnixTime at,
                                                const std::string& method) {
  try {
    const long long t = at;
    sql_ << "UPDATE privacy_requests SET verified_at = :t, verification_method = :m "
            "WHERE id = :id",
        soci::use(t), soci::use(method), soci::use(id);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "update privacy request"));
  }
}

core::Status SqlRequestRepository::SetRejection(const std::string& id, const std::string& reason,
                                                const std::string& note) {
  try {
    sql_ << "UPDATE privacy_requests SET rejection_reason = :r, rejection_note = :n "
            "WHERE id = :id",
        soci::use(reason), soci::use(note), soci::use(id);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "update privacy request"));
  }
}

core::Status SqlRequestRepository::SetAssignee(const std::string& id, const std::string& user_id,
                                               core::UnixTime now) {
  try {
    soci::indicator ind = user_id.empty() ? soci::i_null : soci::i_ok;
    const long long t = now;
    sql_ << "UPDATE privacy_requests SET assignee = :a, updated_at = :t WHERE id = :id",
        soci::use(user_id, ind), soci::use(t), soci::use(id);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "update privacy request"));
  }
}

core::Status SqlRequestRepository::SetHold(const std::string& id, const std::string& reason,
                                           core::UnixTime now) {
  try {
    soci::indicator ind = reason.empty() ? soci::i_null : soci::i_ok;
    const long long t = now;
    sql_ << "UPDATE privacy_requests SET hold_reason = :r, held_at = :h, updated_at = :t "
            "WHERE id = :id",
        soci::use(reason, ind), soci::use(t, ind), soci::use(t), soci::use(id);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "update privacy request"));
  }
}

core::Status SqlRequestRepository::SetExtension(const std::string& id, core::UnixTime due_at,
                                                const std::string& reason, core::UnixTime now) {
  try {
    const long long due = due_at;
    const long long t = now;
    soci::statement st =
        (sql_.prepare << "UPDATE privacy_requests SET due_at = :d, extended_at = :t, "
                         "extension_reason = :r, updated_at = :t2 "
                         "WHERE id = :id AND extended_at IS NULL",
         soci::use(due), soci::use(t), soci::use(reason), soci::use(t), soci::use(id));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return core::Fail(core::Errc::kConflict, "the request has already been extended once");
    }
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "update privacy request"));
  }
}

core::Result<std::vector<core::PrivacyRequest>> SqlRequestRepository::ListByIdentity(
    const std::string& identity_hash, core::UnixTime since, int limit) {
  try {
    std::vector<core::PrivacyRequest> out;
    const long long t = since;
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string(kSelect) +
                             " JOIN request_identities i ON i.request_id = r.id "
                             "WHERE i.value_hash = :h AND r.received_at >= :t "
                             "ORDER BY r.received_at DESC, r.id LIMIT " +
                             std::to_string(limit),
         soci::use(identity_hash), soci::use(t));
    for (const auto& r : rows) out.push_back(FromRow(r));
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "list privacy requests"));
  }
}

}  // namespace rd::store
