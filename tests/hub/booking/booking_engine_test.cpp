// BookingEngine scenarios: intake and automatic booking in priority order, letters, escalations,
// contact tasks, triage, template changes with approval and rebooking, cancellations, declines,
// attendance outcomes and their RTT effects, and bad input that must change nothing.
#include "hub/booking/booking_engine.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <tuple>

#include "booking_fixtures.hpp"

namespace hub::booking {
namespace {

using testing::D;
using testing::LettersOf;
using testing::MakeReferral;
using testing::MakeTemplate;
using testing::MustApply;
using testing::TasksOf;

const Date kToday = D("2025-01-06");  // a Monday

// CARD01 runs on Mondays: two NEW slots, one URGENT, one TWO_WEEK_WAIT, 12-week horizon.
BookingEngine EngineWithClinic(BookingRules rules = {}) {
  BookingEngine engine(std::move(rules));
  MustApply(engine,
            UpsertTemplate{MakeTemplate("CARD01", 1, D("2025-01-01"),
                                        {SlotType::kNew, SlotType::kNew, SlotType::kUrgent,
                                         SlotType::kTwoWeekWait}),
                           "", "ops", ""},
            kToday);
  return engine;
}

std::string Ubrn(int n) { return fmt::format("{:012}", n); }

Decision Receive(BookingEngine& engine, int n, Priority p, Date today = kToday,
                 Date received = kToday) {
  return MustApply(engine, ReceiveReferral{MakeReferral(Ubrn(n), p, received, n)}, today);
}

const Appointment& AppointmentOf(const BookingEngine& engine, int n) {
  const auto& e = engine.state().entries.at(Ubrn(n));
  REQUIRE(e.status == EntryStatus::kBooked);
  return engine.state().appointments.at(e.appointment_id);
}

// Asserts that applying `command` fails with `code` on `field` (and `reason` in the message) and
// leaves every record as it was.
void ExpectRejected(BookingEngine& engine, const Command& command, Date today, StatusCode code,
                    const std::string& field, const std::string& reason) {
  const BookingState before = engine.state();
  auto r = engine.Apply(command, today);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == code);
  CHECK(r.status().field() == field);
  CHECK_MESSAGE(r.status().message().find(reason) != std::string::npos, r.status().message());
  CHECK(engine.state().SameRecords(before));
}

TEST_CASE("a new clinic's template generates its slots for the booking horizon") {
  BookingEngine engine;
  Decision d = MustApply(engine,
                         UpsertTemplate{MakeTemplate("CARD01", 1, D("2024-06-01"),
                                                     {SlotType::kNew, SlotType::kUrgent}),
                                        "", "ops", ""},
                         kToday);
  // Mondays 6 Jan .. 31 Mar 2025 (today + 12 weeks): 13 sessions of 2 slots.
  CHECK(d.slots_changed.size() == 26);
  CHECK(d.slots_changed.front().slot_id == "CARD01-20250106-0900");
  CHECK(d.slots_changed.back().slot_id == "CARD01-20250331-0915");
  CHECK(engine.state().clinics.at("CARD01").generated_until == D("2025-03-31"));
  CHECK(d.changed.clinics.count("CARD01"));
  CHECK(engine.state().free_slots.size() == 26);
}

TEST_CASE("a routine referral is booked with reasonable notice, and its letter has everything") {
  BookingEngine engine = EngineWithClinic();
  Decision d = Receive(engine, 1, Priority::kRoutine);
  CHECK(d.referral_id == Ubrn(1));
  CHECK(d.pathway_id == Ubrn(1));
  REQUIRE(d.booked.size() == 1);
  // 21 days' notice: the first Monday on or after 27 January.
  CHECK(d.appointment_id == "CARD01-20250127-0900-1");
  CHECK(engine.state().pathways.at(Ubrn(1)).current()->start == kToday);
  CHECK(engine.state().slots.at("CARD01-20250127-0900").booked == 1);

  auto letters = LettersOf(d, LetterKind::kAppointment);
  REQUIRE(letters.size() == 1);
  const LetterRequest& l = letters[0];
  CHECK(l.recipient == LetterRecipient::kPatient);
  CHECK(l.recipient_name == "Ms Ada Patient1");
  CHECK(l.recipient_address.postcode == "LS1 3EX");
  CHECK(l.nhs_number == testing::TestNhsNumber(1));
  CHECK(l.ubrn == Ubrn(1));
  CHECK(l.referrer_name == "Dr A Jones");
  CHECK(l.letter_date == kToday);
  REQUIRE(l.appointment.has_value());
  CHECK(l.appointment->date == D("2025-01-27"));
  CHECK(l.appointment->start_minutes == 540);
  CHECK(l.appointment->consultant == "Dr R Patel");
  CHECK(l.appointment->site == "St James's Hospital");
  CHECK(l.appointment->room == "OPD 3");
  CHECK(l.appointment->clinic_name == "General Cardiology");
  CHECK(engine.state().appointments.at(d.appointment_id).letter_id == l.letter_id);
  CHECK(engine.state().letters.at(l.letter_id).status == LetterStatus::kRequested);
  REQUIRE(d.slots_changed.size() == 1);
  CHECK(d.slots_changed[0].booked == 1);

  CHECK(Receive(engine, 2, Priority::kRoutine).appointment_id == "CARD01-20250127-0915-1");
  CHECK(Receive(engine, 3, Priority::kRoutine).appointment_id == "CARD01-20250203-0900-1");
}

TEST_CASE("priorities use their own slots; routine patients never take urgent slots") {
  BookingEngine engine = EngineWithClinic();
  for (int n = 1; n <= 5; ++n) Receive(engine, n, Priority::kRoutine);
  // Five routine patients fill the NEW slots of 27 Jan, 3 Feb and half of 10 Feb.
  CHECK(AppointmentOf(engine, 5).slot_id == "CARD01-20250210-0900");
  CHECK(engine.state().slots.at("CARD01-20250127-0930").booked == 0);  // urgent slot untouched
  // An urgent patient (target: 28 days, 3 Feb) takes the first URGENT slot.
  Receive(engine, 6, Priority::kUrgent);
  CHECK(AppointmentOf(engine, 6).slot_id == "CARD01-20250127-0930");
}

TEST_CASE(
    "a 2WW patient who cannot meet the target takes the best date and capacity is escalated") {
  BookingEngine engine = EngineWithClinic();
  // Target 14 days (20 Jan), but 21 days' notice: earliest 27 Jan. Its own 2WW slot that day is
  // preferred over the earlier NEW slot the same morning.
  Decision d = Receive(engine, 1, Priority::kTwoWeekWait);
  CHECK(d.appointment_id == "CARD01-20250127-0945-1");
  REQUIRE(d.escalations.size() == 1);
  CHECK(d.escalations[0].reason == EscalationReason::kBeyondTarget);
  CHECK(d.escalations[0].priority == Priority::kTwoWeekWait);
  CHECK(d.escalations[0].earliest_target == D("2025-01-20"));
  // With short notice agreed the 2WW slot of 13 January meets the target.
  Referral r = MakeReferral(Ubrn(2), Priority::kTwoWeekWait, kToday, 2);
  r.short_notice_agreed = true;
  Decision d2 = MustApply(engine, ReceiveReferral{r}, kToday);
  CHECK(d2.appointment_id == "CARD01-20250113-0945-1");
  CHECK(d2.escalations.empty());
}

TEST_CASE(
    "no fitting slot: the patient stays on the list, acknowledged once, escalated once a day") {
  BookingEngine engine;  // no clinics at all
  Decision d = Receive(engine, 1, Priority::kRoutine);
  CHECK(d.booked.empty());
  CHECK(engine.state().entries.at(Ubrn(1)).status == EntryStatus::kWaiting);
  CHECK(LettersOf(d, LetterKind::kAcknowledgement).size() == 1);
  REQUIRE(d.escalations.size() == 1);
  CHECK(d.escalations[0].reason == EscalationReason::kNoSlot);
  CHECK(d.escalations[0].specialty == "CARDIOLOGY");
  CHECK(engine.state().entries.at(Ubrn(1)).acknowledged);
  Decision same_day = Receive(engine, 2, Priority::kRoutine);
  CHECK(LettersOf(same_day, LetterKind::kAcknowledgement).size() == 1);
  CHECK(same_day.escalations.empty());
  Decision next_day = Receive(engine, 3, Priority::kRoutine, D("2025-01-07"), D("2025-01-07"));
  CHECK(next_day.escalations.size() == 1);
  // A clinic opening later offers its slots to the waiting patients in order.
  Decision opened = MustApply(
      engine,
      UpsertTemplate{MakeTemplate("CARD01", 1, D("2025-01-01"), {SlotType::kNew}), "", "", ""},
      D("2025-01-07"));
  CHECK(opened.booked.size() == 3);
  CHECK(AppointmentOf(engine, 1).slot_id == "CARD01-20250203-0900");
  CHECK(AppointmentOf(engine, 2).slot_id == "CARD01-20250210-0900");
  CHECK(AppointmentOf(engine, 3).slot_id == "CARD01-20250217-0900");
}

TEST_CASE("book_beyond_target = false keeps the patient on the list when only late slots exist") {
  BookingRules rules;
  rules.book_beyond_target = false;
  BookingEngine engine = EngineWithClinic(rules);
  Decision d = Receive(engine, 1, Priority::kTwoWeekWait);
  CHECK(d.booked.empty());
  CHECK(LettersOf(d, LetterKind::kAcknowledgement).size() == 1);
  REQUIRE(d.escalations.size() == 1);
  CHECK(d.escalations[0].reason == EscalationReason::kBeyondTarget);
}

TEST_CASE("a contact-by date raises a task before it passes unless the patient is booked") {
  BookingEngine engine;
  Referral r = MakeReferral(Ubrn(1), Priority::kUrgent, kToday, 1);
  Decision d = MustApply(engine, ReceiveReferral{r}, kToday);
  // e-RS deferral, urgent: contact within 10 days (16 Jan); the task comes 2 days before.
  CHECK(engine.state().entries.at(Ubrn(1)).contact_by == D("2025-01-16"));
  CHECK(TasksOf(d, TaskKind::kContactPatient).empty());
  CHECK(TasksOf(MustApply(engine, Sweep{}, D("2025-01-13")), TaskKind::kContactPatient).empty());
  Decision due = MustApply(engine, Sweep{}, D("2025-01-14"));
  auto tasks = TasksOf(due, TaskKind::kContactPatient);
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].entry_id == Ubrn(1));
  CHECK(tasks[0].due_date == D("2025-01-16"));
  CHECK(TasksOf(MustApply(engine, Sweep{}, D("2025-01-15")), TaskKind::kContactPatient).empty());

  // A booked patient gets no contact task; a contact-by date already close raises it at once.
  BookingEngine booked = EngineWithClinic();
  Referral soon = MakeReferral(Ubrn(2), Priority::kRoutine, kToday, 2);
  soon.contact_by = D("2025-01-07");
  Decision d2 = MustApply(booked, ReceiveReferral{soon}, kToday);
  CHECK(d2.booked.size() == 1);
  CHECK(TasksOf(d2, TaskKind::kContactPatient).empty());
  BookingEngine empty;
  Decision d3 = MustApply(empty, ReceiveReferral{soon}, kToday);
  CHECK(TasksOf(d3, TaskKind::kContactPatient).size() == 1);
}

