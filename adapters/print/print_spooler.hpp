// PrintSpooler: what the print adapter does, as calls the MDP worker shell makes — accept a
// letter, cut and publish batches for the vendor, ingest the vendor's status files, cancel and
// reprint — over print.db and the var/print folders.
//
// Nothing lost, nothing twice: a letter is stored (with its PDF) before Accept returns; a batch
// is assigned its letters in one transaction, written in staging/, fsynced, marked READY, then
// renamed into outbox/ whole. After a crash at any point, Recover() rebuilds a batch still
// WRITING from print.db, publishes a READY one (or notes the vendor already took it), and
// discards anything else in staging/, so every accepted letter ends in exactly one complete
// batch folder and the vendor never sees part of one.
//
// Not thread-safe: one spooler per thread. One adapter process per data_dir: it alone writes
// staging/, outbox/ and the inbox folders (SpoolerRole::kAdapter). Other processes
// (`hub ctl print`) may open print.db with SpoolerRole::kControl and Cancel or Reprint while the
// adapter runs: every change reads what it changes inside its own write transaction, so a batch
// being cut, a status file being applied and a cancellation are serialised by SQLite and none
// overwrites another; the cancellation notices they queue are written by the adapter.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/print/letter.hpp"
#include "adapters/print/letter_store.hpp"
#include "adapters/print/letter_template.hpp"
#include "adapters/print/pdf_renderer.hpp"
#include "adapters/print/print_config.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/common/ulid.hpp"
#include "hub/storage/database.hpp"

namespace hub::print {

struct AcceptedLetter {
  LetterRecord record;
  bool duplicate = false;  // this request had already been accepted (a redelivery): no new letter
};

struct DeliveredBatch {
  std::string batch_id;
  std::string folder;  // its folder in the outbox
  int letter_count = 0;
};

// A status change the booking engine must hear about (the shell sends it as letter.status).
struct StatusUpdate {
  std::string letter_id;
  LetterStatus previous = LetterStatus::kUnspecified;
  LetterStatus status = LetterStatus::kUnspecified;
  std::int64_t at_ms = 0;
  std::string reason_code;
  std::string reason_text;
  // RULES §6: returned mail — the appointment was not clearly communicated; raise a
  // demographics-check task.
  bool demographics_check = false;
  std::string source;  // status file name, "hub", or "ctl:<who>"
  // CANCELLED because a reprint with this id replaces the letter; "" otherwise. The letter the
  // booking engine asked for lives on as the reprint (whose update follows in the same
  // transaction), so the shell does not report this cancellation as the end of it.
  std::string replaced_by;
};

// Called inside the transaction that applies each update, so the shell can add the outgoing
// message to its outbox in print.db atomically with the change. An error rolls the whole
// change back (and leaves a status file in the inbox to be retried).
using StatusSink = std::function<Status(const StatusUpdate&)>;

struct InboxReport {
  std::vector<std::string> done;    // status files applied (or already applied), now in done/
  std::vector<std::string> failed;  // status files refused, now in error/ with .error.txt
  std::vector<StatusUpdate> updates;
};

// Which process the spooler serves. kControl (`hub ctl print`) may Accept, Cancel and Reprint
// but leaves every file to the adapter: Recover, CutDueBatches, Flush, IngestInbox and
// WriteCancelNotices are FailedPrecondition there.
enum class SpoolerRole { kAdapter, kControl };

class PrintSpooler {
 public:
  // `db` must have PrintMigrations() applied; every argument must outlive the spooler.
  PrintSpooler(storage::Database& db, const PrintConfig& config, const TemplateSet& templates,
               const Clock& clock, SpoolerRole role = SpoolerRole::kAdapter);

  // Call once at start-up, before anything else: creates the folders, checks that staging and
  // outbox share a filesystem, and finishes whatever a crash interrupted (see above) and any
  // cancellation notice not yet written.
  Status Recover();

  // Validates, composes and renders `request`, and stores it as PENDING with today's
  // (Europe/London) date. Errors are the request's faults, naming the field: the shell replies
  // with them and nothing is stored. The same letter id with the same request is a redelivery
  // (duplicate = true); with a different request it is AlreadyExists.
  Result<AcceptedLetter> Accept(const LetterRequest& request);
  // Accept inside the caller's open transaction, so that what the caller records with it (the
  // request's dedupe record, its reply) commits or rolls back together; `sink` hears the new
  // letter's PENDING (not a redelivery's). An error from validation or rendering has written
  // nothing; after any other error the caller must roll back (the adapter uses a savepoint).
  Result<AcceptedLetter> AcceptInTransaction(const LetterRequest& request, const StatusSink& sink);

