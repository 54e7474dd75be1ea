// The adapter end to end over HTTP on 127.0.0.1 (port 0) with the fake booking engine and the
// shipped example trust: A015 search and paging, A016 booking (slot gone from the next search)
// and deferral, bad input (right status, an OperationOutcome naming the problem, nothing changed),
// the booking deadline, and template changes reaching the published slots in one cycle. Every
// response body is checked against the STU3 structure.
#include "adapters/cab/cab_adapter.hpp"

#include <doctest/doctest.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>

#include "adapters/cab/booking_window.hpp"
#include "tests/adapters/cab/example_trust.hpp"
#include "tests/adapters/cab/http_test_client.hpp"
#include "tests/adapters/cab/test_util.hpp"

namespace hub::cab {
namespace {

using Json = nlohmann::json;
using testing::ClientResponse;
using testing::FakeBookingGateway;
using testing::HttpTestClient;
using testing::kMonday10am;
using namespace std::chrono_literals;

constexpr const char* kSearch40101 =
    "/STU3/Slot?schedule.actor%3AHealthcareService=40101&appointmentType=ROUTINE&_count=10"
    "&status=free&_include=Slot%3Aschedule&page=1";

CabConfig ShippedConfig() {
  auto c = testing::LoadShippedConfig();
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  return std::move(c).value();
}

struct Server {
  ManualClock clock{kMonday10am};
  CabConfig config;
  FakeBookingGateway hub{clock};
  std::unique_ptr<CabAdapter> adapter;
  std::unique_ptr<HttpTestClient> client;
  std::mutex mu;
  std::condition_variable cv;
  int reports = 0;

  // The shipped trust, its templates filled from `hub_config` (default: the same), then `adjust`
  // applied to the adapter's config.
  explicit Server(const std::function<void(CabConfig&)>& adjust = {},
                  const CabConfig* hub_config = nullptr) {
    config = ShippedConfig();
    testing::FillConsistentTrust(hub, hub_config != nullptr ? *hub_config : config, kMonday10am,
                                 17);
    config.http.listen_port = 0;
    if (adjust) adjust(config);
    adapter = std::make_unique<CabAdapter>(config, hub, clock);
    REQUIRE(adapter
                ->Start([this](const ReconcileReport&) {
                  std::lock_guard<std::mutex> lock(mu);
                  ++reports;
                  cv.notify_all();
                })
                .ok());
    client = std::make_unique<HttpTestClient>(adapter->port());
  }
  ~Server() { adapter->Stop(); }

  // Waits until the reconciler has reported `n` times in all (the first is from Start).
  bool WaitForReports(int n) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, 10s, [&] { return reports >= n; });
  }

  Json Search(const std::string& target) {
    ClientResponse r = client->Get(target);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.Header("content-type") == "application/fhir+json");
    testing::CheckValidFhir(r.body);
    return Json::parse(r.body);
  }
  std::vector<std::string> SlotIds(const std::string& target) {
    std::vector<std::string> ids;
    const Json bundle = Search(target);
    for (const Json& e : bundle["entry"]) {
      if (e["resource"]["resourceType"] == "Slot") ids.push_back(e["resource"]["id"]);
    }
    return ids;
  }
};

Json Participant(std::string_view system, const std::string& value) {
  Json identifier = {{"system", std::string(system)}, {"value", value}};
  return {{"actor", {{"identifier", identifier}}}, {"status", "accepted"}};
}

std::string BookingBody(const std::string& service, const std::string& slot,
                        const std::string& nhs = "9912003888",
                        const std::string& ubrn = "000000070000",
                        const std::string& priority = "") {
  Json body;
  body["resourceType"] = "Appointment";
  body["status"] = "booked";
  body["description"] = "e-Referral Appointment";
  body["slot"] = Json::array();
  body["slot"].push_back({{"reference", "Slot/" + slot}});
  body["incomingReferral"] = Json::array();
  body["incomingReferral"].push_back({{"reference", "ReferralRequest/" + ubrn + "/_history/6"}});
  body["participant"] = Json::array();
  body["participant"].push_back(Participant(kServiceIdSystem, service));
  body["participant"].push_back(Participant(kNhsNumberSystem, nhs));
  if (!priority.empty()) {
    Json coding = {{"system", std::string(kPrioritySystem)}, {"code", priority}};
    Json ext = {{"url", std::string(kReferralPriorityExtension)},
                {"valueCodeableConcept", {{"coding", Json::array({coding})}}}};
    body["extension"] = Json::array({ext});
  }
  return body.dump();
}

