// print.db: schema and queries.
#include "adapters/print/letter_store.hpp"

#include <fmt/format.h>

namespace hub::print {

namespace {

constexpr const char* kLetterColumns =
    "letter_id, kind, nhs_number, letter_date, request_sha256, status, status_ms, reason_code, "
    "reason_text, COALESCE(batch_id, ''), COALESCE(reprint_of, ''), page_count, sheet_count, "
    "sha256, postage, duplex, colour, created_ms";

Result<LetterRecord> ReadLetter(const storage::Statement& st) {
  LetterRecord r;
  r.letter_id = st.ColumnText(0);
  auto kind = LetterKindFromName(st.ColumnText(1));
  auto status = LetterStatusFromName(st.ColumnText(5));
  auto postage = PostageFromName(st.ColumnText(14));
  if (!kind || !status || !postage) {
    return Status::Corruption(
        fmt::format("print.db: letter {} has an unknown kind, status or "
                    "postage",
                    r.letter_id));
  }
  r.kind = *kind;
  r.nhs_number = st.ColumnText(2);
  r.letter_date = st.ColumnText(3);
  r.request_sha256 = st.ColumnText(4);
  r.status = *status;
  r.status_ms = st.ColumnInt(6);
  r.reason_code = st.ColumnText(7);
  r.reason_text = st.ColumnText(8);
  r.batch_id = st.ColumnText(9);
  r.reprint_of = st.ColumnText(10);
  r.page_count = static_cast<int>(st.ColumnInt(11));
  r.sheet_count = static_cast<int>(st.ColumnInt(12));
  r.sha256 = st.ColumnText(13);
  r.postage = *postage;
  r.duplex = st.ColumnInt(15) != 0;
  r.colour = st.ColumnInt(16) != 0;
  r.created_ms = st.ColumnInt(17);
  return r;
}

std::optional<BatchState> BatchStateFromName(std::string_view name) {
  for (BatchState s : {BatchState::kWriting, BatchState::kReady, BatchState::kDelivered}) {
    if (BatchStateName(s) == name) return s;
  }
  return std::nullopt;
}

Result<BatchRecord> ReadBatch(const storage::Statement& st) {
  BatchRecord b;
  b.batch_id = st.ColumnText(0);
  auto state = BatchStateFromName(st.ColumnText(1));
  if (!state)
    return Status::Corruption(fmt::format("print.db: batch {} has an unknown state", b.batch_id));
  b.state = *state;
  b.created_ms = st.ColumnInt(2);
  b.letter_count = static_cast<int>(st.ColumnInt(3));
  return b;
}

}  // namespace

const std::vector<storage::Migration>& PrintMigrations() {
  static const std::vector<storage::Migration> migrations = {
      {1, "print letters, batches, status audit, status files, cancel notices", R"sql(
CREATE TABLE batches(
  batch_id     TEXT PRIMARY KEY,
  state        TEXT NOT NULL,             -- WRITING, READY, DELIVERED
  created_ms   INTEGER NOT NULL,
  updated_ms   INTEGER NOT NULL,
  letter_count INTEGER NOT NULL
);
CREATE TABLE letters(
  letter_id      TEXT PRIMARY KEY,
  kind           TEXT NOT NULL,
  nhs_number     TEXT NOT NULL,
  letter_date    TEXT NOT NULL,           -- ISO date printed on the letter
  request        TEXT NOT NULL,           -- LetterRequest JSON, kept for reprints
  request_sha256 TEXT NOT NULL,
  pdf            BLOB NOT NULL,
  page_count     INTEGER NOT NULL,
  sheet_count    INTEGER NOT NULL,
  sha256         TEXT NOT NULL,           -- of pdf
  postage        TEXT NOT NULL,
  duplex         INTEGER NOT NULL,
  colour         INTEGER NOT NULL,
  status         TEXT NOT NULL,           -- LetterStatusName
  status_ms      INTEGER NOT NULL,
  reason_code    TEXT NOT NULL DEFAULT '',
  reason_text    TEXT NOT NULL DEFAULT '',
  batch_id       TEXT REFERENCES batches(batch_id),
  reprint_of     TEXT,
  created_ms     INTEGER NOT NULL
);
CREATE INDEX letters_waiting ON letters(created_ms, letter_id)
  WHERE status = 'PENDING' AND batch_id IS NULL;
CREATE INDEX letters_batch ON letters(batch_id);
CREATE TABLE status_events(               -- append-only: who changed what, when and why
  id          INTEGER PRIMARY KEY,
  letter_id   TEXT NOT NULL,
  previous    TEXT NOT NULL,
  status      TEXT NOT NULL,
  at_ms       INTEGER NOT NULL,
  recorded_ms INTEGER NOT NULL,
  reason_code TEXT NOT NULL,
  reason_text TEXT NOT NULL,
  source      TEXT NOT NULL
);
CREATE INDEX status_events_letter ON status_events(letter_id, id);
CREATE TABLE status_files(
  sha256     TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  rows       INTEGER NOT NULL,
  applied_ms INTEGER NOT NULL
);
CREATE TABLE cancel_notices(
  letter_id    TEXT PRIMARY KEY,
  batch_id     TEXT NOT NULL,
  cancelled_ms INTEGER NOT NULL,
  notice_id    TEXT,
  written      INTEGER NOT NULL DEFAULT 0
);
)sql"},
  };
  return migrations;
}

std::string_view BatchStateName(BatchState state) {
  switch (state) {
    case BatchState::kWriting:
      return "WRITING";
    case BatchState::kReady:
      return "READY";
    case BatchState::kDelivered:
      return "DELIVERED";
  }
  return "WRITING";
}

Status LetterStore::Insert(const LetterRecord& r, std::string_view request_json,
                           std::string_view pdf) {
  HUB_ASSIGN_OR_RETURN(
      auto* st,
      db_.Cached(
          "INSERT INTO letters(letter_id, kind, nhs_number, letter_date, request, request_sha256, "
          "pdf, page_count, sheet_count, sha256, postage, duplex, colour, status, status_ms, "
          "reprint_of, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  HUB_RETURN_IF_ERROR(st->BindAll(r.letter_id, LetterKindName(r.kind), r.nhs_number, r.letter_date,
                                  request_json, r.request_sha256));
  HUB_RETURN_IF_ERROR(st->BindBlob(7, pdf));
  HUB_RETURN_IF_ERROR(st->BindInt(8, r.page_count));
  HUB_RETURN_IF_ERROR(st->BindInt(9, r.sheet_count));
  HUB_RETURN_IF_ERROR(st->BindText(10, r.sha256));
  HUB_RETURN_IF_ERROR(st->BindText(11, PostageName(r.postage)));
  HUB_RETURN_IF_ERROR(st->BindInt(12, r.duplex ? 1 : 0));
  HUB_RETURN_IF_ERROR(st->BindInt(13, r.colour ? 1 : 0));
  HUB_RETURN_IF_ERROR(st->BindText(14, LetterStatusName(LetterStatus::kPending)));
  HUB_RETURN_IF_ERROR(st->BindInt(15, r.created_ms));
  HUB_RETURN_IF_ERROR(r.reprint_of.empty() ? st->BindNull(16) : st->BindText(16, r.reprint_of));
  HUB_RETURN_IF_ERROR(st->BindInt(17, r.created_ms));
  return st->Run();
}

Result<std::optional<LetterRecord>> LetterStore::Find(std::string_view letter_id) {
  HUB_ASSIGN_OR_RETURN(
      auto* st,
      db_.Cached(fmt::format("SELECT {} FROM letters WHERE letter_id = ?", kLetterColumns)));
  HUB_RETURN_IF_ERROR(st->BindAll(letter_id));
  HUB_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) {
    st->Reset();
    return std::optional<LetterRecord>();
  }
  auto r = ReadLetter(*st);
  st->Reset();
  if (!r.ok()) return r.status();
  return std::optional<LetterRecord>(std::move(r).value());
}

