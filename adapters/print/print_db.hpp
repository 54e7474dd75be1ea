// print.db as the adapter process and `hub ctl print` open it (the core's schema, outbox, dedupe,
// ctl indexes), and the StatusSink that puts a `letter.status` for the booking service into the
// outbox in the transaction of each change (DESIGN §3).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapters/print/letter_store.hpp"
#include "adapters/print/print_spooler.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"

namespace hub::print {

// The envelope `source` of everything the print adapter sends.
inline constexpr std::string_view kPrintSource = "adapter.print";

// Every schema step of print.db, in order: PrintMigrations() (step 1), outbox (2), processed
// (3), indexes (4). New steps are appended here.
const std::vector<storage::Migration>& PrintDbMigrations();

// Opens print.db with synchronous=FULL (a letter acknowledged to the booking service survives
// a power cut, not only a crash) and applies PrintDbMigrations. With `create` false a missing
// file is NotFound (`hub ctl print` never creates print.db; the adapter does).
Result<std::unique_ptr<storage::Database>> OpenPrintDb(const std::string& path, bool create);

// The letter id the booking engine asked for: `letter_id` itself, or for a reprint the letter
// at the start of its reprint_of chain (the booking engine knows only that one).
Result<std::string> RequestedLetterId(LetterStore& store, const std::string& letter_id);

// A StatusSink adding, for each update the booking engine tracks (letter_mapping.hpp
// LetterStatusFor), a `letter.status` envelope for service `booking` to the outbox, with
// `corr` as its correlation id. Call it inside the transaction of the change (PrintSpooler
// does). `db`, `store` and `clock` must outlive the sink.
StatusSink OutboxStatusSink(storage::Database& db, LetterStore& store, const Clock& clock,
                            std::string corr = "");

}  // namespace hub::print
