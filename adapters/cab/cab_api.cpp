// Routing and the A015/A016 flows of the adapter's HTTP API.
#include "adapters/cab/cab_api.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "adapters/cab/booking_window.hpp"
#include "adapters/cab/slot_search.hpp"
#include "hub/booking/calendar.hpp"

namespace hub::cab {
namespace {

constexpr std::string_view kSlotPath = "/STU3/Slot";
constexpr std::string_view kAppointmentPath = "/STU3/Appointment";

bool IsJsonContentType(std::string_view value) {
  std::string lower;
  for (char c : value.substr(0, value.find(';'))) {
    if (c != ' ' && c != '\t')
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower == "application/fhir+json" || lower == "application/json";
}

ApiError SlotGone(const std::string& slot_id, const ServiceDef& service, std::string_view why) {
  return ApiError::Conflict("SLOT_NOT_AVAILABLE",
                            fmt::format("slot {} is no longer available at service {}: {}. Search "
                                        "again, or defer to the provider (A016 status proposed, "
                                        "reason SLOT_NOT_AVAILABLE).",
                                        slot_id, service.service_id, why),
                            "slot[0].reference");
}

ApiError InappropriateSlot(std::string diagnostics) {
  ApiError e =
      ApiError::Unprocessable("INAPPROPRIATE_SLOT", std::move(diagnostics), "slot[0].reference");
  e.issue_type = "business-rule";
  return e;
}

// Why `slot` cannot be booked for `p` at `service`, in words.
ApiError VerdictError(SlotVerdict verdict, const ServiceDef& service, Priority p,
                      const FreeSlot& slot, std::int64_t now_ms) {
  switch (verdict) {
    case SlotVerdict::kPriorityNotAccepted: {
      ApiError e =
          ApiError::Unprocessable("INAPPROPRIATE_VALUE",
                                  fmt::format("service {} ({}) does not accept {} referrals",
                                              service.service_id, service.name, PriorityCode(p)),
                                  "extension");
      e.issue_type = "value";
      return e;
    }
    case SlotVerdict::kNotMapped:
      return InappropriateSlot(
          fmt::format("slot {} belongs to clinic {}, which is not one of "
                      "service {}'s clinics",
                      slot.slot_id, slot.clinic_code, service.service_id));
    case SlotVerdict::kWrongSlotType: {
      std::string types;
      for (SlotType t : service.Window(p)->slot_types) {
        types += (types.empty() ? "" : " or ") + std::string(SlotTypeName(t));
      }
      return InappropriateSlot(fmt::format(
          "slot {} is a {} slot; {} referrals to service {} are "
          "booked into {} slots (RULES §8)",
          slot.slot_id, SlotTypeName(slot.type), PriorityCode(p), service.service_id, types));
    }
    case SlotVerdict::kBeforeWindow:
    case SlotVerdict::kAfterWindow: {
      const TimeRange w = BookingWindowAt(service, p, now_ms);
      return InappropriateSlot(
          fmt::format("slot {} starts at {}, outside the {} booking window "
                      "of service {} ({} to {})",
                      slot.slot_id, FormatInstant(slot.start_ms), PriorityCode(p),
                      service.service_id, FormatInstant(w.from_ms), FormatInstant(w.to_ms)));
    }
    case SlotVerdict::kReserved:
      return InappropriateSlot(
          fmt::format("slot {} is reserved for the provider until {} (slot "
                      "reservation of {} day(s))",
                      slot.slot_id, FormatInstant(ReservationEndsMs(service, slot)),
                      service.slot_reservation_days));
    case SlotVerdict::kFull:
      return SlotGone(slot.slot_id, service, "it is fully booked");
    case SlotVerdict::kOffered:
      break;
  }
  return ApiError::WithStatus(500, "exception", "", "internal error: slot verdict");
}

// Failures after which the booking engine may or may not have booked: undo to be sure.
bool OutcomeUnknown(const Status& s) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kAlreadyExists:
    case StatusCode::kDeadlineExceeded:  // contract: refused before committing
    case StatusCode::kResourceExhausted:
    case StatusCode::kPermissionDenied:
      return false;
    default:
      return true;
  }
}

ApiError EngineError(const Status& s, std::string_view what) {
  switch (s.code()) {
    case StatusCode::kInvalidArgument: {
      ApiError e = ApiError::Unprocessable("INVALID_VALUE", fmt::format("the booking engine "
                                                                        "refused the {}: {}",
                                                                        what, s.message()));
      e.issue_type = "value";
      return e;
    }
    case StatusCode::kNotFound: {
      ApiError e = ApiError::Unprocessable(
          "REFERENCE_NOT_FOUND",
          fmt::format("the booking engine refused the {}: {}", what, s.message()));
      e.issue_type = "not-found";
      return e;
    }
    case StatusCode::kDeadlineExceeded:
      return ApiError::WithStatus(504, "timeout", "PAS_NOT_RESPONDING",
                                  fmt::format("the booking engine did not complete the {} in "
                                              "time; nothing was changed: {}",
                                              what, s.message()));
    case StatusCode::kUnavailable:
    case StatusCode::kResourceExhausted:
      return ApiError::WithStatus(503, "transient", "SERVICE_UNAVAILABLE",
                                  fmt::format("the booking engine is unavailable, nothing was "
                                              "changed; try again: {}",
                                              s.message()));
    default:
      return ApiError::WithStatus(502, "exception", "UNABLE_TO_CONFIRM_APPOINTMENT",
                                  fmt::format("the booking engine failed to complete the {}; "
                                              "nothing was changed: {}",
                                              what, s.ToString()));
  }
}

HttpResponse Busy(const GatewayRunner& runner) {
  return ErrorResponse(ApiError::WithStatus(
      503, "throttled", "SERVICE_UNAVAILABLE",
      fmt::format("the adapter already has {} calls to the booking engine in progress; try again "
                  "shortly",
                  runner.pending())));
}

}  // namespace

