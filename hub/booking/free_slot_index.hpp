// FreeSlotIndex: slots with free capacity, grouped by (specialty, clinic type) and slot type and
// ordered by start time, so that "the earliest free URGENT cardiology slot on or after day D" is
// one lower_bound instead of a scan of every slot (DESIGN §5: 100,000 bookings against
// 200 clinics x 52 weeks). Not thread-safe; owned by the BookingState it indexes.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "hub/booking/slot.hpp"

namespace hub::booking {

// "CARDIOLOGY|GENERAL": the key slots and waiting-list entries are matched on (RULES §3.1: an e-RS
// service is a specialty plus a clinic type).
std::string BookingGroup(std::string_view specialty, std::string_view clinic_type);

class FreeSlotIndex {
 public:
  struct Key {
    std::int64_t start_ms = 0;
    std::string slot_id;
    auto operator<=>(const Key&) const = default;
  };

  // Insert is idempotent; Erase of an absent slot does nothing.
  void Insert(const Slot& slot);
  void Erase(const Slot& slot);
  void Clear() { groups_.clear(); }

  // Calls fn(const Key&) for each indexed slot of `type` in `group` starting at or after
  // `from_ms`, in start order, while fn returns true.
  template <typename Fn>
  void Scan(const std::string& group, SlotType type, std::int64_t from_ms, Fn&& fn) const {
    auto it = groups_.find(group);
    if (it == groups_.end()) return;
    const auto& set = it->second[static_cast<std::size_t>(type)];
    for (auto k = set.lower_bound(Key{from_ms, {}}); k != set.end(); ++k) {
      if (!fn(*k)) return;
    }
  }
  // The earliest indexed slot of `type` in `group` starting at or after `from_ms`.
  std::optional<Key> First(const std::string& group, SlotType type, std::int64_t from_ms) const;
  std::size_t size() const;

 private:
  std::unordered_map<std::string, std::array<std::set<Key>, kSlotTypeCount>> groups_;
};

}  // namespace hub::booking