namespace {
Result<std::string> LoadColumn(storage::Database& db, const char* column,
                               std::string_view letter_id) {
  HUB_ASSIGN_OR_RETURN(
      auto* st, db.Cached(fmt::format("SELECT {} FROM letters WHERE letter_id = ?", column)));
  HUB_RETURN_IF_ERROR(st->BindAll(letter_id));
  HUB_ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) {
    st->Reset();
    return Status::NotFound(fmt::format("letter {} is not in print.db", letter_id), "letter_id");
  }
  std::string bytes(st->ColumnBlob(0));
  st->Reset();
  return bytes;
}
}  // namespace

Result<std::string> LetterStore::LoadRequestJson(std::string_view letter_id) {
  return LoadColumn(db_, "request", letter_id);
}

Result<std::string> LetterStore::LoadPdf(std::string_view letter_id) {
  return LoadColumn(db_, "pdf", letter_id);
}

Result<std::int64_t> LetterStore::CountWaiting() {
  HUB_ASSIGN_OR_RETURN(auto n, db_.QueryInt("SELECT count(*) FROM letters WHERE status = 'PENDING' "
                                            "AND batch_id IS NULL"));
  return n.value_or(0);
}

Result<std::optional<std::int64_t>> LetterStore::OldestWaitingMs() {
  return db_.QueryInt(
      "SELECT min(created_ms) FROM letters WHERE status = 'PENDING' AND "
      "batch_id IS NULL");
}

