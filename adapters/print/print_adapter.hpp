// `hub adapter print`: the MDP worker of service `print` that turns each `letter.requested` into
// a stored, rendered letter and hands batches to the print vendor (RULES §6).
//
// Every N letters or T minutes a batch goes to the vendor; the vendor's status files come back
// as `letter.status` messages to the booking service through the outbox (DESIGN §3).
//
// Replies. `letter.requested` is answered with `letter.accepted` (kLetterAcceptedType):
//   { "letter_id": str, "duplicate": bool (a letter already accepted: nothing new stored),
//     "page_count": int, "sheet_count": int }
// or with `hub.error` naming the field (`body.recipient_address.lines`, `body.kind`, `type`),
// in which case nothing was stored. Both are final and recorded with the envelope id, so a
// redelivery gets the same reply; only `resource_exhausted` (too many letters waiting for a
// batch) is retryable and not recorded.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/print/letter_template.hpp"
#include "adapters/print/print_config.hpp"
#include "adapters/print/print_spooler.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"
#include "hub/wire/curve.hpp"
#include "hub/wire/envelope.hpp"

namespace hub::print {

inline constexpr std::string_view kLetterAcceptedType = "letter.accepted";
// Largest request envelope read (a letter.requested is a few KiB).
inline constexpr std::size_t kMaxRequestBytes = 1 << 20;

struct PrintAdapterOptions {
  PrintConfig print;        // config/print.toml; [adapter] holds credit, outbox and poll settings
  int heartbeat_ms = 2500;  // hub.toml [broker].heartbeat_ms: must equal the broker's (7/MDP)
  int liveness = 3;         // hub.toml [broker].liveness
  // Testing only (print_spooler.hpp SetFaultHook): called at each step of batch publication.
  std::function<void(std::string_view)> fault_hook;
};

// The adapter's work without its sockets: what a batch of requests gets as replies, and what
// the timer does. Not thread-safe; `db` (PrintDbMigrations applied), `config`, `templates` and
// `clock` must outlive it.
class PrintAdapter {
 public:
  PrintAdapter(storage::Database& db, const PrintConfig& config, const TemplateSet& templates,
               const Clock& clock);

  // Recovers an interrupted batch (PrintSpooler::Recover). Call once before anything else.
  Status Start();

  // One reply envelope per request body, in order, after one commit covering every letter
  // stored, dedupe record and letter.status queued for the batch (each request under its own
  // savepoint, so a refused one leaves nothing behind). An error is a storage failure: nothing
  // was committed, no reply may be sent, and the process should stop — the broker redelivers.
  Result<std::vector<std::string>> HandleBatch(const std::vector<std::string>& requests);

  // Publishes batches that are due now (after HandleBatch: N letters waiting).
  Status CutIfDue();
  // The timer: finishes or cuts due batches, applies vendor status files (each change queues
  // a letter.status in its transaction), writes cancellation notices `hub ctl print` queued.
  // Errors (a full disk, say) are returned for logging; everything is retried next time.
  Status Poll();

  PrintSpooler& spooler() { return spooler_; }

 private:
  // The reply to one decoded request; sets *record when it is final (recorded for dedupe)
  // and *refused when what it wrote must be rolled back.
  Result<std::string> Handle(const wire::Envelope& request, std::int64_t now, bool* record,
                             bool* refused);
  std::string ErrorReply(const Status& status, const std::string& ref, std::int64_t now) const;

  storage::Database& db_;
  const PrintConfig& config_;
  const Clock& clock_;
  PrintSpooler spooler_;
  std::int64_t waiting_ = 0;  // letters waiting for a batch, counted at the start of a batch
  bool warned_waiting_ = false;
};

// Runs `hub adapter print` until `stop` is set: loads the templates, opens print.db under
// options.print.folders, recovers, then serves `print` on `broker` with credit
// [adapter].credit, pumps the outbox to `booking`, and polls every [adapter].poll_ms. Returns
// an error (for the process to exit with) when start-up or storage fails.
Status RunPrintAdapter(const PrintAdapterOptions& options, const wire::BrokerConnection& broker,
                       const Clock& clock, const std::atomic<bool>& stop);

}  // namespace hub::print
