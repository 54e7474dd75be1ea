// `hub ctl print`: what the booking team and operators do with letters — list them, show one
// with its history, reprint, cancel (RULES §6), list batches — as calls returning the text to
// print.
//
// They open print.db directly, and are safe while the adapter runs: a control-role
// spooler only changes print.db, in transactions that read what they change (so a batch being
// cut or a status file being applied is never overwritten), its letter.status messages go
// into the same outbox the adapter sends from, and the adapter writes the files (cancellation
// notices within [adapter] poll_ms; a reprint goes out in the next batch).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/print/letter_status.hpp"
#include "adapters/print/letter_template.hpp"
#include "adapters/print/print_config.hpp"
#include "adapters/print/print_spooler.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"

namespace hub::print {

class PrintCtl {
 public:
  // Opens `config`'s print.db (NotFound when the adapter has never run) and loads the letter
  // templates (a reprint renders again). `config` and `clock` must outlive the PrintCtl.
  static Result<std::unique_ptr<PrintCtl>> Open(const PrintConfig& config, const Clock& clock);

  // The newest `limit` letters, or only those in `status`, newest first: one line each.
  Result<std::string> ListLetters(std::optional<LetterStatus> status, int limit);
  // One letter: what it is, where it is, and every status change with who made it.
  Result<std::string> ShowLetter(std::string_view letter_id);
  // The newest `limit` batches with their state and letter count.
  Result<std::string> ListBatches(int limit);
  // PrintSpooler::Reprint / Cancel by `who` (a person, for the audit). Cancel needs a reason.
  Result<std::string> Reprint(std::string_view letter_id, std::string_view who);
  Result<std::string> Cancel(std::string_view letter_id, std::string_view who,
                             std::string_view reason);

 private:
  PrintCtl(const PrintConfig& config, const Clock& clock, TemplateSet templates,
           std::unique_ptr<storage::Database> db);

  const PrintConfig& config_;
  const Clock& clock_;
  TemplateSet templates_;
  std::unique_ptr<storage::Database> db_;
  PrintSpooler spooler_;
};

// A status named on the command line, in any case ("returned"); the error lists the names.
Result<LetterStatus> ParseLetterStatusArg(std::string_view text);

}  // namespace hub::print
