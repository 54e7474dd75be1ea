// CURVE key files: generate, save, load, allow-list.
#include "hub/wire/curve.hpp"

#include <doctest/doctest.h>

#include <fstream>

#include "tests/support/temp_dir.hpp"

namespace hub::wire {
namespace {

TEST_CASE("key pairs round-trip through files and feed the allow-list") {
  testing::TempDir dir;
  auto kp = GenerateCurveKeyPair();
  REQUIRE(kp.ok());
  CHECK(kp->public_z85.size() == 40);
  REQUIRE(SaveCurveKeyPair(dir.File("clients/booking.key"), *kp).ok());
  auto loaded = LoadCurveKeyPair(dir.File("clients/booking.key"));
  REQUIRE(loaded.ok());
  CHECK(loaded->public_z85 == kp->public_z85);
  CHECK(loaded->secret_z85 == kp->secret_z85);
  auto pub = LoadCurvePublicKey(dir.File("clients/booking.pub"));
  REQUIRE(pub.ok());
  CHECK(*pub == kp->public_z85);
  auto allow = LoadCurveAllowList(dir.File("clients"));
  REQUIRE(allow.ok());
  CHECK(allow->size() == 1);
  CHECK(allow->count(*DecodeZ85Key(kp->public_z85)) == 1);
}

TEST_CASE("malformed key files are clear errors") {
  testing::TempDir dir;
  std::ofstream(dir.File("bad.key")) << "public=short\n";
  auto r = LoadCurveKeyPair(dir.File("bad.key"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("bad.key") != std::string::npos);
  CHECK_FALSE(LoadCurveKeyPair(dir.File("missing.key")).ok());
  CHECK_FALSE(LoadCurveAllowList(dir.File("no-such-dir")).ok());
}

}  // namespace
}  // namespace hub::wire
