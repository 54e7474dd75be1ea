// letter.requested -> LetterRequest field by field; kinds without a template and unknown kinds
// refused on body.kind; missing fields named by their wire path; Accept errors renamed to wire
// fields; status changes -> letter.status bodies (RULES §6).
#include "adapters/print/letter_mapping.hpp"

#include <doctest/doctest.h>

#include "schemas/booking_types.hpp"

#include "tests/adapters/print/print_test_support.hpp"

namespace hub::print {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("every field a letter prints is mapped from letter.requested") {
  schemas::LetterRequested b = testing::SampleWireLetter("RESCHEDULE", "L-7");
  auto r = LetterRequestFromWire(b);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  CHECK(r->letter_id == "L-7");
  CHECK(r->kind == LetterKind::kReschedule);
  CHECK(r->recipient.name == testing::kUnicodeName);
  CHECK(r->recipient.lines == std::vector<std::string>{"12 Park Lane", "Headingley", "Leeds"});
  CHECK(r->recipient.postcode == "ls6 2ab");
  CHECK(r->patient_name == testing::kUnicodeName);
  CHECK(r->nhs_number == "943 476 5919");
  CHECK(r->date_of_birth == "1980-03-14");
  CHECK(r->mrn == "RX1234567");
  CHECK(r->clinic_name == "Dermatology New Patient Clinic");
  CHECK(r->consultant == "Dr Adaeze Okafor");
  CHECK(r->appointment_date == "2025-03-14");
  CHECK(r->appointment_time == "09:30");
  CHECK(r->site == "St James's University Hospital, Outpatients B");
  CHECK(r->previous_appointment_date == "2025-03-07");
  CHECK(r->previous_appointment_time == "14:15");
  CHECK(r->referrer_name == "Dr Priya Shah");
  CHECK(r->referrer_address.empty());  // a patient letter: the referrer's address is not sent
  CHECK(r->reason == "The consultant is away at short notice.");
  // Not on the wire: the configured defaults apply. The only extra template fields are derived
  // from the wire: the service in words, and the UBRN when there is one.
  CHECK_FALSE(r->postage.has_value());
  CHECK_FALSE(r->duplex.has_value());
  CHECK_FALSE(r->colour.has_value());
  REQUIRE(r->fields.count("service_name"));
  CHECK(r->fields.at("service_name").find('_') == std::string::npos);
  CHECK(r->respond_by.empty());
  CHECK(ValidateLetterRequest(*r).ok());
}

TEST_CASE("site and room: either alone, or both joined") {
  schemas::LetterRequested b = testing::SampleWireLetter();
  b.appointment->room = "";
  CHECK(LetterRequestFromWire(b)->site == "St James's University Hospital");
  b.appointment->site = "";
  b.appointment->room = "Room 4";
  CHECK(LetterRequestFromWire(b)->site == "Room 4");
  b.appointment.reset();
  auto none = LetterRequestFromWire(b);
  REQUIRE(none.ok());
  CHECK(none->site.empty());
  CHECK(none->clinic_name.empty());
  CHECK(none->appointment_date.empty());
}

TEST_CASE("a letter to the referrer carries the referrer's address") {
  auto r = LetterRequestFromWire(testing::SampleWireLetter("DISCHARGE_TO_REFERRER"));
  REQUIRE(r.ok());
  CHECK(r->kind == LetterKind::kDischargeToReferrer);
  CHECK(r->recipient.name == "Dr Priya Shah");
  CHECK(r->referrer_address == std::vector<std::string>{"Meanwood Health Centre",
                                                        "548 Meanwood Road", "Leeds", "LS6 4JN"});
}

TEST_CASE("wire kinds: those with a template map; the rest are refused on body.kind") {
  const std::pair<const char*, LetterKind> printable[] = {
      {"ACKNOWLEDGEMENT", LetterKind::kAcknowledgement},
      {"APPOINTMENT", LetterKind::kAppointment},
      {"RESCHEDULE", LetterKind::kReschedule},
      {"CANCELLATION", LetterKind::kCancellationByHospital},
      {"CANCELLATION_CONFIRMATION", LetterKind::kCancellationByPatient},
      {"DISCHARGE_TO_REFERRER", LetterKind::kDischargeToReferrer},
      {"DISCHARGE", LetterKind::kDischarge},
      {"REFERRAL_RETURNED", LetterKind::kReferralReturned},
      {"PARTIAL_BOOKING_INVITATION", LetterKind::kPartialBookingInvitation},
      {"PARTIAL_BOOKING_REMINDER", LetterKind::kPartialBookingReminder},
      {"DNA", LetterKind::kDna},
  };
  for (const auto& [wire, kind] : printable) {
    CAPTURE(wire);
    CHECK(LetterKindFromWire(wire) == kind);
    auto r = LetterRequestFromWire(testing::SampleWireLetter(wire));
    REQUIRE(r.ok());
    CHECK(r->kind == kind);
  }
  // Every kind the schema lists has a template.
  for (const auto& wire : schemas::LetterKindValues()) {
    CAPTURE(wire);
    CHECK(LetterKindFromWire(wire).has_value());
  }
  // Not a kind at all (the schema decoder refuses these first; the mapping holds its line too).
  for (const char* wire : {"POSTCARD", "appointment", "", "dna"}) {
    CAPTURE(wire);
    auto r = LetterRequestFromWire(testing::SampleWireLetter(wire));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().field() == "body.kind");
    CHECK(Contains(r.status().message(), "not a letter kind"));
  }
  auto bad = schemas::DecodeLetterRequested(
      schemas::EncodeLetterRequested(testing::SampleWireLetter("POSTCARD")));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().field() == "body.kind");
}

