// e-RS A016 "Book or defer appointment" (POST /STU3/Appointment) as pure functions: the request
// Appointment read into an AppointmentRequest (status "booked" books a slot, "proposed" defers to
// the provider), and the Appointment the adapter answers with (eRS-Appointment-1 shape, as in
// the A016 sandbox responses).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/cab/api_error.hpp"
#include "adapters/cab/booking_gateway.hpp"
#include "adapters/cab/cab_config.hpp"

namespace hub::cab {

enum class AppointmentAction : std::uint8_t { kBook = 1, kDefer = 2 };

struct AppointmentRequest {
  AppointmentAction action = AppointmentAction::kBook;
  std::string service_id;          // participant with identifier system ers-service
  std::string service_display;     // its display, when sent
  std::string nhs_number;          // participant with system nhs-number; Modulus 11 checked
  std::string clinician_id;        // participant typed CON with system sds-user-id, or ""
  std::string ubrn;                // from incomingReferral "ReferralRequest/<ubrn>[/_history/n]"
  std::string referral_reference;  // that reference as sent, echoed in the reply
  std::string slot_id;             // slot[0] "Slot/<id>"; required to book, optional to defer
  std::optional<std::int64_t> start_ms;  // as sent; when present must match the slot
  std::optional<std::int64_t> end_ms;
  // Extension-eRS-ReferralPriority-1 when the sender includes it. The A016 body does not carry
  // the referral's priority (e-RS knows it); see CabApi for how it is chosen when absent.
  std::optional<Priority> priority;
  std::string reason = "NO_SLOTS_AT_SERVICE";  // deferral: eRS-ReviewReason-1 code
  std::string comment;
};

// Reads an A016 request body. Not JSON, not an object or not an Appointment, or an element of the
// wrong JSON type: 400. Missing or invalid values (status other than booked/proposed, no service
// or patient participant, an NHS number failing Modulus 11, a UBRN that is not 12 digits, no slot
// to book, an unknown review reason): 422, as the A016 error table lists INVALID_VALUE,
// MISSING_VALUE and INVALID_CODE under 422. Every error names the element.
ApiResult<AppointmentRequest> ParseAppointmentRequest(std::string_view body);

// The Appointment (status booked) answered with 201 after a booking.
std::string BuildBookedAppointment(const AppointmentRequest& request, const ServiceDef& service,
                                   const BookingConfirmation& confirmation);

// The Appointment (status proposed) answered with 201 after a deferral.
std::string BuildDeferredAppointment(const AppointmentRequest& request, const ServiceDef& service,
                                     const DeferralConfirmation& confirmation);

}  // namespace hub::cab
