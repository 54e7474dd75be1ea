// The scan adapter as a real process (issue 7 acceptance) between a real broker and a stand-in
// booking service (hub_test_worker --sink, which records every message it is sent):
// coversheets requested through the broker come out as a print batch; bad requests get an
// error naming the field; a bureau batch with good documents and one of each exception kind
// ends with the good ones attached exactly once at the booking service and the bad ones on
// `hub ctl scan exceptions` with their reasons; and the adapter killed with SIGKILL mid-batch
// (after storing a file, after committing a document) loses nothing and sends nothing twice —
// the batch is DONE only when every document is attached or an exception.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "adapters/common/mdp_client.hpp"
#include "adapters/scan/coversheet_renderer.hpp"
#include "hub/common/clock.hpp"
#include "hub/storage/database.hpp"
#include "hub/wire/envelope.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/error.hpp"
#include "schemas/scan.hpp"
#include "tests/adapters/scan/scan_test_support.hpp"
#include "tests/support/hub_processes.hpp"

namespace hub::testing {
namespace {

namespace fs = std::filesystem;
using adapters::MdpClient;
using scan::testing::BureauDocument;
using namespace std::chrono_literals;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

BrokerSettings Settings() {
  BrokerSettings s;
  s.services = {"scan", "booking"};
  return s;
}

wire::Envelope CoversheetRequest(const schemas::ScanCoversheetRequested& body) {
  return wire::MakeEnvelope("scan.coversheet.requested", "booking",
                            SystemClock::Instance().NowMs(),
                            schemas::EncodeScanCoversheetRequested(body));
}

// A broker, the booking stand-in, scan.toml beside hub.toml, and the adapter (re)started on
// demand.
struct ScanHub {
  TempDir dir;
  BrokerProcess broker{dir, Settings()};
  std::unique_ptr<ChildProcess> booking;
  std::unique_ptr<ChildProcess> adapter;
  zmq::context_t ctx;
  std::unique_ptr<MdpClient> client;
  scan::CoversheetRenderer renderer{scan::CoversheetLayout{}};
  int starts = 0;

  explicit ScanHub(int max_coversheets) {
    std::ofstream(dir.File("scan.toml")) << fmt::format(R"([batch]
max_coversheets = {}

[adapter]
credit = 4
poll_ms = 100
outbox_timeout_ms = 2000
)",
                                                        max_coversheets);
    booking = StartTestWorker(dir, broker.endpoint(), dir.File("booking.db"), "booking.log",
                              {"--sink", "--service", "booking"});
    wire::BrokerConnection conn;
    conn.endpoint = broker.endpoint();
    client = std::make_unique<MdpClient>(ctx, conn, "booking-client");
  }

  void StartAdapter(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"adapter",    "scan",            "--config",  broker.config(),
                                     "--endpoint", broker.endpoint(), "--no-curve"};
    args.insert(args.end(), extra.begin(), extra.end());
    adapter = std::make_unique<ChildProcess>(HubBinary(), args,
                                             dir.File(fmt::format("adapter-{}.log", starts++)));
    REQUIRE_MESSAGE(adapter->WaitForLog("scan adapter serving", 60s), adapter->Log());
  }

  // Sends every request to `scan` and collects the replies, resending unanswered ones (same
  // bytes, same id) every 3 s, as the booking service's outbox does.
  std::map<std::string, wire::Envelope> Send(const std::vector<wire::Envelope>& requests) {
    std::map<std::string, std::string> pending;
    for (const auto& r : requests) {
      pending[r.id] = wire::EncodeEnvelope(r);
      REQUIRE(client->Send("scan", pending[r.id]));
    }
    std::map<std::string, wire::Envelope> replies;
    auto deadline = std::chrono::steady_clock::now() + 60s;
    auto resend = std::chrono::steady_clock::now() + 3s;
    while (!pending.empty() && std::chrono::steady_clock::now() < deadline) {
      for (auto& r : client->Poll(100)) {
        auto env = wire::DecodeEnvelope(r.body, 1 << 20);
        REQUIRE(env.ok());
        if (pending.erase(env->corr)) replies.emplace(env->corr, *env);
      }
      if (std::chrono::steady_clock::now() > resend) {
        for (const auto& [id, bytes] : pending) client->Send("scan", bytes);
        resend = std::chrono::steady_clock::now() + 3s;
      }
    }
    CHECK_MESSAGE(pending.empty(), pending.size(), " requests unanswered");
    return replies;
  }

