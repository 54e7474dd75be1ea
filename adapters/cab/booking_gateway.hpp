// The adapter's only way to the booking engine: an abstract gateway over clinic templates, free
// slots, bookings and deferrals. The broker-backed implementation sends these as requests to the
// `booking` service; tests use an in-memory fake. All structs here are adapter-local.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "adapters/cab/cab_types.hpp"
#include "hub/booking/calendar.hpp"
#include "hub/common/status.hpp"

namespace hub::cab {

// One clinic as its template defines it (RULES §8).
struct ClinicInfo {
  std::string clinic_code;      // the PAS/hub clinic code the service map names
  std::string name;             // "Cardiology new patient clinic (Dr Patel)"
  std::string consultant_id;    // SDS user id of the lead clinician, "" for a team clinic
  std::string consultant_name;  // "Dr A Patel"
  std::string specialty;        // e-RS SPECIALTY code, e.g. "CARDIOLOGY"
  std::string clinic_type;      // e-RS CLINIC-TYPE code, e.g. "HEART_FAILURE"
  std::string site_code;        // ODS site code, e.g. "RXX01"
  std::vector<SlotType> template_slot_types;  // every slot type the template generates
  AgeSexCriteria criteria;                    // the template's age/sex restrictions
  bool active = true;                         // false once the clinic is retired
};

// A slot with at least one free place (booked < capacity).
struct FreeSlot {
  std::string slot_id;  // stable, unique; a FHIR id: [A-Za-z0-9.-]{1,64}
  std::string clinic_code;
  std::int64_t start_ms = 0;  // UTC
  std::int64_t end_ms = 0;    // UTC, after start_ms
  SlotType type = SlotType::kNew;
  int capacity = 1;
  int booked = 0;
  // When the slot last became bookable (generated from the template, or freed by a
  // cancellation). e-RS slot reservation (RULES §2.5, §8) counts from here.
  std::int64_t released_ms = 0;
};

// Free slots of `clinic_codes` starting in [from_ms, to_ms). At most `limit` slots are returned;
// a gateway that would return more fails with ResourceExhausted rather than truncating, so the
// adapter never publishes a silently partial list.
struct SlotQuery {
  std::vector<std::string> clinic_codes;
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  std::size_t limit = 200'000;
};

// A booking through e-RS A016 (status "booked").
struct BookRequest {
  // Unique per booking attempt (a ULID). The gateway applies one key at most once: a repeat
  // returns the first outcome. CancelBooking names the attempt by this key.
  std::string idempotency_key;
  std::string slot_id;
  std::string ubrn;        // 12 digits (RULES §3.1)
  std::string nhs_number;  // 10 digits, Modulus 11 checked
  std::string service_id;  // the e-RS service booked into
  Priority priority = Priority::kRoutine;
  // True when the A016 request did not state the priority and the adapter chose the most urgent
  // one the slot is offered to; the engine should prefer the referral's own priority.
  bool priority_inferred = false;
  std::string clinician_id;  // SDS user id of a named clinician, or ""
  // Wall-clock ms (Clock::NowMs) after which the gateway must not commit the booking.
  std::int64_t deadline_ms = 0;
};

struct BookingConfirmation {
  std::string appointment_id;  // the engine's appointment id; a FHIR id
  std::string slot_id;
  std::string clinic_code;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::int64_t created_ms = 0;
  bool slot_still_free = false;  // the slot has places left after this booking
};

// A deferral to the provider through e-RS A016 (status "proposed"): the referral goes on the
// Appointment Slot Issues worklist (RULES §3.1) with the date by which the patient must be
// contacted.
struct DeferRequest {
  std::string idempotency_key;
  std::string ubrn;
  std::string nhs_number;
  std::string service_id;
  Priority priority = Priority::kRoutine;
  // True when the A016 request did not state the priority: the adapter took the service's most
  // urgent one, so contact_by is the earliest date the referral could need.
  bool priority_inferred = false;
  std::string reason;        // eRS-ReviewReason-1: NO_SLOTS_AT_SERVICE, SLOT_NOT_AVAILABLE, ...
  std::string comment;       // free text from the referrer, may be ""
  std::string slot_id;       // the slot that could not be booked, or ""
  booking::Date contact_by;  // RULES §1.10: deferral date + 40/10/5 days
  std::int64_t deadline_ms = 0;
};

struct DeferralConfirmation {
  std::string appointment_id;  // id of the proposed appointment (ASI entry); a FHIR id
  std::int64_t created_ms = 0;
};

// Contract for implementations:
// - Thread-safe: the adapter calls from several threads at once.
// - Calls may block (a broker round trip); the adapter runs them on its own bounded pool and
//   never on the HTTP threads. Nothing may throw: failures are Status values.
// - Errors the adapter maps to e-RS replies: NotFound (no such slot/clinic), FailedPrecondition
//   or AlreadyExists (slot already taken, clinic cancelled), DeadlineExceeded (deadline passed
//   before the change was committed; nothing changed), Unavailable (engine unreachable; nothing
//   changed, or the outcome is unknown — see CancelBooking).
class BookingGateway {
 public:
  virtual ~BookingGateway() = default;

  // Every clinic the hub has a template for, including ones no e-RS service maps.
  virtual Result<std::vector<ClinicInfo>> ListClinics() = 0;

  // Free slots per SlotQuery, in any order.
  virtual Result<std::vector<FreeSlot>> ListFreeSlots(const SlotQuery& query) = 0;

  // Books one place in the slot, atomically: either the appointment exists and the place is
  // taken, or nothing changed. The gateway must refuse (DeadlineExceeded, nothing changed) to
  // commit after request.deadline_ms; the engine checks it in the transaction that books.
  virtual Result<BookingConfirmation> Book(const BookRequest& request) = 0;

  // Undoes the booking made under `idempotency_key`, if there is one, and frees its place. The
  // adapter calls it when it has already told e-RS that a booking failed (the 2-minute window
  // passed) but cannot rule out that the engine booked it. Idempotent; OK when nothing was
  // booked under the key; also marks the key so a Book arriving later is refused. Never sends a
  // letter or a cancellation notice: to the patient the booking never happened.
  virtual Status CancelBooking(const std::string& idempotency_key, const std::string& reason) = 0;

  // Puts the referral on the Appointment Slot Issues worklist with request.contact_by. Idempotent
  // per UBRN: deferring an already deferred referral returns the existing entry.
  virtual Result<DeferralConfirmation> DeferToProvider(const DeferRequest& request) = 0;
};

// What the reconciler compares and publishes: every clinic plus the free slots of the mapped
// clinics over the polling range.
struct TemplateSnapshot {
  std::int64_t taken_at_ms = 0;
  std::vector<ClinicInfo> clinics;
  std::vector<FreeSlot> free_slots;

  const ClinicInfo* FindClinic(const std::string& clinic_code) const;
};

}  // namespace hub::cab
