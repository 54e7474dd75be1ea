// The adapter's request handling and timer without sockets: letter.requested acknowledged and
// stored with its dedupe record and a letter.status in the outbox, in one transaction; a
// redelivery answered from the dedupe record; bad input of each kind refused naming the field
// with nothing stored; batches cut at N letters; returned mail reported to the booking service
// (RULES §6); the waiting-letters bound.
#include "adapters/print/print_adapter.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include "adapters/print/print_db.hpp"
#include "adapters/print/status_file.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/error.hpp"
#include "tests/adapters/print/print_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::print {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kStartMs = 1738573200000;  // 2025-02-03T09:00:00Z

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

struct OutboxRow {
  std::string service;
  wire::Envelope envelope;
  schemas::LetterStatusBody status;
};

struct Fixture {
  hub::testing::TempDir dir;
  PrintConfig config = [this] {
    PrintConfig c = testing::TestConfig(dir.path());
    c.batch.max_letters = 3;
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
    REQUIRE_MESSAGE(d.ok(), d.status().ToString());
    return std::move(d).value();
  }();
  PrintAdapter adapter{*db, config, templates, clock};

  Fixture() { REQUIRE(adapter.Start().ok()); }

  static std::string Request(const std::string& body, std::string type = "letter.requested") {
    return wire::EncodeEnvelope(wire::MakeEnvelope(std::move(type), "booking", kStartMs, body));
  }

  std::vector<wire::Envelope> Handle(const std::vector<std::string>& requests) {
    auto replies = adapter.HandleBatch(requests);
    REQUIRE_MESSAGE(replies.ok(), replies.status().ToString());
    REQUIRE(replies->size() == requests.size());
    std::vector<wire::Envelope> out;
    for (const auto& r : *replies) {
      auto env = wire::DecodeEnvelope(r, kMaxRequestBytes);
      REQUIRE(env.ok());
      out.push_back(*env);
    }
    return out;
  }
  wire::Envelope HandleOne(const std::string& request) { return Handle({request})[0]; }

  std::vector<OutboxRow> Outbox() {
    auto st = db->Prepare("SELECT service, envelope FROM outbox ORDER BY created_ms, rowid");
    REQUIRE(st.ok());
    std::vector<OutboxRow> out;
    while (*st->Step()) {
      OutboxRow row;
      row.service = st->ColumnText(0);
      auto env = wire::DecodeEnvelope(st->ColumnBlob(1), kMaxRequestBytes);
      REQUIRE(env.ok());
      row.envelope = *env;
      CHECK(env->type == "letter.status");
      auto body = schemas::DecodeLetterStatus(env->body);
      REQUIRE(body.ok());
      row.status = *body;
      out.push_back(row);
    }
    return out;
  }
  std::int64_t Letters() { return **db->QueryInt("SELECT count(*) FROM letters"); }
  std::int64_t Processed() { return **db->QueryInt("SELECT count(*) FROM processed"); }
  std::vector<std::string> BatchFolders() {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(config.folders.outbox)) {
      if (e.is_directory()) out.push_back(e.path().filename().string());
    }
    return out;
  }
};

schemas::ErrorBody ErrorOf(const wire::Envelope& reply) {
  REQUIRE(reply.type == "hub.error");
  auto e = schemas::DecodeErrorBody(reply.body);
  REQUIRE(e.ok());
  return *e;
}