std::string DeferralBody(const std::string& service, const std::string& reason,
                         const std::string& priority = "") {
  Json body = Json::parse(BookingBody(service, "x", "9912003888", "000000070001", priority));
  body["status"] = "proposed";
  body.erase("slot");
  Json coding = {{"system", std::string(kReviewReasonSystem)}, {"code", reason}};
  Json concept_json = {{"coding", Json::array({coding})}};
  body["reason"] = Json::array({concept_json});
  body["comment"] = "Booking failed";
  return body.dump();
}

// An OperationOutcome with one error issue, checked against STU3; returns its issue.
Json Outcome(const ClientResponse& r) {
  CHECK(r.Header("content-type") == "application/fhir+json");
  testing::CheckValidFhir(r.body);
  const Json oo = Json::parse(r.body);
  CHECK(oo["resourceType"] == "OperationOutcome");
  REQUIRE(oo["issue"].size() == 1);
  CHECK(oo["issue"][0]["severity"] == "error");
  return oo["issue"][0];
}

std::string ErsCode(const Json& issue) {
  return issue.contains("details") ? issue["details"]["coding"][0]["code"].get<std::string>() : "";
}

TEST_CASE("slot search: a valid A015 Bundle, paged with next and previous links") {
  Server s;
  // General dermatology: two consultants' clinics (DERM_MACLEOD_TUE, DERM_OKAFOR_FRI).
  const std::string search40201 =
      "/STU3/Slot?schedule.actor%3AHealthcareService=40201&appointmentType=ROUTINE&_count=10"
      "&status=free&_include=Slot%3Aschedule&page=1";
  const Json page1 = s.Search(search40201);
  CHECK(page1["total"].get<int>() > 20);
  CHECK(page1["entry"].size() == 10 + 2);  // 10 slots and the schedules of two consultants
  const std::string self = page1["link"][0]["url"];
  const std::string base = "http://127.0.0.1:" + std::to_string(s.adapter->port());
  CHECK(self == base + search40201);
  REQUIRE(page1["link"][1]["relation"] == "next");
  const std::string next = page1["link"][1]["url"].get<std::string>().substr(base.size());
  const Json page2 = s.Search(next);
  CHECK(page2["entry"][0]["resource"]["id"] != page1["entry"][0]["resource"]["id"]);
  bool has_previous = false;
  for (const Json& l : page2["link"]) has_previous |= l["relation"] == "previous";
  CHECK(has_previous);
  // Keep-alive: all of that on one connection.
  CHECK(s.Search(search40201)["total"] == page1["total"]);
  // One consultant's clinic (general cardiology, CARD_PATEL_MON): one schedule.
  CHECK(s.Search(kSearch40101)["entry"].size() == 10 + 1);
}

