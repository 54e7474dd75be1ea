// The adapter's HTTP API, between the HTTP server and the pure core: routes GET /STU3/Slot (A015,
// answered from the published slots) and POST /STU3/Appointment (A016: book through the gateway
// within the booking deadline, or defer to the provider with the priority's contact-by date), and
// turns every failure into an OperationOutcome with the right status.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <string>

#include "adapters/cab/appointment_request.hpp"
#include "adapters/cab/booking_gateway.hpp"
#include "adapters/cab/cab_config.hpp"
#include "adapters/cab/gateway_runner.hpp"
#include "adapters/cab/http_server.hpp"
#include "adapters/cab/published_slots.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/ulid.hpp"

namespace hub::cab {

// Thread-safe; every reference must outlive it.
//
// Status codes (README "Endpoints"): 200 search, 201 booked/deferred; 400 unreadable request or
// search parameter (A015 error table, including an unknown service: REFERENCE_NOT_FOUND); 404
// unknown path; 405 wrong method; 409 slot no longer available; 413 body too large; 415 not JSON;
// 422 A016 business rule (unknown service REFERENCE_NOT_FOUND, slot outside the window
// INAPPROPRIATE_SLOT, SLOTS_CURRENTLY_AVAILABLE, invalid values); 502 the booking engine refused
// unexpectedly; 503 busy or nothing published yet; 504 the booking engine did not answer within
// the deadline (A016 PAS_NOT_RESPONDING).
class CabApi {
 public:
  CabApi(const CabConfig& config, BookingGateway& gateway, PublishedSlots& published,
         GatewayRunner& runner, const Clock& clock);

  // HttpHandler.
  void Handle(HttpRequest request, boost::asio::any_io_executor executor,
              std::function<void(HttpResponse)> respond);
  // HttpErrorRenderer.
  HttpResponse RenderTransportError(int status, const std::string& message) const;

 private:
  HttpResponse Search(const HttpRequest& request, std::string_view query) const;
  void Appointment(const HttpRequest& request, boost::asio::any_io_executor executor,
                   std::function<void(HttpResponse)> respond);
  void Book(AppointmentRequest request, const ServiceDef& service,
            boost::asio::any_io_executor executor, std::function<void(HttpResponse)> respond);
  void Defer(AppointmentRequest request, const ServiceDef& service,
             boost::asio::any_io_executor executor, std::function<void(HttpResponse)> respond);
  std::string BaseUrl(const HttpRequest& request) const;

  const CabConfig& config_;
  BookingGateway& gateway_;
  PublishedSlots& published_;
  GatewayRunner& runner_;
  const Clock& clock_;
  mutable UlidGenerator ids_;  // thread-safe; used by const Search
};

// An OperationOutcome reply for `error`.
HttpResponse ErrorResponse(const ApiError& error);

}  // namespace hub::cab
