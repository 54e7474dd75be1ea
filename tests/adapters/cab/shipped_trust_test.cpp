// The shipped example trust end to end, from its real files: config/cab.toml (the service map),
// config/cab-ers-services.json (the A035 service definitions) and config/clinics/*.toml (the
// booking engine's templates, expanded into slots as the engine generates them). The three must
// agree (RULES §8): no drift, every service publishes slots for every priority it accepts, and
// every clinic is either mapped by one service or deliberately unpublished.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "adapters/cab/drift.hpp"
#include "adapters/cab/ers_directory.hpp"
#include "adapters/cab/published_slots.hpp"
#include "adapters/cab/reconciler.hpp"
#include "adapters/cab/slot_search.hpp"
#include "hub/booking/calendar.hpp"
#include "hub/booking/clinic_config.hpp"
#include "tests/adapters/cab/example_trust.hpp"
#include "tests/adapters/cab/fake_booking_gateway.hpp"

namespace hub::cab {
namespace {

using testing::kMonday10am;
constexpr std::int64_t kNow = kMonday10am;

SlotType CabType(booking::SlotType t) {
  auto type = SlotTypeFromName(booking::SlotTypeName(t));
  REQUIRE_MESSAGE(type.has_value(), booking::SlotTypeName(t));
  return *type;
}

// The clinic files as the booking engine offers them to the adapter: clinics.list (every slot
// type of the template) and the free slots of every session from today to the booking horizon.
// A slot became bookable when it entered the horizon (the daily sweep), at the latest today.
struct RealTrust {
  ManualClock clock{kNow};
  testing::FakeBookingGateway hub{clock};
  std::vector<booking::ClinicTemplate> templates;
  CabConfig config;
  std::vector<ErsService> ers;

  RealTrust() {
    auto loaded = testing::LoadShippedConfig();
    REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
    config = std::move(loaded).value();
    auto services = LoadErsServices(config.reconcile.ers_services_file);
    REQUIRE_MESSAGE(services.ok(), services.status().ToString());
    ers = std::move(services).value();
    auto clinics = booking::LoadClinicDir(std::string(HUB_SOURCE_DIR) + "/config/clinics");
    REQUIRE_MESSAGE(clinics.ok(), clinics.status().ToString());
    templates = std::move(clinics).value();

    const booking::Date today = booking::LondonDateAt(kNow);
    for (const booking::ClinicTemplate& t : templates) {
      ClinicInfo c;
      c.clinic_code = t.clinic_code;
      c.name = t.clinic_name;
      c.consultant_name = t.consultant;
      c.specialty = t.specialty;
      c.clinic_type = t.clinic_type;
      std::set<SlotType> types;
      for (const booking::SlotDef& d : t.slots) types.insert(CabType(d.type));
      c.template_slot_types.assign(types.begin(), types.end());
      hub.AddClinic(c);
      const int horizon_days = t.booking_horizon_weeks * 7;
      for (const booking::Slot& s :
           booking::GenerateSlots(t, today, booking::AddDays(today, horizon_days - 1))) {
        FreeSlot f;
        f.slot_id = s.slot_id;
        std::replace(f.slot_id.begin(), f.slot_id.end(), '_', '.');  // as BrokerGateway
        f.clinic_code = s.clinic_code;
        f.start_ms = s.start_ms;
        f.end_ms = s.start_ms + std::int64_t{s.length_minutes} * 60'000;
        f.type = CabType(s.type);
        f.capacity = s.capacity;
        f.released_ms = std::min(
            kNow, booking::LondonLocalToUtcMs(booking::AddDays(s.date, -horizon_days), 0));
        hub.AddSlot(f);
      }
    }
  }

  std::vector<DriftItem> Drift(const CabConfig& with, const Publication* published = nullptr) {
    std::int64_t horizon = 0;
    auto snap = TakeSnapshot(with, hub, kNow, &horizon);
    REQUIRE_MESSAGE(snap.ok(), snap.status().ToString());
    DriftInputs in;
    in.config = &with;
    in.hub = &*snap;
    in.ers = &ers;
    in.published = published;
    in.now_ms = kNow;
    return FindDrift(in);
  }

