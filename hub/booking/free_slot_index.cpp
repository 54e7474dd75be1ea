// Free-slot index.
#include "hub/booking/free_slot_index.hpp"

namespace hub::booking {

std::string BookingGroup(std::string_view specialty, std::string_view clinic_type) {
  std::string g;
  g.reserve(specialty.size() + clinic_type.size() + 1);
  g.append(specialty).push_back('|');
  g.append(clinic_type);
  return g;
}

void FreeSlotIndex::Insert(const Slot& s) {
  groups_[BookingGroup(s.specialty, s.clinic_type)][static_cast<std::size_t>(s.type)].insert(
      Key{s.start_ms, s.slot_id});
}

void FreeSlotIndex::Erase(const Slot& s) {
  auto it = groups_.find(BookingGroup(s.specialty, s.clinic_type));
  if (it == groups_.end()) return;
  it->second[static_cast<std::size_t>(s.type)].erase(Key{s.start_ms, s.slot_id});
}

std::optional<FreeSlotIndex::Key> FreeSlotIndex::First(const std::string& group, SlotType type,
                                                       std::int64_t from_ms) const {
  std::optional<Key> out;
  Scan(group, type, from_ms, [&](const Key& k) {
    out = k;
    return false;
  });
  return out;
}

std::size_t FreeSlotIndex::size() const {
  std::size_t n = 0;
  for (const auto& [group, sets] : groups_) {
    for (const auto& s : sets) n += s.size();
  }
  return n;
}

}  // namespace hub::booking
