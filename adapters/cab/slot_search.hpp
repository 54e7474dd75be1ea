// e-RS A015 "Retrieve appointment slots" (GET /STU3/Slot) as pure functions: the query string
// read into a SlotSearchQuery, the free slots chosen from a PublishedView under the booking
// window, slot type and reservation rules, and the searchset Bundle of Slots and their Schedules
// in the shape of the A015 AppointmentSlotBundle (NHSDigital/e-referrals-service-api).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/cab/api_error.hpp"
#include "adapters/cab/cab_config.hpp"
#include "adapters/cab/published_slots.hpp"

namespace hub::cab {

// A015 query parameters:
//   schedule.actor:HealthcareService  required  the e-RS service id
//   appointmentType                   optional  ROUTINE | URGENT | TWO_WEEK_WAIT (e-RS requires
//                                               it; absent -> [search].default_priority)
//   status                            optional  must be "free"
//   _count                            optional  1..100 (default [search].default_count)
//   page                              optional  1.. (default 1)
//   _include                          optional  must be "Slot:schedule" (Schedules are always
//                                               included, as e-RS does)
//   schedule.actor:Practitioner       optional  SDS user id: only that clinician's slots
//   start                             repeatable FHIR date search with prefix ge|gt|le|lt|eq and a
//                                               date (Europe/London day) or an instant with zone
// Any other parameter is refused: a misspelt one must not silently widen the search.
struct SlotSearchQuery {
  std::string service_id;
  Priority priority = Priority::kRoutine;
  int count = 20;
  int page = 1;
  std::string practitioner_id;
  std::optional<std::int64_t> start_from_ms;  // slot.start >= this
  std::optional<std::int64_t> start_to_ms;    // slot.start < this
  std::vector<std::string> start_params;      // as given, for the self link
};

// Reads the query string (the part after '?', percent-encoded). 400 errors name the parameter.
ApiResult<SlotSearchQuery> ParseSlotSearchQuery(std::string_view query_string,
                                                const SearchOptions& options);

// One page of the search.
struct SlotPage {
  int total = 0;                       // matching slots over all pages
  int last_page = 1;                   // at least 1, also when there are no slots
  std::vector<const FreeSlot*> slots;  // this page's slots, by start; point into the view
};

// The slots of `service` offered to `query.priority` at `now_ms` (ClassifySlot == kOffered), not
// taken, inside the query's start range and of the named clinician; then one page of them.
// Errors: the service does not accept the priority (400 INVALID_VALUE), page beyond the last
// (400 INVALID_VALUE, as e-RS answers page 5 of 2), nothing published yet (503).
ApiResult<SlotPage> SelectSlots(const ServiceDef& service, const SlotSearchQuery& query,
                                const PublishedView& view, std::int64_t now_ms);

// The Schedule a slot belongs to: one per service and clinician, "<service>-<sds user id>", or
// "<service>" for a clinic without a named clinician (A015 multi-schedule sample).
std::string ScheduleId(const ServiceDef& service, const ClinicInfo* clinic);

// The query string of the self/next/previous links for `page`, parameters in e-RS's order.
std::string SlotSearchLinkQuery(const SlotSearchQuery& query, int page);

// The searchset Bundle JSON. `base_url` has no trailing slash ("https://host"); fullUrls are
// base_url + "/STU3/Slot/<id>". `bundle_id` is a fresh id (a ULID).
std::string BuildSlotBundle(const ServiceDef& service, const SlotSearchQuery& query,
                            const SlotPage& page, const Publication& publication,
                            const std::string& base_url, const std::string& bundle_id,
                            std::int64_t now_ms);

// Percent-decoding of one query component ('+' is a space); nullopt for a bad escape.
std::optional<std::string> PercentDecode(std::string_view s);
// Percent-encoding of a query value (unreserved characters kept).
std::string PercentEncode(std::string_view s);

}  // namespace hub::cab
