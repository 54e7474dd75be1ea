// The JSON API: routing, sessions, CSRF, roles, audit, and the mapping to booking / admin messages.
#include "hub/web/web_api.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <chrono>
#include <set>

#include "hub/booking/calendar.hpp"
#include "hub/booking/slot.hpp"
#include "hub/common/ulid.hpp"
#include "hub/web/json_views.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/appointment.hpp"
#include "schemas/booking_queries.hpp"
#include "schemas/clinic_template.hpp"

namespace hub::web {

using nlohmann::json;

HttpResponse JsonError(int status, const std::string& code, const std::string& message,
                       const std::string& field) {
  json j{{"error", code}, {"message", message}};
  if (!field.empty()) j["field"] = field;
  HttpResponse r;
  r.status = status;
  r.body = j.dump();
  return r;
}

int HttpStatusFor(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kResourceExhausted:
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kDeadlineExceeded: return 504;
    default: return 500;
  }
}

namespace {

const char* CodeName(StatusCode c) {
  switch (c) {
    case StatusCode::kInvalidArgument: return "invalid_argument";
    case StatusCode::kNotFound: return "not_found";
    case StatusCode::kAlreadyExists: return "already_exists";
    case StatusCode::kFailedPrecondition: return "failed_precondition";
    case StatusCode::kPermissionDenied: return "forbidden";
    case StatusCode::kResourceExhausted: return "busy";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kDeadlineExceeded: return "timeout";
    default: return "internal";
  }
}

// A Status from the booking service or the broker as an HTTP error. The wire names fields
// "body.slot_id"; the API's JSON uses the same names without the prefix.
HttpResponse FromStatus(const Status& s) {
  std::string field = s.field();
  if (field.rfind("body.", 0) == 0) field = field.substr(5);
  if (field == "body") field.clear();
  std::string message = s.message();
  if (s.code() == StatusCode::kDeadlineExceeded) {
    message = "the booking service did not answer in time; nothing was shown or changed by this "
              "request — try again, and tell the integration team if it keeps happening";
  }
  return JsonError(HttpStatusFor(s), CodeName(s.code()), message, field);
}

HttpResponse Json(const json& j, int status = 200) {
  HttpResponse r;
  r.status = status;
  r.body = j.dump();
  return r;
}

// Reads the fields of a JSON request body by name and type; anything not asked for is an error,
// so a misspelt field is reported instead of ignored.
class Body {
 public:
  static Result<Body> Parse(const std::string& text) {
    json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return Status::InvalidArgument("the request body is not valid JSON");
    if (!j.is_object()) return Status::InvalidArgument("the request body must be a JSON object");
    return Body(std::move(j));
  }
  Status Str(const char* key, bool required, std::string* out) {
    used_.insert(key);
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) {
      return required ? Status::InvalidArgument(fmt::format("'{}' is required", key), key) : Status::Ok();
    }
    if (!it->is_string()) return Status::InvalidArgument(fmt::format("'{}' must be a string", key), key);
    *out = it->get<std::string>();
    if (required && out->empty()) return Status::InvalidArgument(fmt::format("'{}' must not be empty", key), key);
    if (out->size() > 4096) return Status::InvalidArgument(fmt::format("'{}' is too long", key), key);
    return Status::Ok();
  }
  Status Bool(const char* key, bool required, bool* out) {
    used_.insert(key);
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) {
      return required ? Status::InvalidArgument(fmt::format("'{}' is required", key), key) : Status::Ok();
    }
    if (!it->is_boolean()) return Status::InvalidArgument(fmt::format("'{}' must be true or false", key), key);
    *out = it->get<bool>();
    return Status::Ok();
  }
  Status Finish() const {
    for (const auto& [k, v] : j_.items()) {
      if (!used_.count(k)) return Status::InvalidArgument(fmt::format("unknown field '{}'", k), k);
    }
    return Status::Ok();
  }

 private:
  explicit Body(json j) : j_(std::move(j)) {}
  json j_;
  std::set<std::string> used_;
};

