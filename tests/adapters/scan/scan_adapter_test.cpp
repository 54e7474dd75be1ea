// The adapter's request path without sockets: scan.coversheet.requested accepted once (a
// redelivery gets the recorded reply), and bad input — a missing field, an invalid NHS number,
// a bad date, another message type or version, bytes that are no envelope — answered with an
// error naming the field, nothing stored.
#include "adapters/scan/scan_adapter.hpp"

#include <doctest/doctest.h>

#include "adapters/scan/scan_db.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/error.hpp"
#include "schemas/scan.hpp"
#include "tests/adapters/scan/scan_test_support.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::scan {
namespace {

// The body of `b` without `key` (msgpack map re-written field by field).
std::string EncodedWithout(const schemas::ScanCoversheetRequested& b, const std::string& key) {
  wire::MapWriter w;
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"coversheet_id", b.coversheet_id}, {"nhs_number", b.nhs_number},
      {"mrn", b.mrn},                     {"patient_name", b.patient_name},
      {"patient_birth_date", b.patient_birth_date}, {"referral_id", b.referral_id},
      {"ubrn", b.ubrn},                   {"document_type", b.document_type},
      {"document_date", b.document_date}, {"specialty", b.specialty}};
  for (const auto& [k, v] : fields) {
    if (k != key && !v.empty()) w.Str(k, v);
  }
  return w.Finish();
}

wire::Envelope Request(const std::string& body, std::string type = "scan.coversheet.requested",
                       std::uint32_t v = 1) {
  return wire::MakeEnvelope(std::move(type), "booking", 1'736'150'400'000, body, "", v);
}

struct AdapterFixture {
  hub::testing::TempDir dir;
  ScanConfig config = testing::TestConfig(dir.path());
  ManualClock clock{1'736'150'400'000};
  std::unique_ptr<storage::Database> db = OpenScanDb(config.folders.database, true).value();
  ScanAdapter adapter{*db, config, clock};

  AdapterFixture() { REQUIRE(adapter.Start().ok()); }

  std::vector<wire::Envelope> Handle(const std::vector<wire::Envelope>& requests) {
    std::vector<std::string> bytes;
    for (const auto& r : requests) bytes.push_back(wire::EncodeEnvelope(r));
    return HandleBytes(bytes);
  }
  std::vector<wire::Envelope> HandleBytes(const std::vector<std::string>& bytes) {
    auto replies = adapter.HandleBatch(bytes);
    REQUIRE_MESSAGE(replies.ok(), replies.status().ToString());
    std::vector<wire::Envelope> out;
    for (const auto& r : *replies) out.push_back(*wire::DecodeEnvelope(r, 1 << 20));
    return out;
  }
  std::int64_t Stored() {
    return db->QueryInt("SELECT count(*) FROM coversheets")->value_or(-1);
  }
};

schemas::ErrorBody ErrorOf(const wire::Envelope& reply) {
  REQUIRE(reply.type == "hub.error");
  auto e = schemas::DecodeErrorBody(reply.body);
  REQUIRE(e.ok());
  return *e;
}

TEST_CASE("a coversheet request is stored once; a redelivery gets the same reply") {
  AdapterFixture f;
  auto request = Request(schemas::EncodeScanCoversheetRequested(testing::SampleWireCoversheet()));
  auto same_id_again = f.Handle({request, request});
  REQUIRE(same_id_again.size() == 2);
  CHECK(same_id_again[0].type == "scan.coversheet.accepted");
  CHECK(same_id_again[0].corr == request.id);
  CHECK(same_id_again[0].source == "adapter.scan");
  auto accepted = schemas::DecodeScanCoversheetAccepted(same_id_again[0].body);
  REQUIRE(accepted.ok());
  CHECK(accepted->coversheet_id == "CVS-000001");
  CHECK_FALSE(accepted->duplicate);
  CHECK(same_id_again[1] == same_id_again[0]);
  // The booking engine sending the same coversheet under a new envelope id: a duplicate.
  auto resent = f.Handle({Request(request.body)});
  CHECK(schemas::DecodeScanCoversheetAccepted(resent[0].body)->duplicate);
  CHECK(f.Stored() == 1);
}

