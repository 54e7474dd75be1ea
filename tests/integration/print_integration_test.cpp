// The print adapter as a real process (issue 6 acceptance) between a real broker and a stand-in
// booking service (hub_test_worker --sink, which records every message it is sent): letters in
// through the broker become one complete vendor batch; a returned letter reaches the booking
// service (RULES §6); bad input of each kind is refused naming the problem with nothing in the
// outbox; the adapter killed with SIGKILL before and during a batch loses no letter and
// duplicates none; `hub ctl print` cancels and reprints while the adapter runs.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/common/mdp_client.hpp"
#include "adapters/print/manifest.hpp"
#include "adapters/print/status_file.hpp"
#include "hub/common/clock.hpp"
#include "hub/storage/database.hpp"
#include "hub/wire/envelope.hpp"
#include "schemas/error.hpp"
#include "schemas/letter.hpp"
#include "tests/adapters/print/print_test_support.hpp"
#include "tests/support/hub_processes.hpp"

namespace hub::testing {
namespace {

namespace fs = std::filesystem;
using adapters::MdpClient;
using namespace std::chrono_literals;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

BrokerSettings Settings() {
  BrokerSettings s;
  s.services = {"print", "booking"};
  return s;
}

wire::Envelope Letter(const schemas::LetterRequested& body) {
  return wire::MakeEnvelope("letter.requested", "booking", SystemClock::Instance().NowMs(),
                            schemas::EncodeLetterRequested(body));
}
wire::Envelope Letter(const std::string& kind, const std::string& id) {
  return Letter(print::testing::SampleWireLetter(kind, id));
}

// A broker, the booking stand-in, print.toml beside hub.toml, and the adapter (re)started on
// demand.
struct PrintHub {
  TempDir dir;
  BrokerProcess broker{dir, Settings()};
  std::unique_ptr<ChildProcess> booking;
  std::unique_ptr<ChildProcess> adapter;
  zmq::context_t ctx;
  std::unique_ptr<MdpClient> client;
  int starts = 0;

  explicit PrintHub(int max_letters) {
    std::ofstream(dir.File("print.toml")) << fmt::format(R"([trust]
phone = "0113 243 3144"
website = "www.examplehospitals.nhs.uk"

[contact]
booking_phone = "0113 206 0000"
booking_hours = "Monday to Friday, 8am to 6pm"
booking_email = "outpatient.bookings@examplehospitals.nhs.uk"

[letters]
templates_dir = "{}/config/letters"

[batch]
max_letters = {}

[adapter]
credit = 4
poll_ms = 100
outbox_timeout_ms = 2000
)",
                                                         HUB_SOURCE_DIR, max_letters);
    booking = StartTestWorker(dir, broker.endpoint(), dir.File("booking.db"), "booking.log",
                              {"--sink", "--service", "booking"});
    wire::BrokerConnection conn;
    conn.endpoint = broker.endpoint();
    client = std::make_unique<MdpClient>(ctx, conn, "booking-client");
  }

  void StartAdapter(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"adapter",    "print",           "--config",  broker.config(),
                                     "--endpoint", broker.endpoint(), "--no-curve"};
    args.insert(args.end(), extra.begin(), extra.end());
    adapter = std::make_unique<ChildProcess>(HubBinary(), args,
                                             dir.File(fmt::format("adapter-{}.log", starts++)));
    REQUIRE_MESSAGE(adapter->WaitForLog("print adapter serving", 60s), adapter->Log());
  }