TEST_CASE(
    "triage: the referral waits; ACCEPT sets the priority and books; RETURN stops the clock") {
  BookingEngine engine = EngineWithClinic();
  Referral r = MakeReferral(Ubrn(1), Priority::kRoutine, kToday, 1);
  r.needs_triage = true;
  Decision d = MustApply(engine, ReceiveReferral{r}, kToday);
  CHECK(d.booked.empty());
  CHECK(engine.state().entries.at(Ubrn(1)).status == EntryStatus::kAwaitingTriage);
  auto triage = TasksOf(d, TaskKind::kTriage);
  REQUIRE(triage.size() == 1);
  CHECK(triage[0].due_date == D("2025-02-15"));  // e-RS triage contact days, routine 40
  CHECK(LettersOf(d, LetterKind::kAcknowledgement).empty());

  Decision accepted = MustApply(engine,
                                TriageReferral{Ubrn(1), TriageOutcome::kAccept, Priority::kUrgent,
                                               std::nullopt, std::nullopt, kToday, "Dr Triage", ""},
                                kToday);
  CHECK(engine.state().referrals.at(Ubrn(1)).priority == Priority::kUrgent);
  CHECK(accepted.appointment_id == "CARD01-20250127-0930-1");  // an URGENT slot

  ExpectRejected(engine,
                 TriageReferral{Ubrn(1), TriageOutcome::kAccept, std::nullopt, std::nullopt,
                                std::nullopt, kToday, "", ""},
                 kToday, StatusCode::kFailedPrecondition, "referral_id", "not awaiting triage");

  Referral r2 = MakeReferral(Ubrn(2), Priority::kRoutine, kToday, 2);
  r2.needs_triage = true;
  MustApply(engine, ReceiveReferral{r2}, kToday);
  Decision returned = MustApply(
      engine,
      TriageReferral{Ubrn(2), TriageOutcome::kReturnToReferrer, std::nullopt, std::nullopt,
                     std::nullopt, D("2025-01-08"), "Dr Triage", "advice and guidance given"},
      D("2025-01-08"));
  const Pathway& p = engine.state().pathways.at(Ubrn(2));
  CHECK_FALSE(p.clock_running());
  CHECK(p.current()->stop_status == RttStatus::kDecisionNotToTreat);
  CHECK(p.current()->stop == D("2025-01-08"));
  auto to_referrer = LettersOf(returned, LetterKind::kReferralReturned);
  REQUIRE(to_referrer.size() == 1);
  CHECK(to_referrer[0].recipient == LetterRecipient::kReferrer);
  CHECK(to_referrer[0].recipient_name == "Dr A Jones");
  CHECK(to_referrer[0].reason == "advice and guidance given");
  CHECK(engine.state().entries.at(Ubrn(2)).status == EntryStatus::kRemoved);
}