HttpResponse ErrorResponse(const ApiError& error) {
  HttpResponse r;
  r.status = error.http_status;
  r.body = RenderOperationOutcome(error);
  return r;
}

CabApi::CabApi(const CabConfig& config, BookingGateway& gateway, PublishedSlots& published,
               GatewayRunner& runner, const Clock& clock)
    : config_(config),
      gateway_(gateway),
      published_(published),
      runner_(runner),
      clock_(clock),
      ids_(clock) {}

HttpResponse CabApi::RenderTransportError(int status, const std::string& message) const {
  std::string issue = "invalid";
  if (status == 413 || status == 431) issue = "too-long";
  return ErrorResponse(ApiError::WithStatus(status, issue, "INVALID_VALUE", message));
}

std::string CabApi::BaseUrl(const HttpRequest& request) const {
  if (!config_.http.public_base_url.empty()) return config_.http.public_base_url;
  if (!request.host.empty()) return "http://" + request.host;
  return fmt::format("http://{}:{}", config_.http.listen_address, config_.http.listen_port);
}

void CabApi::Handle(HttpRequest request, boost::asio::any_io_executor executor,
                    std::function<void(HttpResponse)> respond) {
  const std::size_t q = request.target.find('?');
  const std::string_view path = std::string_view(request.target).substr(0, q);
  const std::string_view query =
      q == std::string::npos ? std::string_view() : std::string_view(request.target).substr(q + 1);
  auto wrong_method = [&](std::string_view allowed) {
    HttpResponse r = ErrorResponse(ApiError::WithStatus(
        405, "not-supported", "INVALID_VALUE",
        fmt::format("{} is not supported on {}: use {}", request.method, path, allowed)));
    r.headers.emplace_back("Allow", std::string(allowed));
    respond(std::move(r));
  };
  if (path == kSlotPath) {
    if (request.method != "GET") return wrong_method("GET");
    return respond(Search(request, query));
  }
  if (path == kAppointmentPath) {
    if (request.method != "POST") return wrong_method("POST");
    return Appointment(request, std::move(executor), std::move(respond));
  }
  respond(ErrorResponse(
      ApiError::WithStatus(404, "not-found", "",
                           fmt::format("no such endpoint: {}. This adapter serves GET {} (A015) "
                                       "and POST {} (A016).",
                                       path, kSlotPath, kAppointmentPath))));
}

