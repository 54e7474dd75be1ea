// SQLite wrapper: statements, transactions, migrations, and the failure cases.
#include "hub/storage/database.hpp"

#include <doctest/doctest.h>

#include "tests/support/temp_dir.hpp"

namespace hub::storage {
namespace {

const std::vector<Migration> kMigrations = {
    {1, "create t", "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, data BLOB)"},
    {2, "add n", "ALTER TABLE t ADD COLUMN n INTEGER DEFAULT 0"},
};

TEST_CASE("open, migrate, insert and read back") {
  testing::TempDir dir;
  auto db = Database::Open(dir.File("a.db"));
  REQUIRE(db.ok());
  REQUIRE(Migrate(**db, kMigrations).ok());
  CHECK(*(*db)->QueryInt("PRAGMA user_version") == 2);
  CHECK(Migrate(**db, kMigrations).ok());  // idempotent

  auto ins = (*db)->Prepare("INSERT INTO t(name, data, n) VALUES (?, ?, ?)");
  REQUIRE(ins.ok());
  REQUIRE(ins->BindAll("alpha").ok());
  REQUIRE(ins->BindBlob(2, std::string("\0\1\2", 3)).ok());
  REQUIRE(ins->BindInt(3, 7).ok());
  REQUIRE(ins->Run().ok());

  auto sel = (*db)->Cached("SELECT name, data, n FROM t WHERE name = ?");
  REQUIRE(sel.ok());
  REQUIRE((*sel)->BindAll("alpha").ok());
  auto row = (*sel)->Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  CHECK((*sel)->ColumnText(0) == "alpha");
  CHECK((*sel)->ColumnBlob(1) == std::string_view("\0\1\2", 3));
  CHECK((*sel)->ColumnInt(2) == 7);

  // A unique violation is AlreadyExists, not a crash.
  REQUIRE(ins->BindAll("alpha").ok());
  REQUIRE(ins->BindBlob(2, "").ok());
  Status dup = ins->Run();
  CHECK(dup.code() == StatusCode::kAlreadyExists);
}

TEST_CASE("a transaction not committed is rolled back") {
  testing::TempDir dir;
  auto db = Database::Open(dir.File("b.db"));
  REQUIRE(db.ok());
  REQUIRE(Migrate(**db, kMigrations).ok());
  {
    Transaction txn(**db);
    REQUIRE(txn.status().ok());
    REQUIRE((*db)->Exec("INSERT INTO t(name) VALUES ('x')").ok());
  }
  CHECK(*(*db)->QueryInt("SELECT count(*) FROM t") == 0);
  {
    Transaction txn(**db);
    REQUIRE((*db)->Exec("INSERT INTO t(name) VALUES ('y')").ok());
    REQUIRE(txn.Commit().ok());
    CHECK(txn.Commit().code() == StatusCode::kFailedPrecondition);
  }
  CHECK(*(*db)->QueryInt("SELECT count(*) FROM t") == 1);
}

TEST_CASE("a failing migration leaves the version unchanged; a newer database is refused") {
  testing::TempDir dir;
  auto db = Database::Open(dir.File("c.db"));
  REQUIRE(db.ok());
  std::vector<Migration> bad = {kMigrations[0], {2, "broken", "ALTER TABLE nope ADD COLUMN z"}};
  Status s = Migrate(**db, bad);
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("migration 2 (broken) failed") != std::string::npos);
  CHECK(*(*db)->QueryInt("PRAGMA user_version") == 1);

  REQUIRE((*db)->Exec("PRAGMA user_version=9").ok());
  Status newer = Migrate(**db, kMigrations);
  CHECK(newer.code() == StatusCode::kFailedPrecondition);
  CHECK(newer.message().find("run a newer hub") != std::string::npos);

  std::vector<Migration> misnumbered = {{2, "x", "SELECT 1"}};
  CHECK(Migrate(**db, misnumbered).code() == StatusCode::kInternal);
}

TEST_CASE("errors are values: bad SQL, missing file read-only, not a database") {
  testing::TempDir dir;
  auto db = Database::Open(dir.File("d.db"));
  REQUIRE(db.ok());
  CHECK_FALSE((*db)->Prepare("SELEKT 1").ok());
  CHECK_FALSE((*db)->Exec("INSERT INTO missing VALUES (1)").ok());

  OpenOptions ro;
  ro.read_only = true;
  auto missing = Database::Open(dir.File("nope.db"), ro);
  CHECK_FALSE(missing.ok());

  {
    FILE* f = fopen(dir.File("garbage.db").c_str(), "w");
    fputs("this is not an sqlite database, just text long enough to fill a header......", f);
    fclose(f);
  }
  auto garbage = Database::Open(dir.File("garbage.db"));
  if (garbage.ok()) {
    CHECK_FALSE((*garbage)->Exec("CREATE TABLE z(a)").ok());
  } else {
    CHECK(garbage.status().code() != StatusCode::kOk);
  }
}

TEST_CASE("WAL allows a reader while a writer holds a transaction") {
  testing::TempDir dir;
  auto writer = Database::Open(dir.File("w.db"));
  REQUIRE(writer.ok());
  REQUIRE(Migrate(**writer, kMigrations).ok());
  REQUIRE((*writer)->Exec("INSERT INTO t(name) VALUES ('committed')").ok());
  Transaction txn(**writer);
  REQUIRE((*writer)->Exec("INSERT INTO t(name) VALUES ('pending')").ok());
  OpenOptions ro;
  ro.read_only = true;
  auto reader = Database::Open(dir.File("w.db"), ro);
  REQUIRE(reader.ok());
  CHECK(*(*reader)->QueryInt("SELECT count(*) FROM t") == 1);
}

}  // namespace
}  // namespace hub::storage