TEST_CASE(
    "RULES §1.1: a re-referral keeps the original date; an onward referral joins the pathway") {
  BookingEngine engine;
  Referral first = MakeReferral(Ubrn(1), Priority::kRoutine, D("2024-11-04"), 1);
  first.needs_triage = true;
  MustApply(engine, ReceiveReferral{first}, D("2024-11-04"));
  MustApply(engine,
            TriageReferral{Ubrn(1), TriageOutcome::kReturnToReferrer, std::nullopt, std::nullopt,
                           std::nullopt, D("2024-11-05"), "", "wrong service"},
            D("2024-11-05"));
  Referral again = MakeReferral(Ubrn(2), Priority::kRoutine, kToday, 1);
  again.original_referral_id = Ubrn(1);
  Decision d = MustApply(engine, ReceiveReferral{again}, kToday);
  CHECK(d.pathway_id == Ubrn(2));
  CHECK(engine.state().pathways.at(Ubrn(2)).current()->start == D("2024-11-04"));
  CHECK(engine.state().entries.at(Ubrn(2)).clock_start == D("2024-11-04"));

  // Interface service: the first UBRN's clock keeps running; the pathway id is the first UBRN.
  Referral onward = MakeReferral(Ubrn(3), Priority::kRoutine, D("2025-01-20"), 1);
  onward.original_referral_id = Ubrn(2);
  Decision j = MustApply(engine, ReceiveReferral{onward}, D("2025-01-20"));
  CHECK(j.pathway_id == Ubrn(2));
  CHECK(engine.state().pathways.at(Ubrn(2)).referral_ids() ==
        std::vector<std::string>{Ubrn(2), Ubrn(3)});
  CHECK(engine.state().entries.at(Ubrn(3)).clock_start == D("2024-11-04"));
  CHECK_FALSE(engine.state().pathways.count(Ubrn(3)));

  Referral other = MakeReferral(Ubrn(4), Priority::kRoutine, D("2025-01-20"), 9);
  other.original_referral_id = Ubrn(2);
  ExpectRejected(engine, ReceiveReferral{other}, D("2025-01-20"), StatusCode::kInvalidArgument,
                 "original_referral_id", "different patient");
}

TEST_CASE("explicit booking: notice, agreement, capacity, type and group") {
  BookingEngine engine;
  MustApply(engine,
            UpsertTemplate{
                MakeTemplate("CARD01", 1, D("2025-01-01"), {SlotType::kNew, SlotType::kUrgent}), "",
                "", ""},
            kToday);
  Receive(engine, 1, Priority::kRoutine);
  MustApply(engine,
            CancelAppointment{AppointmentOf(engine, 1).appointment_id, CancelledBy::kPatient,
                              "holiday", "", D("2025-06-01")},
            kToday);
  // Entry 1 is now held for review (delay > 42 days); a clerk books it by phone.
  CHECK(engine.state().entries.at(Ubrn(1)).status == EntryStatus::kClinicalReview);
  ExpectRejected(engine, BookAppointment{Ubrn(1), "CARD01-20250113-0900", false, "clerk"}, kToday,
                 StatusCode::kFailedPrecondition, "short_notice_agreed", "7 days' notice");
  Decision ok =
      MustApply(engine, BookAppointment{Ubrn(1), "CARD01-20250113-0900", true, "clerk"}, kToday);
  CHECK(ok.appointment_id == "CARD01-20250113-0900-1");
  CHECK(engine.state().appointments.at(ok.appointment_id).short_notice_agreed);
  CHECK(LettersOf(ok, LetterKind::kAppointment).size() == 1);

  Receive(engine, 2, Priority::kRoutine);  // booked automatically into 3 Feb
  auto& e2 = engine.state().entries.at(Ubrn(2));
  CHECK(e2.status == EntryStatus::kBooked);
  ExpectRejected(engine, BookAppointment{Ubrn(2), "CARD01-20250210-0900", false, ""}, kToday,
                 StatusCode::kFailedPrecondition, "entry_id", "use appointment.reschedule");
}

TEST_CASE("bad input of each kind is refused with the field and the reason, changing nothing") {
  BookingEngine engine = EngineWithClinic();
  Receive(engine, 1, Priority::kRoutine);  // books CARD01-20250127-0900
  Referral waiting = MakeReferral(Ubrn(2), Priority::kRoutine, kToday, 2);
  waiting.needs_triage = true;
  MustApply(engine, ReceiveReferral{waiting}, kToday);
  MustApply(engine,
            TriageReferral{Ubrn(2), TriageOutcome::kAccept, std::nullopt, std::nullopt,
                           std::nullopt, kToday, "", ""},
            kToday);
  const std::string held = engine.state().entries.at(Ubrn(2)).appointment_id;
  MustApply(engine, CancelAppointment{held, CancelledBy::kPatient, "", "", D("2025-04-01")},
            kToday);

  SUBCASE("invalid NHS number") {
    Referral r = MakeReferral(Ubrn(3), Priority::kRoutine, kToday, 3);
    r.patient.nhs_number = "9876544321";
    ExpectRejected(engine, ReceiveReferral{r}, kToday, StatusCode::kInvalidArgument,
                   "patient.nhs_number", "Modulus 11");
  }
  SUBCASE("unspecified priority") {
    Referral r = MakeReferral(Ubrn(3), Priority::kUnspecified, kToday, 3);
    ExpectRejected(engine, ReceiveReferral{r}, kToday, StatusCode::kInvalidArgument, "priority",
                   "ROUTINE, URGENT or TWO_WEEK_WAIT");
  }
  SUBCASE("the same referral twice") {
    ExpectRejected(engine, ReceiveReferral{MakeReferral(Ubrn(1), Priority::kRoutine, kToday, 1)},
                   kToday, StatusCode::kAlreadyExists, "ubrn", "already been received");
  }
  SUBCASE("unknown clinic") {
    ExpectRejected(engine,
                   RequestTemplateChange{"C1", "NOPE01", TemplateChangeKind::kCancelSession,
                                         D("2025-03-03"), std::nullopt, "", "", ""},
                   kToday, StatusCode::kNotFound, "clinic_code", "no clinic 'NOPE01'");
  }
  SUBCASE("unknown slot") {
    ExpectRejected(engine, BookAppointment{Ubrn(2), "CARD01-20250128-0900", true, ""}, kToday,
                   StatusCode::kNotFound, "slot_id", "no slot");
  }
  SUBCASE("a slot already taken") {
    ExpectRejected(engine, BookAppointment{Ubrn(2), "CARD01-20250127-0900", true, ""}, kToday,
                   StatusCode::kFailedPrecondition, "slot_id", "already fully booked");
  }
  SUBCASE("a slot in the past") {
    ExpectRejected(engine, BookAppointment{Ubrn(2), "CARD01-20250113-0900", true, ""},
                   D("2025-01-14"), StatusCode::kInvalidArgument, "slot_id", "in the past");
  }
  SUBCASE("an urgent slot for a routine patient") {
    ExpectRejected(engine, BookAppointment{Ubrn(2), "CARD01-20250303-0930", false, ""}, kToday,
                   StatusCode::kFailedPrecondition, "slot_id", "may not take");
  }
  SUBCASE("a session date in the past") {
    ExpectRejected(engine,
                   RequestTemplateChange{"C1", "CARD01", TemplateChangeKind::kCancelSession,
                                         D("2025-01-06"), std::nullopt, "", "", ""},
                   D("2025-01-07"), StatusCode::kInvalidArgument, "session_date", "in the past");
  }
  SUBCASE("a session that does not exist") {
    ExpectRejected(engine,
                   RequestTemplateChange{"C1", "CARD01", TemplateChangeKind::kCancelSession,
                                         D("2025-03-04"), std::nullopt, "", "", ""},
                   kToday, StatusCode::kFailedPrecondition, "session_date", "no session");
  }
  SUBCASE("a hospital cancellation without an e-RS reason") {
    ExpectRejected(engine,
                   CancelAppointment{AppointmentOf(engine, 1).appointment_id,
                                     CancelledBy::kHospital, "because", "", std::nullopt},
                   kToday, StatusCode::kInvalidArgument, "reason", "CLINIC_CANCELLED");
    ExpectRejected(
        engine,
        CancelAppointment{AppointmentOf(engine, 1).appointment_id, CancelledBy::kHospital,
                          "PROVIDER_CANCELLATION", "", std::nullopt},
        kToday, StatusCode::kInvalidArgument, "comment", "required");
  }
  SUBCASE("attendance recorded before the appointment day") {
    ExpectRejected(
        engine,
        RecordAttendance{AppointmentOf(engine, 1).appointment_id, AttendanceCode::kAttended,
                         std::nullopt, std::nullopt, "", "", std::nullopt},
        kToday, StatusCode::kFailedPrecondition, "appointment_id", "after today");
  }
  SUBCASE("an RTT start code as an attendance outcome") {
    ExpectRejected(
        engine,
        RecordAttendance{AppointmentOf(engine, 1).appointment_id, AttendanceCode::kAttended,
                         RttStatus::kFirstActivity, std::nullopt, "", "", std::nullopt},
        D("2025-01-27"), StatusCode::kInvalidArgument, "rtt_status", "cannot be the outcome");
  }
  SUBCASE("unknown letter and entry") {
    ExpectRejected(engine, RecordLetterStatus{"LTR-9", LetterStatus::kDelivered, ""}, kToday,
                   StatusCode::kNotFound, "letter_id", "no letter");
    ExpectRejected(engine, RecordReviewOutcome{"nope", ReviewOutcome::kRebook, kToday, "", ""},
                   kToday, StatusCode::kNotFound, "entry_id", "no waiting-list entry");
  }
}

