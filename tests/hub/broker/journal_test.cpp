// The broker journal: insert and dedupe, replies, dead letters, requeue, purge, ordered loads,
// persistence across reopen, and read-only inspection.
#include "hub/broker/journal.hpp"

#include <doctest/doctest.h>

#include "tests/support/temp_dir.hpp"

namespace hub::broker {
namespace {

std::unique_ptr<Journal> OpenJournal(const testing::TempDir& dir) {
  auto j = Journal::Open(dir.File("broker.db"), storage::Synchronous::kFull);
  REQUIRE_MESSAGE(j.ok(), j.status().ToString());
  return std::move(j).value();
}

TEST_CASE("insert, dedupe, reply and late reply") {
  testing::TempDir dir;
  auto j = OpenJournal(dir);
  REQUIRE(j->BeginRound().ok());
  auto a = j->Insert("A", "booking", "referral.received", "client1", "body-a", 100);
  REQUIRE(a.ok());
  CHECK(a->inserted);
  auto dup = j->Insert("A", "booking", "referral.received", "client2", "body-a", 101);
  REQUIRE(dup.ok());
  CHECK_FALSE(dup->inserted);
  CHECK(dup->seq == a->seq);
  CHECK(dup->existing->state == RequestState::kQueued);
  CHECK(dup->existing->client == "client1");

  auto first = j->MarkReplied(a->seq, "reply-a", 200);
  REQUIRE(first.ok());
  CHECK(*first);
  auto late = j->MarkReplied(a->seq, "reply-again", 201);
  REQUIRE(late.ok());
  CHECK_FALSE(*late);
  REQUIRE(j->CommitRound().ok());
  auto row = j->FindByMsgId("A");
  REQUIRE(row.ok());
  CHECK((*row)->state == RequestState::kReplied);
  CHECK((*row)->reply == "reply-a");
  auto again = j->Insert("A", "booking", "referral.received", "c3", "body-a", 300);
  CHECK(again->existing->reply == "reply-a");
}

TEST_CASE("dead letters can be listed, requeued and purged") {
  testing::TempDir dir;
  auto j = OpenJournal(dir);
  auto a = j->Insert("A", "print", "letter.requested", "c", "a", 10);
  auto b = j->Insert("B", "print", "letter.requested", "c", "b", 11);
  REQUIRE(j->MarkDead(a->seq, 5, "worker died", 20).ok());
  REQUIRE(j->MarkReplied(b->seq, "ok", 21).ok());
  auto dead = j->DeadLetters(10);
  REQUIRE(dead.ok());
  REQUIRE(dead->size() == 1);
  CHECK(dead->at(0).msg_id == "A");
  CHECK(dead->at(0).reason == "worker died");
  CHECK(dead->at(0).attempts == 5);

  auto counts = *j->Counts();
  CHECK(counts["print"].dead == 1);
  CHECK(counts["print"].replied == 1);

  CHECK(j->Requeue("B", 30).status().code() == StatusCode::kNotFound);  // not dead
  auto back = j->Requeue("A", 30);
  REQUIRE(back.ok());
  CHECK(back->state == RequestState::kQueued);
  CHECK(back->attempts == 0);
  CHECK(j->Counts()->at("print").queued == 1);

  REQUIRE(j->MarkDead(a->seq, 1, "again", 40).ok());
  CHECK(*j->Purge(1000, /*include_dead=*/false) == 1);  // only the answered one
  CHECK(*j->Purge(1000, /*include_dead=*/true) == 1);
  CHECK(j->Counts()->empty());
}

TEST_CASE("queued rows load in order, per service, after a cursor") {
  testing::TempDir dir;
  auto j = OpenJournal(dir);
  for (int i = 0; i < 10; ++i) {
    (void)j->Insert("s" + std::to_string(i), i % 2 ? "odd" : "even", "t", "c", std::to_string(i), i);
  }
  auto even = j->LoadQueued("even", 0, 100);
  REQUIRE(even.ok());
  REQUIRE(even->size() == 5);
  for (std::size_t i = 1; i < even->size(); ++i) CHECK(even->at(i - 1).seq < even->at(i).seq);
  auto rest = j->LoadQueued("even", even->at(1).seq, 2);
  REQUIRE(rest->size() == 2);
  CHECK(rest->at(0).body == "4");
  CHECK(rest->at(1).body == "6");
}

TEST_CASE("committed rows survive a reopen; an open round not committed does not") {
  testing::TempDir dir;
  {
    auto j = OpenJournal(dir);
    REQUIRE(j->BeginRound().ok());
    (void)j->Insert("kept", "booking", "t", "c", "x", 1);
    REQUIRE(j->CommitRound().ok());
    REQUIRE(j->BeginRound().ok());
    (void)j->Insert("lost", "booking", "t", "c", "y", 2);
    // destroyed with the round open: like a crash before the commit
  }
  auto j = OpenJournal(dir);
  CHECK(j->FindByMsgId("kept")->has_value());
  CHECK_FALSE(j->FindByMsgId("lost")->has_value());
}

TEST_CASE("worker snapshot and read-only inspection") {
  testing::TempDir dir;
  auto j = OpenJournal(dir);
  REQUIRE(j->WriteWorkerSnapshot({{"booking", "00ab", 64, 3, 500}}, 1000).ok());
  auto ro = Journal::OpenReadOnly(dir.File("broker.db"));
  REQUIRE(ro.ok());
  std::int64_t when = 0;
  auto workers = (*ro)->ReadWorkerSnapshot(&when);
  REQUIRE(workers.ok());
  CHECK(when == 1000);
  REQUIRE(workers->size() == 1);
  CHECK(workers->at(0).credit == 64);
  CHECK_FALSE(Journal::OpenReadOnly(dir.File("nothing.db")).ok());
}

}  // namespace
}  // namespace hub::broker
