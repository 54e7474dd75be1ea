// print.db: the migration, batch assignment oldest first and bounded, status changes with
// their audit trail, status-file and cancel-notice bookkeeping.
#include "adapters/print/letter_store.hpp"

#include <doctest/doctest.h>

#include "tests/support/temp_dir.hpp"

namespace hub::print {
namespace {

struct Fixture {
  hub::testing::TempDir dir;
  std::unique_ptr<storage::Database> db = [this] {
    auto d = storage::Database::Open(dir.File("print.db"));
    REQUIRE(d.ok());
    REQUIRE(storage::Migrate(**d, PrintMigrations()).ok());
    return std::move(d).value();
  }();
  LetterStore store{*db};

  void Insert(const std::string& id, std::int64_t created_ms) {
    LetterRecord r;
    r.letter_id = id;
    r.kind = LetterKind::kAppointment;
    r.nhs_number = "9434765919";
    r.letter_date = "2025-02-03";
    r.request_sha256 = "r";
    r.page_count = 2;
    r.sheet_count = 1;
    r.sha256 = "s";
    r.postage = Postage::kSecond;
    r.created_ms = created_ms;
    REQUIRE(store.Insert(r, "{}", "%PDF-" + id).ok());
  }
};

TEST_CASE("letters are stored with their PDF and found again; ids are unique") {
  Fixture f;
  f.Insert("L-1", 1000);
  auto r = f.store.Find("L-1");
  REQUIRE(r.ok());
  REQUIRE(r->has_value());
  CHECK((*r)->status == LetterStatus::kPending);
  CHECK((*r)->kind == LetterKind::kAppointment);
  CHECK((*r)->page_count == 2);
  CHECK((*r)->batch_id.empty());
  CHECK(*f.store.LoadPdf("L-1") == "%PDF-L-1");
  CHECK(*f.store.LoadRequestJson("L-1") == "{}");
  CHECK_FALSE(f.store.Find("L-2")->has_value());
  CHECK(f.store.LoadPdf("L-2").status().code() == StatusCode::kNotFound);
  LetterRecord dup = **r;
  CHECK(f.store.Insert(dup, "{}", "x").code() == StatusCode::kAlreadyExists);
  CHECK(storage::Migrate(*f.db, PrintMigrations()).ok());  // idempotent
}

TEST_CASE("a batch takes the oldest waiting letters, at most its limit") {
  Fixture f;
  f.Insert("L-c", 3000);
  f.Insert("L-a", 1000);
  f.Insert("L-b", 2000);
  CHECK(*f.store.CountWaiting() == 3);
  CHECK(**f.store.OldestWaitingMs() == 1000);
  REQUIRE(*f.store.CreateBatch("B1", 2, 5000) == 2);
  auto letters = f.store.BatchLetters("B1");
  REQUIRE(letters.ok());
  REQUIRE(letters->size() == 2);
  CHECK((*letters)[0].letter_id == "L-a");
  CHECK((*letters)[1].letter_id == "L-b");
  CHECK(*f.store.CountWaiting() == 1);
  auto batch = f.store.FindBatch("B1");
  REQUIRE(batch->has_value());
  CHECK((*batch)->state == BatchState::kWriting);
  CHECK((*batch)->letter_count == 2);
  REQUIRE(f.store.SetBatchState("B1", BatchState::kReady, 6000).ok());
  CHECK(f.store.BatchesInState(BatchState::kReady)->size() == 1);
  CHECK(f.store.BatchesInState(BatchState::kWriting)->empty());
}

TEST_CASE("status changes are applied and audited in order") {
  Fixture f;
  f.Insert("L-1", 1000);
  REQUIRE(
      f.store
          .ApplyStatus({"L-1", LetterStatus::kPending, LetterStatus::kBatched, 2000, "", "", "hub"},
                       2000)
          .ok());
  REQUIRE(f.store
              .ApplyStatus({"L-1", LetterStatus::kBatched, LetterStatus::kReturned, 3000, "R07",
                            "No such address", "status-1.csv"},
                           3500)
              .ok());
  auto r = f.store.Find("L-1");
  CHECK((*r)->status == LetterStatus::kReturned);
  CHECK((*r)->status_ms == 3000);
  CHECK((*r)->reason_code == "R07");
  auto history = f.store.History("L-1");
  REQUIRE(history->size() == 2);
  CHECK((*history)[1].previous == LetterStatus::kBatched);
  CHECK((*history)[1].source == "status-1.csv");
  CHECK(
      f.store
          .ApplyStatus({"L-9", LetterStatus::kPending, LetterStatus::kBatched, 1, "", "", "hub"}, 1)
          .code() == StatusCode::kNotFound);
}

TEST_CASE("status files and cancel notices are remembered") {
  Fixture f;
  CHECK_FALSE(*f.store.StatusFileApplied("abc"));
  REQUIRE(f.store.RecordStatusFile("abc", "status-1.csv", 4, 1000).ok());
  CHECK(*f.store.StatusFileApplied("abc"));

  REQUIRE(f.store.QueueCancelNotice({"L-1", "B1", 1000}).ok());
  REQUIRE(f.store.QueueCancelNotice({"L-2", "B1", 1001}).ok());
  CHECK(*f.store.AssignCancelNotices("N1") == 2);
  CHECK(*f.store.AssignCancelNotices("N2") == 0);
  CHECK(*f.store.UnwrittenNoticeIds() == std::vector<std::string>{"N1"});
  auto letters = f.store.NoticeLetters("N1");
  REQUIRE(letters->size() == 2);
  CHECK((*letters)[0].letter_id == "L-1");
  CHECK((*letters)[0].batch_id == "B1");
  REQUIRE(f.store.MarkNoticeWritten("N1").ok());
  CHECK(f.store.UnwrittenNoticeIds()->empty());
}

TEST_CASE("ctl listings: newest first, by status, bounded; reprints found by the original") {
  Fixture f;
  CHECK(f.store.RecentLetters(std::nullopt, 10)->empty());
  f.Insert("L-1", 1000);
  f.Insert("L-2", 2000);
  f.Insert("L-3", 3000);
  REQUIRE(f.store
              .ApplyStatus({"L-2", LetterStatus::kPending, LetterStatus::kCancelled, 2500, "",
                            "booked in error", "ctl:clerk"},
                           2500)
              .ok());
  auto all = f.store.RecentLetters(std::nullopt, 10);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].letter_id == "L-3");
  CHECK((*all)[2].letter_id == "L-1");
  CHECK(f.store.RecentLetters(std::nullopt, 2)->size() == 2);
  auto cancelled = f.store.RecentLetters(LetterStatus::kCancelled, 10);
  REQUIRE(cancelled->size() == 1);
  CHECK((*cancelled)[0].letter_id == "L-2");

  REQUIRE(f.store.CreateBatch("B-1", 10, 4000).ok());
  REQUIRE(f.store.CreateBatch("B-2", 10, 5000).ok());
  auto batches = f.store.RecentBatches(10);
  REQUIRE(batches->size() == 2);
  CHECK((*batches)[0].batch_id == "B-2");
  CHECK((*batches)[1].letter_count == 2);

  CHECK(f.store.ReprintsOf("L-1")->empty());
  LetterRecord r = **f.store.Find("L-1");
  r.letter_id = "L-1r";
  r.reprint_of = "L-1";
  REQUIRE(f.store.Insert(r, "{}", "%PDF-").ok());
  CHECK(*f.store.ReprintsOf("L-1") == std::vector<std::string>{"L-1r"});
}

}  // namespace
}  // namespace hub::print