Result<int> LetterStore::CreateBatch(const std::string& batch_id, int limit, std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* ins, db_.Cached("INSERT INTO batches(batch_id, state, created_ms, "
                                             "updated_ms, letter_count) VALUES (?, ?, ?, ?, 0)"));
  HUB_RETURN_IF_ERROR(ins->BindAll(batch_id, BatchStateName(BatchState::kWriting), now_ms, now_ms));
  HUB_RETURN_IF_ERROR(ins->Run());
  HUB_ASSIGN_OR_RETURN(
      auto* upd,
      db_.Cached(
          "UPDATE letters SET batch_id = ? WHERE letter_id IN (SELECT letter_id FROM letters WHERE "
          "status = 'PENDING' AND batch_id IS NULL ORDER BY created_ms, letter_id LIMIT ?)"));
  HUB_RETURN_IF_ERROR(upd->BindAll(batch_id, limit));
  HUB_RETURN_IF_ERROR(upd->Run());
  int assigned = db_.Changes();
  HUB_ASSIGN_OR_RETURN(auto* count,
                       db_.Cached("UPDATE batches SET letter_count = ? WHERE batch_id = ?"));
  HUB_RETURN_IF_ERROR(count->BindAll(assigned, batch_id));
  HUB_RETURN_IF_ERROR(count->Run());
  return assigned;
}

Result<std::vector<LetterRecord>> LetterStore::BatchLetters(const std::string& batch_id) {
  HUB_ASSIGN_OR_RETURN(
      auto* st, db_.Cached(fmt::format(
                    "SELECT {} FROM letters WHERE batch_id = ? ORDER BY created_ms, letter_id",
                    kLetterColumns)));
  HUB_RETURN_IF_ERROR(st->BindAll(batch_id));
  std::vector<LetterRecord> out;
  while (true) {
    auto row = st->Step();
    if (!row.ok()) {
      st->Reset();
      return row.status();
    }
    if (!*row) break;
    auto r = ReadLetter(*st);
    if (!r.ok()) {
      st->Reset();
      return r.status();
    }
    out.push_back(std::move(r).value());
  }
  st->Reset();
  return out;
}

Result<std::optional<BatchRecord>> LetterStore::FindBatch(const std::string& batch_id) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached("SELECT batch_id, state, created_ms, letter_count FROM "
                                            "batches WHERE batch_id = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(batch_id));
  HUB_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<BatchRecord> out;
  if (row) {
    auto b = ReadBatch(*st);
    if (!b.ok()) {
      st->Reset();
      return b.status();
    }
    out = std::move(b).value();
  }
  st->Reset();
  return out;
}