  std::string Folder(const std::string& name) const { return dir.File("scan/" + name); }

  std::string Pdf(const scan::Coversheet& c) {
    scan::Coversheet v = c;
    REQUIRE(scan::ValidateCoversheet(&v).ok());
    auto pdf = renderer.Render({scan::Sheet{scan::PatchCode::kNone, &v},
                                scan::Sheet{scan::PatchCode::kPatch2, nullptr}});
    REQUIRE(pdf.ok());
    return *pdf;
  }

  // document.scanned bodies the booking stand-in received, with the envelope id they came in.
  std::vector<std::pair<std::string, schemas::DocumentScanned>> BookingReceived() const {
    storage::OpenOptions ro;
    ro.read_only = true;
    auto db = storage::Database::Open(dir.File("booking.db"), ro);
    if (!db.ok()) return {};
    auto st = (*db)->Prepare("SELECT msg_id, type, body FROM sunk ORDER BY rowid");
    if (!st.ok()) return {};
    std::vector<std::pair<std::string, schemas::DocumentScanned>> out;
    while (true) {
      auto row = st->Step();
      if (!row.ok() || !*row) break;
      CHECK(st->ColumnText(1) == "document.scanned");
      auto body = schemas::DecodeDocumentScanned(st->ColumnBlob(2));
      REQUIRE(body.ok());
      out.emplace_back(st->ColumnText(0), *body);
    }
    return out;
  }

  // The state of a bureau batch and of each of its documents in scan.db.
  std::string BatchState(const std::string& batch) const {
    storage::OpenOptions ro;
    ro.read_only = true;
    auto db = storage::Database::Open(dir.File("scan.db"), ro);
    if (!db.ok()) return "";
    auto st = (*db)->Prepare("SELECT state FROM intake_batches WHERE batch_id = ?");
    if (!st.ok() || !st->BindAll(batch).ok()) return "";
    auto row = st->Step();
    return row.ok() && *row ? st->ColumnText(0) : "";
  }
  std::map<std::string, std::string> Documents(const std::string& batch) const {
    storage::OpenOptions ro;
    ro.read_only = true;
    auto db = storage::Database::Open(dir.File("scan.db"), ro);
    REQUIRE(db.ok());
    auto st = (*db)->Prepare(
        "SELECT file, state || ' ' || reason FROM documents WHERE batch_id = ? ORDER BY row");
    REQUIRE(st.ok());
    REQUIRE(st->BindAll(batch).ok());
    std::map<std::string, std::string> out;
    while (*st->Step()) out[st->ColumnText(0)] = st->ColumnText(1);
    return out;
  }

  CommandResult Ctl(std::vector<std::string> args) const {
    args.insert(args.begin(), {"ctl", "scan"});
    args.insert(args.end(), {"--config", broker.config()});
    return RunCommand(HubBinary(), args);
  }
};

schemas::ErrorBody ErrorOf(const wire::Envelope& reply) {
  REQUIRE(reply.type == "hub.error");
  auto e = schemas::DecodeErrorBody(reply.body);
  REQUIRE(e.ok());
  return *e;
}

// Coversheets CVS-1..n for patients of the RULES §5 test list, requested through the broker.
std::vector<scan::Coversheet> RequestCoversheets(ScanHub& hub, int n) {
  const std::vector<std::string> nhs = {"9000000009", "9434765919", "9912003888", "9462979626",
                                        "9990000018", "9990000026", "9990000034", "9990000042"};
  std::vector<scan::Coversheet> out;
  std::vector<wire::Envelope> requests;
  for (int i = 1; i <= n; ++i) {
    out.push_back(scan::testing::SampleCoversheet(fmt::format("CVS-{}", i), nhs[(i - 1) % 8],
                                                  fmt::format("0000000700{:02}", i)));
    requests.push_back(CoversheetRequest(scan::testing::SampleWireCoversheet(
        out.back().coversheet_id, out.back().nhs_number, out.back().referral_id)));
  }
  auto replies = hub.Send(requests);
  REQUIRE(replies.size() == requests.size());
  for (const auto& [id, reply] : replies) CHECK(reply.type == "scan.coversheet.accepted");
  return out;
}

