// config/clinics/*.toml: the shipped example trust loads, validates, covers every priority in every
// specialty and is accepted by the engine; the reader is strict and its errors name file:line and
// the key.
#include "hub/booking/clinic_config.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <set>

#include "booking_fixtures.hpp"
#include "hub/booking/booking_engine.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::booking {
namespace {

using testing::D;

const std::string kTrustDir = std::string(HUB_SOURCE_DIR) + "/config/clinics";

const char* const kValid = R"(clinic_code = "CARD01"
clinic_name = "General Cardiology"
consultant = "Dr R Patel"
specialty = "CARDIOLOGY"
clinic_type = "GENERAL"
site = "St James's Hospital"
room = "OPD 3"
weekday = "MONDAY"
start = "09:00"
end = "10:00"
effective_from = "2025-01-06"
booking_horizon_weeks = 8
release_days = 2
slots = [
  { start = "09:30", length_minutes = 30, type = "NEW", capacity = 2 },
  { start = "09:00", length_minutes = 15, type = "URGENT", release_days = 5 },
]
)";

// kValid with `from` replaced by `to` (which must occur).
std::string With(const std::string& from, const std::string& to) {
  std::string text = kValid;
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

Status Error(const std::string& text) {
  auto r = LoadClinicText(text, "CARD01.toml");
  REQUIRE_FALSE(r.ok());
  return r.status();
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

TEST_CASE("a clinic file gives a validated template with every field") {
  auto t = LoadClinicText(kValid, "CARD01.toml");
  REQUIRE_MESSAGE(t.ok(), t.status().ToString());
  CHECK(t->clinic_code == "CARD01");
  CHECK(t->clinic_name == "General Cardiology");
  CHECK(t->consultant == "Dr R Patel");
  CHECK(t->specialty == "CARDIOLOGY");
  CHECK(t->clinic_type == "GENERAL");
  CHECK(t->site == "St James's Hospital");
  CHECK(t->room == "OPD 3");
  CHECK(t->weekday == 1u);
  CHECK(t->start_minutes == 9 * 60);
  CHECK(t->end_minutes == 10 * 60);
  CHECK(t->effective_from == D("2025-01-06"));
  CHECK_FALSE(t->effective_to.has_value());
  CHECK(t->booking_horizon_weeks == 8);
  CHECK(t->release_days == 2);
  // Sorted by start, as ValidateTemplate leaves it.
  REQUIRE(t->slots.size() == 2);
  CHECK(t->slots[0] == SlotDef{9 * 60, 15, SlotType::kUrgent, 1, 5});
  CHECK(t->slots[1] == SlotDef{9 * 60 + 30, 30, SlotType::kNew, 2, std::nullopt});
}

TEST_CASE("defaults, effective_to and [[slots]] tables") {
  auto t = LoadClinicText(R"(clinic_code = "ENT01"
consultant = "Ms P Sharma"
specialty = "ENT"
clinic_type = "OTOLOGY"
site = "Northgate General Hospital"
weekday = "SUNDAY"
start = "13:30"
end = "14:00"
effective_from = "2025-04-06"
effective_to = "2025-09-28"

[[slots]]
start = "13:30"
length_minutes = 30
type = "FOLLOW_UP"
)",
                          "ENT01.toml");
  REQUIRE_MESSAGE(t.ok(), t.status().ToString());
  CHECK(t->clinic_name.empty());
  CHECK(t->room.empty());
  CHECK(t->weekday == 7u);
  CHECK(t->effective_to == D("2025-09-28"));
  CHECK(t->booking_horizon_weeks == 12);
  CHECK(t->release_days == 0);
  CHECK(t->slots == std::vector<SlotDef>{{13 * 60 + 30, 30, SlotType::kFollowUp, 1, {}}});
}

TEST_CASE("errors name the file, the line and the key") {
  Status s = Error(With("room = \"OPD 3\"", "room = \"OPD 3\"\nrooms = \"typo\""));
  CHECK(s.message().find("CARD01.toml:8: unknown key 'rooms'") != std::string::npos);
  s = Error(With("capacity = 2", "capacity = 2, colour = \"red\""));
  CHECK(s.message().find("CARD01.toml:15: unknown key 'slots[0].colour'") != std::string::npos);
  s = Error(With("consultant = \"Dr R Patel\"\n", ""));
  CHECK(s.field() == "consultant");
  CHECK(s.message().find("missing required key 'consultant'") != std::string::npos);
  s = Error(With("booking_horizon_weeks = 8", "booking_horizon_weeks = \"8\""));
  CHECK(s.message().find("CARD01.toml:12: key 'booking_horizon_weeks': expected an integer") !=
        std::string::npos);
  s = Error(With("booking_horizon_weeks = 8", "booking_horizon_weeks = 105"));
  CHECK(s.field() == "booking_horizon_weeks");
  s = Error(With("weekday = \"MONDAY\"", "weekday = \"Monday\""));
  CHECK(s.message().find("CARD01.toml:8: key 'weekday': 'Monday' is not MONDAY") !=
        std::string::npos);
  s = Error(With("start = \"09:00\"\nend", "start = \"9am\"\nend"));
  CHECK(s.message().find("CARD01.toml:9: key 'start': '9am' is not a time") != std::string::npos);
  s = Error(With("effective_from = \"2025-01-06\"", "effective_from = 2025-01-06"));
  CHECK(s.message().find("key 'effective_from': expected a string") != std::string::npos);
  s = Error(With("effective_from = \"2025-01-06\"", "effective_from = \"2025-02-30\""));
  CHECK(s.field() == "effective_from");
  s = Error(With("type = \"NEW\"", "type = \"ROUTINE\""));
  CHECK(s.message().find("CARD01.toml:15: key 'slots[0].type': 'ROUTINE' is not a slot type") !=
        std::string::npos);
  s = Error(With("type = \"NEW\", capacity = 2", "capacity = 2"));
  CHECK(s.message().find("missing required key 'slots[0].type'") != std::string::npos);
  s = Error(With("length_minutes = 30, ", ""));
  CHECK(s.message().find("CARD01.toml:15: key 'slots[0].length_minutes': is required") !=
        std::string::npos);
  s = Error(With("capacity = 2", "capacity = 2, release_days = 1"));
  CHECK(s.message().find("key 'slots[0].release_days': applies only to URGENT and TWO_WEEK_WAIT") !=
        std::string::npos);
  s = Error(With("slots = [", "slots = []\nold = ["));
  CHECK(s.field() == "slots");
}

TEST_CASE("values ValidateTemplate refuses are reported at their line") {
  // The second slot in the file (slots[1]) starts before the session.
  Status s = Error(
      With("start = \"09:00\", length_minutes = 15", "start = \"08:45\", length_minutes = 15"));
  CHECK(s.field() == "slots[1].start");
  CHECK(s.message().find("CARD01.toml:16: key 'slots[1].start': slot 08:45 for 15 minutes falls "
                         "outside the session 09:00-10:00") != std::string::npos);
  s = Error(
      With("start = \"09:00\", length_minutes = 15", "start = \"09:30\", length_minutes = 15"));
  CHECK(s.message().find("CARD01.toml:16: key 'slots[1].start': two slots start at 09:30") !=
        std::string::npos);
  s = Error(With("clinic_code = \"CARD01\"", "clinic_code = \"CARD-01\""));
  CHECK(s.message().find("CARD01.toml:1: key 'clinic_code':") != std::string::npos);
  s = Error(With("end = \"10:00\"", "end = \"08:00\""));
  CHECK(s.message().find("CARD01.toml:10: key 'end': the session must end after it starts") !=
        std::string::npos);
  s = Error(With("effective_from = \"2025-01-06\"",
                 "effective_from = \"2025-01-06\"\neffective_to = \"2025-01-05\""));
  CHECK(s.field() == "effective_to");
  s = Error(With("site = \"St James's Hospital\"", "site = \"\""));
  CHECK(s.message().find("CARD01.toml:6: key 'site': is required") != std::string::npos);
}

TEST_CASE("a directory is read in file-name order; README and other files are skipped") {
  hub::testing::TempDir dir;
  Write(dir.File("B.toml"), kValid);
  Write(dir.File("A.toml"), With("clinic_code = \"CARD01\"", "clinic_code = \"AAA01\""));
  Write(dir.File("README.md"), "# not a clinic\n");
  Write(dir.File("notes.toml.bak"), "not toml at all = = =\n");
  auto all = LoadClinicDir(dir.path());
  REQUIRE_MESSAGE(all.ok(), all.status().ToString());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].clinic_code == "AAA01");
  CHECK((*all)[1].clinic_code == "CARD01");

  Write(dir.File("C.toml"), kValid);
  auto dup = LoadClinicDir(dir.path());
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.status().message().find("C.toml: key 'clinic_code': clinic 'CARD01' is already "
                                    "defined in ") != std::string::npos);
  CHECK(dup.status().message().find("B.toml") != std::string::npos);

  Write(dir.File("C.toml"), "clinic_code = \n");
  auto bad = LoadClinicDir(dir.path());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("C.toml:1:") != std::string::npos);

  hub::testing::TempDir empty;
  auto none = LoadClinicDir(empty.path());
  REQUIRE(none.ok());
  CHECK(none->empty());
  CHECK(LoadClinicDir(empty.File("missing")).status().code() == StatusCode::kNotFound);
  CHECK(LoadClinicFile(empty.File("missing.toml")).status().message().find("missing.toml") !=
        std::string::npos);
}

