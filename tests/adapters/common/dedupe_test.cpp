// Consumer dedupe records.
#include "adapters/common/dedupe.hpp"

#include <doctest/doctest.h>

#include "tests/support/temp_dir.hpp"

namespace hub::adapters {
namespace {

TEST_CASE("processed ids are found with their reply, once, and purged by age") {
  testing::TempDir dir;
  auto db = storage::Database::Open(dir.File("c.db"));
  REQUIRE(db.ok());
  REQUIRE(storage::Migrate(**db, {{1, "dedupe", kDedupeMigrationSql}}).ok());
  CHECK_FALSE(FindProcessed(**db, "A")->has_value());
  REQUIRE(RecordProcessed(**db, "A", "reply-a", 100).ok());
  CHECK(**FindProcessed(**db, "A") == "reply-a");
  CHECK(RecordProcessed(**db, "A", "other", 101).code() == StatusCode::kAlreadyExists);
  CHECK(*PurgeProcessed(**db, 50) == 0);
  CHECK(*PurgeProcessed(**db, 200) == 1);
  CHECK_FALSE(FindProcessed(**db, "A")->has_value());
}

}  // namespace
}  // namespace hub::adapters