TEST_CASE("letter.requested: stored, acknowledged, PENDING queued for booking; redelivery") {
  Fixture f;
  std::string request =
      Fixture::Request(schemas::EncodeLetterRequested(testing::SampleWireLetter()));
  auto request_env = *wire::DecodeEnvelope(request, kMaxRequestBytes);
  wire::Envelope reply = f.HandleOne(request);
  CHECK(reply.type == kLetterAcceptedType);
  CHECK(reply.corr == request_env.id);
  CHECK(reply.source == kPrintSource);
  auto doc = wire::Document::Parse(reply.body, "body");
  REQUIRE(doc.ok());
  auto r = *wire::MapReader::Of(doc->root(), "body");
  std::string id;
  bool duplicate = true;
  std::int64_t pages = 0;
  REQUIRE(r.Str("letter_id", &id).ok());
  REQUIRE(r.Bool("duplicate", &duplicate).ok());
  REQUIRE(r.Int("page_count", &pages).ok());
  CHECK(id == "L-1");
  CHECK_FALSE(duplicate);
  CHECK(pages >= 1);
  CHECK(f.Letters() == 1);

  auto outbox = f.Outbox();
  REQUIRE(outbox.size() == 1);
  CHECK(outbox[0].service == "booking");
  CHECK(outbox[0].envelope.corr == request_env.id);
  CHECK(outbox[0].status.letter_id == "L-1");
  CHECK(outbox[0].status.status == "PENDING");

  // The broker redelivers the same envelope (the reply was lost): the recorded reply, byte for
  // byte, and nothing new.
  wire::Envelope again = f.HandleOne(request);
  CHECK(again == reply);
  CHECK(f.Letters() == 1);
  CHECK(f.Outbox().size() == 1);

  // The booking service asks again for the same letter under a new envelope id: a duplicate.
  wire::Envelope resent =
      f.HandleOne(Fixture::Request(schemas::EncodeLetterRequested(testing::SampleWireLetter())));
  CHECK(resent.type == kLetterAcceptedType);
  CHECK(Contains(resent.body, "duplicate"));
  CHECK(f.Letters() == 1);
  CHECK(f.Outbox().size() == 1);

  // The same letter id for a different letter is refused.
  schemas::LetterRequested other = testing::SampleWireLetter();
  other.reason = "Something else.";
  auto clash = ErrorOf(f.HandleOne(Fixture::Request(schemas::EncodeLetterRequested(other))));
  CHECK(clash.code == "already_exists");
  CHECK(clash.field == "body.letter_id");
}