TEST_CASE(
    "a session cancelled outside the notice period: rebooking worklist and automatic rebook") {
  BookingEngine engine = EngineWithClinic();
  for (int n = 1; n <= 4; ++n) Receive(engine, n, Priority::kRoutine);
  // 27 Jan and 3 Feb hold two each; patient 5, received later, is booked 7 weeks out.
  Receive(engine, 5, Priority::kRoutine, D("2025-02-03"), D("2025-02-03"));  // -> 24 Feb
  CHECK(AppointmentOf(engine, 5).slot_id == "CARD01-20250224-0900");
  const Date clock5 = engine.state().entries.at(Ubrn(5)).clock_start;
  Decision d = MustApply(engine,
                         RequestTemplateChange{"C-1", "CARD01", TemplateChangeKind::kCancelSession,
                                               D("2025-02-24"), std::nullopt, "", "leave", "ops"},
                         D("2025-01-10"));
  CHECK_FALSE(d.pending_approval);
  REQUIRE(d.rebooking.size() == 1);
  CHECK(d.rebooking[0].entry_id == Ubrn(5));
  CHECK(d.rebooking[0].clock_start == clock5);
  CHECK(d.rebooking[0].priority == Priority::kRoutine);
  REQUIRE(d.rebooking[0].rebooked_appointment_id.has_value());
  CHECK(*d.rebooking[0].rebooked_appointment_id == "CARD01-20250210-0900-1");
  CHECK(LettersOf(d, LetterKind::kCancellation).size() == 1);
  CHECK(LettersOf(d, LetterKind::kCancellation)[0].reason == "CLINIC_CANCELLED");
  CHECK(LettersOf(d, LetterKind::kAppointment).size() == 1);
  CHECK(engine.state().entries.at(Ubrn(5)).clock_start == clock5);
  CHECK(engine.state().entries.at(Ubrn(5)).hospital_cancellations == 1);
  CHECK(engine.state().appointments.at("CARD01-20250224-0900-1").status ==
        AppointmentStatus::kCancelledByHospital);
  CHECK(engine.state().slots.at("CARD01-20250224-0900").cancelled);
  CHECK(engine.state().clinics.at("CARD01").cancelled_sessions.count(D("2025-02-24")));
  // The clock is untouched by a hospital cancellation (RULES §1.3).
  CHECK(engine.state().pathways.at(Ubrn(5)).clock_running());
}

TEST_CASE("a cancellation inside the notice period waits for approval") {
  BookingEngine engine = EngineWithClinic();
  Receive(engine, 1, Priority::kRoutine);  // 27 Jan
  const RequestTemplateChange cancel{
      "C-2",      "CARD01", TemplateChangeKind::kCancelSession, D("2025-01-27"), std::nullopt, "",
      "sickness", "ops"};
  Decision pending = MustApply(engine, cancel, kToday);
  CHECK(pending.pending_approval);
  CHECK(pending.change_id == "C-2");
  REQUIRE(TasksOf(pending, TaskKind::kTemplateChangeApproval).size() == 1);
  CHECK(TasksOf(pending, TaskKind::kTemplateChangeApproval)[0].change_id == "C-2");
  CHECK(engine.state().pending_changes.count("C-2"));
  CHECK(engine.state().entries.at(Ubrn(1)).status == EntryStatus::kBooked);
  ExpectRejected(engine, cancel, kToday, StatusCode::kAlreadyExists, "change_id",
                 "already waiting");

  SUBCASE("rejected: nothing else changes") {
    const BookingState before = engine.state();
    Decision d = MustApply(engine, ApproveTemplateChange{"C-2", false, "manager", ""}, kToday);
    CHECK_FALSE(engine.state().pending_changes.count("C-2"));
    CHECK(d.changed.pending_changes.count("C-2"));
    CHECK(d.letters.empty());
    CHECK(engine.state().slots == before.slots);
  }
  SUBCASE("approved: the booked patient moves to the rebooking worklist and is rebooked") {
    Decision d = MustApply(engine, ApproveTemplateChange{"C-2", true, "manager", ""}, kToday);
    REQUIRE(d.rebooking.size() == 1);
    CHECK(d.rebooking[0].cancelled_appointment_id == "CARD01-20250127-0900-1");
    CHECK(d.rebooking[0].rebooked_appointment_id == "CARD01-20250203-0900-1");
    CHECK(LettersOf(d, LetterKind::kCancellation).size() == 1);
    ExpectRejected(engine, ApproveTemplateChange{"C-2", true, "", ""}, kToday,
                   StatusCode::kNotFound, "change_id", "waiting for approval");
  }
  SUBCASE("approved after the date has passed") {
    ExpectRejected(engine, ApproveTemplateChange{"C-2", true, "", ""}, D("2025-01-28"),
                   StatusCode::kFailedPrecondition, "change_id", "has passed");
  }
}