TEST_CASE("book: 201 Appointment, the slot leaves the next search, the hub has the booking") {
  Server s;
  const std::vector<std::string> before = s.SlotIds(kSearch40101);
  const int total_before = s.Search(kSearch40101)["total"];
  ClientResponse r = s.client->Post("/STU3/Appointment", BookingBody("40101", before[0]));
  REQUIRE_MESSAGE(r.status == 201, r.body);
  CHECK(r.Header("content-type") == "application/fhir+json");
  testing::CheckValidFhir(r.body);
  const Json a = Json::parse(r.body);
  CHECK(a["status"] == "booked");
  CHECK(a["slot"][0]["reference"] == "Slot/" + before[0]);
  CHECK(r.Header("location") == "http://127.0.0.1:" + std::to_string(s.adapter->port()) +
                                    "/STU3/Appointment/" + a["id"].get<std::string>() +
                                    "/_history/1");
  const auto bookings = s.hub.ActiveBookings();
  REQUIRE(bookings.size() == 1);
  CHECK(bookings[0].slot_id == before[0]);
  CHECK(bookings[0].ubrn == "000000070000");
  CHECK(bookings[0].nhs_number == "9912003888");
  CHECK(bookings[0].service_id == "40101");
  CHECK(bookings[0].deadline_ms == kMonday10am + 110'000);
  CHECK(s.hub.Booked(before[0]) == 1);

  const std::vector<std::string> after = s.SlotIds(kSearch40101);
  CHECK(std::find(after.begin(), after.end(), before[0]) == after.end());
  CHECK(s.Search(kSearch40101)["total"] == total_before - 1);
  // ... and stays gone after the next reconciliation.
  s.adapter->reconciler().RunOnce();
  const std::vector<std::string> republished = s.SlotIds(kSearch40101);
  CHECK(std::find(republished.begin(), republished.end(), before[0]) == republished.end());
}

TEST_CASE("the priority: stated by the sender, or the most urgent the slot is offered to") {
  Server s;
  // A NEW slot in the first fortnight is offered to URGENT and ROUTINE referrals (40101).
  const std::string slot = s.SlotIds(kSearch40101)[0];
  REQUIRE(s.client->Post("/STU3/Appointment", BookingBody("40101", slot)).status == 201);
  const std::string routine_slot = s.SlotIds(kSearch40101)[0];
  REQUIRE(s.client
              ->Post("/STU3/Appointment",
                     BookingBody("40101", routine_slot, "9000000009", "000000070002", "ROUTINE"))
              .status == 201);
  const auto bookings = s.hub.ActiveBookings();
  REQUIRE(bookings.size() == 2);
  for (const BookRequest& b : bookings) {
    if (b.slot_id == slot) {
      CHECK(b.priority == Priority::kUrgent);
      CHECK(b.priority_inferred);
    } else {
      CHECK(b.priority == Priority::kRoutine);
      CHECK_FALSE(b.priority_inferred);
    }
  }
}

TEST_CASE("defer to provider: 201 proposed, on the ASI list with the priority's contact-by date") {
  Server s;
  // Stated ROUTINE: contact within 40 days of Monday 2 March 2026.
  ClientResponse r =
      s.client->Post("/STU3/Appointment", DeferralBody("40101", "SLOT_NOT_AVAILABLE", "ROUTINE"));
  REQUIRE_MESSAGE(r.status == 201, r.body);
  testing::CheckValidFhir(r.body);
  const Json a = Json::parse(r.body);
  CHECK(a["status"] == "proposed");
  CHECK(a["reason"][0]["coding"][0]["code"] == "SLOT_NOT_AVAILABLE");
  CHECK(a["comment"] == "Booking failed");
  auto deferrals = s.hub.Deferrals();
  REQUIRE(deferrals.size() == 1);
  CHECK(booking::FormatIsoDate(deferrals[0].contact_by) == "2026-04-11");
  CHECK(deferrals[0].priority == Priority::kRoutine);
  CHECK_FALSE(deferrals[0].priority_inferred);
  CHECK(deferrals[0].ubrn == "000000070001");
  CHECK(deferrals[0].reason == "SLOT_NOT_AVAILABLE");
}

TEST_CASE("defer without a stated priority: the earliest contact-by date the service could need") {
  Server s;
  ClientResponse r =
      s.client->Post("/STU3/Appointment", DeferralBody("40101", "BOOKING_ATTEMPT_PROBLEM"));
  REQUIRE_MESSAGE(r.status == 201, r.body);
  auto deferrals = s.hub.Deferrals();
  REQUIRE(deferrals.size() == 1);
  CHECK(deferrals[0].priority == Priority::kUrgent);
  CHECK(deferrals[0].priority_inferred);
  CHECK(booking::FormatIsoDate(deferrals[0].contact_by) == "2026-03-12");
}

TEST_CASE("NO_SLOTS_AT_SERVICE while slots are free: 422; once there are none, deferred (2WW)") {
  Server s;
  const std::string before = s.hub.StateDigest();
  ClientResponse refused =
      s.client->Post("/STU3/Appointment", DeferralBody("40202", "NO_SLOTS_AT_SERVICE", "TWO_WEEK_WAIT"));
  CHECK(refused.status == 422);
  CHECK(ErsCode(Outcome(refused)) == "SLOTS_CURRENTLY_AVAILABLE");
  CHECK(s.hub.StateDigest() == before);

  // The skin lesion clinics' slots all go; the next cycle publishes that.
  auto slots = s.hub.ListFreeSlots(
      {{"DERM_CHAUDHRY_MON", "DERM_NOWAK_THU"}, 0, kMonday10am + 400 * kDayMs, 100'000});
  REQUIRE(slots.ok());
  REQUIRE_FALSE(slots->empty());
  for (const FreeSlot& slot : *slots) s.hub.RemoveSlot(slot.slot_id);
  s.adapter->reconciler().RunOnce();
  ClientResponse r =
      s.client->Post("/STU3/Appointment", DeferralBody("40202", "NO_SLOTS_AT_SERVICE", "TWO_WEEK_WAIT"));
  REQUIRE_MESSAGE(r.status == 201, r.body);
  auto deferrals = s.hub.Deferrals();
  REQUIRE(deferrals.size() == 1);
  CHECK(deferrals[0].priority == Priority::kTwoWeekWait);
  CHECK_FALSE(deferrals[0].priority_inferred);
  CHECK(booking::FormatIsoDate(deferrals[0].contact_by) == "2026-03-07");
}

struct BadInput {
  const char* name;
  std::string method;
  std::string target;
  std::string body;
  std::string content_type;
  int status;
  const char* ers_code;
  const char* diagnostics_part;
};

TEST_CASE("bad input: the right status, an OperationOutcome naming the problem, nothing changed") {
  Server s;
  const std::vector<std::string> slots = s.SlotIds(kSearch40101);
  // A slot already taken.
  REQUIRE(s.client->Post("/STU3/Appointment", BookingBody("40101", slots[0])).status == 201);
  // An URGENT slot after the 14-day URGENT window: offered to nobody (ROUTINE never takes URGENT).
  std::string late_urgent;
  auto all = s.hub.ListFreeSlots(
      {{"CARD_PATEL_MON"}, kMonday10am + 20 * kDayMs, kMonday10am + 40 * kDayMs, 100'000});
  for (const FreeSlot& f : *all) {
    if (f.type == SlotType::kUrgent) late_urgent = f.slot_id;
  }
  REQUIRE_FALSE(late_urgent.empty());
  const std::string json = "application/fhir+json";
  const BadInput cases[] = {
      {"malformed JSON", "POST", "/STU3/Appointment", "{\"resourceType\": \"Appointment\",", json,
       400, "INVALID_VALUE", "not valid JSON"},
      {"unknown service (book)", "POST", "/STU3/Appointment", BookingBody("99999", slots[1]), json,
       422, "REFERENCE_NOT_FOUND", "e-RS service 99999 is not in this trust's service map"},
      {"unknown service (search)", "GET",
       "/STU3/Slot?schedule.actor%3AHealthcareService=99999&appointmentType=ROUTINE", "", "", 400,
       "REFERENCE_NOT_FOUND", "e-RS service 99999 is not in this trust's service map"},
      {"slot already taken", "POST", "/STU3/Appointment",
       BookingBody("40101", slots[0], "9000000009", "000000070003"), json, 409,
       "SLOT_NOT_AVAILABLE", "it has just been booked"},
      {"unknown slot", "POST", "/STU3/Appointment", BookingBody("40101", "no-such-slot"), json, 409,
       "SLOT_NOT_AVAILABLE", "not among the free slots published"},
      {"slot outside the window", "POST", "/STU3/Appointment", BookingBody("40101", late_urgent),
       json, 422, "INAPPROPRIATE_SLOT", "outside the URGENT booking window of service 40101"},
      {"slot type for another priority", "POST", "/STU3/Appointment",
       BookingBody("40101", late_urgent, "9912003888", "000000070000", "ROUTINE"), json, 422,
       "INAPPROPRIATE_SLOT", "ROUTINE referrals to service 40101 are booked into NEW slots"},
      {"slot of another service", "POST", "/STU3/Appointment", BookingBody("40102", slots[1]), json,
       422, "INAPPROPRIATE_SLOT", "which is not one of service 40102's clinics"},
      {"priority the service does not take", "POST", "/STU3/Appointment",
       BookingBody("40101", slots[1], "9912003888", "000000070000", "TWO_WEEK_WAIT"), json, 422,
       "INAPPROPRIATE_VALUE", "does not accept TWO_WEEK_WAIT referrals"},
      {"NHS number failing Modulus 11", "POST", "/STU3/Appointment",
       BookingBody("40101", slots[1], "9876544321"), json, 422, "INVALID_VALUE",
       "not a valid NHS number"},
      {"too large", "POST", "/STU3/Appointment", std::string(70'000, ' '), json, 413,
       "INVALID_VALUE", "larger than the 65536-byte limit"},
      {"not JSON content", "POST", "/STU3/Appointment", BookingBody("40101", slots[1]),
       "text/plain", 415, "INVALID_VALUE", "Content-Type 'text/plain' is not accepted"},
      {"wrong method on Slot", "DELETE", "/STU3/Slot", "", "", 405, "INVALID_VALUE",
       "DELETE is not supported on /STU3/Slot: use GET"},
      {"wrong method on Appointment", "GET", "/STU3/Appointment", "", "", 405, "INVALID_VALUE",
       "use POST"},
      {"unknown endpoint", "GET", "/STU3/Patient", "", "", 404, "",
       "no such endpoint: /STU3/Patient"},
      {"bad search parameter", "GET",
       "/STU3/Slot?schedule.actor%3AHealthcareService=40101&_count=500", "", "", 400,
       "INVALID_VALUE", "'_count' (500) must be a whole number from 1 to 100"},
  };
  for (const BadInput& c : cases) {
    CAPTURE(c.name);
    const std::string before = s.hub.StateDigest();
    const int bookings = s.hub.CallCount(FakeBookingGateway::Call::kBook);
    ClientResponse r = s.client->Send(c.method, c.target, c.body, c.content_type);
    REQUIRE_MESSAGE(r.status == c.status, r.body);
    const Json issue = Outcome(r);
    CHECK(ErsCode(issue) == c.ers_code);
    CHECK_MESSAGE(
        issue["diagnostics"].get<std::string>().find(c.diagnostics_part) != std::string::npos,
        issue["diagnostics"]);
    if (c.status == 405) CHECK_FALSE(r.Header("allow").empty());
    CHECK(s.hub.StateDigest() == before);
    CHECK(s.hub.CallCount(FakeBookingGateway::Call::kBook) == bookings);
  }
  CHECK(s.hub.ActiveBookings().size() == 1);
}

TEST_CASE("the booking engine too slow: 504 inside the deadline, and the late booking undone") {
  Server s([](CabConfig& c) { c.gateway.booking_deadline_ms = 200; });
  const std::string slot = s.SlotIds(kSearch40101)[0];
  s.hub.HoldBookings();
  ClientResponse r = s.client->Post("/STU3/Appointment", BookingBody("40101", slot));
  REQUIRE(r.status == 504);
  const Json issue = Outcome(r);
  CHECK(ErsCode(issue) == "PAS_NOT_RESPONDING");
  CHECK(issue["diagnostics"].get<std::string>().find("nothing has been booked") !=
        std::string::npos);
  // The engine (which ignores the deadline here: the test clock stands still) books late...
  s.hub.ReleaseBookings();
  // ... and the adapter undoes it.
  REQUIRE(s.hub.WaitForCancelCalls(1, 10s));
  CHECK(s.hub.ActiveBookings().empty());
  CHECK(s.hub.Booked(slot) == 0);
  CHECK(s.hub.CancelledKeys().size() == 1);
  const std::vector<std::string> ids = s.SlotIds(kSearch40101);
  CHECK(std::find(ids.begin(), ids.end(), slot) != ids.end());  // still offered
}

TEST_CASE("a lost reply from the booking engine: 503 and the booking undone") {
  Server s;
  const std::string slot = s.SlotIds(kSearch40101)[0];
  s.hub.FailNextBookAfterCommit(Status::Unavailable("reply lost"));
  ClientResponse r = s.client->Post("/STU3/Appointment", BookingBody("40101", slot));
  CHECK(r.status == 503);
  Outcome(r);
  CHECK(s.hub.ActiveBookings().empty());
  CHECK(s.hub.Booked(slot) == 0);
  CHECK(s.hub.CancelledKeys().size() == 1);
}

TEST_CASE("the booking engine refuses or fails: 409 for a slot taken elsewhere, 502 otherwise") {
  Server s;
  const std::vector<std::string> slots = s.SlotIds(kSearch40101);
  s.hub.BookElsewhere(slots[0]);  // booked by the PAS since the last reconciliation
  ClientResponse taken = s.client->Post("/STU3/Appointment", BookingBody("40101", slots[0]));
  CHECK(taken.status == 409);
  CHECK(ErsCode(Outcome(taken)) == "SLOT_NOT_AVAILABLE");
  const std::vector<std::string> now = s.SlotIds(kSearch40101);
  CHECK(std::find(now.begin(), now.end(), slots[0]) == now.end());  // withdrawn at once

  s.hub.FailNext(FakeBookingGateway::Call::kBook, Status::Internal("engine bug"));
  ClientResponse failed = s.client->Post("/STU3/Appointment", BookingBody("40101", slots[1]));
  CHECK(failed.status == 502);
  CHECK(ErsCode(Outcome(failed)) == "UNABLE_TO_CONFIRM_APPOINTMENT");
  CHECK(s.hub.Booked(slots[1]) == 0);
}

TEST_CASE("template changes reach the published slots within one reconciliation cycle") {
  // The adapter's map has a third general cardiology clinic the hub has no template for yet.
  const CabConfig hub_config = ShippedConfig();
  Server s(
      [](CabConfig& c) {
        c.services[0].clinic_codes.push_back("CARD_NEWCONS_WED");
        c.reconcile.interval_s = 3600;
      },
      &hub_config);
  const std::string search = "/STU3/Slot?schedule.actor%3AHealthcareService=40101&_count=100";
  const int total = s.Search(search)["total"];

  // A new consultant clinic, a changed slot list and a cancelled session, all at once.
  ClinicInfo np3;
  np3.clinic_code = "CARD_NEWCONS_WED";
  np3.consultant_id = "921699999999";
  np3.specialty = "CARDIOLOGY";
  np3.clinic_type = "GENERAL";
  np3.template_slot_types = {SlotType::kNew};
  np3.criteria = {SexCriterion::kAny, 16, std::nullopt};
  s.hub.AddClinic(np3);
  const booking::Date wednesday = booking::AddDays(booking::LondonDateAt(kMonday10am), 16);
  const auto new_clinic = s.hub.AddSession("CARD_NEWCONS_WED", wednesday, 14 * 60, 4, 30, SlotType::kNew,
                                           kMonday10am - 30 * kDayMs);
  const auto extra = s.hub.AddSession("CARD_PATEL_MON", wednesday, 17 * 60, 2, 30, SlotType::kNew,
                                      kMonday10am - 30 * kDayMs);
  const std::vector<std::string> first_page = s.SlotIds(search);
  s.hub.RemoveSlot(first_page[0]);
  s.hub.RemoveSlot(first_page[1]);
  CHECK(s.Search(search)["total"] == total);  // not yet: nothing republished

  s.adapter->OnSlotsChanged();  // the booking engine's `slots.changed`
  REQUIRE(s.WaitForReports(2));
  CHECK(s.Search(search)["total"] == total + 4 + 2 - 2);
  std::vector<std::string> all;
  for (int page = 1;; ++page) {
    const Json b = s.Search(search + "&page=" + std::to_string(page));
    for (const Json& e : b["entry"]) {
      if (e["resource"]["resourceType"] == "Slot") all.push_back(e["resource"]["id"]);
    }
    if (page * 100 >= b["total"].get<int>()) break;
  }
  for (const std::string& id : new_clinic)
    CHECK(std::find(all.begin(), all.end(), id) != all.end());
  for (const std::string& id : extra) CHECK(std::find(all.begin(), all.end(), id) != all.end());
  CHECK(std::find(all.begin(), all.end(), first_page[0]) == all.end());
  CHECK(std::find(all.begin(), all.end(), first_page[1]) == all.end());
  const ReconcileReport report = s.adapter->reconciler().LastReport();
  bool stale_fixed = false;
  for (const DriftItem& i : report.items)
    stale_fixed |= i.kind == DriftKind::kStalePublication && i.fixed;
  CHECK(stale_fixed);
}

}  // namespace
}  // namespace hub::cab
