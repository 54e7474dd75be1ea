// Vocabulary shared by the CaB/e-RS template-sync adapter: e-RS referral priorities, template slot
// types, age/sex criteria, and the FHIR systems and code sets the adapter reads and writes.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hub::cab {

// e-RS referral priority (CodeSystem eRS-Priority-1, RULES §1.10).
enum class Priority : std::uint8_t { kRoutine = 1, kUrgent = 2, kTwoWeekWait = 3 };
inline constexpr std::array<Priority, 3> kAllPriorities = {Priority::kRoutine, Priority::kUrgent,
                                                           Priority::kTwoWeekWait};
// "ROUTINE", "URGENT", "TWO_WEEK_WAIT".
std::string_view PriorityCode(Priority p);
// "Routine", "Urgent", "Two Week Wait" (the A004 displays).
std::string_view PriorityDisplay(Priority p);
// Exact, upper-case e-RS code; nullopt for anything else.
std::optional<Priority> PriorityFromCode(std::string_view code);
// Lower-case config-table name: "routine", "urgent", "two_week_wait".
std::string_view PriorityKey(Priority p);
// Higher is more urgent (2WW > URGENT > ROUTINE).
int PriorityRank(Priority p);

// Template slot type (RULES §8: New / Follow-up / Urgent / 2WW).
enum class SlotType : std::uint8_t { kNew = 1, kFollowUp = 2, kUrgent = 3, kTwoWeekWait = 4 };
inline constexpr std::array<SlotType, 4> kAllSlotTypes = {
    SlotType::kNew, SlotType::kFollowUp, SlotType::kUrgent, SlotType::kTwoWeekWait};
// "NEW", "FOLLOW_UP", "URGENT", "TWO_WEEK_WAIT".
std::string_view SlotTypeName(SlotType t);
std::optional<SlotType> SlotTypeFromName(std::string_view name);

// Sex criterion of a service or clinic (RULES §3.1, §8).
enum class SexCriterion : std::uint8_t { kAny = 0, kFemale = 1, kMale = 2 };
// "any", "female", "male".
std::string_view SexCriterionName(SexCriterion s);
std::optional<SexCriterion> SexCriterionFromName(std::string_view name);

// Who may be referred / booked: sex and an age range in whole years. max_age_years absent means
// no upper limit.
struct AgeSexCriteria {
  SexCriterion sex = SexCriterion::kAny;
  int min_age_years = 0;
  std::optional<int> max_age_years;

  bool operator==(const AgeSexCriteria&) const = default;
  // True when every patient these criteria admit is also admitted by `wider`.
  bool WithinCriteria(const AgeSexCriteria& wider) const;
  // "any sex, aged 16 and over", "female only, aged 0-15".
  std::string Describe() const;
};

// FHIR systems used on the wire (RULES §3.2 identifier systems; e-RS A015/A016 samples).
inline constexpr std::string_view kServiceIdSystem = "http://fhir.nhs.net/Id/ers-service";
inline constexpr std::string_view kNhsNumberSystem = "http://fhir.nhs.net/Id/nhs-number";
inline constexpr std::string_view kSdsUserIdSystem = "http://fhir.nhs.net/Id/sds-user-id";
inline constexpr std::string_view kScheduleIdSystem = "https://fhir.nhs.uk/Id/ers-schedule";
inline constexpr std::string_view kAlternativeSlotSystem =
    "https://fhir.nhs.uk/Id/alternative-slot";
inline constexpr std::string_view kPrioritySystem =
    "https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1";
inline constexpr std::string_view kReviewReasonSystem =
    "https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReviewReason-1";
inline constexpr std::string_view kApiErrorCodeSystem =
    "https://fhir.nhs.uk/STU3/CodeSystem/eRS-APIErrorCode-1";
inline constexpr std::string_view kParticipantTypeSystem =
    "http://hl7.org/fhir/ValueSet/encounter-participant-type";
inline constexpr std::string_view kReferralPriorityExtension =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralPriority-1";

// Profiles the adapter's resources claim (A015 AppointmentSlotBundle, A016 eRS-Appointment).
inline constexpr std::string_view kBundleProfile =
    "http://hl7.org/fhir/STU3/StructureDefinition/Bundle";
inline constexpr std::string_view kSlotProfile =
    "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Slot-1";
inline constexpr std::string_view kScheduleProfile =
    "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Schedule-1";
inline constexpr std::string_view kErsAppointmentProfile =
    "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Appointment-1";
inline constexpr std::string_view kCareConnectAppointmentProfile =
    "https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Appointment-1";
inline constexpr std::string_view kErsOperationOutcomeProfile =
    "https://fhir.nhs.uk/STU3/StructureDefinition/eRS-OperationOutcome-1";

// Milliseconds since the epoch -> FHIR instant "2021-05-22T08:25:32.562Z" (UTC).
std::string FormatInstant(std::int64_t utc_ms);

}  // namespace hub::cab
