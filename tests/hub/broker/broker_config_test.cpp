// [broker] configuration: defaults, the shipped example, and rejected values.
#include "hub/broker/broker_config.hpp"

#include <doctest/doctest.h>

namespace hub::broker {
namespace {

Status Load(const std::string& text, BrokerConfig* out) {
  auto parsed = ParseTomlText(text, "hub.toml");
  REQUIRE(parsed.ok());
  ConfigTable t(**parsed, "hub.toml", "broker");
  return LoadBrokerConfig(t, "/data", out);
}

TEST_CASE("defaults and relative paths") {
  BrokerConfig c;
  REQUIRE(Load("", &c).ok());
  CHECK(c.journal_path == "/data/broker.db");
  CHECK(c.synchronous == storage::Synchronous::kFull);
  CHECK(c.curve);
  CHECK(c.heartbeat_ms == 2500);
  CHECK(c.server_key_file == "/data/keys/broker.key");
}

TEST_CASE("bad values are refused with the key named") {
  BrokerConfig c;
  CHECK(Load("synchronous = \"OFF\"\n", &c).message().find("synchronous") != std::string::npos);
  CHECK(Load("liveness = 1\n", &c).message().find("outside the allowed range") != std::string::npos);
  CHECK(Load("queue_soft_limit = 10\nqueue_hard_limit = 5\n", &c).message().find("at least queue_soft_limit") !=
        std::string::npos);
  CHECK(Load("endpoints = []\n", &c).message().find("at least one endpoint") != std::string::npos);
  CHECK(Load("heartbeat = 100\n", &c).message() == "hub.toml:1: unknown key 'broker.heartbeat' in [broker]");
}

}  // namespace
}  // namespace hub::broker
