// Test and benchmark data for the CaB adapter: the shipped example service map, hub clinics and
// slots that agree with a service map, and a generated map of any size.
#pragma once

#include <cstdint>
#include <string>

#include "adapters/cab/cab_config.hpp"
#include "tests/adapters/cab/fake_booking_gateway.hpp"

namespace hub::cab::testing {

// A fixed "now": Monday 2026-03-02 10:00 Europe/London (GMT), a working morning.
inline constexpr std::int64_t kMonday10am = 1'772'445'600'000;

// config/cab.toml from the source tree.
Result<CabConfig> LoadShippedConfig();

// For every clinic `config` maps: a template that agrees with its service (specialty, clinic type,
// age/sex, the slot types its windows take, a named consultant), and two morning sessions a week
// of eight 30-minute slots for `weeks` weeks from the London date of `now_ms`, released 30 days
// before `now_ms`. Slot types cycle through the template's types. Plus every clinic in
// reconcile.unpublished_clinics (the shipped map: the sleep clinic RESP_BEAUMONT_THU), with NEW
// and FOLLOW_UP slots. tests/adapters/cab/shipped_trust_test.cpp uses the real templates instead.
void FillConsistentTrust(FakeBookingGateway& gateway, const CabConfig& config, std::int64_t now_ms,
                         int weeks);

// cab.toml text with `services` services of `clinics_per_service` clinics each (ROUTINE and
// URGENT, default windows, 84-day polling range), ids 50000.., clinics BEN-<s>-<c>.
std::string SyntheticServiceMap(int services, int clinics_per_service);

// The SDS user id FillConsistentTrust gives the consultant of `clinic_code`.
std::string ConsultantIdFor(const std::string& clinic_code);

}  // namespace hub::cab::testing
