// The booking service's read requests and their replies (schemas/README.md "Booking"):
// patient.get -> patient.result, pathway.get -> pathway.result, waitinglist.get ->
// waitinglist.result, slots.free -> slots.result, clinics.list -> clinics.result. Service: booking.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "schemas/booking_types.hpp"

namespace hub::schemas {

inline constexpr std::string_view kPatientGetType = "patient.get";
inline constexpr std::string_view kPatientResultType = "patient.result";
inline constexpr std::string_view kPathwayGetType = "pathway.get";
inline constexpr std::string_view kPathwayResultType = "pathway.result";
inline constexpr std::string_view kWaitingListGetType = "waitinglist.get";
inline constexpr std::string_view kWaitingListResultType = "waitinglist.result";
inline constexpr std::string_view kSlotsFreeType = "slots.free";
inline constexpr std::string_view kSlotsResultType = "slots.result";
inline constexpr std::string_view kClinicsListType = "clinics.list";
inline constexpr std::string_view kClinicsResultType = "clinics.result";

struct PatientGet {
  std::string nhs_number;  // req

  bool operator==(const PatientGet&) const = default;
};
std::string EncodePatientGet(const PatientGet& b);
Result<PatientGet> DecodePatientGet(std::string_view body_bytes);

struct PatientResult {
  PatientBody patient;                        // req
  std::vector<std::string> pathway_ids;       // req
  std::vector<EntryBody> entries;             // req
  std::vector<AppointmentBody> appointments;  // req, by date

  bool operator==(const PatientResult&) const = default;
};
std::string EncodePatientResult(const PatientResult& b);
Result<PatientResult> DecodePatientResult(std::string_view body_bytes);

struct PathwayGet {
  std::string pathway_id;   // req
  std::string census_date;  // opt: YYYY-MM-DD, default today

  bool operator==(const PathwayGet&) const = default;
};
std::string EncodePathwayGet(const PathwayGet& b);
Result<PathwayGet> DecodePathwayGet(std::string_view body_bytes);

struct ClockEventBody {
  std::string kind;         // req: ClockEventKindValues
  std::string date;         // req: YYYY-MM-DD
  std::int64_t status = 0;  // req: RTT status code (RULES §1.8)
  std::string reason;       // opt

  bool operator==(const ClockEventBody&) const = default;
};

struct WaitBody {
  std::int64_t days = 0;                          // req
  std::string band;                               // req: ">17 to 18" or "104+"
  bool completed = false;                         // req
  std::vector<std::int64_t> thresholds_breached;  // req: weeks

  bool operator==(const WaitBody&) const = default;
};

struct PathwayResult {
  std::string pathway_id;                     // req
  std::string nhs_number;                     // req
  std::string specialty;                      // req
  std::vector<std::string> referral_ids;      // req
  std::vector<ClockEventBody> events;         // req, in order
  std::optional<WaitBody> wait;               // opt: absent when the clock was nullified
  std::string breach_date;                    // opt: YYYY-MM-DD, open clocks only
  std::vector<EntryBody> entries;             // req
  std::vector<AppointmentBody> appointments;  // req

  bool operator==(const PathwayResult&) const = default;
};
std::string EncodePathwayResult(const PathwayResult& b);
Result<PathwayResult> DecodePathwayResult(std::string_view body_bytes);

struct WaitingListGet {
  std::string specialty;              // req
  std::string clinic_type;            // opt
  std::string priority;               // opt: PriorityValues
  bool include_booked = false;        // opt
  std::optional<std::int64_t> limit;  // opt: 1..1000, default 100
  std::string census_date;            // opt: YYYY-MM-DD, default today

  bool operator==(const WaitingListGet&) const = default;
};
std::string EncodeWaitingListGet(const WaitingListGet& b);
Result<WaitingListGet> DecodeWaitingListGet(std::string_view body_bytes);

struct WaitingListRowBody {
  EntryBody entry;               // req
  std::string patient_name;      // req
  std::optional<WaitBody> wait;  // opt
  std::string breach_date;       // opt
  std::string appointment_date;  // opt

  bool operator==(const WaitingListRowBody&) const = default;
};

struct WaitingListResult {
  std::vector<WaitingListRowBody> rows;  // req, in booking order

  bool operator==(const WaitingListResult&) const = default;
};
std::string EncodeWaitingListResult(const WaitingListResult& b);
Result<WaitingListResult> DecodeWaitingListResult(std::string_view body_bytes);

struct SlotsFree {
  std::string specialty;              // req unless clinic_code
  std::string clinic_type;            // opt
  std::string clinic_code;            // opt
  std::string type;                   // opt: SlotTypeValues
  std::string from_date;              // req: YYYY-MM-DD
  std::string to_date;                // req: YYYY-MM-DD, inclusive
  std::optional<std::int64_t> limit;  // opt: 1..1000, default 100
  std::string entry_id;               // opt: only slots the booking rules let this entry be offered
  bool short_notice_agreed = false;   // opt, with entry_id: the patient accepts short notice

  bool operator==(const SlotsFree&) const = default;
};
std::string EncodeSlotsFree(const SlotsFree& b);
Result<SlotsFree> DecodeSlotsFree(std::string_view body_bytes);

struct SlotsResult {
  std::vector<SlotBody> slots;  // req, in start order

  bool operator==(const SlotsResult&) const = default;
};
std::string EncodeSlotsResult(const SlotsResult& b);
Result<SlotsResult> DecodeSlotsResult(std::string_view body_bytes);

// Every clinic template, for CaB/e-RS reconciliation (RULES §8). Body: no fields.
struct ClinicsList {
  bool operator==(const ClinicsList&) const = default;
};
std::string EncodeClinicsList(const ClinicsList& b);
Result<ClinicsList> DecodeClinicsList(std::string_view body_bytes);

struct ClinicSummaryBody {
  std::string clinic_code;              // req
  std::string clinic_name;              // opt
  std::string consultant;               // req
  std::string specialty;                // req
  std::string clinic_type;              // req
  std::string site;                     // req
  std::vector<std::string> slot_types;  // req: SlotTypeValues of the template from today on
  bool active = false;                  // req: the clinic has sessions today or later
  std::string effective_from;           // req: YYYY-MM-DD, of the version described
  std::string effective_to;             // opt: YYYY-MM-DD

  bool operator==(const ClinicSummaryBody&) const = default;
};

struct ClinicsResult {
  std::vector<ClinicSummaryBody> clinics;  // req, by clinic code

  bool operator==(const ClinicsResult&) const = default;
};
std::string EncodeClinicsResult(const ClinicsResult& b);
Result<ClinicsResult> DecodeClinicsResult(std::string_view body_bytes);

}  // namespace hub::schemas