TEST_CASE("when no slot is left, hospital-cancelled patients stay on the rebooking worklist") {
  BookingEngine engine;
  ClinicTemplate t = MakeTemplate("CARD01", 1, D("2025-01-01"), {SlotType::kNew});
  t.booking_horizon_weeks = 4;  // sessions up to 3 Feb only
  MustApply(engine, UpsertTemplate{t, "", "", ""}, kToday);
  Receive(engine, 1, Priority::kRoutine);
  Receive(engine, 2, Priority::kRoutine);
  CHECK(AppointmentOf(engine, 2).slot_id == "CARD01-20250203-0900");
  Decision d =
      MustApply(engine,
                CancelAppointment{AppointmentOf(engine, 2).appointment_id, CancelledBy::kHospital,
                                  "CLINIC_OVERRUN", "", std::nullopt},
                kToday);
  REQUIRE(d.rebooking.size() == 1);
  CHECK_FALSE(d.rebooking[0].rebooked_appointment_id.has_value());
  CHECK(engine.state().entries.at(Ubrn(2)).status == EntryStatus::kRebooking);
  CHECK(TasksOf(d, TaskKind::kRebook).size() == 1);
  // The hospital could not see the patient then: the place is withdrawn, not reoffered.
  CHECK(engine.state().slots.at("CARD01-20250203-0900").cancelled);
  // New capacity next week rebooks the patient automatically.
  Decision later = MustApply(engine, Sweep{}, D("2025-01-13"));
  CHECK(later.booked.size() == 1);
  CHECK(AppointmentOf(engine, 2).slot_id == "CARD01-20250210-0900");
}

TEST_CASE("template versions: removed slots cancel their bookings; re-sending is a no-op") {
  BookingEngine engine = EngineWithClinic();
  for (int n = 1; n <= 2; ++n) Receive(engine, n, Priority::kRoutine);  // both on 27 Jan
  ClinicTemplate v2 = MakeTemplate("CARD01", 1, D("2025-03-03"), {SlotType::kNew});
  // 3 Mar is 8 weeks away, outside the notice period: the change applies at once.
  Decision d = MustApply(engine, UpsertTemplate{v2, "", "ops", "fewer slots"}, kToday);
  CHECK_FALSE(d.pending_approval);
  CHECK(d.change_id == "CARD01-20250303");
  CHECK(engine.state().slots.at("CARD01-20250303-0900").type == SlotType::kNew);
  CHECK(engine.state().slots.at("CARD01-20250303-0915").cancelled);
  CHECK(engine.state().slots.at("CARD01-20250224-0915").cancelled == false);
  CHECK(engine.state().clinics.at("CARD01").versions.size() == 2);

  Decision again = MustApply(engine, UpsertTemplate{v2, "", "ops", ""}, kToday);
  CHECK(again.changed.empty());

  // A version starting inside the notice period waits for approval.
  ClinicTemplate v3 = MakeTemplate("CARD01", 1, D("2025-01-27"), {SlotType::kUrgent});
  Decision pending = MustApply(engine, UpsertTemplate{v3, "V3", "ops", ""}, kToday);
  CHECK(pending.pending_approval);
  CHECK(engine.state().slots.at("CARD01-20250127-0900").type == SlotType::kNew);
  Decision approved = MustApply(engine, ApproveTemplateChange{"V3", true, "manager", ""}, kToday);
  // 27 Jan: the 09:00 slot becomes URGENT (its booking is kept), 09:15 is removed (cancelled,
  // patient 2 rebooked).
  CHECK(engine.state().slots.at("CARD01-20250127-0900").type == SlotType::kUrgent);
  CHECK(engine.state().slots.at("CARD01-20250127-0900").booked == 1);
  REQUIRE(approved.rebooking.size() == 1);
  CHECK(approved.rebooking[0].entry_id == Ubrn(2));
  ExpectRejected(
      engine,
      UpsertTemplate{MakeTemplate("CARD01", 2, D("2025-01-01"), {SlotType::kNew}), "", "", ""},
      kToday, StatusCode::kInvalidArgument, "template.effective_from", "in the past");
  ClinicTemplate bad = v2;
  bad.slots[0].capacity = 0;
  ExpectRejected(engine, UpsertTemplate{bad, "", "", ""}, kToday, StatusCode::kInvalidArgument,
                 "template.slots[0].capacity", "1..50");
}

TEST_CASE("ending a clinic cancels every later session") {
  BookingEngine engine = EngineWithClinic();
  Receive(engine, 1, Priority::kRoutine, D("2025-02-10"), D("2025-02-10"));  // -> 3 Mar
  Decision d = MustApply(engine,
                         RequestTemplateChange{"END", "CARD01", TemplateChangeKind::kEndClinic,
                                               std::nullopt, D("2025-02-24"), "", "", ""},
                         D("2025-02-10"));
  CHECK(d.pending_approval);  // 3 Mar is inside 6 weeks of 10 Feb
  MustApply(engine, ApproveTemplateChange{"END", true, "", ""}, D("2025-02-10"));
  CHECK(engine.state().slots.at("CARD01-20250303-0900").cancelled);
  CHECK(engine.state().slots.at("CARD01-20250331-0945").cancelled);
  CHECK_FALSE(engine.state().slots.at("CARD01-20250224-0900").cancelled);
  CHECK(engine.state().entries.at(Ubrn(1)).status == EntryStatus::kRebooking);
  // The horizon never regenerates sessions after the clinic's end.
  Decision sweep = MustApply(engine, Sweep{}, D("2025-03-10"));
  for (const auto& s : sweep.slots_changed) CHECK(s.date <= D("2025-02-24"));
}

TEST_CASE("patient cancellations: no clock effect, a confirmation, review after two in a row") {
  BookingEngine engine = EngineWithClinic();
  for (int n = 1; n <= 4; ++n) Receive(engine, n, Priority::kRoutine);
  Decision d = MustApply(engine,
                         CancelAppointment{AppointmentOf(engine, 1).appointment_id,
                                           CancelledBy::kPatient, "work", "", std::nullopt},
                         kToday);
  CHECK(LettersOf(d, LetterKind::kCancellationConfirmation).size() == 1);
  CHECK(engine.state().appointments.at("CARD01-20250127-0900-1").status ==
        AppointmentStatus::kCancelledByPatient);
  // The place is given back; the patient (available from the day after) is rebooked later.
  CHECK(engine.state().slots.at("CARD01-20250127-0900").booked == 0);
  CHECK(AppointmentOf(engine, 1).date > D("2025-01-27"));
  CHECK(LettersOf(d, LetterKind::kAppointment).size() == 1);
  CHECK(engine.state().entries.at(Ubrn(1)).consecutive_patient_cancellations == 1);
  CHECK(engine.state().pathways.at(Ubrn(1)).clock_running());
  CHECK(engine.state().pathways.at(Ubrn(1)).events().size() == 1);

  // A second consecutive cancellation: clinical review, never an automatic discharge.
  Decision second = MustApply(engine,
                              CancelAppointment{AppointmentOf(engine, 1).appointment_id,
                                                CancelledBy::kPatient, "", "", std::nullopt},
                              kToday);
  auto review = TasksOf(second, TaskKind::kClinicalReview);
  REQUIRE(review.size() == 1);
  CHECK(review[0].reason.find("PATIENT_CANCELLATIONS") == 0);
  CHECK(engine.state().entries.at(Ubrn(1)).status == EntryStatus::kClinicalReview);
  CHECK(engine.state().pathways.at(Ubrn(1)).clock_running());
  CHECK(LettersOf(second, LetterKind::kDischarge).empty());
}

