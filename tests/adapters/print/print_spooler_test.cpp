// The spooler end to end on real folders and a real print.db: batches every N letters or T
// minutes with manifests matching the PDFs; bad input refused with nothing written; status
// files applied or sent to error/ with a reason; cancel and reprint; and the process killed
// with SIGKILL at every step of publishing a batch, after which every letter is in exactly one
// complete batch.
#include "adapters/print/print_spooler.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/common/durable_file.hpp"
#include "adapters/print/manifest.hpp"
#include "adapters/print/status_file.hpp"
#include "tests/adapters/print/print_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::print {
namespace {

namespace fs = std::filesystem;
using adapters::MakeDirectories;
using adapters::RemoveAll;
using adapters::SameFilesystem;

constexpr std::int64_t kStartMs = 1738573200000;  // 2025-02-03T09:00:00Z
constexpr std::int64_t kMinute = 60'000;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A data_dir with print.db and var/print folders; the spooler can be closed and reopened, as a
// restarted process would.
struct Fixture {
  hub::testing::TempDir dir;
  PrintConfig config = [this] {
    PrintConfig c = testing::TestConfig(dir.path());
    c.batch.max_letters = 3;
    c.batch.max_age_minutes = 60;
    return c;
  }();
  TemplateSet templates = [this] {
    auto t = TemplateSet::Load(config.templates_dir);
    REQUIRE(t.ok());
    return std::move(t).value();
  }();
  ManualClock clock{kStartMs};
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<PrintSpooler> spooler;

  Fixture() { Open(); }

  void Open() {
    auto d = storage::Database::Open(config.folders.database);
    REQUIRE_MESSAGE(d.ok(), d.status().ToString());
    db = std::move(d).value();
    REQUIRE(storage::Migrate(*db, PrintMigrations()).ok());
    spooler = std::make_unique<PrintSpooler>(*db, config, templates, clock);
    Status recovered = spooler->Recover();
    REQUIRE_MESSAGE(recovered.ok(), recovered.ToString());
  }
  void Close() {
    spooler.reset();
    db.reset();
  }

  std::string AcceptSample(LetterKind kind, const std::string& id) {
    auto r = spooler->Accept(testing::SampleRequest(kind, id));
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    CHECK_FALSE(r->duplicate);
    return r->record.letter_id;
  }

  LetterRecord Find(const std::string& id) {
    auto r = spooler->store().Find(id);
    REQUIRE(r.ok());
    REQUIRE(r->has_value());
    return **r;
  }

  std::string Inbox(const std::string& name) const { return config.folders.inbox + "/" + name; }
  void DropStatusFile(const std::string& name, const std::string& rows) {
    testing::WriteFile(Inbox(name), std::string(kStatusFileHeader) + "\n" + rows);
  }
};

std::vector<std::string> Entries(const std::string& dir) {
  auto names = adapters::ListDirectory(dir);
  REQUIRE(names.ok());
  return *names;
}

std::vector<std::string> BatchFolders(const std::string& outbox) {
  std::vector<std::string> out;
  for (const auto& name : Entries(outbox)) {
    if (fs::is_directory(outbox + "/" + name)) out.push_back(name);
  }
  return out;
}

// Checks one batch folder is complete and self-consistent; returns its letter ids.
std::vector<std::string> CheckBatchFolder(const std::string& folder, const std::string& batch_id) {
  CAPTURE(folder);
  auto json = nlohmann::json::parse(testing::ReadFile(folder + "/manifest.json"));
  CHECK(json["batch_id"] == batch_id);
  std::string csv = testing::ReadFile(folder + "/manifest.csv");
  std::set<std::string> expected_files = {"manifest.csv", "manifest.json"};
  std::vector<std::string> ids;
  for (const auto& l : json["letters"]) {
    std::string file = l["file"];
    expected_files.insert(file);
    std::string pdf = testing::ReadFile(folder + "/" + file);
    REQUIRE_FALSE(pdf.empty());
    CHECK(Sha256Hex(pdf) == l["sha256"]);
    CHECK(Contains(csv, fmt::format("{},{},{},", batch_id, std::string(l["letter_id"]), file)));
    CHECK(Contains(csv, std::string(l["sha256"])));
    ids.push_back(l["letter_id"]);
  }
  CHECK(json["letter_count"] == ids.size());
  auto entries = Entries(folder);
  CHECK(std::set<std::string>(entries.begin(), entries.end()) == expected_files);
  return ids;
}

TEST_CASE("letters are batched every N letters, and the rest after T minutes") {
  Fixture f;
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    LetterKind kind = AllLetterKinds()[static_cast<std::size_t>(i) % AllLetterKinds().size()];
    ids.push_back(f.AcceptSample(kind, fmt::format("L-{}", i)));
    f.clock.Advance(1000);
  }
  CHECK(f.Find("L-0").status == LetterStatus::kPending);
  CHECK(*f.spooler->NextDueMs() == f.clock.NowMs());  // a full batch waits

