// The broker-backed BookingGateway and its MDP transport.
#include "adapters/cab/broker_gateway.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "hub/booking/calendar.hpp"
#include "hub/common/ulid.hpp"
#include "schemas/booking_queries.hpp"
#include "schemas/error.hpp"
#include "schemas/ers.hpp"

namespace hub::cab {

namespace {

constexpr std::string_view kService = "booking";
constexpr std::string_view kSource = "adapter.cab";
// slots.free answers at most this many slots (hub/booking/queries.hpp kMaxQueryLimit).
constexpr std::int64_t kSlotsPage = 1000;
constexpr std::int64_t kMinuteMs = 60'000;

using Ms = std::chrono::milliseconds;

bool IsEngineField(const Status& s, std::string_view field) {
  return s.field() == "body." + std::string(field) ||
         s.field().rfind("body." + std::string(field) + ".", 0) == 0;
}
bool FromEngine(const Status& s) { return s.field() == "body" || s.field().rfind("body.", 0) == 0; }

// Book's errors, per the BookingGateway contract (see broker_gateway.hpp).
Status BookError(const Status& s) {
  const StatusCode code = s.code();
  if (!FromEngine(s)) {
    // The broker's own answers, or the transport: nothing queued, or the outcome is unknown.
    if (code == StatusCode::kResourceExhausted) return s;
    return Status::Unavailable(fmt::format("booking service: {}", s.ToString()));
  }
  if (IsEngineField(s, "slot_id") &&
      (code == StatusCode::kNotFound || code == StatusCode::kFailedPrecondition)) {
    return Status(code, s.message(), "slot_id");
  }
  if (IsEngineField(s, "deadline_ms") && code == StatusCode::kDeadlineExceeded) {
    return Status(code, s.message(), "deadline_ms");
  }
  if (IsEngineField(s, "idempotency_key") && code == StatusCode::kFailedPrecondition) {
    return Status(code, s.message(), "idempotency_key");
  }
  switch (code) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kAlreadyExists:
      // A refusal about the request itself (unknown patient, UBRN already booked, slot type):
      // nothing changed, and it is not "the slot is taken".
      return Status::InvalidArgument(s.message(), s.field());
    default:
      return Status::Unavailable(fmt::format("booking service failed: {}", s.ToString()));
  }
}

// Deferral and listing errors: the engine's refusals as they are (a refusal about the request is
// InvalidArgument, as for Book), the rest Unavailable.
Status CallError(const Status& s) {
  if (!FromEngine(s)) {
    if (s.code() == StatusCode::kResourceExhausted) return s;
    return Status::Unavailable(fmt::format("booking service: {}", s.ToString()));
  }
  switch (s.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kAlreadyExists:
      return Status::InvalidArgument(s.message(), s.field());
    default:
      return Status::Unavailable(fmt::format("booking service failed: {}", s.ToString()));
  }
}

std::optional<SlotType> SlotTypeOf(std::string_view name) { return SlotTypeFromName(name); }

Ms Remaining(std::int64_t deadline_ms, std::int64_t now_ms) {
  return Ms(std::max<std::int64_t>(0, deadline_ms - now_ms));
}

}  // namespace

std::string FhirId(std::string_view engine_id) {
  std::string out(engine_id);
  std::replace(out.begin(), out.end(), '_', '.');
  return out;
}

std::string EngineId(std::string_view fhir_id) {
  std::string out(fhir_id);
  std::replace(out.begin(), out.end(), '.', '_');
  return out;
}

// ------------------------------------------------------------------ transport

MdpBookingTransport::MdpBookingTransport(wire::BrokerConnection broker, std::size_t max_clients,
                                         int attempt_ms)
    : broker_(std::move(broker)),
      max_clients_(std::max<std::size_t>(1, max_clients)),
      attempt_ms_(std::max(100, attempt_ms)) {}

MdpBookingTransport::~MdpBookingTransport() {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.clear();  // sockets close before the context
}

Result<wire::Envelope> MdpBookingTransport::Call(const wire::Envelope& request, Ms timeout) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout;
  std::unique_ptr<adapters::MdpClient> client;
  {
    std::unique_lock<std::mutex> lock(mu_);
    // Bounded: at most max_clients_ connections; a caller waits for one until its deadline.
    const bool got = cv_.wait_until(lock, deadline, [&] {
      return !idle_.empty() || created_ < max_clients_;
    });
    if (!got) {
      return Status::ResourceExhausted(fmt::format(
          "all {} connections to the booking service are busy; nothing was sent", max_clients_));
    }
    if (!idle_.empty()) {
      client = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++created_;
      client = std::make_unique<adapters::MdpClient>(ctx_, broker_, std::string(kSource));
    }
  }
  const std::string bytes = wire::EncodeEnvelope(request);
  Result<wire::Envelope> result = Status::Unavailable(
      fmt::format("no reply from the booking service at {} within {} ms; the request may still "
                  "be applied",
                  broker_.endpoint, timeout.count()));
  bool done = false;
  for (int attempt = 0; !done && Clock::now() < deadline; ++attempt) {
    if (attempt > 0) client->Reconnect();  // Lazy Pirate: same bytes, same id
    if (!client->Send(kService, bytes)) continue;
    const auto attempt_end = std::min(deadline, Clock::now() + Ms(attempt_ms_));
    while (!done && Clock::now() < attempt_end) {
      const auto left = std::chrono::duration_cast<Ms>(attempt_end - Clock::now()).count();
      for (auto& r : client->Poll(static_cast<int>(std::max<long>(1, left)))) {
        auto env = wire::DecodeEnvelope(r.body, wire::kMaxDocumentBytes);
        if (!env.ok() || env->corr != request.id) continue;  // stale or foreign: not ours
        if (env->type == schemas::kErrorType) {
          auto err = schemas::DecodeErrorBody(env->body);
          result = err.ok() ? schemas::StatusFromErrorBody(*err) : err.status();
        } else {
          result = std::move(env).value();
        }
        done = true;
        break;
      }
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(std::move(client));
  }
  cv_.notify_one();
  return result;
}