HttpResponse CabApi::Search(const HttpRequest& request, std::string_view query_string) const {
  auto query = ParseSlotSearchQuery(query_string, config_.search);
  if (!query.ok()) return ErrorResponse(query.error());
  const ServiceDef* service = config_.FindService(query->service_id);
  if (service == nullptr) {
    // A015 lists REFERENCE_NOT_FOUND ("a supplied reference could not be resolved") among its
    // 400 errors; it has no 404 or 422.
    ApiError e = ApiError::BadRequest(
        "REFERENCE_NOT_FOUND",
        fmt::format("e-RS service {} is not in this trust's service map (config/cab.toml)",
                    query->service_id),
        "schedule.actor:HealthcareService");
    e.issue_type = "not-found";
    return ErrorResponse(e);
  }
  const std::int64_t now = clock_.NowMs();
  const PublishedView view = published_.View();
  auto page = SelectSlots(*service, *query, view, now);
  if (!page.ok()) return ErrorResponse(page.error());
  HttpResponse r;
  r.body = BuildSlotBundle(*service, *query, *page, *view.publication, BaseUrl(request),
                           ids_.Next(), now);
  return r;
}

void CabApi::Appointment(const HttpRequest& request, boost::asio::any_io_executor executor,
                         std::function<void(HttpResponse)> respond) {
  if (!IsJsonContentType(request.content_type)) {
    return respond(ErrorResponse(ApiError::WithStatus(
        415, "not-supported", "INVALID_VALUE",
        fmt::format("Content-Type '{}' is not accepted: send the Appointment as "
                    "application/fhir+json",
                    request.content_type))));
  }
  auto parsed = ParseAppointmentRequest(request.body);
  if (!parsed.ok()) return respond(ErrorResponse(parsed.error()));
  const ServiceDef* service = config_.FindService(parsed->service_id);
  if (service == nullptr) {
    // A016 lists REFERENCE_NOT_FOUND among its 422 errors.
    ApiError e = ApiError::Unprocessable(
        "REFERENCE_NOT_FOUND",
        fmt::format("e-RS service {} is not in this trust's service map (config/cab.toml)",
                    parsed->service_id),
        "participant");
    e.issue_type = "not-found";
    return respond(ErrorResponse(e));
  }
  AppointmentRequest req = std::move(parsed).value();
  std::string base = BaseUrl(request);
  auto respond_with_base = [respond = std::move(respond), base](HttpResponse r) {
    for (auto& [name, value] : r.headers) {
      if (name == "Location") value.insert(0, base);
    }
    respond(std::move(r));
  };
  if (req.action == AppointmentAction::kBook) {
    Book(std::move(req), *service, std::move(executor), std::move(respond_with_base));
  } else {
    Defer(std::move(req), *service, std::move(executor), std::move(respond_with_base));
  }
}

