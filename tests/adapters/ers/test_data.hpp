// Reads the e-Referral adapter's fixtures from tests/data/ers/ (see its README.md for sources).
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace hub::ers::testing {

// The exact bytes of tests/data/ers/<name>; fails the test when the file cannot be read.
inline std::string ReadTestData(const std::string& name) {
  const std::string path = std::string(HUB_TESTDATA_DIR) + "/ers/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot open " << path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// `text` with every LF replaced by CR, the segment terminator HL7 sends on the wire.
inline std::string WithCr(std::string text) {
  for (char& c : text) {
    if (c == '\n') c = '\r';
  }
  return text;
}

}  // namespace hub::ers::testing
