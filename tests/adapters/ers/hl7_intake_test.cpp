// One HL7 message from bytes to ACK: AA only with the referral in the outbox; AE/AR with ERR
// for bad messages, logged as refused; AR 205/201 for changes and cancels; AR 207 on failure.
#include "adapters/ers/hl7_intake.hpp"

#include <doctest/doctest.h>

#include "tests/adapters/ers/test_data.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::ers {
namespace {

using testing::ReadTestData;
using testing::WithCr;

struct Fixture {
  hub::testing::TempDir dir;
  ManualClock clock{1'700'000'000'000};
  std::unique_ptr<ErsStore> store;
  std::unique_ptr<Hl7Intake> intake;
  Fixture() {
    auto s = ErsStore::Open(dir.File("ers.db"), storage::Synchronous::kNormal);
    REQUIRE(s.ok());
    store = std::move(*s);
    intake = std::make_unique<Hl7Intake>(*store, Hl7IntakeOptions{}, clock);
  }
  Hl7Reply Process(const std::string& bytes) {
    storage::Transaction txn(store->db());
    auto r = intake->Process(bytes, {"mllp", "127.0.0.1:1", ""});
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    REQUIRE(txn.Commit().ok());
    return *r;
  }
  std::int64_t Count(const std::string& sql) { return store->db().QueryInt(sql)->value_or(0); }
};

std::string Good() { return WithCr(ReadTestData("hl7v2-REF-I12-01-with-nhs-number.hl7")); }

std::string Replace(std::string text, std::string_view from, std::string_view to) {
  std::size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

TEST_CASE("a good REF^I12: AA echoing MSH-10, referral in the outbox") {
  Fixture f;
  auto reply = f.Process(Good());
  CHECK(reply.code == AckCode::kAccept);
  CHECK(reply.ack.find("MSA|AA|MSG00112") != std::string::npos);
  CHECK(f.Count("SELECT count(*) FROM outbox") == 1);
  CHECK(f.Count("SELECT count(*) FROM inbound WHERE message_id = 'MSG00112' AND "
                "feed = 'mllp' AND disposition = 'forwarded'") == 1);
  // The same message again: AA, nothing new forwarded.
  CHECK(f.Process(Good()).code == AckCode::kAccept);
  CHECK(f.Count("SELECT count(*) FROM outbox") == 1);
}

TEST_CASE("bad messages: AE/AR with ERR, logged as refused with the bytes") {
  Fixture f;
  auto no_nhs = f.Process(WithCr(ReadTestData("hl7v2-fhirconverter-REF-I12-01.hl7")));
  CHECK(no_nhs.code == AckCode::kError);  // require_nhs_number by default
  CHECK(no_nhs.ack.find("ERR|") != std::string::npos);
  auto siu = f.Process(WithCr(ReadTestData("hl7v2-corepoint-SIU-S14.hl7")));
  CHECK(siu.code == AckCode::kReject);
  CHECK(siu.reason.find("200") != std::string::npos);
  auto garbage = f.Process("not hl7");
  CHECK(garbage.code == AckCode::kReject);
  CHECK(f.Count("SELECT count(*) FROM inbound WHERE disposition = 'refused' AND "
                "length(excerpt) > 0") == 3);
  CHECK(f.Count("SELECT count(*) FROM outbox") == 0);
}

TEST_CASE("a changed REF^I12 -> AR 205; REF^I13 change -> AR 201; REF^I14 -> AR 201") {
  Fixture f;
  REQUIRE(f.Process(Good()).code == AckCode::kAccept);
  auto changed = f.Process(Replace(Good(), "R^Routine", "A^ASAP"));
  CHECK(changed.code == AckCode::kReject);
  CHECK(changed.ack.find("|205^") != std::string::npos);
  auto i13 = f.Process(
      Replace(Replace(Good(), "R^Routine", "A^ASAP"), "REF^I12^REF_I12", "REF^I13^REF_I13"));
  CHECK(i13.ack.find("|201^") != std::string::npos);
  auto i14 = f.Process(Replace(Good(), "REF^I12^REF_I12", "REF^I14^REF_I14"));
  CHECK(i14.code == AckCode::kReject);
  CHECK(i14.reason.find("booking team") != std::string::npos);
  CHECK(f.Count("SELECT count(*) FROM outbox") == 1);
}

TEST_CASE("framing errors and storage failures are answered AR") {
  Fixture f;
  storage::Transaction txn(f.store->db());
  auto framing = f.intake->ProcessFramingError(Status::InvalidArgument("bytes outside a frame"),
                                               "junk", {"mllp", "p", ""});
  REQUIRE(framing.ok());
  CHECK(framing->code == AckCode::kReject);
  CHECK(framing->ack.find("MSA|AR|") != std::string::npos);
  auto failure = f.intake->FailureReply(Good(), Status::IOError("disk full"));
  CHECK(failure.ack.find("MSA|AR|MSG00112") != std::string::npos);
  CHECK(failure.ack.find("|207^") != std::string::npos);
}

}  // namespace
}  // namespace hub::ers