  auto batches = f.spooler->CutDueBatches();
  REQUIRE_MESSAGE(batches.ok(), batches.status().ToString());
  REQUIRE(batches->size() == 2);
  CHECK((*batches)[0].letter_count == 3);
  CHECK((*batches)[1].letter_count == 3);
  CHECK(BatchFolders(f.config.folders.outbox).size() == 2);
  CHECK(Entries(f.config.folders.staging).empty());
  // Oldest first: L-0..L-2 in the first batch.
  auto first = CheckBatchFolder((*batches)[0].folder, (*batches)[0].batch_id);
  CHECK(first == std::vector<std::string>{"L-0", "L-1", "L-2"});
  CHECK(f.Find("L-0").status == LetterStatus::kBatched);
  CHECK(f.Find("L-0").batch_id == (*batches)[0].batch_id);
  CHECK(f.Find("L-6").status == LetterStatus::kPending);

  // L-6 waits until it is 60 minutes old.
  std::int64_t due = kStartMs + std::int64_t{6} * 1000 + 60 * kMinute;
  CHECK(*f.spooler->NextDueMs() == due);
  f.clock.Set(due - 1);
  CHECK(f.spooler->CutDueBatches()->empty());
  f.clock.Set(due);
  auto last = f.spooler->CutDueBatches();
  REQUIRE(last.ok());
  REQUIRE(last->size() == 1);
  CHECK(CheckBatchFolder((*last)[0].folder, (*last)[0].batch_id) ==
        std::vector<std::string>{"L-6"});
  CHECK_FALSE(f.spooler->NextDueMs()->has_value());
}

TEST_CASE("the manifest's page count, sheet count and SHA-256 match each PDF") {
  Fixture f;
  LetterRequest longer = testing::SampleRequest(LetterKind::kCancellationByHospital, "L-long");
  longer.reason = std::string(3000, 'x') + " " + std::string(3000, 'y');
  longer.duplex = false;
  longer.postage = Postage::kFirst;
  REQUIRE(f.spooler->Accept(longer).ok());
  f.AcceptSample(LetterKind::kAppointment, "L-short");
  auto batches = f.spooler->Flush();
  REQUIRE(batches.ok());
  REQUIRE(batches->size() == 1);
  const std::string folder = (*batches)[0].folder;
  auto json = nlohmann::json::parse(testing::ReadFile(folder + "/manifest.json"));
  REQUIRE(json["letters"].size() == 2);
  for (const auto& l : json["letters"]) {
    CAPTURE(std::string(l["letter_id"]));
    std::string path = folder + "/" + std::string(l["file"]);
    int pages = testing::PdfPages(path);
    CHECK(l["page_count"] == pages);
    CHECK(l["sha256"] == Sha256Hex(testing::ReadFile(path)));
    CHECK(l["nhs_number"] == "9434765919");
    CHECK(l["recipient"]["name"] == testing::kUnicodeName);
    CHECK(l["recipient"]["postcode"] == "LS6 2AB");
    CHECK(l["envelope"] == "DL");
    if (l["letter_id"] == "L-long") {
      CHECK(pages >= 2);
      CHECK(l["sheet_count"] == pages);  // simplex
      CHECK(l["postage"] == "first");
      CHECK(l["duplex"] == false);
    } else {
      CHECK(l["sheet_count"] == (pages + 1) / 2);
      CHECK(l["postage"] == "second");  // the configured default
    }
    CHECK(Contains(testing::PdfText(path), testing::kUnicodeName));
  }
}

TEST_CASE("a redelivered request is a duplicate; the same id for another letter is refused") {
  Fixture f;
  LetterRequest r = testing::SampleRequest(LetterKind::kAppointment, "L-1");
  REQUIRE(f.spooler->Accept(r).ok());
  auto again = f.spooler->Accept(r);
  REQUIRE(again.ok());
  CHECK(again->duplicate);
  r.appointment_time = "10:00";
  auto other = f.spooler->Accept(r);
  CHECK(other.status().code() == StatusCode::kAlreadyExists);
  CHECK(other.status().field() == "letter_id");
  CHECK(*f.spooler->store().CountWaiting() == 1);
}

