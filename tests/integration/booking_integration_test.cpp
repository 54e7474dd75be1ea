// The booking worker as a real process behind the real broker (issue "booking engine"
// acceptance): a referral in, a booking and a letter request out; bad input of each kind refused
// with the field named and nothing changed; the worker SIGKILLed mid-stream loses nothing and
// applies nothing twice.
#include <signal.h>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <fstream>
#include <map>
#include <set>
#include <thread>

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
#include "schemas/error.hpp"
#include "schemas/letter.hpp"
#include "schemas/referral.hpp"
#include "tests/support/hub_processes.hpp"

namespace hub::testing {
namespace {

using adapters::MdpClient;
using namespace std::chrono_literals;

struct BookingHub {
  explicit BookingHub(const TempDir& dir) : dir_(dir) {
    BrokerSettings s;
    s.services = {"booking", "print", "scan", "cab"};
    s.extra_toml = TestBookingToml();
    broker = std::make_unique<BrokerProcess>(dir, s);
    print = StartTestWorker(dir, broker->endpoint(), dir.File("print.db"), "print.log",
                            {"--service", "print", "--sink", "--credit", "32"});
    cab = StartTestWorker(dir, broker->endpoint(), dir.File("cab.db"), "cab.log",
                          {"--service", "cab", "--sink", "--credit", "32"});
    scan = StartTestWorker(dir, broker->endpoint(), dir.File("scan.db"), "scan.log",
                           {"--service", "scan", "--sink", "--credit", "32"});
    StartWorker();
  }
  void StartWorker() {
    worker = StartBookingWorker(dir_, broker->config(), broker->endpoint(), fmt::format("booking-{}.log", starts_++));
  }
  wire::BrokerConnection Connection() const {
    wire::BrokerConnection c;
    c.endpoint = broker->endpoint();
    return c;
  }
  const TempDir& dir_;
  int starts_ = 0;
  std::unique_ptr<BrokerProcess> broker;
  std::unique_ptr<ChildProcess> print, cab, scan, worker;
};

std::vector<booking::ClinicTemplate> ExampleClinics() {
  auto clinics = booking::LoadClinicDir(std::string(HUB_SOURCE_DIR) + "/config/clinics");
  REQUIRE_MESSAGE(clinics.ok(), clinics.status().ToString());
  return *clinics;
}

std::vector<schemas::ReferralReceived> Referrals(int n, std::uint64_t seed) {
  return booking::GenerateDemoReferrals(n, seed, booking::LondonDateAt(SystemClock::Instance().NowMs()),
                                        ExampleClinics());
}

wire::Envelope Referral(const schemas::ReferralReceived& r) {
  return wire::MakeEnvelope("referral.received", "it", SystemClock::Instance().NowMs(),
                            schemas::EncodeReferralReceived(r));
}

long long Count(const std::string& db, const std::string& sql) {
  storage::OpenOptions ro;
  ro.read_only = true;
  auto conn = storage::Database::Open(db, ro);
  REQUIRE(conn.ok());
  auto n = (*conn)->QueryInt(sql);
  REQUIRE(n.ok());
  return n->value_or(0);
}

TEST_CASE("a referral in; a booking and its appointment letter out") {
  TempDir dir;
  BookingHub hub(dir);
  zmq::context_t ctx;
  MdpClient client(ctx, hub.Connection(), "it");
  auto referral = Referrals(1, 7).at(0);
  auto reply = client.Call("booking", Referral(referral), 10'000, 2);
  REQUIRE_MESSAGE(reply.ok(), reply.status().ToString());
  REQUIRE(reply->type == "booking.result");
  auto result = schemas::DecodeBookingResult(reply->body);
  REQUIRE(result.ok());
  CHECK(result->letters >= 1);
  CHECK_FALSE(result->entry_id.empty());

  // The patient as the read API shows them.
  auto patient = client.Call("booking", wire::MakeEnvelope("patient.get", "it", 0,
                                                           schemas::EncodePatientGet({referral.patient.nhs_number})));
  REQUIRE_MESSAGE(patient.ok(), patient.status().ToString());
  auto p = schemas::DecodePatientResult(patient->body);
  REQUIRE(p.ok());
  CHECK(p->patient.family_name == referral.patient.family_name);
  CHECK(p->entries.size() == 1);

  // The letter request reaches the print service through the outbox.
  CHECK(WaitUntil([&] { return Count(dir.File("print.db"), "SELECT count(*) FROM sunk WHERE type = "
                                                           "'letter.requested'") >= 1; }, 30s));
  storage::OpenOptions ro;
  ro.read_only = true;
  auto db = storage::Database::Open(dir.File("print.db"), ro);
  REQUIRE(db.ok());
  auto st = (*db)->Prepare("SELECT body FROM sunk WHERE type = 'letter.requested'");
  REQUIRE(st.ok());
  REQUIRE(*st->Step());
  auto letter = schemas::DecodeLetterRequested(st->ColumnBlob(0));
  REQUIRE(letter.ok());
  CHECK(letter->nhs_number == referral.patient.nhs_number);
  if (!result->booked.empty()) {
    CHECK(letter->kind == "APPOINTMENT");
    CHECK(letter->appointment.has_value());
  }
  // slots.changed reached the CaB sync service when a slot was taken.
  if (!result->booked.empty()) {
    CHECK(WaitUntil([&] { return Count(dir.File("cab.db"), "SELECT count(*) FROM sunk WHERE type = "
                                                           "'slots.changed'") >= 1; }, 30s));
  }
}

TEST_CASE("bad input of each kind is refused naming the field, and changes nothing") {
  TempDir dir;
  BookingHub hub(dir);
  zmq::context_t ctx;
  MdpClient client(ctx, hub.Connection(), "it");
  auto referrals = Referrals(2, 11);
  auto first = client.Call("booking", Referral(referrals[0]), 10'000, 2);
  REQUIRE_MESSAGE(first.ok(), first.status().ToString());
  auto booked = schemas::DecodeBookingResult(first->body);
  REQUIRE(booked.ok());
  auto before = Count(dir.File("booking.db"), "SELECT count(*) FROM records");

  auto refused = [&](const std::string& type, const std::string& body, StatusCode code,
                     const std::string& field) {
    auto r = client.Call("booking", wire::MakeEnvelope(type, "it", 0, body), 10'000, 2);
    REQUIRE_FALSE(r.ok());
    CHECK_MESSAGE(r.status().code() == code, r.status().ToString());
    CHECK_MESSAGE(r.status().field() == field, r.status().ToString());
    CHECK_FALSE(r.status().message().empty());
  };
  SUBCASE("invalid NHS number") {
    auto r = referrals[1];
    r.patient.nhs_number = "9876544321";  // fails Modulus 11 (RULES §5)
    refused("referral.received", schemas::EncodeReferralReceived(r), StatusCode::kInvalidArgument,
            "body.patient.nhs_number");
    // The refusal itself is audited: who sent what, and why it was refused.
    CHECK(Count(dir.File("booking.db"), "SELECT count(*) FROM audit WHERE outcome LIKE 'refused:%'") == 1);
  }
  SUBCASE("unknown priority") {
    auto r = referrals[1];
    r.priority = "SOONISH";
    refused("referral.received", schemas::EncodeReferralReceived(r), StatusCode::kInvalidArgument,
            "body.priority");
  }
  SUBCASE("unknown clinic") {
    schemas::TemplateChangeRequest c;
    c.change_id = "C1";
    c.clinic_code = "NOPE01";
    c.kind = "CANCEL_SESSION";
    c.session_date = booking::FormatIsoDate(booking::AddDays(booking::LondonDateAt(SystemClock::Instance().NowMs()), 60));
    refused("template.change.request", schemas::EncodeTemplateChangeRequest(c), StatusCode::kNotFound,
            "body.clinic_code");
  }
  SUBCASE("a session date in the past") {
    schemas::TemplateChangeRequest c;
    c.change_id = "C2";
    c.clinic_code = ExampleClinics().at(0).clinic_code;
    c.kind = "CANCEL_SESSION";
    c.session_date = "2020-01-06";
    refused("template.change.request", schemas::EncodeTemplateChangeRequest(c), StatusCode::kInvalidArgument,
            "body.session_date");
  }
  SUBCASE("a slot already taken") {
    REQUIRE_FALSE(booked->booked.empty());
    auto second = client.Call("booking", Referral(referrals[1]), 10'000, 2);
    REQUIRE(second.ok());
    before = Count(dir.File("booking.db"), "SELECT count(*) FROM records");
    // Find the slot the first patient holds and try to give it to the second.
    auto p = client.Call("booking", wire::MakeEnvelope("patient.get", "it", 0,
                                                       schemas::EncodePatientGet({referrals[0].patient.nhs_number})));
    REQUIRE(p.ok());
    auto pr = schemas::DecodePatientResult(p->body);
    REQUIRE(pr.ok());
    REQUIRE_FALSE(pr->appointments.empty());
    auto second_result = schemas::DecodeBookingResult(second->body);
    schemas::AppointmentBook book;
    book.entry_id = second_result->entry_id;
    book.slot_id = pr->appointments[0].slot_id;
    book.short_notice_agreed = true;
    auto r = client.Call("booking", wire::MakeEnvelope("appointment.book", "it", 0, schemas::EncodeAppointmentBook(book)),
                         10'000, 2);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kFailedPrecondition);
    CHECK(r.status().field().rfind("body.", 0) == 0);
  }
  SUBCASE("an unknown message type") {
    refused("referral.teleported", "\x80", StatusCode::kInvalidArgument, "type");
  }
  CHECK(Count(dir.File("booking.db"), "SELECT count(*) FROM records") == before);
}

TEST_CASE("the booking worker SIGKILLed mid-stream loses nothing and applies nothing twice") {
  TempDir dir;
  BookingHub hub(dir);
  zmq::context_t ctx;
  MdpClient client(ctx, hub.Connection(), "it");
  auto referrals = Referrals(300, 99);
  std::map<std::string, std::string> pending;  // envelope id -> bytes
  for (const auto& r : referrals) {
    auto env = Referral(r);
    pending[env.id] = wire::EncodeEnvelope(env);
    REQUIRE(client.Send("booking", pending[env.id]));
  }
  std::map<std::string, wire::Envelope> replies;
  bool killed = false;
  auto deadline = std::chrono::steady_clock::now() + 240s;
  auto next_resend = std::chrono::steady_clock::now() + 15s;
  while (replies.size() < referrals.size() && std::chrono::steady_clock::now() < deadline) {
    for (auto& r : client.Poll(100)) {
      auto env = wire::DecodeEnvelope(r.body, 1 << 20);
      REQUIRE(env.ok());
      if (pending.count(env->corr)) replies.emplace(env->corr, *env);
    }
    if (!killed && replies.size() >= 40) {
      hub.worker->Kill(SIGKILL);  // mid-stream: batches in flight, outbox not yet drained
      killed = true;
      hub.StartWorker();
    }
    if (std::chrono::steady_clock::now() > next_resend) {
      for (const auto& [id, bytes] : pending) {
        if (!replies.count(id)) client.Send("booking", bytes);  // Lazy Pirate: same id
      }
      next_resend = std::chrono::steady_clock::now() + 15s;
    }
  }
  REQUIRE(killed);
  REQUIRE(replies.size() == referrals.size());
  for (const auto& [id, env] : replies) CHECK_MESSAGE(env.type == "booking.result", env.type);
  const std::string db = dir.File("booking.db");
  CHECK(Count(db, "SELECT count(*) FROM records WHERE kind = 'REFERRAL'") == 300);
  // Each message applied once: one audit row per referral message.
  CHECK(Count(db, "SELECT count(*) FROM audit WHERE type = 'referral.received'") == 300);
  CHECK(Count(db, "SELECT count(DISTINCT msg_id) FROM audit WHERE type = 'referral.received'") == 300);
  // Every letter the engine recorded reaches print exactly once.
  long long letters = Count(db, "SELECT count(*) FROM records WHERE kind = 'LETTER'");
  CHECK(letters > 0);
  CHECK(WaitUntil([&] { return Count(dir.File("print.db"), "SELECT count(*) FROM sunk WHERE type = "
                                                           "'letter.requested'") == letters; }, 120s));
  CHECK(Count(dir.File("print.db"), "SELECT count(*) FROM effects WHERE count <> 1") == 0);
  CHECK(WaitUntil([&] { return Count(db, "SELECT count(*) FROM outbox") == 0; }, 60s));
}


// All the letters of `kind` the print service has received (the sink keeps each envelope id once).
std::vector<schemas::LetterRequested> LettersOfKind(const TempDir& dir, const std::string& kind) {
  std::vector<schemas::LetterRequested> out;
  storage::OpenOptions ro;
  ro.read_only = true;
  auto db = storage::Database::Open(dir.File("print.db"), ro);
  REQUIRE(db.ok());
  auto st = (*db)->Prepare("SELECT body FROM sunk WHERE type = 'letter.requested'");
  REQUIRE(st.ok());
  while (true) {
    auto row = st->Step();
    REQUIRE(row.ok());
    if (!*row) break;
    auto letter = schemas::DecodeLetterRequested(st->ColumnBlob(0));
    REQUIRE(letter.ok());
    if (letter->kind == kind) out.push_back(*letter);
  }
  return out;
}

// Issue "partial booking" acceptance: the timers of RULES §2.1 live in booking.db and fire once,
// across SIGKILL and restart of the real worker. `--today` runs the worker process on the day
// each timer is due.
TEST_CASE("partial booking: each timer fires once across SIGKILL and restarts of the worker") {
  TempDir dir;
  BookingHub hub(dir);
  zmq::context_t ctx;
  MdpClient client(ctx, hub.Connection(), "it");
  auto referral = Referrals(1, 11).at(0);
  auto reply = client.Call("booking", Referral(referral), 10'000, 2);
  REQUIRE_MESSAGE(reply.ok(), reply.status().ToString());
  auto result = schemas::DecodeBookingResult(reply->body);
  REQUIRE(result.ok());
  REQUIRE_MESSAGE(result->booked.size() == 1, "the demo referral is booked on intake");
  const std::string appointment_id = result->booked.front();
  REQUIRE(WaitUntil([&] { return !LettersOfKind(dir, "APPOINTMENT").empty(); }, 30s));
  auto appointment = LettersOfKind(dir, "APPOINTMENT").front().appointment;
  REQUIRE(appointment.has_value());
  auto seen_on = booking::ParseIsoDate(appointment->date);
  REQUIRE(seen_on.ok());
  auto day = [&](int offset) { return booking::FormatIsoDate(*seen_on + date::days(offset)); };

  auto restart_on = [&](const std::string& today, int signal) {
    hub.worker->Kill(signal);
    hub.worker->Wait(10s);
    hub.worker = StartBookingWorker(dir, hub.broker->config(), hub.broker->endpoint(),
                                    fmt::format("booking-{}-{}.log", today, hub.starts_++),
                                    {"--today", today});
  };

  // Seen on the appointment day; follow-up due in 12 weeks: beyond 6 weeks, so partial booking.
  restart_on(day(0), SIGTERM);
  schemas::AttendanceRecorded seen;
  seen.appointment_id = appointment_id;
  seen.attendance = "ATTENDED";
  seen.rtt_status = 20;  // subsequent activity: the clock keeps ticking (RULES §1.8)
  seen.recorded_by = "it";
  seen.follow_up_due_date = day(84);
  seen.follow_up_lcad = day(98);
  auto attended = client.Call("booking", wire::MakeEnvelope("attendance.recorded", "it", 0,
                                                            schemas::EncodeAttendanceRecorded(seen)),
                              10'000, 2);
  REQUIRE_MESSAGE(attended.ok(), attended.status().ToString());
  REQUIRE_MESSAGE(attended->type == "booking.result", attended->type);
  auto follow_up = schemas::DecodeBookingResult(attended->body);
  REQUIRE(follow_up.ok());
  CHECK_FALSE(follow_up->follow_up_entry_id.empty());
  std::this_thread::sleep_for(1s);
  CHECK(LettersOfKind(dir, "PARTIAL_BOOKING_INVITATION").empty());

  // The invitation is due at due - 42 = day 42: the worker's start-up sweep sends it.
  restart_on(day(42), SIGKILL);
  REQUIRE(WaitUntil([&] { return LettersOfKind(dir, "PARTIAL_BOOKING_INVITATION").size() == 1; }, 30s));
  auto invitation = LettersOfKind(dir, "PARTIAL_BOOKING_INVITATION").front();
  CHECK(invitation.nhs_number == referral.patient.nhs_number);

  // SIGKILL and restart on the same day, twice: the invitation timer is spent, nothing again.
  restart_on(day(42), SIGKILL);
  restart_on(day(43), SIGKILL);
  std::this_thread::sleep_for(2s);
  CHECK(WaitUntil([&] { return Count(dir.File("booking.db"), "SELECT count(*) FROM outbox") == 0; }, 30s));
  CHECK(LettersOfKind(dir, "PARTIAL_BOOKING_INVITATION").size() == 1);
  CHECK(LettersOfKind(dir, "PARTIAL_BOOKING_REMINDER").empty());

  // No reply: the reminder at invitation + 14 days, once, however often the worker restarts.
  restart_on(day(56), SIGKILL);
  REQUIRE(WaitUntil([&] { return LettersOfKind(dir, "PARTIAL_BOOKING_REMINDER").size() == 1; }, 30s));
  restart_on(day(56), SIGKILL);
  std::this_thread::sleep_for(2s);
  CHECK(WaitUntil([&] { return Count(dir.File("booking.db"), "SELECT count(*) FROM outbox") == 0; }, 30s));
  CHECK(LettersOfKind(dir, "PARTIAL_BOOKING_REMINDER").size() == 1);
  CHECK(LettersOfKind(dir, "PARTIAL_BOOKING_INVITATION").size() == 1);

  // The team's views of the same booking.db, read-only while the worker runs (`hub ctl`).
  const std::string config = hub.broker->config();
  auto pb = RunCommand(HubBinary(), {"ctl", "pb", "list", "--config", config});
  CHECK_MESSAGE(pb.exit_code == 0, pb.output);
  CHECK_MESSAGE(pb.output.find(follow_up->follow_up_entry_id) != std::string::npos, pb.output);
  CHECK_MESSAGE(pb.output.find("1 item(s)") != std::string::npos, pb.output);
  const std::string csv = dir.File("ptl.csv");
  auto ptl = RunCommand(HubBinary(), {"ctl", "ptl", "--config", config, "--census", day(56),
                                      "--format", "csv", "--out", csv});
  CHECK_MESSAGE(ptl.exit_code == 0, ptl.output);
  std::ifstream in(csv);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find(referral.patient.nhs_number) != std::string::npos);
  auto capacity = RunCommand(HubBinary(), {"ctl", "capacity", "--config", config});
  CHECK_MESSAGE(capacity.exit_code == 0, capacity.output);
  CHECK_MESSAGE(capacity.output.find("Sessions") != std::string::npos, capacity.output);
  auto bad = RunCommand(HubBinary(), {"ctl", "ptl", "--config", config, "--census", "someday"});
  CHECK(bad.exit_code != 0);
  CHECK_MESSAGE(bad.output.find("--census") != std::string::npos, bad.output);
}

}  // namespace
}  // namespace hub::testing