Result<std::vector<BatchRecord>> LetterStore::BatchesInState(BatchState state) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached("SELECT batch_id, state, created_ms, letter_count FROM "
                                            "batches WHERE state = ? ORDER BY batch_id"));
  HUB_RETURN_IF_ERROR(st->BindAll(BatchStateName(state)));
  std::vector<BatchRecord> out;
  while (true) {
    auto row = st->Step();
    if (!row.ok() || !*row) {
      st->Reset();
      if (!row.ok()) return row.status();
      break;
    }
    auto b = ReadBatch(*st);
    if (!b.ok()) {
      st->Reset();
      return b.status();
    }
    out.push_back(std::move(b).value());
  }
  return out;
}

Status LetterStore::SetBatchState(const std::string& batch_id, BatchState state,
                                  std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(
      auto* st, db_.Cached("UPDATE batches SET state = ?, updated_ms = ? WHERE batch_id = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(BatchStateName(state), now_ms, batch_id));
  return st->Run();
}

Status LetterStore::ApplyStatus(const StatusChange& c, std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(
      auto* upd,
      db_.Cached("UPDATE letters SET status = ?, status_ms = ?, reason_code = ?, reason_text = ? "
                 "WHERE letter_id = ?"));
  HUB_RETURN_IF_ERROR(
      upd->BindAll(LetterStatusName(c.status), c.at_ms, c.reason_code, c.reason_text, c.letter_id));
  HUB_RETURN_IF_ERROR(upd->Run());
  if (db_.Changes() != 1) {
    return Status::NotFound(fmt::format("letter {} is not in print.db", c.letter_id), "letter_id");
  }
  HUB_ASSIGN_OR_RETURN(
      auto* ins,
      db_.Cached(
          "INSERT INTO status_events(letter_id, previous, status, at_ms, recorded_ms, reason_code, "
          "reason_text, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  HUB_RETURN_IF_ERROR(ins->BindAll(c.letter_id, LetterStatusName(c.previous),
                                   LetterStatusName(c.status), c.at_ms, now_ms, c.reason_code,
                                   c.reason_text, c.source));
  return ins->Run();
}

Result<std::vector<StatusChange>> LetterStore::History(std::string_view letter_id) {
  HUB_ASSIGN_OR_RETURN(
      auto* st,
      db_.Cached(
          "SELECT previous, status, at_ms, reason_code, reason_text, source FROM status_events "
          "WHERE letter_id = ? ORDER BY id"));
  HUB_RETURN_IF_ERROR(st->BindAll(letter_id));
  std::vector<StatusChange> out;
  while (true) {
    auto row = st->Step();
    if (!row.ok() || !*row) {
      st->Reset();
      if (!row.ok()) return row.status();
      break;
    }
    StatusChange c;
    c.letter_id = std::string(letter_id);
    c.previous = LetterStatusFromName(st->ColumnText(0)).value_or(LetterStatus::kUnspecified);
    c.status = LetterStatusFromName(st->ColumnText(1)).value_or(LetterStatus::kUnspecified);
    c.at_ms = st->ColumnInt(2);
    c.reason_code = st->ColumnText(3);
    c.reason_text = st->ColumnText(4);
    c.source = st->ColumnText(5);
    out.push_back(std::move(c));
  }
  return out;
}

namespace {
// Reads every row of `st` (bound, positioned before its first row) with `read`; resets `st`.
template <typename T, typename ReadFn>
Result<std::vector<T>> ReadAll(storage::Statement& st, ReadFn read) {
  std::vector<T> out;
  while (true) {
    auto row = st.Step();
    if (!row.ok()) {
      st.Reset();
      return row.status();
    }
    if (!*row) break;
    Result<T> value = read(st);
    if (!value.ok()) {
      st.Reset();
      return value.status();
    }
    out.push_back(std::move(value).value());
  }
  st.Reset();
  return out;
}
}  // namespace

Result<std::vector<LetterRecord>> LetterStore::RecentLetters(std::optional<LetterStatus> status,
                                                             int limit) {
  HUB_ASSIGN_OR_RETURN(
      auto* st, db_.Cached(fmt::format("SELECT {} FROM letters WHERE (?1 IS NULL OR status = ?1) "
                                       "ORDER BY created_ms DESC, letter_id DESC LIMIT ?2",
                                       kLetterColumns)));
  HUB_RETURN_IF_ERROR(status ? st->BindText(1, LetterStatusName(*status)) : st->BindNull(1));
  HUB_RETURN_IF_ERROR(st->BindInt(2, limit));
  return ReadAll<LetterRecord>(*st, ReadLetter);
}

Result<std::vector<BatchRecord>> LetterStore::RecentBatches(int limit) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached("SELECT batch_id, state, created_ms, letter_count FROM "
                                            "batches ORDER BY created_ms DESC, batch_id DESC "
                                            "LIMIT ?"));
  HUB_RETURN_IF_ERROR(st->BindInt(1, limit));
  return ReadAll<BatchRecord>(*st, ReadBatch);
}

