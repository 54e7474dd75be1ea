// The booking worker's shell without sockets: dedupe, persistence across a restart, audit,
// outbox routing, inbound tasks, config templates and the daily sweep.
#include "hub/booking_worker/booking_service.hpp"

#include <doctest/doctest.h>

#include "hub/booking/clinic_config.hpp"
#include "hub/booking/demo_referrals.hpp"
#include "hub/booking/rules_config.hpp"
#include "hub/wire/envelope.hpp"
#include "schemas/appointment.hpp"
#include "schemas/booking_events.hpp"
#include "schemas/booking_queries.hpp"
#include "schemas/referral.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::booking_worker {
namespace {

// 2026-01-12 09:00 UTC (a Monday, GMT).
constexpr std::int64_t kNow = 1768208400000;

struct Shell {
  explicit Shell(const testing::TempDir& dir, const Clock& clock) {
    store = std::move(BookingStore::Open(dir.File("booking.db"), storage::Synchronous::kNormal).value());
    auto rules = booking::LoadBookingRulesFile(std::string(HUB_SOURCE_DIR) + "/config/booking-rules.toml");
    REQUIRE(rules.ok());
    service = std::make_unique<BookingService>(*store, *rules, clock);
    REQUIRE(service->Start().ok());
  }
  std::unique_ptr<BookingStore> store;
  std::unique_ptr<BookingService> service;
};

std::vector<booking::ClinicTemplate> Clinics() {
  return *booking::LoadClinicDir(std::string(HUB_SOURCE_DIR) + "/config/clinics");
}

adapters::WorkRequest Request(const wire::Envelope& e) { return {"addr", wire::EncodeEnvelope(e)}; }

wire::Envelope Reply(const std::string& bytes) { return *wire::DecodeEnvelope(bytes, 1 << 20); }

long long Count(BookingStore& store, const std::string& sql) { return **store.db().QueryInt(sql); }

TEST_CASE("a referral is applied once, persisted, audited and its letter put in the outbox") {
  testing::TempDir dir;
  ManualClock clock(kNow);
  auto referral = booking::GenerateDemoReferrals(1, 3, booking::LondonDateAt(kNow), Clinics()).at(0);
  auto env = wire::MakeEnvelope("referral.received", "test", kNow, schemas::EncodeReferralReceived(referral));
  std::string first_reply;
  {
    Shell shell(dir, clock);
    REQUIRE(shell.service->LoadTemplates(Clinics()).ok());
    auto replies = shell.service->HandleBatch({Request(env)});
    REQUIRE(replies.ok());
    auto reply = Reply(replies->at(0));
    CHECK(reply.type == "booking.result");
    CHECK(reply.corr == env.id);
    first_reply = replies->at(0);
    // A redelivery: the same reply, nothing applied again.
    auto again = shell.service->HandleBatch({Request(env)});
    REQUIRE(again.ok());
    CHECK(again->at(0) == first_reply);
    CHECK(Count(*shell.store, "SELECT count(*) FROM audit WHERE type = 'referral.received'") == 1);
    CHECK(Count(*shell.store, "SELECT count(*) FROM outbox WHERE service = 'print' AND type = 'letter.requested'") == 1);
    CHECK(Count(*shell.store, "SELECT count(*) FROM records WHERE kind = 'REFERRAL'") == 1);
    // The audit log cannot be rewritten.
    CHECK_FALSE(shell.store->db().Exec("DELETE FROM audit").ok());
  }
  // A restart reloads the same records; the redelivery is still answered from the dedupe record.
  Shell restarted(dir, clock);
  CHECK(restarted.service->engine().state().referrals.size() == 1);
  auto after = restarted.service->HandleBatch({Request(env)});
  REQUIRE(after.ok());
  CHECK(after->at(0) == first_reply);
  auto patient = restarted.service->HandleBatch({Request(wire::MakeEnvelope(
      "patient.get", "test", kNow, schemas::EncodePatientGet({referral.patient.nhs_number})))});
  REQUIRE(patient.ok());
  auto p = schemas::DecodePatientResult(Reply(patient->at(0)).body);
  REQUIRE(p.ok());
  CHECK(p->patient.nhs_number == referral.patient.nhs_number);
}

TEST_CASE("refusals, unknown types and inbound tasks") {
  testing::TempDir dir;
  ManualClock clock(kNow);
  Shell shell(dir, clock);
  REQUIRE(shell.service->LoadTemplates(Clinics()).ok());
  auto referral = booking::GenerateDemoReferrals(1, 4, booking::LondonDateAt(kNow), Clinics()).at(0);
  referral.patient.nhs_number = "9876544321";
  auto bad = wire::MakeEnvelope("referral.received", "test", kNow, schemas::EncodeReferralReceived(referral));
  auto unknown = wire::MakeEnvelope("referral.teleported", "test", kNow, "");
  schemas::TaskCreated task;
  task.task_id = "T-print-1";
  task.kind = "DEMOGRAPHICS_CHECK";
  task.due_date = "2026-01-13";
  task.nhs_number = "9434765919";
  task.reason = "letter returned: R07 No such address";
  task.rule = "RULES §6";
  auto inbound = wire::MakeEnvelope("task.created", "adapter.print", kNow, schemas::EncodeTaskCreated(task));
  auto replies = shell.service->HandleBatch({Request(bad), Request(unknown), Request(inbound), {"a", "garbage"}});
  REQUIRE(replies.ok());
  REQUIRE(replies->size() == 4);
  CHECK(Reply(replies->at(0)).type == "hub.error");
  CHECK(replies->at(0).find("body.patient.nhs_number") != std::string::npos);
  CHECK(Reply(replies->at(1)).type == "hub.error");
  CHECK(Reply(replies->at(2)).type == "booking.result");
  CHECK(Reply(replies->at(3)).type == "hub.error");
  CHECK(Count(*shell.store, "SELECT count(*) FROM records WHERE kind = 'REFERRAL'") == 0);
  CHECK(Count(*shell.store, "SELECT count(*) FROM audit WHERE outcome LIKE 'refused:%'") == 1);
  auto tasks = shell.store->OpenTasks(10);
  REQUIRE(tasks.ok());
  REQUIRE(tasks->size() == 1);
  CHECK(tasks->at(0).task.reason.find("R07") != std::string::npos);
}

TEST_CASE("clinic files apply once; the sweep runs once per London day") {
  testing::TempDir dir;
  ManualClock clock(kNow);
  Shell shell(dir, clock);
  REQUIRE(shell.service->LoadTemplates(Clinics()).ok());
  auto audit = Count(*shell.store, "SELECT count(*) FROM audit");
  CHECK(Count(*shell.store, "SELECT count(*) FROM audit WHERE type = 'template.upsert'") == 20);
  CHECK(Count(*shell.store, "SELECT count(*) FROM audit WHERE type = 'sweep'") <= 1);
  REQUIRE(shell.service->LoadTemplates(Clinics()).ok());
  CHECK(Count(*shell.store, "SELECT count(*) FROM audit") == audit);  // nothing new
  CHECK(Count(*shell.store, "SELECT count(*) FROM outbox WHERE service = 'cab'") >= 1);  // slots published
  clock.Advance(24LL * 3600 * 1000);
  REQUIRE(shell.service->SweepIfDue().ok());
  REQUIRE(shell.service->SweepIfDue().ok());
  CHECK(shell.service->engine().state().last_sweep == booking::LondonDateAt(clock.NowMs()));
}

}  // namespace
}  // namespace hub::booking_worker