// ------------------------------------------------------------------ gateway

BrokerGateway::BrokerGateway(BookingTransport& transport, const CabConfig& config,
                             const Clock& clock)
    : transport_(transport), config_(config), clock_(clock) {}

Result<wire::Envelope> BrokerGateway::Request(const std::string& id, std::string_view type,
                                              std::string body, std::string_view reply_type,
                                              Ms timeout) {
  wire::Envelope request = wire::MakeEnvelope(std::string(type), std::string(kSource),
                                              clock_.NowMs(), std::move(body));
  request.id = id;
  HUB_ASSIGN_OR_RETURN(wire::Envelope reply, transport_.Call(request, timeout));
  if (reply.type != reply_type) {
    return Status::Internal(fmt::format("the booking service answered {} with {}, not {}", type,
                                        reply.type, reply_type));
  }
  return reply;
}

Result<std::vector<ClinicInfo>> BrokerGateway::ListClinics() {
  auto reply = Request(NewUlid(), schemas::kClinicsListType,
                       schemas::EncodeClinicsList(schemas::ClinicsList{}),
                       schemas::kClinicsResultType, Ms(config_.gateway.call_deadline_ms));
  if (!reply.ok()) return CallError(reply.status());
  HUB_ASSIGN_OR_RETURN(auto result, schemas::DecodeClinicsResult(reply->body));
  std::vector<ClinicInfo> out;
  out.reserve(result.clinics.size());
  for (const auto& c : result.clinics) {
    ClinicInfo info;
    info.clinic_code = c.clinic_code;
    info.name = c.clinic_name.empty() ? c.clinic_code : c.clinic_name;
    info.consultant_name = c.consultant;
    info.specialty = c.specialty;
    info.clinic_type = c.clinic_type;
    for (const auto& t : c.slot_types) {
      if (auto type = SlotTypeOf(t)) info.template_slot_types.push_back(*type);
    }
    info.active = c.active;
    out.push_back(std::move(info));
  }
  return out;
}

Result<std::vector<FreeSlot>> BrokerGateway::ListFreeSlots(const SlotQuery& query) {
  std::vector<FreeSlot> out;
  if (query.to_ms <= query.from_ms) return out;
  const booking::Date last = booking::LondonDateAt(query.to_ms - 1);
  for (const std::string& clinic : query.clinic_codes) {
    booking::Date from = booking::LondonDateAt(query.from_ms);
    std::set<std::string> seen;
    for (;;) {
      schemas::SlotsFree req;
      req.clinic_code = clinic;
      req.from_date = booking::FormatIsoDate(from);
      req.to_date = booking::FormatIsoDate(last);
      req.limit = kSlotsPage;
      auto reply = Request(NewUlid(), schemas::kSlotsFreeType, schemas::EncodeSlotsFree(req),
                           schemas::kSlotsResultType, Ms(config_.gateway.call_deadline_ms));
      if (!reply.ok()) {
        // A clinic the hub no longer has has no free slots.
        if (reply.status().code() == StatusCode::kNotFound) break;
        return CallError(reply.status());
      }
      HUB_ASSIGN_OR_RETURN(auto page, schemas::DecodeSlotsResult(reply->body));
      std::size_t added = 0;
      for (const auto& s : page.slots) {
        if (!seen.insert(s.slot_id).second) continue;
        ++added;
        if (s.start_ms < query.from_ms || s.start_ms >= query.to_ms || s.cancelled) continue;
        auto type = SlotTypeOf(s.type);
        if (!type) continue;
        FreeSlot f;
        f.slot_id = FhirId(s.slot_id);
        f.clinic_code = s.clinic_code;
        f.start_ms = s.start_ms;
        f.end_ms = s.start_ms + s.length_minutes * kMinuteMs;
        f.type = *type;
        f.capacity = static_cast<int>(s.capacity);
        f.booked = static_cast<int>(s.booked);
        if (!s.released_date.empty()) {
          auto released = booking::ParseIsoDate(s.released_date, "released_date");
          if (released.ok()) f.released_ms = booking::LondonLocalToUtcMs(*released, 0);
        }
        out.push_back(std::move(f));
        if (out.size() > query.limit) {
          return Status::ResourceExhausted(fmt::format(
              "more than {} free slots in the clinics asked for; raise reconcile.max_slots",
              query.limit));
        }
      }
      if (static_cast<std::int64_t>(page.slots.size()) < kSlotsPage) break;
      // A full page: carry on from the date of its last slot (slots are in start order).
      auto next = booking::ParseIsoDate(page.slots.back().date, "date");
      if (!next.ok()) return next.status();
      if (added == 0) {
        return Status::Internal(fmt::format(
            "slots.free for clinic {} returned the same {} slots again", clinic, kSlotsPage));
      }
      from = *next;
    }
  }
  return out;
}

