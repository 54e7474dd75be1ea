// Clinic templates: validation, generated sessions and slots (ids, Europe/London times across
// BST), template versions and cancelled sessions; the notice-period rule for changes (RULES §8).
#include "hub/booking/clinic_template.hpp"

#include <doctest/doctest.h>

#include "booking_fixtures.hpp"
#include "hub/booking/template_change.hpp"

namespace hub::booking {
namespace {

using testing::D;
using testing::MakeTemplate;

TEST_CASE("a template generates deterministic slots on its weekday only") {
  // 2025-01-06 is a Monday; the clinic runs on Wednesdays.
  ClinicTemplate t = MakeTemplate("CARD01", 3, D("2025-01-06"),
                                  {SlotType::kNew, SlotType::kUrgent, SlotType::kTwoWeekWait});
  REQUIRE(ValidateTemplate(&t).ok());
  auto slots = GenerateSlots(t, D("2025-01-06"), D("2025-01-19"));
  REQUIRE(slots.size() == 6);
  CHECK(slots[0].slot_id == "CARD01-20250108-0900");
  CHECK(slots[1].slot_id == "CARD01-20250108-0915");
  CHECK(slots[2].type == SlotType::kTwoWeekWait);
  CHECK(slots[3].slot_id == "CARD01-20250115-0900");
  CHECK(slots[0].specialty == "CARDIOLOGY");
  CHECK(slots[0].clinic_type == "GENERAL");
  CHECK(slots[0].free() == 1);
  // 09:00 GMT on 8 January 2025.
  CHECK(slots[0].start_ms == LondonLocalToUtcMs(D("2025-01-08"), 540));
  CHECK(slots[0].start_ms == 1736326800000);
  CHECK(MakeSession(t, D("2025-01-08")).session_id == "CARD01-20250108");
}

TEST_CASE("slot times are Europe/London local times across the clock change") {
  ClinicTemplate t = MakeTemplate("CARD01", 1, D("2025-03-01"), {SlotType::kNew});
  REQUIRE(ValidateTemplate(&t).ok());
  auto slots = GenerateSlots(t, D("2025-03-24"), D("2025-03-31"));
  REQUIRE(slots.size() == 2);
  // 09:00 GMT on 24 March = 09:00 UTC; 09:00 BST on 31 March = 08:00 UTC.
  CHECK(slots[0].start_ms == 1742806800000);
  CHECK(slots[1].start_ms == 1743408000000);
}

TEST_CASE("effective dates bound the sessions") {
  ClinicTemplate t = MakeTemplate("CARD01", 3, D("2025-01-15"), {SlotType::kNew});
  t.effective_to = D("2025-01-29");
  REQUIRE(ValidateTemplate(&t).ok());
  CHECK_FALSE(HasSessionOn(t, D("2025-01-08")));
  CHECK(HasSessionOn(t, D("2025-01-15")));
  CHECK(HasSessionOn(t, D("2025-01-29")));
  CHECK_FALSE(HasSessionOn(t, D("2025-02-05")));
  CHECK_FALSE(HasSessionOn(t, D("2025-01-16")));
  CHECK(GenerateSlots(t, D("2025-01-01"), D("2025-03-01")).size() == 3);
  CHECK(GenerateSlots(t, D("2025-02-01"), D("2025-01-01")).empty());
}

TEST_CASE("invalid templates name the field and the reason") {
  struct Case {
    void (*mutate)(ClinicTemplate&);
    const char* field;
    const char* reason;
  };
  const Case cases[] = {
      {[](ClinicTemplate& t) { t.clinic_code = "CARD-01"; }, "clinic_code", "upper-case"},
      {[](ClinicTemplate& t) { t.clinic_code.clear(); }, "clinic_code", "required"},
      {[](ClinicTemplate& t) { t.specialty = "Cardiology"; }, "specialty", "upper-case"},
      {[](ClinicTemplate& t) { t.consultant.clear(); }, "consultant", "required"},
      {[](ClinicTemplate& t) { t.site.clear(); }, "site", "required"},
      {[](ClinicTemplate& t) { t.weekday = 8; }, "weekday", "ISO weekday"},
      {[](ClinicTemplate& t) { t.end_minutes = t.start_minutes; }, "end", "end after it starts"},
      {[](ClinicTemplate& t) { t.effective_to = D("2024-12-31"); }, "effective_to", "before"},
      {[](ClinicTemplate& t) { t.booking_horizon_weeks = 0; }, "booking_horizon_weeks", "1..104"},
      {[](ClinicTemplate& t) { t.release_days = 60; }, "release_days", "0..28"},
      {[](ClinicTemplate& t) { t.slots.clear(); }, "slots", "1 to 200"},
      {[](ClinicTemplate& t) { t.slots[1].type = SlotType::kUnspecified; }, "slots[1].type",
       "required"},
      {[](ClinicTemplate& t) { t.slots[0].length_minutes = 2; }, "slots[0].length_minutes",
       "5..240"},
      {[](ClinicTemplate& t) { t.slots[1].start_minutes = 8 * 60; }, "slots[1].start",
       "outside the session"},
      {[](ClinicTemplate& t) { t.slots[1].capacity = 0; }, "slots[1].capacity", "1..50"},
      {[](ClinicTemplate& t) { t.slots[1].release_days = -1; }, "slots[1].release_days", "0..28"},
      {[](ClinicTemplate& t) { t.slots[1].start_minutes = t.slots[0].start_minutes; },
       "slots[1].start", "two slots start at 09:00"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.field);
    ClinicTemplate t = MakeTemplate("CARD01", 3, D("2025-01-06"), {SlotType::kNew, SlotType::kNew});
    c.mutate(t);
    Status s = ValidateTemplate(&t);
    REQUIRE_FALSE(s.ok());
    CHECK(s.field() == c.field);
    CHECK(s.message().find(c.reason) != std::string::npos);
  }
}

TEST_CASE("slots are sorted by start time and carry their release rule") {
  ClinicTemplate t =
      MakeTemplate("CARD01", 3, D("2025-01-06"), {SlotType::kNew, SlotType::kUrgent});
  std::swap(t.slots[0], t.slots[1]);
  t.release_days = 2;
  t.slots[0].release_days = 5;  // the urgent slot, before sorting
  REQUIRE(ValidateTemplate(&t).ok());
  CHECK(t.slots[0].start_minutes == 540);
  CHECK(t.slots[1].type == SlotType::kUrgent);
  auto slots = GenerateSlots(t, D("2025-01-08"), D("2025-01-08"));
  CHECK(slots[0].release_days == 2);
  CHECK(slots[1].release_days == 5);
}

TEST_CASE("a clinic's versions: a new version ends the previous one the day before") {
  Clinic c;
  ClinicTemplate v1 = MakeTemplate("CARD01", 3, D("2025-01-01"), {SlotType::kNew});
  ClinicTemplate v2 = MakeTemplate("CARD01", 4, D("2025-02-01"), {SlotType::kUrgent});
  REQUIRE(ValidateTemplate(&v1).ok());
  REQUIRE(ValidateTemplate(&v2).ok());
  c.AddVersion(v1);
  c.AddVersion(v2);
  REQUIRE(c.versions.size() == 2);
  CHECK(c.versions[0].effective_to == D("2025-01-31"));
  CHECK(c.VersionOn(D("2025-01-29"))->weekday == 3);
  CHECK(c.VersionOn(D("2025-02-06"))->weekday == 4);
  CHECK(c.RunsOn(D("2025-01-29")));
  CHECK_FALSE(c.RunsOn(D("2025-02-05")));  // a Wednesday under the Thursday version
  CHECK(c.RunsOn(D("2025-02-06")));
  c.cancelled_sessions.insert(D("2025-02-06"));
  CHECK_FALSE(c.RunsOn(D("2025-02-06")));
  auto slots = c.Generate(D("2025-01-27"), D("2025-02-14"));
  REQUIRE(slots.size() == 2);  // 29 Jan (v1) and 13 Feb (v2); 6 Feb is cancelled
  CHECK(slots[0].slot_id == "CARD01-20250129-0900");
  CHECK(slots[1].slot_id == "CARD01-20250213-0900");
  CHECK(slots[1].type == SlotType::kUrgent);
  // A version from an earlier date replaces the later ones.
  c.AddVersion(v1);
  CHECK(c.versions.size() == 1);
}

TEST_CASE("template changes inside the notice period need approval (RULES §8)") {
  BookingRules rules;  // 6 weeks
  const Date today = D("2025-01-06");
  CHECK(NeedsApproval(D("2025-02-16"), today, rules));        // 41 days
  CHECK_FALSE(NeedsApproval(D("2025-02-17"), today, rules));  // 42 days
  rules.clinic_change_notice_weeks = 8;
  CHECK(NeedsApproval(D("2025-02-17"), today, rules));
  PendingChange end;
  end.kind = TemplateChangeKind::kEndClinic;
  end.effective_to = D("2025-03-01");
  CHECK(end.FirstAffectedDate() == D("2025-03-02"));
  CHECK(*ParseTemplateChangeKind("CANCEL_SESSION") == TemplateChangeKind::kCancelSession);
  CHECK(ParseTemplateChangeKind("cancel").status().field() == "kind");
}

}  // namespace
}  // namespace hub::booking