  // Sends every request to `print` and collects the replies, resending unanswered ones (same
  // bytes, same id) every 3 s — the booking service's outbox does the same.
  std::map<std::string, wire::Envelope> Send(const std::vector<wire::Envelope>& requests,
                                             std::chrono::seconds timeout = 60s) {
    std::map<std::string, std::string> pending;
    for (const auto& r : requests) {
      pending[r.id] = wire::EncodeEnvelope(r);
      REQUIRE(client->Send("print", pending[r.id]));
    }
    std::map<std::string, wire::Envelope> replies;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    auto resend = std::chrono::steady_clock::now() + 3s;
    while (!pending.empty() && std::chrono::steady_clock::now() < deadline) {
      for (auto& r : client->Poll(100)) {
        auto env = wire::DecodeEnvelope(r.body, 1 << 20);
        REQUIRE(env.ok());
        if (pending.erase(env->corr)) replies.emplace(env->corr, *env);
      }
      if (std::chrono::steady_clock::now() > resend) {
        for (const auto& [id, bytes] : pending) client->Send("print", bytes);
        resend = std::chrono::steady_clock::now() + 3s;
      }
    }
    CHECK_MESSAGE(pending.empty(), pending.size(), " requests unanswered");
    return replies;
  }

  std::string Folder(const std::string& name) const { return dir.File("print/" + name); }

  std::vector<std::string> BatchFolders() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(Folder("outbox"), ec)) {
      if (e.is_directory()) out.push_back(e.path().filename().string());
    }
    return out;
  }

  // Every letter id in every complete batch, with how often it appears; checks each batch's
  // manifest against its files.
  std::map<std::string, int> LettersInBatches() const {
    std::map<std::string, int> seen;
    for (const auto& b : BatchFolders()) {
      std::string folder = Folder("outbox/" + b);
      CAPTURE(folder);
      auto manifest = nlohmann::json::parse(print::testing::ReadFile(folder + "/manifest.json"));
      CHECK(manifest["batch_id"] == b);
      CHECK(manifest["letter_count"] == manifest["letters"].size());
      std::string csv = print::testing::ReadFile(folder + "/manifest.csv");
      std::set<std::string> files = {"manifest.csv", "manifest.json"};
      for (const auto& l : manifest["letters"]) {
        std::string file = l["file"];
        files.insert(file);
        std::string pdf = print::testing::ReadFile(folder + "/" + file);
        CHECK(print::Sha256Hex(pdf) == l["sha256"]);
        CHECK(print::testing::PdfPages(folder + "/" + file) == l["page_count"]);
        CHECK(Contains(csv, std::string(l["letter_id"])));
        ++seen[l["letter_id"]];
      }
      std::set<std::string> present;
      for (const auto& e : fs::directory_iterator(folder)) {
        present.insert(e.path().filename().string());
      }
      CHECK(present == files);  // nothing missing, nothing extra
    }
    return seen;
  }

  // What the booking stand-in received: letter.status bodies, in arrival order.
  std::vector<schemas::LetterStatusBody> BookingReceived() const {
    storage::OpenOptions ro;
    ro.read_only = true;
    auto db = storage::Database::Open(dir.File("booking.db"), ro);
    if (!db.ok()) return {};
    auto st = (*db)->Prepare("SELECT type, body FROM sunk ORDER BY rowid");
    if (!st.ok()) return {};
    std::vector<schemas::LetterStatusBody> out;
    while (true) {
      auto row = st->Step();
      if (!row.ok() || !*row) break;
      CHECK(st->ColumnText(0) == "letter.status");
      auto body = schemas::DecodeLetterStatus(st->ColumnBlob(1));
      REQUIRE(body.ok());
      out.push_back(*body);
    }
    return out;
  }
  bool BookingHeard(const std::string& letter_id, const std::string& status,
                    const std::string& reason = "") const {
    for (const auto& b : BookingReceived()) {
      if (b.letter_id == letter_id && b.status == status &&
          (reason.empty() || b.reason == reason)) {
        return true;
      }
    }
    return false;
  }

  std::int64_t LettersInPrintDb() const {
    storage::OpenOptions ro;
    ro.read_only = true;
    auto db = storage::Database::Open(dir.File("print.db"), ro);
    REQUIRE(db.ok());
    return (*db)->QueryInt("SELECT count(*) FROM letters")->value_or(-1);
  }

  CommandResult Ctl(std::vector<std::string> args) const {
    args.insert(args.begin(), {"ctl", "print"});
    args.insert(args.end(), {"--config", broker.config(), "--by", "clerk"});
    return RunCommand(HubBinary(), args);
  }
};

