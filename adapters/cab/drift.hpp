// Reconciliation as a pure function (RULES §8): the hub's clinic templates and free slots, the
// service map and the e-RS service definitions compared, each disagreement reported as a drift
// item a team leader can act on; the text `hub ctl cab drift` prints; the escalation summary.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/cab/booking_gateway.hpp"
#include "adapters/cab/cab_config.hpp"
#include "adapters/cab/ers_directory.hpp"
#include "adapters/cab/published_slots.hpp"

namespace hub::cab {

enum class DriftKind : std::uint8_t {
  // A mapped service with no active clinic in the hub, or a bookable e-RS service the map lacks.
  kServiceWithoutClinic = 1,
  // An active hub clinic with new-patient slot types that no service maps.
  kClinicWithoutService = 2,
  // The map names a clinic the hub has no (active) template for.
  kUnknownClinic = 3,
  // A mapped service missing from the e-RS definitions, inactive there, or not directly bookable.
  kServiceNotOnErs = 4,
  kSpecialtyMismatch = 5,
  kClinicTypeMismatch = 6,
  kPriorityMismatch = 7,
  kAgeSexMismatch = 8,
  // An accepted priority with no offered slot in its booking window: predicts ASIs (RULES §8).
  kNoSlotsInWindow = 9,
  // Template slot types no accepted priority can use, or a priority no template slot type serves.
  kSlotTypeMismatch = 10,
  // Published slots differ from the hub's free slots; fixed by republishing.
  kStalePublication = 11,
};
inline constexpr DriftKind kAllDriftKinds[] = {
    DriftKind::kServiceWithoutClinic, DriftKind::kClinicWithoutService,
    DriftKind::kUnknownClinic,        DriftKind::kServiceNotOnErs,
    DriftKind::kSpecialtyMismatch,    DriftKind::kClinicTypeMismatch,
    DriftKind::kPriorityMismatch,     DriftKind::kAgeSexMismatch,
    DriftKind::kNoSlotsInWindow,      DriftKind::kSlotTypeMismatch,
    DriftKind::kStalePublication};
// "service_without_clinic", "clinic_without_service", ...
std::string_view DriftKindName(DriftKind kind);

struct DriftItem {
  DriftKind kind = DriftKind::kServiceWithoutClinic;
  std::string service_id;   // "" when the item concerns a clinic only
  std::string clinic_code;  // "" when the item concerns a service only
  std::optional<Priority> priority;
  std::string message;   // what is wrong, its consequence, and what to do
  bool fixable = false;  // the adapter can fix it by itself (republish)
  bool fixed = false;    // ... and did, in this reconciliation
};

struct DriftInputs {
  const CabConfig* config = nullptr;             // required
  const TemplateSnapshot* hub = nullptr;         // required
  const std::vector<ErsService>* ers = nullptr;  // null: e-RS definitions not compared
  const Publication* published = nullptr;        // null: nothing published yet
  const TakenSlots* taken = nullptr;             // slots booked through the adapter since
  std::int64_t now_ms = 0;
};

// Every drift item, ordered by service id, then clinic code, then kind. Deterministic.
std::vector<DriftItem> FindDrift(const DriftInputs& in);

// Plain text for `hub ctl cab drift`: a header with the time (Europe/London) and counts, then one
// block per item. "No drift" when `items` is empty.
std::string RenderDriftReport(const std::vector<DriftItem>& items, std::int64_t at_ms);

// What the team leader is told (mapped by the caller to `escalation.raised`).
struct EscalationSummary {
  std::string severity;  // "critical" when an URGENT or TWO_WEEK_WAIT window has no slot,
                         // otherwise "warning"
  std::string title;     // one line
  std::string text;      // RenderDriftReport of the items needing a person
  std::vector<std::string> service_ids;   // services concerned, sorted, unique
  std::vector<std::string> clinic_codes;  // clinics concerned, sorted, unique
  std::size_t item_count = 0;             // items needing a person
  std::size_t fixed_count = 0;            // items the adapter fixed itself (not escalated)
  std::string dedupe_key;  // equal for equal sets of (kind, service, clinic, priority)
  std::int64_t raised_at_ms = 0;
};

// nullopt when every item was fixed (or there are none): nothing needs a person.
std::optional<EscalationSummary> BuildEscalation(const std::vector<DriftItem>& items,
                                                 std::int64_t at_ms);

}  // namespace hub::cab