  // Cuts and publishes every batch that is due: while [batch] max_letters letters wait, a full
  // batch; then the rest once the oldest has waited max_age_minutes. A batch an earlier call
  // failed to publish (an I/O error) is published first, with the same letters.
  Result<std::vector<DeliveredBatch>> CutDueBatches();
  // Publishes everything waiting now, whatever its age (`hub ctl print flush`).
  Result<std::vector<DeliveredBatch>> Flush();
  // When CutDueBatches next has work (UTC ms; now when a full batch waits), or nullopt when no
  // letter waits. The shell sleeps until then.
  Result<std::optional<std::int64_t>> NextDueMs();

  // Applies every *.csv status file in the inbox (status_file.hpp), oldest name first. A file
  // is applied whole or not at all: a row that does not parse, names a letter the hub does not
  // know, or is not a valid change for that letter (letter_status.hpp) sends the file to
  // error/ beside <name>.error.txt listing every fault. A repeated status is not a change. A
  // file already applied (same bytes) just moves to done/.
  Result<InboxReport> IngestInbox(const StatusSink& sink);

  // Cancels a letter not yet dispatched. If the vendor has it (or may), a cancellation notice
  // is written to the outbox (cancellations-<id>.csv: letter_id,batch_id,cancelled_at) — by
  // this call in the adapter, by the adapter's next WriteCancelNotices otherwise.
  // Cancelling a cancelled letter changes nothing (previous == status in the result).
  // FailedPrecondition once dispatched; NotFound for an unknown id.
  Result<StatusUpdate> Cancel(std::string_view letter_id, std::string_view who,
                              std::string_view reason, const StatusSink& sink);

  // Renders the letter again from its stored request, today's date and the current templates,
  // under a new letter id (reprint_of = the old id), waiting for the next batch; the old letter
  // is cancelled unless already final (REJECTED, FAILED). Allowed until dispatch, and after
  // REJECTED or FAILED, once: a letter already reprinted is FailedPrecondition (reprint the
  // reprint). `sink` hears the new letter's PENDING, then the old one's CANCELLED (with
  // replaced_by), in the transaction that stores the reprint.
  Result<AcceptedLetter> Reprint(std::string_view letter_id, std::string_view who,
                                 const StatusSink& sink);

  // Writes every queued cancellation notice not yet in the outbox. Recover, Cancel and Reprint
  // call it in the adapter; the adapter also calls it on its timer for notices another process
  // (`hub ctl print`) queued.
  Status WriteCancelNotices();

  LetterStore& store() { return store_; }

  // Test-only fault injection (as rocksdb's sync points): called with the name of each step of
  // batch publication — "batch.assigned", "batch.file_written" (per file), "batch.staged",
  // "batch.ready", "batch.renamed", "batch.delivered" — so a test can kill the process there.
  void SetFaultHook(std::function<void(std::string_view)> hook) { fault_hook_ = std::move(hook); }

 private:
  // A rendered letter, not yet stored.
  struct PreparedLetter {
    LetterRecord record;
    std::string request_json;
    std::string pdf;
  };

  Status RequireAdapter(std::string_view what) const;
  // The stored letter when `request` is a redelivery of it; AlreadyExists when its id was used
  // for a different request; nullopt when the id is new.
  Result<std::optional<AcceptedLetter>> Redelivery(const LetterRequest& request,
                                                   const std::string& request_sha256);
  Result<PreparedLetter> Prepare(const LetterRequest& request, std::string request_json,
                                 const std::string& request_sha256, const std::string& reprint_of);
  // Inserts the letter as PENDING; call inside a transaction. Returns the change applied.
  Result<StatusChange> Store(const PreparedLetter& letter, std::string source,
                             std::string reason_text);
  Result<std::vector<DeliveredBatch>> Cut(bool everything);
  // Publishes batches left WRITING or READY by a failure or a crash; appends them when
  // `delivered` is given.
  Status FinishUnpublished(std::vector<DeliveredBatch>* delivered);
  Result<DeliveredBatch> WriteBatch(const std::string& batch_id);
  Result<DeliveredBatch> PublishReady(const std::string& batch_id);
  Status IngestFile(const std::string& name, const StatusSink& sink, InboxReport& report);
  Status MoveToFolder(const std::string& name, const std::string& folder);
  Status Cancelled(const LetterRecord& record, std::string_view source, std::string_view reason,
                   std::string_view replaced_by, const StatusSink& sink, StatusUpdate* update);
  void Hook(std::string_view point) {
    if (fault_hook_) fault_hook_(point);
  }

  storage::Database& db_;
  LetterStore store_;
  const PrintConfig& config_;
  const TemplateSet& templates_;
  const Clock& clock_;
  SpoolerRole role_;
  PdfRenderer renderer_;
  UlidGenerator ulids_;
  std::function<void(std::string_view)> fault_hook_;
};

}  // namespace hub::print
