// ACK building: golden bytes for AA, AE and AR, read back through our parser, legacy ERR-1 for
// v2.3 senders, ACKs to unparseable bytes, the message's own delimiters, and escaping.
#include "adapters/ers/hl7_ack.hpp"

#include <doctest/doctest.h>

#include "adapters/ers/ref_message.hpp"
#include "tests/adapters/ers/test_data.hpp"

namespace hub::ers {
namespace {

using testing::ReadTestData;
using testing::WithCr;

constexpr std::int64_t kWinterMs = 1736155800000;  // 2025-01-06T09:30:00Z (GMT)
constexpr std::int64_t kSummerMs = 1751371200000;  // 2025-07-01T12:00:00Z (BST, +01:00)

AckOptions Options() {
  AckOptions o;
  o.control_id = "01JGZ0000000000000000000AK";
  o.now_utc_ms = kWinterMs;
  return o;
}

Hl7Message Parsed(const std::string& bytes) {
  auto m = Hl7Message::Parse(bytes);
  REQUIRE_MESSAGE(m.ok(), m.error().message);
  return std::move(m).value();
}

TEST_CASE("HL7 timestamps are Europe/London local time with the offset") {
  CHECK(FormatHl7Timestamp(kWinterMs) == "20250106093000+0000");
  CHECK(FormatHl7Timestamp(kSummerMs) == "20250701130000+0100");
  CHECK(FormatHl7Timestamp(0) == "19700101010000+0100");  // British Standard Time, 1968-71
  CHECK(FormatHl7Timestamp(kWinterMs + 999) == "20250106093000+0000");
}

TEST_CASE("AA to the REF^I12: golden bytes, sender and receiver swapped") {
  const Hl7Message ref = Parsed(WithCr(ReadTestData("hl7v2-REF-I12-01-with-nhs-number.hl7")));
  const std::string ack = BuildAcceptAck(ref, Options());
  CHECK(ack ==
        "MSH|^~\\&|RHH|RHHFacility^2.16.840.1.1122848.1.32^ISO|GHH|"
        "GHHSFacility^2.16.840.1.122848.1.30^ISO|20250106093000+0000||ACK^I12^ACK|"
        "01JGZ0000000000000000000AK|P|2.8\r"
        "MSA|AA|MSG00112\r");
  const Hl7Message back = Parsed(ack);
  CHECK(back.MessageType() == "ACK");
  CHECK(back.Find("MSA")->Get(2) == "MSG00112");
  CHECK(back.Find("ERR") == nullptr);
}

TEST_CASE("AE for an invalid NHS number carries ERR-2, ERR-3, ERR-4 and ERR-8") {
  std::string bytes = WithCr(ReadTestData("hl7v2-REF-I12-01-with-nhs-number.hl7"));
  bytes.replace(bytes.find("9434765919"), 10, "9434765918");
  const Hl7Message ref = Parsed(bytes);
  auto parsed = ParseRefMessage(ref);
  REQUIRE_FALSE(parsed.ok());
  const std::string ack = BuildErrorAck(&ref, parsed.error(), Options());
  const std::string expected_text =
      "PID-3 NHS number: 9434765918 is not a valid NHS number: check digit is 8 but Modulus 11 "
      "gives 9 (mistyped digit?)";
  CHECK(ack ==
        "MSH|^~\\&|RHH|RHHFacility^2.16.840.1.1122848.1.32^ISO|GHH|"
        "GHHSFacility^2.16.840.1.122848.1.30^ISO|20250106093000+0000||ACK^I12^ACK|"
        "01JGZ0000000000000000000AK|P|2.8\r"
        "MSA|AE|MSG00112|" +
            expected_text +
            "\r"
            "ERR||PID^1^3^3^1|102^Data type error^HL70357|E||||" +
            expected_text + "\r");
  const Hl7Message back = Parsed(ack);
  const Hl7Segment* err = back.Find("ERR");
  REQUIRE(err != nullptr);
  CHECK(err->Get(1).empty());  // v2.8: no legacy ERR-1
  CHECK(err->Get(2, 1, 1) == "PID");
  CHECK(err->Get(2, 1, 3) == "3");
  CHECK(err->Get(3, 1, 1) == "102");
  CHECK(err->Get(3, 1, 3) == "HL70357");
  CHECK(err->Get(4) == "E");
  CHECK(err->Get(8) == expected_text);
}

TEST_CASE("AR to the v2.3 SIU^S14: legacy ERR-1, empty MSH-5 replaced by our application") {
  const Hl7Message siu = Parsed(ReadTestData("hl7v2-corepoint-SIU-S14.hl7"));
  auto parsed = ParseRefMessage(siu);
  REQUIRE_FALSE(parsed.ok());
  const std::string ack = BuildErrorAck(&siu, parsed.error(), Options());
  const Hl7Message back = Parsed(ack);
  const Hl7Segment& msh = back.header();
  CHECK(msh.Get(3) == "BOOKING_HUB");
  CHECK(msh.Get(4) == "MED2000");
  CHECK(msh.Get(5) == "GPMS");
  CHECK(msh.Get(6) == "CTX");
  CHECK(msh.Get(9, 1, 1) == "ACK");
  CHECK(msh.Get(9, 1, 2) == "S14");
  CHECK(back.VersionId() == "2.3");
  CHECK(back.Find("MSA")->Get(1) == "AR");
  CHECK(back.Find("MSA")->Get(2) == "20080306953450");
  const Hl7Segment* err = back.Find("ERR");
  REQUIRE(err != nullptr);
  CHECK(err->RawField(1) == "MSH^1^9^200&Unsupported message type&HL70357");
  CHECK(err->RawField(2) == "MSH^1^9^1^1");
  CHECK(err->Get(3, 1, 1) == "200");
  CHECK(err->Get(8).starts_with("SIU^S14 (notification of an appointment modification)"));
}

TEST_CASE("AR to bytes that are not HL7 at all") {
  auto parsed = Hl7Message::Parse("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE_FALSE(parsed.ok());
  AckOptions options = Options();
  options.facility = "RXX01";
  const std::string ack = BuildErrorAck(nullptr, parsed.error(), options);
  CHECK(ack ==
        "MSH|^~\\&|BOOKING_HUB|RXX01|||20250106093000+0000||ACK|01JGZ0000000000000000000AK|P|2.5\r"
        "MSA|AR||MSH segment missing: a message must begin with 'MSH', this one begins "
        "'GET / HTTP/1...'\r"
        "ERR||MSH^1|100^Segment sequence error^HL70357|E||||MSH segment missing: a message must "
        "begin with 'MSH', this one begins 'GET / HTTP/1...'\r");
  CHECK(Hl7Message::Parse(ack).ok());
}

TEST_CASE("a broken body is answered to the sender named in its MSH") {
  const std::string bytes =
      "MSH|^~\\&|GP|A81001|HUB|RXX|20250106||REF^I12^REF_I12|C-77|P|2.4\rPID|1\r!!|broken\r";
  auto full = Hl7Message::Parse(bytes);
  REQUIRE_FALSE(full.ok());
  auto header = Hl7Message::ParseHeader(bytes);
  REQUIRE(header.ok());
  const Hl7Message back = Parsed(BuildErrorAck(&*header, full.error(), Options()));
  CHECK(back.header().Get(3) == "HUB");
  CHECK(back.header().Get(5) == "GP");
  CHECK(back.Find("MSA")->Get(1) == "AR");
  CHECK(back.Find("MSA")->Get(2) == "C-77");
  const Hl7Segment* err = back.Find("ERR");
  CHECK(err->RawField(1) == "^^^100&Segment sequence error&HL70357");  // v2.4: ERR-1 too
  CHECK(err->RawField(2).empty());  // the bad segment has no usable id
  CHECK(err->Get(8).starts_with("segment 3 ('!!|broken') has no 3-letter name"));
}

TEST_CASE("the ACK uses the message's delimiters and escapes text") {
  const Hl7Message m = Parsed("MSH#*!@%#APP#FAC#HUB#RXX#20250101##REF*I12#C|1#P#2.5.1\nPID#1");
  Hl7Error error{AckCode::kError,
                 Hl7ErrorCode::kRequiredFieldMissing,
                 {"RF1", 1},
                 "bad #*!@% and |^~\\& chars\nsecond line"};
  const std::string ack = BuildErrorAck(&m, error, Options());
  CHECK(ack.find('\n') == std::string::npos);
  CHECK(ack.starts_with("MSH#*!@%#HUB#RXX#APP#FAC#20250106093000+0000##ACK*I12*ACK#"));
  const Hl7Message back = Parsed(ack);
  CHECK(back.separators().field == '#');
  CHECK(back.VersionId() == "2.5.1");
  CHECK(back.Find("MSA")->Get(2) == "C|1");
  CHECK(back.Find("ERR")->Get(8) == error.message);
  CHECK(back.Find("ERR")->Get(2, 1, 1) == "RF1");
  CHECK(back.Find("ERR")->RawField(1).empty());  // 2.5.1 uses ERR-2..8 only
}

TEST_CASE("one ERR per error; an unknown version is answered as 2.5") {
  const Hl7Message m = Parsed("MSH|^~\\&|A|B|C|D|20250101||REF^I12|X1|T|9.9");
  std::vector<Hl7Error> errors = {
      {AckCode::kError, Hl7ErrorCode::kRequiredFieldMissing, {"PID", 1, 5, 1, 1}, "first"},
      {AckCode::kError, Hl7ErrorCode::kTableValueNotFound, {"PID", 1, 8}, "second"}};
  const Hl7Message back = Parsed(BuildAck(&m, AckCode::kError, errors, Options()));
  CHECK(back.VersionId() == "2.5");
  CHECK(back.ProcessingId() == "T");
  REQUIRE(back.FindAll("ERR").size() == 2);
  CHECK(back.Find("MSA")->Get(3) == "first");
  CHECK(back.Find("ERR", 1)->RawField(2) == "PID^1^5^1^1");
  CHECK(back.Find("ERR", 2)->RawField(2) == "PID^1^8");
  CHECK(back.Find("ERR", 2)->Get(3, 1, 2) == "Table value not found");
}

}  // namespace
}  // namespace hub::ers
