// BookingEngine: e-RS booking and deferral through the CaB adapter (ers.book, ers.cancel,
// ers.defer; RULES §1.1, §1.10, §3.1): the referral created and booked in one step, the
// appointment letter, one booking per idempotency key, the 2-minute deadline, refusals that change
// nothing, undo by key, and deferral with its contact-by date.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "booking_fixtures.hpp"
#include "hub/booking/booking_engine.hpp"

namespace hub::booking {
namespace {

using testing::D;
using testing::LettersOf;
using testing::MakeReferral;
using testing::MakeTemplate;
using testing::MustApply;

const Date kToday = D("2025-01-06");  // a Monday
// 10:00 London on kToday (GMT in January).
const std::int64_t kNowMs = LondonLocalToUtcMs(kToday, 600);
constexpr std::int64_t kTwoMinutes = 120'000;

// CARD01 on Mondays: NEW 09:00, NEW 09:15, URGENT 09:30, TWO_WEEK_WAIT 09:45.
BookingEngine EngineWithClinic() {
  BookingEngine engine(BookingRules{});
  MustApply(engine,
            UpsertTemplate{MakeTemplate("CARD01", 1, D("2025-01-01"),
                                        {SlotType::kNew, SlotType::kNew, SlotType::kUrgent,
                                         SlotType::kTwoWeekWait}),
                           "", "ops", ""},
            kToday);
  return engine;
}

constexpr const char* kSlot = "CARD01-20250113-0900";

ErsBook Book(const std::string& key, const std::string& ubrn, const std::string& slot = kSlot,
             int patient = 1) {
  ErsBook c;
  c.idempotency_key = key;
  c.ubrn = ubrn;
  c.nhs_number = testing::TestNhsNumber(patient);
  c.service_id = "40101";
  c.specialty = "CARDIOLOGY";
  c.clinic_type = "GENERAL";
  c.priority = Priority::kRoutine;
  c.slot_id = slot;
  c.deadline_ms = kNowMs + kTwoMinutes;
  c.patient = MakeReferral(ubrn, Priority::kRoutine, kToday, patient).patient;
  c.now_ms = kNowMs;
  return c;
}

void ExpectRefused(BookingEngine& engine, const Command& c, StatusCode code,
                   const std::string& field, const std::string& reason) {
  const BookingState before = engine.state();
  auto r = engine.Apply(c, kToday);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == code);
  CHECK(r.status().field() == field);
  CHECK_MESSAGE(r.status().message().find(reason) != std::string::npos, r.status().message());
  CHECK(engine.state().SameRecords(before));
}

TEST_CASE("ers.book creates the referral, books the slot and requests the appointment letter") {
  BookingEngine engine = EngineWithClinic();
  Decision d = MustApply(engine, Book("k1", "000000070001"), kToday);
  REQUIRE(d.ers.has_value());
  CHECK_FALSE(d.ers->replayed);
  CHECK(d.ers->slot_id == kSlot);
  CHECK(d.ers->slot_free == 0);
  CHECK(d.ers->referral_id == "000000070001");
  const auto& entry = engine.state().entries.at("000000070001");
  CHECK(entry.status == EntryStatus::kBooked);
  CHECK(entry.clock_start == kToday);  // RULES §1.1: the UBRN conversion date
  CHECK(engine.state().slots.at(kSlot).free() == 0);
  const auto letters = LettersOf(d, LetterKind::kAppointment);
  REQUIRE(letters.size() == 1);
  CHECK(letters[0].recipient == LetterRecipient::kPatient);
  CHECK(d.slots_changed.size() >= 1);

  // The same attempt again: the first outcome, nothing new.
  const BookingState before = engine.state();
  Decision again = MustApply(engine, Book("k1", "000000070001"), kToday);
  REQUIRE(again.ers.has_value());
  CHECK(again.ers->replayed);
  CHECK(again.ers->appointment_id == d.ers->appointment_id);
  CHECK(again.letters.empty());
  CHECK(engine.state().SameRecords(before));
}

TEST_CASE("ers.book refusals name the field and change nothing") {
  BookingEngine engine = EngineWithClinic();
  MustApply(engine, Book("k1", "000000070001"), kToday);

  ExpectRefused(engine, Book("k2", "000000070002"), StatusCode::kFailedPrecondition, "slot_id",
                "already fully booked");
  ExpectRefused(engine, Book("k3", "000000070003", "CARD01-20250113-1100"), StatusCode::kNotFound,
                "slot_id", "no slot");
  ErsBook late = Book("k4", "000000070004", "CARD01-20250113-0915");
  late.now_ms = late.deadline_ms + 1;
  ExpectRefused(engine, late, StatusCode::kDeadlineExceeded, "deadline_ms", "deadline passed");
  ErsBook stranger = Book("k5", "000000070005", "CARD01-20250113-0915", 7);
  stranger.patient.reset();
  ExpectRefused(engine, stranger, StatusCode::kNotFound, "nhs_number", "no record of patient");
  ErsBook other_service = Book("k6", "000000070006", "CARD01-20250113-0915");
  other_service.clinic_type = "HEART_FAILURE";
  ExpectRefused(engine, other_service, StatusCode::kInvalidArgument, "specialty",
                "CARDIOLOGY / GENERAL clinic");
  // RULES §8: an URGENT slot is not for a ROUTINE referral.
  ExpectRefused(engine, Book("k7", "000000070007", "CARD01-20250113-0930"),
                StatusCode::kInvalidArgument, "slot_id", "URGENT slot");
  ExpectRefused(engine, Book("k8", "12345", "CARD01-20250113-0915"), StatusCode::kInvalidArgument,
                "ubrn", "12 digits");
  // The UBRN booked already.
  ExpectRefused(engine, Book("k9", "000000070001", "CARD01-20250113-0915"),
                StatusCode::kFailedPrecondition, "ubrn", "BOOKED");
  // A key reused for another booking.
  ExpectRefused(engine, Book("k1", "000000070010", "CARD01-20250113-0915"),
                StatusCode::kInvalidArgument, "idempotency_key", "new key");
}

TEST_CASE("ers.cancel undoes a booking by key; a key cancelled first refuses its booking") {
  BookingEngine engine = EngineWithClinic();
  MustApply(engine, Book("k1", "000000070001"), kToday);
  Decision undo = MustApply(engine, ErsCancel{"k1", "e-RS was told the booking failed"}, kToday);
  REQUIRE(undo.ers.has_value());
  CHECK(undo.ers->cancelled);
  CHECK(undo.ers->slot_free == 1);
  CHECK(engine.state().slots.at(kSlot).free() == 1);
  CHECK(engine.state().referrals.count("000000070001") == 0);
  CHECK(engine.state().entries.count("000000070001") == 0);
  CHECK(LettersOf(undo, LetterKind::kCancellation).empty());  // to the patient it never happened

  // Idempotent; the key cannot book again.
  Decision again = MustApply(engine, ErsCancel{"k1", ""}, kToday);
  CHECK(again.ers->replayed);
  ExpectRefused(engine, Book("k1", "000000070001"), StatusCode::kFailedPrecondition,
                "idempotency_key", "cancelled");

  // Cancelled before its booking arrived (the adapter gave up first).
  MustApply(engine, ErsCancel{"k2", "deadline"}, kToday);
  ExpectRefused(engine, Book("k2", "000000070002"), StatusCode::kFailedPrecondition,
                "idempotency_key", "cancelled");
}

TEST_CASE("ers.defer puts the referral on the list with its contact-by date, once per UBRN") {
  BookingEngine engine(BookingRules{});  // no clinic: nothing to book it into
  ErsDefer c;
  c.idempotency_key = "d1";
  c.ubrn = "000000070021";
  c.nhs_number = testing::TestNhsNumber(3);
  c.service_id = "40101";
  c.specialty = "CARDIOLOGY";
  c.clinic_type = "GENERAL";
  c.priority = Priority::kUrgent;
  c.reason = "NO_SLOTS_AT_SERVICE";
  c.contact_by = AddDays(kToday, 10);  // RULES §1.10: urgent, 10 days
  c.patient = MakeReferral(c.ubrn, Priority::kUrgent, kToday, 3).patient;
  Decision d = MustApply(engine, c, kToday);
  REQUIRE(d.ers.has_value());
  CHECK(d.ers->contact_by == AddDays(kToday, 10));
  const auto& entry = engine.state().entries.at(c.ubrn);
  CHECK(entry.status == EntryStatus::kWaiting);
  CHECK(entry.contact_by == AddDays(kToday, 10));
  CHECK(entry.clock_start == kToday);  // RULES §1.1: the date the UBRN reached the ASI list

  const BookingState before = engine.state();
  Decision again = MustApply(engine, c, kToday);
  CHECK(again.ers->replayed);
  CHECK(engine.state().SameRecords(before));

  ErsDefer past = c;
  past.ubrn = "000000070022";
  past.contact_by = AddDays(kToday, -1);
  ExpectRefused(engine, past, StatusCode::kInvalidArgument, "contact_by", "before today");
}

}  // namespace
}  // namespace hub::booking