// ---------------------------------------------------------------- the shipped example trust

TEST_CASE("the example trust loads; each file is named after its clinic") {
  auto clinics = LoadClinicDir(kTrustDir);
  REQUIRE_MESSAGE(clinics.ok(), clinics.status().ToString());
  CHECK(clinics->size() >= 18);
  std::set<std::string> specialties;
  std::set<std::string> consultants;
  for (const auto& c : *clinics) {
    auto again = LoadClinicFile(kTrustDir + "/" + c.clinic_code + ".toml");
    REQUIRE_MESSAGE(again.ok(), c.clinic_code);
    CHECK(*again == c);
    ClinicTemplate copy = c;
    CHECK(ValidateTemplate(&copy).ok());
    CHECK(copy == c);
    specialties.insert(c.specialty);
    consultants.insert(c.consultant);
  }
  CHECK(specialties.size() >= 6);
  CHECK(consultants.size() == clinics->size());
}

TEST_CASE("the example trust covers every priority in every specialty") {
  auto clinics = LoadClinicDir(kTrustDir);
  REQUIRE(clinics.ok());
  std::map<std::string, std::set<SlotType>> types;  // specialty -> slot types offered
  for (const auto& c : *clinics) {
    for (const auto& s : c.slots) types[c.specialty].insert(s.type);
  }
  std::size_t with_two_week_wait = 0;
  for (const auto& [specialty, offered] : types) {
    CAPTURE(specialty);
    for (Priority p : {Priority::kRoutine, Priority::kUrgent, Priority::kTwoWeekWait}) {
      WaitingListEntry e;
      e.priority = p;
      bool usable = false;
      for (SlotType t : offered) usable = usable || SlotTypeAllowed(e, t);
      CHECK_MESSAGE(usable, PriorityName(p));
    }
    // Each priority's own slot type where the engine prefers it, and follow-ups everywhere.
    CHECK(offered.count(SlotType::kNew));
    CHECK(offered.count(SlotType::kUrgent));
    CHECK(offered.count(SlotType::kFollowUp));
    with_two_week_wait += offered.count(SlotType::kTwoWeekWait);
  }
  CHECK(with_two_week_wait >= 4);  // skin, head and neck, GI, lung
}

TEST_CASE("the engine accepts the example trust, and loading it again changes nothing") {
  auto clinics = LoadClinicDir(kTrustDir);
  REQUIRE(clinics.ok());
  BookingEngine engine;
  const Date today = D("2025-06-02");
  for (const auto& c : *clinics) {
    auto d = engine.Apply(UpsertTemplate{c, "", "config", ""}, today);
    REQUIRE_MESSAGE(d.ok(), c.clinic_code, ": ", d.status().ToString());
    CHECK_FALSE(d->changed.slots.empty());
  }
  CHECK(engine.state().clinics.size() == clinics->size());
  for (const auto& c : *clinics) {
    auto d = engine.Apply(UpsertTemplate{c, "", "config", ""}, today);
    REQUIRE(d.ok());
    CHECK(d->changed.empty());
  }
}

}  // namespace
}  // namespace hub::booking