void CabApi::Book(AppointmentRequest req, const ServiceDef& service,
                  boost::asio::any_io_executor executor,
                  std::function<void(HttpResponse)> respond) {
  const std::int64_t now = clock_.NowMs();
  const PublishedView view = published_.View();
  if (!view.publication) {
    return respond(ErrorResponse(ApiError::WithStatus(
        503, "transient", "SERVICE_UNAVAILABLE",
        "slots have not been published yet: the first reconciliation with the booking engine has "
        "not finished")));
  }
  const FreeSlot* slot = view.publication->FindSlot(req.slot_id);
  if (slot == nullptr) {
    return respond(ErrorResponse(SlotGone(req.slot_id, service,
                                          "it is not among the free slots "
                                          "published for the service")));
  }
  if (view.IsTaken(slot->slot_id)) {
    return respond(ErrorResponse(SlotGone(req.slot_id, service, "it has just been booked")));
  }
  const bool inferred = !req.priority.has_value();
  Priority priority = Priority::kRoutine;
  if (!inferred) {
    priority = *req.priority;
    const SlotVerdict v = ClassifySlot(service, priority, *slot, now);
    if (v != SlotVerdict::kOffered) {
      return respond(ErrorResponse(VerdictError(v, service, priority, *slot, now)));
    }
  } else {
    // The A016 body does not say the referral's priority: book under the most urgent priority the
    // slot is offered to; the engine knows the referral's own priority (priority_inferred).
    const std::vector<Priority> offered = PrioritiesOffered(service, *slot, now);
    if (offered.empty()) {
      // Explain with the priority whose slot types include this slot's type, if any.
      Priority explain = service.MostUrgent();
      for (Priority p : service.priorities) {
        const auto& types = service.Window(p)->slot_types;
        if (std::find(types.begin(), types.end(), slot->type) != types.end()) {
          explain = p;
          break;
        }
      }
      return respond(ErrorResponse(
          VerdictError(ClassifySlot(service, explain, *slot, now), service, explain, *slot, now)));
    }
    priority = offered.front();
  }
  if ((req.start_ms && *req.start_ms != slot->start_ms) ||
      (req.end_ms && *req.end_ms != slot->end_ms)) {
    return respond(ErrorResponse(InappropriateSlot(
        fmt::format("the appointment's start/end do not match slot {}, which runs from {} to {}",
                    slot->slot_id, FormatInstant(slot->start_ms), FormatInstant(slot->end_ms)))));
  }

  BookRequest book;
  book.idempotency_key = ids_.Next();
  book.slot_id = slot->slot_id;
  book.ubrn = req.ubrn;
  book.nhs_number = req.nhs_number;
  book.service_id = service.service_id;
  book.priority = priority;
  book.priority_inferred = inferred;
  book.clinician_id = req.clinician_id;
  book.deadline_ms = now + config_.gateway.booking_deadline_ms;

  auto shared_req = std::make_shared<const AppointmentRequest>(std::move(req));
  const std::string key = book.idempotency_key;
  const std::string slot_id = book.slot_id;
  const int deadline_ms = config_.gateway.booking_deadline_ms;
  auto call = [this, book]() -> Result<BookingConfirmation> {
    Result<BookingConfirmation> r = gateway_.Book(book);
    if (!r.ok() && OutcomeUnknown(r.status())) {
      Status undo = gateway_.CancelBooking(
          book.idempotency_key, "the booking engine's answer was lost (" + r.status().ToString() +
                                    "); e-RS is told the booking failed");
      if (!undo.ok()) {
        spdlog::error(
            "cab: booking {} of slot {} (UBRN {}) may be half done and could not be "
            "undone: {}",
            book.idempotency_key, book.slot_id, book.ubrn, undo.ToString());
      }
    }
    return r;
  };
  auto on_done = [this, shared_req, &service, slot_id, respond](Result<BookingConfirmation> r) {
    if (r.ok()) {
      if (!r->slot_still_free) published_.MarkTaken(slot_id, clock_.NowMs());
      HttpResponse resp;
      resp.status = 201;
      resp.body = BuildBookedAppointment(*shared_req, service, *r);
      resp.headers.emplace_back("Location",
                                fmt::format("/STU3/Appointment/{}/_history/1", r->appointment_id));
      resp.headers.emplace_back("ETag", "W/\"1\"");
      return respond(std::move(resp));
    }
    const StatusCode code = r.status().code();
    if (code == StatusCode::kFailedPrecondition || code == StatusCode::kAlreadyExists ||
        code == StatusCode::kNotFound) {
      published_.MarkTaken(slot_id, clock_.NowMs());
      return respond(ErrorResponse(SlotGone(slot_id, service, r.status().message())));
    }
    respond(ErrorResponse(EngineError(r.status(), "booking")));
  };
  auto on_timeout = [respond, deadline_ms]() {
    respond(ErrorResponse(ApiError::WithStatus(
        504, "timeout", "PAS_NOT_RESPONDING",
        fmt::format("the booking engine did not confirm the booking within {} ms (inside the e-RS "
                    "2-minute window); nothing has been booked. Defer to the provider (A016 "
                    "status proposed, reason BOOKING_ATTEMPT_PROBLEM) or try again.",
                    deadline_ms))));
  };
  auto on_late = [this, key, slot_id](Result<BookingConfirmation> r) {
    if (!r.ok() && !OutcomeUnknown(r.status())) return;  // nothing was booked
    Status undo = gateway_.CancelBooking(key,
                                         "confirmed after the e-RS booking deadline; e-RS "
                                         "was told the booking failed");
    if (!undo.ok()) {
      spdlog::error("cab: late booking {} of slot {} could not be undone: {}", key, slot_id,
                    undo.ToString());
    } else {
      spdlog::warn("cab: booking {} of slot {} came after the deadline and was undone", key,
                   slot_id);
    }
  };
  if (!runner_.Run<BookingConfirmation>(std::move(executor), std::chrono::milliseconds(deadline_ms),
                                        call, on_done, on_timeout, on_late)) {
    respond(Busy(runner_));
  }
}