TEST_CASE("bad input is refused naming the problem, and nothing is stored or written") {
  Fixture f;
  LetterRequest missing = testing::SampleRequest(LetterKind::kCancellationByHospital, "L-missing");
  missing.reason = "";
  auto r = f.spooler->Accept(missing);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().field() == "reason");
  CHECK(Contains(r.status().message(), "uses field 'reason'"));
  CHECK(Contains(r.status().message(), "cancellation_by_hospital.txt"));

  LetterRequest no_place = testing::SampleRequest(LetterKind::kAppointment, "L-no-place");
  no_place.site = "";
  r = f.spooler->Accept(no_place);
  CHECK(r.status().field() == "site");
  CHECK(Contains(r.status().message(), "prints the appointment, but the request has no site"));

  CHECK_FALSE(LetterKindFromName("memo").has_value());  // how the shell meets an unknown kind
  LetterRequest unknown = testing::SampleRequest(LetterKind::kAppointment, "L-unknown");
  unknown.kind = LetterKind::kUnspecified;
  CHECK(f.spooler->Accept(unknown).status().field() == "kind");

  LetterRequest wide = testing::SampleRequest(LetterKind::kAppointment, "L-wide");
  wide.recipient.lines[0] = "The Old Rectory Cottages, 17-19 Great Wellington Street North";
  r = f.spooler->Accept(wide);
  CHECK(r.status().field() == "recipient.lines");
  CHECK(Contains(r.status().message(), "envelope window"));

  LetterRequest no_date = testing::SampleRequest(LetterKind::kDna, "L-no-date");
  no_date.appointment_date = "";
  CHECK(f.spooler->Accept(no_date).status().field() == "appointment_date");

  CHECK(*f.spooler->store().CountWaiting() == 0);
  auto flushed = f.spooler->Flush();
  REQUIRE(flushed.ok());
  CHECK(flushed->empty());
  CHECK(Entries(f.config.folders.outbox).empty());
  CHECK(Entries(f.config.folders.staging).empty());
}

// Accepts and publishes letters L-1..L-n in one batch.
std::string PublishLetters(Fixture& f, int n) {
  for (int i = 1; i <= n; ++i) f.AcceptSample(LetterKind::kAppointment, fmt::format("L-{}", i));
  auto b = f.spooler->Flush();
  REQUIRE(b.ok());
  REQUIRE(b->size() == 1);
  return (*b)[0].batch_id;
}

TEST_CASE("a good status file is applied, sent on as typed updates, and moved to done/") {
  Fixture f;
  PublishLetters(f, 3);
  f.DropStatusFile("status-001.csv",
                   "L-1,ACCEPTED,2025-02-03T10:00:00Z,,\n"
                   "L-1,PRINTED,2025-02-03T11:00:00Z,,\n"
                   "L-1,DISPATCHED,2025-02-03T18:00:00Z,,\n"
                   "L-2,ACCEPTED,2025-02-03T10:00:00Z,,\n"
                   "L-2,ACCEPTED,2025-02-03T10:05:00Z,,\n"
                   "L-3,DISPATCHED,2025-02-03T18:00:00Z,,\n"
                   "L-3,RETURNED,2025-02-10T08:12:00Z,R07,No such address\n");
  testing::WriteFile(f.Inbox("status-002.csv.part"), "still uploading");
  testing::WriteFile(f.Inbox(".hidden.csv"), "not ours");
  std::vector<StatusUpdate> sent;
  auto report = f.spooler->IngestInbox([&](const StatusUpdate& u) {
    sent.push_back(u);
    return Status::Ok();
  });
  REQUIRE_MESSAGE(report.ok(), report.status().ToString());
  CHECK(report->done == std::vector<std::string>{"status-001.csv"});
  CHECK(report->failed.empty());
  REQUIRE(sent.size() == 6);  // the repeated ACCEPTED is not a change
  CHECK(report->updates.size() == 6);
  CHECK(sent[0].letter_id == "L-1");
  CHECK(sent[0].previous == LetterStatus::kBatched);
  CHECK(sent[0].status == LetterStatus::kAccepted);
  CHECK(sent[0].at_ms == *ParseTimestamp("2025-02-03T10:00:00Z"));
  CHECK(sent[0].source == "status-001.csv");
  CHECK_FALSE(sent[0].demographics_check);
  const StatusUpdate& returned = sent.back();
  CHECK(returned.status == LetterStatus::kReturned);
  CHECK(returned.previous == LetterStatus::kDispatched);
  CHECK(returned.reason_code == "R07");
  CHECK(returned.reason_text == "No such address");
  CHECK(returned.demographics_check);  // RULES §6

  CHECK(f.Find("L-1").status == LetterStatus::kDispatched);
  CHECK(f.Find("L-3").status == LetterStatus::kReturned);
  CHECK(f.Find("L-3").reason_code == "R07");
  auto history = f.spooler->store().History("L-1");
  REQUIRE(history.ok());
  CHECK(history->size() == 5);  // PENDING, BATCHED, ACCEPTED, PRINTED, DISPATCHED
  CHECK(fs::exists(f.config.folders.done + "/status-001.csv"));
  CHECK_FALSE(fs::exists(f.Inbox("status-001.csv")));
  CHECK(fs::exists(f.Inbox("status-002.csv.part")));
  CHECK(fs::exists(f.Inbox(".hidden.csv")));

  // The vendor sends the same file again: recognised, nothing applied twice.
  f.DropStatusFile("status-001.csv",
                   "L-1,ACCEPTED,2025-02-03T10:00:00Z,,\n"
                   "L-1,PRINTED,2025-02-03T11:00:00Z,,\n"
                   "L-1,DISPATCHED,2025-02-03T18:00:00Z,,\n"
                   "L-2,ACCEPTED,2025-02-03T10:00:00Z,,\n"
                   "L-2,ACCEPTED,2025-02-03T10:05:00Z,,\n"
                   "L-3,DISPATCHED,2025-02-03T18:00:00Z,,\n"
                   "L-3,RETURNED,2025-02-10T08:12:00Z,R07,No such address\n");
  auto again = f.spooler->IngestInbox(nullptr);
  REQUIRE(again.ok());
  CHECK(again->done == std::vector<std::string>{"status-001.csv"});
  CHECK(again->updates.empty());
  CHECK(fs::exists(f.config.folders.done + "/status-001.csv.1"));
}

