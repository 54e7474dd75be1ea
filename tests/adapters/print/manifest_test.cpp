// Batch manifests: CSV quoting and columns, the JSON form, and SHA-256 against known vectors.
#include "adapters/print/manifest.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

namespace hub::print {
namespace {

Manifest Sample() {
  Manifest m;
  m.batch_id = "01JM4Q8Z6X0V3K2R9T5B7N1C4D";
  m.created_ms = 1738577700000;  // 2025-02-03T10:15:00Z
  ManifestEntry e;
  e.letter_id = "L-1";
  e.file = "L-1.pdf";
  e.kind = LetterKind::kAppointment;
  e.nhs_number = "9434765919";
  e.recipient_name = "Zoë Ní Bhraonáin";
  e.address_lines = {"Flat 2, \"The Maltings\"", "Leeds"};
  e.postcode = "LS6 2AB";
  e.page_count = 3;
  e.sheet_count = 2;
  e.sha256 = std::string(64, 'a');
  e.postage = Postage::kFirst;
  e.envelope = "DL";
  e.duplex = true;
  e.colour = false;
  m.letters.push_back(e);
  return m;
}

TEST_CASE("the CSV manifest has the documented columns and RFC 4180 quoting") {
  std::string csv = ManifestCsv(Sample());
  CHECK(csv ==
        "batch_id,letter_id,file,kind,nhs_number,recipient_name,address_line_1,address_line_2,"
        "address_line_3,address_line_4,address_line_5,address_line_6,postcode,page_count,"
        "sheet_count,sha256,postage,envelope,duplex,colour\n"
        "01JM4Q8Z6X0V3K2R9T5B7N1C4D,L-1,L-1.pdf,appointment,9434765919,Zoë Ní Bhraonáin,"
        "\"Flat 2, \"\"The Maltings\"\"\",Leeds,,,,,LS6 2AB,3,2," +
            std::string(64, 'a') + ",first,DL,true,false\n");
}

TEST_CASE("the JSON manifest carries the same facts") {
  auto j = nlohmann::json::parse(ManifestJson(Sample()));
  CHECK(j["batch_id"] == "01JM4Q8Z6X0V3K2R9T5B7N1C4D");
  CHECK(j["created"] == "2025-02-03T10:15:00Z");
  CHECK(j["letter_count"] == 1);
  const auto& l = j["letters"][0];
  CHECK(l["letter_id"] == "L-1");
  CHECK(l["kind"] == "appointment");
  CHECK(l["recipient"]["name"] == "Zoë Ní Bhraonáin");
  CHECK(l["recipient"]["address_lines"].size() == 2);
  CHECK(l["recipient"]["postcode"] == "LS6 2AB");
  CHECK(l["page_count"] == 3);
  CHECK(l["sheet_count"] == 2);
  CHECK(l["postage"] == "first");
  CHECK(l["envelope"] == "DL");
  CHECK(l["duplex"] == true);
  CHECK(l["colour"] == false);
}

TEST_CASE("SHA-256 matches the FIPS 180-2 test vectors") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace hub::print