schemas::ErrorBody ErrorOf(const wire::Envelope& reply) {
  REQUIRE(reply.type == "hub.error");
  auto e = schemas::DecodeErrorBody(reply.body);
  REQUIRE(e.ok());
  return *e;
}

TEST_CASE("letters through the broker: one complete batch; returned mail reaches booking") {
  PrintHub hub(5);
  hub.StartAdapter();
  const std::vector<std::pair<std::string, std::string>> letters = {
      {"L-1", "APPOINTMENT"},
      {"L-2", "RESCHEDULE"},
      {"L-3", "CANCELLATION"},
      {"L-4", "ACKNOWLEDGEMENT"},
      {"L-5", "DISCHARGE_TO_REFERRER"}};
  std::vector<wire::Envelope> requests;
  for (const auto& [id, kind] : letters) requests.push_back(Letter(kind, id));
  auto replies = hub.Send(requests);
  REQUIRE(replies.size() == letters.size());
  for (const auto& [id, reply] : replies) {
    CHECK(reply.type == "letter.accepted");
    CHECK(reply.source == "adapter.print");
  }

  REQUIRE(WaitUntil([&] { return hub.BatchFolders().size() == 1; }, 30s));
  auto in_batches = hub.LettersInBatches();
  CHECK(in_batches.size() == letters.size());
  for (const auto& [id, kind] : letters) CHECK(in_batches[id] == 1);
  CHECK(fs::is_empty(hub.Folder("staging")));
  // Each acceptance told the booking service the letter is PENDING.
  REQUIRE(WaitUntil([&] { return hub.BookingReceived().size() == letters.size(); }, 30s));
  for (const auto& [id, kind] : letters) CHECK(hub.BookingHeard(id, "PENDING"));

  // The vendor reports: L-1 dispatched, L-2 returned as undeliverable.
  std::string status_file = std::string(print::kStatusFileHeader) + "\n" +
                            "L-1,DISPATCHED,2025-02-04T06:00:00Z,,\n" +
                            "L-2,RETURNED,2025-02-10T08:12:00+00:00,R07,No such address\n";
  print::testing::WriteFile(hub.Folder("inbox/status-001.csv.part"), status_file);
  fs::rename(hub.Folder("inbox/status-001.csv.part"), hub.Folder("inbox/status-001.csv"));
  // RETURNED is what makes the booking engine mark the appointment not clearly communicated
  // and raise a demographics-check task (schemas/README.md letter.status).
  REQUIRE(
      WaitUntil([&] { return hub.BookingHeard("L-2", "RETURNED", "R07 No such address"); }, 30s));
  CHECK(WaitUntil([&] { return hub.BookingHeard("L-1", "DISPATCHED"); }, 30s));
  CHECK(fs::exists(hub.Folder("inbox/done/status-001.csv")));
  // The same file again changes nothing and sends nothing.
  print::testing::WriteFile(hub.Folder("inbox/status-001.csv"), status_file);
  REQUIRE(WaitUntil([&] { return fs::exists(hub.Folder("inbox/done/status-001.csv.1")); }, 30s));
  CHECK(hub.BookingReceived().size() == letters.size() + 2);

  // A status file naming a letter the hub never sent goes to error/ with the reason.
  print::testing::WriteFile(
      hub.Folder("inbox/status-002.csv"),
      std::string(print::kStatusFileHeader) + "\nL-404,PRINTED,2025-02-04T06:00:00Z,,\n");
  REQUIRE(WaitUntil([&] { return fs::exists(hub.Folder("inbox/error/status-002.csv.error.txt")); },
                    30s));
  CHECK(Contains(print::testing::ReadFile(hub.Folder("inbox/error/status-002.csv.error.txt")),
                 "L-404 is not known"));

  // hub ctl print, while the adapter runs.
  auto returned = hub.Ctl({"letters", "--status", "returned"});
  CHECK(returned.exit_code == 0);
  CHECK(Contains(returned.output, "L-2"));
  CHECK_FALSE(Contains(returned.output, "L-1 "));
  auto show = hub.Ctl({"show", "L-2"});
  CHECK(show.exit_code == 0);
  CHECK(Contains(show.output, "R07 No such address"));
  CHECK(Contains(show.output, "demographics-check"));
  auto batches = hub.Ctl({"batches"});
  CHECK(Contains(batches.output, hub.BatchFolders()[0]));

  auto no_reason = hub.Ctl({"cancel", "L-3"});
  CHECK(no_reason.exit_code == 2);
  CHECK(Contains(no_reason.output, "give a reason"));
  auto cancel = hub.Ctl({"cancel", "L-3", "--reason", "patient moved away"});
  CHECK_MESSAGE(cancel.exit_code == 0, cancel.output);
  CHECK(Contains(cancel.output, "cancelled (was BATCHED)"));
  REQUIRE(
      WaitUntil([&] { return hub.BookingHeard("L-3", "CANCELLED", "patient moved away"); }, 30s));
  // The adapter writes the vendor's cancellation notice.
  auto notice = [&] {
    for (const auto& e : fs::directory_iterator(hub.Folder("outbox"))) {
      std::string name = e.path().filename().string();
      if (name.rfind("cancellations-", 0) == 0) return print::testing::ReadFile(e.path().string());
    }
    return std::string();
  };
  REQUIRE(WaitUntil([&] { return Contains(notice(), "L-3,"); }, 30s));
  auto late = hub.Ctl({"cancel", "L-1", "--reason", "too late"});
  CHECK(late.exit_code == 1);
  CHECK(Contains(late.output, "dispatched"));

  auto reprint = hub.Ctl({"reprint", "L-4"});
  CHECK_MESSAGE(reprint.exit_code == 0, reprint.output);
  REQUIRE(WaitUntil([&] { return hub.BookingHeard("L-4", "PENDING", "reprint of L-4"); }, 30s));
  CHECK(hub.adapter->running());

  // SIGTERM stops it cleanly: exit 0 (under the sanitizers, also nothing leaked).
  int status = hub.adapter->Kill(SIGTERM);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(Contains(hub.adapter->Log(), "stopped"));
}

