// The one mapping to referral.received: every field from the HL7 sample and from the e-RS
// ReferralRequest + worklist item, the defaults, the identity key and the fingerprint.
#include "adapters/ers/referral_mapping.hpp"

#include <doctest/doctest.h>

#include "adapters/ers/ref_message.hpp"
#include "tests/adapters/ers/test_data.hpp"

namespace hub::ers {
namespace {

using testing::ReadTestData;
using testing::WithCr;

Date D(const char* iso) { return *booking::ParseIsoDate(iso); }

ReferralInput Hl7Input() {
  auto message = Hl7Message::Parse(WithCr(ReadTestData("hl7v2-REF-I12-01-with-nhs-number.hl7")));
  REQUIRE(message.ok());
  auto ref = ParseRefMessage(*message);
  REQUIRE(ref.ok());
  return ToReferralInput(*ref, D("2022-02-01"));
}

TEST_CASE("REF^I12 sample -> referral.received") {
  auto b = ToReferralReceived(Hl7Input(), {"CARDIOLOGY", "GENERAL"}, D("2022-02-01"));
  CHECK(b.ubrn.empty());
  CHECK(b.local_id == "EPIC/226839");
  CHECK(b.patient.nhs_number == "9434765919");
  CHECK(b.patient.given_name == "ADAM");
  CHECK(b.patient.family_name == "EVERYMAN");
  CHECK(b.patient.birth_date == "1961-06-15");
  CHECK(b.patient.address.lines == std::vector<std::string>{"115 MAINSTREET", "GOODTOWN", "KY"});
  CHECK(b.patient.address.postcode == "42010");
  CHECK(b.priority == "ROUTINE");
  CHECK(b.specialty == "CARDIOLOGY");  // PV1-10 empty: the default
  CHECK(b.clinic_type == "GENERAL");
  CHECK(b.referrer.name == "DR ROBERT POWELL");
  CHECK(b.referrer.address.lines ==
        std::vector<std::string>{"1031 HEALTHCARE DRIVE", "ANN ARBOR", "MI"});
  CHECK(b.referrer.address.postcode == "99999");
  CHECK(b.source == "HL7");
  CHECK(b.received_date == "2022-01-25");  // RF1-7
  CHECK_FALSE(b.needs_triage);
  // The body decodes as the booking worker will read it.
  auto decoded = schemas::DecodeReferralReceived(schemas::EncodeReferralReceived(b));
  REQUIRE(decoded.ok());
  CHECK(*decoded == b);
}

TEST_CASE("local ids are qualified and cleaned; keys keep what was sent") {
  ReferralInput in;
  in.local_id = "A 1#2";
  in.local_id_system = "GHH Facility";
  auto b = ToReferralReceived(in, {}, D("2024-01-02"));
  CHECK(b.local_id == "GHH_Facility/A_1_2");
  CHECK(ReferralKey(in) == "local:GHH Facility|A 1#2");
  CHECK(b.received_date == "2024-01-02");  // no date from the feed: the arrival date
  in.ubrn = "000000070000";
  CHECK(ReferralKey(in) == "ubrn:000000070000");
  CHECK(ToReferralReceived(in, {}, D("2024-01-02")).local_id.empty());
  CHECK(ReferralKey(ReferralInput{}).empty());
}

TEST_CASE("more than five address lines are folded into the fifth") {
  ReferralInput in;
  in.address_lines = {"1", "2", "3", "4", "5", "6", ""};
  auto b = ToReferralReceived(in, {}, D("2024-01-02"));
  CHECK(b.patient.address.lines == std::vector<std::string>{"1", "2", "3", "4", "5, 6"});
}

TEST_CASE("A005 ReferralRequest with its ASI worklist item -> referral.received") {
  auto worklist =
      ParseWorklist(ReadTestData("ers-a008-worklist-appointment-slot-issues.response.json"));
  REQUIRE(worklist.ok());
  auto referral = ParseReferralRequest(ReadTestData("ers-a005-referralrequest-booked-dbs.json"));
  REQUIRE(referral.ok());
  const WorklistItem* item = nullptr;
  for (const auto& i : worklist->items) {
    if (i.ubrn == referral->ubrn) item = &i;
  }
  REQUIRE(item != nullptr);
  ReferralInput in = ToReferralInput(*referral);
  MergeWorklistItem(*item, &in);
  auto b = ToReferralReceived(in, {"", "GENERAL"}, D("2024-06-01"));
  CHECK(b.ubrn == "000000070001");
  CHECK(b.source == "ERS");
  CHECK(b.patient.nhs_number == referral->nhs_number);
  CHECK(b.priority == std::string(ReferralPriorityName(referral->priority)));
  CHECK(b.specialty == referral->specialty);
  if (item->ubrn_received_date) {
    CHECK(b.received_date == booking::FormatIsoDate(*item->ubrn_received_date));
  }
  if (item->patient_contact_expected) {
    CHECK(b.contact_by == booking::FormatIsoDate(*item->patient_contact_expected));
  }
  auto earliest = EarliestDate({referral->pathway_start_date, item->pathway_start_date});
  if (earliest) CHECK(b.ers_pathway_start == booking::FormatIsoDate(*earliest));
  // e-RS sends no demographics: they stay empty (the booking worker names what is missing).
  CHECK(b.patient.family_name.empty());
}

TEST_CASE("A004 contact days fill a missing contact-by date (RULES §1.10)") {
  auto priorities = ParsePriorityCodeSystem(ReadTestData("ers-a004-codesystem-priority.json"));
  REQUIRE(priorities.ok());
  ReferralInput in;
  in.priority = ReferralPriority::kUrgent;
  in.received_date = D("2024-03-01");
  ApplyContactDays(*priorities, &in);
  REQUIRE(in.contact_by_date);
  int days = priorities->Find(ReferralPriority::kUrgent)->defer_to_provider_contact_days;
  CHECK(*in.contact_by_date == booking::AddDays(D("2024-03-01"), days));
  in.contact_by_date = D("2024-03-05");
  ApplyContactDays(*priorities, &in);  // a date the feed gave is kept
  CHECK(*in.contact_by_date == D("2024-03-05"));
}

TEST_CASE("fingerprint: equal for a resend on another day or feed, different for new content") {
  auto a = ToReferralReceived(Hl7Input(), {}, D("2022-02-01"));
  auto b = a;
  b.received_date = "2022-02-02";
  b.source = "ERS";
  CHECK(ReferralFingerprint(a) == ReferralFingerprint(b));
  b.priority = "URGENT";
  CHECK(ReferralFingerprint(a) != ReferralFingerprint(b));
  CHECK(ReferralFingerprint(a).size() == 16);
}

}  // namespace
}  // namespace hub::ers