TEST_CASE("bad input of each kind: an error naming the problem, nothing stored or queued") {
  struct Case {
    std::string name;
    std::string request;
    std::string field;
    std::string code = "invalid_argument";
  };
  schemas::LetterRequested base = testing::SampleWireLetter();
  auto with = [&](auto change) {
    schemas::LetterRequested b = base;
    change(b);
    return Fixture::Request(schemas::EncodeLetterRequested(b));
  };
  std::vector<Case> cases = {
      {"missing field", Fixture::Request(testing::EncodedWithout(base, "nhs_number")),
       "body.nhs_number"},
      {"missing nested field",
       Fixture::Request(testing::EncodedWithout(base, "recipient_address.postcode")),
       "body.recipient_address.postcode"},
      {"unknown kind", with([](auto& b) { b.kind = "POSTCARD"; }), "body.kind"},
      {"kind in lower case", with([](auto& b) { b.kind = "appointment"; }), "body.kind"},
      {"address too wide for the window", with([](auto& b) {
         b.recipient_address.lines[0] =
             "Flat 12, The Old Cotton Mill Apartments, 145 Kirkstall Road West";
       }),
       "body.recipient_address.lines"},
      {"address with too many lines for the window", with([](auto& b) {
         b.recipient_address.lines = {"Flat 3", "12 Park Lane",   "Headingley",
                                      "Leeds",  "West Yorkshire", "England"};
       }),
       "body.recipient_address.lines"},
      {"appointment letter without its appointment", with([](auto& b) { b.appointment.reset(); }),
       "body.appointment.clinic_name"},
      {"invalid NHS number", with([](auto& b) { b.nhs_number = "943 476 5918"; }),
       "body.nhs_number"},
      {"bad postcode", with([](auto& b) { b.recipient_address.postcode = "LS1"; }),
       "body.recipient_address.postcode"},
      {"empty addressee", with([](auto& b) { b.recipient_name = " "; }), "body.recipient_name"},
      {"body of the wrong type", Fixture::Request(wire::MapWriter().Int("letter_id", 7).Finish()),
       "body.letter_id"},
      {"another message type",
       Fixture::Request(schemas::EncodeLetterRequested(base), "referral.received"), "type"},
      {"an unknown message type", Fixture::Request(schemas::EncodeLetterRequested(base), "x.y"),
       "type"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    Fixture f;
    auto e = ErrorOf(f.HandleOne(c.request));
    CHECK(e.code == c.code);
    CHECK(e.field == c.field);
    CHECK_FALSE(e.message.empty());
    CHECK_FALSE(e.retryable);
    CHECK(f.Letters() == 0);
    CHECK(f.Outbox().empty());
    CHECK(f.Processed() == 1);  // the refusal is final: a redelivery gets it again
    REQUIRE(f.adapter.spooler().Flush().ok());
    CHECK(f.BatchFolders().empty());
    CHECK(fs::is_empty(f.config.folders.staging));
  }

  Fixture f;
  auto garbage = ErrorOf(f.HandleOne("not msgpack"));
  CHECK(garbage.code == "invalid_argument");
  CHECK(garbage.ref.empty());
  wire::Envelope v2 = wire::MakeEnvelope("letter.requested", "booking", kStartMs,
                                         schemas::EncodeLetterRequested(base), "", 2);
  CHECK(ErrorOf(f.HandleOne(wire::EncodeEnvelope(v2))).field == "v");
}

TEST_CASE("one batch of requests: the good letters stored, the bad ones leave nothing") {
  Fixture f;
  schemas::LetterRequested bad = testing::SampleWireLetter("APPOINTMENT", "L-bad");
  bad.recipient_address.lines = {"1", "2", "3", "4", "5", "6", "7"};
  auto replies = f.Handle({
      Fixture::Request(
          schemas::EncodeLetterRequested(testing::SampleWireLetter("APPOINTMENT", "L-1"))),
      Fixture::Request(schemas::EncodeLetterRequested(bad)),
      Fixture::Request(
          schemas::EncodeLetterRequested(testing::SampleWireLetter("CANCELLATION", "L-2"))),
  });
  CHECK(replies[0].type == kLetterAcceptedType);
  CHECK(ErrorOf(replies[1]).field == "body.recipient_address.lines");
  CHECK(replies[2].type == kLetterAcceptedType);
  CHECK(f.Letters() == 2);
  CHECK(f.Outbox().size() == 2);
  CHECK_FALSE(f.adapter.spooler().store().Find("L-bad")->has_value());
}

TEST_CASE("a batch is cut at N letters, and returned mail is reported to the booking service") {
  Fixture f;
  for (int i = 1; i <= 3; ++i) {
    auto id = "L-" + std::to_string(i);
    CHECK(f.HandleOne(Fixture::Request(schemas::EncodeLetterRequested(
                          testing::SampleWireLetter("APPOINTMENT", id))))
              .type == kLetterAcceptedType);
    REQUIRE(f.adapter.CutIfDue().ok());
    CHECK(f.BatchFolders().size() == (i < 3 ? 0u : 1u));
  }
  // BATCHED is the hub's own: nothing more for the booking service yet.
  CHECK(f.Outbox().size() == 3);

  testing::WriteFile(f.config.folders.inbox + "/status-001.csv",
                     std::string(kStatusFileHeader) + "\n" +
                         "L-1,DISPATCHED,2025-02-04T06:00:00Z,,\n"
                         "L-2,RETURNED,2025-02-10T08:12:00+00:00,R07,No such address\n");
  REQUIRE(f.adapter.Poll().ok());
  auto outbox = f.Outbox();
  REQUIRE(outbox.size() == 5);
  CHECK(outbox[3].status.letter_id == "L-1");
  CHECK(outbox[3].status.status == "DISPATCHED");
  CHECK(outbox[4].status.letter_id == "L-2");
  CHECK(outbox[4].status.status == "RETURNED");
  CHECK(outbox[4].status.reason == "R07 No such address");
  CHECK(outbox[4].status.status_ms == *ParseTimestamp("2025-02-10T08:12:00Z"));
  CHECK(outbox[4].envelope.corr.empty());
  CHECK(fs::exists(f.config.folders.done + "/status-001.csv"));

  // A file naming a letter the hub does not know goes to error/ with the reason; no message.
  testing::WriteFile(f.config.folders.inbox + "/status-002.csv",
                     std::string(kStatusFileHeader) + "\nL-404,PRINTED,2025-02-04T06:00:00Z,,\n");
  REQUIRE(f.adapter.Poll().ok());
  CHECK(f.Outbox().size() == 5);
  CHECK(Contains(testing::ReadFile(f.config.folders.error + "/status-002.csv.error.txt"),
                 "letter L-404 is not known"));
}

TEST_CASE("letters waiting for a batch are bounded: retryable refusal at the hard limit") {
  Fixture f;
  f.config.batch.max_letters = 100;
  f.config.adapter.waiting_soft_limit = 1;
  f.config.adapter.waiting_hard_limit = 2;
  auto request = [](const std::string& id) {
    return Fixture::Request(
        schemas::EncodeLetterRequested(testing::SampleWireLetter("APPOINTMENT", id)));
  };
  const std::string third = request("L-3");
  auto replies = f.Handle({request("L-1"), request("L-2"), third});
  CHECK(replies[0].type == kLetterAcceptedType);
  CHECK(replies[1].type == kLetterAcceptedType);
  auto full = ErrorOf(replies[2]);
  CHECK(full.code == "resource_exhausted");
  CHECK(full.retryable);
  CHECK(f.Processed() == 2);  // not recorded: the same envelope may succeed later
  // Once a batch has gone, the booking service's resend of the same envelope is accepted.
  REQUIRE(f.adapter.spooler().Flush().ok());
  CHECK(f.HandleOne(third).type == kLetterAcceptedType);
}

}  // namespace
}  // namespace hub::print
