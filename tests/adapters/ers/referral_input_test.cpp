// ReferralInput names and the clock-start rule (RULES §1.1: the earlier date wins).
#include "adapters/ers/referral_input.hpp"

#include <doctest/doctest.h>

namespace hub::ers {
namespace {

Date D(const char* iso) { return *booking::ParseIsoDate(iso); }

TEST_CASE("enumeration names are the wire codes") {
  CHECK(ReferralSourceName(ReferralSource::kHl7) == "hl7");
  CHECK(ReferralSourceName(ReferralSource::kErs) == "ers");
  CHECK(ReferralSourceName(ReferralSource::kFile) == "file");
  CHECK(ReferralEventKindName(ReferralEventKind::kNew) == "NEW");
  CHECK(ReferralEventKindName(ReferralEventKind::kModify) == "MODIFY");
  CHECK(ReferralEventKindName(ReferralEventKind::kCancel) == "CANCEL");
  CHECK(PatientSexName(PatientSex::kFemale) == "female");
  CHECK(PatientSexName(PatientSex::kUnknown) == "unknown");
  for (auto p :
       {ReferralPriority::kRoutine, ReferralPriority::kUrgent, ReferralPriority::kTwoWeekWait}) {
    CHECK(ReferralPriorityFromErsCode(ReferralPriorityName(p)) == p);
  }
  CHECK(ReferralPriorityName(ReferralPriority::kTwoWeekWait) == "TWO_WEEK_WAIT");
  CHECK_FALSE(ReferralPriorityFromErsCode("routine").has_value());
  CHECK_FALSE(ReferralPriorityFromErsCode("").has_value());
}

TEST_CASE("EarliestDate takes the earliest present date") {
  CHECK_FALSE(EarliestDate({}).has_value());
  CHECK_FALSE(EarliestDate({std::nullopt, std::nullopt}).has_value());
  CHECK(EarliestDate({D("2021-09-03"), std::nullopt}) == D("2021-09-03"));
  CHECK(EarliestDate({std::nullopt, D("2021-09-03"), D("2021-09-01")}) == D("2021-09-01"));
  CHECK(EarliestDate({D("2021-09-01"), D("2021-09-01")}) == D("2021-09-01"));
}

}  // namespace
}  // namespace hub::ers