Result<BookingConfirmation> BrokerGateway::Book(const BookRequest& request) {
  const ServiceDef* service = config_.FindService(request.service_id);
  if (service == nullptr) {
    return Status::InvalidArgument(
        fmt::format("e-RS service {} is not in the service map", request.service_id),
        "service_id");
  }
  const std::int64_t now = clock_.NowMs();
  if (now >= request.deadline_ms) {
    return Status::DeadlineExceeded("the booking deadline passed before the booking was sent");
  }
  schemas::ErsBookBody body;
  body.idempotency_key = request.idempotency_key;
  body.ubrn = request.ubrn;
  body.nhs_number = request.nhs_number;
  body.service_id = request.service_id;
  body.specialty = service->specialty;
  body.clinic_type = service->clinic_type;
  body.priority = std::string(PriorityCode(request.priority));
  body.priority_inferred = request.priority_inferred;
  body.slot_id = EngineId(request.slot_id);
  body.deadline_ms = request.deadline_ms;
  body.clinician_id = request.clinician_id;
  // One envelope id per attempt: a repeated Book of the key is deduplicated by the broker and the
  // booking worker before the engine's own per-key check.
  auto reply = Request("cab-book-" + request.idempotency_key, schemas::kErsBookType,
                       schemas::EncodeErsBook(body), schemas::kErsResultType,
                       Remaining(request.deadline_ms, now));
  if (!reply.ok()) return BookError(reply.status());
  auto result = schemas::DecodeErsResult(reply->body);
  if (!result.ok() || result->appointment_id.empty() || !result->start_ms) {
    return Status::Unavailable("the booking service's ers.result has no appointment");
  }
  BookingConfirmation c;
  c.appointment_id = FhirId(result->appointment_id);
  c.slot_id = FhirId(result->slot_id);
  c.clinic_code = result->clinic_code;
  c.start_ms = *result->start_ms;
  c.end_ms = c.start_ms + result->length_minutes.value_or(0) * kMinuteMs;
  c.created_ms = reply->ts;
  c.slot_still_free = result->slot_free > 0;
  return c;
}

Status BrokerGateway::CancelBooking(const std::string& idempotency_key,
                                    const std::string& reason) {
  schemas::ErsCancelBody body{idempotency_key, reason};
  auto reply = Request("cab-cancel-" + idempotency_key, schemas::kErsCancelType,
                       schemas::EncodeErsCancel(body), schemas::kErsResultType,
                       Ms(config_.gateway.call_deadline_ms));
  if (!reply.ok()) return CallError(reply.status());
  return Status::Ok();
}

Result<DeferralConfirmation> BrokerGateway::DeferToProvider(const DeferRequest& request) {
  const ServiceDef* service = config_.FindService(request.service_id);
  if (service == nullptr) {
    return Status::InvalidArgument(
        fmt::format("e-RS service {} is not in the service map", request.service_id),
        "service_id");
  }
  const std::int64_t now = clock_.NowMs();
  schemas::ErsDeferBody body;
  body.idempotency_key = request.idempotency_key;
  body.ubrn = request.ubrn;
  body.nhs_number = request.nhs_number;
  body.service_id = request.service_id;
  body.specialty = service->specialty;
  body.clinic_type = service->clinic_type;
  body.priority = std::string(PriorityCode(request.priority));
  body.priority_inferred = request.priority_inferred;
  body.reason = request.reason;
  body.comment = request.comment;
  body.slot_id = EngineId(request.slot_id);
  body.contact_by = booking::FormatIsoDate(request.contact_by);
  const Ms timeout = request.deadline_ms > now ? Remaining(request.deadline_ms, now)
                                               : Ms(config_.gateway.call_deadline_ms);
  auto reply = Request("cab-defer-" + request.idempotency_key, schemas::kErsDeferType,
                       schemas::EncodeErsDefer(body), schemas::kErsResultType, timeout);
  if (!reply.ok()) return CallError(reply.status());
  HUB_ASSIGN_OR_RETURN(auto result, schemas::DecodeErsResult(reply->body));
  DeferralConfirmation c;
  c.appointment_id = FhirId(result.entry_id.empty() ? request.ubrn : result.entry_id);
  c.created_ms = reply->ts;
  return c;
}

}  // namespace hub::cab