Result<std::vector<std::string>> LetterStore::ReprintsOf(std::string_view letter_id) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached("SELECT letter_id FROM letters WHERE reprint_of = ? "
                                            "ORDER BY created_ms, letter_id"));
  HUB_RETURN_IF_ERROR(st->BindAll(letter_id));
  return ReadAll<std::string>(
      *st, [](const storage::Statement& s) -> Result<std::string> { return s.ColumnText(0); });
}

Result<bool> LetterStore::StatusFileApplied(const std::string& sha256) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached("SELECT 1 FROM status_files WHERE sha256 = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(sha256));
  HUB_ASSIGN_OR_RETURN(bool row, st->Step());
  st->Reset();
  return row;
}

Status LetterStore::RecordStatusFile(const std::string& sha256, const std::string& name, int rows,
                                     std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st,
                       db_.Cached("INSERT INTO status_files(sha256, name, rows, applied_ms) "
                                  "VALUES (?, ?, ?, ?)"));
  HUB_RETURN_IF_ERROR(st->BindAll(sha256, name, rows, now_ms));
  return st->Run();
}

Status LetterStore::QueueCancelNotice(const CancelNotice& n) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached("INSERT INTO cancel_notices(letter_id, batch_id, "
                                            "cancelled_ms) VALUES (?, ?, ?)"));
  HUB_RETURN_IF_ERROR(st->BindAll(n.letter_id, n.batch_id, n.cancelled_ms));
  return st->Run();
}

Result<int> LetterStore::AssignCancelNotices(const std::string& notice_id) {
  HUB_ASSIGN_OR_RETURN(
      auto* st, db_.Cached("UPDATE cancel_notices SET notice_id = ? WHERE notice_id IS NULL"));
  HUB_RETURN_IF_ERROR(st->BindAll(notice_id));
  HUB_RETURN_IF_ERROR(st->Run());
  return db_.Changes();
}

Result<std::vector<std::string>> LetterStore::UnwrittenNoticeIds() {
  HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached("SELECT DISTINCT notice_id FROM cancel_notices WHERE "
                                            "notice_id IS NOT NULL AND written = 0 ORDER BY 1"));
  std::vector<std::string> out;
  while (true) {
    auto row = st->Step();
    if (!row.ok() || !*row) {
      st->Reset();
      if (!row.ok()) return row.status();
      break;
    }
    out.push_back(st->ColumnText(0));
  }
  return out;
}

Result<std::vector<CancelNotice>> LetterStore::NoticeLetters(const std::string& notice_id) {
  HUB_ASSIGN_OR_RETURN(auto* st,
                       db_.Cached("SELECT letter_id, batch_id, cancelled_ms FROM "
                                  "cancel_notices WHERE notice_id = ? ORDER BY letter_id"));
  HUB_RETURN_IF_ERROR(st->BindAll(notice_id));
  std::vector<CancelNotice> out;
  while (true) {
    auto row = st->Step();
    if (!row.ok() || !*row) {
      st->Reset();
      if (!row.ok()) return row.status();
      break;
    }
    out.push_back({st->ColumnText(0), st->ColumnText(1), st->ColumnInt(2)});
  }
  return out;
}

Status LetterStore::MarkNoticeWritten(const std::string& notice_id) {
  HUB_ASSIGN_OR_RETURN(auto* st,
                       db_.Cached("UPDATE cancel_notices SET written = 1 WHERE notice_id = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(notice_id));
  return st->Run();
}

}  // namespace hub::print
