// config/cab.toml: the shipped example, defaults, and every refused value named by file:line.
#include "adapters/cab/cab_config.hpp"

#include <doctest/doctest.h>

#include <set>

#include "tests/adapters/cab/example_trust.hpp"
#include "tests/adapters/cab/test_util.hpp"

namespace hub::cab {
namespace {

using testing::ConfigFrom;
using testing::kTwoPriorityService;

TEST_CASE("the shipped example trust loads: six specialties, windows and defaults") {
  auto loaded = testing::LoadShippedConfig();
  REQUIRE_MESSAGE(loaded.ok(), loaded.status().ToString());
  const CabConfig& c = *loaded;
  CHECK(c.http.listen_address == "127.0.0.1");
  CHECK(c.http.listen_port == 8091);
  CHECK(c.gateway.booking_deadline_ms == 110'000);
  CHECK(c.contact_days.For(Priority::kRoutine) == 40);
  CHECK(c.contact_days.For(Priority::kUrgent) == 10);
  CHECK(c.contact_days.For(Priority::kTwoWeekWait) == 5);
  CHECK(c.reconcile.ers_services_file ==
        std::string(HUB_SOURCE_DIR) + "/config/cab-ers-services.json");
  CHECK(c.IsUnpublished("RESP_BEAUMONT_THU"));
  CHECK(c.reconcile.allow_mixed_sessions);
  REQUIRE(c.services.size() == 17);
  std::set<std::string> specialties;
  std::set<std::string> clinics;
  for (const ServiceDef& s : c.services) {
    specialties.insert(s.specialty);
    for (const std::string& code : s.clinic_codes) {
      CHECK_MESSAGE(clinics.insert(code).second, code << " is mapped twice");
    }
  }
  CHECK(specialties == std::set<std::string>{"CARDIOLOGY", "DERMATOLOGY", "ENT", "GASTROENTEROLOGY",
                                             "ORTHOPAEDICS", "RESPIRATORY"});
  // Every clinic of config/clinics but the unpublished sleep clinic, each in one service.
  CHECK(clinics.size() == 19);
  CHECK(clinics.count("RESP_BEAUMONT_THU") == 0);

  const ServiceDef* general = c.FindService("40101");
  REQUIRE(general != nullptr);
  CHECK(general->clinic_codes == std::vector<std::string>{"CARD_PATEL_MON"});
  CHECK(general->specialty == "CARDIOLOGY");
  CHECK(general->clinic_type == "GENERAL");
  CHECK(general->slot_reservation_days == 1);
  CHECK(general->criteria.min_age_years == 16);
  CHECK_FALSE(general->criteria.max_age_years.has_value());
  CHECK(general->MostUrgent() == Priority::kUrgent);
  REQUIRE(general->Window(Priority::kUrgent) != nullptr);
  CHECK(general->Window(Priority::kUrgent)->slot_types ==
        std::vector<SlotType>{SlotType::kUrgent, SlotType::kNew});
  CHECK(general->Window(Priority::kTwoWeekWait) == nullptr);
  CHECK(general->where.find("cab.toml:") != std::string::npos);

  // 40102 gives no windows: the defaults apply.
  const ServiceDef* hf = c.FindService("40102");
  REQUIRE(hf != nullptr);
  CHECK(hf->Window(Priority::kRoutine)->start_hours == 24);
  CHECK(hf->Window(Priority::kRoutine)->end_days == 0);
  CHECK(hf->Window(Priority::kRoutine)->slot_types == std::vector<SlotType>{SlotType::kNew});
  CHECK(hf->Window(Priority::kUrgent)->start_hours == 1);
  CHECK(hf->Window(Priority::kUrgent)->end_days == 14);

  // Two clinics of one service; all ages (no age key).
  const ServiceDef* derm = c.FindService("40201");
  REQUIRE(derm != nullptr);
  CHECK(derm->clinic_codes == std::vector<std::string>{"DERM_MACLEOD_TUE", "DERM_OKAFOR_FRI"});
  CHECK(derm->criteria.min_age_years == 0);
  CHECK_FALSE(derm->criteria.max_age_years.has_value());
  CHECK(derm->slot_reservation_days == 2);

  // A clinic with TWO_WEEK_WAIT, URGENT and NEW slots: its service accepts all three priorities.
  const ServiceDef* skin = c.FindService("40202");
  REQUIRE(skin != nullptr);
  CHECK(skin->clinic_type == "SKIN_LESION");
  CHECK(skin->priorities ==
        std::vector<Priority>{Priority::kRoutine, Priority::kUrgent, Priority::kTwoWeekWait});
  CHECK(skin->MostUrgent() == Priority::kTwoWeekWait);
  CHECK(skin->Window(Priority::kTwoWeekWait)->slot_types ==
        std::vector<SlotType>{SlotType::kTwoWeekWait});

  const ServiceDef* lung = c.FindService("40602");
  REQUIRE(lung != nullptr);
  CHECK(lung->Window(Priority::kRoutine) == nullptr);
  CHECK(lung->Window(Priority::kUrgent)->slot_types == std::vector<SlotType>{SlotType::kUrgent});
  CHECK(c.ServicesForClinic("DERM_OKAFOR_FRI").size() == 1);
  CHECK(c.ServicesForClinic("RESP_BEAUMONT_THU").empty());
}

TEST_CASE("an empty file gives every default") {
  const CabConfig c = ConfigFrom("");
  CHECK(c.http.listen_port == 8091);
  CHECK(c.http.max_body_bytes == 65'536);
  CHECK(c.gateway.threads == 4);
  CHECK(c.search.default_priority == Priority::kRoutine);
  CHECK(c.search.default_count == 20);
  CHECK(c.reconcile.interval_s == 900);
  CHECK(c.reconcile.ers_services_file.empty());
  CHECK_FALSE(c.reconcile.allow_mixed_sessions);
  CHECK(c.services.empty());
}

TEST_CASE("a service's window defaults never run past its polling range") {
  const CabConfig c = ConfigFrom(R"(
[[service]]
id = "1"
name = "Short range"
specialty = "ENT"
clinic_type = "GENERAL_ENT"
clinics = ["E1"]
priorities = ["URGENT"]
polling_range_days = 7
)");
  CHECK(c.services[0].Window(Priority::kUrgent)->end_days == 7);
}

struct Refusal {
  const char* name;
  std::string toml;
  std::string message_part;
};

TEST_CASE("refused values name the file, line and key") {
  const std::string svc = kTwoPriorityService;
  auto with_service_line = [&](const std::string& extra) {
    return "[[service]]\nid = \"1\"\nname = \"S\"\nspecialty = \"ENT\"\nclinic_type = \"X\"\n"
           "clinics = [\"C\"]\npriorities = [\"ROUTINE\"]\n" +
           extra;
  };
  const Refusal cases[] = {
      {"unknown top-level key", "colour = 1\n", "cab.toml:1: unknown key 'colour'"},
      {"unknown key in a table", "[http]\nlisen = \"1.2.3.4:1\"\n",
       "cab.toml:2: unknown key 'http.lisen' in [http]"},
      {"unknown key in a service", with_service_line("colour = 1\n"),
       "cab.toml:8: unknown key 'service[0].colour'"},
      {"unknown key in a window", with_service_line("routine = { start_hour = 2 }\n"),
       "unknown key 'service[0].routine.start_hour'"},
      {"listen without port", "[http]\nlisten = \"localhost\"\n", "is not host:port"},
      {"deadline beyond the e-RS 2 minutes", "[gateway]\nbooking_deadline_ms = 120001\n",
       "outside the allowed range 10..120000"},
      {"unknown default priority", "[search]\ndefault_priority = \"SOON\"\n",
       "must be ROUTINE, URGENT or TWO_WEEK_WAIT"},
      {"_count beyond A015's 100", "[search]\ndefault_count = 101\n", "1..100"},
      {"service id with letters", "[[service]]\nid = \"S1\"\n", "is not an e-RS service id"},
      {"missing name", "[[service]]\nid = \"1\"\n", "missing required key 'service[0].name'"},
      {"lower-case specialty", "[[service]]\nid = \"1\"\nname = \"S\"\nspecialty = \"ent\"\n",
       "SPECIALTY code"},
      {"no clinics",
       "[[service]]\nid = \"1\"\nname = \"S\"\nspecialty = \"ENT\"\nclinic_type = \"X\"\n",
       "at least one clinic code"},
      {"clinic listed twice",
       "[[service]]\nid = \"1\"\nname = \"S\"\nspecialty = \"ENT\"\nclinic_type = \"X\"\n"
       "clinics = [\"C\", \"C\"]\n",
       "'C' is listed twice"},
      {"unknown priority",
       "[[service]]\nid = \"1\"\nname = \"S\"\nspecialty = \"ENT\"\nclinic_type = \"X\"\n"
       "clinics = [\"C\"]\npriorities = [\"2WW\"]\n",
       "'2WW' is not ROUTINE, URGENT or TWO_WEEK_WAIT"},
      {"window for a priority not accepted", with_service_line("urgent = { start_hours = 1 }\n"),
       "a booking window for URGENT, which `priorities` does not accept"},
      {"follow-up slots published",
       with_service_line("routine = { slot_types = [\"FOLLOW_UP\"] }\n"),
       "FOLLOW_UP slots are never published to e-RS"},
      {"urgent slots in a routine window",
       with_service_line("routine = { slot_types = [\"NEW\", \"URGENT\"] }\n"),
       "URGENT slots must not be offered to ROUTINE referrals"},
      {"window closing before it opens",
       with_service_line("routine = { start_hours = 48, end_days = 2 }\n"),
       "the window would close before it opens"},
      {"window past the polling range",
       with_service_line("polling_range_days = 30\nroutine = { end_days = 31 }\n"),
       "outside the allowed range 0..30"},
      {"slot reservation of 3 days", with_service_line("slot_reservation_days = 3\n"),
       "outside the allowed range 0..2"},
      {"unknown sex", with_service_line("sex = \"F\"\n"),
       "must be \"any\", \"female\" or \"male\""},
      {"max age below min age", with_service_line("min_age_years = 16\nmax_age_years = 15\n"),
       "outside the allowed range 16..150"},
      {"duplicate service id", svc + svc, "service id 10001 is defined twice"},
      {"unpublished clinic that a service maps",
       "[reconcile]\nunpublished_clinics = [\"C1\"]\n" + svc,
       "a clinic is either published or not"},
      {"not TOML", "[http\n", "cab.toml:1"},
  };
  for (const Refusal& r : cases) {
    CAPTURE(r.name);
    auto c = ParseCabConfig(r.toml, "cab.toml");
    REQUIRE_FALSE(c.ok());
    CHECK_MESSAGE(c.status().message().find(r.message_part) != std::string::npos,
                  c.status().message());
  }
}

}  // namespace
}  // namespace hub::cab
