// Example and generated trusts for the CaB adapter's tests and benchmark.
#include "tests/adapters/cab/example_trust.hpp"

#include <fmt/format.h>

#include <set>

#include "adapters/cab/booking_window.hpp"
#include "hub/booking/calendar.hpp"

namespace hub::cab::testing {

Result<CabConfig> LoadShippedConfig() {
  return LoadCabConfig(std::string(HUB_SOURCE_DIR) + "/config/cab.toml");
}

std::string ConsultantIdFor(const std::string& clinic_code) {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : clinic_code) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return fmt::format("9216{:08}", h % 100'000'000);
}

namespace {

void AddSessions(FakeBookingGateway& gateway, const ClinicInfo& clinic, std::int64_t now_ms,
                 int weeks) {
  const booking::Date today = booking::LondonDateAt(now_ms);
  const unsigned first_day = (clinic.clinic_code.size() % 2 == 0) ? 1 : 2;  // Mon/Thu or Tue/Fri
  for (int day = 0; day < weeks * 7; ++day) {
    const booking::Date date = booking::AddDays(today, day);
    const unsigned weekday = booking::IsoWeekday(date);
    if (weekday != first_day && weekday != first_day + 3) continue;
    constexpr int kSlots = 8;
    for (int i = 0; i < kSlots; ++i) {
      const SlotType type =
          clinic
              .template_slot_types[static_cast<std::size_t>(i) % clinic.template_slot_types.size()];
      gateway.AddSession(clinic.clinic_code, date, 9 * 60 + i * 30, 1, 30, type,
                         now_ms - 30 * kDayMs);
    }
  }
}

}  // namespace

void FillConsistentTrust(FakeBookingGateway& gateway, const CabConfig& config, std::int64_t now_ms,
                         int weeks) {
  std::set<std::string> done;
  for (const ServiceDef& s : config.services) {
    std::vector<SlotType> types;
    for (Priority p : s.priorities) {
      for (SlotType t : s.Window(p)->slot_types) {
        if (std::find(types.begin(), types.end(), t) == types.end()) types.push_back(t);
      }
    }
    for (const std::string& code : s.clinic_codes) {
      if (!done.insert(code).second) continue;
      ClinicInfo c;
      c.clinic_code = code;
      c.name = fmt::format("{} new patient clinic", s.name);
      c.consultant_id = ConsultantIdFor(code);
      c.consultant_name = fmt::format("Dr {}", code.substr(0, 3));
      c.specialty = s.specialty;
      c.clinic_type = s.clinic_type;
      c.site_code = "RXX01";
      c.template_slot_types = types;
      c.criteria = s.criteria;
      gateway.AddClinic(c);
      AddSessions(gateway, c, now_ms, weeks);
    }
  }
  // Clinics deliberately not on e-RS (the shipped map: the sleep clinic RESP_BEAUMONT_THU) hold
  // new-patient slots too, and must not be reported.
  for (const std::string& code : config.reconcile.unpublished_clinics) {
    if (!done.insert(code).second) continue;
    ClinicInfo c;
    c.clinic_code = code;
    c.name = "Clinic not on e-RS";
    c.specialty = "RESPIRATORY";
    c.clinic_type = "SLEEP";
    c.template_slot_types = {SlotType::kNew, SlotType::kFollowUp};
    gateway.AddClinic(c);
    AddSessions(gateway, c, now_ms, weeks);
  }
}

std::string SyntheticServiceMap(int services, int clinics_per_service) {
  std::string out = "[http]\nlisten = \"127.0.0.1:0\"\n";
  for (int s = 0; s < services; ++s) {
    std::string clinics;
    for (int c = 0; c < clinics_per_service; ++c) {
      clinics += fmt::format("{}\"BEN-{}-{}\"", c == 0 ? "" : ", ", s, c);
    }
    out += fmt::format(
        "\n[[service]]\nid = \"{}\"\nname = \"Benchmark service {}\"\nspecialty = \"CARDIOLOGY\"\n"
        "clinic_type = \"GENERAL_CARDIOLOGY\"\nclinics = [{}]\npriorities = [\"ROUTINE\", "
        "\"URGENT\"]\n",
        50000 + s, s, clinics);
  }
  return out;
}

}  // namespace hub::cab::testing
