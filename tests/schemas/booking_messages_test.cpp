// Round trips and strict decoding of every booking message body except referral.* (see
// referral_test.cpp): templates, appointments and outcomes, letters, events and the read API.
#include <doctest/doctest.h>

#include "hub/wire/msgpack_map.hpp"
#include "schemas/appointment.hpp"
#include "schemas/booking_events.hpp"
#include "schemas/booking_queries.hpp"
#include "schemas/cab.hpp"
#include "schemas/catalogue.hpp"
#include "schemas/clinic_template.hpp"
#include "schemas/ers.hpp"
#include "schemas/letter.hpp"
#include "schemas/referral.hpp"

namespace hub::schemas {
namespace {

template <typename T>
void CheckRoundTrip(const T& value, std::string (*encode)(const T&),
                    Result<T> (*decode)(std::string_view)) {
  auto decoded = decode(encode(value));
  REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
  CHECK(*decoded == value);
}

template <typename T>
std::string FieldOf(Result<T> (*decode)(std::string_view), const wire::MapWriter& w) {
  auto r = decode(w.Finish());
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  return r.status().field();
}

AddressBody Address() { return AddressBody{{"1 High Street", "Leeds"}, "LS1 3EX"}; }

SlotBody Slot() {
  return SlotBody{"CARD01-20250127-0900",
                  "CARD01",
                  "CARDIOLOGY",
                  "GENERAL",
                  "2025-01-27",
                  "09:00",
                  1737968400000,
                  15,
                  "NEW",
                  1,
                  1,
                  false};
}

EntryBody Entry() {
  EntryBody e;
  e.entry_id = e.referral_id = e.pathway_id = "000000070000";
  e.nhs_number = "9434765919";
  e.kind = "NEW";
  e.priority = "ROUTINE";
  e.specialty = "CARDIOLOGY";
  e.clinic_type = "GENERAL";
  e.clock_start = "2025-01-06";
  e.status = "BOOKED";
  e.appointment_id = "CARD01-20250127-0900-1";
  e.contact_by = "2025-02-15";
  return e;
}

AppointmentBody Appointment() {
  return AppointmentBody{"CARD01-20250127-0900-1",
                         "000000070000",
                         "000000070000",
                         "CARD01-20250127-0900",
                         "CARD01",
                         "2025-01-27",
                         "09:00",
                         1737968400000,
                         15,
                         "BOOKED",
                         "2025-01-06",
                         ""};
}

TEST_CASE("template messages round trip; slots and kinds are checked") {
  TemplateUpsert u;
  u.tmpl.clinic_code = "CARD01";
  u.tmpl.clinic_name = "General Cardiology";
  u.tmpl.consultant = "Dr R Patel";
  u.tmpl.specialty = "CARDIOLOGY";
  u.tmpl.clinic_type = "GENERAL";
  u.tmpl.site = "St James's";
  u.tmpl.weekday = 1;
  u.tmpl.start = "09:00";
  u.tmpl.end = "12:00";
  u.tmpl.effective_from = "2025-01-01";
  u.tmpl.slots = {SlotDefBody{"09:00", 15, "NEW", 2, std::nullopt},
                  SlotDefBody{"09:15", 30, "TWO_WEEK_WAIT", std::nullopt, 3}};
  u.tmpl.booking_horizon_weeks = 26;
  u.change_id = "C1";
  CheckRoundTrip(u, EncodeTemplateUpsert, DecodeTemplateUpsert);

  TemplateUpsert bad = u;
  bad.tmpl.slots[1].type = "SPECIAL";
  auto r = DecodeTemplateUpsert(EncodeTemplateUpsert(bad));
  CHECK(r.status().field() == "body.template.slots[1].type");
  bad = u;
  bad.tmpl.slots[0].capacity = -1;
  CHECK(DecodeTemplateUpsert(EncodeTemplateUpsert(bad)).status().field() ==
        "body.template.slots[0].capacity");
  CHECK(FieldOf(DecodeTemplateUpsert, wire::MapWriter().Str("change_id", "x")) == "body.template");

  TemplateChangeRequest c{"C2", "CARD01",           "CANCEL_SESSION", "2025-03-03",
                          "",   "CLINIC_CANCELLED", "leave",          "ops"};
  CheckRoundTrip(c, EncodeTemplateChangeRequest, DecodeTemplateChangeRequest);
  c.session_date.clear();
  CHECK(DecodeTemplateChangeRequest(EncodeTemplateChangeRequest(c)).status().field() ==
        "body.session_date");
  c.kind = "END_CLINIC";
  CHECK(DecodeTemplateChangeRequest(EncodeTemplateChangeRequest(c)).status().field() ==
        "body.effective_to");
  c.kind = "MOVE";
  CHECK(DecodeTemplateChangeRequest(EncodeTemplateChangeRequest(c)).status().field() ==
        "body.kind");

  TemplateChangeApprove a{"C2", true, "manager", ""};
  CheckRoundTrip(a, EncodeTemplateChangeApprove, DecodeTemplateChangeApprove);
  CHECK(FieldOf(DecodeTemplateChangeApprove, wire::MapWriter().Str("change_id", "C2")) ==
        "body.approve");
}

TEST_CASE("appointment and outcome messages round trip") {
  CheckRoundTrip(AppointmentBook{"E1", "CARD01-20250127-0900", true, "clerk"},
                 EncodeAppointmentBook, DecodeAppointmentBook);
  CheckRoundTrip(AppointmentCancel{"A1", "HOSPITAL", "PROVIDER_CANCELLATION", "theatre", ""},
                 EncodeAppointmentCancel, DecodeAppointmentCancel);
  CheckRoundTrip(AppointmentCancel{"A1", "PATIENT", "", "", "2025-03-01"}, EncodeAppointmentCancel,
                 DecodeAppointmentCancel);
  CheckRoundTrip(AppointmentReschedule{"A1", "CARD01-20250203-0900", "PATIENT", "work", false},
                 EncodeAppointmentReschedule, DecodeAppointmentReschedule);
  CheckRoundTrip(OfferDeclined{"A1", "holiday", "2025-02-20"}, EncodeOfferDeclined,
                 DecodeOfferDeclined);
  CheckRoundTrip(AttendanceRecorded{"A1", "ATTENDED", 30, "2025-01-27", "", "clerk", "2025-03-03"},
                 EncodeAttendanceRecorded, DecodeAttendanceRecorded);
  CheckRoundTrip(ReviewOutcomeBody{"E1", "DISCHARGE", "2025-02-01", "Dr R Patel", "note"},
                 EncodeReviewOutcome, DecodeReviewOutcome);
  BookingResult res;
  res.referral_id = "000000070000";
  res.appointment_id = "A1";
  res.booked = {"A1", "A2"};
  res.letters = 2;
  res.escalations = 1;
  CheckRoundTrip(res, EncodeBookingResult, DecodeBookingResult);

  CHECK(FieldOf(DecodeAppointmentCancel,
                wire::MapWriter().Str("appointment_id", "A1").Str("by", "HOSPITAL")) ==
        "body.reason");
  CHECK(FieldOf(DecodeAppointmentCancel,
                wire::MapWriter().Str("appointment_id", "A1").Str("by", "GP")) == "body.by");
  CHECK(FieldOf(DecodeAttendanceRecorded,
                wire::MapWriter().Str("appointment_id", "A1").Str("attendance", "DNA")) ==
        "body.attendance");
  CHECK(FieldOf(DecodeAttendanceRecorded, wire::MapWriter()
                                              .Str("appointment_id", "A1")
                                              .Str("attendance", "ATTENDED")
                                              .Int("rtt_status", 0)) == "body.rtt_status");
  CHECK(FieldOf(DecodeAttendanceRecorded, wire::MapWriter()
                                              .Str("appointment_id", "A1")
                                              .Str("attendance", "ATTENDED")
                                              .Str("rtt_status", "30")) == "body.rtt_status");
  CHECK(FieldOf(DecodeReviewOutcome, wire::MapWriter().Str("entry_id", "E1")) == "body.outcome");
}

TEST_CASE("letters round trip with and without appointments") {
  LetterRequested l;
  l.letter_id = "LTR-0000000001";
  l.kind = "RESCHEDULE";
  l.recipient = "PATIENT";
  l.recipient_name = "Mrs Jane Smith";
  l.recipient_address = Address();
  l.letter_date = "2025-01-06";
  l.nhs_number = "9434765919";
  l.patient_name = "Mrs Jane Smith";
  l.patient_birth_date = "1980-05-01";
  l.patient_address = Address();
  l.referral_id = l.ubrn = l.pathway_id = "000000070000";
  l.specialty = "CARDIOLOGY";
  l.referrer_name = "Dr A Jones";
  l.appointment = LetterAppointmentBody{"A2",          "CARD01", "General Cardiology", "Dr R Patel",
                                        "St James's",  "OPD 3",  "2025-02-03",         "09:00",
                                        1738573200000, 15};
  l.previous = l.appointment;
  l.previous->appointment_id = "A1";
  CheckRoundTrip(l, EncodeLetterRequested, DecodeLetterRequested);
  l.appointment.reset();
  l.previous.reset();
  l.kind = "ACKNOWLEDGEMENT";
  CheckRoundTrip(l, EncodeLetterRequested, DecodeLetterRequested);
  l.recipient = "GP";
  CHECK(DecodeLetterRequested(EncodeLetterRequested(l)).status().field() == "body.recipient");

  CheckRoundTrip(LetterStatusBody{"LTR-1", "RETURNED", "R07 No such address", 1736170000000},
                 EncodeLetterStatus, DecodeLetterStatus);
  CHECK(FieldOf(DecodeLetterStatus,
                wire::MapWriter().Str("letter_id", "L").Str("status", "LOST")) == "body.status");
}

TEST_CASE("emitted events round trip") {
  CheckRoundTrip(TaskCreated{"TSK-1", "CLINICAL_REVIEW", "2025-01-06", "9434765919", "E1", "E1", "",
                             "", "", "CARDIOLOGY", "DECLINED_OFFERS: ...", "RULES §1.5"},
                 EncodeTaskCreated, DecodeTaskCreated);
  CheckRoundTrip(EscalationRaised{"ESC-1", "NO_SLOT", "CARDIOLOGY", "GENERAL", "URGENT", 3,
                                  "2025-01-06", "2025-02-03", "add capacity"},
                 EncodeEscalationRaised, DecodeEscalationRaised);
  CheckRoundTrip(SlotsChanged{{Slot(), Slot()}}, EncodeSlotsChanged, DecodeSlotsChanged);
  CheckRoundTrip(ScanCoversheetRequested{"CVS-1", "9434765919", "M1", "Jane Smith", "1980-05-01",
                                         "PAPER-1", "", "REFERRAL", "2025-01-06", "CARDIOLOGY"},
                 EncodeScanCoversheetRequested, DecodeScanCoversheetRequested);
  SlotBody bad = Slot();
  bad.type = "ANY";
  CHECK(DecodeSlotsChanged(EncodeSlotsChanged(SlotsChanged{{Slot(), bad}})).status().field() ==
        "body.slots[1].type");
  CHECK(FieldOf(DecodeSlotsChanged, wire::MapWriter().Str("slots", "none")) == "body.slots");
}

TEST_CASE("read requests and replies round trip") {
  CheckRoundTrip(PatientGet{"943 476 5919"}, EncodePatientGet, DecodePatientGet);
  PatientResult pr;
  pr.patient.nhs_number = "9434765919";
  pr.patient.given_name = "Jane";
  pr.patient.family_name = "Smith";
  pr.patient.birth_date = "1980-05-01";
  pr.patient.address = Address();
  pr.pathway_ids = {"000000070000"};
  pr.entries = {Entry()};
  pr.appointments = {Appointment()};
  CheckRoundTrip(pr, EncodePatientResult, DecodePatientResult);

  CheckRoundTrip(PathwayGet{"000000070000", "2025-05-12"}, EncodePathwayGet, DecodePathwayGet);
  PathwayResult pw;
  pw.pathway_id = "000000070000";
  pw.nhs_number = "9434765919";
  pw.specialty = "CARDIOLOGY";
  pw.referral_ids = {"000000070000"};
  pw.events = {ClockEventBody{"START", "2025-01-06", 10, "ERS referral received 2025-01-06"},
               ClockEventBody{"NULLIFY", "2025-01-27", 33, ""}};
  pw.wait = WaitBody{127, ">18 to 19", false, {18}};
  pw.breach_date = "2025-05-13";
  pw.entries = {Entry()};
  CheckRoundTrip(pw, EncodePathwayResult, DecodePathwayResult);
  pw.events[1].kind = "PAUSE";
  CHECK(DecodePathwayResult(EncodePathwayResult(pw)).status().field() == "body.events[1].kind");

  CheckRoundTrip(WaitingListGet{"CARDIOLOGY", "GENERAL", "URGENT", true, 50, "2025-01-06"},
                 EncodeWaitingListGet, DecodeWaitingListGet);
  WaitingListResult wl;
  wl.rows = {WaitingListRowBody{Entry(), "Mrs Jane Smith", WaitBody{7, ">0 to 1", false, {}},
                                "2025-05-13", "2025-01-27"}};
  CheckRoundTrip(wl, EncodeWaitingListResult, DecodeWaitingListResult);
  CHECK(FieldOf(DecodeWaitingListGet, wire::MapWriter().Str("specialty", "X").Int("limit", -5)) ==
        "body.limit");

  CheckRoundTrip(SlotsFree{"CARDIOLOGY", "", "", "URGENT", "2025-01-06", "2025-03-31", 20, "", false},
                 EncodeSlotsFree, DecodeSlotsFree);
  CheckRoundTrip(SlotsFree{"", "", "", "", "2025-01-06", "2025-03-31", std::nullopt, "ENTRY1", true},
                 EncodeSlotsFree, DecodeSlotsFree);
  CHECK(FieldOf(DecodeSlotsFree, wire::MapWriter().Str("from_date", "2025-01-06")) ==
        "body.specialty");
  CheckRoundTrip(SlotsResult{{Slot()}}, EncodeSlotsResult, DecodeSlotsResult);
}

TEST_CASE("clinics.list, the e-RS commands and the cab messages round trip; decoding is strict") {
  CheckRoundTrip(ClinicsList{}, EncodeClinicsList, DecodeClinicsList);
  ClinicsResult clinics;
  clinics.clinics = {ClinicSummaryBody{"CARD01", "General Cardiology", "Dr Patel", "CARDIOLOGY",
                                       "GENERAL", "Northgate", {"NEW", "URGENT"}, true,
                                       "2025-01-01", ""},
                     ClinicSummaryBody{"CARD02", "", "Dr Okafor", "CARDIOLOGY", "GENERAL",
                                       "Northgate", {"NEW"}, false, "2024-01-01", "2024-12-31"}};
  CheckRoundTrip(clinics, EncodeClinicsResult, DecodeClinicsResult);
  clinics.clinics[0].slot_types = {"NEW", "EVENING"};
  CHECK(DecodeClinicsResult(EncodeClinicsResult(clinics)).status().field() ==
        "body.clinics[0].slot_types[1]");

  ErsBookBody book;
  book.idempotency_key = "01J0000000000000000000000";
  book.ubrn = "000000070000";
  book.nhs_number = "9434765919";
  book.service_id = "40101";
  book.specialty = "CARDIOLOGY";
  book.clinic_type = "GENERAL";
  book.priority = "ROUTINE";
  book.priority_inferred = true;
  book.slot_id = "CARD01-20250127-0900";
  book.deadline_ms = 1737968400000;
  CheckRoundTrip(book, EncodeErsBook, DecodeErsBook);
  book.patient = PatientBody{"9434765919", "", "Mrs", "Jane", "Smith", "1980-05-01", Address(),
                             "", "", ""};
  book.referrer = ReferrerBody{"Dr A Jones", "B86001", "Park Surgery", Address()};
  CheckRoundTrip(book, EncodeErsBook, DecodeErsBook);
  CHECK(FieldOf(DecodeErsBook, wire::MapWriter().Str("idempotency_key", "k")) == "body.ubrn");

  CheckRoundTrip(ErsCancelBody{"k1", "deadline passed"}, EncodeErsCancel, DecodeErsCancel);
  ErsDeferBody defer;
  defer.idempotency_key = "k2";
  defer.ubrn = "000000070001";
  defer.nhs_number = "9434765919";
  defer.specialty = "CARDIOLOGY";
  defer.clinic_type = "GENERAL";
  defer.priority = "URGENT";
  defer.reason = "NO_SLOTS_AT_SERVICE";
  defer.contact_by = "2025-01-16";
  CheckRoundTrip(defer, EncodeErsDefer, DecodeErsDefer);

  ErsResult result;
  result.referral_id = "000000070000";
  result.entry_id = "000000070000";
  result.appointment_id = "CARD01-20250127-0900-1";
  result.slot_id = "CARD01-20250127-0900";
  result.clinic_code = "CARD01";
  result.date = "2025-01-27";
  result.time = "09:00";
  result.start_ms = 1737968400000;
  result.length_minutes = 15;
  CheckRoundTrip(result, EncodeErsResult, DecodeErsResult);
  CheckRoundTrip(ErsResult{}, EncodeErsResult, DecodeErsResult);

  CheckRoundTrip(CabAck{12, true}, EncodeCabAck, DecodeCabAck);
  CheckRoundTrip(CabDrift{true}, EncodeCabDrift, DecodeCabDrift);
  CheckRoundTrip(CabDriftResult{1737968400000, "", "", 3, 2, 1, 40, "CaB/e-RS drift ..."},
                 EncodeCabDriftResult, DecodeCabDriftResult);

  SlotBody released = Slot();
  released.released_date = "2025-01-20";
  CheckRoundTrip(SlotsResult{{released}}, EncodeSlotsResult, DecodeSlotsResult);
}

TEST_CASE("every booking type is in the catalogue with its service") {
  struct Row {
    std::string_view type;
    std::string_view service;
  };
  const Row rows[] = {
      {kReferralReceivedType, "booking"},
      {"referral.triaged", "booking"},
      {kTemplateUpsertType, "booking"},
      {kTemplateChangeRequestType, "booking"},
      {kTemplateChangeApproveType, "booking"},
      {kAppointmentBookType, "booking"},
      {kAppointmentCancelType, "booking"},
      {kAppointmentRescheduleType, "booking"},
      {kOfferDeclinedType, "booking"},
      {kAttendanceRecordedType, "booking"},
      {kReviewOutcomeType, "booking"},
      {kLetterStatusType, "booking"},
      {kBookingResultType, ""},
      {kLetterRequestedType, "print"},
      {kTaskCreatedType, ""},
      {kEscalationRaisedType, ""},
      {kSlotsChangedType, "cab"},
      {kScanCoversheetRequestedType, "scan"},
      {kPatientGetType, "booking"},
      {kPatientResultType, ""},
      {kPathwayGetType, "booking"},
      {kPathwayResultType, ""},
      {kWaitingListGetType, "booking"},
      {kWaitingListResultType, ""},
      {kSlotsFreeType, "booking"},
      {kSlotsResultType, ""},
  };
  for (const auto& row : rows) {
    CAPTURE(row.type);
    const TypeInfo* t = FindType(row.type);
    REQUIRE(t != nullptr);
    CHECK(t->service == row.service);
    CHECK(t->version == 1);
  }
}

}  // namespace
}  // namespace hub::schemas
