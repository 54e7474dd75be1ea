// `hub adapter cab` as a process (DESIGN §1): the CaB adapter (HTTP A015/A016 and the
// reconciler) over the broker-backed gateway, the MDP worker of service `cab` (slots.changed
// starts a reconciliation; cab.drift answers the drift report), and drift escalations sent to the
// booking service as escalation.raised through the transactional outbox in cab.db.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/cab/cab_config.hpp"
#include "adapters/cab/drift.hpp"
#include "adapters/cab/reconciler.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"
#include "hub/wire/curve.hpp"
#include "schemas/booking_events.hpp"
#include "schemas/cab.hpp"

namespace hub::cab {

inline constexpr std::string_view kCabSource = "adapter.cab";

struct CabProcessOptions {
  CabConfig cab;         // config/cab.toml
  std::string db_path;   // cab.db: the outbox and the escalations raised
  int heartbeat_ms = 2500;  // hub.toml [broker].heartbeat_ms: must equal the broker's (7/MDP)
  int liveness = 3;         // hub.toml [broker].liveness
  int outbox_timeout_ms = 5000;      // resend an escalation (same id) after this
  int drift_refresh_wait_ms = 30'000;  // cab.drift with refresh waits this long for its cycle
};

// Opens (creating) cab.db and applies its migrations: outbox (adapters/common/outbox.hpp) and
// escalations(escalation_id PRIMARY KEY, dedupe_key, severity, title, items, raised_ms).
Result<std::unique_ptr<storage::Database>> OpenCabDb(const std::string& path);

// The one mapping of a drift escalation onto escalation.raised (reason ERS_DRIFT; schemas/README):
// escalation_id = "<dedupe key>.<YYYYMMDD>" (the same problems are raised once a London day),
// specialty / clinic_type = those of the services concerned (", "-joined, "" when none),
// priority = the most urgent priority an item names (ROUTINE when none does), patients = 0,
// raised_on = earliest_target = the London date, message = the title and the report.
schemas::EscalationRaised DriftEscalationBody(const EscalationSummary& summary,
                                             const std::vector<DriftItem>& items,
                                             const CabConfig& config);

// If `report` has drift a person must act on, queues its escalation.raised for service `booking`
// in cab.db's outbox, with a row in escalations, unless that escalation id was raised before.
// Returns the escalation id queued, or nullopt. One transaction.
Result<std::optional<std::string>> QueueDriftEscalation(storage::Database& db,
                                                        const ReconcileReport& report,
                                                        const CabConfig& config,
                                                        std::int64_t now_ms);

// cab.drift.result for a reconciliation report.
schemas::CabDriftResult DriftResultFor(const ReconcileReport& report);

// Runs `hub adapter cab` until `stop` is set: opens cab.db, starts the adapter (first
// reconciliation, HTTP server on [http].listen, reconciler thread), serves `cab` on `broker`, and
// pumps the outbox. Returns an error for the process to exit with when start-up fails (cab.db,
// the listen address).
Status RunCabAdapter(const CabProcessOptions& options, const wire::BrokerConnection& broker,
                     const Clock& clock, const std::atomic<bool>& stop);

}  // namespace hub::cab
