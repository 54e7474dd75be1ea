// `hub adapter cab` as a real process between the real broker and the real booking worker (issue
// 5 acceptance): a booking through POST /STU3/Appointment takes the slot out of GET /STU3/Slot and
// requests the appointment letter (to a sink print worker); cancelling the clinic, with approval,
// takes its slots out of the publication and puts the patient on the rebooking list; a deferral
// puts the referral on the list with its contact-by date; drift is printed by `hub ctl cab drift`
// and raised to the booking team as escalation.raised; bad input over HTTP gets the right status
// and an OperationOutcome naming the problem, and changes nothing in the booking engine.
#include <signal.h>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/cab/cab_types.hpp"
#include "adapters/common/mdp_client.hpp"
#include "hub/booking/calendar.hpp"
#include "hub/booking/clinic_config.hpp"
#include "hub/booking/demo_referrals.hpp"
#include "hub/common/clock.hpp"
#include "hub/storage/database.hpp"
#include "hub/wire/envelope.hpp"
#include "schemas/appointment.hpp"
#include "schemas/booking_queries.hpp"
#include "schemas/clinic_template.hpp"
#include "schemas/letter.hpp"
#include "schemas/referral.hpp"
#include "tests/adapters/cab/http_test_client.hpp"
#include "tests/adapters/cab/test_util.hpp"
#include "tests/support/hub_processes.hpp"

namespace hub::testing {
namespace {

using adapters::MdpClient;
using cab::testing::ClientResponse;
using cab::testing::HttpTestClient;
using Json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kService = "40101";
constexpr const char* kClinic = "CARD_PATEL_MON";

// One e-RS service on the example trust's general cardiology clinic; the other example clinics
// stay unmapped on purpose, so that drift (clinic_without_service) is there from the start.
std::string CabToml() {
  return fmt::format(R"([http]
listen = "127.0.0.1:0"
[reconcile]
interval_s = 3600
[[service]]
id = "{}"
name = "General Cardiology - Dr Patel"
specialty = "CARDIOLOGY"
clinic_type = "GENERAL"
clinics = ["{}"]
priorities = ["ROUTINE", "URGENT"]
polling_range_days = 84
routine = {{ start_hours = 24, end_days = 0, slot_types = ["NEW"] }}
urgent = {{ start_hours = 1, end_days = 14, slot_types = ["URGENT", "NEW"] }}
)",
                     kService, kClinic);
}

struct CabHub {
  explicit CabHub(const TempDir& d) : dir(d) {
    BrokerSettings s;
    s.services = {"booking", "print", "scan", "cab"};
    s.extra_toml = TestBookingToml();
    broker = std::make_unique<BrokerProcess>(dir, s);
    print = StartTestWorker(dir, broker->endpoint(), dir.File("print.db"), "print.log",
                            {"--service", "print", "--sink", "--credit", "32"});
    scan = StartTestWorker(dir, broker->endpoint(), dir.File("scan.db"), "scan.log",
                           {"--service", "scan", "--sink", "--credit", "32"});
    booking = StartBookingWorker(dir, broker->config(), broker->endpoint(), "booking.log");
    cab_toml = dir.File("cab.toml");
    std::ofstream(cab_toml) << CabToml();
    adapter = std::make_unique<ChildProcess>(
        HubBinary(),
        std::vector<std::string>{"adapter", "cab", "--config", broker->config(), "--cab-config",
                                 cab_toml, "--endpoint", broker->endpoint(), "--no-curve"},
        dir.File("cab-adapter.log"));
    const std::string marker = "serving e-RS slot search and booking on 127.0.0.1:";
    REQUIRE_MESSAGE(adapter->WaitForLog(marker, 60s), adapter->Log());
    const std::string log = adapter->Log();
    const auto at = log.find(marker) + marker.size();
    port = static_cast<std::uint16_t>(std::stoi(log.substr(at)));
    http = std::make_unique<HttpTestClient>(port, 30s);
    conn.endpoint = broker->endpoint();
    client = std::make_unique<MdpClient>(ctx, conn, "it");
  }

