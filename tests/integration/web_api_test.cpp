// The web API (issue 9 acceptance): every endpoint against a real broker and booking worker
// (processes), with the API in-process on an injected clock; every role refused what it may not
// do; bad input of each kind answered with the right status and a clear JSON error and nothing
// changed; the HTTP server itself for oversized bodies, malformed requests and static files.
#include <signal.h>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <utility>  // before Boost 1.74 Asio, whose awaitable.hpp uses std::exchange
#include <boost/asio.hpp>
#include <nlohmann/json.hpp>
#include <thread>

#include "adapters/common/mdp_client.hpp"
#include "hub/booking/calendar.hpp"
#include "hub/booking/clinic_config.hpp"
#include "hub/booking/demo_referrals.hpp"
#include "hub/common/clock.hpp"
#include "hub/web/backend.hpp"
#include "hub/web/http_server.hpp"
#include "hub/web/user_store.hpp"
#include "hub/web/web_api.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/referral.hpp"
#include "tests/support/hub_processes.hpp"

namespace hub::testing {
namespace {

using adapters::MdpClient;
using nlohmann::json;
using web::HttpRequest;
using web::HttpResponse;
using web::Role;
using namespace std::chrono_literals;

constexpr const char* kPassword = "correct horse battery";

std::vector<booking::ClinicTemplate> ExampleClinics() {
  auto clinics = booking::LoadClinicDir(std::string(HUB_SOURCE_DIR) + "/config/clinics");
  REQUIRE_MESSAGE(clinics.ok(), clinics.status().ToString());
  return *clinics;
}

wire::BrokerConnection Plain(const std::string& endpoint) {
  wire::BrokerConnection c;
  c.endpoint = endpoint;
  return c;
}

// A signed-in browser: the session cookie and CSRF token.
struct Browser {
  std::string cookie;
  std::string csrf;
};

// The API in-process on a clock the test moves, with one user of each role.
struct Web {
  Web(const TempDir& dir, const std::string& endpoint)
      : clock(SystemClock::Instance().NowMs()),
        users(Open(dir)),
        backend(Plain(endpoint), 10'000, clock),
        api(Options(), *users, backend, clock) {}

  static std::unique_ptr<web::UserStore> Open(const TempDir& dir) {
    auto store = web::UserStore::Open(dir.File("users.db"));
    REQUIRE_MESSAGE(store.ok(), store.status().ToString());
    for (auto [name, role] : std::vector<std::pair<const char*, Role>>{{"clerk", Role::kClerk},
                                                                       {"leader", Role::kTeamLeader},
                                                                       {"clinician", Role::kClinician},
                                                                       {"integ", Role::kIntegrationAdmin},
                                                                       {"reader", Role::kReadOnly}}) {
      REQUIRE((*store)->AddUser(name, role, kPassword, 0).ok());
    }
    return std::move(*store);
  }
  static web::WebApiOptions Options() {
    web::WebApiOptions o;
    o.clinics = ExampleClinics();
    return o;
  }

  HttpResponse Call(const std::string& method, const std::string& target, const std::string& body = "",
                    const Browser* b = nullptr, bool with_csrf = true) {
    HttpRequest r;
    r.method = method;
    r.target = target;
    r.body = body;
    r.peer = "127.0.0.1";
    r.host = "127.0.0.1:8080";
    if (!body.empty()) r.content_type = "application/json";
    if (b) {
      r.cookie = "theme=dark; hub_session=" + b->cookie;
      if (with_csrf) r.csrf = b->csrf;
    }
    return api.Handle(r);
  }
  HttpResponse Get(const std::string& target, const Browser& b) { return Call("GET", target, "", &b); }
  HttpResponse Post(const std::string& target, const json& body, const Browser& b) {
    return Call("POST", target, body.dump(), &b);
  }

  Browser SignIn(const std::string& name) {
    auto r = Call("POST", "/api/session", json{{"username", name}, {"password", kPassword}}.dump());
    REQUIRE_MESSAGE(r.status == 200, r.body);
    Browser b;
    for (const auto& [k, v] : r.headers) {
      if (k != "Set-Cookie") continue;
      auto start = v.find('=') + 1;
      b.cookie = v.substr(start, v.find(';') - start);
    }
    b.csrf = json::parse(r.body).at("csrf").get<std::string>();
    REQUIRE(!b.cookie.empty());
    return b;
  }

  ManualClock clock;
  std::unique_ptr<web::UserStore> users;
  web::MdpBackend backend;
  web::WebApi api;
};

json Body(const HttpResponse& r) {
  auto j = json::parse(r.body, nullptr, false);
  REQUIRE_MESSAGE(!j.is_discarded(), r.body);
  return j;
}

// A JSON error with the given status, error code and (when given) field.
void CheckError(const HttpResponse& r, int status, const std::string& error, const std::string& field = "") {
  CAPTURE(r.body);
  CHECK(r.status == status);
  auto j = Body(r);
  CHECK(j.value("error", "") == error);
  CHECK_FALSE(j.value("message", "").empty());
  if (!field.empty()) CHECK(j.value("field", "") == field);
}

// The broker, the booking worker and sinks for its outbound services, with demo referrals fed in.
struct BookingHub {
  explicit BookingHub(const TempDir& dir, int referrals) {
    BrokerSettings s;
    s.services = {"booking", "print", "scan", "cab"};
    s.extra_toml = TestBookingToml();
    broker = std::make_unique<BrokerProcess>(dir, s);
    for (const char* svc : {"print", "cab", "scan"}) {
      sinks.push_back(StartTestWorker(dir, broker->endpoint(), dir.File(std::string(svc) + ".db"),
                                      std::string(svc) + ".log", {"--service", svc, "--sink", "--credit", "32"}));
    }
    worker = StartBookingWorker(dir, broker->config(), broker->endpoint(), "booking.log");
    zmq::context_t ctx;
    MdpClient client(ctx, Plain(broker->endpoint()), "it");
    auto list = booking::GenerateDemoReferrals(referrals, 5, booking::LondonDateAt(SystemClock::Instance().NowMs()),
                                               ExampleClinics());
    for (const auto& r : list) {
      auto reply = client.Call("booking", wire::MakeEnvelope("referral.received", "it", SystemClock::Instance().NowMs(),
                                                             schemas::EncodeReferralReceived(r)), 10'000, 2);
      REQUIRE_MESSAGE(reply.ok(), reply.status().ToString());
      specialties.insert(r.specialty);
    }
  }
  std::unique_ptr<BrokerProcess> broker;
  std::vector<std::unique_ptr<ChildProcess>> sinks;
  std::unique_ptr<ChildProcess> worker;
  std::set<std::string> specialties;
};

// The PTL rows of every specialty, including booked entries.
std::vector<json> AllRows(Web& web, const Browser& b, const std::set<std::string>& specialties,
                          const std::string& extra = "&include_booked=true") {
  std::vector<json> rows;
  for (const auto& s : specialties) {
    auto r = web.Get("/api/ptl?limit=1000&specialty=" + s + extra, b);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    json page = Body(r);
    for (auto& row : page["rows"]) rows.push_back(row);
  }
  return rows;
}

std::string ReplaceSpaces(std::string s) {
  std::string out;
  for (char c : s) out += c == ' ' ? std::string("%20") : std::string(1, c);
  return out;
}

long long AuditCount(Web& web) {
  auto rows = web.users->RecentAudit(1'000'000);
  REQUIRE(rows.ok());
  return static_cast<long long>(rows->size());
}

TEST_CASE("sign-in, sessions, CSRF, rate limit and expiry") {
  TempDir dir;
  BrokerProcess broker(dir);
  Web web(dir, broker.endpoint());

  CheckError(web.Call("POST", "/api/session", R"({"username":"clerk","password":"wrong password"})"), 401,
             "unauthenticated");
  CheckError(web.Call("POST", "/api/session", R"({"username":"clerk"})"), 400, "invalid_argument", "password");
  CheckError(web.Call("POST", "/api/session", R"({"username":"clerk","password":7})"), 400, "invalid_argument",
             "password");
  CheckError(web.Call("POST", "/api/session", "{nope"), 400, "invalid_argument");

  auto r = web.Call("POST", "/api/session", json{{"username", "clerk"}, {"password", kPassword}}.dump());
  REQUIRE(r.status == 200);
  std::string cookie;
  for (const auto& [k, v] : r.headers) {
    if (k == "Set-Cookie") cookie = v;
  }
  CHECK(cookie.find("HttpOnly") != std::string::npos);
  CHECK(cookie.find("SameSite=Strict") != std::string::npos);
  CHECK(cookie.find("Secure") == std::string::npos);  // not behind TLS in this test
  Browser clerk = web.SignIn("clerk");
  auto me = web.Get("/api/session", clerk);
  REQUIRE(me.status == 200);
  CHECK(Body(me)["role"] == "clerk");
  CHECK(Body(me)["csrf"] == clerk.csrf);

  // Sign-out is a change: it needs the CSRF token.
  CheckError(web.Call("DELETE", "/api/session", "", &clerk, /*with_csrf=*/false), 403, "csrf");
  Browser wrong = clerk;
  wrong.csrf = std::string(64, 'a');
  CheckError(web.Call("DELETE", "/api/session", "", &wrong), 403, "csrf");
  CHECK(web.Get("/api/session", clerk).status == 200);
  CHECK(web.Call("DELETE", "/api/session", "", &clerk).status == 200);
  CheckError(web.Get("/api/session", clerk), 401, "unauthenticated");

  // Idle expiry: 30 minutes without a request.
  Browser reader = web.SignIn("reader");
  web.clock.Advance(29 * 60'000);
  CHECK(web.Get("/api/session", reader).status == 200);
  web.clock.Advance(31 * 60'000);
  auto expired = web.Get("/api/session", reader);
  CheckError(expired, 401, "unauthenticated");
  CHECK(Body(expired)["message"].get<std::string>().find("expired") != std::string::npos);

  // Rate limit: 5 failures lock the name for the window, even with the right password.
  for (int i = 0; i < 5; ++i) {
    CHECK(web.Call("POST", "/api/session", R"({"username":"leader","password":"not it at all"})").status == 401);
  }
  auto locked = web.Call("POST", "/api/session", json{{"username", "leader"}, {"password", kPassword}}.dump());
  CheckError(locked, 429, "too_many_attempts");
  bool retry_after = false;
  for (const auto& [k, v] : locked.headers) retry_after |= k == "Retry-After" && std::stoi(v) > 0;
  CHECK(retry_after);
  web.clock.Advance(301'000);
  CHECK(web.Call("POST", "/api/session", json{{"username", "leader"}, {"password", kPassword}}.dump()).status == 200);
}

TEST_CASE("every endpoint needs a session") {
  TempDir dir;
  BrokerProcess broker(dir);
  Web web(dir, broker.endpoint());
  const std::vector<std::pair<std::string, std::string>> endpoints = {
      {"GET", "/api/session"},
      {"DELETE", "/api/session"},
      {"GET", "/api/ptl?specialty=CARDIO"},
      {"GET", "/api/ptl.csv?specialty=CARDIO"},
      {"GET", "/api/patients/9434765919"},
      {"GET", "/api/patients?name=SMITH"},
      {"GET", "/api/pathways/X"},
      {"GET", "/api/slots?specialty=CARDIO"},
      {"POST", "/api/appointments"},
      {"POST", "/api/appointments/A/cancel"},
      {"POST", "/api/appointments/A/reschedule"},
      {"GET", "/api/clinics"},
      {"GET", "/api/clinics/X/utilisation"},
      {"POST", "/api/clinic-changes"},
      {"POST", "/api/clinic-changes/X/decision"},
      {"GET", "/api/integration/status"},
      {"GET", "/api/integration/dead-letters"},
      {"POST", "/api/integration/dead-letters/X/replay"},
      {"GET", "/api/integration/cab-drift"},
      {"GET", "/api/tasks"},
      {"GET", "/api/letters"},
      {"GET", "/api/partial-booking"},
      {"GET", "/api/scanning"},
  };
  for (const auto& [method, path] : endpoints) {
    CAPTURE(path);
    CheckError(web.Call(method, path), 401, "unauthenticated");
  }
  CHECK(AuditCount(web) == 0);
  CHECK(web.Call("GET", "/api/health").status == 200);
  CheckError(web.Call("GET", "/api/nothing-here"), 401, "unauthenticated");
  Browser b = web.SignIn("reader");
  CheckError(web.Get("/api/nothing-here", b), 404, "not_found");
  CheckError(web.Get("/api/appointments", b), 405, "method_not_allowed");
}

TEST_CASE("PTL, patient, pathway, slots, booking and clinic changes against the booking worker") {
  TempDir dir;
  BookingHub hub(dir, 60);
  Web web(dir, hub.broker->endpoint());
  Browser clerk = web.SignIn("clerk"), leader = web.SignIn("leader"), clinician = web.SignIn("clinician"),
          integ = web.SignIn("integ"), reader = web.SignIn("reader");
  const std::string specialty = *hub.specialties.begin();

  {  // PTL: filters, flags, CSV, audit, refusals
    auto before = AuditCount(web);
    auto r = web.Get("/api/ptl?specialty=" + specialty + "&include_booked=true", clerk);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    auto rows = Body(r)["rows"];
    REQUIRE(rows.size() > 0);
    CHECK(AuditCount(web) == before + static_cast<long long>(rows.size()));  // one row per patient
    auto audit = web.users->RecentAudit(1);
    REQUIRE(audit.ok());
    CHECK((*audit)[0].user == "clerk");
    CHECK((*audit)[0].what == "ptl specialty=" + specialty);
    for (const auto& row : rows) {
      CHECK(row["entry"]["specialty"] == specialty);
      CHECK(row.contains("breached"));
      CHECK(row.contains("potential_breach"));
    }
    std::string priority = rows[0]["entry"]["priority"];
    auto filtered = Body(web.Get("/api/ptl?specialty=" + specialty + "&include_booked=true&priority=" + priority, clerk));
    CHECK(filtered["rows"].size() > 0);
    for (const auto& row : filtered["rows"]) CHECK(row["entry"]["priority"] == priority);
    auto booked = Body(web.Get("/api/ptl?specialty=" + specialty + "&status=BOOKED", reader));
    for (const auto& row : booked["rows"]) CHECK(row["entry"]["status"] == "BOOKED");
    auto weeks = Body(web.Get("/api/ptl?specialty=" + specialty + "&include_booked=true&min_weeks=200", reader));
    CHECK(weeks["rows"].empty());
    auto limited = Body(web.Get("/api/ptl?specialty=" + specialty + "&include_booked=true&limit=1", clinician));
    CHECK(limited["rows"].size() == 1);
    // A consultant's PTL: only the clinic types they run.
    std::string consultant;
    for (const auto& t : ExampleClinics()) {
      if (t.specialty == specialty && consultant.empty()) consultant = t.consultant;
    }
    REQUIRE(!consultant.empty());
    auto by_consultant = web.Get("/api/ptl?include_booked=true&specialty=" + specialty + "&consultant=" +
                                 ReplaceSpaces(consultant), clerk);
    CHECK_MESSAGE(by_consultant.status == 200, by_consultant.body);
    CheckError(web.Get("/api/ptl?specialty=" + specialty + "&consultant=Dr%20Nobody", clerk), 404, "not_found", "consultant");

    auto csv = web.Get("/api/ptl.csv?specialty=" + specialty + "&include_booked=true", clerk);
    REQUIRE(csv.status == 200);
    CHECK(csv.content_type.rfind("text/csv", 0) == 0);
    CHECK(csv.body.rfind("nhs_number,patient_name,", 0) == 0);
    CHECK(std::count(csv.body.begin(), csv.body.end(), '\n') == static_cast<long>(rows.size()) + 1);

    before = AuditCount(web);
    CheckError(web.Get("/api/ptl", clerk), 400, "invalid_argument", "specialty");
    CheckError(web.Get("/api/ptl?specialty=X&limit=abc", clerk), 400, "invalid_argument", "limit");
    CheckError(web.Get("/api/ptl?specialty=X&limit=5000", clerk), 400, "invalid_argument", "limit");
    CheckError(web.Get("/api/ptl?specialty=X&include_booked=maybe", clerk), 400, "invalid_argument", "include_booked");
    CheckError(web.Get("/api/ptl?specialty=X&breach=soon", clerk), 400, "invalid_argument", "breach");
    CheckError(web.Get("/api/ptl?specialty=" + specialty, integ), 403, "forbidden");
    CheckError(web.Get("/api/ptl.csv?specialty=" + specialty, integ), 403, "forbidden");
    CHECK(AuditCount(web) == before);  // refused calls show nothing and record nothing
  }

  {  // patient and pathway: audited; unknown and invalid ids
    auto rows = AllRows(web, clerk, hub.specialties);
    REQUIRE(!rows.empty());
    std::string nhs = rows[0]["entry"]["nhs_number"], pathway = rows[0]["entry"]["pathway_id"];
    auto p = web.Get("/api/patients/" + nhs, reader);
    REQUIRE_MESSAGE(p.status == 200, p.body);
    CHECK(Body(p)["patient"]["nhs_number"] == nhs);
    CHECK(Body(p)["pathway_ids"].size() >= 1);
    auto audit = web.users->RecentAudit(1);
    REQUIRE(audit.ok());
    CHECK((*audit)[0].patient == nhs);
    CHECK((*audit)[0].user == "reader");
    CHECK((*audit)[0].what == "patient.get " + nhs);
    auto pw = web.Get("/api/pathways/" + pathway, clinician);
    REQUIRE_MESSAGE(pw.status == 200, pw.body);
    CHECK(Body(pw)["events"].size() >= 1);
    CHECK(Body(pw)["nhs_number"] == nhs);
    audit = web.users->RecentAudit(1);
    CHECK((*audit)[0].what == "pathway.get " + pathway);

    auto before = AuditCount(web);
    CheckError(web.Get("/api/patients/9434765870", clerk), 404, "not_found");  // valid, not known
    CheckError(web.Get("/api/patients/1234567890", clerk), 400, "invalid_argument", "nhs_number");
    CheckError(web.Get("/api/pathways/NO-SUCH-PATHWAY", clerk), 404, "not_found");
    CheckError(web.Get("/api/patients/" + nhs, integ), 403, "forbidden");
    CheckError(web.Get("/api/pathways/" + pathway, integ), 403, "forbidden");
    CheckError(web.Get("/api/patients?name=SMITH", clerk), 501, "not_implemented");
    CHECK(AuditCount(web) == before);
  }

  {  // slots, book, reschedule, cancel; refused roles change nothing
    auto waiting = AllRows(web, clerk, hub.specialties, "&status=WAITING");
    auto all = AllRows(web, clerk, hub.specialties);
    REQUIRE_MESSAGE(!all.empty(), "no PTL rows");
    // A waiting entry and a free slot of its specialty and clinic type.
    json entry;
    json slot;
    for (const auto& row : waiting) {
      auto s = web.Get("/api/slots?limit=5&entry_id=" + row["entry"]["entry_id"].get<std::string>(), clerk);
      REQUIRE_MESSAGE(s.status == 200, s.body);
      if (!Body(s)["slots"].empty()) {
        entry = row["entry"];
        slot = Body(s)["slots"][0];
        break;
      }
    }
    CheckError(web.Get("/api/slots?specialty=X&from=2025-13-01", clerk), 400, "invalid_argument", "from");
    CheckError(web.Get("/api/slots?entry_id=NO-SUCH-ENTRY", clerk), 404, "not_found", "entry_id");
    CheckError(web.Get("/api/slots?specialty=" + specialty, integ), 403, "forbidden");
    // Cancel and reschedule a booked appointment.
    json appt;
    for (const auto& row : all) {
      if (row["entry"]["status"] == "BOOKED" && row["entry"].contains("appointment_id")) {
        appt = row["entry"];
        break;
      }
    }
    REQUIRE_MESSAGE(!appt.is_null(), "no booked appointment among the demo referrals");
    std::string id = appt["appointment_id"];
    auto free = Body(web.Get(fmt::format("/api/slots?specialty={}&clinic_type={}&limit=50",
                                         appt["specialty"].get<std::string>(), appt["clinic_type"].get<std::string>()),
                             clerk))["slots"];
    json move{{"new_slot_id", free.empty() ? "NO-SLOT" : free.back()["slot_id"]}, {"by", "PATIENT"}, {"reason", "holiday"},
              {"short_notice_agreed", true}};
    for (const Browser* b : {&clinician, &integ, &reader}) {
      CheckError(web.Post("/api/appointments/" + id + "/reschedule", move, *b), 403, "forbidden");
      CheckError(web.Post("/api/appointments/" + id + "/cancel", json{{"by", "PATIENT"}}, *b), 403, "forbidden");
    }
    std::string current = id;
    if (!free.empty()) {
      auto moved = web.Post("/api/appointments/" + id + "/reschedule", move, leader);
      REQUIRE_MESSAGE(moved.status == 200, moved.body);
      current = Body(moved).value("appointment_id", id);
    }
    CheckError(web.Post("/api/appointments/" + current + "/cancel", json{{"by", "SOMEONE"}}, clerk), 400,
               "invalid_argument", "by");
    // The patient is free from today, so the entry goes back on the waiting list (RULES §2.3).
    std::string today = booking::FormatIsoDate(booking::LondonDateAt(web.clock.NowMs()));
    auto cancelled = web.Post("/api/appointments/" + current + "/cancel",
                              json{{"by", "PATIENT"}, {"reason", "unwell"}, {"available_from", today}}, clerk);
    CHECK_MESSAGE(cancelled.status == 200, cancelled.body);
    CheckError(web.Post("/api/appointments/NO-SUCH-APPT/cancel", json{{"by", "PATIENT"}}, clerk), 404, "not_found");

    // Book from the list: the entry whose appointment the patient just cancelled (else any waiting
    // entry), into a slot the booking service offers it with short notice agreed.
    if (cancelled.status == 200) {
      auto p = Body(web.Get("/api/patients/" + appt["nhs_number"].get<std::string>(), clerk));
      for (const auto& e : p["entries"]) {
        if (e["entry_id"] != appt["entry_id"]) continue;
        MESSAGE("after the patient's cancellation the entry is ", e["status"].get<std::string>());
        // Rearranged and then cancelled by the patient: held for a clinical review (RULES §2.3);
        // the booking team books it again once the clinician agrees.
        if (e["status"] != "WAITING" && e["status"] != "REBOOKING" && e["status"] != "CLINICAL_REVIEW") continue;
        auto s = web.Get("/api/slots?limit=5&short_notice_agreed=true&entry_id=" + e["entry_id"].get<std::string>(), clerk);
        REQUIRE_MESSAGE(s.status == 200, s.body);
        json offers = Body(s)["slots"];
        if (!offers.empty()) {
          entry = e;
          slot = offers[0];
        }
      }
    }
    if (entry.is_null()) {
      FAIL("no entry to book: the patient's cancelled entry was neither waiting nor held for review");
    } else {
      json book{{"entry_id", entry["entry_id"]}, {"slot_id", slot["slot_id"]}, {"short_notice_agreed", true}};
      for (const Browser* b : {&clinician, &integ, &reader}) CheckError(web.Post("/api/appointments", book, *b), 403, "forbidden");
      auto still = Body(web.Get("/api/patients/" + entry["nhs_number"].get<std::string>(), clerk));
      for (const auto& e : still["entries"]) {
        if (e["entry_id"] == entry["entry_id"]) CHECK(e["status"] == entry["status"]);
      }
      auto booked = web.Post("/api/appointments", book, clerk);
      REQUIRE_MESSAGE(booked.status == 200, booked.body);
      CHECK_FALSE(Body(booked).value("appointment_id", "").empty());
      auto audit = web.users->RecentAudit(1);
      CHECK((*audit)[0].what.rfind("appointment.book entry=", 0) == 0);
      // The same entry again: the booking service refuses; the error names why.
      auto again = web.Post("/api/appointments", book, clerk);
      CHECK(again.status >= 400);
      CHECK(again.status < 500);
    }

  }

  {  // clinic cancellation: clerk requests, clerk may not approve, team leader approves -> rebooking list
    auto clinics = Body(web.Get("/api/clinics", integ))["clinics"];
    CHECK(clinics.size() == ExampleClinics().size());
    auto util = web.Get("/api/clinics/" + clinics[0]["clinic_code"].get<std::string>() + "/utilisation?weeks=4", reader);
    REQUIRE_MESSAGE(util.status == 200, util.body);
    CHECK(Body(util)["weeks"].size() >= 1);
    CheckError(web.Get("/api/clinics/NOPE/utilisation", reader), 404, "not_found", "clinic_code");

    // A booked appointment inside the notice period: cancelling its session needs approval.
    auto rows = AllRows(web, clerk, hub.specialties, "&status=BOOKED");
    REQUIRE(!rows.empty());
    json target;
    std::string clinic_code, date;
    for (const auto& row : rows) {
      auto p = Body(web.Get("/api/patients/" + row["entry"]["nhs_number"].get<std::string>(), clerk));
      for (const auto& a : p["appointments"]) {
        if (a["status"] == "BOOKED" && a["entry_id"] == row["entry"]["entry_id"]) {
          target = row["entry"];
          clinic_code = a["clinic_code"];
          date = a["date"];
        }
      }
      if (!target.is_null()) break;
    }
    REQUIRE(!target.is_null());
    json req{{"clinic_code", clinic_code}, {"kind", "CANCEL_SESSION"}, {"session_date", date}, {"comment", "consultant on leave"}};
    CheckError(web.Post("/api/clinic-changes", req, reader), 403, "forbidden");
    CheckError(web.Post("/api/clinic-changes", req, clinician), 403, "forbidden");
    CheckError(web.Post("/api/clinic-changes", req, integ), 403, "forbidden");
    CheckError(web.Post("/api/clinic-changes", json{{"clinic_code", clinic_code}, {"kind", "CLOSE"}}, clerk), 400,
               "invalid_argument", "kind");
    auto requested = web.Post("/api/clinic-changes", req, clerk);
    REQUIRE_MESSAGE(requested.status == 200, requested.body);
    auto change = Body(requested);
    std::string change_id = change.value("change_id", "");
    REQUIRE(!change_id.empty());
    bool pending = change["pending_approval"];
    if (pending) {
      for (const Browser* b : {&clerk, &clinician, &integ, &reader}) {
        CheckError(web.Post("/api/clinic-changes/" + change_id + "/decision", json{{"approve", true}}, *b), 403, "forbidden");
      }
      // Still booked: the refusals changed nothing.
      auto p = Body(web.Get("/api/patients/" + target["nhs_number"].get<std::string>(), clerk));
      for (const auto& e : p["entries"]) {
        if (e["entry_id"] == target["entry_id"]) CHECK(e["status"] == "BOOKED");
      }
      CheckError(web.Post("/api/clinic-changes/" + change_id + "/decision", json{{"approve", "yes"}}, leader), 400,
                 "invalid_argument", "approve");
      CheckError(web.Post("/api/clinic-changes/NO-SUCH-CHANGE/decision", json{{"approve", true}}, leader), 404, "not_found");
      auto approved = web.Post("/api/clinic-changes/" + change_id + "/decision",
                               json{{"approve", true}, {"comment", "agreed"}}, leader);
      REQUIRE_MESSAGE(approved.status == 200, approved.body);
    } else {
      MESSAGE("the session was outside the notice period: the change applied without approval");
    }
    // The patient is on the rebooking list (or rebooked at once into another slot).
    auto p = Body(web.Get("/api/patients/" + target["nhs_number"].get<std::string>(), clerk));
    bool moved = false;
    for (const auto& a : p["appointments"]) {
      if (a["entry_id"] == target["entry_id"] && a["status"] == "CANCELLED_BY_HOSPITAL") moved = true;
    }
    CHECK(moved);
    auto rebooking = AllRows(web, leader, {target["specialty"].get<std::string>()}, "&include_booked=true&status=REBOOKING");
    bool listed = false;
    for (const auto& row : rebooking) listed |= row["entry"]["entry_id"] == target["entry_id"];
    auto entry_now = Body(web.Get("/api/patients/" + target["nhs_number"].get<std::string>(), clerk))["entries"];
    for (const auto& e : entry_now) {
      if (e["entry_id"] == target["entry_id"]) CHECK((e["status"] == "REBOOKING" || e["status"] == "BOOKED"));
      if (e["entry_id"] == target["entry_id"] && e["status"] == "REBOOKING") CHECK(listed);
    }
  }

  {  // bad input: malformed JSON, wrong types, unknown fields, missing CSRF, content type, Origin
    auto before = AuditCount(web);
    CheckError(web.Call("POST", "/api/appointments", "{\"entry_id\": ", &clerk), 400, "invalid_argument");
    CheckError(web.Call("POST", "/api/appointments", "[1,2]", &clerk), 400, "invalid_argument");
    CheckError(web.Post("/api/appointments", json{{"entry_id", "E"}, {"slot_id", 5}}, clerk), 400, "invalid_argument", "slot_id");
    CheckError(web.Post("/api/appointments", json{{"entry_id", "E"}}, clerk), 400, "invalid_argument", "slot_id");
    CheckError(web.Post("/api/appointments", json{{"entry_id", "E"}, {"slot_id", "S"}, {"slotid", "S"}}, clerk), 400,
               "invalid_argument", "slotid");
    CheckError(web.Post("/api/appointments", json{{"entry_id", "E"}, {"slot_id", "S"}, {"short_notice_agreed", "yes"}}, clerk),
               400, "invalid_argument", "short_notice_agreed");
    CheckError(web.Post("/api/appointments", json{{"entry_id", "NO-SUCH-ENTRY"}, {"slot_id", "NO-SUCH-SLOT"}}, clerk), 404,
               "not_found");
    CheckError(web.Call("POST", "/api/appointments", json{{"entry_id", "E"}, {"slot_id", "S"}}.dump(), &clerk, false), 403,
               "csrf");
    HttpRequest r;
    r.method = "POST";
    r.target = "/api/appointments";
    r.body = R"({"entry_id":"E","slot_id":"S"})";
    r.cookie = "hub_session=" + clerk.cookie;
    r.csrf = clerk.csrf;
    r.content_type = "text/plain";
    r.host = "127.0.0.1:8080";
    CheckError(web.api.Handle(r), 415, "unsupported_media_type");
    r.content_type = "application/json";
    r.origin = "http://evil.example";
    CheckError(web.api.Handle(r), 403, "bad_origin");
    r.origin = "http://127.0.0.1:8080";
    r.body = std::string(70'000, ' ');
    CheckError(web.api.Handle(r), 413, "too_large");
    CHECK(AuditCount(web) == before);
  }

  {  // metrics and hooks
    web.Get("/api/ptl?specialty=" + specialty, clerk);
    auto m = web.Call("GET", "/metrics");
    REQUIRE(m.status == 200);
    CHECK(m.content_type.rfind("text/plain; version=0.0.4", 0) == 0);
    CHECK(m.body.find("hub_broker_up 1") != std::string::npos);
    CHECK(m.body.find("hub_queue_depth{service=\"booking\"}") != std::string::npos);
    CHECK(m.body.find("hub_workers{service=\"booking\"} 1") != std::string::npos);
    CHECK(m.body.find("hub_web_backend_seconds_count{type=\"waitinglist.get\"}") != std::string::npos);
    CHECK(m.body.find("hub_ptl_page_rows{specialty=") != std::string::npos);
    for (const char* hook : {"/api/tasks", "/api/letters", "/api/partial-booking", "/api/scanning"}) {
      CheckError(web.Get(hook, clerk), 501, "not_implemented");
      CheckError(web.Get(hook, integ), 403, "forbidden");
    }
  }
}

TEST_CASE("integration: status, dead letters and replay by role") {
  TempDir dir;
  BrokerSettings settings;
  settings.max_attempts = 1;
  settings.request_timeout_ms = 300;
  BrokerProcess broker(dir, settings);
  // A worker too slow for the lease: the request is dead-lettered after its one attempt.
  auto slow = StartTestWorker(dir, broker.endpoint(), dir.File("w.db"), "w.log", {"--delay-ms", "1500"});
  zmq::context_t ctx;
  MdpClient client(ctx, Plain(broker.endpoint()), "it");
  auto req = wire::MakeEnvelope("test.apply", "it", SystemClock::Instance().NowMs(),
                                wire::MapWriter().Str("key", "dead").Finish());
  REQUIRE_FALSE(client.Call("test", req, 5000, 0).ok());
  slow->Kill(SIGKILL);
  auto fast = StartTestWorker(dir, broker.endpoint(), dir.File("w.db"), "w2.log");

  Web web(dir, broker.endpoint());
  Browser integ = web.SignIn("integ"), leader = web.SignIn("leader"), reader = web.SignIn("reader"),
          clerk = web.SignIn("clerk"), clinician = web.SignIn("clinician");
  auto status = web.Get("/api/integration/status", integ);
  REQUIRE_MESSAGE(status.status == 200, status.body);
  CHECK(Body(status)["services"].is_array());
  CHECK(Body(status)["counters"]["dead_lettered"] == 1);
  auto dead = web.Get("/api/integration/dead-letters", reader);
  REQUIRE(dead.status == 200);
  REQUIRE(Body(dead)["dead_letters"].size() == 1);
  CHECK(Body(dead)["dead_letters"][0]["msg_id"] == req.id);
  CHECK(web.Get("/api/integration/dead-letters", leader).status == 200);
  CheckError(web.Get("/api/integration/dead-letters?limit=0", integ), 400, "invalid_argument", "limit");
  for (const Browser* b : {&clerk, &clinician}) {
    CheckError(web.Get("/api/integration/status", *b), 403, "forbidden");
    CheckError(web.Get("/api/integration/dead-letters", *b), 403, "forbidden");
  }
  for (const Browser* b : {&clerk, &clinician, &reader, &leader}) {
    CheckError(web.Post("/api/integration/dead-letters/" + req.id + "/replay", json::object(), *b), 403, "forbidden");
  }
  CHECK(Body(web.Get("/api/integration/dead-letters", integ))["dead_letters"].size() == 1);  // nothing changed
  CheckError(web.Call("POST", "/api/integration/dead-letters/" + req.id + "/replay", "", &integ, false), 403, "csrf");
  CheckError(web.Post("/api/integration/dead-letters/NOSUCHID/replay", json::object(), integ), 404, "not_found");
  auto replay = web.Call("POST", "/api/integration/dead-letters/" + req.id + "/replay", "", &integ);
  REQUIRE_MESSAGE(replay.status == 200, replay.body);
  CHECK(Body(replay)["replayed"] == 1);
  CHECK(Body(web.Get("/api/integration/dead-letters", integ))["dead_letters"].empty());
  auto after = client.Call("test", req, 5000, 3);  // the same id now gets the real answer
  CHECK_MESSAGE(after.ok(), after.status().ToString());
  CheckError(web.Get("/api/integration/cab-drift", integ), 501, "not_implemented");
}

// Raw HTTP against the real server: the parts the in-process API does not see.
std::string RawHttp(int port, const std::string& request) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket s(io);
  s.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
  boost::asio::write(s, boost::asio::buffer(request));
  std::string out;
  boost::system::error_code ec;
  char buf[4096];
  while (true) {
    auto n = s.read_some(boost::asio::buffer(buf), ec);
    if (ec) break;
    out.append(buf, n);
  }
  return out;
}

TEST_CASE("the HTTP server: static files, oversized bodies, malformed requests, security headers") {
  TempDir dir;
  web::WebConfig config;
  config.port = 0;
  config.static_dir = std::string(HUB_SOURCE_DIR) + "/hub/web/static";
  config.max_body_bytes = 1024;
  int calls = 0;
  web::HttpServer server(config, [&](const HttpRequest&) {
    ++calls;
    HttpResponse r;
    r.body = R"({"ok":true})";
    return r;
  });
  REQUIRE(server.Listen().ok());
  std::atomic<bool> stop{false};
  std::thread t([&] { server.Run(stop); });
  int port = server.port();

  auto index = RawHttp(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(index.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(index.find("Content-Type: text/html") != std::string::npos);
  CHECK(index.find("Content-Security-Policy: default-src 'self'") != std::string::npos);
  CHECK(index.find("X-Frame-Options: DENY") != std::string::npos);
  CHECK(RawHttp(port, "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").rfind("HTTP/1.1 404", 0) == 0);
  CHECK(RawHttp(port, "GET /nope.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").rfind("HTTP/1.1 404", 0) == 0);
  auto big = RawHttp(port, "POST /api/appointments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Content-Length: 5000\r\nConnection: close\r\n\r\n" + std::string(5000, ' '));
  CHECK(big.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(big.find("\"error\":\"too_large\"") != std::string::npos);
  auto junk = RawHttp(port, "NOT HTTP AT ALL\r\n\r\n");
  CHECK(junk.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(RawHttp(port, "POST /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").rfind("HTTP/1.1 405", 0) == 0);
  CHECK(calls == 0);  // none of these reached the API
  auto api = RawHttp(port, "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(api.find("{\"ok\":true}") != std::string::npos);
  CHECK(calls == 1);
  stop = true;
  t.join();
}

}  // namespace
}  // namespace hub::testing