TEST_CASE("bad input of each kind: an error naming the problem, nothing in the outbox") {
  PrintHub hub(1);  // any letter stored would be batched at once
  hub.StartAdapter();
  schemas::LetterRequested too_wide = print::testing::SampleWireLetter("APPOINTMENT", "L-wide");
  too_wide.recipient_address.lines[0] =
      "Flat 12, The Old Cotton Mill Apartments, 145 Kirkstall Road West";
  schemas::LetterRequested postcard = print::testing::SampleWireLetter("APPOINTMENT", "L-card");
  postcard.kind = "POSTCARD";
  wire::Envelope missing = wire::MakeEnvelope(
      "letter.requested", "booking", SystemClock::Instance().NowMs(),
      print::testing::EncodedWithout(print::testing::SampleWireLetter("APPOINTMENT", "L-miss"),
                                     "nhs_number"));
  const std::vector<std::pair<wire::Envelope, std::string>> bad = {
      {missing, "body.nhs_number"},
      {Letter(postcard), "body.kind"},
      {Letter(too_wide), "body.recipient_address.lines"},
  };
  std::vector<wire::Envelope> requests;
  for (const auto& b : bad) requests.push_back(b.first);
  auto replies = hub.Send(requests);
  for (const auto& [request, field] : bad) {
    CAPTURE(field);
    auto e = ErrorOf(replies.at(request.id));
    CHECK(e.code == "invalid_argument");
    CHECK(e.field == field);
    CHECK(e.ref == request.id);
    CHECK_FALSE(e.message.empty());
  }
  CHECK(hub.LettersInPrintDb() == 0);
  CHECK(hub.BatchFolders().empty());

  // The adapter keeps serving; only the good letter reaches the vendor and the booking service.
  auto good = Letter("APPOINTMENT", "L-ok");
  CHECK(hub.Send({good}).at(good.id).type == "letter.accepted");
  REQUIRE(WaitUntil([&] { return hub.BatchFolders().size() == 1; }, 30s));
  CHECK(hub.LettersInBatches() == std::map<std::string, int>{{"L-ok", 1}});
  CHECK(hub.LettersInPrintDb() == 1);
  REQUIRE(WaitUntil([&] { return hub.BookingHeard("L-ok", "PENDING"); }, 30s));
  CHECK(hub.BookingReceived().size() == 1);
}

