// e-RS booking record names.
#include "hub/booking/ers_booking.hpp"

namespace hub::booking {

std::string_view ErsBookingStatusName(ErsBookingStatus s) {
  switch (s) {
    case ErsBookingStatus::kBooked:
      return "BOOKED";
    case ErsBookingStatus::kCancelled:
      return "CANCELLED";
  }
  return "UNSPECIFIED";
}

}  // namespace hub::booking