  Publication Publish() {
    std::int64_t horizon = 0;
    auto snap = TakeSnapshot(config, hub, kNow, &horizon);
    REQUIRE_MESSAGE(snap.ok(), snap.status().ToString());
    return BuildPublication(config, *snap, horizon);
  }
};

std::string Describe(const std::vector<DriftItem>& items) {
  std::string out;
  for (const DriftItem& i : items) {
    out += fmt::format("\n  {} service={} clinic={}: {}", DriftKindName(i.kind), i.service_id,
                       i.clinic_code, i.message);
  }
  return out;
}

TEST_CASE("every clinic of config/clinics is mapped by one service of its kind, or unpublished") {
  RealTrust t;
  REQUIRE(t.templates.size() == 20);
  std::map<std::string, const booking::ClinicTemplate*> by_code;
  for (const auto& c : t.templates) by_code[c.clinic_code] = &c;
  for (const ServiceDef& s : t.config.services) {
    CAPTURE(s.service_id);
    for (const std::string& code : s.clinic_codes) {
      CAPTURE(code);
      REQUIRE(by_code.count(code) == 1);
      CHECK(by_code[code]->specialty == s.specialty);
      CHECK(by_code[code]->clinic_type == s.clinic_type);
    }
  }
  for (const auto& [code, tmpl] : by_code) {
    CAPTURE(code);
    const std::size_t services = t.config.ServicesForClinic(code).size();
    CHECK((services == 1) != t.config.IsUnpublished(code));
  }
  CHECK(t.config.reconcile.unpublished_clinics == std::vector<std::string>{"RESP_BEAUMONT_THU"});
  // Every directly bookable e-RS service is in the map; the one that is not is the sleep clinic's.
  for (const ErsService& e : t.ers) {
    CAPTURE(e.service_id);
    CHECK((t.config.FindService(e.service_id) != nullptr) == e.directly_bookable.value_or(true));
  }
}

TEST_CASE("the shipped config, e-RS definitions and clinic templates have no drift") {
  RealTrust t;
  const std::vector<DriftItem> items = t.Drift(t.config);
  CHECK_MESSAGE(items.empty(), Describe(items));
  CHECK(RenderDriftReport(items, kNow).find("no drift") != std::string::npos);
  CHECK_FALSE(BuildEscalation(items, kNow).has_value());

  // Against its own publication too: nothing stale.
  const Publication pub = t.Publish();
  const std::vector<DriftItem> after = t.Drift(t.config, &pub);
  CHECK_MESSAGE(after.empty(), Describe(after));
}

TEST_CASE("without allow_mixed_sessions, each mapped clinic with follow-up slots is drift") {
  RealTrust t;
  CabConfig strict = t.config;
  strict.reconcile.allow_mixed_sessions = false;
  std::set<std::string> expected;
  for (const auto& c : t.templates) {
    if (strict.ServicesForClinic(c.clinic_code).empty()) continue;
    for (const booking::SlotDef& d : c.slots) {
      if (d.type == booking::SlotType::kFollowUp) expected.insert(c.clinic_code);
    }
  }
  CHECK(expected.size() == 18);  // all 19 mapped clinics but the chest pain clinic
  CHECK(expected.count("CARD_HUGHES_FRI") == 0);
  std::set<std::string> reported;
  for (const DriftItem& i : t.Drift(strict)) {
    CHECK_MESSAGE(i.kind == DriftKind::kSlotTypeMismatch, Describe({i}));
    CHECK(i.message.find("FOLLOW_UP") != std::string::npos);
    reported.insert(i.clinic_code);
  }
  CHECK(reported == expected);
}

TEST_CASE("every service publishes slots for every priority it accepts, from every clinic") {
  RealTrust t;
  PublishedView view;
  view.publication = std::make_shared<const Publication>(t.Publish());
  view.taken = std::make_shared<const TakenSlots>();
  for (const FreeSlot& s : view.publication->slots) {
    CHECK_MESSAGE(s.clinic_code != "RESP_BEAUMONT_THU", s.slot_id);
  }
  for (const ServiceDef& s : t.config.services) {
    CAPTURE(s.service_id);
    std::set<std::string> clinics_offered;
    for (Priority p : s.priorities) {
      CAPTURE(PriorityCode(p));
      SlotSearchQuery q;
      q.service_id = s.service_id;
      q.priority = p;
      q.count = 100;
      auto first = SelectSlots(s, q, view, kNow);
      REQUIRE(first.ok());
      CHECK(first->total > 0);
      for (q.page = 1; q.page <= first->last_page; ++q.page) {
        auto page = SelectSlots(s, q, view, kNow);
        REQUIRE(page.ok());
        for (const FreeSlot* slot : page->slots) {
          const auto& types = s.Window(p)->slot_types;
          CHECK(std::find(types.begin(), types.end(), slot->type) != types.end());
          CHECK(slot->type != SlotType::kFollowUp);
          clinics_offered.insert(slot->clinic_code);
        }
      }
    }
    CHECK(clinics_offered ==
          std::set<std::string>(s.clinic_codes.begin(), s.clinic_codes.end()));
  }
}

}  // namespace
}  // namespace hub::cab
