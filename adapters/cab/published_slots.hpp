// What e-RS sees: the free slots of every mapped clinic, as of the last reconciliation, minus the
// slots booked through this adapter since. Slot search reads it; booking marks slots taken; the
// reconciler republishes it (issue 5 item 4: a template change is visible within one cycle).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "adapters/cab/booking_gateway.hpp"
#include "adapters/cab/cab_config.hpp"

namespace hub::cab {

// An immutable publication built from one TemplateSnapshot.
struct Publication {
  std::int64_t taken_at_ms = 0;
  std::int64_t horizon_end_ms = 0;  // slots were asked for up to here (the longest polling range)
  std::vector<ClinicInfo> clinics;  // the mapped clinics the hub knows
  std::vector<FreeSlot> slots;      // free slots of those clinics, by start then slot id
  // Per service id: indices into `slots` of the service's clinics' slots, by start.
  std::unordered_map<std::string, std::vector<std::size_t>> by_service;

  const FreeSlot* FindSlot(const std::string& slot_id) const;
  const ClinicInfo* FindClinic(const std::string& clinic_code) const;

 private:
  friend Publication BuildPublication(const CabConfig& config, const TemplateSnapshot& snapshot,
                                      std::int64_t horizon_end_ms);
  std::unordered_map<std::string, std::size_t> slot_index_;
  std::unordered_map<std::string, std::size_t> clinic_index_;
};

// Keeps the snapshot's slots of clinics some service maps (active clinics only) and indexes them.
// `horizon_end_ms` is the end of the range the snapshot's slots were asked for.
Publication BuildPublication(const CabConfig& config, const TemplateSnapshot& snapshot,
                             std::int64_t horizon_end_ms);

// Slot ids booked through the adapter, with the wall-clock ms they were marked.
using TakenSlots = std::unordered_map<std::string, std::int64_t>;

// One consistent read: a publication and the slots taken since. Cheap to copy.
struct PublishedView {
  std::shared_ptr<const Publication> publication;  // null before the first Publish
  std::shared_ptr<const TakenSlots> taken;

  bool IsTaken(const std::string& slot_id) const;
};

// Thread-safe. Shared between the HTTP threads (View, MarkTaken), the gateway threads
// (MarkTaken) and the reconciler (Publish): both members are swapped whole under the mutex, so
// a reader holds a consistent pair without locking while it searches.
class PublishedSlots {
 public:
  PublishedSlots();

  // Replaces the publication. Marks made at or after next->taken_at_ms survive (the snapshot may
  // predate those bookings); older ones are dropped, the snapshot already reflects them.
  void Publish(std::shared_ptr<const Publication> next);
  PublishedView View() const;
  // The slot leaves the published list now. The taken set grows only between two Publish calls.
  void MarkTaken(const std::string& slot_id, std::int64_t at_ms);

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const Publication> publication_;
  std::shared_ptr<const TakenSlots> taken_;
};

}  // namespace hub::cab
