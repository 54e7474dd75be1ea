// A015 slot search: query parsing, publication against booking windows and slot reservation
// (table-driven), paging, and the searchset Bundle's shape.
#include "adapters/cab/slot_search.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "adapters/cab/booking_window.hpp"
#include "tests/adapters/cab/example_trust.hpp"
#include "tests/adapters/cab/test_util.hpp"

namespace hub::cab {
namespace {

using testing::kMonday10am;
constexpr std::int64_t kNow = kMonday10am;
constexpr std::int64_t kOld = kNow - 30 * kDayMs;

struct Fixture {
  CabConfig config = testing::ConfigFrom(testing::kTwoPriorityService);
  TemplateSnapshot snap;
  PublishedSlots store;

  Fixture() {
    ClinicInfo c1;
    c1.clinic_code = "C1";
    c1.consultant_id = "921600000001";
    ClinicInfo c2;
    c2.clinic_code = "C2";  // a team clinic: no named consultant
    snap.clinics = {c1, c2};
    snap.taken_at_ms = kNow;
  }
  void Add(const std::string& id, const std::string& clinic, std::int64_t start, SlotType type,
           std::int64_t released = kOld) {
    FreeSlot s;
    s.slot_id = id;
    s.clinic_code = clinic;
    s.start_ms = start;
    s.end_ms = start + 30 * 60'000;
    s.type = type;
    s.released_ms = released;
    snap.free_slots.push_back(s);
  }
  void Publish() {
    store.Publish(
        std::make_shared<Publication>(BuildPublication(config, snap, kNow + 90 * kDayMs)));
  }
  std::vector<std::string> Ids(const std::string& query_string) {
    auto q = ParseSlotSearchQuery(query_string, config.search);
    REQUIRE_MESSAGE(q.ok(), q.error().diagnostics);
    auto page = SelectSlots(config.services[0], *q, store.View(), kNow);
    REQUIRE_MESSAGE(page.ok(), page.error().diagnostics);
    std::vector<std::string> ids;
    for (const FreeSlot* s : page->slots) ids.push_back(s->slot_id);
    return ids;
  }
};

constexpr const char* kService = "schedule.actor%3AHealthcareService=10001";

TEST_CASE("what each priority is offered: windows, slot types, reservation, taken slots") {
  Fixture f;
  f.Add("new-20h", "C1", kNow + 20 * kHourMs, SlotType::kNew);  // before ROUTINE opens
  f.Add("urg-2h", "C1", kNow + 2 * kHourMs, SlotType::kUrgent);
  f.Add("new-2d", "C2", kNow + 2 * kDayMs, SlotType::kNew);
  f.Add("urg-3d", "C2", kNow + 3 * kDayMs, SlotType::kUrgent);
  f.Add("2ww-3d", "C1", kNow + 3 * kDayMs, SlotType::kTwoWeekWait);
  f.Add("fu-4d", "C1", kNow + 4 * kDayMs, SlotType::kFollowUp);
  f.Add("new-4d-reserved", "C1", kNow + 4 * kDayMs, SlotType::kNew, kNow - kHourMs);
  f.Add("new-5d-taken", "C1", kNow + 5 * kDayMs, SlotType::kNew);
  f.Add("new-20d", "C1", kNow + 20 * kDayMs, SlotType::kNew);     // after URGENT closes
  f.Add("urg-20d", "C1", kNow + 20 * kDayMs, SlotType::kUrgent);  // after URGENT closes
  f.Add("new-100d", "C1", kNow + 100 * kDayMs, SlotType::kNew);   // beyond polling range
  f.Publish();
  f.store.MarkTaken("new-5d-taken", kNow);

  struct Row {
    const char* query;
    std::vector<std::string> ids;
  };
  const std::string s = kService;
  const Row rows[] = {
      {"", {"new-2d", "new-20d"}},  // default priority ROUTINE
      {"&appointmentType=ROUTINE", {"new-2d", "new-20d"}},
      // URGENT opens in 1 h and takes NEW slots too (kTwoPriorityService).
      {"&appointmentType=URGENT", {"urg-2h", "new-20h", "new-2d", "urg-3d"}},
      {"&appointmentType=URGENT&start=ge2026-03-04", {"new-2d", "urg-3d"}},
      {"&appointmentType=URGENT&start=lt2026-03-04", {"urg-2h", "new-20h"}},
      {"&appointmentType=URGENT&start=eq2026-03-02", {"urg-2h"}},
      {"&appointmentType=URGENT&start=gt2026-03-02&start=le2026-03-04", {"new-20h", "new-2d"}},
      {"&start=ge2026-03-04T10:00:00Z", {"new-2d", "new-20d"}},
      {"&appointmentType=URGENT&schedule.actor%3APractitioner=921600000001", {"urg-2h", "new-20h"}},
      {"&status=free&_include=Slot%3Aschedule&_count=1&page=2", {"new-20d"}},
  };
  for (const Row& r : rows) {
    CAPTURE(r.query);
    CHECK(f.Ids(s + r.query) == r.ids);
  }
}

TEST_CASE("paging: total, last page, and a page beyond the last refused as e-RS does") {
  Fixture f;
  for (int i = 0; i < 5; ++i) {
    f.Add("s" + std::to_string(i), "C1", kNow + (2 + i) * kDayMs, SlotType::kNew);
  }
  f.Publish();
  auto q = ParseSlotSearchQuery(std::string(kService) + "&_count=2&page=3", f.config.search);
  REQUIRE(q.ok());
  auto page = SelectSlots(f.config.services[0], *q, f.store.View(), kNow);
  REQUIRE(page.ok());
  CHECK(page->total == 5);
  CHECK(page->last_page == 3);
  REQUIRE(page->slots.size() == 1);
  CHECK(page->slots[0]->slot_id == "s4");

  auto beyond = ParseSlotSearchQuery(std::string(kService) + "&_count=2&page=4", f.config.search);
  REQUIRE(beyond.ok());
  auto refused = SelectSlots(f.config.services[0], *beyond, f.store.View(), kNow);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().http_status == 400);
  CHECK(refused.error().ers_code == "INVALID_VALUE");
  CHECK(refused.error().diagnostics == "'Page Number' (4) is invalid.");

