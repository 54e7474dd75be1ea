// The published slot list and its copy-on-write updates.
#include "adapters/cab/published_slots.hpp"

#include <algorithm>
#include <unordered_set>

namespace hub::cab {

const FreeSlot* Publication::FindSlot(const std::string& slot_id) const {
  auto it = slot_index_.find(slot_id);
  return it == slot_index_.end() ? nullptr : &slots[it->second];
}

const ClinicInfo* Publication::FindClinic(const std::string& clinic_code) const {
  auto it = clinic_index_.find(clinic_code);
  return it == clinic_index_.end() ? nullptr : &clinics[it->second];
}

Publication BuildPublication(const CabConfig& config, const TemplateSnapshot& snapshot,
                             std::int64_t horizon_end_ms) {
  Publication pub;
  pub.taken_at_ms = snapshot.taken_at_ms;
  pub.horizon_end_ms = horizon_end_ms;
  std::unordered_set<std::string> mapped;
  for (const ServiceDef& s : config.services)
    mapped.insert(s.clinic_codes.begin(), s.clinic_codes.end());
  for (const ClinicInfo& c : snapshot.clinics) {
    if (c.active && mapped.count(c.clinic_code) && !pub.clinic_index_.count(c.clinic_code)) {
      pub.clinic_index_[c.clinic_code] = pub.clinics.size();
      pub.clinics.push_back(c);
    }
  }
  for (const FreeSlot& slot : snapshot.free_slots) {
    if (pub.clinic_index_.count(slot.clinic_code) && slot.booked < slot.capacity &&
        !pub.slot_index_.count(slot.slot_id)) {
      pub.slot_index_[slot.slot_id] = 0;
      pub.slots.push_back(slot);
    }
  }
  std::sort(pub.slots.begin(), pub.slots.end(), [](const FreeSlot& a, const FreeSlot& b) {
    return a.start_ms != b.start_ms ? a.start_ms < b.start_ms : a.slot_id < b.slot_id;
  });
  for (std::size_t i = 0; i < pub.slots.size(); ++i) pub.slot_index_[pub.slots[i].slot_id] = i;
  for (const ServiceDef& s : config.services) {
    std::vector<std::size_t>& idx = pub.by_service[s.service_id];
    for (std::size_t i = 0; i < pub.slots.size(); ++i) {
      if (std::find(s.clinic_codes.begin(), s.clinic_codes.end(), pub.slots[i].clinic_code) !=
          s.clinic_codes.end()) {
        idx.push_back(i);
      }
    }
  }
  return pub;
}

bool PublishedView::IsTaken(const std::string& slot_id) const {
  return taken && taken->count(slot_id) > 0;
}

PublishedSlots::PublishedSlots() : taken_(std::make_shared<const TakenSlots>()) {}

void PublishedSlots::Publish(std::shared_ptr<const Publication> next) {
  std::lock_guard<std::mutex> lock(mu_);
  auto kept = std::make_shared<TakenSlots>();
  for (const auto& [id, at_ms] : *taken_) {
    if (at_ms >= next->taken_at_ms) kept->emplace(id, at_ms);
  }
  publication_ = std::move(next);
  taken_ = std::move(kept);
}

PublishedView PublishedSlots::View() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {publication_, taken_};
}

void PublishedSlots::MarkTaken(const std::string& slot_id, std::int64_t at_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto next = std::make_shared<TakenSlots>(*taken_);
  (*next)[slot_id] = at_ms;
  taken_ = std::move(next);
}

}  // namespace hub::cab
