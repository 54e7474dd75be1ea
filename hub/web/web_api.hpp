// The JSON API of `hub web` (docs/api.md): sign-in and sessions, the PTL, patients and pathways,
// slots and booking, clinics and clinic changes, integration (queues, dead letters, replay), and
// /metrics. Each call is checked here, on the server, in this order: session (401), CSRF token
// and Origin on every state-changing request (403), role (403, roles.hpp), body size (413), body
// shape (400 naming the field); then one request to the booking service or the broker. Calls that
// return patient-identifiable data write an audit row per patient (user_store.hpp).
// The API holds no domain state: the clinic templates it shows come from the same config files the
// booking worker loads. Not thread-safe: one WebApi per server thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hub/booking/clinic_template.hpp"
#include "hub/common/clock.hpp"
#include "hub/web/backend.hpp"
#include "hub/web/http_types.hpp"
#include "hub/web/metrics.hpp"
#include "hub/web/signin_limiter.hpp"
#include "hub/web/user_store.hpp"
#include "hub/web/web_config.hpp"

namespace hub::web {

inline constexpr const char* kSessionCookie = "hub_session";

struct WebApiOptions {
  WebConfig config;
  std::vector<booking::ClinicTemplate> clinics;  // config/clinics, for /api/clinics
  int potential_breach_horizon_weeks = 4;        // booking-rules.toml, RULES §1.9
};

class WebApi {
 public:
  // `users`, `backend` and `clock` must outlive the WebApi.
  WebApi(WebApiOptions options, UserStore& users, Backend& backend, const Clock& clock);

  // Answers any request whose path starts with /api/ or is /metrics. Never throws.
  HttpResponse Handle(const HttpRequest& request);

  WebMetrics& metrics() { return metrics_; }

 private:
  HttpResponse Route(const HttpRequest& request);
  HttpResponse SignIn(const HttpRequest& request);
  HttpResponse Metrics();

  WebApiOptions options_;
  UserStore& users_;
  Backend& backend_;
  const Clock& clock_;
  WebMetrics metrics_;
  SigninLimiter limiter_;
};

// A JSON error response: {"error": code, "message": message[, "field": field]}.
HttpResponse JsonError(int status, const std::string& code, const std::string& message,
                       const std::string& field = "");
// The HTTP status for a Status code (InvalidArgument 400, NotFound 404, PermissionDenied 403, ...).
int HttpStatusFor(const Status& s);

}  // namespace hub::web
