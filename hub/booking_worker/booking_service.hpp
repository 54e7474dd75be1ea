// The booking worker's I/O shell around the pure engine (DESIGN §5): for each request from the
// broker it dedupes by envelope id, applies the message with BookingEngine, and in ONE
// transaction writes the changed records, the audit row, the tasks and escalations, the
// outbound messages (outbox) and the dedupe record with the reply. Nothing is sent from here;
// the worker loop's OutboxSender delivers the outbox.
//
// Failure contract: a bad message gets an error reply naming the field and changes nothing. A
// storage failure is returned as an error; the caller must stop the process without replying
// (the engine's memory may be ahead of the database; a restart reloads it and the broker
// redelivers the batch).
// Not thread-safe: one service per worker thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "adapters/common/mdp_worker.hpp"
#include "hub/booking/booking_engine.hpp"
#include "hub/booking/clinic_template.hpp"
#include "hub/booking/commands.hpp"
#include "hub/booking_worker/booking_store.hpp"
#include "hub/common/clock.hpp"

namespace hub::booking_worker {

// The MDP service each outbound message type goes to. Empty for types the worker keeps itself.
std::string_view ServiceFor(std::string_view type);

class BookingService {
 public:
  BookingService(BookingStore& store, booking::BookingRules rules, const Clock& clock);

  // Loads the stored records into the engine.
  Status Start();
  // Applies the clinic templates from config (template.upsert each; unchanged ones change
  // nothing), then the daily sweep if it has not run today.
  Status LoadTemplates(const std::vector<booking::ClinicTemplate>& templates);
  // Runs Sweep once per London day (DESIGN §5: slot horizons, releases, contact-by tasks).
  Status SweepIfDue();

  // Handles one batch in one transaction and returns one reply per request, in order.
  Result<std::vector<std::string>> HandleBatch(const std::vector<adapters::WorkRequest>& batch);

  booking::BookingEngine& engine() { return engine_; }
  booking::Date Today() const;

 private:
  // Applies one command inside the open transaction; fills `reply` (booking.result or
  // hub.error). A storage failure is returned as the error.
  Status HandleCommand(const std::string& msg_id, std::string_view type, std::string_view source,
                       std::string_view body, std::int64_t now_ms, std::string* reply);
  // document.scanned (RULES §7): checks the referral exists and is the document's patient's,
  // stores the document reference against it (booking.db documents) and audits it; a refusal
  // is an error reply naming the field. A storage failure is returned as the error.
  Status AttachDocument(const std::string& msg_id, std::string_view source, std::string_view body,
                        std::int64_t now_ms, std::string* reply);
  // Persists a successful decision: records, effects, audit.
  Status Persist(const booking::Decision& d, const AuditEntry& audit, std::int64_t now_ms);
  // Applies a command generated inside the process (config, sweep) in its own transaction.
  Status ApplyLocal(const booking::Command& command, std::string_view type, const std::string& key);
  std::string ErrorReply(const Status& status, std::string_view ref, std::int64_t now_ms) const;

  BookingStore& store_;
  booking::BookingEngine engine_;
  const Clock& clock_;
};

}  // namespace hub::booking_worker
