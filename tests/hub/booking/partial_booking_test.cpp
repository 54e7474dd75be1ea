// Partial booking (RULES §2.1) through the engine with an injected "today": every path — no reply
// (invite, reminder, clinical review, discharge by a clinician), reply by contact, booking, LCAD
// passed, re-invite after review, a restart between two timers — with the letters, tasks and
// states each step must produce, and the pure machine on its own.
#include "hub/booking/partial_booking.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "hub/booking/record_codec.hpp"
#include "booking_fixtures.hpp"

namespace hub::booking {
namespace {

using testing::D;
using testing::LettersOf;
using testing::MakeReferral;
using testing::MakeTemplate;
using testing::MustApply;
using testing::TasksOf;

const Date kToday = D("2025-01-06");
const Date kSeen = D("2025-01-27");   // the first appointment (CARD01, Monday)
const Date kDue = D("2025-06-02");    // follow-up due: 126 days after being seen (> 42)
const Date kInvite = D("2025-04-21");  // due − 42
const Date kRemind = D("2025-05-05");  // invite + 14
const Date kReview = D("2025-05-12");  // invite + 21

std::string Ubrn(int n) { return fmt::format("{:012}", n); }

// Patient 1 referred, booked into CARD01 on 27 Jan, seen, follow-up due kDue (LCAD kDue + 7).
struct Fixture {
  BookingEngine engine;
  std::string fu;  // the follow-up entry id

  explicit Fixture(std::optional<Date> due = kDue, std::optional<Date> lcad = D("2025-06-09")) {
    MustApply(engine,
              UpsertTemplate{MakeTemplate("CARD01", 1, D("2025-01-01"), {SlotType::kNew}), "",
                             "ops", ""},
              kToday);
    MustApply(engine,
              UpsertTemplate{MakeTemplate("CARDFU", 1, D("2025-01-01"), {SlotType::kFollowUp}),
                             "", "ops", ""},
              kToday);
    MustApply(engine, ReceiveReferral{MakeReferral(Ubrn(1), Priority::kRoutine, kToday, 1)},
              kToday);
    const auto& e = engine.state().entries.at(Ubrn(1));
    REQUIRE(e.status == EntryStatus::kBooked);
    RecordAttendance seen{e.appointment_id, AttendanceCode::kAttended,
                          RttStatus::kSubsequentActivity, std::nullopt, "", "clerk", due};
    seen.follow_up_lcad = lcad;
    Decision d = MustApply(engine, seen, kSeen);
    fu = d.follow_up_entry_id;
    REQUIRE_FALSE(fu.empty());
  }
  const PbItem* Item() const { return engine.state().partial_booking.Find(fu); }
  Decision Sweep(Date today) { return MustApply(engine, booking::Sweep{}, today); }
};

TEST_CASE("partial booking: a follow-up due beyond 6 weeks joins the list; within, it does not") {
  Fixture f;
  const PbItem* item = f.Item();
  REQUIRE(item != nullptr);
  CHECK(item->state == PbState::kAdded);
  CHECK(item->due_date == kDue);
  CHECK(item->lcad == D("2025-06-09"));
  CHECK(item->next == PbTimer::kInvite);
  CHECK(item->next_on == kInvite);

  Fixture near(AddDays(kSeen, 42), std::nullopt);  // exactly 42 days: booked in clinic instead
  CHECK(near.Item() == nullptr);
  Fixture beyond(AddDays(kSeen, 43), std::nullopt);
  REQUIRE(beyond.Item() != nullptr);
  CHECK(beyond.Item()->lcad == AddDays(kSeen, 43));  // default: LCAD = due + 0 days
  CHECK(beyond.Item()->next_on == AddDays(kSeen, 1));  // due − 42
}

TEST_CASE("partial booking: no reply -> invitation, reminder, clinical review, discharge") {
  Fixture f;
  CHECK(LettersOf(f.Sweep(D("2025-04-20")), LetterKind::kPartialBookingInvitation).empty());

  Decision inv = f.Sweep(kInvite);
  auto letters = LettersOf(inv, LetterKind::kPartialBookingInvitation);
  REQUIRE(letters.size() == 1);
  CHECK(letters[0].recipient == LetterRecipient::kPatient);
  CHECK(letters[0].nhs_number == f.engine.state().entries.at(f.fu).nhs_number);
  CHECK(letters[0].reason.find("2025-06-02") != std::string::npos);
  CHECK(f.Item()->state == PbState::kInvited);
  CHECK(f.Item()->invited_on == kInvite);
  CHECK(inv.changed.pb_items.count(f.fu));
  // Applying again the same day fires nothing more.
  Decision again = f.Sweep(kInvite);
  CHECK(again.letters.empty());
  CHECK(again.changed.pb_items.empty());

  CHECK(f.Sweep(D("2025-05-04")).letters.empty());
  Decision rem = f.Sweep(kRemind);
  CHECK(LettersOf(rem, LetterKind::kPartialBookingReminder).size() == 1);
  CHECK(rem.letters.size() == 1);
  CHECK(f.Item()->state == PbState::kReminded);

  CHECK(f.Sweep(D("2025-05-11")).tasks.empty());
  Decision rev = f.Sweep(kReview);
  auto tasks = TasksOf(rev, TaskKind::kClinicalReview);
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].entry_id == f.fu);
  CHECK(tasks[0].reason.find("PARTIAL_BOOKING_NO_REPLY") == 0);
  CHECK(tasks[0].rule == "RULES §2.1");
  CHECK(rev.letters.empty());  // never an automatic discharge
  CHECK(f.Item()->state == PbState::kClinicalReview);
  const auto& e = f.engine.state().entries.at(f.fu);
  CHECK(e.status == EntryStatus::kClinicalReview);
  CHECK(e.review_reason == ReviewReason::kPartialBookingNoReply);
  CHECK(f.Sweep(D("2025-05-20")).tasks.empty());  // no further timer