TEST_CASE("a status file naming an unknown letter goes to error/ with a reason, nothing applied") {
  Fixture f;
  PublishLetters(f, 1);
  f.DropStatusFile("status-003.csv",
                   "L-1,PRINTED,2025-02-03T11:00:00Z,,\n"
                   "L-404,PRINTED,2025-02-03T11:00:00Z,,\n");
  int sent = 0;
  auto report = f.spooler->IngestInbox([&](const StatusUpdate&) {
    ++sent;
    return Status::Ok();
  });
  REQUIRE(report.ok());
  CHECK(report->failed == std::vector<std::string>{"status-003.csv"});
  CHECK(sent == 0);
  CHECK(f.Find("L-1").status == LetterStatus::kBatched);  // the good row was not applied either
  CHECK(fs::exists(f.config.folders.error + "/status-003.csv"));
  std::string reason = testing::ReadFile(f.config.folders.error + "/status-003.csv.error.txt");
  CHECK(Contains(reason, "no row of this file was applied"));
  CHECK(Contains(reason, "line 3: letter L-404 is not known to the hub"));
  CHECK(Entries(f.config.folders.inbox) == std::vector<std::string>{"done", "error"});
}

TEST_CASE("bad rows and invalid changes send the file to error/ listing every fault") {
  Fixture f;
  PublishLetters(f, 2);
  REQUIRE(f.spooler->Cancel("L-2", "clerk", "patient moved", nullptr).ok());
  f.DropStatusFile("status-004.csv",
                   "L-1,DELIVERED,2025-02-05T11:00:00Z,,\n"
                   "L-1,PRINTED,2025-02-05T12:00:00Z,,\n"
                   "L-2,PRINTED,2025-02-03T11:00:00Z,,\n"
                   "L-1,SHREDDED,2025-02-03T11:00:00Z,,\n");
  auto report = f.spooler->IngestInbox(nullptr);
  REQUIRE(report.ok());
  CHECK(report->failed == std::vector<std::string>{"status-004.csv"});
  std::string reason = testing::ReadFile(f.config.folders.error + "/status-004.csv.error.txt");
  CHECK(Contains(reason, "line 5: letter L-1: 'SHREDDED' is not a vendor status"));
  // A file that does not parse is refused before any letter is looked at.
  CHECK_FALSE(Contains(reason, "line 2"));

  f.DropStatusFile("status-005.csv",
                   "L-1,DELIVERED,2025-02-05T11:00:00Z,,\n"
                   "L-1,PRINTED,2025-02-05T12:00:00Z,,\n"
                   "L-2,PRINTED,2025-02-03T11:00:00Z,,\n");
  report = f.spooler->IngestInbox(nullptr);
  REQUIRE(report.ok());
  CHECK(report->failed == std::vector<std::string>{"status-005.csv"});
  reason = testing::ReadFile(f.config.folders.error + "/status-005.csv.error.txt");
  CHECK(Contains(reason, "line 3: letter L-1: PRINTED after DELIVERED is not a valid change"));
  CHECK(Contains(reason, "line 4: letter L-2: PRINTED after CANCELLED is not a valid change"));
  CHECK(f.Find("L-1").status == LetterStatus::kBatched);
}

