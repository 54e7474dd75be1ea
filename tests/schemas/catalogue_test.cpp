// The catalogue in code and schemas/README.md list the same message types.
#include "schemas/catalogue.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace hub::schemas {
namespace {

TEST_CASE("every catalogue type is documented in schemas/README.md and vice versa") {
  std::ifstream in(std::string(HUB_SOURCE_DIR) + "/schemas/README.md");
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  std::string readme = ss.str();
  std::set<std::string> documented;
  // Types are documented as level-3 headings: "### `type.name`".
  std::size_t pos = 0;
  while ((pos = readme.find("### `", pos)) != std::string::npos) {
    pos += 5;
    auto end = readme.find('`', pos);
    documented.insert(readme.substr(pos, end - pos));
  }
  std::set<std::string> in_code;
  for (const auto& t : Catalogue()) {
    in_code.insert(std::string(t.type));
    CHECK_MESSAGE(documented.count(std::string(t.type)), "undocumented type: " << t.type);
    CHECK(t.version >= 1);
  }
  for (const auto& d : documented) CHECK_MESSAGE(in_code.count(d), "documented but unknown: " << d);
  CHECK(FindType("hub.error") != nullptr);
  CHECK(FindType("no.such.type") == nullptr);
}

}  // namespace
}  // namespace hub::schemas
