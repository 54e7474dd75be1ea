// ULID generation: format, time encoding, ordering within one millisecond.
#include "hub/common/ulid.hpp"

#include <doctest/doctest.h>

#include <set>

namespace hub {
namespace {

TEST_CASE("ulids are 26 Crockford characters that encode the clock") {
  ManualClock clock(1'700'000'000'123);
  UlidGenerator gen(clock);
  std::string id = gen.Next();
  CHECK(id.size() == 26);
  CHECK(IsUlid(id));
  CHECK(UlidTimeMs(id) == 1'700'000'000'123);
  CHECK_FALSE(IsUlid("not-a-ulid"));
  CHECK_FALSE(IsUlid("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"));  // first digit over 7 overflows 48 bits
  CHECK_FALSE(IsUlid("0000000000000000000000000U"));  // U is not in the alphabet
}

TEST_CASE("ulids from one generator sort in creation order, even in one millisecond") {
  ManualClock clock;
  UlidGenerator gen(clock);
  std::string prev = gen.Next();
  std::set<std::string> seen{prev};
  for (int i = 0; i < 5000; ++i) {
    if (i % 1000 == 0) clock.Advance(1);
    std::string next = gen.Next();
    CHECK(next > prev);
    seen.insert(next);
    prev = next;
  }
  CHECK(seen.size() == 5001);
  // A clock that goes backwards does not break the order.
  clock.Advance(-10);
  CHECK(gen.Next() > prev);
}

TEST_CASE("NewUlid is unique across calls") {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) ids.insert(NewUlid());
  CHECK(ids.size() == 1000);
}

}  // namespace
}  // namespace hub
