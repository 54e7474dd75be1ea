// Strict config reading: defaults, type errors and unknown keys with file:line.
#include "hub/common/config_table.hpp"

#include <doctest/doctest.h>

namespace hub {
namespace {

TEST_CASE("config getters return values, defaults and typed errors") {
  auto parsed = ParseTomlText(R"(
heartbeat_ms = 1000
name = "broker"
curve = true
ratio = 0.5
services = ["booking", "print"]
[limits]
soft = 10
)", "hub.toml");
  REQUIRE(parsed.ok());
  ConfigTable t(**parsed, "hub.toml");
  CHECK(*t.Int("heartbeat_ms", 2500) == 1000);
  CHECK(*t.Int("liveness", 3) == 3);
  CHECK(*t.String("name", "") == "broker");
  CHECK(*t.Bool("curve", false) == true);
  CHECK(*t.Double("ratio", 1.0) == doctest::Approx(0.5));
  CHECK(t.StringList("services", {})->size() == 2);
  auto limits = t.Table("limits");
  REQUIRE(limits.ok());
  REQUIRE(limits->has_value());
  CHECK(*(*limits)->Int("soft", 0) == 10);
  CHECK((*limits)->Finish().ok());
  CHECK(t.Finish().ok());

  auto wrong = t.Int("name", 0);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.status().message().find("hub.toml:3: key 'name': expected an integer") !=
        std::string::npos);
}

TEST_CASE("unknown keys are rejected with file, line and key") {
  auto parsed = ParseTomlText("heartbeat_ms = 1000\nhaertbeat = 5\n", "config/hub.toml");
  REQUIRE(parsed.ok());
  ConfigTable t(**parsed, "config/hub.toml");
  (void)t.Int("heartbeat_ms", 0);
  Status s = t.Finish();
  REQUIRE_FALSE(s.ok());
  CHECK(s.message() == "config/hub.toml:2: unknown key 'haertbeat'");
}

TEST_CASE("range checks and syntax errors name the place") {
  auto parsed = ParseTomlText("liveness = 0\n", "x.toml");
  REQUIRE(parsed.ok());
  ConfigTable t(**parsed, "x.toml");
  auto r = t.IntInRange("liveness", 3, 1, 10);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("outside the allowed range 1..10") != std::string::npos);

  auto bad = ParseTomlText("a = = 1\n", "bad.toml");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().rfind("bad.toml:1:", 0) == 0);
}

}  // namespace
}  // namespace hub
