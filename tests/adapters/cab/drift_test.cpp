// Drift detection (RULES §8): a consistent trust has none; then, for every drift kind, one
// deliberately inconsistent template/service pair and exactly the items it must produce. Also
// the shipped example trust, the report text and the escalation summary.
#include "adapters/cab/drift.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "adapters/cab/booking_window.hpp"
#include "adapters/cab/reconciler.hpp"
#include "tests/adapters/cab/example_trust.hpp"
#include "tests/adapters/cab/test_util.hpp"

namespace hub::cab {
namespace {

using testing::kMonday10am;
constexpr std::int64_t kNow = kMonday10am;

constexpr const char* kSkin2ww = R"toml(
[[service]]
id = "20001"
name = "Suspected Skin Cancer (2WW)"
specialty = "DERMATOLOGY"
clinic_type = "SKIN_CANCER"
clinics = ["D1"]
priorities = ["TWO_WEEK_WAIT"]
)toml";

std::vector<ErsService> ErsFor(const CabConfig& config) {
  std::vector<ErsService> out;
  for (const ServiceDef& s : config.services) {
    ErsService e;
    e.service_id = s.service_id;
    e.name = s.name;
    e.directly_bookable = true;
    e.specialties = {s.specialty};
    e.clinic_types = {s.clinic_type};
    e.priorities = s.priorities;
    e.criteria = s.criteria;
    out.push_back(e);
  }
  return out;
}

struct Fixture {
  ManualClock clock{kNow};
  CabConfig config = testing::ConfigFrom(std::string(testing::kTwoPriorityService) + kSkin2ww);
  testing::FakeBookingGateway hub{clock};
  std::vector<ErsService> ers = ErsFor(config);

  Fixture() { testing::FillConsistentTrust(hub, config, kNow, 13); }