Result<std::int64_t> QueryInt(const std::map<std::string, std::string>& q, const std::string& key,
                              std::int64_t def, std::int64_t min, std::int64_t max) {
  auto it = q.find(key);
  if (it == q.end() || it->second.empty()) return def;
  std::int64_t v = 0;
  if (it->second.size() > 9) return Status::InvalidArgument(fmt::format("'{}' is out of range {}..{}", key, min, max), key);
  for (char c : it->second) {
    if (c < '0' || c > '9') return Status::InvalidArgument(fmt::format("'{}' must be a whole number", key), key);
    v = v * 10 + (c - '0');
  }
  if (v < min || v > max) return Status::InvalidArgument(fmt::format("'{}' must be {}..{}", key, min, max), key);
  return v;
}

std::string QueryStr(const std::map<std::string, std::string>& q, const std::string& key) {
  auto it = q.find(key);
  return it == q.end() ? "" : it->second;
}

Result<bool> QueryBool(const std::map<std::string, std::string>& q, const std::string& key) {
  std::string v = QueryStr(q, key);
  if (v.empty() || v == "false" || v == "0") return false;
  if (v == "true" || v == "1") return true;
  return Status::InvalidArgument(fmt::format("'{}' must be true or false", key), key);
}

std::string Csv(const std::string& v) {
  if (v.find_first_of(",\"\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

json ClinicJson(const booking::ClinicTemplate& t) {
  json slots = json::array();
  for (const auto& s : t.slots) {
    slots.push_back({{"start", booking::FormatLocalTime(s.start_minutes)}, {"length_minutes", s.length_minutes},
                     {"type", std::string(booking::SlotTypeName(s.type))},
                     {"capacity", s.capacity}});
  }
  json j{{"clinic_code", t.clinic_code}, {"clinic_name", t.clinic_name}, {"consultant", t.consultant},
         {"specialty", t.specialty},     {"clinic_type", t.clinic_type}, {"site", t.site},
         {"room", t.room},               {"weekday", t.weekday},
         {"start", booking::FormatLocalTime(t.start_minutes)}, {"end", booking::FormatLocalTime(t.end_minutes)},
         {"effective_from", booking::FormatIsoDate(t.effective_from)}, {"slots", slots},
         {"booking_horizon_weeks", t.booking_horizon_weeks}};
  if (t.effective_to) j["effective_to"] = booking::FormatIsoDate(*t.effective_to);
  return j;
}

// The signed-in caller of one request.
struct Caller {
  Session session;
};

}  // namespace

WebApi::WebApi(WebApiOptions options, UserStore& users, Backend& backend, const Clock& clock)
    : options_(std::move(options)),
      users_(users),
      backend_(backend),
      clock_(clock),
      limiter_(options_.config.signin_max_failures,
               static_cast<std::int64_t>(options_.config.signin_window_seconds) * 1000) {}

HttpResponse WebApi::Handle(const HttpRequest& request) {
  HttpResponse r;
  if (static_cast<std::int64_t>(request.body.size()) > options_.config.max_body_bytes) {
    r = JsonError(413, "too_large",
                  fmt::format("the request body is larger than {} bytes", options_.config.max_body_bytes));
  } else {
    r = Route(request);
  }
  r.headers.emplace_back("Cache-Control", "no-store");
  metrics_.CountRequest(request.method, r.status);
  return r;
}

HttpResponse WebApi::Metrics() {
  auto t0 = std::chrono::steady_clock::now();
  auto reply = backend_.Call("hub.admin", "admin.status", "");
  metrics_.ObserveBackend("admin.status",
                          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  json admin = nullptr;
  if (reply.ok()) {
    auto j = MsgpackToJson(reply->body);
    if (j.ok()) admin = *j;
  }
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = metrics_.Render(admin);
  return r;
}

HttpResponse WebApi::SignIn(const HttpRequest& request) {
  auto body = Body::Parse(request.body);
  if (!body.ok()) return FromStatus(body.status());
  std::string name, password;
  Status s = body->Str("username", true, &name);
  if (s.ok()) s = body->Str("password", true, &password);
  if (s.ok()) s = body->Finish();
  if (!s.ok()) return FromStatus(s);
  std::int64_t now = clock_.SteadyMs();
  std::string user_key = "user:" + name, peer_key = "peer:" + request.peer;
  std::int64_t wait = std::max(limiter_.RetryAfterMs(user_key, now), limiter_.RetryAfterMs(peer_key, now));
  if (wait > 0) {
    auto r = JsonError(429, "too_many_attempts",
                       fmt::format("too many failed sign-ins; try again in {} seconds", (wait + 999) / 1000));
    r.headers.emplace_back("Retry-After", std::to_string((wait + 999) / 1000));
    return r;
  }
  auto user = users_.Verify(name, password);
  if (!user.ok()) {
    metrics_.CountSignin(false);
    if (user.status().code() != StatusCode::kPermissionDenied) return FromStatus(user.status());
    limiter_.RecordFailure(user_key, now);
    limiter_.RecordFailure(peer_key, now);
    return JsonError(401, "unauthenticated", "wrong user name or password");
  }
  limiter_.Clear(user_key);
  auto session = users_.CreateSession(*user, clock_.NowMs());
  if (!session.ok()) return FromStatus(session.status());
  metrics_.CountSignin(true);
  HttpResponse r = Json({{"user", user->name}, {"role", RoleName(user->role)}, {"csrf", session->session.csrf}});
  r.headers.emplace_back(
      "Set-Cookie", fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}", kSessionCookie,
                                session->token, options_.config.session_max_hours * 3600,
                                options_.config.secure_cookies ? "; Secure" : ""));
  return r;
}

HttpResponse WebApi::Route(const HttpRequest& request) {
  Target target = ParseTarget(request.target);
  const auto& q = target.query;
  auto parts = PathParts(target.path);
  const std::string& m = request.method;
  if (target.path == "/metrics") {
    if (m != "GET") return JsonError(405, "method_not_allowed", "use GET");
    return Metrics();
  }
  if (parts.empty() || parts[0] != "api") return JsonError(404, "not_found", "no such API path");
  auto is = [&](std::initializer_list<const char*> names) {
    if (parts.size() != names.size() + 1) return false;
    std::size_t i = 1;
    for (const char* n : names) {
      if (n[0] != '*' && parts[i] != n) return false;
      ++i;
    }
    return true;
  };
  if (is({"health"})) return Json({{"ok", true}});

  bool changes = m != "GET" && m != "HEAD";
  // Every body is JSON: a cross-site <form> cannot send application/json without a CORS
  // preflight, which this server never grants (login-CSRF defence for the sign-in itself).
  if (changes && !request.body.empty() && request.content_type.rfind("application/json", 0) != 0) {
    return JsonError(415, "unsupported_media_type", "send the request body as application/json");
  }
  if (changes && !request.origin.empty() && request.origin != "http://" + request.host &&
      request.origin != "https://" + request.host) {
    return JsonError(403, "bad_origin", "the request came from another site (Origin does not match Host)");
  }
  if (is({"session"}) && m == "POST") return SignIn(request);

  // ---- everything below needs a session
  std::string token = CookieValue(request.cookie, kSessionCookie);
  if (token.empty()) return JsonError(401, "unauthenticated", "sign in first");
  auto found = users_.FindSession(token, clock_.NowMs(),
                                  static_cast<std::int64_t>(options_.config.session_idle_minutes) * 60'000,
                                  static_cast<std::int64_t>(options_.config.session_max_hours) * 3'600'000);
  if (!found.ok()) {
    if (found.status().code() != StatusCode::kNotFound) return FromStatus(found.status());
    return JsonError(401, "unauthenticated",
                     found.status().message() == "the session has expired"
                         ? "your session has expired; sign in again"
                         : "sign in first");
  }
  const Session& session = *found;
  const std::string& user = session.user.name;
  if (changes) {
    if (request.csrf.size() != session.csrf.size() ||
        sodium_memcmp(request.csrf.data(), session.csrf.data(), session.csrf.size()) != 0) {
      return JsonError(403, "csrf", "missing or wrong X-CSRF-Token header; reload the page and try again");
    }
  }
  auto require = [&](Permission p) -> std::optional<HttpResponse> {
    if (Allowed(session.user.role, p)) return std::nullopt;
    std::string_view role = RoleName(session.user.role);
    bool vowel = role.front() == 'a' || role.front() == 'i';
    return JsonError(403, "forbidden", fmt::format("{} {} may not {}", vowel ? "an" : "a", role, PermissionName(p)));
  };
  auto timed_call = [&](std::string_view service, std::string_view type, std::string body) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = backend_.Call(service, type, std::move(body));
    metrics_.ObserveBackend(std::string(type), std::chrono::duration<double, std::milli>(
                                                   std::chrono::steady_clock::now() - t0).count());
    return r;
  };
  auto audit = [&](const std::vector<std::string>& patients, const std::string& what) -> Status {
    metrics_.CountAuditRows(static_cast<std::int64_t>(std::max<std::size_t>(1, patients.size())));
    return users_.Audit(user, patients, what, clock_.NowMs());
  };
  auto parse_body = [&](auto&& read) -> Status {
    auto body = Body::Parse(request.body.empty() ? "{}" : request.body);
    if (!body.ok()) return body.status();
    HUB_RETURN_IF_ERROR(read(*body));
    return body->Finish();
  };
  // A booking command: send, decode booking.result, audit the action.
  auto command = [&](std::string_view type, std::string body, const std::string& what) -> HttpResponse {
    auto reply = timed_call("booking", type, std::move(body));
    if (!reply.ok()) return FromStatus(reply.status());
    auto result = schemas::DecodeBookingResult(reply->body);
    if (!result.ok()) return FromStatus(Status::Internal("the booking service sent an unreadable reply"));
    if (Status s = audit({}, what); !s.ok()) return FromStatus(s);
    return Json(ToJson(*result));
  };

  if (is({"session"})) {
    if (m == "GET") {
      json perms = json::array();
      for (Permission p : {Permission::kViewPatients, Permission::kBook, Permission::kRequestClinicChange,
                           Permission::kApproveClinicChange, Permission::kViewIntegration, Permission::kReplay}) {
        if (Allowed(session.user.role, p)) perms.push_back(PermissionName(p));
      }
      return Json({{"user", user}, {"role", RoleName(session.user.role)}, {"csrf", session.csrf},
                   {"permissions", perms}});
    }
    if (m == "DELETE") {
      if (Status s = users_.EndSession(token); !s.ok()) return FromStatus(s);
      HttpResponse r = Json({{"signed_out", true}});
      r.headers.emplace_back("Set-Cookie", fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
                                                       kSessionCookie, options_.config.secure_cookies ? "; Secure" : ""));
      return r;
    }
    return JsonError(405, "method_not_allowed", "use GET, POST or DELETE");
  }

  // ---- PTL (RULES §1.9): the booking service's waiting list for one specialty, in booking order.
  if (is({"ptl"}) || is({"ptl.csv"})) {
    if (m != "GET") return JsonError(405, "method_not_allowed", "use GET");
    if (auto no = require(Permission::kViewPatients)) return *no;
    schemas::WaitingListGet get;
    get.specialty = QueryStr(q, "specialty");
    if (get.specialty.empty()) return JsonError(400, "invalid_argument", "choose a specialty", "specialty");
    get.clinic_type = QueryStr(q, "clinic_type");
    get.priority = QueryStr(q, "priority");
    std::string consultant = QueryStr(q, "consultant"), status = QueryStr(q, "status"),
                breach = QueryStr(q, "breach");
    auto include_booked = QueryBool(q, "include_booked");
    auto limit = QueryInt(q, "limit", 100, 1, 1000);
    auto min_weeks = QueryInt(q, "min_weeks", 0, 0, 1000);
    auto max_weeks = QueryInt(q, "max_weeks", 1000, 0, 1000);
    for (const Status* s : {&include_booked.status(), &limit.status(), &min_weeks.status(), &max_weeks.status()}) {
      if (!s->ok()) return FromStatus(*s);
    }
    if (!breach.empty() && breach != "breached" && breach != "potential") {
      return JsonError(400, "invalid_argument", "'breach' must be 'breached' or 'potential'", "breach");
    }
    // A consultant is shown through their clinics: the clinic types they run in this specialty.
    std::set<std::string> consultant_types;
    if (!consultant.empty()) {
      for (const auto& c : options_.clinics) {
        if (c.consultant == consultant && c.specialty == get.specialty) consultant_types.insert(c.clinic_type);
      }
      if (consultant_types.empty()) {
        return JsonError(404, "not_found", fmt::format("no clinic of '{}' in specialty {}", consultant, get.specialty),
                         "consultant");
      }
    }
    bool post_filter = !consultant.empty() || !status.empty() || !breach.empty() || q.count("min_weeks") ||
                       q.count("max_weeks");
    get.include_booked = *include_booked || status == "BOOKED";
    get.limit = post_filter ? 1000 : *limit;
    auto reply = timed_call("booking", "waitinglist.get", schemas::EncodeWaitingListGet(get));
    if (!reply.ok()) return FromStatus(reply.status());
    auto list = schemas::DecodeWaitingListResult(reply->body);
    if (!list.ok()) return FromStatus(Status::Internal("the booking service sent an unreadable reply"));
    booking::Date today = booking::LondonDateAt(clock_.NowMs());
    std::string horizon = booking::FormatIsoDate(booking::AddDays(today, 7 * options_.potential_breach_horizon_weeks));
    json rows = json::array();
    std::vector<std::string> patients;
    std::string csv = "nhs_number,patient_name,priority,specialty,clinic_type,status,clock_start,weeks,band,"
                      "breach_date,appointment_date,breached,potential_breach,entry_id,pathway_id\n";
    for (const auto& row : list->rows) {
      if (static_cast<std::int64_t>(rows.size()) >= *limit) break;
      const auto& e = row.entry;
      if (!consultant_types.empty() && !consultant_types.count(e.clinic_type)) continue;
      if (!status.empty() && e.status != status) continue;
      std::int64_t weeks = row.wait ? row.wait->days / 7 : 0;
      if (weeks < *min_weeks || weeks > *max_weeks) continue;
      // RULES §1.9: breached = past the 18-week breach date; potential breach = the breach date
      // falls within the look-ahead horizon with no appointment booked before it.
      bool breached = row.wait && !row.wait->thresholds_breached.empty();
      bool potential = !breached && !row.breach_date.empty() && row.breach_date <= horizon &&
                       (row.appointment_date.empty() || row.appointment_date >= row.breach_date);
      if (breach == "breached" && !breached) continue;
      if (breach == "potential" && !potential) continue;
      json r{{"entry", ToJson(e)}, {"patient_name", row.patient_name}, {"breached", breached},
             {"potential_breach", potential}};
      if (row.wait) r["wait"] = ToJson(*row.wait);
      if (!row.breach_date.empty()) r["breach_date"] = row.breach_date;
      if (!row.appointment_date.empty()) r["appointment_date"] = row.appointment_date;
      rows.push_back(std::move(r));
      patients.push_back(e.nhs_number);
      csv += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", Csv(e.nhs_number), Csv(row.patient_name),
                         e.priority, Csv(e.specialty), Csv(e.clinic_type), e.status, e.clock_start,
                         row.wait ? std::to_string(weeks) : "", row.wait ? Csv(row.wait->band) : "",
                         row.breach_date, row.appointment_date, breached ? "Y" : "N", potential ? "Y" : "N",
                         e.entry_id, e.pathway_id);
    }
    metrics_.SetPtlRows(get.specialty, static_cast<std::int64_t>(rows.size()));
    if (Status s = audit(patients, fmt::format("{} specialty={}", parts[1], get.specialty)); !s.ok()) {
      return FromStatus(s);
    }
    if (parts[1] == "ptl.csv") {
      HttpResponse r;
      r.content_type = "text/csv; charset=utf-8";
      r.body = std::move(csv);
      r.headers.emplace_back("Content-Disposition", "attachment; filename=\"ptl.csv\"");
      return r;
    }
    return Json({{"census_date", booking::FormatIsoDate(today)}, {"count", rows.size()}, {"rows", rows}});
  }

  if (is({"patients", "*"}) || is({"pathways", "*"})) {
    if (m != "GET") return JsonError(405, "method_not_allowed", "use GET");
    if (auto no = require(Permission::kViewPatients)) return *no;
    bool patient = parts[1] == "patients";
    auto reply = patient ? timed_call("booking", "patient.get", schemas::EncodePatientGet({parts[2]}))
                         : timed_call("booking", "pathway.get", schemas::EncodePathwayGet({parts[2], ""}));
    if (!reply.ok()) return FromStatus(reply.status());
    json out;
    std::string nhs;
    if (patient) {
      auto p = schemas::DecodePatientResult(reply->body);
      if (!p.ok()) return FromStatus(Status::Internal("the booking service sent an unreadable reply"));
      out = ToJson(*p);
      nhs = p->patient.nhs_number;
    } else {
      auto p = schemas::DecodePathwayResult(reply->body);
      if (!p.ok()) return FromStatus(Status::Internal("the booking service sent an unreadable reply"));
      out = ToJson(*p);
      nhs = p->nhs_number;
    }
    if (Status s = audit({nhs}, fmt::format("{} {}", patient ? "patient.get" : "pathway.get", parts[2])); !s.ok()) {
      return FromStatus(s);
    }
    return Json(out);
  }
  if (is({"patients"})) {
    if (auto no = require(Permission::kViewPatients)) return *no;
    // Hook: search by name needs a booking query (patient.search) that does not exist yet.
    return JsonError(501, "not_implemented",
                     "search by name is not available yet; search by NHS number (/api/patients/{nhs_number})");
  }

  if (is({"slots"})) {
    if (m != "GET") return JsonError(405, "method_not_allowed", "use GET");
    if (auto no = require(Permission::kViewPatients)) return *no;
    schemas::SlotsFree f;
    f.specialty = QueryStr(q, "specialty");
    f.clinic_code = QueryStr(q, "clinic_code");
    f.clinic_type = QueryStr(q, "clinic_type");
    f.type = QueryStr(q, "type");
    // With entry_id, only the slots the booking rules let that entry be offered (slots.free).
    f.entry_id = QueryStr(q, "entry_id");
    auto short_notice = QueryBool(q, "short_notice_agreed");
    if (!short_notice.ok()) return FromStatus(short_notice.status());
    f.short_notice_agreed = *short_notice;
    booking::Date today = booking::LondonDateAt(clock_.NowMs());
    f.from_date = QueryStr(q, "from");
    f.to_date = QueryStr(q, "to");
    if (f.from_date.empty()) f.from_date = booking::FormatIsoDate(today);
    if (f.to_date.empty()) f.to_date = booking::FormatIsoDate(booking::AddDays(today, 84));
    auto limit = QueryInt(q, "limit", 100, 1, 1000);
    if (!limit.ok()) return FromStatus(limit.status());
    f.limit = *limit;
    auto reply = timed_call("booking", "slots.free", schemas::EncodeSlotsFree(f));
    if (!reply.ok()) {
      Status s = reply.status();
      if (s.field() == "body.from_date") s = Status(s.code(), s.message(), "from");
      if (s.field() == "body.to_date") s = Status(s.code(), s.message(), "to");
      return FromStatus(s);
    }
    auto slots = schemas::DecodeSlotsResult(reply->body);
    if (!slots.ok()) return FromStatus(Status::Internal("the booking service sent an unreadable reply"));
    json out = json::array();
    for (const auto& s : slots->slots) out.push_back(ToJson(s));
    return Json({{"slots", out}});
  }

  if (is({"appointments"}) || is({"appointments", "*", "cancel"}) || is({"appointments", "*", "reschedule"})) {
    if (m != "POST") return JsonError(405, "method_not_allowed", "use POST");
    if (auto no = require(Permission::kBook)) return *no;
    if (parts.size() == 2) {
      schemas::AppointmentBook b;
      Status s = parse_body([&](Body& body) {
        HUB_RETURN_IF_ERROR(body.Str("entry_id", true, &b.entry_id));
        HUB_RETURN_IF_ERROR(body.Str("slot_id", true, &b.slot_id));
        return body.Bool("short_notice_agreed", false, &b.short_notice_agreed);
      });
      if (!s.ok()) return FromStatus(s);
      b.booked_by = user;
      return command("appointment.book", schemas::EncodeAppointmentBook(b),
                     fmt::format("appointment.book entry={} slot={}", b.entry_id, b.slot_id));
    }
    if (parts[3] == "cancel") {
      schemas::AppointmentCancel c;
      c.appointment_id = parts[2];
      Status s = parse_body([&](Body& body) {
        HUB_RETURN_IF_ERROR(body.Str("by", true, &c.by));
        HUB_RETURN_IF_ERROR(body.Str("reason", false, &c.reason));
        HUB_RETURN_IF_ERROR(body.Str("comment", false, &c.comment));
        return body.Str("available_from", false, &c.available_from);
      });
      if (!s.ok()) return FromStatus(s);
      return command("appointment.cancel", schemas::EncodeAppointmentCancel(c),
                     fmt::format("appointment.cancel {} by={}", c.appointment_id, c.by));
    }
    schemas::AppointmentReschedule r;
    r.appointment_id = parts[2];
    Status s = parse_body([&](Body& body) {
      HUB_RETURN_IF_ERROR(body.Str("new_slot_id", true, &r.new_slot_id));
      HUB_RETURN_IF_ERROR(body.Str("by", true, &r.by));
      HUB_RETURN_IF_ERROR(body.Str("reason", false, &r.reason));
      return body.Bool("short_notice_agreed", false, &r.short_notice_agreed);
    });
    if (!s.ok()) return FromStatus(s);
    return command("appointment.reschedule", schemas::EncodeAppointmentReschedule(r),
                   fmt::format("appointment.reschedule {} to={}", r.appointment_id, r.new_slot_id));
  }

  if (is({"clinics"})) {
    if (m != "GET") return JsonError(405, "method_not_allowed", "use GET");
    json out = json::array();
    for (const auto& c : options_.clinics) out.push_back(ClinicJson(c));
    return Json({{"clinics", out}});
  }
  if (is({"clinics", "*", "utilisation"})) {
    if (m != "GET") return JsonError(405, "method_not_allowed", "use GET");
    const booking::ClinicTemplate* tmpl = nullptr;
    for (const auto& c : options_.clinics) {
      if (c.clinic_code == parts[2]) tmpl = &c;
    }
    if (!tmpl) return JsonError(404, "not_found", fmt::format("no clinic '{}'", parts[2]), "clinic_code");
    auto weeks = QueryInt(q, "weeks", 8, 1, 26);
    if (!weeks.ok()) return FromStatus(weeks.status());
    // Capacity from the template (the same pure generator the booking engine uses); free places
    // from the booking service. Utilisation = (capacity - free) / capacity per ISO week.
    booking::Date today = booking::LondonDateAt(clock_.NowMs());
    booking::Date monday = booking::AddDays(today, -static_cast<std::int64_t>(booking::IsoWeekday(today) - 1));
    booking::Date end = booking::AddDays(monday, 7 * *weeks - 1);
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> by_week;  // monday -> capacity, free
    for (const auto& s : booking::GenerateSlots(*tmpl, monday, end)) {
      auto d = booking::AddDays(s.date, -static_cast<std::int64_t>(booking::IsoWeekday(s.date) - 1));
      by_week[booking::FormatIsoDate(d)].first += s.capacity;
    }
    schemas::SlotsFree f;
    f.clinic_code = tmpl->clinic_code;
    f.from_date = booking::FormatIsoDate(monday);
    f.to_date = booking::FormatIsoDate(end);
    f.limit = 1000;
    auto reply = timed_call("booking", "slots.free", schemas::EncodeSlotsFree(f));
    if (!reply.ok()) return FromStatus(reply.status());
    auto slots = schemas::DecodeSlotsResult(reply->body);
    if (!slots.ok()) return FromStatus(Status::Internal("the booking service sent an unreadable reply"));
    for (const auto& s : slots->slots) {
      auto d = booking::ParseIsoDate(s.date);
      if (!d.ok()) continue;
      auto w = booking::AddDays(*d, -static_cast<std::int64_t>(booking::IsoWeekday(*d) - 1));
      by_week[booking::FormatIsoDate(w)].second += s.capacity - s.booked;
    }
    json out = json::array();
    for (const auto& [week, cf] : by_week) {
      double u = cf.first > 0 ? static_cast<double>(cf.first - cf.second) / static_cast<double>(cf.first) : 0.0;
      out.push_back({{"week", week}, {"capacity", cf.first}, {"free", cf.second}, {"utilisation", u}});
    }
    return Json({{"clinic_code", tmpl->clinic_code}, {"weeks", out}});
  }

  if (is({"clinic-changes"}) || is({"clinic-changes", "*", "decision"})) {
    if (m != "POST") return JsonError(405, "method_not_allowed", "use POST");
    if (parts.size() == 2) {
      if (auto no = require(Permission::kRequestClinicChange)) return *no;
      schemas::TemplateChangeRequest c;
      Status s = parse_body([&](Body& body) {
        HUB_RETURN_IF_ERROR(body.Str("clinic_code", true, &c.clinic_code));
        HUB_RETURN_IF_ERROR(body.Str("kind", true, &c.kind));
        HUB_RETURN_IF_ERROR(body.Str("session_date", false, &c.session_date));
        HUB_RETURN_IF_ERROR(body.Str("effective_to", false, &c.effective_to));
        HUB_RETURN_IF_ERROR(body.Str("reason", false, &c.reason));
        return body.Str("comment", false, &c.comment);
      });
      if (!s.ok()) return FromStatus(s);
      c.change_id = "WEB-" + NewUlid();
      c.requested_by = user;
      return command("template.change.request", schemas::EncodeTemplateChangeRequest(c),
                     fmt::format("template.change.request {} {} {}", c.change_id, c.clinic_code, c.kind));
    }
    if (auto no = require(Permission::kApproveClinicChange)) return *no;
    schemas::TemplateChangeApprove a;
    a.change_id = parts[2];
    Status s = parse_body([&](Body& body) {
      HUB_RETURN_IF_ERROR(body.Bool("approve", true, &a.approve));
      return body.Str("comment", false, &a.comment);
    });
    if (!s.ok()) return FromStatus(s);
    a.approved_by = user;
    return command("template.change.approve", schemas::EncodeTemplateChangeApprove(a),
                   fmt::format("template.change.approve {} approve={}", a.change_id, a.approve));
  }

  if (parts.size() >= 2 && parts[1] == "integration") {
    if (is({"integration", "status"}) || is({"integration", "dead-letters"})) {
      if (m != "GET") return JsonError(405, "method_not_allowed", "use GET");
      if (auto no = require(Permission::kViewIntegration)) return *no;
      bool status = parts[2] == "status";
      std::string body;
      if (!status) {
        auto limit = QueryInt(q, "limit", 100, 1, 10000);
        if (!limit.ok()) return FromStatus(limit.status());
        body = wire::MapWriter().Int("limit", *limit).Finish();
      }
      auto reply = timed_call("hub.admin", status ? "admin.status" : "admin.dead_letters", body);
      if (!reply.ok()) return FromStatus(reply.status());
      auto j = MsgpackToJson(reply->body);
      if (!j.ok()) return FromStatus(Status::Internal("the broker sent an unreadable reply"));
      return Json(*j);
    }
    if (is({"integration", "dead-letters", "*", "replay"})) {
      if (m != "POST") return JsonError(405, "method_not_allowed", "use POST");
      if (auto no = require(Permission::kReplay)) return *no;
      if (Status s = parse_body([](Body&) { return Status::Ok(); }); !s.ok()) return FromStatus(s);
      auto reply = timed_call("hub.admin", "admin.replay", wire::MapWriter().Str("msg_id", parts[3]).Finish());
      if (!reply.ok()) return FromStatus(reply.status());
      if (Status s = audit({}, "admin.replay " + parts[3]); !s.ok()) return FromStatus(s);
      auto j = MsgpackToJson(reply->body);
      return Json(j.ok() ? *j : json::object());
    }
    if (is({"integration", "cab-drift"})) {
      // Hook: CaB drift reports come from the cab adapter (branch cab-adapter).
      return JsonError(501, "not_implemented", "CaB drift is not available yet (needs the cab adapter's drift query)");
    }
  }

  // Hooks for pages whose booking queries are being added on other branches (docs/api.md).
  static const std::map<std::string, std::string> kHooks = {
      {"tasks", "the task list needs a task query in the booking service (branch ptl)"},
      {"letters", "the letters list needs a letter query in the booking service (branch ptl)"},
      {"partial-booking", "the partial booking list needs a query in the booking service (branch ptl)"},
      {"scanning", "scanning exceptions come from the scan adapter (branch scan-adapter)"},
  };
  if (parts.size() == 2 && kHooks.count(parts[1])) {
    if (auto no = require(Permission::kViewPatients)) return *no;
    return JsonError(501, "not_implemented", "not available yet: " + kHooks.at(parts[1]));
  }
  return JsonError(404, "not_found", fmt::format("no API endpoint {} {}", m, target.path));
}

}  // namespace hub::web
