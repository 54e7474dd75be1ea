// The bureau's index CSV: quoted barcode values, row errors that refuse only their document,
// and file-level errors that refuse the batch.
#include "adapters/scan/index_file.hpp"

#include <doctest/doctest.h>

namespace hub::scan {
namespace {

const std::string kSha(64, 'a');

TEST_CASE("rows are read, quoted fields included; a malformed row is marked, not fatal") {
  const std::string csv =
      "\xEF\xBB\xBF" + std::string(kIndexHeader) + "\r\n" +
      "CVS-1,\"v1|NHS=9000000009|DOC=REFERRAL|UBRN=000000070000|DATE=2025-01-06|CS=CVS-1\","
      "a.pdf,3,2025-01-08," + std::string(64, 'A') + "\r\n" +
      ",,\"b, scanned.png\",1,2025-01-08," + kSha + "\n" +
      "CVS-3,,../etc/passwd,1,2025-01-08," + kSha + "\n" +
      "CVS-4,,c.pdf,0,2025-01-08," + kSha + "\n" +
      "CVS-5,,d.pdf,1,08/01/2025," + kSha + "\n" +
      "CVS-6,,e.pdf,1,2025-01-08,abc\n" +
      "CVS-7,,f.pdf\n\n";
  auto rows = ParseIndexFile(csv, 100);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 7);
  const auto& r = *rows;
  CHECK(r[0].row == 1);
  CHECK(r[0].barcode.find("NHS=9000000009") != std::string::npos);
  CHECK(r[0].page_count == 3);
  CHECK(r[0].sha256 == std::string(64, 'a'));
  CHECK(r[0].error.empty());
  CHECK(r[1].file == "b, scanned.png");
  CHECK(r[1].error.empty());
  CHECK(r[2].error.find("plain file name") != std::string::npos);
  CHECK(r[3].error.find("page_count") != std::string::npos);
  CHECK(r[4].error.find("scan_date") != std::string::npos);
  CHECK(r[5].error.find("sha256") != std::string::npos);
  CHECK(r[6].error.find("3 fields") != std::string::npos);
  CHECK(r[6].line == 8);
}

TEST_CASE("a wrong header, no rows, too many rows or an open quote refuse the whole file") {
  CHECK(ParseIndexFile("", 10).status().code() == StatusCode::kInvalidArgument);
  CHECK(ParseIndexFile("file,sha256\nx,y\n", 10).status().message().find("header") !=
        std::string::npos);
  CHECK(ParseIndexFile(std::string(kIndexHeader) + "\n", 10).status().message().find("no rows") !=
        std::string::npos);
  std::string many = std::string(kIndexHeader) + "\n";
  for (int i = 0; i < 3; ++i) many += "C,,f.pdf,1,2025-01-08," + kSha + "\n";
  CHECK(ParseIndexFile(many, 2).status().message().find("max_documents") != std::string::npos);
  CHECK(ParseIndexFile(std::string(kIndexHeader) + "\nC,\"open,f.pdf,1,2025-01-08,x\n", 10)
            .status()
            .message()
            .find("never closed") != std::string::npos);
}

}  // namespace
}  // namespace hub::scan
