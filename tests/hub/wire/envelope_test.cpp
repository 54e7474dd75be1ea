// Envelope codec: golden bytes (fixed against an independent encoder, Python's msgpack) and
// strict decoding of every kind of bad input.
#include "hub/wire/envelope.hpp"

#include <doctest/doctest.h>

#include "hub/wire/msgpack_map.hpp"

#include <random>

namespace hub::wire {
namespace {

std::string FromHex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// python3 -c "import msgpack; print(msgpack.packb({'id':'01JD0000000000000000000000',
//   'type':'referral.received','v':1,'source':'adapter.ers','ts':1732500000000,'corr':'',
//   'body':{'nhs_number':'9434765919','priority':'URGENT'}}).hex())"
constexpr std::string_view kGoldenHex =
    "87a26964ba30314a4430303030303030303030303030303030303030303030a474797065b1726566657272616c2e"
    "7265636569766564a17601a6736f75726365ab616461707465722e657273a27473cf00000193610c0d00a4636f72"
    "72a0a4626f647982aa6e68735f6e756d626572aa39343334373635393139a87072696f72697479a6555247454e54";

Envelope Golden() {
  Envelope e;
  e.id = "01JD0000000000000000000000";
  e.type = "referral.received";
  e.v = 1;
  e.source = "adapter.ers";
  e.ts = 1732500000000;
  e.corr = "";
  e.body = MapWriter().Str("nhs_number", "9434765919").Str("priority", "URGENT").Finish();
  return e;
}

TEST_CASE("envelope encodes to the golden bytes and decodes back") {
  std::string bytes = EncodeEnvelope(Golden());
  CHECK(bytes == FromHex(kGoldenHex));
  auto decoded = DecodeEnvelope(bytes, 1 << 20);
  REQUIRE(decoded.ok());
  CHECK(*decoded == Golden());
}

TEST_CASE("an empty body encodes as an empty map") {
  Envelope e = Golden();
  e.body.clear();
  auto decoded = DecodeEnvelope(EncodeEnvelope(e), 1 << 20);
  REQUIRE(decoded.ok());
  CHECK(decoded->body == std::string("\x80", 1));
}

Status DecodeError(const std::string& bytes, std::size_t max = 1 << 20) {
  auto r = DecodeEnvelope(bytes, max);
  REQUIRE_FALSE(r.ok());
  return r.status();
}

TEST_CASE("strict decoding names the field and the reason") {
  SUBCASE("not msgpack") {
    Status s = DecodeError("\xc1garbage");
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK(s.message().find("not valid msgpack") != std::string::npos);
  }
  SUBCASE("truncated") {
    std::string b = EncodeEnvelope(Golden());
    Status s = DecodeError(b.substr(0, b.size() - 3));
    CHECK(s.message().find("truncated") != std::string::npos);
  }
  SUBCASE("trailing bytes") {
    CHECK(DecodeError(EncodeEnvelope(Golden()) + "x").message().find("trailing") != std::string::npos);
  }
  SUBCASE("not a map") {
    CHECK(DecodeError(std::string("\x93\x01\x02\x03", 4)).field() == "envelope");
  }
  SUBCASE("missing field") {
    std::string b = MapWriter().Str("id", "x").Str("type", "t").Finish();
    Status s = DecodeError(b);
    CHECK(s.field() == "v");
    CHECK(s.message() == "required field is missing");
  }
  SUBCASE("wrong type") {
    std::string b = MapWriter()
                        .Str("id", "x").Str("type", "t").Str("v", "one").Str("source", "s")
                        .Int("ts", 0).Str("corr", "").Raw("body", "\x80").Finish();
    Status s = DecodeError(b);
    CHECK(s.field() == "v");
    CHECK(s.message() == "expected an unsigned integer, got string");
  }
  SUBCASE("body must be a map") {
    std::string b = MapWriter()
                        .Str("id", "x").Str("type", "t").Uint("v", 1).Str("source", "s")
                        .Int("ts", 0).Str("corr", "").Str("body", "text").Finish();
    CHECK(DecodeError(b).field() == "body");
  }
  SUBCASE("empty id and version zero") {
    Envelope e = Golden();
    e.id = "";
    CHECK(DecodeError(EncodeEnvelope(e)).field() == "id");
    e = Golden();
    e.v = 0;
    CHECK(DecodeError(EncodeEnvelope(e)).field() == "v");
    e = Golden();
    e.id = std::string(200, 'a');
    CHECK(DecodeError(EncodeEnvelope(e)).field() == "id");
  }
  SUBCASE("oversize") {
    Status s = DecodeError(EncodeEnvelope(Golden()), 10);
    CHECK(s.message().find("over the limit of 10 bytes") != std::string::npos);
  }
  SUBCASE("hostile container sizes do not allocate") {
    // array32 claiming 2^32-1 elements in 5 bytes
    CHECK(DecodeError(std::string("\xdd\xff\xff\xff\xff", 5)).code() == StatusCode::kInvalidArgument);
  }
}

TEST_CASE("MakeEnvelope assigns a fresh ULID") {
  Envelope a = MakeEnvelope("test.echo", "test", 1, "");
  Envelope b = MakeEnvelope("test.echo", "test", 1, "");
  CHECK(a.id.size() == 26);
  CHECK(a.id != b.id);
}

}  // namespace
}  // namespace hub::wire

namespace hub::wire {
namespace {

// A cheap, always-on cousin of tests/fuzz/envelope_fuzz.cpp: thousands of mutations of a valid
// envelope (bit flips, truncations, splices) must decode to a value or an error, never a crash.
TEST_CASE("mutated envelopes never crash the decoder") {
  std::string golden = EncodeEnvelope(Golden());
  std::mt19937 rng(12345);
  int decoded = 0, refused = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string b = golden;
    switch (rng() % 4) {
      case 0: b[rng() % b.size()] ^= static_cast<char>(1u << (rng() % 8)); break;
      case 1: b.resize(rng() % b.size()); break;
      case 2: b.insert(rng() % b.size(), 1, static_cast<char>(rng())); break;
      default: b[rng() % b.size()] = static_cast<char>(0xdc + rng() % 4); break;  // array/map 16/32 headers
    }
    auto r = DecodeEnvelope(b, 1 << 20);
    (r.ok() ? decoded : refused)++;
    if (!r.ok()) CHECK_FALSE(r.status().message().empty());
  }
  CHECK(decoded + refused == 20000);
  CHECK(refused > 1000);
}

}  // namespace
}  // namespace hub::wire
