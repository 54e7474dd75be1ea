// Coversheets from request to printer (RULES §7): each accepted coversheet is stored in scan.db;
// every N coversheets or T minutes they are published as one print batch folder,
// <coversheets>/<batch>/ with coversheets.pdf (an optional Patch 3 sheet, then each coversheet,
// each optionally preceded by a separator sheet) and manifest.csv:
//
//   batch_id,page,coversheet_id,referral_id,nhs_number,patient_name,document_type
//
// Publication: assign the coversheets to the batch (WRITING) in one transaction; write both
// files in <staging>/<batch>/ and fsync; rename the folder into <coversheets>/ (atomic: the
// print room sees all or nothing); mark the batch DONE and its coversheets printed. Recover()
// finishes a batch a crash interrupted. Not thread-safe; `db`, `config`, `clock` outlive it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "adapters/scan/coversheet.hpp"
#include "adapters/scan/coversheet_renderer.hpp"
#include "adapters/scan/scan_config.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"

namespace hub::scan {

struct AcceptedCoversheet {
  std::string coversheet_id;
  bool duplicate = false;  // the same coversheet was accepted before; nothing new stored
};

struct PublishedBatch {
  std::string batch_id;
  std::string folder;
  int coversheet_count = 0;
};

class CoversheetSpooler {
 public:
  CoversheetSpooler(storage::Database& db, const ScanConfig& config, const Clock& clock);

  // Validates (ValidateCoversheet), test-renders it (a name no font can print is refused now,
  // not when its batch is written) and stores `c` for the next print batch, inside the
  // caller's transaction. The same id again with the same values is a duplicate; with other
  // values AlreadyExists (field "coversheet_id").
  Result<AcceptedCoversheet> AcceptInTransaction(Coversheet c);
  // Coversheets waiting for a print batch.
  Result<std::int64_t> CountWaiting();
  // Publishes every batch due now: N waiting, the oldest waiting T minutes, or one a failure
  // left WRITING. Returns the batches published.
  Result<std::vector<PublishedBatch>> CutDueBatches();
  // Finishes an interrupted batch and empties staging. Call once at start.
  Status Recover();
  // Testing only: called with "print.staged" (files fsynced in staging) and "print.renamed"
  // (folder in coversheets, not yet marked DONE).
  void SetFaultHook(std::function<void(std::string_view)> hook) { fault_hook_ = std::move(hook); }

  // A stored coversheet, or nullopt.
  Result<std::optional<Coversheet>> Find(const std::string& coversheet_id);

 private:
  Result<bool> Due();
  Result<PublishedBatch> Publish(const std::string& batch_id);
  Status Fault(std::string_view point) {
    if (fault_hook_) fault_hook_(point);
    return Status::Ok();
  }

  storage::Database& db_;
  const ScanConfig& config_;
  const Clock& clock_;
  CoversheetRenderer renderer_;
  std::function<void(std::string_view)> fault_hook_;
};

// RFC 4180 quoting of one CSV field.
std::string CsvField(std::string_view value);

}  // namespace hub::scan