TEST_CASE("bad input to the worker: an error reply naming the field, nothing stored") {
  AdapterFixture f;
  auto sample = testing::SampleWireCoversheet("CVS-BAD");
  auto invalid_nhs = sample;
  invalid_nhs.nhs_number = "9876544321";  // fails Modulus 11 (RULES §5)
  auto bad_date = sample;
  bad_date.patient_birth_date = "17/05/1970";
  auto bad_ubrn = sample;
  bad_ubrn.ubrn = "123";
  const std::vector<std::pair<wire::Envelope, std::string>> bad = {
      {Request(EncodedWithout(sample, "nhs_number")), "body.nhs_number"},
      {Request(EncodedWithout(sample, "referral_id")), "body.referral_id"},
      {Request(schemas::EncodeScanCoversheetRequested(invalid_nhs)), "body.nhs_number"},
      {Request(schemas::EncodeScanCoversheetRequested(bad_date)), "body.patient_birth_date"},
      {Request(schemas::EncodeScanCoversheetRequested(bad_ubrn)), "body.ubrn"},
      {Request(wire::MapWriter().Int("coversheet_id", 7).Finish()), "body.coversheet_id"},
      {Request(schemas::EncodeScanCoversheetRequested(sample), "letter.requested"), "type"},
      {Request(schemas::EncodeScanCoversheetRequested(sample), "no.such.type"), "type"},
      {Request(schemas::EncodeScanCoversheetRequested(sample), "scan.coversheet.requested", 2),
       "v"},
  };
  std::vector<wire::Envelope> requests;
  for (const auto& b : bad) requests.push_back(b.first);
  auto replies = f.Handle(requests);
  REQUIRE(replies.size() == bad.size());
  for (std::size_t i = 0; i < bad.size(); ++i) {
    CAPTURE(bad[i].second);
    auto e = ErrorOf(replies[i]);
    CHECK(e.code == "invalid_argument");
    CHECK(e.field == bad[i].second);
    CHECK(e.ref == bad[i].first.id);
    CHECK_FALSE(e.retryable);
    CHECK_FALSE(e.message.empty());
  }
  CHECK(ErrorOf(replies[2]).message.find("9876544321") != std::string::npos);
  // Bytes that are no envelope at all.
  auto garbage = f.HandleBytes({"\x93\x01\x02"});
  CHECK(ErrorOf(garbage[0]).code == "invalid_argument");
  CHECK(f.Stored() == 0);
  // ... and the worker goes on serving.
  auto good = f.Handle({Request(schemas::EncodeScanCoversheetRequested(sample))});
  CHECK(good[0].type == "scan.coversheet.accepted");
  CHECK(f.Stored() == 1);
}

TEST_CASE("at the hard limit of waiting coversheets the request is refused, retryable") {
  AdapterFixture f;
  f.config.adapter.waiting_soft_limit = 1;
  f.config.adapter.waiting_hard_limit = 1;
  f.config.batch.max_coversheets = 100;
  auto first = f.Handle({Request(schemas::EncodeScanCoversheetRequested(
      testing::SampleWireCoversheet("CVS-1")))});
  CHECK(first[0].type == "scan.coversheet.accepted");
  auto request = Request(schemas::EncodeScanCoversheetRequested(
      testing::SampleWireCoversheet("CVS-2", "9434765919", "000000070002")));
  auto full = f.Handle({request});
  auto e = ErrorOf(full[0]);
  CHECK(e.code == "resource_exhausted");
  CHECK(e.retryable);
  // Not recorded: once the batch is printed the same envelope succeeds.
  f.clock.Advance(61 * 60'000);
  REQUIRE(f.adapter.Poll().ok());
  CHECK(f.Handle({request})[0].type == "scan.coversheet.accepted");
}

}  // namespace
}  // namespace hub::scan
