// print.db: every letter the adapter accepted (its request, PDF and status), the batches they
// went out in, an append-only audit of status changes (DESIGN §4), the status files applied,
// and cancellations the vendor must be told about. SQL only; PrintSpooler holds the rules.
// Not thread-safe (like storage::Database); one adapter process owns print.db.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/print/letter.hpp"
#include "adapters/print/letter_status.hpp"
#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"

namespace hub::print {

// print.db's first schema step, for storage::Migrate. It is frozen: the adapter process appends
// its own steps (outbox, dedupe, the indexes `hub ctl print` lists by) in print_db.hpp, and any
// later step goes there, after them.
const std::vector<storage::Migration>& PrintMigrations();

struct LetterRecord {
  std::string letter_id;
  LetterKind kind = LetterKind::kUnspecified;
  std::string nhs_number;
  std::string letter_date;     // ISO, as printed
  std::string request_sha256;  // of the stored request JSON: a redelivery must match it
  LetterStatus status = LetterStatus::kUnspecified;
  std::int64_t status_ms = 0;  // when the current status happened (UTC ms)
  std::string reason_code;
  std::string reason_text;
  std::string batch_id;    // "" until the letter is put in a batch
  std::string reprint_of;  // the letter this one reprints, or ""
  int page_count = 0;
  int sheet_count = 0;
  std::string sha256;  // of the PDF
  Postage postage = Postage::kUnspecified;
  bool duplex = true;
  bool colour = false;
  std::int64_t created_ms = 0;
};

enum class BatchState {
  kWriting,    // letters assigned; the folder is being written in staging
  kReady,      // the staging folder is complete and fsynced; it is being renamed to the outbox
  kDelivered,  // the folder is in the outbox (or the vendor has already taken it)
};
std::string_view BatchStateName(BatchState state);

struct BatchRecord {
  std::string batch_id;
  BatchState state = BatchState::kWriting;
  std::int64_t created_ms = 0;
  int letter_count = 0;
};

// One status change, as applied and audited.
struct StatusChange {
  std::string letter_id;
  LetterStatus previous = LetterStatus::kUnspecified;
  LetterStatus status = LetterStatus::kUnspecified;
  std::int64_t at_ms = 0;  // when it happened
  std::string reason_code;
  std::string reason_text;
  std::string source;  // "hub", "ctl:<who>", or the status file's name
};

struct CancelNotice {
  std::string letter_id;
  std::string batch_id;
  std::int64_t cancelled_ms = 0;
};

class LetterStore {
 public:
  // `db` must have PrintMigrations applied and outlive the store.
  explicit LetterStore(storage::Database& db) : db_(db) {}

  storage::Database& db() { return db_; }

  // Inserts a new letter with status PENDING. AlreadyExists when the id is taken.
  Status Insert(const LetterRecord& record, std::string_view request_json, std::string_view pdf);
  Result<std::optional<LetterRecord>> Find(std::string_view letter_id);
  Result<std::string> LoadRequestJson(std::string_view letter_id);
  Result<std::string> LoadPdf(std::string_view letter_id);

  // Letters PENDING and in no batch: how many, and when the oldest was accepted.
  Result<std::int64_t> CountWaiting();
  Result<std::optional<std::int64_t>> OldestWaitingMs();

  // Creates batch `batch_id` (state WRITING) holding up to `limit` waiting letters, oldest
  // first; returns how many. Call inside a transaction.
  Result<int> CreateBatch(const std::string& batch_id, int limit, std::int64_t now_ms);
  Result<std::vector<LetterRecord>> BatchLetters(const std::string& batch_id);
  Result<std::optional<BatchRecord>> FindBatch(const std::string& batch_id);
  Result<std::vector<BatchRecord>> BatchesInState(BatchState state);
  Status SetBatchState(const std::string& batch_id, BatchState state, std::int64_t now_ms);

  // Sets the letter's status and appends the change to the audit table.
  Status ApplyStatus(const StatusChange& change, std::int64_t now_ms);
  Result<std::vector<StatusChange>> History(std::string_view letter_id);

  // For `hub ctl print`: the newest letters (only those in `status` when given) and the newest
  // batches, newest first, at most `limit` of each.
  Result<std::vector<LetterRecord>> RecentLetters(std::optional<LetterStatus> status, int limit);
  Result<std::vector<BatchRecord>> RecentBatches(int limit);
  // Ids of the letters that reprint `letter_id` (normally none, or one).
  Result<std::vector<std::string>> ReprintsOf(std::string_view letter_id);

  // Status files already applied, by the SHA-256 of their bytes.
  Result<bool> StatusFileApplied(const std::string& sha256);
  Status RecordStatusFile(const std::string& sha256, const std::string& name, int rows,
                          std::int64_t now_ms);

  // Cancellations of letters the vendor already holds: queued, grouped into a notice file,
  // marked written once the file is in the outbox.
  Status QueueCancelNotice(const CancelNotice& notice);
  // Gives every queued notice without a notice id the id `notice_id`; returns how many.
  Result<int> AssignCancelNotices(const std::string& notice_id);
  Result<std::vector<std::string>> UnwrittenNoticeIds();
  Result<std::vector<CancelNotice>> NoticeLetters(const std::string& notice_id);
  Status MarkNoticeWritten(const std::string& notice_id);

 private:
  storage::Database& db_;
};

}  // namespace hub::print
