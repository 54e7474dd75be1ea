// config/scan.toml: the shipped file loads with its documented defaults; unknown keys and bad
// values are refused naming file, line and key.
#include "adapters/scan/scan_config.hpp"

#include <doctest/doctest.h>

namespace hub::scan {
namespace {

bool Contains(const std::string& s, const std::string& needle) {
  return s.find(needle) != std::string::npos;
}

TEST_CASE("the shipped scan.toml holds exactly the defaults") {
  auto shipped = LoadScanConfig(std::string(HUB_SOURCE_DIR) + "/config/scan.toml", "/data");
  REQUIRE_MESSAGE(shipped.ok(), shipped.status().ToString());
  auto empty = ParseScanConfig("", "empty.toml", "/data");
  REQUIRE(empty.ok());
  const ScanConfig& c = *shipped;
  CHECK(c.layout.symbology == Symbology::kDataMatrix);
  CHECK(c.layout.module_mm == doctest::Approx(0.7));
  CHECK(c.batch.separator == PatchCode::kNone);
  CHECK(c.batch.batch_separator);
  CHECK(c.batch.max_coversheets == 200);
  CHECK(c.intake.decode_dpi == 200);
  CHECK(c.chase.after_days == 14);
  CHECK(c.folders.database == "/data/scan.db");
  CHECK(c.folders.inbox == "/data/scan/inbox");
  CHECK(c.folders.documents == "/data/scan/documents");
  CHECK(c.adapter.credit == 16);
  CHECK(empty->layout.trust_name == c.layout.trust_name);
  CHECK(empty->folders.exceptions == c.folders.exceptions);
  CHECK(empty->adapter.waiting_hard_limit == c.adapter.waiting_hard_limit);
}

TEST_CASE("unknown keys and bad values name the file, line and key") {
  struct Case {
    const char* toml;
    const char* expect;
  };
  for (const Case& k : {Case{"[chase]\nafter_dayz = 3\n", "scan.toml:2"},
                        Case{"[chase]\nafter_dayz = 3\n", "after_dayz"},
                        Case{"[colour]\nx = 1\n", "colour"},
                        Case{"[coversheet]\nsymbology = \"pdf417\"\n", "symbology"},
                        Case{"[coversheet]\nseparator = \"PATCH_3\"\n", "batch_separator"},
                        Case{"[coversheet]\nmodule_mm = 0.1\n", "module_mm"},
                        Case{"[intake]\ndecode_dpi = 50\n", "decode_dpi"},
                        Case{"[folders]\nwork = \"scan/inbox\"\n", "inbox"},
                        Case{"[adapter]\nwaiting_soft_limit = 9\nwaiting_hard_limit = 8\n",
                             "waiting_soft_limit"}}) {
    CAPTURE(k.toml);
    auto c = ParseScanConfig(k.toml, "scan.toml", "/data");
    REQUIRE_FALSE(c.ok());
    CHECK(Contains(c.status().message(), k.expect));
  }
}

}  // namespace
}  // namespace hub::scan
