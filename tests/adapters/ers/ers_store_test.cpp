// ers.db: forwarding, duplicates across feeds, modifications, cancels, booking's answers, the
// inbound log, and the e-RS cursor (items, polls, code systems) across a reopen.
#include "adapters/ers/ers_store.hpp"

#include <doctest/doctest.h>

#include "adapters/common/outbox.hpp"
#include "schemas/error.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::ers {
namespace {

Date D(const char* iso) { return *booking::ParseIsoDate(iso); }

ReferralInput Input(const std::string& ubrn, ReferralPriority p = ReferralPriority::kRoutine) {
  ReferralInput in;
  in.source = ReferralSource::kHl7;
  in.ubrn = ubrn;
  in.nhs_number = "9434765919";
  in.priority = p;
  in.family_name = "SMITH";
  return in;
}

std::unique_ptr<ErsStore> Open(const hub::testing::TempDir& dir) {
  auto s = ErsStore::Open(dir.File("ers.db"), storage::Synchronous::kNormal);
  REQUIRE(s.ok());
  return std::move(*s);
}

IntakeResult Take(ErsStore& store, const std::string& feed, const ReferralInput& in,
                  std::int64_t now = 1000) {
  storage::Transaction txn(store.db());
  REQUIRE(txn.status().ok());
  auto r = store.Intake({feed, "test", in.ubrn}, in, {}, D("2024-01-02"), now);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  REQUIRE(txn.Commit().ok());
  return *r;
}

std::int64_t Count(ErsStore& store, const std::string& sql) {
  auto v = store.db().QueryInt(sql);
  REQUIRE(v.ok());
  return v->value_or(0);
}

TEST_CASE("a new referral is forwarded: outbox, index and inbound log in one transaction") {
  hub::testing::TempDir dir;
  auto store = Open(dir);
  auto r = Take(*store, "mllp", Input("000000070000"));
  CHECK(r.disposition == Disposition::kForwarded);
  CHECK(Count(*store,
              "SELECT count(*) FROM outbox WHERE service = 'booking' AND "
              "type = 'referral.received'") == 1);
  CHECK(Count(*store, "SELECT count(*) FROM inbound WHERE disposition = 'forwarded'") == 1);
  auto rec = store->FindReferral("ubrn:000000070000");
  REQUIRE(rec.ok());
  REQUIRE(rec->has_value());
  CHECK((*rec)->state == "pending");
  CHECK((*rec)->msg_id == r.msg_id);
}

TEST_CASE("a rolled-back intake leaves nothing behind") {
  hub::testing::TempDir dir;
  auto store = Open(dir);
  {
    storage::Transaction txn(store->db());
    auto r = store->Intake({"mllp", "t", "1"}, Input("000000070000"), {}, D("2024-01-02"), 1);
    REQUIRE(r.ok());
  }
  CHECK(Count(*store, "SELECT count(*) FROM outbox") == 0);
  CHECK(Count(*store, "SELECT count(*) FROM referrals") == 0);
}

TEST_CASE("duplicates: another feed's copy, or the same content again") {
  hub::testing::TempDir dir;
  auto store = Open(dir);
  auto first = Take(*store, "ers", Input("000000070000"));
  auto other_feed = Take(*store, "mllp", Input("000000070000", ReferralPriority::kUrgent));
  CHECK(other_feed.disposition == Disposition::kDuplicate);
  CHECK(other_feed.msg_id == first.msg_id);
  auto same = Take(*store, "ers", Input("000000070000"));
  CHECK(same.disposition == Disposition::kDuplicate);
  auto changed = Take(*store, "ers", Input("000000070000", ReferralPriority::kUrgent));
  CHECK(changed.disposition == Disposition::kModification);
  CHECK(Count(*store, "SELECT count(*) FROM outbox") == 1);
  auto rec = store->FindReferral("ubrn:000000070000");
  REQUIRE(rec.ok());
  CHECK((*rec)->copies == 4);
  CHECK(Count(*store, "SELECT count(*) FROM inbound") == 4);
}

TEST_CASE("a cancellation is never forwarded; it is noted on the referral") {
  hub::testing::TempDir dir;
  auto store = Open(dir);
  Take(*store, "mllp", Input("000000070000"));
  ReferralInput cancel = Input("000000070000");
  cancel.event = ReferralEventKind::kCancel;
  auto r = Take(*store, "mllp", cancel);
  CHECK(r.disposition == Disposition::kCancel);
  CHECK(Count(*store, "SELECT count(*) FROM outbox") == 1);
  auto rec = store->FindReferral("ubrn:000000070000");
  CHECK((*rec)->cancel_requested);
  ReferralInput unknown = Input("000000079999");
  unknown.event = ReferralEventKind::kCancel;
  CHECK(Take(*store, "mllp", unknown).disposition == Disposition::kCancel);
  CHECK(Count(*store, "SELECT count(*) FROM referrals") == 1);
}

TEST_CASE("booking's answer is recorded; a refused referral is forwarded again when resent") {
  hub::testing::TempDir dir;
  auto store = Open(dir);
  auto first = Take(*store, "ers", Input("000000070000"));
  wire::Envelope sent;
  sent.id = first.msg_id;
  sent.type = std::string(schemas::kReferralReceivedType);
  auto refusal = schemas::MakeErrorEnvelope(
      Status::InvalidArgument("is required and must not be blank", "patient.given_name"), sent.id,
      "booking", 5);
  REQUIRE(store->RecordReply(sent, refusal, 5).ok());
  auto rec = store->FindReferral("ubrn:000000070000");
  CHECK((*rec)->state == "refused");
  CHECK((*rec)->reason.find("patient.given_name") != std::string::npos);

  auto again = Take(*store, "mllp", Input("000000070000"));
  CHECK(again.disposition == Disposition::kForwarded);
  CHECK(again.msg_id != first.msg_id);
  wire::Envelope ok_reply;
  ok_reply.type = "booking.result";
  sent.id = again.msg_id;
  REQUIRE(store->RecordReply(sent, ok_reply, 6).ok());
  CHECK((*store->FindReferral("ubrn:000000070000"))->state == "accepted");
}

TEST_CASE("refused inputs are logged with an excerpt, and the log is purged by age") {
  hub::testing::TempDir dir;
  auto store = Open(dir);
  REQUIRE(store->LogRefused({"mllp", "peer", "X"}, "AE 102", std::string(10'000, 'x'), 10).ok());
  CHECK(Count(*store, "SELECT length(excerpt) FROM inbound") == 4096);
  auto purged = store->PurgeInbound(11);
  REQUIRE(purged.ok());
  CHECK(*purged == 1);
}

TEST_CASE("e-RS cursor: items, versions, retries and polls survive a reopen") {
  hub::testing::TempDir dir;
  WorklistItem item;
  item.ubrn = "000000070000";
  item.priority = ReferralPriority::kUrgent;
  item.nhs_number = "9434765919";
  item.ubrn_received_date = D("2024-01-02");
  item.referral_request_version = 3;
  {
    auto store = Open(dir);
    REQUIRE(store->UpsertItem("APPOINTMENT_SLOT_ISSUES", "SVC1", item, 100).ok());
    auto due = store->DueItems(100, 10);
    REQUIRE(due.ok());
    REQUIRE(due->size() == 1);
    CHECK((*due)[0].item.priority == ReferralPriority::kUrgent);
    CHECK((*due)[0].item.ubrn_received_date == D("2024-01-02"));
    CHECK((*due)[0].item.referral_request_version == 3);
    REQUIRE(store->MarkItemRetry((*due)[0], "HTTP 503", 500, 100).ok());
    CHECK(store->DueItems(499, 10)->empty());
    CHECK(store->DueItems(500, 10)->size() == 1);
    REQUIRE(store->MarkItemDone((*due)[0], "MSG1", "W/\"3\"", 600).ok());
    REQUIRE(store->RecordPoll("SVC1", "APPOINTMENT_SLOT_ISSUES", 600).ok());
    REQUIRE(store->SaveCodeSystem("PRIORITY", "{}", 600).ok());
  }
  auto store = Open(dir);
  CHECK(store->DueItems(10'000, 10)->empty());
  CHECK(*store->ReferralVersion("000000070000") == "W/\"3\"");
  CHECK(store->LastPoll("SVC1", "APPOINTMENT_SLOT_ISSUES")->value_or(0) == 600);
  CHECK_FALSE(store->LastPoll("SVC1", "REFERRALS_FOR_REVIEW")->has_value());
  CHECK(store->LoadCodeSystem("PRIORITY")->value_or("") == "{}");
  // Seen again unchanged: stays done. A new referralRequestVersion: due again.
  REQUIRE(store->UpsertItem("APPOINTMENT_SLOT_ISSUES", "SVC1", item, 700).ok());
  CHECK(store->DueItems(10'000, 10)->empty());
  item.referral_request_version = 4;
  REQUIRE(store->UpsertItem("APPOINTMENT_SLOT_ISSUES", "SVC1", item, 800).ok());
  CHECK(store->DueItems(10'000, 10)->size() == 1);
  auto found = store->FindItem("APPOINTMENT_SLOT_ISSUES", "SVC1", "000000070000");
  REQUIRE(found.ok());
  REQUIRE(found->has_value());
  REQUIRE(store->MarkItemFailed(**found, "HTTP 404 REFERRAL_NOT_FOUND", 900).ok());
  found = store->FindItem("APPOINTMENT_SLOT_ISSUES", "SVC1", "000000070000");
  CHECK((*found)->state == "failed");
  CHECK(store->DueItems(10'000, 10)->empty());
}

}  // namespace
}  // namespace hub::ers
