// Folder drop: only files unchanged over two scans are taken; good -> done/, bad -> error/ with
// <name>.error.txt; .hl7 files with several messages; other names ignored.
#include "adapters/ers/folder_drop.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/adapters/ers/test_data.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::ers {
namespace {

namespace fs = std::filesystem;
using testing::ReadTestData;
using testing::WithCr;

struct Fixture {
  hub::testing::TempDir dir;
  ManualClock clock{1'700'000'000'000};
  std::unique_ptr<ErsStore> store;
  std::unique_ptr<Hl7Intake> intake;
  std::unique_ptr<FolderDrop> folder;
  Fixture() {
    auto s = ErsStore::Open(dir.File("ers.db"), storage::Synchronous::kNormal);
    REQUIRE(s.ok());
    store = std::move(*s);
    intake = std::make_unique<Hl7Intake>(*store, Hl7IntakeOptions{}, clock);
    FolderDropOptions o;
    o.inbox = dir.File("in");
    o.done = dir.File("in/done");
    o.error = dir.File("in/error");
    auto fd = FolderDrop::Create(*store, *intake, o, clock);
    REQUIRE(fd.ok());
    folder = std::move(*fd);
  }
  void Write(const std::string& name, const std::string& bytes) {
    std::ofstream out(dir.File("in/" + name), std::ios::binary);
    out << bytes;
  }
  int Scan() {
    auto n = folder->Scan();
    REQUIRE_MESSAGE(n.ok(), n.status().ToString());
    return *n;
  }
  std::int64_t Outbox() { return store->db().QueryInt("SELECT count(*) FROM outbox")->value_or(0); }
};

TEST_CASE("a file is taken on the second scan that sees it unchanged") {
  Fixture f;
  f.Write("a.json", ReadTestData("ers-a005-referralrequest-booked-dbs.json"));
  CHECK(f.Scan() == 0);
  CHECK(fs::exists(f.dir.File("in/a.json")));
  CHECK(f.Scan() == 1);
  CHECK(fs::exists(f.dir.File("in/done/a.json")));
  CHECK(f.Outbox() == 1);
}

TEST_CASE("a file that grows between scans is left alone") {
  Fixture f;
  f.Write("g.hl7", "MSH|^~\\&|");
  CHECK(f.Scan() == 0);
  f.Write("g.hl7", WithCr(ReadTestData("hl7v2-REF-I12-01-with-nhs-number.hl7")).substr(0, 400));
  CHECK(f.Scan() == 0);
  f.Write("g.hl7", WithCr(ReadTestData("hl7v2-REF-I12-01-with-nhs-number.hl7")));
  CHECK(f.Scan() == 0);
  CHECK(f.Scan() == 1);
  CHECK(fs::exists(f.dir.File("in/done/g.hl7")));
}

TEST_CASE("bad files go to error/ with the reason; partly bad .hl7 files keep the good part") {
  Fixture f;
  f.Write("bad.json", "{\"resourceType\": \"Patient\"}");
  f.Write("mixed.hl7", WithCr(ReadTestData("hl7v2-REF-I12-01-with-nhs-number.hl7")) + "\r" +
                           WithCr(ReadTestData("hl7v2-fhirconverter-SIU-S12-01.hl7")));
  f.Write("notes.txt", "ignored");
  f.Scan();
  CHECK(f.Scan() == 2);
  CHECK(fs::exists(f.dir.File("in/error/bad.json")));
  CHECK(fs::exists(f.dir.File("in/error/mixed.hl7")));
  CHECK(fs::exists(f.dir.File("in/notes.txt")));
  std::ifstream in(f.dir.File("in/error/mixed.hl7.error.txt"));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find("message 2: AR 200") != std::string::npos);
  CHECK(f.Outbox() == 1);  // the REF^I12 in mixed.hl7 was accepted
}

TEST_CASE("the same file twice: one referral, both files done") {
  Fixture f;
  f.Write("one.json", ReadTestData("ers-a005-referralrequest-booked-dbs.json"));
  f.Scan();
  f.Scan();
  f.Write("one.json", ReadTestData("ers-a005-referralrequest-booked-dbs.json"));
  f.Scan();
  CHECK(f.Scan() == 1);
  CHECK(f.Outbox() == 1);
  int done = 0;
  for (const auto& e : fs::directory_iterator(f.dir.File("in/done"))) done += e.is_regular_file();
  CHECK(done == 2);
}

}  // namespace
}  // namespace hub::ers