  // No slots at all is one empty page, not an error (A015 "NoSlots").
  Fixture empty;
  empty.Publish();
  auto none = ParseSlotSearchQuery(kService, empty.config.search);
  auto none_page = SelectSlots(empty.config.services[0], *none, empty.store.View(), kNow);
  REQUIRE(none_page.ok());
  CHECK(none_page->total == 0);
  CHECK(none_page->last_page == 1);
  const std::string text = BuildSlotBundle(empty.config.services[0], *none, *none_page,
                                           *empty.store.View().publication, "http://h", "id", kNow);
  testing::CheckValidFhir(text);
  const auto bundle = nlohmann::json::parse(text);
  CHECK(bundle["total"] == 0);
  CHECK_FALSE(bundle.contains("entry"));  // FHIR JSON has no empty arrays
}

TEST_CASE("refused searches: status, e-RS code and the parameter named") {
  const SearchOptions options;
  struct Row {
    std::string query;
    const char* code;
    const char* param;
    const char* message_part;
  };
  const std::string s = kService;
  const Row rows[] = {
      {"appointmentType=ROUTINE", "MISSING_PARAMETER", "schedule.actor:HealthcareService",
       "is required"},
      {"schedule.actor%3AHealthcareService=", "MISSING_PARAMETER",
       "schedule.actor:HealthcareService", "empty"},
      {s + "&appointmentType=routine", "INVALID_CODE", "appointmentType", "not an e-RS priority"},
      {s + "&_count=0", "INVALID_VALUE", "_count", "from 1 to 100"},
      {s + "&_count=101", "INVALID_VALUE", "_count", "from 1 to 100"},
      {s + "&_count=ten", "INVALID_VALUE", "_count", "from 1 to 100"},
      {s + "&page=0", "INVALID_VALUE", "page", "'Page Number' (0) is invalid."},
      {s + "&status=busy", "INVALID_VALUE", "status", "only free slots"},
      {s + "&_include=Slot%3Aservice", "INVALID_VALUE", "_include", "only Slot:schedule"},
      {s + "&colour=blue", "INVALID_VALUE", "colour", "not supported by slot search"},
      {s + "&" + s, "INVALID_VALUE", "schedule.actor:HealthcareService", "more than once"},
      {s + "&start=sa2026-03-02", "INVALID_VALUE", "start", "prefix 'sa'"},
      {s + "&start=ge2026-02-30", "INVALID_VALUE", "start", "not a real calendar date"},
      {s + "&start=ge2026-03-02T10:00", "INVALID_VALUE", "start", "not a FHIR dateTime"},
      {s + "&page=%G1", "INVALID_VALUE", "", "percent-encoded"},
  };
  for (const Row& r : rows) {
    CAPTURE(r.query);
    auto q = ParseSlotSearchQuery(r.query, options);
    REQUIRE_FALSE(q.ok());
    CHECK(q.error().http_status == 400);
    CHECK(q.error().ers_code == r.code);
    CHECK(q.error().expression == r.param);
    CHECK_MESSAGE(q.error().diagnostics.find(r.message_part) != std::string::npos,
                  q.error().diagnostics);
  }
}

TEST_CASE("a priority the service does not take, and nothing published yet") {
  Fixture f;
  auto q = ParseSlotSearchQuery(std::string(kService) + "&appointmentType=TWO_WEEK_WAIT",
                                f.config.search);
  REQUIRE(q.ok());
  f.Publish();
  auto refused = SelectSlots(f.config.services[0], *q, f.store.View(), kNow);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().http_status == 400);
  CHECK(refused.error().diagnostics ==
        "service 10001 (General Cardiology) does not accept TWO_WEEK_WAIT referrals");

  PublishedSlots nothing;
  auto routine = ParseSlotSearchQuery(kService, f.config.search);
  auto unpublished = SelectSlots(f.config.services[0], *routine, nothing.View(), kNow);
  REQUIRE_FALSE(unpublished.ok());
  CHECK(unpublished.error().http_status == 503);
}

