// hub.toml: the shipped example trust loads, paths resolve against the data directory, and an
// unknown key anywhere stops start-up with the file and line.
#include "hub/app/hub_config.hpp"

#include <doctest/doctest.h>

#include <fstream>

#include "hub/app/keys.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::app {
namespace {

TEST_CASE("the shipped config/hub.toml loads with its documented defaults") {
  auto c = LoadHubConfig(std::string(HUB_SOURCE_DIR) + "/config/hub.toml");
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  CHECK(c->data_dir == std::string(HUB_SOURCE_DIR) + "/var");
  CHECK(c->broker.journal_path == c->data_dir + "/broker.db");
  CHECK(c->broker.curve);
  CHECK(c->broker.synchronous == storage::Synchronous::kFull);
  CHECK(c->client.endpoint == "tcp://127.0.0.1:5555");
  CHECK(c->client.server_public_key_file == c->data_dir + "/keys/broker.pub");
  CHECK_FALSE(c->up.processes.empty());
  CHECK(c->web.listen_address == "127.0.0.1");
  CHECK(c->web.port == 8080);
  CHECK(c->web.users_db == c->data_dir + "/users.db");
  CHECK(c->web.static_dir == std::string(HUB_SOURCE_DIR) + "/hub/web/static");
  CHECK_FALSE(c->web.secure_cookies);
}

TEST_CASE("[web]: values, ranges and unknown keys") {
  testing::TempDir dir;
  std::string path = dir.File("hub.toml");
  std::ofstream(path) << "[hub]\ndata_dir = \".\"\n[web]\nport = 9090\nsecure_cookies = true\n"
                         "session_idle_minutes = 5\n";
  auto c = LoadHubConfig(path);
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  CHECK(c->web.port == 9090);
  CHECK(c->web.secure_cookies);
  CHECK(c->web.session_idle_minutes == 5);
  std::ofstream(path) << "[web]\nport = 9090\nsession_minutes = 5\n";
  auto unknown = LoadHubConfig(path);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().message().rfind(path + ":3: unknown key 'web.session_minutes'", 0) == 0);
  std::ofstream(path) << "[web]\nport = 70000\n";
  auto range = LoadHubConfig(path);
  REQUIRE_FALSE(range.ok());
  CHECK(range.status().message().find("web.port") != std::string::npos);
}

TEST_CASE("unknown keys and sections are refused with file and line") {
  testing::TempDir dir;
  std::string path = dir.File("hub.toml");
  std::ofstream(path) << "[hub]\ndata_dir = \".\"\n\n[brokr]\nendpoints = []\n";
  auto c = LoadHubConfig(path);
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().message() == path + ":4: unknown key 'brokr'");
  std::ofstream(path) << "[client]\ncurve = \"yes\"\n";
  auto typed = LoadHubConfig(path);
  REQUIRE_FALSE(typed.ok());
  CHECK(typed.status().message().find(":2: key 'client.curve': expected true or false") != std::string::npos);
}

TEST_CASE("keys are generated once and found by every process") {
  testing::TempDir dir;
  std::string path = dir.File("hub.toml");
  std::ofstream(path) << "[hub]\ndata_dir = \".\"\n";
  auto c = LoadHubConfig(path);
  REQUIRE(c.ok());
  auto created = EnsureKeys(*c);
  REQUIRE(created.ok());
  CHECK(created->size() == 1 + ClientProcessNames().size());
  CHECK(EnsureKeys(*c)->empty());  // idempotent
  auto conn = ConnectionFor(*c, "booking");
  REQUIRE(conn.ok());
  CHECK(conn->curve);
  CHECK(conn->server_public_z85.size() == 40);
  auto missing = ConnectionFor(*c, "nobody");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find("hub keys") != std::string::npos);
}

}  // namespace
}  // namespace hub::app