TEST_CASE("a freed slot goes to the waiting patients in priority then clock order") {
  BookingEngine engine;
  ClinicTemplate t = MakeTemplate("CARD01", 1, D("2025-01-01"), {SlotType::kNew});
  t.booking_horizon_weeks = 4;  // one NEW slot a week up to 3 Feb
  MustApply(engine, UpsertTemplate{t, "", "", ""}, kToday);
  for (int n : {1, 11}) {  // 13 Jan, 20 Jan
    Referral a = MakeReferral(Ubrn(n), Priority::kRoutine, kToday, n);
    a.short_notice_agreed = true;
    MustApply(engine, ReceiveReferral{a}, kToday);
  }
  for (int n = 2; n <= 3; ++n) Receive(engine, n, Priority::kRoutine);  // 27 Jan, 3 Feb
  // Three more wait: routine old clock, routine new clock, urgent — all agreeing short notice.
  for (auto [n, p, start] : {std::tuple{4, Priority::kRoutine, "2024-10-01"},
                             std::tuple{5, Priority::kRoutine, "2024-12-01"},
                             std::tuple{6, Priority::kUrgent, "2025-01-06"}}) {
    Referral r = MakeReferral(Ubrn(n), p, D(start), n);
    r.short_notice_agreed = true;
    Decision d = MustApply(engine, ReceiveReferral{r}, kToday);
    CHECK(d.booked.empty());
  }
  MustApply(engine,
            CancelAppointment{AppointmentOf(engine, 1).appointment_id, CancelledBy::kPatient, "",
                              "", std::nullopt},
            kToday);
  CHECK(AppointmentOf(engine, 6).slot_id == "CARD01-20250113-0900");  // urgent first
  MustApply(engine,
            CancelAppointment{AppointmentOf(engine, 2).appointment_id, CancelledBy::kPatient, "",
                              "", std::nullopt},
            kToday);
  CHECK(AppointmentOf(engine, 4).slot_id == "CARD01-20250127-0900");  // then the oldest clock
  CHECK(engine.state().entries.at(Ubrn(5)).status == EntryStatus::kWaiting);
}

TEST_CASE("reschedule: one letter, the old place freed, patient rearrangements counted") {
  BookingEngine engine = EngineWithClinic();
  Receive(engine, 1, Priority::kRoutine);
  const std::string old_id = AppointmentOf(engine, 1).appointment_id;
  Decision d = MustApply(engine,
                         RescheduleAppointment{old_id, "CARD01-20250217-0915",
                                               CancelledBy::kPatient, "prefers later", false},
                         kToday);
  CHECK(d.appointment_id == "CARD01-20250217-0915-1");
  auto letters = LettersOf(d, LetterKind::kReschedule);
  REQUIRE(letters.size() == 1);
  REQUIRE(letters[0].previous.has_value());
  CHECK(letters[0].previous->appointment_id == old_id);
  CHECK(letters[0].appointment->date == D("2025-02-17"));
  CHECK(d.letters.size() == 1);
  CHECK(engine.state().appointments.at(old_id).status == AppointmentStatus::kRescheduled);
  CHECK(engine.state().appointments.at(old_id).rescheduled_to == d.appointment_id);
  CHECK(engine.state().slots.at("CARD01-20250127-0900").booked == 0);
  CHECK(engine.state().entries.at(Ubrn(1)).consecutive_patient_cancellations == 1);
  ExpectRejected(engine,
                 RescheduleAppointment{d.appointment_id, "CARD01-20250217-0915",
                                       CancelledBy::kPatient, "", false},
                 kToday, StatusCode::kInvalidArgument, "new_slot_id", "current slot");
  Decision again = MustApply(engine,
                             RescheduleAppointment{d.appointment_id, "CARD01-20250224-0900",
                                                   CancelledBy::kPatient, "", false},
                             kToday);
  CHECK(TasksOf(again, TaskKind::kClinicalReview).size() == 1);
  CHECK(engine.state().entries.at(Ubrn(1)).status == EntryStatus::kBooked);
}

TEST_CASE("declined offers: two reasonable declines or a long delay mean clinical review") {
  BookingEngine engine = EngineWithClinic();
  Receive(engine, 1, Priority::kRoutine);  // 27 Jan, offered with 21 days' notice
  Decision first = MustApply(
      engine, DeclineOffer{AppointmentOf(engine, 1).appointment_id, "not convenient", std::nullopt},
      kToday);
  CHECK(engine.state().entries.at(Ubrn(1)).reasonable_offers_declined == 1);
  // Re-offered automatically, after the declined date.
  CHECK(first.booked.size() == 1);
  CHECK(AppointmentOf(engine, 1).date == D("2025-02-03"));
  Decision second = MustApply(
      engine, DeclineOffer{AppointmentOf(engine, 1).appointment_id, "", std::nullopt}, kToday);
  CHECK(second.booked.empty());
  auto review = TasksOf(second, TaskKind::kClinicalReview);
  REQUIRE(review.size() == 1);
  CHECK(review[0].reason.find("DECLINED_OFFERS") == 0);
  CHECK(review[0].rule == "RULES §1.5, §2.2");
  CHECK(engine.state().entries.at(Ubrn(1)).status == EntryStatus::kClinicalReview);

  // A short-notice offer declined does not count (RULES §2.2).
  Referral r = MakeReferral(Ubrn(2), Priority::kRoutine, kToday, 2);
  r.short_notice_agreed = true;
  MustApply(engine, ReceiveReferral{r}, kToday);
  CHECK(AppointmentOf(engine, 2).notice_days() < 21);
  MustApply(engine, DeclineOffer{AppointmentOf(engine, 2).appointment_id, "", std::nullopt},
            kToday);
  CHECK(engine.state().entries.at(Ubrn(2)).reasonable_offers_declined == 0);

  // A patient who asks to wait more than 6 weeks is reviewed.
  Decision delay = MustApply(
      engine, DeclineOffer{AppointmentOf(engine, 2).appointment_id, "abroad", D("2025-03-01")},
      kToday);
  REQUIRE(TasksOf(delay, TaskKind::kClinicalReview).size() == 1);
  CHECK(TasksOf(delay, TaskKind::kClinicalReview)[0].reason.find("PATIENT_DELAY") == 0);
}

