// The booking worker's shell without sockets: dedupe, persistence across a restart, audit,
// outbox routing, inbound tasks, scanned documents, config templates and the daily sweep.
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
#include "schemas/scan.hpp"
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

TEST_CASE("document.scanned is attached to its referral once; another patient's or an unknown referral is refused") {
  testing::TempDir dir;
  ManualClock clock(kNow);
  Shell shell(dir, clock);
  REQUIRE(shell.service->LoadTemplates(Clinics()).ok());
  auto referral = booking::GenerateDemoReferrals(1, 5, booking::LondonDateAt(kNow), Clinics()).at(0);
  auto applied = shell.service->HandleBatch({Request(wire::MakeEnvelope(
      "referral.received", "test", kNow, schemas::EncodeReferralReceived(referral)))});
  REQUIRE(applied.ok());
  REQUIRE(shell.service->engine().state().referrals.size() == 1);
  const auto& [referral_id, stored] = *shell.service->engine().state().referrals.begin();

  schemas::DocumentScanned doc;
  doc.document_id = "BUREAU-1-0001";
  doc.coversheet_id = "CVS-1";
  doc.referral_id = referral_id;
  doc.nhs_number = stored.patient.nhs_number;
  doc.document_type = "REFERRAL";
  doc.scan_date = "2026-01-12";
  doc.page_count = 2;
  doc.sha256 = std::string(64, 'a');
  doc.location = "scan/documents/BUREAU-1/0001-a.pdf";
  doc.batch_id = "BUREAU-1";
  auto good = wire::MakeEnvelope("document.scanned", "adapter.scan", kNow, schemas::EncodeDocumentScanned(doc));
  schemas::DocumentScanned other_patient = doc;
  other_patient.document_id = "BUREAU-1-0002";
  other_patient.nhs_number = stored.patient.nhs_number == "9434765919" ? "9000000009" : "9434765919";
  schemas::DocumentScanned unknown = doc;
  unknown.document_id = "BUREAU-1-0003";
  unknown.referral_id = "NO-SUCH-REFERRAL";
  auto replies = shell.service->HandleBatch(
      {Request(good),
       Request(wire::MakeEnvelope("document.scanned", "adapter.scan", kNow, schemas::EncodeDocumentScanned(other_patient))),
       Request(wire::MakeEnvelope("document.scanned", "adapter.scan", kNow, schemas::EncodeDocumentScanned(unknown)))});
  REQUIRE(replies.ok());
  REQUIRE(replies->size() == 3);
  CHECK(Reply(replies->at(0)).type == "booking.result");
  CHECK(Reply(replies->at(1)).type == "hub.error");
  CHECK(replies->at(1).find("body.nhs_number") != std::string::npos);
  CHECK(Reply(replies->at(2)).type == "hub.error");
  CHECK(replies->at(2).find("body.referral_id") != std::string::npos);
  // A redelivery is answered from the dedupe record: attached once.
  auto again = shell.service->HandleBatch({Request(good)});
  REQUIRE(again.ok());
  CHECK(again->at(0) == replies->at(0));
  CHECK(Count(*shell.store, "SELECT count(*) FROM documents") == 1);
  CHECK(Count(*shell.store, "SELECT count(*) FROM documents WHERE document_id = 'BUREAU-1-0001' AND referral_id = '" +
                                referral_id + "'") == 1);
  CHECK(Count(*shell.store, "SELECT count(*) FROM audit WHERE type = 'document.scanned'") == 3);
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