TEST_CASE("an unescaped '+' in a time zone offset arrives as a space and still parses") {
  auto q = ParseSlotSearchQuery(std::string(kService) + "&start=ge2026-03-04T10:00:00+01:00",
                                SearchOptions{});
  REQUIRE_MESSAGE(q.ok(), q.error().diagnostics);
  CHECK(*q->start_from_ms == kNow + 2 * kDayMs - kHourMs);
}

TEST_CASE("the searchset Bundle: A015 shape, valid STU3, schedules once, links") {
  Fixture f;
  f.Add("a", "C1", kNow + 2 * kDayMs, SlotType::kNew);
  f.Add("b", "C2", kNow + 3 * kDayMs, SlotType::kNew);
  f.Add("c", "C1", kNow + 4 * kDayMs, SlotType::kNew);
  f.Add("d", "C1", kNow + 5 * kDayMs, SlotType::kNew);
  f.Publish();
  auto q = ParseSlotSearchQuery(std::string(kService) + "&_count=3&page=1", f.config.search);
  REQUIRE(q.ok());
  const PublishedView view = f.store.View();
  auto page = SelectSlots(f.config.services[0], *q, view, kNow);
  REQUIRE(page.ok());
  const std::string text = BuildSlotBundle(f.config.services[0], *q, *page, *view.publication,
                                           "https://cab.example", "01HZX", kNow);
  testing::CheckValidFhir(text);
  const auto b = nlohmann::json::parse(text);
  CHECK(b["resourceType"] == "Bundle");
  CHECK(b["id"] == "01HZX");
  CHECK(b["type"] == "searchset");
  CHECK(b["total"] == 4);
  CHECK(b["meta"]["lastUpdated"] == "2026-03-02T10:00:00.000Z");
  CHECK(b["meta"]["profile"][0] == "http://hl7.org/fhir/STU3/StructureDefinition/Bundle");
  REQUIRE(b["link"].size() == 2);
  CHECK(b["link"][0]["relation"] == "self");
  CHECK(b["link"][0]["url"] ==
        "https://cab.example/STU3/Slot?schedule.actor%3AHealthcareService=10001&appointmentType="
        "ROUTINE&_count=3&status=free&_include=Slot%3Aschedule&page=1");
  CHECK(b["link"][1]["relation"] == "next");
  CHECK(b["link"][1]["url"].get<std::string>().ends_with("&page=2"));
  const auto& e = b["entry"];
  REQUIRE(e.size() == 5);  // 3 slots + 2 schedules (C1 has a consultant, C2 has not)
  CHECK(e[0]["fullUrl"] == "https://cab.example/STU3/Slot/a");
  CHECK(e[0]["search"]["mode"] == "match");
  CHECK(e[0]["resource"]["schedule"]["reference"] == "Schedule/10001-921600000001");
  CHECK(e[0]["resource"]["identifier"][0]["system"] == "https://fhir.nhs.uk/Id/alternative-slot");
  CHECK(e[0]["resource"]["start"] == "2026-03-04T10:00:00.000Z");
  CHECK(e[1]["resource"]["schedule"]["reference"] == "Schedule/10001");
  CHECK(e[3]["resource"]["resourceType"] == "Schedule");
  CHECK(e[3]["search"]["mode"] == "include");
  CHECK(e[3]["resource"]["id"] == "10001-921600000001");
  CHECK(e[3]["resource"]["actor"].size() == 2);
  CHECK(e[3]["resource"]["actor"][1]["identifier"]["system"] ==
        "http://fhir.nhs.net/Id/sds-user-id");
  CHECK(e[4]["resource"]["id"] == "10001");
  CHECK(e[4]["resource"]["actor"].size() == 1);
  CHECK(e[4]["resource"]["actor"][0]["identifier"]["value"] == "10001");

  auto last = ParseSlotSearchQuery(std::string(kService) + "&_count=3&page=2", f.config.search);
  auto last_page = SelectSlots(f.config.services[0], *last, view, kNow);
  const auto b2 =
      nlohmann::json::parse(BuildSlotBundle(f.config.services[0], *last, *last_page,
                                            *view.publication, "https://cab.example", "x", kNow));
  REQUIRE(b2["link"].size() == 2);
  CHECK(b2["link"][1]["relation"] == "previous");
  CHECK(b2["entry"].size() == 2);
}

TEST_CASE("percent-encoding both ways") {
  CHECK(PercentDecode("schedule.actor%3AHealthcareService") == "schedule.actor:HealthcareService");
  CHECK(PercentDecode("a+b") == "a b");
  CHECK_FALSE(PercentDecode("%4").has_value());
  CHECK_FALSE(PercentDecode("%zz").has_value());
  CHECK(PercentEncode("Slot:schedule") == "Slot%3Aschedule");
  CHECK(PercentEncode("ge2026-03-04T10:00:00+01:00") == "ge2026-03-04T10%3A00%3A00%2B01%3A00");
}

}  // namespace
}  // namespace hub::cab
