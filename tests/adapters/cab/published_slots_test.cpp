// The published slot list: what BuildPublication keeps, and taken marks across republishing.
#include "adapters/cab/published_slots.hpp"

#include <doctest/doctest.h>

#include "tests/adapters/cab/example_trust.hpp"
#include "tests/adapters/cab/test_util.hpp"

namespace hub::cab {
namespace {

FreeSlot Slot(const std::string& id, const std::string& clinic, std::int64_t start,
              int booked = 0) {
  FreeSlot s;
  s.slot_id = id;
  s.clinic_code = clinic;
  s.start_ms = start;
  s.end_ms = start + 1'800'000;
  s.booked = booked;
  return s;
}

ClinicInfo Clinic(const std::string& code, bool active = true) {
  ClinicInfo c;
  c.clinic_code = code;
  c.active = active;
  return c;
}

TEST_CASE("a publication keeps free slots of active mapped clinics, in start order") {
  const CabConfig config = testing::ConfigFrom(testing::kTwoPriorityService);
  TemplateSnapshot snap;
  snap.taken_at_ms = 1000;
  snap.clinics = {Clinic("C1"), Clinic("C2", /*active=*/false), Clinic("UNMAPPED")};
  snap.free_slots = {Slot("b", "C1", 300), Slot("a", "C1", 100), Slot("full", "C1", 200, 1),
                     Slot("c2", "C2", 150), Slot("x", "UNMAPPED", 50)};
  const Publication pub = BuildPublication(config, snap, 9999);
  CHECK(pub.taken_at_ms == 1000);
  CHECK(pub.horizon_end_ms == 9999);
  REQUIRE(pub.slots.size() == 2);
  CHECK(pub.slots[0].slot_id == "a");
  CHECK(pub.slots[1].slot_id == "b");
  CHECK(pub.FindSlot("b") == &pub.slots[1]);
  CHECK(pub.FindSlot("full") == nullptr);
  CHECK(pub.FindSlot("c2") == nullptr);
  CHECK(pub.FindClinic("C1") != nullptr);
  CHECK(pub.FindClinic("C2") == nullptr);
  CHECK(pub.FindClinic("UNMAPPED") == nullptr);
  CHECK(pub.by_service.at("10001") == std::vector<std::size_t>{0, 1});
}

TEST_CASE("taken marks: visible at once, kept only while newer than the publication") {
  PublishedSlots store;
  CHECK(store.View().publication == nullptr);
  auto first = std::make_shared<Publication>();
  first->taken_at_ms = 100;
  store.Publish(first);
  const PublishedView before = store.View();
  store.MarkTaken("old", 150);
  store.MarkTaken("new", 250);
  CHECK_FALSE(before.IsTaken("old"));  // a view is a consistent snapshot
  CHECK(store.View().IsTaken("old"));
  auto second = std::make_shared<Publication>();
  second->taken_at_ms = 200;  // the snapshot saw "old" booked, not "new"
  store.Publish(second);
  CHECK_FALSE(store.View().IsTaken("old"));
  CHECK(store.View().IsTaken("new"));
  CHECK(store.View().publication == second);
}

}  // namespace
}  // namespace hub::cab
