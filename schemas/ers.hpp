// e-RS booking and deferral through the CaB adapter (schemas/README.md "e-RS booking through
// CaB"): ers.book, ers.cancel and ers.defer (service: booking), each answered by ers.result or
// hub.error. The adapter turns e-RS A016 requests into these (adapters/cab/broker_gateway.hpp).
#pragma once

#include <optional>
#include <string>

#include "schemas/booking_types.hpp"

namespace hub::schemas {

inline constexpr std::string_view kErsBookType = "ers.book";
inline constexpr std::string_view kErsCancelType = "ers.cancel";
inline constexpr std::string_view kErsDeferType = "ers.defer";
inline constexpr std::string_view kErsResultType = "ers.result";

struct ErsBookBody {
  std::string idempotency_key;         // req: one booking attempt; repeats get the first outcome
  std::string ubrn;                    // req: 12 digits
  std::string nhs_number;              // req
  std::string service_id;              // opt: e-RS service id, kept on the record
  std::string specialty;               // req: the service's specialty
  std::string clinic_type;             // req: the service's clinic type
  std::string priority;                // req: PriorityValues
  bool priority_inferred = false;      // opt: the A016 request did not state the priority
  std::string slot_id;                 // req
  std::int64_t deadline_ms = 0;        // req: UTC ms; nothing is committed after it
  std::string clinician_id;            // opt: SDS user id of a named clinician
  std::optional<PatientBody> patient;  // opt: demographics, when the sender has them
  std::optional<ReferrerBody> referrer;  // opt

  bool operator==(const ErsBookBody&) const = default;
};
std::string EncodeErsBook(const ErsBookBody& b);
Result<ErsBookBody> DecodeErsBook(std::string_view body_bytes);

struct ErsCancelBody {
  std::string idempotency_key;  // req: the booking attempt to undo
  std::string reason;           // opt

  bool operator==(const ErsCancelBody&) const = default;
};
std::string EncodeErsCancel(const ErsCancelBody& b);
Result<ErsCancelBody> DecodeErsCancel(std::string_view body_bytes);

struct ErsDeferBody {
  std::string idempotency_key;  // req
  std::string ubrn;             // req
  std::string nhs_number;       // req
  std::string service_id;       // opt
  std::string specialty;        // req
  std::string clinic_type;      // req
  std::string priority;         // req: PriorityValues
  bool priority_inferred = false;  // opt
  std::string reason;           // opt: eRS-ReviewReason-1 code
  std::string comment;          // opt
  std::string slot_id;          // opt: the slot that could not be booked
  std::string contact_by;       // req: YYYY-MM-DD
  std::optional<PatientBody> patient;    // opt
  std::optional<ReferrerBody> referrer;  // opt

  bool operator==(const ErsDeferBody&) const = default;
};
std::string EncodeErsDefer(const ErsDeferBody& b);
Result<ErsDeferBody> DecodeErsDefer(std::string_view body_bytes);

struct ErsResult {
  bool replayed = false;    // req: the key (or, for ers.defer, the UBRN) was seen before
  bool cancelled = false;   // req: ers.cancel undid a booking
  std::string referral_id;  // opt
  std::string entry_id;     // opt
  std::string appointment_id;  // opt
  std::string slot_id;         // opt
  std::string clinic_code;     // opt
  std::string date;            // opt: YYYY-MM-DD
  std::string time;            // opt: HH:MM
  std::optional<std::int64_t> start_ms;        // opt
  std::optional<std::int64_t> length_minutes;  // opt
  std::int64_t slot_free = 0;  // req: places still free in the slot (0 when no slot)
  std::string contact_by;      // opt: YYYY-MM-DD (ers.defer)

  bool operator==(const ErsResult&) const = default;
};
std::string EncodeErsResult(const ErsResult& b);
Result<ErsResult> DecodeErsResult(std::string_view body_bytes);

}  // namespace hub::schemas
