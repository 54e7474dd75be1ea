// `hub ctl print` on a print.db the adapter also has open: listing and showing letters and
// batches, cancel (with a reason) and reprint queue letter.status for the booking service under
// the id it asked for, and leave the files to the adapter (RULES §6).
#include "adapters/print/print_ctl.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include "adapters/print/print_adapter.hpp"
#include "adapters/print/print_db.hpp"
#include "adapters/print/status_file.hpp"
#include "tests/adapters/print/print_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::print {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kStartMs = 1738573200000;  // 2025-02-03T09:00:00Z

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

struct Fixture {
  hub::testing::TempDir dir;
  PrintConfig config = [this] {
    PrintConfig c = testing::TestConfig(dir.path());
    c.batch.max_letters = 2;
    return c;
  }();
  TemplateSet templates = [this] {
    auto t = TemplateSet::Load(config.templates_dir);
    REQUIRE(t.ok());
    return std::move(t).value();
  }();
  ManualClock clock{kStartMs};
  std::unique_ptr<storage::Database> db = [this] {
    auto d = OpenPrintDb(config.folders.database, true);
    REQUIRE(d.ok());
    return std::move(d).value();
  }();
  PrintAdapter adapter{*db, config, templates, clock};
  std::unique_ptr<PrintCtl> ctl;

  Fixture() {
    REQUIRE(adapter.Start().ok());
    auto c = PrintCtl::Open(config, clock);
    REQUIRE_MESSAGE(c.ok(), c.status().ToString());
    ctl = std::move(c).value();
  }

  void Request(const std::string& kind, const std::string& id) {
    auto replies = adapter.HandleBatch({wire::EncodeEnvelope(
        wire::MakeEnvelope("letter.requested", "booking", kStartMs,
                           schemas::EncodeLetterRequested(testing::SampleWireLetter(kind, id))))});
    REQUIRE(replies.ok());
    REQUIRE(Contains((*replies)[0], "letter.accepted"));
  }

  // letter.status messages queued for the booking service, as "<letter_id> <STATUS> <reason>".
  std::vector<std::string> Sent() {
    auto st = db->Prepare("SELECT envelope FROM outbox ORDER BY created_ms, rowid");
    REQUIRE(st.ok());
    std::vector<std::string> out;
    while (*st->Step()) {
      auto env = wire::DecodeEnvelope(st->ColumnBlob(0), kMaxRequestBytes);
      REQUIRE(env.ok());
      auto body = schemas::DecodeLetterStatus(env->body);
      REQUIRE(body.ok());
      out.push_back(body->letter_id + " " + body->status + " " + body->reason);
    }
    return out;
  }

  int Notices() {
    int n = 0;
    for (const auto& e : fs::directory_iterator(config.folders.outbox)) {
      n += e.path().filename().string().rfind("cancellations-", 0) == 0;
    }
    return n;
  }
};

TEST_CASE("print.db must exist: ctl never creates it") {
  hub::testing::TempDir dir;
  PrintConfig config = testing::TestConfig(dir.path());
  ManualClock clock{kStartMs};
  auto ctl = PrintCtl::Open(config, clock);
  CHECK(ctl.status().code() == StatusCode::kNotFound);
  CHECK(Contains(ctl.status().message(), "hub adapter print"));
  CHECK_FALSE(fs::exists(config.folders.database));
}

TEST_CASE("letters, show and batches describe what the adapter did") {
  Fixture f;
  CHECK(*f.ctl->ListLetters(std::nullopt, 10) == "no letters\n");
  CHECK(*f.ctl->ListBatches(10) == "no batches\n");
  f.Request("APPOINTMENT", "L-1");
  f.clock.Advance(1000);
  f.Request("CANCELLATION", "L-2");
  REQUIRE(f.adapter.CutIfDue().ok());
  f.clock.Advance(1000);
  f.Request("ACKNOWLEDGEMENT", "L-3");

  auto all = f.ctl->ListLetters(std::nullopt, 10);
  REQUIRE(all.ok());
  CHECK(Contains(*all, "LETTER"));
  CHECK(all->find("L-3") < all->find("L-2"));  // newest first
  CHECK(Contains(*all, "cancellation_by_hospital"));
  auto pending = f.ctl->ListLetters(LetterStatus::kPending, 10);
  REQUIRE(pending.ok());
  CHECK(Contains(*pending, "L-3"));
  CHECK_FALSE(Contains(*pending, "L-1"));
  CHECK(Contains(*f.ctl->ListLetters(std::nullopt, 1), "L-3"));
  CHECK_FALSE(Contains(*f.ctl->ListLetters(std::nullopt, 1), "L-2"));

  auto batches = f.ctl->ListBatches(10);
  REQUIRE(batches.ok());
  CHECK(Contains(*batches, "DELIVERED"));
  CHECK(Contains(*batches, f.config.folders.outbox));

  auto show = f.ctl->ShowLetter("L-1");
  REQUIRE(show.ok());
  CHECK(Contains(*show, "appointment"));
  CHECK(Contains(*show, "943 476 5919"));
  CHECK(Contains(*show, "BATCHED since"));
  CHECK(Contains(*show, "PENDING    -> BATCHED"));
  CHECK(Contains(*show, "can be cancelled or reprinted"));
  CHECK(f.ctl->ShowLetter("L-404").status().code() == StatusCode::kNotFound);

  CHECK(ParseLetterStatusArg("returned").value() == LetterStatus::kReturned);
  auto bad = ParseLetterStatusArg("LOST");
  CHECK(Contains(bad.status().message(), "PENDING, BATCHED"));
}