  // Discharge only by the clinician's decision, with letters to patient and referrer.
  Decision dis = MustApply(
      f.engine, RecordReviewOutcome{f.fu, ReviewOutcome::kDischarge, D("2025-05-21"), "Dr X", ""},
      D("2025-05-21"));
  CHECK(LettersOf(dis, LetterKind::kDischarge).size() == 1);
  auto to_gp = LettersOf(dis, LetterKind::kDischargeToReferrer);
  REQUIRE(to_gp.size() == 1);
  CHECK(to_gp[0].recipient == LetterRecipient::kReferrer);
  CHECK(f.Item()->state == PbState::kDischarged);
  CHECK(f.Item()->closed_on == D("2025-05-21"));
  CHECK(f.engine.state().entries.at(f.fu).status == EntryStatus::kRemoved);
  // Closed: the LCAD passing later raises nothing.
  CHECK(f.Sweep(D("2025-07-01")).tasks.empty());
}

TEST_CASE("partial booking: the patient's reply (contact) leaves the chase") {
  Fixture f;
  f.Sweep(kInvite);
  MustApply(f.engine, RecordPatientContact{f.fu, D("2025-04-25"), "clerk", "phoned"},
            D("2025-04-25"));
  CHECK(f.Item()->state == PbState::kContacted);
  CHECK_FALSE(f.Item()->next_on.has_value());
  CHECK(f.Sweep(kRemind).letters.empty());
  CHECK(f.Sweep(kReview).tasks.empty());
  CHECK(f.engine.state().entries.at(f.fu).status == EntryStatus::kWaiting);
  // Then the clerk books it.
  Decision b = MustApply(f.engine, BookAppointment{f.fu, "CARDFU-20250602-0900", false, "clerk"},
                         kReview);
  CHECK(b.appointment_id == "CARDFU-20250602-0900-1");
  CHECK(f.Item()->state == PbState::kBooked);

  SUBCASE("a second contact on a closed item is refused") {
    auto r = f.engine.Apply(RecordPatientContact{f.fu, std::nullopt, "", ""}, kReview);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kFailedPrecondition);
    CHECK(r.status().field() == "entry_id");
  }
}

