// The wire edge of the booking core: message bodies to commands (errors named "body.<field>"),
// decisions to booking.result and outbound messages, and read requests to replies.
#include "hub/booking/messages.hpp"

#include <doctest/doctest.h>

#include "booking_fixtures.hpp"

namespace hub::booking {
namespace {

using testing::D;

const Date kToday = D("2025-01-06");

schemas::TemplateUpsert TemplateMessage() {
  schemas::TemplateUpsert u;
  u.tmpl.clinic_code = "CARD01";
  u.tmpl.clinic_name = "General Cardiology";
  u.tmpl.consultant = "Dr R Patel";
  u.tmpl.specialty = "CARDIOLOGY";
  u.tmpl.clinic_type = "GENERAL";
  u.tmpl.site = "St James's Hospital";
  u.tmpl.room = "OPD 3";
  u.tmpl.weekday = 1;
  u.tmpl.start = "09:00";
  u.tmpl.end = "10:00";
  u.tmpl.effective_from = "2025-01-01";
  u.tmpl.slots = {{"09:00", 15, "NEW", std::nullopt, std::nullopt}, {"09:15", 15, "URGENT", 2, 2}};
  u.tmpl.booking_horizon_weeks = 8;
  return u;
}

schemas::ReferralReceived ReferralMessage(const std::string& ubrn) {
  schemas::ReferralReceived r;
  r.ubrn = ubrn;
  r.patient.nhs_number = "943 476 5919";
  r.patient.title = "Mrs";
  r.patient.given_name = "Jane";
  r.patient.family_name = "Smith";
  r.patient.birth_date = "1980-05-01";
  r.patient.address = {{"1 Infirmary Street", "Leeds"}, "ls1 3ex"};
  r.priority = "ROUTINE";
  r.specialty = "CARDIOLOGY";
  r.clinic_type = "GENERAL";
  r.referrer.name = "Dr A Jones";
  r.referrer.address = {{"Park Surgery"}, "LS6 2AB"};
  r.source = "ERS";
  r.received_date = "2025-01-06";
  return r;
}

std::string ErrorField(BookingEngine& engine, std::string_view type, const std::string& body) {
  const BookingState before = engine.state();
  auto r = ApplyMessage(engine, type, body, kToday);
  REQUIRE_FALSE(r.ok());
  CHECK(engine.state().SameRecords(before));
  return r.status().field();
}

TEST_CASE("a referral message is applied, answered and its effects encoded") {
  BookingEngine engine;
  auto t = ApplyMessage(engine, "template.upsert", schemas::EncodeTemplateUpsert(TemplateMessage()),
                        kToday);
  REQUIRE_MESSAGE(t.ok(), t.status().ToString());
  const ClinicTemplate& tmpl = engine.state().clinics.at("CARD01").latest();
  CHECK(tmpl.slots[1].capacity == 2);
  CHECK(tmpl.slots[1].release_days == 2);
  CHECK(tmpl.end_minutes == 600);

  auto d = ApplyMessage(engine, "referral.received",
                        schemas::EncodeReferralReceived(ReferralMessage("000000070000")), kToday);
  REQUIRE_MESSAGE(d.ok(), d.status().ToString());
  OutboundMessage reply = ReplyFor(*d);
  CHECK(reply.type == "booking.result");
  auto result = schemas::DecodeBookingResult(reply.body);
  REQUIRE(result.ok());
  CHECK(result->referral_id == "000000070000");
  CHECK(result->appointment_id == "CARD01-20250127-0900-1");
  CHECK(result->booked == std::vector<std::string>{"CARD01-20250127-0900-1"});
  CHECK(result->letters == 1);

  auto effects = EffectMessages(*d);
  REQUIRE(effects.size() == 2);
  CHECK(effects[0].type == "letter.requested");
  auto letter = schemas::DecodeLetterRequested(effects[0].body);
  REQUIRE(letter.ok());
  CHECK(letter->kind == "APPOINTMENT");
  CHECK(letter->recipient_name == "Mrs Jane Smith");
  CHECK(letter->recipient_address.postcode == "LS1 3EX");
  CHECK(letter->nhs_number == "9434765919");
  REQUIRE(letter->appointment.has_value());
  CHECK(letter->appointment->date == "2025-01-27");
  CHECK(letter->appointment->time == "09:00");
  CHECK(letter->appointment->site == "St James's Hospital");
  CHECK(effects[1].type == "slots.changed");
  auto slots = schemas::DecodeSlotsChanged(effects[1].body);
  REQUIRE(slots.ok());
  REQUIRE(slots->slots.size() == 1);
  CHECK(slots->slots[0].booked == 1);
  CHECK(IsBookingCommand("referral.received"));
  CHECK(IsBookingQuery("slots.free"));
  CHECK_FALSE(IsBookingCommand("slots.free"));
}

TEST_CASE("bad messages are refused with the wire field path and change nothing") {
  BookingEngine engine;
  REQUIRE(ApplyMessage(engine, "template.upsert", schemas::EncodeTemplateUpsert(TemplateMessage()),
                       kToday)
              .ok());
  REQUIRE(ApplyMessage(engine, "referral.received",
                       schemas::EncodeReferralReceived(ReferralMessage("000000070000")), kToday)
              .ok());

  auto bad_nhs = ReferralMessage("000000070001");
  bad_nhs.patient.nhs_number = "9876544321";
  CHECK(ErrorField(engine, "referral.received", schemas::EncodeReferralReceived(bad_nhs)) ==
        "body.patient.nhs_number");
  auto bad_priority = ReferralMessage("000000070001");
  bad_priority.priority = "SOON";
  CHECK(ErrorField(engine, "referral.received", schemas::EncodeReferralReceived(bad_priority)) ==
        "body.priority");
  auto bad_date = ReferralMessage("000000070001");
  bad_date.received_date = "06/01/2025";
  CHECK(ErrorField(engine, "referral.received", schemas::EncodeReferralReceived(bad_date)) ==
        "body.received_date");
  auto future = ReferralMessage("000000070001");
  future.received_date = "2025-02-01";
  CHECK(ErrorField(engine, "referral.received", schemas::EncodeReferralReceived(future)) ==
        "body.received_date");
  auto bad_birth = ReferralMessage("000000070001");
  bad_birth.patient.birth_date = "1980-02-30";
  CHECK(ErrorField(engine, "referral.received", schemas::EncodeReferralReceived(bad_birth)) ==
        "body.patient.birth_date");

  auto bad_slot = TemplateMessage();
  bad_slot.tmpl.clinic_code = "CARD02";
  bad_slot.tmpl.slots[0].start = "9am";
  CHECK(ErrorField(engine, "template.upsert", schemas::EncodeTemplateUpsert(bad_slot)) ==
        "body.template.slots[0].start");
  auto bad_weekday = TemplateMessage();
  bad_weekday.tmpl.weekday = 9;
  CHECK(ErrorField(engine, "template.upsert", schemas::EncodeTemplateUpsert(bad_weekday)) ==
        "body.template.weekday");

  CHECK(ErrorField(engine, "appointment.reschedule",
                   schemas::EncodeAppointmentReschedule(
                       {"CARD01-20250127-0900-1", "NOPE-20250203-0900", "PATIENT", "", true})) ==
        "body.new_slot_id");
  CHECK(ErrorField(engine, "appointment.book",
                   schemas::EncodeAppointmentBook(
                       {"000000070000", "CARD01-20250203-0900", true, ""})) == "body.entry_id");
  CHECK(ErrorField(engine, "attendance.recorded",
                   schemas::EncodeAttendanceRecorded({"CARD01-20250127-0900-1", "ATTENDED", 37, "",
                                                      "", "", ""})) == "body.rtt_status");
  CHECK(ErrorField(engine, "template.change.request",
                   schemas::EncodeTemplateChangeRequest(
                       {"C1", "NOPE", "CANCEL_SESSION", "2025-03-03", "", "", "", ""})) ==
        "body.clinic_code");
  CHECK(ErrorField(engine, "no.such.type", "\x80") == "type");
  CHECK(ErrorField(engine, "referral.received", "\xc1") == "");
}

TEST_CASE("every command type decodes from its wire body") {
  const std::pair<std::string_view, std::string> bodies[] = {
      {"referral.triaged",
       schemas::EncodeReferralTriaged({"R1", "ACCEPT", "URGENT", "", "", "2025-01-06", "", ""})},
      {"template.change.request",
       schemas::EncodeTemplateChangeRequest(
           {"C1", "CARD01", "END_CLINIC", "", "2025-06-30", "", "", ""})},
      {"template.change.approve", schemas::EncodeTemplateChangeApprove({"C1", false, "", ""})},
      {"appointment.cancel",
       schemas::EncodeAppointmentCancel({"A1", "PATIENT", "", "", "2025-02-01"})},
      {"appointment.reschedule",
       schemas::EncodeAppointmentReschedule({"A1", "S2", "HOSPITAL", "CLINIC_OVERRUN", true})},
      {"offer.declined", schemas::EncodeOfferDeclined({"A1", "", ""})},
      {"review.outcome",
       schemas::EncodeReviewOutcome({"E1", "ACTIVE_MONITORING", "2025-01-06", "", ""})},
      {"letter.status", schemas::EncodeLetterStatus({"L1", "RETURNED", "R07", std::nullopt})},
  };
  for (const auto& [type, body] : bodies) {
    CAPTURE(type);
    auto c = DecodeCommand(type, body);
    REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  }
  auto triage = DecodeCommand(bodies[0].first, bodies[0].second);
  CHECK(std::get<TriageReferral>(*triage).priority == Priority::kUrgent);
  auto end = DecodeCommand(bodies[1].first, bodies[1].second);
  CHECK(std::get<RequestTemplateChange>(*end).effective_to == D("2025-06-30"));
  auto status = DecodeCommand(bodies[7].first, bodies[7].second);
  CHECK(std::get<RecordLetterStatus>(*status).status == LetterStatus::kReturned);
  CHECK(DecodeCommand("appointment.cancel",
                      schemas::EncodeAppointmentCancel({"A1", "PATIENT", "", "", "soon"}))
            .status()
            .field() == "body.available_from");
}

TEST_CASE("read requests are answered from the state") {
  BookingEngine engine;
  REQUIRE(ApplyMessage(engine, "template.upsert", schemas::EncodeTemplateUpsert(TemplateMessage()),
                       kToday)
              .ok());
  REQUIRE(ApplyMessage(engine, "referral.received",
                       schemas::EncodeReferralReceived(ReferralMessage("000000070000")), kToday)
              .ok());
  const auto& state = engine.state();
  const auto& rules = engine.rules();

  auto patient =
      AnswerQuery(state, rules, "patient.get", schemas::EncodePatientGet({"9434765919"}), kToday);
  REQUIRE(patient.ok());
  CHECK(patient->type == "patient.result");
  auto p = schemas::DecodePatientResult(patient->body);
  REQUIRE(p.ok());
  CHECK(p->patient.family_name == "Smith");
  CHECK(p->appointments.size() == 1);
  CHECK(p->entries[0].status == "BOOKED");

  auto pathway = AnswerQuery(state, rules, "pathway.get",
                             schemas::EncodePathwayGet({"000000070000", "2025-05-13"}), kToday);
  REQUIRE(pathway.ok());
  auto pw = schemas::DecodePathwayResult(pathway->body);
  REQUIRE(pw.ok());
  REQUIRE(pw->wait.has_value());
  CHECK(pw->wait->days == 127);
  CHECK(pw->wait->thresholds_breached == std::vector<std::int64_t>{18});
  CHECK(pw->breach_date == "2025-05-13");
  CHECK(pw->events[0].kind == "START");
  CHECK(pw->events[0].status == 10);

  auto list =
      AnswerQuery(state, rules, "waitinglist.get",
                  schemas::EncodeWaitingListGet({"CARDIOLOGY", "", "", true, 10, ""}), kToday);
  REQUIRE(list.ok());
  auto rows = schemas::DecodeWaitingListResult(list->body);
  REQUIRE(rows.ok());
  REQUIRE(rows->rows.size() == 1);
  CHECK(rows->rows[0].appointment_date == "2025-01-27");

  auto free = AnswerQuery(state, rules, "slots.free",
                          schemas::EncodeSlotsFree({"CARDIOLOGY", "", "", "URGENT", "2025-01-06",
                                                    "2025-01-31", std::nullopt, "", false}),
                          kToday);
  REQUIRE(free.ok());
  auto slots = schemas::DecodeSlotsResult(free->body);
  REQUIRE(slots.ok());
  CHECK(slots->slots.size() == 4);
  CHECK(slots->slots[0].capacity == 2);

  CHECK(AnswerQuery(state, rules, "patient.get", schemas::EncodePatientGet({"123"}), kToday)
            .status()
            .field() == "body.nhs_number");
  CHECK(AnswerQuery(state, rules, "slots.free",
                    schemas::EncodeSlotsFree(
                        {"CARDIOLOGY", "", "", "", "2025-02-01", "2025-01-01", std::nullopt, "", false}),
                    kToday)
            .status()
            .field() == "body.to_date");
  CHECK(AnswerQuery(state, rules, "pathway.get", schemas::EncodePathwayGet({"nope", ""}), kToday)
            .status()
            .code() == StatusCode::kNotFound);
  CHECK(AnswerQuery(state, rules, "referral.received", "\x80", kToday).status().field() == "type");
}

}  // namespace
}  // namespace hub::booking
