// Durable files: create-only writes, atomic folder renames that refuse to overwrite, listings,
// and OS failures reported as IOError naming the path.
#include "adapters/common/durable_file.hpp"

#include <doctest/doctest.h>

#include <filesystem>

#include "tests/support/temp_dir.hpp"

namespace hub::adapters {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("a durable write creates the file and never overwrites one") {
  hub::testing::TempDir dir;
  REQUIRE(WriteFileDurably(dir.File("a.pdf"), "%PDF-1.5 first").ok());
  CHECK(*ReadWholeFile(dir.File("a.pdf")) == "%PDF-1.5 first");
  Status again = WriteFileDurably(dir.File("a.pdf"), "second");
  CHECK(again.code() == StatusCode::kIOError);
  CHECK(Contains(again.message(), dir.File("a.pdf")));
  CHECK(*ReadWholeFile(dir.File("a.pdf")) == "%PDF-1.5 first");
  CHECK(WriteFileDurably(dir.File("no/such/folder/b.pdf"), "x").code() == StatusCode::kIOError);
  CHECK(ReadWholeFile(dir.File("missing")).status().code() == StatusCode::kIOError);
}

TEST_CASE("a folder is renamed whole, and not onto a folder that has files") {
  hub::testing::TempDir dir;
  REQUIRE(MakeDirectories(dir.File("staging/b1")).ok());
  REQUIRE(MakeDirectories(dir.File("outbox")).ok());
  REQUIRE(WriteFileDurably(dir.File("staging/b1/x.pdf"), "x").ok());
  REQUIRE(SyncDirectory(dir.File("staging/b1")).ok());
  REQUIRE(RenameDurably(dir.File("staging/b1"), dir.File("outbox/b1")).ok());
  CHECK(*ReadWholeFile(dir.File("outbox/b1/x.pdf")) == "x");
  CHECK_FALSE(std::filesystem::exists(dir.File("staging/b1")));

  REQUIRE(MakeDirectories(dir.File("staging/b1")).ok());
  REQUIRE(WriteFileDurably(dir.File("staging/b1/y.pdf"), "y").ok());
  Status clash = RenameDurably(dir.File("staging/b1"), dir.File("outbox/b1"));
  CHECK(clash.code() == StatusCode::kIOError);
  CHECK(Contains(clash.message(), "cannot rename"));
  CHECK(*ReadWholeFile(dir.File("outbox/b1/x.pdf")) == "x");
}

TEST_CASE("listing, removal and filesystem identity") {
  hub::testing::TempDir dir;
  for (const char* name : {"c.csv", "a.csv", "b"}) {
    REQUIRE(WriteFileDurably(dir.File(name), "").ok());
  }
  CHECK(*ListDirectory(dir.path()) == std::vector<std::string>{"a.csv", "b", "c.csv"});
  CHECK(ListDirectory(dir.File("nowhere")).status().code() == StatusCode::kIOError);
  REQUIRE(MakeDirectories(dir.File("d/e")).ok());
  CHECK(*SameFilesystem(dir.path(), dir.File("d/e")));
  REQUIRE(RemoveAll(dir.File("d")).ok());
  CHECK(RemoveAll(dir.File("d")).ok());  // absent is not an error
  CHECK_FALSE(std::filesystem::exists(dir.File("d")));
  CHECK(SameFilesystem(dir.File("nowhere"), dir.path()).status().code() == StatusCode::kIOError);
}

}  // namespace
}  // namespace hub::adapters
