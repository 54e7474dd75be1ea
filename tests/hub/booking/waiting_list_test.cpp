// Booking order (priority, clock start, id), slot-type rules and release rules (RULES §1.10, §8),
// reasonable notice (RULES §2.2), and the waiting queue and free-slot indexes.
#include "hub/booking/waiting_list.hpp"

#include <doctest/doctest.h>

#include "booking_fixtures.hpp"
#include "hub/booking/free_slot_index.hpp"

namespace hub::booking {
namespace {

using testing::D;

WaitingListEntry Entry(const char* id, Priority p, const char* clock_start) {
  WaitingListEntry e;
  e.entry_id = id;
  e.priority = p;
  e.specialty = "CARDIOLOGY";
  e.clinic_type = "GENERAL";
  e.clock_start = D(clock_start);
  return e;
}

Slot MakeSlot(const char* id, SlotType type, const char* date, int release_days = 0) {
  Slot s;
  s.slot_id = id;
  s.specialty = "CARDIOLOGY";
  s.clinic_type = "GENERAL";
  s.type = type;
  s.date = D(date);
  s.start_ms = LondonLocalToUtcMs(s.date, 540);
  s.release_days = release_days;
  return s;
}

TEST_CASE("booking order: priority, then clock start, then entry id (RULES §1.10)") {
  auto twoww = Entry("C", Priority::kTwoWeekWait, "2025-03-01");
  auto urgent_old = Entry("B", Priority::kUrgent, "2025-01-01");
  auto urgent_new = Entry("A", Priority::kUrgent, "2025-02-01");
  auto routine_old = Entry("Z", Priority::kRoutine, "2024-01-01");
  auto routine_tie = Entry("Y", Priority::kRoutine, "2024-01-01");
  CHECK(RanksBefore(twoww, urgent_old));
  CHECK(RanksBefore(urgent_old, urgent_new));
  CHECK(RanksBefore(urgent_new, routine_old));
  CHECK(RanksBefore(routine_tie, routine_old));
  CHECK_FALSE(RanksBefore(routine_old, routine_old));

  WaitingQueue q;
  for (const auto* e : {&routine_old, &urgent_new, &twoww, &routine_tie, &urgent_old}) q.Insert(*e);
  const auto* group = q.Group("CARDIOLOGY|GENERAL");
  REQUIRE(group != nullptr);
  std::vector<std::string> order;
  for (const auto& k : *group) order.push_back(k.entry_id);
  CHECK(order == std::vector<std::string>{"C", "B", "A", "Y", "Z"});
  q.Erase(twoww);
  CHECK(q.size() == 4);
  CHECK(q.GroupNames() == std::vector<std::string>{"CARDIOLOGY|GENERAL"});
  CHECK(q.Group("DERMATOLOGY|GENERAL") == nullptr);
}

TEST_CASE("slot types each priority may use (RULES §1.10)") {
  auto routine = Entry("R", Priority::kRoutine, "2025-01-01");
  auto urgent = Entry("U", Priority::kUrgent, "2025-01-01");
  auto twoww = Entry("T", Priority::kTwoWeekWait, "2025-01-01");
  auto follow = Entry("F", Priority::kRoutine, "2025-01-01");
  follow.kind = EntryKind::kFollowUp;
  CHECK(SlotTypeAllowed(routine, SlotType::kNew));
  CHECK_FALSE(SlotTypeAllowed(routine, SlotType::kUrgent));
  CHECK_FALSE(SlotTypeAllowed(routine, SlotType::kTwoWeekWait));
  CHECK_FALSE(SlotTypeAllowed(routine, SlotType::kFollowUp));
  CHECK(SlotTypeAllowed(urgent, SlotType::kUrgent));
  CHECK(SlotTypeAllowed(urgent, SlotType::kNew));
  CHECK_FALSE(SlotTypeAllowed(urgent, SlotType::kTwoWeekWait));
  CHECK(SlotTypeAllowed(twoww, SlotType::kTwoWeekWait));
  CHECK(SlotTypeAllowed(twoww, SlotType::kUrgent));
  CHECK(SlotTypeAllowed(twoww, SlotType::kNew));
  CHECK(SlotTypeAllowed(follow, SlotType::kFollowUp));
  CHECK_FALSE(SlotTypeAllowed(follow, SlotType::kNew));
  CHECK(PreferredSlotType(twoww) == SlotType::kTwoWeekWait);
  CHECK(PreferredSlotType(follow) == SlotType::kFollowUp);
}

TEST_CASE("release rules open held urgent slots to lower priorities only near the date") {
  const Date today = D("2025-01-06");
  auto routine = Entry("R", Priority::kRoutine, "2025-01-01");
  auto urgent = Entry("U", Priority::kUrgent, "2025-01-01");
  Slot held = MakeSlot("S1", SlotType::kUrgent, "2025-01-09", 3);
  CHECK(SlotReleasedTo(held, routine, today));                  // 3 days away
  CHECK_FALSE(SlotReleasedTo(held, routine, D("2025-01-05")));  // 4 days away
  Slot never = MakeSlot("S2", SlotType::kUrgent, "2025-01-07", 0);
  CHECK_FALSE(SlotReleasedTo(never, routine, today));
  Slot twoww = MakeSlot("S3", SlotType::kTwoWeekWait, "2025-01-07", 2);
  CHECK(SlotReleasedTo(twoww, urgent, today));
  CHECK_FALSE(SlotReleasedTo(MakeSlot("S4", SlotType::kNew, "2025-01-07", 2), routine, today));
}

TEST_CASE("earliest offer date: reasonable notice unless agreed, and availability") {
  BookingRules rules;
  const Date today = D("2025-01-06");
  auto e = Entry("R", Priority::kRoutine, "2025-01-01");
  CHECK(EarliestOfferDate(e, today, rules) == D("2025-01-27"));  // 21 days
  e.short_notice_agreed = true;
  CHECK(EarliestOfferDate(e, today, rules) == D("2025-01-07"));
  e.available_from = D("2025-02-10");
  CHECK(EarliestOfferDate(e, today, rules) == D("2025-02-10"));
  CHECK(TargetDate(e, rules) == D("2025-05-07"));  // clock start + 126
  e.priority = Priority::kTwoWeekWait;
  CHECK(TargetDate(e, rules) == D("2025-01-15"));
}

TEST_CASE("a slot fits an entry when group, type, date and notice all allow it") {
  BookingRules rules;
  const Date today = D("2025-01-06");
  auto e = Entry("R", Priority::kRoutine, "2025-01-01");
  CHECK(SlotFits(e, MakeSlot("S", SlotType::kNew, "2025-01-27"), today, rules));
  CHECK_FALSE(SlotFits(e, MakeSlot("S", SlotType::kNew, "2025-01-26"), today, rules));
  CHECK_FALSE(SlotFits(e, MakeSlot("S", SlotType::kUrgent, "2025-02-27"), today, rules));
  Slot other = MakeSlot("S", SlotType::kNew, "2025-02-27");
  other.clinic_type = "HEART_FAILURE";
  CHECK_FALSE(SlotFits(e, other, today, rules));
  Slot cancelled = MakeSlot("S", SlotType::kNew, "2025-02-27");
  cancelled.cancelled = true;
  CHECK_FALSE(SlotFits(e, cancelled, today, rules));
}

TEST_CASE("the free-slot index finds the earliest free slot of a type from a date") {
  FreeSlotIndex idx;
  Slot a = MakeSlot("CARD01-20250110-0900", SlotType::kNew, "2025-01-10");
  Slot b = MakeSlot("CARD02-20250108-0900", SlotType::kNew, "2025-01-08");
  Slot c = MakeSlot("CARD01-20250108-0915", SlotType::kUrgent, "2025-01-08");
  idx.Insert(a);
  idx.Insert(b);
  idx.Insert(b);
  idx.Insert(c);
  CHECK(idx.size() == 3);
  const std::string g = BookingGroup("CARDIOLOGY", "GENERAL");
  CHECK(idx.First(g, SlotType::kNew, 0)->slot_id == b.slot_id);
  CHECK(idx.First(g, SlotType::kNew, b.start_ms + 1)->slot_id == a.slot_id);
  CHECK(idx.First(g, SlotType::kNew, b.start_ms)->slot_id == b.slot_id);
  CHECK(idx.First(g, SlotType::kUrgent, 0)->slot_id == c.slot_id);
  CHECK_FALSE(idx.First(g, SlotType::kTwoWeekWait, 0).has_value());
  CHECK_FALSE(idx.First("DERMATOLOGY|GENERAL", SlotType::kNew, 0).has_value());
  idx.Erase(b);
  CHECK(idx.First(g, SlotType::kNew, 0)->slot_id == a.slot_id);
  int seen = 0;
  idx.Scan(g, SlotType::kNew, 0, [&](const FreeSlotIndex::Key&) { return ++seen < 10; });
  CHECK(seen == 1);
}

}  // namespace
}  // namespace hub::booking