TEST_CASE("a sink that fails rolls the status file back and leaves it in the inbox") {
  Fixture f;
  PublishLetters(f, 1);
  f.DropStatusFile("status-006.csv", "L-1,PRINTED,2025-02-03T11:00:00Z,,\n");
  auto report = f.spooler->IngestInbox(
      [](const StatusUpdate&) { return Status::Unavailable("outbox full"); });
  CHECK(report.status().code() == StatusCode::kUnavailable);
  CHECK(f.Find("L-1").status == LetterStatus::kBatched);
  CHECK(fs::exists(f.Inbox("status-006.csv")));
  report = f.spooler->IngestInbox(nullptr);
  REQUIRE(report.ok());
  CHECK(report->done.size() == 1);
  CHECK(f.Find("L-1").status == LetterStatus::kPrinted);
}

TEST_CASE("cancel: a waiting letter never reaches a batch; a batched one gets a vendor notice") {
  Fixture f;
  std::string batch = PublishLetters(f, 2);
  f.AcceptSample(LetterKind::kDna, "L-waiting");

  std::vector<StatusUpdate> sent;
  auto sink = [&](const StatusUpdate& u) {
    sent.push_back(u);
    return Status::Ok();
  };
  auto c = f.spooler->Cancel("L-waiting", "clerk", "booked in error", sink);
  REQUIRE(c.ok());
  CHECK(c->previous == LetterStatus::kPending);
  CHECK(c->status == LetterStatus::kCancelled);
  CHECK(c->source == "ctl:clerk");
  CHECK(sent.size() == 1);
  CHECK(f.spooler->Flush()->empty());
  CHECK(*f.spooler->store().CountWaiting() == 0);

  auto batched = f.spooler->Cancel("L-1", "clerk", "patient moved", sink);
  REQUIRE(batched.ok());
  CHECK(batched->previous == LetterStatus::kBatched);
  std::vector<std::string> notices;
  for (const auto& name : Entries(f.config.folders.outbox)) {
    if (name.rfind("cancellations-", 0) == 0) notices.push_back(name);
  }
  REQUIRE(notices.size() == 1);
  std::string notice = testing::ReadFile(f.config.folders.outbox + "/" + notices[0]);
  CHECK(Contains(notice, "letter_id,batch_id,cancelled_at\n"));
  CHECK(Contains(notice, "L-1," + batch + ","));
  CHECK_FALSE(Contains(notice, "L-waiting"));

  auto twice = f.spooler->Cancel("L-1", "clerk", "again", sink);
  REQUIRE(twice.ok());
  CHECK(twice->previous == LetterStatus::kCancelled);
  CHECK(sent.size() == 2);

  // The vendor confirms the notice: a repeat of what the hub knows, applied without change.
  f.DropStatusFile("status-confirm.csv", "L-1,CANCELLED,2025-02-03T12:00:00Z,,\n");
  auto confirmed = f.spooler->IngestInbox(sink);
  REQUIRE(confirmed.ok());
  CHECK(confirmed->done == std::vector<std::string>{"status-confirm.csv"});
  CHECK(confirmed->updates.empty());
  CHECK(sent.size() == 2);

  f.DropStatusFile("status-007.csv", "L-2,DISPATCHED,2025-02-03T18:00:00Z,,\n");
  REQUIRE(f.spooler->IngestInbox(nullptr).ok());
  auto late = f.spooler->Cancel("L-2", "clerk", "too late", sink);
  CHECK(late.status().code() == StatusCode::kFailedPrecondition);
  CHECK(Contains(late.status().message(), "already been dispatched"));
  CHECK(f.spooler->Cancel("L-404", "clerk", "x", sink).status().code() == StatusCode::kNotFound);
}