  TemplateSnapshot Snapshot(std::int64_t* horizon = nullptr) {
    std::int64_t h = 0;
    auto snap = TakeSnapshot(config, hub, kNow, &h);
    REQUIRE_MESSAGE(snap.ok(), snap.status().ToString());
    if (horizon != nullptr) *horizon = h;
    return std::move(snap).value();
  }
  std::vector<DriftItem> Run(const CabConfig* with_config = nullptr, bool with_ers = true,
                             const Publication* published = nullptr,
                             const TakenSlots* taken = nullptr) {
    const TemplateSnapshot snap = Snapshot();
    DriftInputs in;
    in.config = with_config != nullptr ? with_config : &config;
    in.hub = &snap;
    in.ers = with_ers ? &ers : nullptr;
    in.published = published;
    in.taken = taken;
    in.now_ms = kNow;
    return FindDrift(in);
  }
  ClinicInfo Clinic(const std::string& code) {
    auto clinics = hub.ListClinics();
    for (const ClinicInfo& c : *clinics) {
      if (c.clinic_code == code) return c;
    }
    FAIL("no clinic " << code);
    return {};
  }
  // Free slots of `clinic` starting before now + `days`.
  std::vector<FreeSlot> SlotsBefore(const std::string& clinic, int days) {
    std::vector<FreeSlot> out;
    for (const FreeSlot& s : Snapshot().free_slots) {
      if (s.clinic_code == clinic && s.start_ms < kNow + days * kDayMs) out.push_back(s);
    }
    return out;
  }
};

struct Expected {
  DriftKind kind;
  std::string service;
  std::string clinic;
  std::optional<Priority> priority = std::nullopt;
};

std::string Describe(const std::vector<DriftItem>& items) {
  std::string out;
  for (const DriftItem& i : items) {
    out += fmt::format("\n  {} service={} clinic={} priority={}: {}", DriftKindName(i.kind),
                       i.service_id, i.clinic_code, i.priority ? PriorityCode(*i.priority) : "-",
                       i.message);
  }
  return out.empty() ? " (none)" : out;
}

// Exactly these items, in FindDrift's order.
void CheckItems(const std::vector<DriftItem>& items, const std::vector<Expected>& expected) {
  CHECK_MESSAGE(items.size() == expected.size(), Describe(items));
  for (std::size_t i = 0; i < std::min(items.size(), expected.size()); ++i) {
    CAPTURE(i);
    CHECK_MESSAGE(items[i].kind == expected[i].kind, Describe(items));
    CHECK(items[i].service_id == expected[i].service);
    CHECK(items[i].clinic_code == expected[i].clinic);
    CHECK(items[i].priority == expected[i].priority);
    CHECK_FALSE(items[i].message.empty());
  }
}

TEST_CASE("a consistent trust has no drift") {
  Fixture f;
  CheckItems(f.Run(), {});
}

TEST_CASE("the shipped example trust (config/cab.toml, cab-ers-services.json) has no drift") {
  ManualClock clock(kNow);
  auto config = testing::LoadShippedConfig();
  REQUIRE(config.ok());
  testing::FakeBookingGateway hub(clock);
  testing::FillConsistentTrust(hub, *config, kNow, 17);
  auto ers = LoadErsServices(config->reconcile.ers_services_file);
  REQUIRE_MESSAGE(ers.ok(), ers.status().ToString());
  std::int64_t horizon = 0;
  auto snap = TakeSnapshot(*config, hub, kNow, &horizon);
  REQUIRE(snap.ok());
  DriftInputs in;
  in.config = &*config;
  in.hub = &*snap;
  in.ers = &*ers;
  in.now_ms = kNow;
  CheckItems(FindDrift(in), {});
}

TEST_CASE(
    "service_without_clinic: a bookable e-RS service the map lacks; a service whose clinic "
    "is retired") {
  Fixture f;
  ErsService extra;
  extra.service_id = "30001";
  extra.name = "Vascular Surgery";
  extra.directly_bookable = true;
  f.ers.push_back(extra);
  auto items = f.Run();
  CheckItems(items, {{DriftKind::kServiceWithoutClinic, "30001", ""}});
  CHECK(items[0].message.find("Vascular Surgery") != std::string::npos);
  CHECK_FALSE(items[0].fixable);

  Fixture retired;
  ClinicInfo d1 = retired.Clinic("D1");
  d1.active = false;
  retired.hub.AddClinic(d1);
  items = retired.Run();
  CheckItems(items, {{DriftKind::kServiceWithoutClinic, "20001", ""},
                     {DriftKind::kUnknownClinic, "20001", "D1"}});
  CHECK(items[0].message.find("Appointment Slot Issues") != std::string::npos);
  CHECK(items[1].message.find("retired") != std::string::npos);
}

TEST_CASE("clinic_without_service: a new consultant clinic nobody mapped") {
  Fixture f;
  ClinicInfo c9 = f.Clinic("C1");
  c9.clinic_code = "C9";
  c9.consultant_name = "Dr New";
  f.hub.AddClinic(c9);
  auto items = f.Run();
  CheckItems(items, {{DriftKind::kClinicWithoutService, "", "C9"}});
  CHECK(items[0].message.find("reconcile.unpublished_clinics") != std::string::npos);

  // Deliberately not on e-RS: no drift.
  CabConfig acknowledged =
      testing::ConfigFrom(std::string("[reconcile]\nunpublished_clinics = [\"C9\"]\n") +
                          testing::kTwoPriorityService + kSkin2ww);
  CheckItems(f.Run(&acknowledged), {});

  // A follow-up-only clinic needs no e-RS service.
  Fixture fu;
  ClinicInfo follow_up = fu.Clinic("C1");
  follow_up.clinic_code = "C1-FU";
  follow_up.template_slot_types = {SlotType::kFollowUp};
  fu.hub.AddClinic(follow_up);
  CheckItems(fu.Run(), {});
}

TEST_CASE("unknown_clinic: the map names a clinic the hub has no template for") {
  Fixture f;
  std::string toml = std::string(testing::kTwoPriorityService) + kSkin2ww;
  toml.replace(toml.find("[\"C1\", \"C2\"]"), 12, "[\"C1\", \"C2\", \"C3\"]");
  const CabConfig with_c3 = testing::ConfigFrom(toml);
  auto items = f.Run(&with_c3);
  CheckItems(items, {{DriftKind::kUnknownClinic, "10001", "C3"}});
  CHECK(items[0].message.find("cab.toml:") != std::string::npos);
}

TEST_CASE("service_not_on_ers: missing, inactive, or indirectly bookable on e-RS") {
  Fixture missing;
  missing.ers.erase(missing.ers.begin() + 1);
  CheckItems(missing.Run(), {{DriftKind::kServiceNotOnErs, "20001", ""}});

  Fixture inactive;
  inactive.ers[1].active = false;
  auto items = inactive.Run();
  CheckItems(items, {{DriftKind::kServiceNotOnErs, "20001", ""}});
  CHECK(items[0].message.find("inactive on e-RS") != std::string::npos);

  Fixture indirect;
  indirect.ers[1].directly_bookable = false;
  items = indirect.Run();
  CheckItems(items, {{DriftKind::kServiceNotOnErs, "20001", ""}});
  CHECK(items[0].message.find("indirectly bookable") != std::string::npos);
}

TEST_CASE("specialty_mismatch: template against the map, and the map against e-RS") {
  Fixture f;
  ClinicInfo c2 = f.Clinic("C2");
  c2.specialty = "DERMATOLOGY";
  f.hub.AddClinic(c2);
  auto items = f.Run();
  CheckItems(items, {{DriftKind::kSpecialtyMismatch, "10001", "C2"}});
  CHECK(items[0].message.find("is CARDIOLOGY but its clinic C2") != std::string::npos);

  Fixture ers;
  ers.ers[0].specialties = {"ENT"};
  items = ers.Run();
  CheckItems(items, {{DriftKind::kSpecialtyMismatch, "10001", ""}});
  CHECK(items[0].message.find("ENT on e-RS") != std::string::npos);

  Fixture lower_case;  // codes compare without regard to case
  ClinicInfo c1 = lower_case.Clinic("C1");
  c1.specialty = "cardiology";
  lower_case.hub.AddClinic(c1);
  CheckItems(lower_case.Run(), {});
}

TEST_CASE("clinic_type_mismatch: template against the map, and the map against e-RS") {
  Fixture f;
  ClinicInfo c1 = f.Clinic("C1");
  c1.clinic_type = "HEART_FAILURE";
  f.hub.AddClinic(c1);
  CheckItems(f.Run(), {{DriftKind::kClinicTypeMismatch, "10001", "C1"}});

  Fixture ers;
  ers.ers[1].clinic_types = {"GENERAL_DERMATOLOGY"};
  CheckItems(ers.Run(), {{DriftKind::kClinicTypeMismatch, "20001", ""}});
}

TEST_CASE("priority_mismatch: e-RS accepts a different set of priorities") {
  Fixture f;
  f.ers[0].priorities = {Priority::kRoutine};
  auto items = f.Run();
  CheckItems(items, {{DriftKind::kPriorityMismatch, "10001", ""}});
  CHECK(items[0].message.find("accepts ROUTINE, URGENT in the service map but ROUTINE on e-RS") !=
        std::string::npos);
}

TEST_CASE("age_sex_mismatch: a clinic narrower than its service; e-RS criteria differ") {
  Fixture f;
  ClinicInfo c1 = f.Clinic("C1");
  c1.criteria = {SexCriterion::kFemale, 0, std::nullopt};
  f.hub.AddClinic(c1);
  auto items = f.Run();
  CheckItems(items, {{DriftKind::kAgeSexMismatch, "10001", "C1"}});
  CHECK(items[0].message.find("female only") != std::string::npos);

  Fixture ers;
  ers.ers[1].criteria = AgeSexCriteria{SexCriterion::kAny, 16, std::nullopt};
  CheckItems(ers.Run(), {{DriftKind::kAgeSexMismatch, "20001", ""}});

  // A clinic wider than its service is fine: e-RS only sends patients the service accepts.
  Fixture wider;
  std::string toml = std::string(testing::kTwoPriorityService) + kSkin2ww;
  toml.insert(toml.find("slot_reservation_days"), "min_age_years = 16\n");
  const CabConfig adults = testing::ConfigFrom(toml);
  CheckItems(wider.Run(&adults, /*with_ers=*/false), {});
}

TEST_CASE("no_slots_in_window: an URGENT window without a slot predicts ASIs") {
  Fixture f;
  for (const char* clinic : {"C1", "C2"}) {
    for (const FreeSlot& s : f.SlotsBefore(clinic, 15)) f.hub.RemoveSlot(s.slot_id);
  }
  auto items = f.Run();
  // ROUTINE still has NEW slots after the first fortnight.
  CheckItems(items, {{DriftKind::kNoSlotsInWindow, "10001", "", Priority::kUrgent}});
  CHECK(items[0].message.find("no free URGENT or NEW slot in the URGENT booking window") !=
        std::string::npos);
  CHECK(items[0].message.find("The first free slot after the window is at") != std::string::npos);
  CHECK_FALSE(items[0].fixable);

  // Slots held by slot reservation do not count, and the message says so.
  FreeSlot fresh;
  fresh.slot_id = "fresh";
  fresh.clinic_code = "C1";
  fresh.start_ms = kNow + 3 * kDayMs;
  fresh.end_ms = fresh.start_ms + 1'800'000;
  fresh.type = SlotType::kUrgent;
  fresh.released_ms = kNow - kHourMs;
  f.hub.AddSlot(fresh);
  items = f.Run();
  CheckItems(items, {{DriftKind::kNoSlotsInWindow, "10001", "", Priority::kUrgent}});
  CHECK(items[0].message.find("1 slot(s) in the window are held by slot reservation") !=
        std::string::npos);

  Fixture tww;
  for (const FreeSlot& s : tww.SlotsBefore("D1", 15)) tww.hub.RemoveSlot(s.slot_id);
  CheckItems(tww.Run(), {{DriftKind::kNoSlotsInWindow, "20001", "", Priority::kTwoWeekWait}});
}

TEST_CASE("slot_type_mismatch: slot types no priority uses, and a priority no slot type serves") {
  Fixture f;
  ClinicInfo c1 = f.Clinic("C1");
  c1.template_slot_types.push_back(SlotType::kTwoWeekWait);
  f.hub.AddClinic(c1);
  auto items = f.Run();
  CheckItems(items, {{DriftKind::kSlotTypeMismatch, "10001", "C1"}});
  CHECK(items[0].message.find("has TWO_WEEK_WAIT slots but service 10001") != std::string::npos);

  Fixture fu;
  ClinicInfo c2 = fu.Clinic("C2");
  c2.template_slot_types.push_back(SlotType::kFollowUp);
  fu.hub.AddClinic(c2);
  items = fu.Run();
  CheckItems(items, {{DriftKind::kSlotTypeMismatch, "10001", "C2"}});
  CHECK(items[0].message.find("FOLLOW_UP") != std::string::npos);

  // reconcile.allow_mixed_sessions acknowledges mixed new/follow-up sessions: the FOLLOW_UP slots
  // are not drift, but a new-patient type no priority uses still is.
  const CabConfig mixed =
      testing::ConfigFrom(std::string("[reconcile]\nallow_mixed_sessions = true\n") +
                          testing::kTwoPriorityService + kSkin2ww);
  REQUIRE(mixed.reconcile.allow_mixed_sessions);
  CheckItems(fu.Run(&mixed), {});
  ClinicInfo c2_2ww = fu.Clinic("C2");
  c2_2ww.template_slot_types.push_back(SlotType::kTwoWeekWait);
  fu.hub.AddClinic(c2_2ww);
  CheckItems(fu.Run(&mixed), {{DriftKind::kSlotTypeMismatch, "10001", "C2"}});

  // The 2WW clinic's template generates NEW slots only: the clinic's slots are never offered, and
  // TWO_WEEK_WAIT has no slot type at all (reported once, not also as no_slots_in_window).
  Fixture wrong;
  ClinicInfo d1 = wrong.Clinic("D1");
  d1.template_slot_types = {SlotType::kNew};
  wrong.hub.AddClinic(d1);
  for (const FreeSlot& s : wrong.SlotsBefore("D1", 200)) wrong.hub.RemoveSlot(s.slot_id);
  items = wrong.Run();
  CheckItems(items, {{DriftKind::kSlotTypeMismatch, "20001", "", Priority::kTwoWeekWait},
                     {DriftKind::kSlotTypeMismatch, "20001", "D1"}});
}

TEST_CASE("stale_publication: published slots differ from the hub's; fixable by republishing") {
  Fixture f;
  std::int64_t horizon = 0;
  const TemplateSnapshot before = f.Snapshot(&horizon);
  const Publication published = BuildPublication(f.config, before, horizon);
  CheckItems(f.Run(nullptr, true, &published), {});  // nothing changed yet

  const std::vector<FreeSlot> c1 = f.SlotsBefore("C1", 30);
  REQUIRE(c1.size() >= 3);
  f.hub.BookElsewhere(c1[0].slot_id);  // booked by the PAS
  f.hub.RemoveSlot(c1[1].slot_id);     // session changed
  f.hub.BookElsewhere(c1[2].slot_id);  // ... booked through e-RS by this adapter
  TakenSlots taken{{c1[2].slot_id, kNow}};
  f.hub.AddSession("C2", booking::AddDays(booking::LondonDateAt(kNow), 9), 14 * 60, 4, 30,
                   SlotType::kNew, kNow - 30 * kDayMs);  // a new session
  auto items = f.Run(nullptr, true, &published, &taken);
  CheckItems(items, {{DriftKind::kStalePublication, "10001", ""}});
  CHECK(items[0].fixable);
  CHECK_FALSE(items[0].fixed);
  CHECK(items[0].message.find("2 published slot(s) are no longer free") != std::string::npos);
  CHECK(items[0].message.find("4 free slot(s) had not been published (clinics C1, C2)") !=
        std::string::npos);
}

TEST_CASE("the report for `hub ctl cab drift` and the escalation summary") {
  CHECK(RenderDriftReport({}, kNow) ==
        "CaB/e-RS drift at 2026-03-02 10:00 (Europe/London): no drift.\n");
  CHECK_FALSE(BuildEscalation({}, kNow).has_value());

  DriftItem urgent{
      DriftKind::kNoSlotsInWindow, "10001", "", Priority::kUrgent, "no URGENT slot", false, false};
  DriftItem stale{DriftKind::kStalePublication, "10001", "", std::nullopt, "stale", true, true};
  DriftItem clinic{
      DriftKind::kClinicWithoutService, "", "C9", std::nullopt, "unmapped", false, false};
  const std::string report = RenderDriftReport({urgent, stale, clinic}, kNow);
  CHECK(report.find("3 item(s), 2 need action, 1 fixed automatically") != std::string::npos);
  CHECK(report.find("[ACTION] no_slots_in_window — service 10001, URGENT\n  no URGENT slot") !=
        std::string::npos);
  CHECK(report.find("[FIXED] stale_publication — service 10001") != std::string::npos);
  CHECK(report.find("[ACTION] clinic_without_service — clinic C9") != std::string::npos);

  CHECK_FALSE(BuildEscalation({stale}, kNow).has_value());  // fixed: nobody needs telling
  auto e = BuildEscalation({urgent, stale, clinic}, kNow);
  REQUIRE(e.has_value());
  CHECK(e->severity == "critical");
  CHECK(e->item_count == 2);
  CHECK(e->fixed_count == 1);
  CHECK(e->service_ids == std::vector<std::string>{"10001"});
  CHECK(e->clinic_codes == std::vector<std::string>{"C9"});
  CHECK(e->title == "e-RS: 1 booking window(s) without slots, 2 drift item(s) in all");
  CHECK(e->text.find("[FIXED]") == std::string::npos);
  CHECK(e->raised_at_ms == kNow);
  auto same = BuildEscalation({clinic, urgent}, kNow + 1000);
  CHECK(same->dedupe_key == e->dedupe_key);
  auto routine_only = BuildEscalation({clinic}, kNow);
  CHECK(routine_only->severity == "warning");
  CHECK(routine_only->dedupe_key != e->dedupe_key);
}

TEST_CASE("every drift kind has a distinct name") {
  std::set<std::string_view> names;
  for (DriftKind k : kAllDriftKinds) names.insert(DriftKindName(k));
  CHECK(names.size() == std::size(kAllDriftKinds));
  CHECK(names.count("unknown") == 0);
}

}  // namespace
}  // namespace hub::cab