TEST_CASE("letter_date must be an ISO date") {
  schemas::LetterRequested b = testing::SampleWireLetter();
  b.letter_date = "03/02/2025";
  auto r = LetterRequestFromWire(b);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().field() == "body.letter_date");
}

TEST_CASE("a missing required field is refused naming its wire path") {
  for (const char* key : {"letter_id", "kind", "recipient", "recipient_name", "recipient_address",
                          "recipient_address.lines", "recipient_address.postcode", "letter_date",
                          "nhs_number", "patient_name", "patient_birth_date", "patient_address",
                          "referral_id", "pathway_id", "specialty", "referrer_name",
                          "appointment.date", "appointment.time", "appointment.clinic_code"}) {
    CAPTURE(key);
    auto r =
        schemas::DecodeLetterRequested(testing::EncodedWithout(testing::SampleWireLetter(), key));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK(r.status().field() == std::string("body.") + key);
  }
  // Optional fields may be left out.
  for (const char* key : {"mrn", "ubrn", "referrer_organisation", "appointment", "previous",
                          "reason", "appointment.site", "appointment.room"}) {
    CAPTURE(key);
    auto r =
        schemas::DecodeLetterRequested(testing::EncodedWithout(testing::SampleWireLetter(), key));
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    CHECK(LetterRequestFromWire(*r).ok());
  }
}