TEST_CASE("killed with SIGKILL after letters were accepted, before the batch: none lost") {
  PrintHub hub(6);
  hub.StartAdapter();
  std::vector<wire::Envelope> first;
  for (int i = 1; i <= 4; ++i) first.push_back(Letter("APPOINTMENT", fmt::format("L-{}", i)));
  auto accepted = hub.Send(first);
  REQUIRE(accepted.size() == 4);
  hub.adapter->Kill(SIGKILL);
  CHECK(hub.BatchFolders().empty());

  hub.StartAdapter();
  // The booking service resends one it already had an answer for (its reply was "lost"): the
  // same answer, not a second letter.
  std::vector<wire::Envelope> rest = {first[1], Letter("APPOINTMENT", "L-5"),
                                      Letter("APPOINTMENT", "L-6")};
  auto replies = hub.Send(rest);
  CHECK(replies.at(first[1].id) == accepted.at(first[1].id));
  REQUIRE(WaitUntil([&] { return hub.BatchFolders().size() == 1; }, 30s));
  std::map<std::string, int> expected;
  for (int i = 1; i <= 6; ++i) expected[fmt::format("L-{}", i)] = 1;
  CHECK(hub.LettersInBatches() == expected);
  CHECK(fs::is_empty(hub.Folder("staging")));
}

TEST_CASE("killed with SIGKILL while writing the batch: after restart, one complete batch") {
  PrintHub hub(4);
  // Dies after writing the second PDF of the batch into staging/.
  hub.StartAdapter({"--fault-kill-at", "batch.file_written:2"});
  std::vector<wire::Envelope> requests;
  for (int i = 1; i <= 4; ++i) {
    requests.push_back(Letter("APPOINTMENT", fmt::format("L-{}", i)));
    REQUIRE(hub.client->Send("print", wire::EncodeEnvelope(requests.back())));
  }
  REQUIRE(hub.adapter->Wait(60s) == -SIGKILL);
  CHECK(hub.BatchFolders().empty());  // the vendor never sees half a batch
  CHECK_FALSE(fs::is_empty(hub.Folder("staging")));

  hub.StartAdapter();
  auto replies = hub.Send(requests);  // answered now, or from the dedupe records
  for (const auto& [id, reply] : replies) CHECK(reply.type == "letter.accepted");
  REQUIRE(WaitUntil([&] { return hub.BatchFolders().size() == 1; }, 30s));
  std::map<std::string, int> expected;
  for (int i = 1; i <= 4; ++i) expected[fmt::format("L-{}", i)] = 1;
  CHECK(hub.LettersInBatches() == expected);
  CHECK(fs::is_empty(hub.Folder("staging")));
  CHECK(hub.LettersInPrintDb() == 4);
}

}  // namespace
}  // namespace hub::testing
