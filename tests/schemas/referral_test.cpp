// referral.received / referral.triaged: golden bytes fixed against Python's msgpack, round trips,
// and strict decoding that names the field path.
#include "schemas/referral.hpp"

#include <doctest/doctest.h>

#include "hub/wire/msgpack_map.hpp"

namespace hub::schemas {
namespace {

std::string FromHex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// /usr/bin/python3 -c "import msgpack; print(msgpack.packb({'ubrn':'000000070000',
//   'patient':{'nhs_number':'9434765919','given_name':'Jane','family_name':'Smith',
//   'birth_date':'1980-05-01','address':{'lines':['1 Infirmary Street','Leeds'],
//   'postcode':'LS1 3EX'}},'priority':'URGENT','specialty':'CARDIOLOGY','clinic_type':'GENERAL',
//   'referrer':{'name':'Dr A Jones','organisation_code':'B86001','address':{'lines':
//   ['Park Surgery'],'postcode':'LS6 2AB'}},'source':'ERS','received_date':'2025-01-06',
//   'ers_pathway_start':'2025-01-03','needs_triage':False,'short_notice_agreed':False}).hex())"
constexpr std::string_view kGoldenHex =
    "8ba47562726eac303030303030303730303030a770617469656e7485aa6e68735f6e756d626572aa393433343736"
    "35393139aa676976656e5f6e616d65a44a616e65ab66616d696c795f6e616d65a5536d697468aa62697274685f64"
    "617465aa313938302d30352d3031a76164647265737382a56c696e657392b23120496e6669726d61727920537472"
    "656574a54c65656473a8706f7374636f6465a74c533120334558a87072696f72697479a6555247454e54a9737065"
    "6369616c7479aa43415244494f4c4f4759ab636c696e69635f74797065a747454e4552414ca87265666572726572"
    "83a46e616d65aa44722041204a6f6e6573b16f7267616e69736174696f6e5f636f6465a6423836303031a7616464"
    "7265737382a56c696e657391ac5061726b2053757267657279a8706f7374636f6465a74c533620324142a6736f75"
    "726365a3455253ad72656365697665645f64617465aa323032352d30312d3036b16572735f706174687761795f73"
    "74617274aa323032352d30312d3033ac6e656564735f747269616765c2b373686f72745f6e6f746963655f616772"
    "656564c2";

ReferralReceived Golden() {
  ReferralReceived r;
  r.ubrn = "000000070000";
  r.patient.nhs_number = "9434765919";
  r.patient.given_name = "Jane";
  r.patient.family_name = "Smith";
  r.patient.birth_date = "1980-05-01";
  r.patient.address.lines = {"1 Infirmary Street", "Leeds"};
  r.patient.address.postcode = "LS1 3EX";
  r.priority = "URGENT";
  r.specialty = "CARDIOLOGY";
  r.clinic_type = "GENERAL";
  r.referrer.name = "Dr A Jones";
  r.referrer.organisation_code = "B86001";
  r.referrer.address.lines = {"Park Surgery"};
  r.referrer.address.postcode = "LS6 2AB";
  r.source = "ERS";
  r.received_date = "2025-01-06";
  r.ers_pathway_start = "2025-01-03";
  return r;
}

TEST_CASE("referral.received encodes to the golden bytes and decodes back") {
  const std::string bytes = EncodeReferralReceived(Golden());
  CHECK(bytes == FromHex(kGoldenHex));
  auto decoded = DecodeReferralReceived(bytes);
  REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
  CHECK(*decoded == Golden());
}

TEST_CASE("referral.received decodes the golden bytes from the independent encoder") {
  auto decoded = DecodeReferralReceived(FromHex(kGoldenHex));
  REQUIRE(decoded.ok());
  CHECK(decoded->patient.address.lines.size() == 2);
  CHECK(decoded->referrer.organisation_code == "B86001");
  CHECK_FALSE(decoded->needs_triage);
}

TEST_CASE("every optional field survives a round trip") {
  ReferralReceived r = Golden();
  r.ubrn.clear();
  r.local_id = "PAS/1";
  r.patient.mrn = "M123";
  r.patient.title = "Mrs";
  r.patient.phone = "0113 000 0000";
  r.patient.mobile = "07700 900000";
  r.patient.gp_practice_code = "B86001";
  r.referrer.organisation_name = "Park Surgery";
  r.contact_by = "2025-01-16";
  r.needs_triage = true;
  r.short_notice_agreed = true;
  r.original_referral_id = "000000069999";
  r.original_received_date = "2024-11-01";
  auto decoded = DecodeReferralReceived(EncodeReferralReceived(r));
  REQUIRE(decoded.ok());
  CHECK(*decoded == r);
}

Status DecodeError(const wire::MapWriter& w) {
  auto r = DecodeReferralReceived(w.Finish());
  REQUIRE_FALSE(r.ok());
  return r.status();
}

TEST_CASE("bad referral bodies are refused with the field path") {
  // Unknown enum value.
  ReferralReceived r = Golden();
  r.priority = "urgent";
  auto bad_priority = DecodeReferralReceived(EncodeReferralReceived(r));
  REQUIRE_FALSE(bad_priority.ok());
  CHECK(bad_priority.status().field() == "body.priority");
  CHECK(bad_priority.status().message().find("ROUTINE, URGENT, TWO_WEEK_WAIT") !=
        std::string::npos);
  r = Golden();
  r.source = "FAX";
  CHECK(DecodeReferralReceived(EncodeReferralReceived(r)).status().field() == "body.source");
  // Neither ubrn nor local_id.
  r = Golden();
  r.ubrn.clear();
  CHECK(DecodeReferralReceived(EncodeReferralReceived(r)).status().field() == "body.ubrn");
  // Missing and mistyped nested fields.
  CHECK(DecodeError(wire::MapWriter().Str("ubrn", "1")).field() == "body.patient");
  CHECK(DecodeError(wire::MapWriter().Str("ubrn", "1").Str("patient", "x")).field() ==
        "body.patient");
  wire::MapWriter no_nhs;
  no_nhs.Str("given_name", "Jane");
  CHECK(DecodeError(wire::MapWriter().Str("ubrn", "1").Map("patient", no_nhs)).field() ==
        "body.patient.nhs_number");
  wire::MapWriter wrong_type;
  wrong_type.Int("nhs_number", 9434765919);
  auto typed = DecodeError(wire::MapWriter().Str("ubrn", "1").Map("patient", wrong_type));
  CHECK(typed.field() == "body.patient.nhs_number");
  CHECK(typed.message().find("expected a string") != std::string::npos);
  // Not msgpack at all, or not a map.
  CHECK_FALSE(DecodeReferralReceived("\xc1").ok());
  CHECK(DecodeReferralReceived(std::string("\x91\x01", 2)).status().field() == "body");
}

TEST_CASE("referral.triaged round trip and strict outcome") {
  ReferralTriaged t;
  t.referral_id = "000000070000";
  t.outcome = "ACCEPT";
  t.priority = "TWO_WEEK_WAIT";
  t.triaged_on = "2025-01-07";
  t.clinician = "Dr Triage";
  auto decoded = DecodeReferralTriaged(EncodeReferralTriaged(t));
  REQUIRE(decoded.ok());
  CHECK(*decoded == t);
  t.outcome = "REJECT";
  CHECK(DecodeReferralTriaged(EncodeReferralTriaged(t)).status().field() == "body.outcome");
  t.outcome = "ACCEPT";
  t.priority = "SOON";
  CHECK(DecodeReferralTriaged(EncodeReferralTriaged(t)).status().field() == "body.priority");
}

}  // namespace
}  // namespace hub::schemas
