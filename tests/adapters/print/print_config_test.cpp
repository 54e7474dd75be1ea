// config/print.toml: the shipped file loads with its documented defaults; unknown keys, bad
// values and an impossible window are errors naming file, line and key.
#include "adapters/print/print_config.hpp"

#include <doctest/doctest.h>

namespace hub::print {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("the shipped print.toml loads; folders resolve under data_dir") {
  std::string path = std::string(HUB_SOURCE_DIR) + "/config/print.toml";
  auto c = LoadPrintConfig(path, "/srv/hub/var");
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  CHECK(c->trust.name == "Example Hospitals NHS Foundation Trust");
  CHECK(c->fields.trust_name == c->trust.name);
  CHECK(c->fields.booking_phone == "0113 206 0000");
  CHECK(c->templates_dir == std::string(HUB_SOURCE_DIR) + "/config/letters");
  CHECK(c->window.envelope == "DL");
  CHECK(c->window.zone.width == 90);
  CHECK(c->batch.max_letters == 500);
  CHECK(c->batch.max_age_minutes == 60);
  CHECK(c->defaults.postage == Postage::kSecond);
  CHECK(c->defaults.duplex);
  CHECK_FALSE(c->defaults.colour);
  CHECK(c->folders.database == "/srv/hub/var/print.db");
  CHECK(c->folders.outbox == "/srv/hub/var/print/outbox");
  CHECK(c->folders.staging == "/srv/hub/var/print/staging");
  CHECK(c->folders.error == "/srv/hub/var/print/inbox/error");
  CHECK(c->adapter.credit == 16);
  CHECK(c->adapter.poll_ms == 1000);
}

TEST_CASE("an empty file gives the documented defaults") {
  auto c = ParsePrintConfig("", "print.toml", "/etc/hub", "/var/hub");
  REQUIRE(c.ok());
  CHECK(c->templates_dir == "/etc/hub/letters");
  CHECK(c->layout.font == "DejaVu Sans");
  CHECK(c->layout.font_size_pt == 10.5);
  CHECK(c->layout.max_pages == 10);
  CHECK(c->window.zone.x == 20);
  CHECK(c->window.zone.y == 50);
  CHECK(c->window.zone.height == 35);
  CHECK(c->folders.inbox == "/var/hub/print/inbox");
  CHECK(c->adapter.credit == 16);
  CHECK(c->adapter.outbox_in_flight == 64);
  CHECK(c->adapter.outbox_timeout_ms == 10'000);
  CHECK(c->adapter.poll_ms == 1000);
  CHECK(c->adapter.waiting_soft_limit == 20'000);
  CHECK(c->adapter.waiting_hard_limit == 100'000);
}

TEST_CASE("configuration errors name the file, line and key") {
  struct Case {
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {"[batch]\nmax_letters = 10\nmax_age = 5\n", "print.toml:3: unknown key 'batch.max_age'"},
      {"[printer]\nname = 'x'\n", "unknown key 'printer'"},
      {"[letters]\npostage = 'pigeon'\n", "print.toml:2: key 'letters.postage': 'pigeon' is not"},
      {"[batch]\nmax_letters = 0\n", "key 'batch.max_letters'"},
      {"[layout]\nfont_size_pt = 30\n", "key 'layout.font_size_pt': 30 is out of range"},
      {"[window]\nwidth_mm = 150\n", "leaves 12 mm for the date and references"},
      {"[folders]\nstaging = 'print/outbox'\n", "must differ from outbox"},
      {"[trust]\nname = ''\n", "key 'trust.name': must not be empty"},
      {"[adapter]\ncredit = 0\n", "key 'adapter.credit'"},
      {"[adapter]\nheartbeat_ms = 100\n", "unknown key 'adapter.heartbeat_ms'"},
      {"[adapter]\nwaiting_soft_limit = 10\nwaiting_hard_limit = 5\n",
       "must not be above waiting_hard_limit"},
  };
  for (const auto& c : cases) {
    std::string text = c.text;
    CAPTURE(text);
    auto r = ParsePrintConfig(c.text, "print.toml", "/etc/hub", "/var/hub");
    REQUIRE_FALSE(r.ok());
    CHECK_MESSAGE(Contains(r.status().message(), c.expect), r.status().message());
  }
}

}  // namespace
}  // namespace hub::print
