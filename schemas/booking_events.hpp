// Events the booking worker emits through its outbox (schemas/README.md "Booking"):
// task.created and escalation.raised (worklists for the booking team and managers),
// slots.changed (service: cab, for e-RS slot publication) and scan.coversheet.requested
// (service: scan).
#pragma once

#include <string>
#include <vector>

#include "schemas/booking_types.hpp"

namespace hub::schemas {

inline constexpr std::string_view kTaskCreatedType = "task.created";
inline constexpr std::string_view kEscalationRaisedType = "escalation.raised";
inline constexpr std::string_view kSlotsChangedType = "slots.changed";
inline constexpr std::string_view kScanCoversheetRequestedType = "scan.coversheet.requested";

struct TaskCreated {
  std::string task_id;         // req
  std::string kind;            // req: TaskKindValues
  std::string due_date;        // req: YYYY-MM-DD
  std::string nhs_number;      // opt
  std::string entry_id;        // opt
  std::string referral_id;     // opt
  std::string appointment_id;  // opt
  std::string change_id;       // opt
  std::string clinic_code;     // opt
  std::string specialty;       // opt
  std::string reason;          // req: what happened and what to decide
  std::string rule;            // req: e.g. "RULES §1.5"

  bool operator==(const TaskCreated&) const = default;
};
std::string EncodeTaskCreated(const TaskCreated& b);
Result<TaskCreated> DecodeTaskCreated(std::string_view body_bytes);

struct EscalationRaised {
  std::string escalation_id;    // req
  std::string reason;           // req: EscalationReasonValues
  std::string specialty;        // req
  std::string clinic_type;      // req
  std::string priority;         // req: PriorityValues
  std::int64_t patients = 0;    // req: patients affected when raised
  std::string raised_on;        // req: YYYY-MM-DD
  std::string earliest_target;  // req: YYYY-MM-DD
  std::string message;          // req

  bool operator==(const EscalationRaised&) const = default;
};
std::string EncodeEscalationRaised(const EscalationRaised& b);
Result<EscalationRaised> DecodeEscalationRaised(std::string_view body_bytes);

struct SlotsChanged {
  std::vector<SlotBody> slots;  // req: each changed slot as it now is

  bool operator==(const SlotsChanged&) const = default;
};
std::string EncodeSlotsChanged(const SlotsChanged& b);
Result<SlotsChanged> DecodeSlotsChanged(std::string_view body_bytes);

struct ScanCoversheetRequested {
  std::string coversheet_id;       // req
  std::string nhs_number;          // req
  std::string mrn;                 // opt
  std::string patient_name;        // req
  std::string patient_birth_date;  // req: YYYY-MM-DD
  std::string referral_id;         // req
  std::string ubrn;                // opt
  std::string document_type;       // req: e.g. "REFERRAL"
  std::string document_date;       // req: YYYY-MM-DD
  std::string specialty;           // req

  bool operator==(const ScanCoversheetRequested&) const = default;
};
std::string EncodeScanCoversheetRequested(const ScanCoversheetRequested& b);
Result<ScanCoversheetRequested> DecodeScanCoversheetRequested(std::string_view body_bytes);

}  // namespace hub::schemas
