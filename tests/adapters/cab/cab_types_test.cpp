// Enum names round-trip; age/sex criteria containment and wording; FHIR instants.
#include "adapters/cab/cab_types.hpp"

#include <doctest/doctest.h>

namespace hub::cab {
namespace {

TEST_CASE("priority, slot type and sex names round-trip; anything else is refused") {
  for (Priority p : kAllPriorities) CHECK(PriorityFromCode(PriorityCode(p)) == p);
  for (SlotType t : kAllSlotTypes) CHECK(SlotTypeFromName(SlotTypeName(t)) == t);
  CHECK(PriorityCode(Priority::kTwoWeekWait) == "TWO_WEEK_WAIT");
  CHECK(PriorityDisplay(Priority::kTwoWeekWait) == "Two Week Wait");
  CHECK(PriorityKey(Priority::kTwoWeekWait) == "two_week_wait");
  CHECK_FALSE(PriorityFromCode("routine").has_value());
  CHECK_FALSE(PriorityFromCode("2WW").has_value());
  CHECK_FALSE(SlotTypeFromName("New").has_value());
  CHECK(SexCriterionFromName("female") == SexCriterion::kFemale);
  CHECK_FALSE(SexCriterionFromName("F").has_value());
  CHECK(PriorityRank(Priority::kTwoWeekWait) > PriorityRank(Priority::kUrgent));
  CHECK(PriorityRank(Priority::kUrgent) > PriorityRank(Priority::kRoutine));
}

TEST_CASE("age/sex criteria: containment and wording") {
  const AgeSexCriteria anyone;
  const AgeSexCriteria adults{SexCriterion::kAny, 16, std::nullopt};
  const AgeSexCriteria women_16_to_60{SexCriterion::kFemale, 16, 60};
  const AgeSexCriteria children{SexCriterion::kAny, 0, 15};
  CHECK(adults.WithinCriteria(anyone));
  CHECK_FALSE(anyone.WithinCriteria(adults));
  CHECK(women_16_to_60.WithinCriteria(adults));
  CHECK_FALSE(adults.WithinCriteria(women_16_to_60));
  CHECK_FALSE(adults.WithinCriteria(children));
  CHECK(children.WithinCriteria(anyone));
  CHECK(anyone.Describe() == "any sex, any age");
  CHECK(adults.Describe() == "any sex, aged 16 and over");
  CHECK(women_16_to_60.Describe() == "female only, aged 16-60");
}

TEST_CASE("FHIR instants are UTC with milliseconds") {
  CHECK(FormatInstant(0) == "1970-01-01T00:00:00.000Z");
  CHECK(FormatInstant(1'772'445'600'123) == "2026-03-02T10:00:00.123Z");
}

}  // namespace
}  // namespace hub::cab