TEST_CASE("reprint: a new letter from the stored request; the old one is cancelled") {
  Fixture f;
  PublishLetters(f, 2);
  f.clock.Advance(std::int64_t{2} * 24 * 60 * kMinute);  // two days later
  std::vector<StatusUpdate> sent;
  auto r = f.spooler->Reprint("L-1", "clerk", [&](const StatusUpdate& u) {
    sent.push_back(u);
    return Status::Ok();
  });
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  const std::string new_id = r->record.letter_id;
  CHECK(new_id != "L-1");
  CHECK(r->record.reprint_of == "L-1");
  CHECK(r->record.letter_date == "2025-02-05");
  CHECK(r->record.status == LetterStatus::kPending);
  CHECK(f.Find("L-1").status == LetterStatus::kCancelled);
  CHECK(Contains(f.Find("L-1").reason_text, "replaced by reprint " + new_id));
  // The reprint's PENDING, then the old letter's CANCELLED naming what replaces it.
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].letter_id == new_id);
  CHECK(sent[0].status == LetterStatus::kPending);
  CHECK(sent[0].reason_text == "reprint of L-1");
  CHECK(sent[1].letter_id == "L-1");
  CHECK(sent[1].status == LetterStatus::kCancelled);
  CHECK(sent[1].replaced_by == new_id);
  // Once reprinted, the letter cannot be reprinted again: two copies would be posted.
  auto twice = f.spooler->Reprint("L-1", "clerk", nullptr);
  CHECK(twice.status().code() == StatusCode::kFailedPrecondition);

  auto batches = f.spooler->Flush();
  REQUIRE(batches.ok());
  REQUIRE(batches->size() == 1);
  auto ids = CheckBatchFolder((*batches)[0].folder, (*batches)[0].batch_id);
  CHECK(ids == std::vector<std::string>{new_id});
  std::string text = testing::PdfText((*batches)[0].folder + "/" + new_id + ".pdf");
  CHECK(Contains(text, "5 February 2025"));
  CHECK(Contains(text, testing::kUnicodeName));

  // A rejected letter may be reprinted and stays REJECTED; a dispatched one may not.
  f.DropStatusFile("status-008.csv",
                   "L-2,REJECTED,2025-02-05T10:00:00Z,V02,PDF failed pre-flight\n");
  REQUIRE(f.spooler->IngestInbox(nullptr).ok());
  auto again = f.spooler->Reprint("L-2", "clerk", nullptr);
  REQUIRE(again.ok());
  CHECK(f.Find("L-2").status == LetterStatus::kRejected);
  // REJECTED is final and stays so; a second reprint would still make a second live copy.
  auto second = f.spooler->Reprint("L-2", "clerk", nullptr);
  CHECK(second.status().code() == StatusCode::kFailedPrecondition);
  CHECK(Contains(second.status().message(), "already reprinted as " + again->record.letter_id));
  f.DropStatusFile("status-009.csv",
                   std::string(fmt::format("{},DISPATCHED,2025-02-06T10:00:00Z,,\n", new_id)));
  REQUIRE(f.spooler->IngestInbox(nullptr)->failed.empty());
  CHECK(f.spooler->Reprint(new_id, "clerk", nullptr).status().code() ==
        StatusCode::kFailedPrecondition);
}

// ---- crash safety ---------------------------------------------------------------------------

struct CrashCase {
  const char* point;
  int nth;               // which call of that point kills the process
  bool vendor_collects;  // the vendor takes the renamed folder before the restart
};

// Runs Flush() in a child process that SIGKILLs itself at the nth `point`.
void FlushAndDie(Fixture& f, const CrashCase& c) {
  f.Close();  // SQLite connections must not cross fork()
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto db = storage::Database::Open(f.config.folders.database);
    if (!db.ok()) _exit(3);
    PrintSpooler spooler(**db, f.config, f.templates, f.clock);
    if (!spooler.Recover().ok()) _exit(4);
    int hits = 0;
    spooler.SetFaultHook([&](std::string_view point) {
      if (point == c.point && ++hits == c.nth) raise(SIGKILL);
    });
    (void)spooler.Flush();
    _exit(5);  // the fault point was never reached
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE_MESSAGE(WIFSIGNALED(status), "child exited with ", WEXITSTATUS(status));
  CHECK(WTERMSIG(status) == SIGKILL);
}

