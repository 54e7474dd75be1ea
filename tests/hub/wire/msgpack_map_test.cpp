// MapReader / MapWriter: every accessor, nested paths in errors, optional handling.
#include "hub/wire/msgpack_map.hpp"

#include <doctest/doctest.h>

namespace hub::wire {
namespace {

TEST_CASE("writer and reader agree on every type") {
  MapWriter nested;
  nested.Str("line1", "1 High Street").Str("postcode", "LS1 4AP");
  std::string bytes = MapWriter()
                          .Str("s", "text")
                          .Int("i", -42)
                          .Uint("u", 42)
                          .Bool("b", true)
                          .Double("d", 1.5)
                          .Bin("bin", std::string("\0\1", 2))
                          .Nil("nothing")
                          .Map("address", nested)
                          .StrArray("tags", {"a", "b"})
                          .OptStr("absent", std::nullopt)
                          .OptInt("maybe", 7)
                          .Finish();
  auto doc = Document::Parse(bytes);
  REQUIRE(doc.ok());
  auto r = MapReader::Of(doc->root(), "body");
  REQUIRE(r.ok());
  std::string s, bin;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  bool b = false;
  double d = 0;
  CHECK(r->Str("s", &s).ok());
  CHECK(s == "text");
  CHECK(r->Int("i", &i).ok());
  CHECK(i == -42);
  CHECK(r->Uint("u", &u).ok());
  CHECK(u == 42);
  CHECK(r->Bool("b", &b).ok());
  CHECK(b);
  CHECK(r->Double("d", &d).ok());
  CHECK(d == 1.5);
  CHECK(r->Bin("bin", &bin).ok());
  CHECK(bin == std::string("\0\1", 2));
  std::optional<std::string> opt;
  CHECK(r->OptStr("nothing", &opt).ok());
  CHECK_FALSE(opt.has_value());
  CHECK(r->OptStr("absent", &opt).ok());
  CHECK_FALSE(opt.has_value());
  std::optional<std::int64_t> maybe;
  CHECK(r->OptInt("maybe", &maybe).ok());
  CHECK(maybe == 7);
  MapReader addr = *r;
  REQUIRE(r->Map("address", &addr).ok());
  std::string postcode;
  CHECK(addr.Str("postcode", &postcode).ok());
  CHECK(postcode == "LS1 4AP");
  Status missing = addr.Str("line2", &postcode);
  CHECK(missing.field() == "body.address.line2");
  std::vector<std::string> tags;
  CHECK(r->StrArray("tags", &tags).ok());
  CHECK(tags == std::vector<std::string>{"a", "b"});
  CHECK(r->Int("s", &i).field() == "body.s");
  CHECK(r->Uint("i", &u).message() == "must not be negative");
  CHECK(r->Has("s"));
  CHECK_FALSE(r->Has("nothing"));
}

TEST_CASE("array elements of the wrong type are named by index") {
  std::string bytes = MapWriter().Raw("tags", std::string("\x92\xa1x\x01", 4)).Finish();
  auto doc = Document::Parse(bytes);
  REQUIRE(doc.ok());
  auto r = MapReader::Of(doc->root());
  REQUIRE(r.ok());
  std::vector<std::string> tags;
  CHECK(r->StrArray("tags", &tags).field() == "tags[1]");
}

}  // namespace
}  // namespace hub::wire
