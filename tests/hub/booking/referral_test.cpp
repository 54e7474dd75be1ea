// Referral validation (fields named as on the wire) and the clock-start date of RULES §1.1.
#include "hub/booking/referral.hpp"

#include <doctest/doctest.h>

#include "booking_fixtures.hpp"

namespace hub::booking {
namespace {

using testing::D;
using testing::MakeReferral;

TEST_CASE("a valid referral passes and is normalised") {
  Referral r = MakeReferral("000000070000", Priority::kUrgent, D("2025-01-06"));
  r.patient.nhs_number = "999 000 0018";
  REQUIRE(ValidateReferral(&r, D("2025-01-06")).ok());
  CHECK(r.patient.nhs_number == "9990000018");
  CHECK(r.Id() == "000000070000");
  r.ubrn.clear();
  r.local_id = "PAS/2025/0001";
  REQUIRE(ValidateReferral(&r, D("2025-01-06")).ok());
  CHECK(r.Id() == "PAS/2025/0001");
}

TEST_CASE("invalid referrals name the field and the reason") {
  const Date today = D("2025-01-06");
  struct Case {
    void (*mutate)(Referral&);
    const char* field;
    const char* reason;
  };
  const Case cases[] = {
      {[](Referral& r) { r.patient.nhs_number = "9991234560"; }, "patient.nhs_number",
       "Modulus 11"},
      {[](Referral& r) { r.ubrn = "70000"; }, "ubrn", "12 digits"},
      {[](Referral& r) { r.ubrn = "00000007000A"; }, "ubrn", "12 digits"},
      {[](Referral& r) { r.ubrn.clear(); }, "ubrn", "UBRN or a local referral id"},
      {[](Referral& r) { r.local_id = "bad id!"; }, "local_id", "letters, digits"},
      {[](Referral& r) { r.priority = Priority::kUnspecified; }, "priority", "ROUTINE"},
      {[](Referral& r) { r.source = ReferralSource::kUnspecified; }, "source", "PAPER"},
      {[](Referral& r) { r.specialty = "cardiology"; }, "specialty", "upper-case"},
      {[](Referral& r) { r.clinic_type.clear(); }, "clinic_type", "required"},
      {[](Referral& r) { r.referrer.name.clear(); }, "referrer.name", "required"},
      {[](Referral& r) { r.referrer.address.postcode = "x"; }, "referrer.address.postcode",
       "postcode"},
      {[](Referral& r) { r.received_date = D("2025-01-07"); }, "received_date", "after today"},
      {[](Referral& r) { r.ers_pathway_start = D("2025-02-01"); }, "ers_pathway_start",
       "after today"},
      {[](Referral& r) { r.contact_by = D("2025-01-01"); }, "contact_by", "before the received"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.field);
    Referral r = MakeReferral("000000070000", Priority::kRoutine, D("2025-01-06"));
    c.mutate(r);
    Status s = ValidateReferral(&r, today);
    REQUIRE_FALSE(s.ok());
    CHECK(s.field() == c.field);
    CHECK(s.message().find(c.reason) != std::string::npos);
  }
}

TEST_CASE("priority and source names are strict upper-case") {
  CHECK(*ParsePriority("TWO_WEEK_WAIT") == Priority::kTwoWeekWait);
  auto bad = ParsePriority("urgent");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().field() == "priority");
  CHECK(bad.status().message().find("ROUTINE, URGENT or TWO_WEEK_WAIT") != std::string::npos);
  CHECK_FALSE(ParsePriority("UNSPECIFIED").ok());
  CHECK(*ParseReferralSource("PAPER") == ReferralSource::kPaper);
  CHECK_FALSE(ParseReferralSource("FAX").ok());
  CHECK(PriorityRank(Priority::kTwoWeekWait) > PriorityRank(Priority::kUrgent));
  CHECK(PriorityRank(Priority::kUrgent) > PriorityRank(Priority::kRoutine));
}

TEST_CASE("clock start date: RULES §1.1") {
  Referral r = MakeReferral("000000070000", Priority::kRoutine, D("2025-01-10"));
  SUBCASE("paper or e-RS: the date received") {
    CHECK(ClockStartDate(r, std::nullopt) == D("2025-01-10"));
  }
  SUBCASE("earlier activity on the UBRN wins") {
    r.ers_pathway_start = D("2025-01-03");
    CHECK(ClockStartDate(r, std::nullopt) == D("2025-01-03"));
  }
  SUBCASE("a later e-RS pathway start does not move the date") {
    r.ers_pathway_start = D("2025-01-12");
    CHECK(ClockStartDate(r, std::nullopt) == D("2025-01-10"));
  }
  SUBCASE("re-referral after rejection keeps the original received date") {
    r.original_received_date = D("2024-11-20");
    CHECK(ClockStartDate(r, std::nullopt) == D("2024-11-20"));
  }
  SUBCASE("interface service: the first UBRN's clock start") {
    CHECK(ClockStartDate(r, D("2024-12-01")) == D("2024-12-01"));
  }
}

}  // namespace
}  // namespace hub::booking
