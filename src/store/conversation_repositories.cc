// Email verification challenges and the messages of a request's conversation.
#include <soci/soci.h>

#include "store/row.h"
#include "store/sql_repositories.h"

namespace rd::store {

core::Status SqlVerificationRepository::Put(const core::Verification& v) {
  try {
    const long long expires = v.expires_at;
    const long long created = v.created_at;
    statements_.Execute(
        "INSERT INTO verifications (request_id, code_hash, link_token_hash, expires_at, "
        "attempts, created_at) VALUES (:r, :c, :l, :e, :a, :t) "
        "ON CONFLICT (request_id) DO UPDATE SET code_hash = excluded.code_hash, "
        "link_token_hash = excluded.link_token_hash, expires_at = excluded.expires_at, "
        "attempts = excluded.attempts, created_at = excluded.created_at",
        soci::use(v.request_id), soci::use(v.code_hash), soci::use(v.link_token_hash),
        soci::use(expires), soci::use(v.attempts), soci::use(created));
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "verification"));
  }
}

core::Result<core::Verification> SqlVerificationRepository::Find(const std::string& request_id) {
  try {
    soci::row r;
    sql_ << "SELECT request_id, code_hash, link_token_hash, expires_at, attempts, created_at "
            "FROM verifications WHERE request_id = :r",
        soci::use(request_id), soci::into(r);
    if (!sql_.got_data()) return core::Fail(core::Errc::kNotFound, "no open verification");
    core::Verification v;
    v.request_id = RowText(r, 0);
    v.code_hash = RowText(r, 1);
    v.link_token_hash = RowText(r, 2);
    v.expires_at = RowInt(r, 3);
    v.attempts = static_cast<int>(RowInt(r, 4));
    v.created_at = RowInt(r, 5);
    return v;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "find verification"));
  }
}

core::Status SqlVerificationRepository::SetAttempts(const std::string& request_id, int attempts) {
  try {
    sql_ << "UPDATE verifications SET attempts = :a WHERE request_id = :r", soci::use(attempts),
        soci::use(request_id);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "update verification"));
  }
}

core::Status SqlVerificationRepository::Delete(const std::string& request_id) {
  try {
    sql_ << "DELETE FROM verifications WHERE request_id = :r", soci::use(request_id);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "delete verification"));
  }
}

namespace {

constexpr const char* kMessageColumns =
    "SELECT id, request_id, direction, sender, recipient, subject, body, created_at, sent_at "
    "FROM messages";

core::Message MessageFromRow(const soci::row& r) {
  core::Message m;
  m.id = RowText(r, 0);
  m.request_id = RowText(r, 1);
  m.direction = RowText(r, 2);
  m.sender = RowText(r, 3);
  m.recipient = RowText(r, 4);
  m.subject = RowText(r, 5);
  m.body = RowText(r, 6);
  m.created_at = RowInt(r, 7);
  if (!RowIsNull(r, 8)) m.sent_at = RowInt(r, 8);
  return m;
}

}  // namespace

core::Status SqlMessageRepository::Insert(const core::Message& m) {
  try {
    const long long created = m.created_at;
    const long long sent = m.sent_at.value_or(0);
    soci::indicator sent_ind = m.sent_at ? soci::i_ok : soci::i_null;
    statements_.Execute(
        "INSERT INTO messages (id, request_id, direction, sender, recipient, subject, body, "
        "created_at, sent_at) VALUES (:id, :r, :d, :s, :to, :subj, :b, :c, :sent)",
        soci::use(m.id), soci::use(m.request_id), soci::use(m.direction), soci::use(m.sender),
        soci::use(m.recipient), soci::use(m.subject), soci::use(m.body), soci::use(created),
        soci::use(sent, sent_ind));
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "message"));
  }
}

core::Result<core::Message> SqlMessageRepository::Get(const std::string& id) {
  try {
    soci::row r;
    sql_ << std::string(kMessageColumns) + " WHERE id = :id", soci::use(id), soci::into(r);
    if (!sql_.got_data()) return core::Fail(core::Errc::kNotFound, "no such message");
    return MessageFromRow(r);
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "get message"));
  }
}

core::Result<std::vector<core::Message>> SqlMessageRepository::ListForRequest(
    const std::string& request_id) {
  try {
    std::vector<core::Message> out;
    soci::rowset<soci::row> rows =
        (sql_.prepare << std::string(kMessageColumns) +
                             " WHERE request_id = :r ORDER BY created_at, id",
         soci::use(request_id));
    for (const auto& r : rows) out.push_back(MessageFromRow(r));
    return out;
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "list messages"));
  }
}

core::Status SqlMessageRepository::MarkSent(const std::string& id, core::UnixTime at) {
  try {
    const long long t = at;
    sql_ << "UPDATE messages SET sent_at = :t WHERE id = :id", soci::use(t), soci::use(id);
    return {};
  } catch (const std::exception& e) {
    return tl::unexpected(TranslateDbError(e, "update message"));
  }
}

}  // namespace rd::store