TEST_CASE("partial booking: a contact while held for review releases the entry") {
  Fixture f;
  f.Sweep(kInvite);
  f.Sweep(kRemind);
  f.Sweep(kReview);
  REQUIRE(f.engine.state().entries.at(f.fu).status == EntryStatus::kClinicalReview);
  MustApply(f.engine, RecordPatientContact{f.fu, std::nullopt, "clerk", ""}, D("2025-05-13"));
  CHECK(f.Item()->state == PbState::kContacted);
  CHECK(f.engine.state().entries.at(f.fu).status == EntryStatus::kWaiting);
  CHECK(f.engine.state().entries.at(f.fu).review_reason == ReviewReason::kNone);
}

TEST_CASE("partial booking: a booking after the invitation leaves the chase") {
  Fixture f;
  f.Sweep(kInvite);
  MustApply(f.engine, BookAppointment{f.fu, "CARDFU-20250526-0900", false, "clerk"},
            D("2025-04-22"));
  CHECK(f.Item()->state == PbState::kBooked);
  CHECK(f.Item()->closed_on == D("2025-04-22"));
  CHECK(f.Sweep(kRemind).letters.empty());
  CHECK(f.Sweep(kReview).tasks.empty());
  CHECK(f.Sweep(D("2025-06-30")).tasks.empty());  // booked: no LCAD flag either
}

TEST_CASE("partial booking: past the LCAD is flagged whatever the state, once") {
  SUBCASE("held for review") {
    Fixture f;
    f.Sweep(kInvite);
    f.Sweep(kRemind);
    f.Sweep(kReview);
    CHECK(f.Sweep(D("2025-06-09")).tasks.empty());  // LCAD day itself is still appropriate
    Decision d = f.Sweep(D("2025-06-10"));
    auto flags = TasksOf(d, TaskKind::kPastLcad);
    REQUIRE(flags.size() == 1);
    CHECK(flags[0].entry_id == f.fu);
    CHECK(flags[0].reason.find("CLINICAL_REVIEW") != std::string::npos);
    CHECK(f.Item()->past_lcad);
    CHECK(f.Item()->state == PbState::kClinicalReview);  // the flag does not change the state
    CHECK(f.Sweep(D("2025-06-11")).tasks.empty());
  }
  SUBCASE("contacted but not yet booked") {
    Fixture f;
    MustApply(f.engine, RecordPatientContact{f.fu, std::nullopt, "", ""}, D("2025-02-03"));
    Decision d = f.Sweep(D("2025-06-10"));
    CHECK(TasksOf(d, TaskKind::kPastLcad).size() == 1);
    CHECK(d.letters.empty());
  }
  SUBCASE("a worker that first runs after the LCAD sends the invitation and flags") {
    Fixture f;
    Decision d = f.Sweep(D("2025-06-20"));
    CHECK(LettersOf(d, LetterKind::kPartialBookingInvitation).size() == 1);
    CHECK(TasksOf(d, TaskKind::kPastLcad).size() == 1);
    CHECK(f.Item()->invited_on == D("2025-06-20"));
    CHECK(f.Item()->next_on == D("2025-07-04"));  // late steps count from when they fire
  }
}

TEST_CASE("partial booking: the clinician re-invites after review; the chase restarts") {
  Fixture f;
  f.Sweep(kInvite);
  f.Sweep(kRemind);
  f.Sweep(kReview);
  Decision d = MustApply(
      f.engine, RecordReviewOutcome{f.fu, ReviewOutcome::kRebook, D("2025-05-14"), "Dr X", ""},
      D("2025-05-14"));
  CHECK(LettersOf(d, LetterKind::kPartialBookingInvitation).size() == 1);
  CHECK(f.Item()->state == PbState::kReInvited);
  CHECK(f.Item()->invitations == 2);
  CHECK(f.engine.state().entries.at(f.fu).status == EntryStatus::kWaiting);
  // A follow-up never gets a new RTT clock from a review (the clock is still the first one).
  CHECK(f.engine.state().pathways.at(Ubrn(1)).periods().size() == 1);
  CHECK(LettersOf(f.Sweep(D("2025-05-28")), LetterKind::kPartialBookingReminder).size() == 1);
}

