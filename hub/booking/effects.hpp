// The effects a booking decision asks the I/O shell to emit besides letters: worklist tasks,
// capacity escalations, slot availability for e-RS sync, scanning coversheets, and the rebooking
// worklist of an approved clinic cancellation (DESIGN §5, issue 3 "emitted messages").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hub/booking/calendar.hpp"
#include "hub/booking/priority.hpp"
#include "hub/booking/slot.hpp"

namespace hub::booking {

enum class TaskKind : std::uint8_t {
  kClinicalReview = 1,  // "CLINICAL_REVIEW": a clinician decides (RULES §1.3, §1.5, §2.3)
  kContactPatient = 2,  // "CONTACT_PATIENT": contact-by date close (RULES §1.10, §3.1)
  kRebook = 3,          // "REBOOK": hospital-cancelled and not yet rebooked (RULES §2.5)
  kTemplateChangeApproval = 4,  // "TEMPLATE_CHANGE_APPROVAL": inside the notice period (RULES §8)
  kDemographicsCheck = 5,       // "DEMOGRAPHICS_CHECK": a letter came back (RULES §6)
  kTriage = 6,                  // "TRIAGE": a referral waits for clinical triage (RULES §3.1)
  kPastLcad = 7,  // "PAST_LCAD": a follow-up is past its latest clinically appropriate date (§2.1)
};
std::string_view TaskKindName(TaskKind k);

struct Task {
  std::string task_id;
  TaskKind kind = TaskKind::kClinicalReview;
  Date due_date;
  std::string nhs_number;  // "" for tasks not about one patient
  std::string entry_id;
  std::string referral_id;
  std::string appointment_id;
  std::string change_id;
  std::string clinic_code;
  std::string specialty;
  std::string reason;  // for the person doing the task: what happened and what to decide
  std::string rule;    // "RULES §1.5"

  bool operator==(const Task&) const = default;
};

enum class EscalationReason : std::uint8_t {
  kNoSlot = 1,        // "NO_SLOT": no fitting slot at all; the patient stays on the list
  kBeyondTarget = 2,  // "BEYOND_TARGET": the earliest fitting slot is after the target date
  kPotentialBreach = 3,     // "POTENTIAL_BREACH": weekly PTL, per directorate (RULES §1.9)
  kCapacityShortfall = 4,   // "CAPACITY_SHORTFALL": demand due within target > free slots
};
std::string_view EscalationReasonName(EscalationReason r);

// A capacity escalation for a specialty, raised at most once per (specialty, clinic type,
// priority, reason) per day.
struct Escalation {
  std::string escalation_id;
  EscalationReason reason = EscalationReason::kNoSlot;
  std::string specialty;
  std::string clinic_type;
  Priority priority = Priority::kRoutine;
  int patients = 0;  // patients affected in the decision that raised it
  Date raised_on;
  Date earliest_target;  // the earliest target date among them
  std::string message;

  bool operator==(const Escalation&) const = default;
};

// One slot's availability after the decision, for slots.changed (e-RS / CaB sync, RULES §8).
struct SlotChange {
  std::string slot_id;
  std::string clinic_code;
  std::string specialty;
  std::string clinic_type;
  Date date;
  int start_minutes = 0;
  std::int64_t start_ms = 0;
  int length_minutes = 0;
  SlotType type = SlotType::kUnspecified;
  int capacity = 0;
  int booked = 0;
  bool cancelled = false;
  std::optional<Date> released_on;  // see Slot::released_on

  bool operator==(const SlotChange&) const = default;
};

// A scanning coversheet for a paper referral (RULES §7).
struct CoversheetRequest {
  std::string coversheet_id;
  std::string nhs_number;
  std::string mrn;
  std::string patient_name;
  Date patient_birth_date;
  std::string referral_id;
  std::string ubrn;
  std::string document_type = "REFERRAL";
  Date document_date;  // the referral's received date
  std::string specialty;

  bool operator==(const CoversheetRequest&) const = default;
};

// An appointment the hospital cancelled, on the rebooking worklist with its patient's clock and
// priority kept (RULES §2.5); rebooked_appointment_id is set when the engine rebooked it at once.
struct RebookItem {
  std::string cancelled_appointment_id;
  std::string entry_id;
  std::string nhs_number;
  Priority priority = Priority::kRoutine;
  Date clock_start;
  Date cancelled_date;
  std::optional<std::string> rebooked_appointment_id;

  bool operator==(const RebookItem&) const = default;
};

}  // namespace hub::booking