  // A booking-service request that must succeed; its reply envelope.
  wire::Envelope Call(const std::string& type, const std::string& body) {
    auto reply = client->Call(
        "booking", wire::MakeEnvelope(type, "it", SystemClock::Instance().NowMs(), body), 20'000, 2);
    REQUIRE_MESSAGE(reply.ok(), type << ": " << reply.status().ToString());
    REQUIRE_MESSAGE(reply->type != "hub.error", type << " refused");
    return *reply;
  }

  schemas::PatientResult Patient(const std::string& nhs) {
    auto r = schemas::DecodePatientResult(Call("patient.get", schemas::EncodePatientGet({nhs})).body);
    REQUIRE(r.ok());
    return *r;
  }

  // The clinic's free slots over the next 20 weeks, as the booking engine has them: id -> booked.
  std::map<std::string, std::int64_t> FreeSlots() {
    const booking::Date today = booking::LondonDateAt(SystemClock::Instance().NowMs());
    schemas::SlotsFree q;
    q.clinic_code = kClinic;
    q.from_date = booking::FormatIsoDate(today);
    q.to_date = booking::FormatIsoDate(booking::AddDays(today, 140));
    q.limit = 1000;
    auto r = schemas::DecodeSlotsResult(Call("slots.free", schemas::EncodeSlotsFree(q)).body);
    REQUIRE(r.ok());
    std::map<std::string, std::int64_t> out;
    for (const auto& s : r->slots) out[s.slot_id] = s.booked;
    return out;
  }

  // GET /STU3/Slot for the service and priority: the Slot ids offered (first 100).
  std::vector<std::string> Offered(const std::string& priority = "ROUTINE") {
    ClientResponse r = http->Get(fmt::format(
        "/STU3/Slot?schedule.actor%3AHealthcareService={}&appointmentType={}&_count=100"
        "&status=free&_include=Slot%3Aschedule&page=1",
        kService, priority));
    REQUIRE_MESSAGE(r.status == 200, r.body);
    cab::testing::CheckValidFhir(r.body);
    std::vector<std::string> ids;
    const Json bundle = Json::parse(r.body);
    if (bundle.contains("entry")) {
      for (const Json& e : bundle["entry"]) {
        if (e["resource"]["resourceType"] == "Slot") ids.push_back(e["resource"]["id"]);
      }
    }
    return ids;
  }

  const TempDir& dir;
  std::unique_ptr<BrokerProcess> broker;
  std::unique_ptr<ChildProcess> print, scan, booking, adapter;
  std::string cab_toml;
  std::uint16_t port = 0;
  std::unique_ptr<HttpTestClient> http;
  zmq::context_t ctx;
  wire::BrokerConnection conn;
  std::unique_ptr<MdpClient> client;
};

// A patient the hub knows: an e-RS dermatology referral (A016 carries no demographics, so a
// booking through e-RS needs the patient on record). Returns the NHS number.
std::string AdmitPatient(CabHub& hub, std::uint64_t seed) {
  auto clinics = booking::LoadClinicDir(std::string(HUB_SOURCE_DIR) + "/config/clinics");
  REQUIRE(clinics.ok());
  auto r = booking::GenerateDemoReferrals(
               1, seed, booking::LondonDateAt(SystemClock::Instance().NowMs()), *clinics)
               .at(0);
  r.ubrn = fmt::format("0000000{:05}", seed);
  r.local_id.clear();
  r.source = "ERS";
  r.specialty = "DERMATOLOGY";
  r.clinic_type = "GENERAL";
  r.priority = "ROUTINE";
  hub.Call("referral.received", schemas::EncodeReferralReceived(r));
  return r.patient.nhs_number;
}

Json Participant(std::string_view system, const std::string& value) {
  Json identifier = {{"system", std::string(system)}, {"value", value}};
  return {{"actor", {{"identifier", identifier}}}, {"status", "accepted"}};
}

// An A016 request body: booked into `slot`, or (empty slot) proposed with `reason`.
std::string AppointmentBody(const std::string& service, const std::string& slot,
                            const std::string& nhs, const std::string& ubrn,
                            const std::string& priority = "",
                            const std::string& reason = "SLOT_NOT_AVAILABLE") {
  Json body;
  body["resourceType"] = "Appointment";
  body["status"] = slot.empty() ? "proposed" : "booked";
  body["description"] = "e-Referral Appointment";
  if (!slot.empty()) body["slot"] = Json::array({{{"reference", "Slot/" + slot}}});
  body["incomingReferral"] =
      Json::array({{{"reference", "ReferralRequest/" + ubrn + "/_history/3"}}});
  body["participant"] = Json::array({Participant(cab::kServiceIdSystem, service),
                                     Participant(cab::kNhsNumberSystem, nhs)});
  if (slot.empty()) {
    Json coding = {{"system", std::string(cab::kReviewReasonSystem)}, {"code", reason}};
    body["reason"] = Json::array({{{"coding", Json::array({coding})}}});
    body["comment"] = "No suitable slot";
  }
  if (!priority.empty()) {
    Json coding = {{"system", std::string(cab::kPrioritySystem)}, {"code", priority}};
    Json ext = {{"url", std::string(cab::kReferralPriorityExtension)},
                {"valueCodeableConcept", {{"coding", Json::array({coding})}}}};
    body["extension"] = Json::array({ext});
  }
  return body.dump();
}

// The engine's slot id for a published FHIR Slot id (the adapter writes '_' as '.').
std::string EngineSlotId(std::string fhir_id) {
  std::replace(fhir_id.begin(), fhir_id.end(), '.', '_');
  return fhir_id;
}

long long Count(const std::string& db, const std::string& sql) {
  storage::OpenOptions ro;
  ro.read_only = true;
  auto conn = storage::Database::Open(db, ro);
  REQUIRE(conn.ok());
  auto n = conn.value()->QueryInt(sql);
  REQUIRE_MESSAGE(n.ok(), n.status().ToString());
  return n->value_or(0);
}

// The letter.requested bodies the print sink received for `nhs` of `kind`.
std::vector<schemas::LetterRequested> Letters(const TempDir& dir, const std::string& nhs,
                                              const std::string& kind) {
  std::vector<schemas::LetterRequested> out;
  storage::OpenOptions ro;
  ro.read_only = true;
  auto db = storage::Database::Open(dir.File("print.db"), ro);
  if (!db.ok()) return out;
  auto st = db.value()->Prepare("SELECT body FROM sunk WHERE type = 'letter.requested'");
  if (!st.ok()) return out;
  while (true) {
    auto row = st->Step();
    if (!row.ok() || !*row) break;
    auto letter = schemas::DecodeLetterRequested(st->ColumnBlob(0));
    if (letter.ok() && letter->nhs_number == nhs && letter->kind == kind) {
      out.push_back(*letter);
    }
  }
  return out;
}

const schemas::EntryBody* FindEntry(const schemas::PatientResult& p, const std::string& id) {
  for (const auto& e : p.entries) {
    if (e.entry_id == id) return &e;
  }
  return nullptr;
}

bool Contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

TEST_CASE("e-RS booking through the cab adapter; the clinic cancelled with approval") {
  TempDir dir;
  CabHub hub(dir);
  const std::string nhs = AdmitPatient(hub, 90001);

  // Drift from the start: the example trust's other clinics are not mapped. hub ctl prints it,
  // and the adapter raised it to the booking team as escalation.raised (reason ERS_DRIFT).
  auto drift = RunCommand(HubBinary(), {"ctl", "cab", "drift", "--config", hub.broker->config(),
                                        "--cab-config", hub.cab_toml, "--endpoint",
                                        hub.broker->endpoint(), "--no-curve"});
  CHECK_MESSAGE(drift.exit_code == 0, drift.output);
  CHECK(drift.output.find("clinic_without_service") != std::string::npos);
  CHECK(drift.output.find("CARD_OSULLIVAN_WED") != std::string::npos);
  CHECK(WaitUntil([&] {
    return Count(dir.File("booking.db"),
                 "SELECT count(*) FROM escalations WHERE reason = 'ERS_DRIFT'") >= 1;
  }, 30s));

  // ---- book through A016; the slot leaves A015 and the appointment letter is requested.
  const std::vector<std::string> offered = hub.Offered();
  REQUIRE(offered.size() >= 3);
  const std::string slot = offered.front();
  const auto free_before = hub.FreeSlots();
  REQUIRE(free_before.count(EngineSlotId(slot)));
  const std::string ubrn = "000000090002";
  ClientResponse booked =
      hub.http->Post("/STU3/Appointment", AppointmentBody(kService, slot, nhs, ubrn));
  REQUIRE_MESSAGE(booked.status == 201, booked.body);
  cab::testing::CheckValidFhir(booked.body);
  const Json appointment = Json::parse(booked.body);
  CHECK(appointment["status"] == "booked");
  CHECK(appointment["slot"][0]["reference"] == "Slot/" + slot);

  CHECK_FALSE(Contains(hub.Offered(), slot));
  CHECK(hub.FreeSlots().count(EngineSlotId(slot)) == 0);
  const schemas::PatientResult after_booking = hub.Patient(nhs);
  const schemas::EntryBody* entry = FindEntry(after_booking, ubrn);
  REQUIRE(entry != nullptr);
  CHECK(entry->status == "BOOKED");
  CHECK(entry->specialty == "CARDIOLOGY");
  const std::string appointment_id = entry->appointment_id;
  REQUIRE_FALSE(appointment_id.empty());

  REQUIRE(WaitUntil([&] { return !Letters(dir, nhs, "APPOINTMENT").empty(); }, 30s));
  bool letter_for_booking = false;
  WaitUntil([&] {
    for (const auto& l : Letters(dir, nhs, "APPOINTMENT")) {
      if (l.appointment && l.appointment->appointment_id == appointment_id &&
          l.appointment->clinic_code == kClinic && l.ubrn == ubrn) {
        letter_for_booking = true;
      }
    }
    return letter_for_booking;
  }, 30s);
  CHECK(letter_for_booking);

  // After a whole reconciliation (hub ctl cab drift --refresh waits for one), the slot stays
  // gone: the engine has it booked.
  drift = RunCommand(HubBinary(), {"ctl", "cab", "drift", "--refresh", "--config",
                                   hub.broker->config(), "--cab-config", hub.cab_toml,
                                   "--endpoint", hub.broker->endpoint(), "--no-curve"});
  CHECK_MESSAGE(drift.exit_code == 0, drift.output);
  CHECK_FALSE(Contains(hub.Offered(), slot));

  // ---- cancel the clinic: inside the notice period, so it waits for approval.
  const booking::Date today = booking::LondonDateAt(SystemClock::Instance().NowMs());
  schemas::TemplateChangeRequest change;
  change.change_id = "end-patel";
  change.clinic_code = kClinic;
  change.kind = "END_CLINIC";
  change.effective_to = booking::FormatIsoDate(booking::AddDays(today, -1));
  change.reason = "CLINIC_CANCELLED";
  change.requested_by = "service manager";
  auto requested = schemas::DecodeBookingResult(
      hub.Call("template.change.request", schemas::EncodeTemplateChangeRequest(change)).body);
  REQUIRE(requested.ok());
  CHECK(requested->pending_approval);
  // Not approved yet: nothing moved.
  CHECK_FALSE(hub.Offered().empty());
  const schemas::PatientResult pending = hub.Patient(nhs);
  REQUIRE(FindEntry(pending, ubrn) != nullptr);
  CHECK(FindEntry(pending, ubrn)->status == "BOOKED");

  schemas::TemplateChangeApprove approve;
  approve.change_id = "end-patel";
  approve.approve = true;
  approve.approved_by = "team leader";
  hub.Call("template.change.approve", schemas::EncodeTemplateChangeApprove(approve));

  // The patient is on the rebooking list (no other general cardiology clinic to move to) and is
  // told of the cancellation; the clinic's slots leave the publication within one cycle.
  const schemas::PatientResult after_cancel = hub.Patient(nhs);
  const schemas::EntryBody* rebooking = FindEntry(after_cancel, ubrn);
  REQUIRE(rebooking != nullptr);
  CHECK(rebooking->status == "REBOOKING");
  CHECK(rebooking->appointment_id.empty());
  CHECK(hub.FreeSlots().empty());
  CHECK(WaitUntil([&] { return hub.Offered().empty() && hub.Offered("URGENT").empty(); }, 30s));
  CHECK(WaitUntil([&] { return !Letters(dir, nhs, "CANCELLATION").empty(); }, 30s));

  // The drift report now names the service left without a clinic.
  drift = RunCommand(HubBinary(), {"ctl", "cab", "drift", "--refresh", "--config",
                                   hub.broker->config(), "--cab-config", hub.cab_toml,
                                   "--endpoint", hub.broker->endpoint(), "--no-curve"});
  CHECK_MESSAGE(drift.exit_code == 0, drift.output);
  CHECK(drift.output.find("service_without_clinic") != std::string::npos);
  CHECK(drift.output.find(std::string("service ") + kService) != std::string::npos);

  // ---- defer to provider (no slots at the service): on the list with its contact-by date.
  const std::string deferred_ubrn = "000000090003";
  ClientResponse deferred = hub.http->Post(
      "/STU3/Appointment",
      AppointmentBody(kService, "", nhs, deferred_ubrn, "ROUTINE", "NO_SLOTS_AT_SERVICE"));
  REQUIRE_MESSAGE(deferred.status == 201, deferred.body);
  cab::testing::CheckValidFhir(deferred.body);
  CHECK(Json::parse(deferred.body)["status"] == "proposed");
  const schemas::PatientResult after_deferral = hub.Patient(nhs);
  const schemas::EntryBody* asi = FindEntry(after_deferral, deferred_ubrn);
  REQUIRE(asi != nullptr);
  CHECK(asi->status == "WAITING");
  // RULES §1.10, §3.1: a routine deferral is to be contacted within 40 days.
  CHECK(asi->contact_by == booking::FormatIsoDate(booking::AddDays(today, 40)));

  CHECK(hub.adapter->Kill(SIGTERM) == 0);
}

TEST_CASE("bad A016 input gets the right status and an OperationOutcome, and changes nothing") {
  TempDir dir;
  CabHub hub(dir);
  const std::string nhs = AdmitPatient(hub, 90011);
  const std::vector<std::string> offered = hub.Offered();
  REQUIRE(offered.size() >= 2);

  // A slot taken by an e-RS booking first.
  const std::string taken = offered.front();
  ClientResponse first =
      hub.http->Post("/STU3/Appointment", AppointmentBody(kService, taken, nhs, "000000090012"));
  REQUIRE_MESSAGE(first.status == 201, first.body);

  // A NEW slot beyond the 14-day URGENT window (offered to ROUTINE, whose window is wider).
  std::string late;
  const std::int64_t urgent_end_ms = SystemClock::Instance().NowMs() + 15LL * 86'400'000;
  {
    ClientResponse r = hub.http->Get(fmt::format(
        "/STU3/Slot?schedule.actor%3AHealthcareService={}&appointmentType=ROUTINE&_count=100"
        "&status=free&page=1",
        kService));
    REQUIRE(r.status == 200);
    const Json bundle = Json::parse(r.body);
    REQUIRE(bundle.contains("entry"));
    for (const Json& e : bundle["entry"]) {
      const Json& s = e["resource"];
      if (s["resourceType"] != "Slot") continue;
      auto start = booking::ParseIsoDate(s["start"].get<std::string>().substr(0, 10), "start");
      REQUIRE(start.ok());
      if (booking::LondonLocalToUtcMs(*start, 0) > urgent_end_ms) {
        late = s["id"];
        break;
      }
    }
  }
  REQUIRE_FALSE(late.empty());

  // A valid NHS number the hub has no record of (A016 carries no demographics).
  const std::string stranger = "9434765919";
  REQUIRE(stranger != nhs);

  const auto free_before = hub.FreeSlots();
  const auto patient_before = hub.Patient(nhs);

  struct Case {
    const char* name;
    std::string body;
    int status;
    std::string code;       // eRS-APIErrorCode-1
    std::string mentions;   // in diagnostics
  };
  const std::string other = offered.at(1);
  const std::vector<Case> cases = {
      {"malformed JSON", "{\"resourceType\": \"Appointment\", \"status\": ", 400, "INVALID_VALUE",
       "JSON"},
      {"not an object", "[1, 2]", 400, "INVALID_VALUE", "object"},
      {"unknown service", AppointmentBody("99999", other, nhs, "000000090013"), 422,
       "REFERENCE_NOT_FOUND", "99999"},
      {"slot already taken", AppointmentBody(kService, taken, nhs, "000000090014"), 409,
       "SLOT_NOT_AVAILABLE", taken},
      {"no such slot", AppointmentBody(kService, "CARD.PATEL.MON-20990105-0930", nhs,
                                       "000000090015"),
       409, "SLOT_NOT_AVAILABLE", "CARD.PATEL.MON-20990105-0930"},
      {"slot outside the booking window",
       AppointmentBody(kService, late, nhs, "000000090016", "URGENT"), 422, "INAPPROPRIATE_SLOT",
       "window"},
      {"patient unknown to the hub", AppointmentBody(kService, other, stranger, "000000090017"),
       422, "INVALID_VALUE", "943 476 5919"},
      {"invalid NHS number", AppointmentBody(kService, other, "9434765918", "000000090018"), 422,
       "INVALID_VALUE", "9434765918"},
      {"priority the service does not take",
       AppointmentBody(kService, other, nhs, "000000090019", "TWO_WEEK_WAIT"), 422,
       "INAPPROPRIATE_VALUE", "TWO_WEEK_WAIT"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    ClientResponse r = hub.http->Post("/STU3/Appointment", c.body);
    CHECK_MESSAGE(r.status == c.status, r.body);
    CHECK(r.Header("content-type") == "application/fhir+json");
    cab::testing::CheckValidFhir(r.body);
    const Json oo = Json::parse(r.body, nullptr, false);
    REQUIRE_FALSE(oo.is_discarded());
    CHECK(oo["resourceType"] == "OperationOutcome");
    REQUIRE(oo["issue"].size() == 1);
    const Json& issue = oo["issue"][0];
    CHECK(issue["severity"] == "error");
    CHECK(issue["details"]["coding"][0]["code"] == c.code);
    CHECK_MESSAGE(issue["diagnostics"].get<std::string>().find(c.mentions) != std::string::npos,
                  issue["diagnostics"]);
  }

  // Nothing changed in the booking engine: the same free slots, the same patient record, and no
  // record of the stranger.
  CHECK(hub.FreeSlots() == free_before);
  CHECK(hub.Patient(nhs) == patient_before);
  auto unknown = hub.client->Call(
      "booking",
      wire::MakeEnvelope("patient.get", "it", 0, schemas::EncodePatientGet({stranger})), 10'000, 2);
  REQUIRE_FALSE(unknown.ok());  // hub.error: the hub has no such patient
  CHECK(unknown.status().code() == StatusCode::kNotFound);
  // The refused slots are still offered.
  CHECK(Contains(hub.Offered(), other));
}

}  // namespace
}  // namespace hub::testing