TEST_CASE("killed with SIGKILL mid-batch, after restart every letter is in exactly one batch") {
  const CrashCase cases[] = {
      {"batch.assigned", 2, false},      // second batch assigned, nothing written
      {"batch.file_written", 7, false},  // second batch: two PDFs written of three
      {"batch.staged", 2, false},        // second batch complete in staging, not yet READY
      {"batch.ready", 2, false},         // READY, not yet renamed
      {"batch.renamed", 2, false},       // in the outbox, print.db not yet told
      {"batch.renamed", 2, true},        // ... and the vendor took it before the restart
      {"batch.delivered", 1, false},     // first batch done, nothing else started
  };
  for (const auto& c : cases) {
    CAPTURE(c.point);
    CAPTURE(c.nth);
    CAPTURE(c.vendor_collects);
    Fixture f;
    std::set<std::string> accepted;
    for (int i = 0; i < 7; ++i) {
      accepted.insert(f.AcceptSample(LetterKind::kAppointment, fmt::format("L-{}", i)));
    }
    FlushAndDie(f, c);

    const std::string collected = f.dir.File("collected-by-vendor");
    REQUIRE(MakeDirectories(collected).ok());
    if (c.vendor_collects) {
      for (const auto& b : BatchFolders(f.config.folders.outbox)) {
        fs::rename(f.config.folders.outbox + "/" + b, collected + "/" + b);
      }
    }

    f.Open();  // Recover() finishes what the crash interrupted
    auto rest = f.spooler->Flush();
    REQUIRE_MESSAGE(rest.ok(), rest.status().ToString());

    std::map<std::string, int> seen;
    for (const std::string& root : {f.config.folders.outbox, collected}) {
      for (const auto& b : BatchFolders(root)) {
        for (const auto& id : CheckBatchFolder(root + "/" + b, b)) ++seen[id];
      }
    }
    std::set<std::string> in_batches;
    for (const auto& [id, n] : seen) {
      CAPTURE(id);
      CHECK(n == 1);
      in_batches.insert(id);
    }
    CHECK(in_batches == accepted);
    CHECK(Entries(f.config.folders.staging).empty());
    for (const auto& id : accepted) CHECK(f.Find(id).status == LetterStatus::kBatched);
    CHECK(f.spooler->store().BatchesInState(BatchState::kWriting)->empty());
    CHECK(f.spooler->store().BatchesInState(BatchState::kReady)->empty());
  }
}

TEST_CASE("a batch that failed to write is published, with the same letters, on the next cut") {
  Fixture f;
  for (int i = 1; i <= 2; ++i) f.AcceptSample(LetterKind::kAppointment, fmt::format("L-{}", i));
  // The staging folder is unusable (a file stands in its place): the write fails.
  const std::string staging = f.config.folders.staging;
  fs::rename(staging, staging + ".away");
  testing::WriteFile(staging, "not a folder");
  auto failed = f.spooler->Flush();
  CHECK(failed.status().code() == StatusCode::kIOError);
  CHECK(f.spooler->store().BatchesInState(BatchState::kWriting)->size() == 1);
  CHECK(BatchFolders(f.config.folders.outbox).empty());

  fs::remove(staging);
  fs::rename(staging + ".away", staging);
  f.AcceptSample(LetterKind::kAppointment, "L-3");  // arrives meanwhile: not in that batch
  auto retried = f.spooler->CutDueBatches();
  REQUIRE_MESSAGE(retried.ok(), retried.status().ToString());
  REQUIRE(retried->size() == 1);
  CHECK(CheckBatchFolder((*retried)[0].folder, (*retried)[0].batch_id) ==
        std::vector<std::string>{"L-1", "L-2"});
  CHECK(f.Find("L-3").status == LetterStatus::kPending);
  CHECK(f.spooler->store().BatchesInState(BatchState::kWriting)->empty());
}

TEST_CASE("staging and outbox must share a filesystem, and a stray staging folder is removed") {
  Fixture f;
  REQUIRE(MakeDirectories(f.config.folders.staging + "/half-written").ok());
  testing::WriteFile(f.config.folders.staging + "/half-written/x.pdf", "%PDF-");
  f.Close();
  f.Open();
  CHECK(Entries(f.config.folders.staging).empty());
  if (fs::exists("/dev/shm") && *SameFilesystem("/dev/shm", f.dir.path()) == false) {
    PrintConfig other = f.config;
    other.folders.staging = "/dev/shm/hub-print-staging-" + std::to_string(getpid());
    PrintSpooler spooler(*f.db, other, f.templates, f.clock);
    Status s = spooler.Recover();
    CHECK(s.code() == StatusCode::kFailedPrecondition);
    CHECK(Contains(s.message(), "different filesystems"));
    CHECK(RemoveAll(other.folders.staging).ok());
  }
}

// ---- another process on the same print.db (`hub ctl print`) ----------------------------------

// A second connection to print.db with a control-role spooler, as `hub ctl print` opens it.
struct ControlProcess {
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<PrintSpooler> spooler;
  explicit ControlProcess(Fixture& f) {
    auto d = storage::Database::Open(f.config.folders.database);
    REQUIRE(d.ok());
    db = std::move(d).value();
    spooler =
        std::make_unique<PrintSpooler>(*db, f.config, f.templates, f.clock, SpoolerRole::kControl);
  }
};