TEST_CASE("Accept's errors name the letter.requested field they come from") {
  const std::pair<const char*, const char*> cases[] = {
      {"letter_id", "body.letter_id"},
      {"kind", "body.kind"},
      {"recipient", "body.recipient_address"},
      {"recipient.name", "body.recipient_name"},
      {"recipient.lines", "body.recipient_address.lines"},
      {"recipient.lines[3]", "body.recipient_address.lines[3]"},
      {"recipient.postcode", "body.recipient_address.postcode"},
      {"nhs_number", "body.nhs_number"},
      {"patient_name", "body.patient_name"},
      {"mrn", "body.mrn"},
      {"date_of_birth", "body.patient_birth_date"},
      {"clinic_name", "body.appointment.clinic_name"},
      {"consultant", "body.appointment.consultant"},
      {"site", "body.appointment.site"},
      {"appointment_date", "body.appointment.date"},
      {"appointment_time", "body.appointment.time"},
      {"previous_appointment_date", "body.previous.date"},
      {"previous_appointment_time", "body.previous.time"},
      {"referrer_name", "body.referrer_name"},
      {"referrer_address[1]", "body.recipient_address"},
      {"reason", "body.reason"},
      // Template fields letter.requested cannot carry: the kind cannot be printed from it.
      {"respond_by", "body.kind"},
      {"fields.ward", "body.kind"},
  };
  for (const auto& [member, wire] : cases) {
    CAPTURE(member);
    CHECK(WireField(member) == wire);
    Status e = WireError(Status::InvalidArgument("is wrong", member));
    CHECK(e.field() == wire);
    CHECK(e.message() == "is wrong");
    CHECK(e.code() == StatusCode::kInvalidArgument);
  }
  // print.toml lacks what a template needs: the adapter's fault, not the sender's.
  Status config = WireError(Status::InvalidArgument(
      "uses field 'booking_phone'... supply print.toml [contact] booking_phone",
      "print.toml [contact] booking_phone"));
  CHECK(config.code() == StatusCode::kFailedPrecondition);
  CHECK(config.field().empty());
  CHECK(Contains(config.message(), "[contact] booking_phone"));
  CHECK(WireError(Status::AlreadyExists("used", "letter_id")).code() == StatusCode::kAlreadyExists);
}

TEST_CASE("status changes the booking engine hears as letter.status") {
  for (LetterStatus s :
       {LetterStatus::kPending, LetterStatus::kCancelled, LetterStatus::kAccepted,
        LetterStatus::kRejected, LetterStatus::kPrinted, LetterStatus::kEnclosed,
        LetterStatus::kDispatched, LetterStatus::kForwarded, LetterStatus::kDelivered,
        LetterStatus::kFailed, LetterStatus::kReturned}) {
    CAPTURE(LetterStatusName(s));
    CHECK(WireStatusName(s) == LetterStatusName(s));
  }
  CHECK_FALSE(WireStatusName(LetterStatus::kBatched).has_value());
  CHECK_FALSE(WireStatusName(LetterStatus::kUnspecified).has_value());

  StatusUpdate returned;
  returned.letter_id = "L-9";
  returned.previous = LetterStatus::kDispatched;
  returned.status = LetterStatus::kReturned;
  returned.at_ms = 1739175120000;
  returned.reason_code = "R07";
  returned.reason_text = "No such address";
  returned.demographics_check = true;
  auto body = LetterStatusFor(returned, "L-1");
  REQUIRE(body.has_value());
  CHECK(body->letter_id == "L-1");  // the letter the booking engine asked for
  CHECK(body->status == "RETURNED");
  CHECK(body->reason == "R07 No such address");
  CHECK(body->status_ms == 1739175120000);
  auto decoded = schemas::DecodeLetterStatus(schemas::EncodeLetterStatus(*body));
  REQUIRE(decoded.ok());
  CHECK(*decoded == *body);

  StatusUpdate cancelled = returned;
  cancelled.status = LetterStatus::kCancelled;
  cancelled.reason_code = "";
  cancelled.reason_text = "booked in error";
  CHECK(LetterStatusFor(cancelled, "L-9")->reason == "booked in error");
  cancelled.replaced_by = "L-10";  // replaced by a reprint: the letter lives on
  CHECK_FALSE(LetterStatusFor(cancelled, "L-9").has_value());

  StatusUpdate batched = returned;
  batched.previous = LetterStatus::kPending;
  batched.status = LetterStatus::kBatched;
  CHECK_FALSE(LetterStatusFor(batched, "L-9").has_value());
  StatusUpdate same = returned;
  same.previous = LetterStatus::kReturned;
  CHECK_FALSE(LetterStatusFor(same, "L-9").has_value());
}

}  // namespace
}  // namespace hub::print
