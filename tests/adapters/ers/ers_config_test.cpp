// config/ers.toml: the shipped file loads with its documented defaults; unknown keys and bad
// values are errors naming the file and line; the application-restricted polling limit.
#include "adapters/ers/ers_config.hpp"

#include <doctest/doctest.h>

#include <fstream>

#include "tests/support/temp_dir.hpp"

namespace hub::ers {
namespace {

Result<ErsConfig> Load(const hub::testing::TempDir& dir, const std::string& text) {
  std::ofstream(dir.File("ers.toml")) << text;
  return LoadErsConfig(dir.File("ers.toml"), "/data");
}

TEST_CASE("the shipped config/ers.toml loads with its defaults") {
  auto c = LoadErsConfig(std::string(HUB_SOURCE_DIR) + "/config/ers.toml", "/data");
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  CHECK(c->db_path == "/data/ers.db");
  CHECK(c->synchronous == storage::Synchronous::kFull);
  CHECK(c->mllp.host == "127.0.0.1");
  CHECK(c->mllp.port == 2575);
  CHECK(c->mllp.max_frame_bytes == std::size_t{1} << 20);
  CHECK(c->hl7.parse.require_nhs_number);
  CHECK_FALSE(c->ers_enabled);
  CHECK(c->application_restricted);
  CHECK(c->poller.poll_interval_ms == 12LL * 3600 * 1000);
  CHECK(c->client.max_response_bytes == 10'000'000);
  CHECK(c->client.token_file == "/data/keys/ers.token");
  CHECK(c->folder.inbox == "/data/inbox/ers");
  CHECK(c->folder.error == "/data/inbox/ers/error");
}

TEST_CASE("an empty file means every default") {
  hub::testing::TempDir dir;
  auto c = Load(dir, "");
  REQUIRE(c.ok());
  CHECK(c->poller.worklists.size() == 2);
  CHECK(c->outbox.max_in_flight == 64);
}

TEST_CASE("unknown keys and bad values name the file and line") {
  hub::testing::TempDir dir;
  auto c = Load(dir, "[hl7]\nlisten = \"127.0.0.1:2575\"\nlistne = 1\n");
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().message().find("ers.toml:3") != std::string::npos);
  CHECK(c.status().message().find("listne") != std::string::npos);
  auto bad = Load(dir, "[hl7]\nlisten = \"nowhere\"\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("ers.toml:2") != std::string::npos);
  CHECK_FALSE(Load(dir, "[store]\nsynchronous = \"OFF\"\n").ok());
  CHECK_FALSE(Load(dir, "[ers]\nworklists = [\"AWAITING_BOOKING\"]\n").ok());
  CHECK_FALSE(Load(dir, "[ers]\nbase_url = \"ftp://x\"\n").ok());
}

TEST_CASE("application-restricted access polls A008 at most twice a day (RULES §3.2)") {
  hub::testing::TempDir dir;
  auto often = Load(dir, "[ers]\npoll_interval_s = 3600\n");
  REQUIRE_FALSE(often.ok());
  CHECK(often.status().message().find("twice a day") != std::string::npos);
  auto user = Load(dir, "[ers]\naccess_mode = \"user\"\npoll_interval_s = 3600\n");
  REQUIRE(user.ok());
  CHECK(user->poller.poll_interval_ms == 3'600'000);
  auto enabled = Load(dir, "[ers]\nenabled = true\nservices = [\"S1\"]\n");
  REQUIRE_FALSE(enabled.ok());
  CHECK(enabled.status().message().find("ods_code") != std::string::npos);
}

TEST_CASE("listen addresses") {
  std::string host;
  int port = 0;
  CHECK(ParseListenAddress("0.0.0.0:0", &host, &port).ok());
  CHECK(host == "0.0.0.0");
  CHECK(port == 0);
  CHECK_FALSE(ParseListenAddress("127.0.0.1:70000", &host, &port).ok());
  CHECK_FALSE(ParseListenAddress(":1", &host, &port).ok());
}

}  // namespace
}  // namespace hub::ers