void CabApi::Defer(AppointmentRequest req, const ServiceDef& service,
                   boost::asio::any_io_executor executor,
                   std::function<void(HttpResponse)> respond) {
  const std::int64_t now = clock_.NowMs();
  Priority priority = service.MostUrgent();
  bool known = false;
  if (req.priority) {
    if (!service.Accepts(*req.priority)) {
      ApiError e = ApiError::Unprocessable(
          "INAPPROPRIATE_VALUE",
          fmt::format("service {} ({}) does not accept {} referrals", service.service_id,
                      service.name, PriorityCode(*req.priority)),
          "extension");
      e.issue_type = "value";
      return respond(ErrorResponse(e));
    }
    priority = *req.priority;
    known = true;
  } else if (service.priorities.size() == 1) {
    priority = service.priorities.front();
    known = true;
  }
  // Without the referral's priority the earliest contact-by date is the safe one: contacting a
  // routine patient early is harmless, contacting an urgent one late is not (RULES §1.10).
  if (known && req.reason == "NO_SLOTS_AT_SERVICE") {
    SlotSearchQuery probe;
    probe.service_id = service.service_id;
    probe.priority = priority;
    probe.count = 1;
    auto page = SelectSlots(service, probe, published_.View(), now);
    if (page.ok() && page->total > 0) {
      ApiError e = ApiError::Unprocessable(
          "SLOTS_CURRENTLY_AVAILABLE",
          fmt::format("service {} has {} free {} slot(s) in its booking window: book one instead "
                      "of deferring with reason NO_SLOTS_AT_SERVICE",
                      service.service_id, page->total, PriorityCode(priority)),
          "reason[0]");
      return respond(ErrorResponse(e));
    }
  }
  DeferRequest defer;
  defer.idempotency_key = ids_.Next();
  defer.ubrn = req.ubrn;
  defer.nhs_number = req.nhs_number;
  defer.service_id = service.service_id;
  defer.priority = priority;
  defer.priority_inferred = !known;
  defer.reason = req.reason;
  defer.comment = req.comment;
  defer.slot_id = req.slot_id;
  defer.contact_by =
      booking::AddDays(booking::LondonDateAt(now), config_.contact_days.For(priority));
  defer.deadline_ms = now + config_.gateway.call_deadline_ms;
  const int deadline_ms = config_.gateway.call_deadline_ms;

  auto shared_req = std::make_shared<const AppointmentRequest>(std::move(req));
  auto call = [this, defer]() { return gateway_.DeferToProvider(defer); };
  auto on_done = [shared_req, &service, respond](Result<DeferralConfirmation> r) {
    if (!r.ok()) return respond(ErrorResponse(EngineError(r.status(), "deferral")));
    HttpResponse resp;
    resp.status = 201;
    resp.body = BuildDeferredAppointment(*shared_req, service, *r);
    resp.headers.emplace_back("Location",
                              fmt::format("/STU3/Appointment/{}/_history/1", r->appointment_id));
    resp.headers.emplace_back("ETag", "W/\"1\"");
    respond(std::move(resp));
  };
  auto on_timeout = [respond, deadline_ms]() {
    respond(ErrorResponse(ApiError::WithStatus(
        504, "timeout", "PAS_NOT_RESPONDING",
        fmt::format("the booking engine did not confirm the deferral within {} ms; try again "
                    "(a repeated deferral of the same UBRN is not duplicated)",
                    deadline_ms))));
  };
  auto on_late = [ubrn = defer.ubrn](Result<DeferralConfirmation> r) {
    // A late deferral needs no undo: it only puts the referral on the ASI worklist, and a retry
    // of the same UBRN finds it there.
    spdlog::info("cab: deferral of UBRN {} answered after the deadline: {}", ubrn,
                 r.ok() ? std::string("ok") : r.status().ToString());
  };
  if (!runner_.Run<DeferralConfirmation>(std::move(executor),
                                         std::chrono::milliseconds(deadline_ms), call, on_done,
                                         on_timeout, on_late)) {
    respond(Busy(runner_));
  }
}

}  // namespace hub::cab
