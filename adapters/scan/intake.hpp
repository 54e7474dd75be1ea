// Taking in the scanning bureau's batches (RULES §7). A batch is a folder the bureau uploads as
// <inbox>/<name>.part and renames to <inbox>/<name> when complete, holding the documents and
// the index file (index_file.hpp). For each batch:
//
//   take:     rename <inbox>/<name> to <work>/<name> and record it OPEN with its row count
//             (an unreadable index, or a name already taken in, moves it to <rejected>/ beside
//             <name>.error.txt instead)
//   document: for each index row, in order, one at a time:
//               checksum  the file's SHA-256 must be the index's        CHECKSUM_MISMATCH
//               barcode   the index's value, else read from page one    BARCODE_UNREADABLE
//               match     the coversheet id must be one this hub        UNKNOWN_COVERSHEET
//                         printed, agreeing with the index's column and COVERSHEET_MISMATCH
//                         naming the same referral
//               patient   the barcode's NHS number is the coversheet's  NHS_MISMATCH
//               once      not the same file nor the same coversheet     DUPLICATE_SCAN
//                         already attached
//             good: the file is copied (fsynced) to <documents>/<name>/<row>-<file>, then ONE
//             transaction records it SENT and puts document.scanned for `booking` in the
//             outbox; bad: the file is copied to <exceptions>/<name>/<row>-<file> and recorded
//             as an EXCEPTION with its reason — never attached on a guess
//   reply:    the booking service's answer marks the document ATTACHED, or (refused) an
//             EXCEPTION, BOOKING_REFUSED, in the transaction that clears the outbox
//   finish:   when every row is ATTACHED or an EXCEPTION the batch is marked DONE, then its
//             folder is renamed to <done>/<name>
//
// Killed at any point, nothing is lost or done twice: a row is either committed (with its
// file stored first) or processed again from the start, and the outbox resends with the same
// envelope id, which the booking service dedupes. Not thread-safe; one Intake per adapter.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "adapters/scan/coversheet_spooler.hpp"
#include "adapters/scan/index_file.hpp"
#include "adapters/scan/scan_config.hpp"
#include "adapters/scan/scan_db.hpp"
#include "hub/common/clock.hpp"
#include "hub/storage/database.hpp"
#include "hub/wire/envelope.hpp"

namespace hub::scan {

struct TakenBatches {
  std::vector<std::string> taken;     // now OPEN
  std::vector<std::string> rejected;  // moved to <rejected>/ with <name>.error.txt
};

// What became of one document.
struct DocumentOutcome {
  std::string document_id;
  std::string state;   // kSent or kException
  std::string reason;  // ExceptionReasonName, for an exception
  std::string detail;  // for a person
};

class Intake {
 public:
  Intake(storage::Database& db, const ScanConfig& config, CoversheetSpooler& coversheets,
         const Clock& clock);

  // Creates the folders, checks inbox/work/done/rejected share a filesystem (batches move by
  // rename), records folders a crash left in <work>/ unrecorded, and moves DONE batches still
  // in <work>/ to <done>/. Call once at start.
  Status Recover();
  // Takes every complete batch folder waiting in the inbox.
  Result<TakenBatches> TakeNewBatches();
  // Processes the next document of the oldest OPEN batch; nullopt when none waits.
  Result<std::optional<DocumentOutcome>> ProcessNext();
  // Marks DONE (and moves to <done>/) every OPEN batch whose documents are all attached or
  // exceptions; returns their names.
  Result<std::vector<std::string>> FinishBatches();
  // OutboxSender's reply handler for document.scanned: called inside the transaction that
  // clears the outbox row.
  Status OnBookingReply(const wire::Envelope& sent, const wire::Envelope& reply);

  // Testing only: called with "intake.stored" (the file copied, its row not yet committed) and
  // "intake.committed" (the row committed) for every document.
  void SetFaultHook(std::function<void(std::string_view)> hook) { fault_hook_ = std::move(hook); }

 private:
  struct Check;
  Result<const std::vector<IndexRow>*> Rows(const std::string& batch_id);
  Status Reject(const std::string& folder, const std::string& name, const std::string& why);
  Status Register(const std::string& name);
  Result<DocumentOutcome> Process(const std::string& batch_id, const IndexRow& row);
  // Copies `src` durably to <root>/<batch>/<row>-<file>; returns the path relative to data_dir.
  Result<std::string> Store(const std::string& root, const std::string& batch_id,
                            const IndexRow& row, const std::string& bytes);
  std::string Relative(const std::string& path) const;

  storage::Database& db_;
  const ScanConfig& config_;
  CoversheetSpooler& coversheets_;
  const Clock& clock_;
  std::map<std::string, std::vector<IndexRow>> rows_;  // parsed index of each OPEN batch
  std::function<void(std::string_view)> fault_hook_;
};

}  // namespace hub::scan
