// Reconciliation cycle (issue 5 item 3; RULES §8): snapshot the hub's templates and free slots
// through the gateway, read the e-RS service definitions file, find drift, and republish the
// slots e-RS sees — on a schedule and whenever the hub reports `slots.changed`.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/cab/booking_gateway.hpp"
#include "adapters/cab/cab_config.hpp"
#include "adapters/cab/drift.hpp"
#include "adapters/cab/published_slots.hpp"
#include "hub/common/clock.hpp"

namespace hub::cab {

struct ReconcileReport {
  std::int64_t at_ms = 0;
  Status status;          // the snapshot could not be taken (nothing compared or republished)
  std::string ers_error;  // the e-RS definitions file could not be read (compared without it)
  std::vector<DriftItem> items;
  bool republished = false;
  std::size_t published_slots = 0;
};

// Takes the snapshot the reconciler compares: all clinics, and the free slots of every active
// mapped clinic from `now_ms` to the end of the longest polling range (`*horizon_end_ms`).
Result<TemplateSnapshot> TakeSnapshot(const CabConfig& config, BookingGateway& gateway,
                                      std::int64_t now_ms, std::int64_t* horizon_end_ms);

// RunOnce is safe to call from any thread (runs are serialised); Start/Stop from one owner thread.
class Reconciler {
 public:
  Reconciler(const CabConfig& config, BookingGateway& gateway, PublishedSlots& published,
             const Clock& clock);
  ~Reconciler();  // Stop()

  // One cycle. Republishes whenever the snapshot was taken, and marks kStalePublication items
  // fixed. The report is also kept for LastReport().
  ReconcileReport RunOnce();
  ReconcileReport LastReport() const;

  // Runs a cycle every reconcile.interval_s and soon after each Trigger(), on its own thread;
  // `on_report` (may be empty) gets each report on that thread — the caller raises
  // `escalation.raised` from BuildEscalation(report.items).
  void Start(std::function<void(const ReconcileReport&)> on_report);
  // Asks for a cycle now (a `slots.changed` event). Coalesces: many triggers, one cycle.
  void Trigger();
  void Stop();

 private:
  void Loop();

  const CabConfig& config_;
  BookingGateway& gateway_;
  PublishedSlots& published_;
  const Clock& clock_;
  std::mutex run_mu_;  // serialises RunOnce
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool triggered_ = false;
  bool stopping_ = false;
  ReconcileReport last_;
  std::function<void(const ReconcileReport&)> on_report_;
  std::thread thread_;
};

}  // namespace hub::cab