TEST_CASE("first-appointment DNA, clearly communicated: stop and nullify (33), then review") {
  BookingEngine engine = EngineWithClinic();
  Receive(engine, 1, Priority::kRoutine);
  const Appointment a = AppointmentOf(engine, 1);
  Decision d =
      MustApply(engine,
                RecordAttendance{a.appointment_id, AttendanceCode::kDidNotAttend, std::nullopt,
                                 std::nullopt, "PATIENT_FORGOT", "", std::nullopt},
                D("2025-01-27"));
  const Pathway& p = engine.state().pathways.at(Ubrn(1));
  REQUIRE(p.current() != nullptr);
  CHECK(p.current()->nullified);
  CHECK(p.current()->stop == D("2025-01-27"));
  CHECK(p.current()->stop_status == RttStatus::kDnaFirstActivity);
  auto review = TasksOf(d, TaskKind::kClinicalReview);
  REQUIRE(review.size() == 1);
  CHECK(review[0].reason.find("FIRST_DNA") == 0);
  CHECK(engine.state().entries.at(Ubrn(1)).status == EntryStatus::kClinicalReview);
  CHECK(d.booked.empty());
  CHECK(LettersOf(d, LetterKind::kDischarge).empty());

  // The clinician decides to offer another appointment: a new clock from that date.
  Decision rebook = MustApply(
      engine,
      RecordReviewOutcome{Ubrn(1), ReviewOutcome::kRebook, D("2025-01-29"), "Dr R Patel", ""},
      D("2025-01-29"));
  CHECK(p.periods().size() == 2);
  CHECK(p.current()->start == D("2025-01-29"));
  CHECK(p.clock_running());
  CHECK(engine.state().entries.at(Ubrn(1)).clock_start == D("2025-01-29"));
  CHECK(rebook.booked.size() == 1);
}

TEST_CASE("a DNA after the appointment letter came back is not held against the patient") {
  BookingEngine engine = EngineWithClinic();
  Decision booked = Receive(engine, 1, Priority::kRoutine);
  const std::string letter = LettersOf(booked, LetterKind::kAppointment)[0].letter_id;
  MustApply(engine, RecordLetterStatus{letter, LetterStatus::kDispatched, ""}, D("2025-01-07"));
  Decision returned =
      MustApply(engine, RecordLetterStatus{letter, LetterStatus::kReturned, "R07 No such address"},
                D("2025-01-10"));
  auto check = TasksOf(returned, TaskKind::kDemographicsCheck);
  REQUIRE(check.size() == 1);
  CHECK(check[0].reason.find("R07 No such address") != std::string::npos);
  CHECK(check[0].nhs_number == testing::TestNhsNumber(1));
  CHECK(AppointmentOf(engine, 1).letter_returned);
  // The same status again changes nothing.
  Decision repeat =
      MustApply(engine, RecordLetterStatus{letter, LetterStatus::kReturned, "R07 No such address"},
                D("2025-01-10"));
  CHECK(repeat.changed.empty());
  CHECK(repeat.tasks.empty());

  Decision dna = MustApply(
      engine,
      RecordAttendance{AppointmentOf(engine, 1).appointment_id, AttendanceCode::kDidNotAttend,
                       std::nullopt, std::nullopt, "", "", std::nullopt},
      D("2025-01-27"));
  CHECK(engine.state().pathways.at(Ubrn(1)).clock_running());
  CHECK(dna.booked.size() == 1);  // offered another date at once
  CHECK(TasksOf(dna, TaskKind::kClinicalReview).empty());
}

TEST_CASE("attendance: seen with treatment stops the clock; a follow-up entry is created") {
  BookingEngine engine = EngineWithClinic();
  Receive(engine, 1, Priority::kRoutine);
  const std::string appt = AppointmentOf(engine, 1).appointment_id;
  Decision d =
      MustApply(engine,
                RecordAttendance{appt, AttendanceCode::kAttended, RttStatus::kSubsequentActivity,
                                 std::nullopt, "", "clerk", D("2025-03-03")},
                D("2025-01-27"));
  CHECK(engine.state().entries.at(Ubrn(1)).status == EntryStatus::kCompleted);
  CHECK(engine.state().appointments.at(appt).status == AppointmentStatus::kAttended);
  CHECK(engine.state().pathways.at(Ubrn(1)).clock_running());  // 20: ticking
  REQUIRE_FALSE(d.follow_up_entry_id.empty());
  const auto& fu = engine.state().entries.at(d.follow_up_entry_id);
  CHECK(fu.kind == EntryKind::kFollowUp);
  CHECK(fu.due_date == D("2025-03-03"));
  CHECK(fu.status == EntryStatus::kWaiting);
  CHECK(d.booked.empty());  // follow-ups are booked by a clerk (RULES §2.1)
  ExpectRejected(engine,
                 RecordAttendance{appt, AttendanceCode::kAttended, std::nullopt, std::nullopt, "",
                                  "", std::nullopt},
                 D("2025-01-27"), StatusCode::kFailedPrecondition, "appointment_id",
                 "already ATTENDED");

  // The follow-up is booked into a FOLLOW_UP slot and the patient is then treated.
  ClinicTemplate fup = MakeTemplate("CARDFU", 1, D("2025-01-01"), {SlotType::kFollowUp});
  MustApply(engine, UpsertTemplate{fup, "", "", ""}, D("2025-01-27"));
  ExpectRejected(engine, BookAppointment{d.follow_up_entry_id, "CARD01-20250303-0900", false, ""},
                 D("2025-01-27"), StatusCode::kFailedPrecondition, "slot_id", "may not take");
  Decision b =
      MustApply(engine, BookAppointment{d.follow_up_entry_id, "CARDFU-20250303-0900", false, ""},
                D("2025-01-27"));
  MustApply(
      engine,
      RecordAttendance{b.appointment_id, AttendanceCode::kAttended,
                       RttStatus::kFirstDefinitiveTreatment, std::nullopt, "", "", std::nullopt},
      D("2025-03-03"));
  const Pathway& p = engine.state().pathways.at(Ubrn(1));
  CHECK_FALSE(p.clock_running());
  CHECK(p.current()->stop == D("2025-03-03"));
  CHECK(p.current()->stop_status == RttStatus::kFirstDefinitiveTreatment);
}

// A patient seen once, then DNA-ing the booked follow-up.
std::string LaterDna(BookingEngine& engine) {
  Receive(engine, 1, Priority::kRoutine);
  ClinicTemplate fup = MakeTemplate("CARDFU", 1, D("2025-01-01"), {SlotType::kFollowUp});
  MustApply(engine, UpsertTemplate{fup, "", "", ""}, kToday);
  Decision seen =
      MustApply(engine,
                RecordAttendance{AppointmentOf(engine, 1).appointment_id, AttendanceCode::kAttended,
                                 std::nullopt, std::nullopt, "", "", D("2025-02-24")},
                D("2025-01-27"));
  Decision b =
      MustApply(engine, BookAppointment{seen.follow_up_entry_id, "CARDFU-20250224-0900", false, ""},
                D("2025-01-27"));
  Decision dna = MustApply(engine,
                           RecordAttendance{b.appointment_id, AttendanceCode::kDidNotAttend,
                                            std::nullopt, std::nullopt, "", "", std::nullopt},
                           D("2025-02-24"));
  auto review = TasksOf(dna, TaskKind::kClinicalReview);
  REQUIRE(review.size() == 1);
  CHECK(review[0].reason.find("LATER_DNA") == 0);
  CHECK(engine.state().pathways.at(Ubrn(1)).clock_running());  // the clock keeps ticking
  CHECK(LettersOf(dna, LetterKind::kDischarge).empty());       // never an automatic discharge
  return seen.follow_up_entry_id;
}

