// Helpers on the gateway's value types.
#include "adapters/cab/booking_gateway.hpp"

namespace hub::cab {

const ClinicInfo* TemplateSnapshot::FindClinic(const std::string& clinic_code) const {
  for (const ClinicInfo& c : clinics) {
    if (c.clinic_code == clinic_code) return &c;
  }
  return nullptr;
}

}  // namespace hub::cab
