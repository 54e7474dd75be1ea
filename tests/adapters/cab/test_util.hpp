// Small helpers shared by the CaB adapter's test files: fixtures from tests/data/cab/, config
// from TOML text, and a service with fixed windows.
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "adapters/cab/cab_config.hpp"
#include "adapters/cab/fhir_validator.hpp"

namespace hub::cab::testing {

// The exact bytes of tests/data/cab/<name>; fails the test when it cannot be read.
inline std::string ReadTestData(const std::string& name) {
  const std::string path = std::string(HUB_TESTDATA_DIR) + "/cab/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A CabConfig from cab.toml text; fails the test on an error.
inline CabConfig ConfigFrom(const std::string& toml) {
  auto c = ParseCabConfig(toml, "cab.toml");
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  return std::move(c).value();
}

// Service 10001 on clinics C1 and C2: ROUTINE (opens in 24 h, to the 84-day polling range, NEW
// slots) and URGENT (opens in 1 h, 14 days, URGENT or NEW slots), 1 day of slot reservation.
inline constexpr const char* kTwoPriorityService = R"(
[[service]]
id = "10001"
name = "General Cardiology"
specialty = "CARDIOLOGY"
clinic_type = "GENERAL_CARDIOLOGY"
clinics = ["C1", "C2"]
priorities = ["ROUTINE", "URGENT"]
slot_reservation_days = 1
polling_range_days = 84
routine = { start_hours = 24, end_days = 0, slot_types = ["NEW"] }
urgent = { start_hours = 1, end_days = 14, slot_types = ["URGENT", "NEW"] }
)";

// No validation issues, or a failure listing them.
inline void CheckValidFhir(const std::string& json_text) {
  const auto issues = ValidateStu3Json(json_text);
  CHECK_MESSAGE(issues.empty(), FormatIssues(issues) << "\nin: " << json_text.substr(0, 2000));
}

}  // namespace hub::cab::testing
