// Consumer dedupe table.
#include "adapters/common/dedupe.hpp"

namespace hub::adapters {

const char* const kDedupeMigrationSql = R"sql(
CREATE TABLE processed(
  msg_id     TEXT PRIMARY KEY,  -- envelope id of a request already applied
  reply      BLOB NOT NULL,     -- the reply given, returned again to a resend
  done_ms    INTEGER NOT NULL
);
CREATE INDEX processed_done ON processed(done_ms);
)sql";

Result<std::optional<std::string>> FindProcessed(storage::Database& db, const std::string& msg_id) {
  HUB_ASSIGN_OR_RETURN(auto* st, db.Cached("SELECT reply FROM processed WHERE msg_id = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(msg_id));
  HUB_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<std::string> out;
  if (row) out = std::string(st->ColumnBlob(0));
  st->Reset();
  return out;
}

Status RecordProcessed(storage::Database& db, const std::string& msg_id, std::string_view reply,
                       std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db.Cached("INSERT INTO processed(msg_id, reply, done_ms) VALUES (?, ?, ?)"));
  HUB_RETURN_IF_ERROR(st->BindAll(msg_id));
  HUB_RETURN_IF_ERROR(st->BindBlob(2, reply));
  HUB_RETURN_IF_ERROR(st->BindInt(3, now_ms));
  return st->Run();
}

Result<std::int64_t> PurgeProcessed(storage::Database& db, std::int64_t cutoff_ms) {
  HUB_ASSIGN_OR_RETURN(auto st, db.Prepare("DELETE FROM processed WHERE done_ms < ?"));
  HUB_RETURN_IF_ERROR(st.BindAll(cutoff_ms));
  HUB_RETURN_IF_ERROR(st.Run());
  return static_cast<std::int64_t>(db.Changes());
}

}  // namespace hub::adapters