TEST_CASE("partial booking: a restart between two timers fires the next one once, identically") {
  Fixture f;
  f.Sweep(kInvite);
  // Reload from the stored rows, as the worker does after a restart.
  BookingState reloaded;
  for (const auto& row : EncodeAll(f.engine.state())) {
    REQUIRE(row.bytes);
    REQUIRE(AddRecord(&reloaded, row.kind, *row.bytes).ok());
  }
  BookingEngine restarted;
  REQUIRE(restarted.Load(std::move(reloaded)).ok());
  REQUIRE(restarted.state().partial_booking.Find(f.fu) != nullptr);
  CHECK(*restarted.state().partial_booking.Find(f.fu) == *f.Item());

  CHECK(MustApply(restarted, Sweep{}, D("2025-05-04")).letters.empty());
  Decision a = MustApply(restarted, Sweep{}, kRemind);
  Decision b = f.Sweep(kRemind);
  CHECK(LettersOf(a, LetterKind::kPartialBookingReminder).size() == 1);
  CHECK(a.letters == b.letters);  // same ids, same content: the same decision
  CHECK(MustApply(restarted, Sweep{}, kRemind).letters.empty());
}

TEST_CASE("partial booking: bad input changes nothing") {
  Fixture f;
  SUBCASE("LCAD before the due date") {
    BookingEngine& e = f.engine;
    MustApply(e, ReceiveReferral{MakeReferral(Ubrn(2), Priority::kRoutine, kToday, 2)}, kToday);
    const auto& entry = e.state().entries.at(Ubrn(2));
    RecordAttendance bad{entry.appointment_id, AttendanceCode::kAttended, std::nullopt,
                         std::nullopt, "", "", kDue};
    bad.follow_up_lcad = D("2025-06-01");
    const BookingState before = e.state();
    auto r = e.Apply(bad, e.state().appointments.at(entry.appointment_id).date);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().field() == "follow_up_lcad");
    CHECK(e.state().SameRecords(before));
  }
  SUBCASE("contact for an entry not on the list") {
    auto r = f.engine.Apply(RecordPatientContact{"nope", std::nullopt, "", ""}, kSeen);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kNotFound);
    CHECK(r.status().field() == "entry_id");
  }
  SUBCASE("contact dated in the future") {
    auto r = f.engine.Apply(RecordPatientContact{f.fu, D("2025-03-01"), "", ""}, kSeen);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().field() == "contacted_on");
  }
}

TEST_CASE("partial booking machine: pure steps and stored form") {
  BookingRules rules;
  PbItem item = NewPbItem("E1", "9990000018", "CARDIOLOGY", kDue, std::nullopt, kSeen, rules);
  CHECK(AdvancePb(item, D("2025-04-20"), rules).empty());
  CHECK(AdvancePb(item, kInvite, rules) == std::vector<PbAction>{PbAction::kSendInvitation});
  CHECK(item.WakeOn() == kRemind);
  // A late reminder keeps a 7-day window before the review.
  CHECK(AdvancePb(item, D("2025-05-10"), rules) == std::vector<PbAction>{PbAction::kSendReminder});
  CHECK(item.next == PbTimer::kReview);
  CHECK(item.next_on == D("2025-05-17"));
  CHECK(AdvancePb(item, D("2025-05-17"), rules) == std::vector<PbAction>{PbAction::kHoldForReview});
  CHECK(PbRecordBooked(item, D("2025-05-18")).ok());
  CHECK_FALSE(PbDischarge(item, D("2025-05-18")).ok());

  auto decoded = DecodePbItem(EncodePbItem(item));
  REQUIRE(decoded.ok());
  CHECK(*decoded == item);
  auto bad = DecodePbItem("\x81\xa1v\x01");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == StatusCode::kCorruption);

  PartialBookingList list;
  for (int i = 0; i < 3; ++i) {
    list.Put(NewPbItem(fmt::format("E{}", 3 - i), "", "", kDue, std::nullopt, kSeen, rules));
  }
  CHECK(list.Due(kInvite) == std::vector<std::string>{"E1", "E2", "E3"});  // (date, id) order
  auto swept = SweepPartialBooking(list, kInvite, rules);
  CHECK(swept.size() == 3);
  CHECK(list.Due(kInvite).empty());
  CHECK(list.NextWake() == kRemind);
}

}  // namespace
}  // namespace hub::booking
