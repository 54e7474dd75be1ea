// booking.db: the booking worker's own database (DESIGN §4). It holds the engine's records (one
// msgpack row per record, hub/booking/record_codec.hpp), the append-only audit log, the task and
// escalation worklists, scanned documents attached to referrals, the transactional outbox and the
// dedupe record of processed messages.
// Owned by the booking worker thread; nothing else opens it read-write.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hub/booking/booking_state.hpp"
#include "hub/booking/decision.hpp"
#include "hub/booking/effects.hpp"
#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"
#include "schemas/booking_events.hpp"
#include "schemas/scan.hpp"

namespace hub::booking_worker {

// One row of the audit log: who (the envelope's source and, when the body names one, the user),
// what (message type and body), when (UTC ms and the London date the engine used), and why
// (the outcome: "ok" with the records changed, or the error).
struct AuditEntry {
  std::string msg_id;
  std::string type;
  std::string source;
  std::string actor;
  std::int64_t at_ms = 0;
  std::string today;  // YYYY-MM-DD
  std::string body;   // msgpack body as received
  std::string outcome;
};

struct TaskRow {
  schemas::TaskCreated task;
  std::string status;  // OPEN or DONE
  std::int64_t created_ms = 0;
};

class BookingStore {
 public:
  static Result<std::unique_ptr<BookingStore>> Open(const std::string& path,
                                                    storage::Synchronous synchronous);

  // Opens an existing booking.db for reading only (hub ctl ptl / pb / capacity while the worker
  // runs: a WAL reader never blocks it). No migrations; NotFound when the file is missing.
  static Result<std::unique_ptr<BookingStore>> OpenReadOnly(const std::string& path);

  // Every stored record, ready for BookingEngine::Load.
  Result<booking::BookingState> LoadState();
  // Writes (or deletes) the records named in `changed` from `state`.
  Status SaveChanges(const booking::BookingState& state, const booking::ChangeSet& changed);

  Status AppendAudit(const AuditEntry& entry);
  // Tasks and escalations from the engine (converted with booking::TaskToBody/EscalationToBody)
  // or from other processes; a repeated id is ignored.
  Status AddTask(const schemas::TaskCreated& task, std::int64_t now_ms);
  Status AddEscalation(const schemas::EscalationRaised& escalation, std::int64_t now_ms);
  // A scanned document attached to its referral (document.scanned from the scan adapter, which
  // checked the coversheet); a repeated document id is ignored.
  Status AddDocument(const schemas::DocumentScanned& document, std::int64_t now_ms);
  // Open tasks, oldest due date first (at most `limit`).
  Result<std::vector<TaskRow>> OpenTasks(int limit);
  Result<std::int64_t> CountAudit();

  storage::Database& db() { return *db_; }

 private:
  explicit BookingStore(std::unique_ptr<storage::Database> db) : db_(std::move(db)) {}
  std::unique_ptr<storage::Database> db_;
};

}  // namespace hub::booking_worker