TEST_CASE("coversheets through the broker; a bureau batch: good ones attached once, bad ones "
          "on the exception list") {
  ScanHub hub(4);
  hub.StartAdapter();
  auto sheets = RequestCoversheets(hub, 4);
  REQUIRE(WaitUntil([&] { return !fs::is_empty(hub.Folder("coversheets")); }, 30s));
  for (const auto& e : fs::directory_iterator(hub.Folder("coversheets"))) {
    CHECK(fs::file_size(e.path() / "coversheets.pdf") > 0);
    CHECK(Contains(scan::testing::ReadFile((e.path() / "manifest.csv").string()), "CVS-4"));
  }

  // Bad input: an error naming the field, nothing stored.
  auto invalid_nhs = scan::testing::SampleWireCoversheet("CVS-BAD");
  invalid_nhs.nhs_number = "9991234560";  // fails Modulus 11 (RULES §5)
  auto no_nhs = wire::MakeEnvelope(
      "scan.coversheet.requested", "booking", SystemClock::Instance().NowMs(),
      wire::MapWriter().Str("coversheet_id", "CVS-BAD2").Str("patient_name", "X").Finish());
  auto bad = hub.Send({CoversheetRequest(invalid_nhs), no_nhs});
  CHECK(ErrorOf(bad.begin()->second).code == "invalid_argument");
  std::set<std::string> fields;
  for (const auto& [id, reply] : bad) fields.insert(ErrorOf(reply).field);
  CHECK(fields == std::set<std::string>{"body.nhs_number"});

  // The bureau's batch.
  scan::Coversheet wrong_patient = sheets[3];
  wrong_patient.nhs_number = "9990000050";
  scan::Coversheet stranger = scan::testing::SampleCoversheet("CVS-STRANGER", "9990000069");
  auto barcode = [](const scan::Coversheet& c) { return scan::FormatIndex(scan::IndexOf(c)); };
  const std::string pdf1 = hub.Pdf(sheets[0]);
  auto blank = hub.renderer.Render({scan::Sheet{scan::PatchCode::kPatchT, nullptr}});
  REQUIRE(blank.ok());
  scan::testing::DropBatch(
      hub.Folder("inbox"), "BUREAU-01",
      {{"one.pdf", pdf1, "CVS-1", barcode(sheets[0]), 2},
       {"two.pdf", hub.Pdf(sheets[1]), "", "", 2},  // barcode read from the page itself
       {"three.pdf", hub.Pdf(sheets[2]), "CVS-3", barcode(sheets[2]), 2},
       {"damaged.pdf", hub.Pdf(sheets[2]), "CVS-3", barcode(sheets[2]), 2, "2025-01-08",
        std::string(64, 'f')},
       {"blank.pdf", *blank, "", "", 1},
       {"stranger.pdf", hub.Pdf(stranger), "", barcode(stranger), 2},
       {"wrong-patient.pdf", hub.Pdf(wrong_patient), "", barcode(wrong_patient), 2},
       {"one-again.pdf", pdf1, "CVS-1", barcode(sheets[0]), 2}});
  REQUIRE_MESSAGE(WaitUntil([&] { return hub.BatchState("BUREAU-01") == "DONE"; }, 120s),
                  hub.adapter->Log());

  const std::map<std::string, std::string> expected = {
      {"one.pdf", "ATTACHED "},
      {"two.pdf", "ATTACHED "},
      {"three.pdf", "ATTACHED "},
      {"damaged.pdf", "EXCEPTION CHECKSUM_MISMATCH"},
      {"blank.pdf", "EXCEPTION BARCODE_UNREADABLE"},
      {"stranger.pdf", "EXCEPTION UNKNOWN_COVERSHEET"},
      {"wrong-patient.pdf", "EXCEPTION NHS_MISMATCH"},
      {"one-again.pdf", "EXCEPTION DUPLICATE_SCAN"}};
  CHECK(hub.Documents("BUREAU-01") == expected);
  auto received = hub.BookingReceived();
  std::map<std::string, int> per_coversheet;
  for (const auto& [msg_id, d] : received) ++per_coversheet[d.coversheet_id];
  CHECK(per_coversheet == std::map<std::string, int>{{"CVS-1", 1}, {"CVS-2", 1}, {"CVS-3", 1}});
  for (const auto& [msg_id, d] : received) {
    CHECK(d.batch_id == "BUREAU-01");
    CHECK(fs::exists(hub.dir.File(d.location)));
  }
  CHECK(fs::exists(hub.Folder("done/BUREAU-01/index.csv")));

  auto exceptions = hub.Ctl({"exceptions"});
  CHECK(exceptions.exit_code == 0);
  for (const char* s : {"5 scanning exceptions", "CHECKSUM_MISMATCH  damaged.pdf",
                        "BARCODE_UNREADABLE  blank.pdf", "UNKNOWN_COVERSHEET  stranger.pdf",
                        "NHS_MISMATCH  wrong-patient.pdf", "DUPLICATE_SCAN  one-again.pdf",
                        "scan/exceptions/BUREAU-01/0007-wrong-patient.pdf"}) {
    CAPTURE(s);
    CHECK(Contains(exceptions.output, s));
  }
  auto chase = hub.Ctl({"chase"});
  CHECK(chase.exit_code == 0);
  CHECK(Contains(chase.output, "nothing to chase"));
  auto batches = hub.Ctl({"batches"});
  CHECK(Contains(batches.output, "BUREAU-01"));
  CHECK(hub.Ctl({"nonsense"}).exit_code == 2);

  int status = hub.adapter->Kill(SIGTERM);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("killed with SIGKILL mid-batch, twice: every document attached once or an exception") {
  ScanHub hub(100);
  hub.StartAdapter();
  auto sheets = RequestCoversheets(hub, 6);
  hub.adapter->Kill(SIGTERM);
  auto barcode = [](const scan::Coversheet& c) { return scan::FormatIndex(scan::IndexOf(c)); };
  std::vector<BureauDocument> docs;
  for (int i = 0; i < 6; ++i) {
    docs.push_back({fmt::format("doc-{}.pdf", i + 1), hub.Pdf(sheets[i]), "", barcode(sheets[i]), 2});
  }
  docs[4].sha256 = std::string(64, '0');  // an exception among them
  docs.push_back({"doc-1-again.pdf", docs[0].bytes, "", barcode(sheets[0]), 2});
  scan::testing::DropBatch(hub.Folder("inbox"), "BUREAU-KILL", docs);

  // Dies after the second document's file is stored, before its row is committed...
  hub.StartAdapter({"--fault-kill-at", "intake.stored:2"});
  REQUIRE(hub.adapter->Wait(60s) == -SIGKILL);
  CHECK(hub.BatchState("BUREAU-KILL") == "OPEN");
  CHECK(hub.Documents("BUREAU-KILL").size() == 1);
  // ... then after committing the third document of this run (the batch's fourth).
  hub.StartAdapter({"--fault-kill-at", "intake.committed:3"});
  REQUIRE(hub.adapter->Wait(60s) == -SIGKILL);
  CHECK(hub.BatchState("BUREAU-KILL") == "OPEN");  // not done: documents remain
  CHECK(hub.Documents("BUREAU-KILL").size() == 4);

  hub.StartAdapter();
  REQUIRE_MESSAGE(WaitUntil([&] { return hub.BatchState("BUREAU-KILL") == "DONE"; }, 120s),
                  hub.adapter->Log());
  auto documents = hub.Documents("BUREAU-KILL");
  REQUIRE(documents.size() == docs.size());
  for (int i = 1; i <= 6; ++i) {
    CAPTURE(i);
    CHECK(documents[fmt::format("doc-{}.pdf", i)] ==
          (i == 5 ? "EXCEPTION CHECKSUM_MISMATCH" : "ATTACHED "));
  }
  CHECK(documents["doc-1-again.pdf"] == "EXCEPTION DUPLICATE_SCAN");
  // Attached exactly once: one envelope per good document at the booking service.
  auto received = hub.BookingReceived();
  std::map<std::string, int> per_document;
  for (const auto& [msg_id, d] : received) ++per_document[d.document_id];
  CHECK(per_document.size() == 5);
  for (const auto& [id, n] : per_document) {
    CAPTURE(id);
    CHECK(n == 1);
  }
  CHECK(received.size() == 5);
  CHECK(fs::is_empty(hub.Folder("work")));
  auto exceptions = hub.Ctl({"exceptions", "--batch", "BUREAU-KILL"});
  CHECK(Contains(exceptions.output, "2 scanning exceptions"));
}

}  // namespace
}  // namespace hub::testing