TEST_CASE("a control process changes print.db only; the adapter writes the files") {
  Fixture f;
  PublishLetters(f, 2);
  ControlProcess ctl(f);
  CHECK(ctl.spooler->Recover().code() == StatusCode::kFailedPrecondition);
  CHECK(ctl.spooler->Flush().status().code() == StatusCode::kFailedPrecondition);
  CHECK(ctl.spooler->CutDueBatches().status().code() == StatusCode::kFailedPrecondition);
  CHECK(ctl.spooler->IngestInbox(nullptr).status().code() == StatusCode::kFailedPrecondition);
  CHECK(ctl.spooler->WriteCancelNotices().code() == StatusCode::kFailedPrecondition);

  auto cancelled = ctl.spooler->Cancel("L-1", "clerk", "patient moved", nullptr);
  REQUIRE_MESSAGE(cancelled.ok(), cancelled.status().ToString());
  auto notices = [&] {
    int n = 0;
    for (const auto& name : Entries(f.config.folders.outbox))
      n += name.rfind("cancellations-", 0) == 0;
    return n;
  };
  CHECK(notices() == 0);  // queued in print.db for the adapter
  auto reprint = ctl.spooler->Reprint("L-2", "clerk", nullptr);
  REQUIRE_MESSAGE(reprint.ok(), reprint.status().ToString());
  CHECK(notices() == 0);

  REQUIRE(f.spooler->WriteCancelNotices().ok());
  REQUIRE(notices() == 1);
  // The reprint another process stored waits for the adapter's next batch.
  auto batches = f.spooler->Flush();
  REQUIRE(batches.ok());
  REQUIRE(batches->size() == 1);
  CHECK(CheckBatchFolder((*batches)[0].folder, (*batches)[0].batch_id) ==
        std::vector<std::string>{reprint->record.letter_id});
}

TEST_CASE("a letter cancelled by another process while its batch is written stays cancelled") {
  Fixture f;
  for (int i = 1; i <= 2; ++i) f.AcceptSample(LetterKind::kAppointment, fmt::format("L-{}", i));
  ControlProcess ctl(f);
  bool cancelled = false;
  // Between assigning the batch and publishing it, the clerk cancels L-2.
  f.spooler->SetFaultHook([&](std::string_view point) {
    if (point != "batch.staged" || cancelled) return;
    cancelled = true;
    auto c = ctl.spooler->Cancel("L-2", "clerk", "booked in error", nullptr);
    REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  });
  auto batches = f.spooler->Flush();
  REQUIRE_MESSAGE(batches.ok(), batches.status().ToString());
  REQUIRE(cancelled);
  CHECK(f.Find("L-1").status == LetterStatus::kBatched);
  CHECK(f.Find("L-2").status == LetterStatus::kCancelled);
  // It was in the batch the vendor receives, so the vendor is told.
  REQUIRE(f.spooler->WriteCancelNotices().ok());
  std::string notice;
  for (const auto& name : Entries(f.config.folders.outbox)) {
    if (name.rfind("cancellations-", 0) == 0)
      notice = testing::ReadFile(f.config.folders.outbox + "/" + name);
  }
  CHECK(Contains(notice, "L-2," + (*batches)[0].batch_id + ","));
}

TEST_CASE("AcceptInTransaction: stored with the caller's transaction; the sink hears PENDING") {
  Fixture f;
  std::vector<StatusUpdate> sent;
  auto sink = [&](const StatusUpdate& u) {
    sent.push_back(u);
    return Status::Ok();
  };
  CHECK(
      f.spooler->AcceptInTransaction(testing::SampleRequest(LetterKind::kAppointment, "L-1"), sink)
          .status()
          .code() == StatusCode::kInternal);  // no transaction open
  {
    storage::Transaction txn(*f.db);
    auto r = f.spooler->AcceptInTransaction(testing::SampleRequest(LetterKind::kAppointment, "L-1"),
                                            sink);
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    // Rolled back with the caller's transaction: nothing stored.
  }
  CHECK_FALSE(f.spooler->store().Find("L-1")->has_value());
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].status == LetterStatus::kPending);
  {
    storage::Transaction txn(*f.db);
    REQUIRE(f.spooler
                ->AcceptInTransaction(testing::SampleRequest(LetterKind::kAppointment, "L-1"), sink)
                .ok());
    auto again = f.spooler->AcceptInTransaction(
        testing::SampleRequest(LetterKind::kAppointment, "L-1"), sink);
    REQUIRE(again.ok());
    CHECK(again->duplicate);
    REQUIRE(txn.Commit().ok());
  }
  CHECK(sent.size() == 2);  // the redelivery changed nothing
  CHECK(f.Find("L-1").status == LetterStatus::kPending);
}

}  // namespace
}  // namespace hub::print
