// `hub adapter scan`: the MDP worker of service `scan` (RULES §7). It stores every
// `scan.coversheet.requested` for the next print batch of coversheets, takes in the scanning
// bureau's batches from the inbox, and sends each matched document to the booking service as
// `document.scanned` through the outbox (DESIGN §3).
//
// Replies. `scan.coversheet.requested` is answered with `scan.coversheet.accepted`
//   { "coversheet_id": str, "duplicate": bool (already accepted: nothing new stored) }
// or with `hub.error` naming the field (`body.nhs_number`, `body.patient_birth_date`, `type`),
// in which case nothing was stored. Both are final and recorded with the envelope id, so a
// redelivery gets the same reply; only `resource_exhausted` (too many coversheets waiting for
// a print batch) is retryable and not recorded.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "adapters/scan/coversheet_spooler.hpp"
#include "adapters/scan/intake.hpp"
#include "adapters/scan/scan_config.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"
#include "hub/wire/curve.hpp"
#include "hub/wire/envelope.hpp"
#include "schemas/booking_events.hpp"

namespace hub::scan {

// Largest request envelope read (a scan.coversheet.requested is well under 1 KiB).
inline constexpr std::size_t kMaxRequestBytes = 1 << 20;

// The one place the wire meets the core: scan.coversheet.requested -> Coversheet. Validation
// errors name the wire field ("body.nhs_number").
Result<Coversheet> CoversheetFromWire(const schemas::ScanCoversheetRequested& body);

struct ScanAdapterOptions {
  ScanConfig scan;          // config/scan.toml
  int heartbeat_ms = 2500;  // hub.toml [broker].heartbeat_ms: must equal the broker's (7/MDP)
  int liveness = 3;         // hub.toml [broker].liveness
  // Testing only: called at each step of print-batch publication and of document intake
  // (CoversheetSpooler::SetFaultHook, Intake::SetFaultHook).
  std::function<void(std::string_view)> fault_hook;
};

// The adapter's work without its sockets. Not thread-safe; `db` (ScanDbMigrations applied),
// `config` and `clock` must outlive it.
class ScanAdapter {
 public:
  ScanAdapter(storage::Database& db, const ScanConfig& config, const Clock& clock);

  // Finishes an interrupted print batch and recovers the intake folders. Call first.
  Status Start();
  // One reply envelope per request body, in order, after ONE commit covering every coversheet
  // stored and dedupe record (each request under its own savepoint). An error is a storage
  // failure: nothing committed, no reply may be sent, the process should stop.
  Result<std::vector<std::string>> HandleBatch(const std::vector<std::string>& requests);
  // Publishes due print batches and takes new bureau batches from the inbox. Errors (a full
  // disk) are returned for logging; everything is retried next time.
  Status Poll();
  // Takes in the next document of an open batch and finishes complete batches; false when no
  // document waits (the loop then sleeps in the broker poll).
  Result<bool> IntakeStep();
  // For OutboxSender::Pump: the booking service's answer to document.scanned.
  Status OnReply(const wire::Envelope& sent, const wire::Envelope& reply) {
    return intake_.OnBookingReply(sent, reply);
  }

  CoversheetSpooler& coversheets() { return coversheets_; }
  Intake& intake() { return intake_; }

 private:
  Result<std::string> Handle(const wire::Envelope& request, std::int64_t now, bool* record,
                             bool* refused);
  std::string ErrorReply(const Status& status, const std::string& ref, std::int64_t now) const;

  storage::Database& db_;
  const ScanConfig& config_;
  const Clock& clock_;
  CoversheetSpooler coversheets_;
  Intake intake_;
  std::int64_t waiting_ = 0;
  bool warned_waiting_ = false;
};

// Runs `hub adapter scan` until `stop` is set: opens scan.db, recovers, then serves `scan` on
// `broker` with credit [adapter].credit, pumps the outbox to `booking`, takes in documents one
// at a time between broker polls, and polls the folders every [adapter].poll_ms. Returns an
// error (for the process to exit with) when start-up or storage fails.
Status RunScanAdapter(const ScanAdapterOptions& options, const wire::BrokerConnection& broker,
                      const Clock& clock, const std::atomic<bool>& stop);

}  // namespace hub::scan