TEST_CASE("a hospital-cancelled follow-up goes to the rebooking worklist with a task") {
  BookingEngine engine = EngineWithClinic();
  Receive(engine, 1, Priority::kRoutine);
  MustApply(engine,
            UpsertTemplate{MakeTemplate("CARDFU", 1, D("2025-01-01"), {SlotType::kFollowUp}), "",
                           "", ""},
            kToday);
  Decision seen = MustApply(engine,
                            RecordAttendance{AppointmentOf(engine, 1).appointment_id,
                                             AttendanceCode::kAttended, std::nullopt, std::nullopt,
                                             "", "", D("2025-02-24")},
                            D("2025-01-27"));
  Decision b = MustApply(
      engine, BookAppointment{seen.follow_up_entry_id, "CARDFU-20250224-0900", false, ""},
      D("2025-01-27"));
  Decision cancel = MustApply(engine,
                              CancelAppointment{b.appointment_id, CancelledBy::kHospital,
                                                "CLINIC_OVERRUN", "", std::nullopt},
                              D("2025-01-28"));
  REQUIRE(cancel.rebooking.size() == 1);
  CHECK_FALSE(cancel.rebooking[0].rebooked_appointment_id.has_value());
  CHECK(engine.state().entries.at(seen.follow_up_entry_id).status == EntryStatus::kRebooking);
  auto tasks = TasksOf(cancel, TaskKind::kRebook);
  REQUIRE(tasks.size() == 1);
  CHECK(tasks[0].entry_id == seen.follow_up_entry_id);
}

TEST_CASE("later DNA: review; a clinician's discharge stops the clock on the DNA date") {
  BookingEngine engine = EngineWithClinic();
  const std::string fu = LaterDna(engine);
  Decision d = MustApply(engine,
                         RecordReviewOutcome{fu, ReviewOutcome::kDischarge, D("2025-03-05"),
                                             "Dr R Patel", "discharged under the DNA policy"},
                         D("2025-03-05"));
  const Pathway& p = engine.state().pathways.at(Ubrn(1));
  CHECK_FALSE(p.clock_running());
  CHECK(p.current()->stop == D("2025-02-24"));
  CHECK(p.current()->stop_status == RttStatus::kDecisionNotToTreat);
  CHECK(LettersOf(d, LetterKind::kDischarge).size() == 1);
  auto gp = LettersOf(d, LetterKind::kDischargeToReferrer);
  REQUIRE(gp.size() == 1);
  CHECK(gp[0].recipient_address.postcode == "LS6 2AB");
  CHECK(engine.state().entries.at(fu).status == EntryStatus::kRemoved);
}

TEST_CASE("later DNA with later_dna_stop_date = DISCHARGE_DATE stops on the discharge date") {
  BookingRules rules;
  rules.later_dna_stop_date = LaterDnaStopDate::kDischargeDate;
  BookingEngine engine = EngineWithClinic(rules);
  const std::string fu = LaterDna(engine);
  MustApply(engine, RecordReviewOutcome{fu, ReviewOutcome::kDischarge, D("2025-03-05"), "", ""},
            D("2025-03-05"));
  CHECK(engine.state().pathways.at(Ubrn(1)).current()->stop == D("2025-03-05"));
}

TEST_CASE("active monitoring stops the clock (32) with a review in 12 weeks") {
  BookingEngine engine = EngineWithClinic();
  Receive(engine, 1, Priority::kRoutine);
  MustApply(engine, DeclineOffer{AppointmentOf(engine, 1).appointment_id, "", std::nullopt},
            kToday);
  MustApply(engine, DeclineOffer{AppointmentOf(engine, 1).appointment_id, "", std::nullopt},
            kToday);
  Decision d = MustApply(engine,
                         RecordReviewOutcome{Ubrn(1), ReviewOutcome::kActiveMonitoring,
                                             D("2025-01-08"), "Dr R Patel", ""},
                         D("2025-01-08"));
  const Pathway& p = engine.state().pathways.at(Ubrn(1));
  CHECK(p.current()->stop_status == RttStatus::kActiveMonitoringClinician);
  auto review = TasksOf(d, TaskKind::kClinicalReview);
  REQUIRE(review.size() == 1);
  CHECK(review[0].due_date == D("2025-04-02"));
}

TEST_CASE("Sweep extends the horizon and releases held urgent slots to routine patients") {
  BookingEngine engine;
  ClinicTemplate t = MakeTemplate("CARD01", 1, D("2025-01-01"), {SlotType::kUrgent});
  t.release_days = 3;
  t.booking_horizon_weeks = 2;
  MustApply(engine, UpsertTemplate{t, "", "", ""}, kToday);
  Referral r = MakeReferral(Ubrn(1), Priority::kRoutine, kToday, 1);
  r.short_notice_agreed = true;
  Decision d = MustApply(engine, ReceiveReferral{r}, kToday);
  CHECK(d.booked.empty());                                       // the urgent slots are held
  Decision sweep = MustApply(engine, Sweep{}, D("2025-01-10"));  // 13 Jan is 3 days away
  CHECK(sweep.booked.size() == 1);
  CHECK(AppointmentOf(engine, 1).slot_id == "CARD01-20250113-0900");
  CHECK(engine.state().clinics.at("CARD01").generated_until == D("2025-01-24"));
  CHECK(engine.state().last_sweep == D("2025-01-10"));
  // The horizon moved: the session of 20 Jan now exists.
  CHECK(engine.state().slots.count("CARD01-20250120-0900"));
}

TEST_CASE("a paper referral gets a scanning coversheet (RULES §7)") {
  BookingEngine engine;
  Referral r = MakeReferral("", Priority::kRoutine, kToday, 1);
  r.local_id = "PAPER-0001";
  r.source = ReferralSource::kPaper;
  Decision d = MustApply(engine, ReceiveReferral{r}, kToday);
  REQUIRE(d.coversheets.size() == 1);
  CHECK(d.coversheets[0].referral_id == "PAPER-0001");
  CHECK(d.coversheets[0].document_type == "REFERRAL");
  CHECK(d.coversheets[0].document_date == kToday);
  CHECK_FALSE(engine.state().entries.at("PAPER-0001").contact_by.has_value());
  CHECK(MustApply(engine, ReceiveReferral{MakeReferral(Ubrn(2), Priority::kRoutine, kToday, 2)},
                  kToday)
            .coversheets.empty());
}

TEST_CASE("a reloaded state decides exactly as the original (the shell persists records only)") {
  BookingEngine engine = EngineWithClinic();
  for (int n = 1; n <= 6; ++n) Receive(engine, n, n % 3 ? Priority::kRoutine : Priority::kUrgent);
  BookingState records = engine.state();
  records.free_slots.Clear();
  records.queue.Clear();
  records.contact_due.clear();
  BookingEngine reloaded;
  REQUIRE(reloaded.Load(records).ok());
  CHECK(reloaded.state().free_slots.size() == engine.state().free_slots.size());
  CHECK(reloaded.state().queue.size() == engine.state().queue.size());
  Decision a = Receive(engine, 7, Priority::kRoutine);
  Decision b = Receive(reloaded, 7, Priority::kRoutine);
  CHECK(a.appointment_id == b.appointment_id);
  CHECK(a.letters == b.letters);
  CHECK(engine.state().SameRecords(reloaded.state()));

  BookingState broken = engine.state();
  broken.pathways.clear();
  CHECK(reloaded.Load(broken).code() == StatusCode::kCorruption);
}

}  // namespace
}  // namespace hub::booking