TEST_CASE("cancel: needs a reason, tells the booking service, the adapter writes the notice") {
  Fixture f;
  f.Request("APPOINTMENT", "L-1");
  f.Request("APPOINTMENT", "L-2");
  REQUIRE(f.adapter.CutIfDue().ok());
  f.Request("APPOINTMENT", "L-3");
  CHECK(f.Sent().size() == 3);

  CHECK(f.ctl->Cancel("L-1", "clerk", " ").status().code() == StatusCode::kInvalidArgument);
  auto out = f.ctl->Cancel("L-1", "clerk", "patient moved away");
  REQUIRE_MESSAGE(out.ok(), out.status().ToString());
  CHECK(Contains(*out, "cancelled (was BATCHED)"));
  CHECK(Contains(*out, "cancellation notice"));
  CHECK(f.Sent().back() == "L-1 CANCELLED patient moved away");
  CHECK(f.Notices() == 0);
  REQUIRE(f.adapter.Poll().ok());  // the adapter's timer writes it
  CHECK(f.Notices() == 1);

  auto waiting = f.ctl->Cancel("L-3", "clerk", "booked in error");
  REQUIRE(waiting.ok());
  CHECK(Contains(*waiting, "had not gone to the vendor"));
  CHECK(Contains(*f.ctl->Cancel("L-3", "clerk", "again"), "already cancelled"));
  CHECK(f.Sent().size() == 5);
  auto show = f.ctl->ShowLetter("L-1");
  CHECK(Contains(*show, "ctl:clerk: patient moved away"));
}

TEST_CASE("reprint: the booking service keeps hearing about the letter it asked for") {
  Fixture f;
  f.Request("APPOINTMENT", "L-1");
  f.Request("APPOINTMENT", "L-2");
  REQUIRE(f.adapter.CutIfDue().ok());
  f.clock.Advance(60'000);

  auto out = f.ctl->Reprint("L-1", "clerk");
  REQUIRE_MESSAGE(out.ok(), out.status().ToString());
  CHECK(Contains(*out, "reprinted as"));
  CHECK(Contains(*out, "cancellation notice"));
  auto reprints = f.adapter.spooler().store().ReprintsOf("L-1");
  REQUIRE(reprints->size() == 1);
  const std::string new_id = (*reprints)[0];
  // PENDING again under the booking engine's id; the old copy's cancellation is not reported.
  auto sent = f.Sent();
  REQUIRE(sent.size() == 3);
  CHECK(sent[2] == "L-1 PENDING reprint of L-1");
  auto twice = f.ctl->Reprint("L-1", "clerk");
  CHECK(twice.status().code() == StatusCode::kFailedPrecondition);
  CHECK(Contains(twice.status().message(), "already reprinted"));

  // The reprint goes out in the next batch; its statuses reach booking as L-1's.
  f.Request("APPOINTMENT", "L-3");
  REQUIRE(f.adapter.CutIfDue().ok());
  REQUIRE(f.adapter.Poll().ok());
  CHECK(f.Notices() == 1);
  testing::WriteFile(f.config.folders.inbox + "/status-001.csv",
                     std::string(kStatusFileHeader) + "\n" + new_id +
                         ",RETURNED,2025-02-10T08:12:00Z,R07,No such address\n");
  REQUIRE(f.adapter.Poll().ok());
  CHECK(f.Sent().back() == "L-1 RETURNED R07 No such address");
  CHECK(Contains(*f.ctl->ShowLetter("L-1"), "reprinted as  " + new_id));
  auto show_new = f.ctl->ShowLetter(new_id);
  CHECK(Contains(*show_new, "reprint of    L-1"));
  CHECK(Contains(*show_new, "demographics-check"));
}

}  // namespace
}  // namespace hub::print
