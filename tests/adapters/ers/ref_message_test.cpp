// REF^I12/I13/I14 reading: every field of the samples asserted, the UK NHS-number conventions,
// the priority mapping, and each kind of bad message with its AE/AR, 0357 code and location.
#include "adapters/ers/ref_message.hpp"

#include <doctest/doctest.h>

#include "tests/adapters/ers/test_data.hpp"

namespace hub::ers {
namespace {

using testing::ReadTestData;
using testing::WithCr;

Date D(const char* iso) { return *booking::ParseIsoDate(iso); }

std::string WithNhs() { return WithCr(ReadTestData("hl7v2-REF-I12-01-with-nhs-number.hl7")); }

// `text` with the first `from` replaced by `to`; the test fails if `from` is absent.
std::string Replace(std::string text, std::string_view from, std::string_view to) {
  std::size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, "fixture does not contain " << from);
  text.replace(at, from.size(), to);
  return text;
}

// `text` without the segment that starts with `name|`.
std::string WithoutSegment(std::string text, std::string_view name) {
  std::size_t at = text.find("\r" + std::string(name) + "|");
  REQUIRE(at != std::string::npos);
  std::size_t end = text.find('\r', at + 1);
  text.erase(at, end == std::string::npos ? std::string::npos : end - at);
  return text;
}

Hl7Result<Hl7Referral> Ref(const std::string& bytes, const RefParseOptions& options = {}) {
  auto message = Hl7Message::Parse(bytes);
  REQUIRE_MESSAGE(message.ok(), message.error().message);
  return ParseRefMessage(*message, options);
}

void CheckError(const Hl7Result<Hl7Referral>& r, AckCode ack, Hl7ErrorCode code,
                const std::string& location, const std::string& text) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().ack == ack);
  CHECK(r.error().code == code);
  CHECK(r.error().location.ToString() == location);
  CHECK_MESSAGE(r.error().message.find(text) != std::string::npos, r.error().message);
}

TEST_CASE("REF^I12 with an NHS number: every field the adapter reads") {
  auto r = Ref(WithNhs());
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  const Hl7Referral& ref = *r;
  CHECK(ref.control_id == "MSG00112");
  CHECK(ref.sending_application == "GHH");
  CHECK(ref.sending_facility == "GHHSFacility");
  CHECK(ref.receiving_application == "RHH");
  CHECK(ref.receiving_facility == "RHHFacility");
  CHECK(ref.version == "2.8");
  CHECK(ref.trigger_event == "I12");
  CHECK(ref.event == ReferralEventKind::kNew);

  CHECK(ref.status == "P");
  CHECK(ref.priority_code == "R");
  CHECK(ref.priority == ReferralPriority::kRoutine);
  CHECK(ref.referral_type == "Med");
  CHECK(ref.referral_category == "O");
  CHECK(ref.ubrn.empty());  // 226839 is the sender's id, not a 12-digit UBRN
  CHECK(ref.referral_id == "226839");
  CHECK(ref.referral_id_namespace == "EPIC");
  CHECK(ref.effective_date == D("2022-01-25"));
  CHECK(ref.expiration_date == D("2022-02-10"));
  CHECK(ref.process_date == D("2022-01-25"));
  CHECK(ref.reason_code == "O");
  CHECK(ref.reason_text == "Provider Ordered");
  CHECK(ref.external_referral_id == "11001");
  CHECK(ref.specialty.empty());  // PV1-10 is empty in the sample

  const Hl7Patient& p = ref.patient;
  CHECK(p.nhs_number == "9434765919");
  CHECK(p.nhs_number_status.empty());
  CHECK(p.mrn == Hl7Identifier{"PATID1234", "ADT1", "GOOD HEALTH HOSPITAL"});
  REQUIRE(p.identifiers.size() == 3);
  CHECK(p.identifiers[1] == Hl7Identifier{"123456789", "", ""});
  CHECK(p.identifiers[2] == Hl7Identifier{"9434765919", "NHS", "NH"});
  CHECK(p.name.family == "EVERYMAN");
  CHECK(p.name.given == "ADAM");
  CHECK(p.name.middle == "A");
  CHECK(p.name.suffix == "III");
  CHECK(p.name.prefix.empty());
  CHECK(p.name.Display() == "ADAM A EVERYMAN III");
  CHECK(p.date_of_birth == D("1961-06-15"));
  CHECK(p.sex == PatientSex::kMale);
  CHECK(p.address.lines == std::vector<std::string>{"115 MAINSTREET", "GOODTOWN", "KY"});
  CHECK(p.address.postcode == "42010");
  CHECK(p.address.country == "USA");
  CHECK(p.phone == "270 6009800");
  CHECK(p.mobile_phone.empty());

  REQUIRE(ref.providers.size() == 2);
  const Hl7Provider* rp = ref.ReferringProvider();
  REQUIRE(rp != nullptr);
  CHECK(rp->role == "RP");
  CHECK(rp->role_text == "Referring Provider");
  CHECK(rp->name.Display() == "DR ROBERT POWELL");
  CHECK(rp->address.lines == std::vector<std::string>{"1031 HEALTHCARE DRIVE", "ANN ARBOR", "MI"});
  CHECK(rp->address.postcode == "99999");
  CHECK(rp->location == "GENERAL FACILITY");
  CHECK(rp->phone == "(626)555-1234");
  REQUIRE(rp->identifiers.size() == 1);
  CHECK(rp->identifiers[0] == Hl7Identifier{"PLN1001", "", "SL"});
  CHECK(rp->organisation_name == "GOOD HEALTH HOSPITAL");
  CHECK(rp->organisation_id.empty());
  const Hl7Provider* rt = ref.ReferredToProvider();
  REQUIRE(rt != nullptr);
  CHECK(rt->name.family == "McWILLIAMS");
  CHECK(rt->name.given == "PAUL");
  CHECK(rt->location == "GI FACILITY");
  CHECK(rt->phone == "(626)555-5678");
  CHECK(rt->identifiers[0].id == "PLN5010");
  CHECK(rt->organisation_name == "RADIANT HEALTH HOSPITAL");
}

TEST_CASE("the common ReferralInput from REF^I12") {
  auto r = Ref(WithNhs());
  REQUIRE(r.ok());
  ReferralInput in = ToReferralInput(*r, D("2025-01-06"));
  CHECK(in.source == ReferralSource::kHl7);
  CHECK(in.event == ReferralEventKind::kNew);
  CHECK(in.ubrn.empty());
  CHECK(in.local_id == "226839");
  CHECK(in.local_id_system == "EPIC");
  CHECK(in.nhs_number == "9434765919");
  CHECK(in.mrn == "PATID1234");
  CHECK(in.mrn_system == "ADT1");
  CHECK(in.family_name == "EVERYMAN");
  CHECK(in.given_names == std::vector<std::string>{"ADAM", "A"});
  CHECK(in.date_of_birth == D("1961-06-15"));
  CHECK(in.sex == PatientSex::kMale);
  CHECK(in.address_lines == std::vector<std::string>{"115 MAINSTREET", "GOODTOWN", "KY"});
  CHECK(in.postcode == "42010");
  CHECK(in.phone == "270 6009800");
  CHECK(in.priority == ReferralPriority::kRoutine);
  CHECK(in.reason == "O");
  CHECK(in.referrer_code == "PLN1001");
  CHECK(in.referrer_name == "DR ROBERT POWELL");
  CHECK(in.referrer_org_name == "GOOD HEALTH HOSPITAL");
  CHECK(in.referrer_org_code.empty());
  CHECK(in.received_date == D("2022-01-25"));  // RF1-7
  CHECK(in.clock_start_date == D("2022-01-25"));
  CHECK_FALSE(in.pathway_start_date.has_value());
  CHECK_FALSE(in.contact_by_date.has_value());

  // Without RF1-7 the date of arrival is the received date (RULES §1.1).
  auto no_date = Ref(Replace(WithNhs(), "|20220125|20220210|", "||20220210|"));
  REQUIRE(no_date.ok());
  ReferralInput arrived = ToReferralInput(*no_date, D("2025-01-06"));
  CHECK(arrived.received_date == D("2025-01-06"));
  CHECK(arrived.clock_start_date == D("2025-01-06"));

  // A UBRN replaces the local id; the sending facility qualifies a local id without namespace.
  auto ubrn = Ref(Replace(WithNhs(), "226839^EPIC", "000000070000"));
  REQUIRE(ubrn.ok());
  ReferralInput by_ubrn = ToReferralInput(*ubrn, D("2025-01-06"));
  CHECK(by_ubrn.ubrn == "000000070000");
  CHECK(by_ubrn.local_id.empty());
  auto local = Ref(Replace(WithNhs(), "226839^EPIC", "226839"));
  REQUIRE(local.ok());
  CHECK(ToReferralInput(*local, D("2025-01-06")).local_id_system == "GHHSFacility");
}

TEST_CASE("the upstream sample without an NHS number reads, unless one is required") {
  const std::string bytes = WithCr(ReadTestData("hl7v2-fhirconverter-REF-I12-01.hl7"));
  auto r = Ref(bytes);
  REQUIRE(r.ok());
  CHECK(r->patient.nhs_number.empty());
  CHECK(r->patient.mrn.id == "PATID1234");
  RefParseOptions strict;
  strict.require_nhs_number = true;
  CheckError(Ref(bytes, strict), AckCode::kError, Hl7ErrorCode::kRequiredFieldMissing, "PID-3",
             "PID-3 has no NHS number");
  CHECK(Ref(WithNhs(), strict).ok());
}

TEST_CASE("LF and CR segment ends give the same referral") {
  auto lf = Ref(ReadTestData("hl7v2-REF-I12-01-with-nhs-number.hl7"));
  auto cr = Ref(WithNhs());
  REQUIRE(lf.ok());
  REQUIRE(cr.ok());
  CHECK(lf->patient.nhs_number == cr->patient.nhs_number);
  CHECK(lf->providers.size() == cr->providers.size());
  CHECK(lf->patient.address.lines == cr->patient.address.lines);
}

TEST_CASE("NHS number conventions of RULES §4.3") {
  for (const char* repetition :
       {"9434765919^^^NHS^NH", "943 476 5919^^^^NHS", "9434765919^^^nhs", "9434765919^^^^NH",
        "9434765919^^^&2.16.840.1.113883.2.1.4.1&ISO"}) {
    CAPTURE(repetition);
    auto r = Ref(Replace(WithNhs(), "9434765919^^^NHS^NH", repetition));
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    CHECK(r->patient.nhs_number == "9434765919");
  }
  // The status indicator in PID-32 (NHS England v2 ADT: NSTS01..NSTS08).
  auto status = Ref(Replace(WithNhs(), "|N|||20210110015014", "|N||NSTS01|20210110015014"));
  REQUIRE(status.ok());
  CHECK(status->patient.nhs_number_status == "01");
  // The same number twice is fine; two different numbers are not.
  CHECK(Ref(Replace(WithNhs(), "^^^NHS^NH", "^^^NHS^NH~9434765919^^^^NHS")).ok());
  CheckError(Ref(Replace(WithNhs(), "^^^NHS^NH", "^^^NHS^NH~9000000009^^^^NHS")), AckCode::kError,
             Hl7ErrorCode::kDataTypeError, "PID-3[4].1", "two different NHS numbers");
}

TEST_CASE("an invalid NHS number is AE 102 naming PID-3") {
  auto r = Ref(Replace(WithNhs(), "9434765919^^^NHS^NH", "9434765918^^^NHS^NH"));
  CheckError(r, AckCode::kError, Hl7ErrorCode::kDataTypeError, "PID-3[3].1", "PID-3 NHS number");
  CHECK(r.error().message.find("check digit") != std::string::npos);
  CHECK(r.status().field() == "PID-3[3].1");
  CheckError(Ref(Replace(WithNhs(), "9434765919^^^NHS^NH", "94347^^^NHS^NH")), AckCode::kError,
             Hl7ErrorCode::kDataTypeError, "PID-3[3].1", "10 digits");
}

TEST_CASE("message types other than REF^I12/I13/I14 are refused with AR") {
  auto s12 = Hl7Message::Parse(ReadTestData("hl7v2-fhirconverter-SIU-S12-01.hl7"));
  REQUIRE(s12.ok());
  auto r12 = ParseRefMessage(*s12);
  CheckError(r12, AckCode::kReject, Hl7ErrorCode::kUnsupportedMessageType, "MSH-9[1].1",
             "SIU^S12 (notification of a new appointment booking) is not accepted");
  auto s14 = Hl7Message::Parse(ReadTestData("hl7v2-corepoint-SIU-S14.hl7"));
  REQUIRE(s14.ok());
  CheckError(ParseRefMessage(*s14), AckCode::kReject, Hl7ErrorCode::kUnsupportedMessageType,
             "MSH-9[1].1", "SIU^S14 (notification of an appointment modification)");
  CHECK(r12.error().message.find("REF^I12, REF^I13 and REF^I14") != std::string::npos);

  CheckError(Ref(Replace(WithNhs(), "REF^I12^REF_I12", "ADT^A01^ADT_A01")), AckCode::kReject,
             Hl7ErrorCode::kUnsupportedMessageType, "MSH-9[1].1", "ADT^A01 (admit/visit");
  CheckError(Ref(Replace(WithNhs(), "REF^I12^REF_I12", "XYZ^Q99")), AckCode::kReject,
             Hl7ErrorCode::kUnsupportedMessageType, "MSH-9[1].1", "XYZ^Q99 is not accepted");
  CheckError(Ref(Replace(WithNhs(), "REF^I12^REF_I12", "REF^I15^REF_I12")), AckCode::kReject,
             Hl7ErrorCode::kUnsupportedEventCode, "MSH-9[1].2",
             "REF^I15 (request patient referral status)");
  CheckError(Ref(Replace(WithNhs(), "REF^I12^REF_I12", "")), AckCode::kReject,
             Hl7ErrorCode::kRequiredFieldMissing, "MSH-9[1].1", "MSH-9 (message type) is empty");
  CHECK(DescribeMessageType("SIU", "S26") == "notification that the patient did not show up");
  CHECK(DescribeMessageType("SIU", "S99") == "scheduling notification");
  CHECK(DescribeMessageType("ZZZ", "Z01").empty());
}

TEST_CASE("I13 modifies and I14 cancels; a cancellation may omit the priority") {
  auto modify = Ref(Replace(WithNhs(), "REF^I12^REF_I12", "REF^I13^REF_I12"));
  REQUIRE(modify.ok());
  CHECK(modify->event == ReferralEventKind::kModify);
  const std::string cancel_text =
      Replace(Replace(WithNhs(), "REF^I12^REF_I12", "REF^I14"), "R^Routine^HL70280", "");
  auto cancel = Ref(cancel_text);
  REQUIRE(cancel.ok());
  CHECK(cancel->event == ReferralEventKind::kCancel);
  CHECK_FALSE(cancel->priority.has_value());
  CHECK(ToReferralInput(*cancel, D("2025-01-06")).event == ReferralEventKind::kCancel);
  CheckError(Ref(Replace(WithNhs(), "R^Routine^HL70280", "")), AckCode::kError,
             Hl7ErrorCode::kRequiredFieldMissing, "RF1-2[1].1", "RF1-2 (referral priority)");
}

TEST_CASE("RF1-2 priority mapping") {
  CHECK(PriorityFromHl7("R") == ReferralPriority::kRoutine);
  CHECK(PriorityFromHl7("A") == ReferralPriority::kUrgent);
  CHECK(PriorityFromHl7("S") == ReferralPriority::kUrgent);
  CHECK(PriorityFromHl7("ROUTINE") == ReferralPriority::kRoutine);
  CHECK(PriorityFromHl7("URGENT") == ReferralPriority::kUrgent);
  CHECK(PriorityFromHl7("TWO_WEEK_WAIT") == ReferralPriority::kTwoWeekWait);
  CHECK_FALSE(PriorityFromHl7("r").has_value());
  CHECK_FALSE(PriorityFromHl7("2WW").has_value());
  auto urgent = Ref(Replace(WithNhs(), "R^Routine^HL70280", "A^ASAP^HL70280"));
  REQUIRE(urgent.ok());
  CHECK(urgent->priority == ReferralPriority::kUrgent);
  auto tww = Ref(Replace(WithNhs(), "R^Routine^HL70280", "TWO_WEEK_WAIT"));
  REQUIRE(tww.ok());
  CHECK(tww->priority == ReferralPriority::kTwoWeekWait);
  CheckError(Ref(Replace(WithNhs(), "R^Routine^HL70280", "X^Whenever")), AckCode::kError,
             Hl7ErrorCode::kTableValueNotFound, "RF1-2[1].1", "RF1-2 referral priority 'X'");
}

TEST_CASE("RF1-6: UBRN when 12 digits, refused when marked as a UBRN but malformed") {
  auto spaced = Ref(Replace(WithNhs(), "226839^EPIC", "0000 0007 0000^UBRN"));
  REQUIRE(spaced.ok());
  CHECK(spaced->ubrn == "000000070000");
  CHECK(spaced->referral_id.empty());
  CheckError(Ref(Replace(WithNhs(), "226839^EPIC", "12345^UBRN")), AckCode::kError,
             Hl7ErrorCode::kDataTypeError, "RF1-6[1].1", "a UBRN is 12 digits");
  CheckError(Ref(Replace(WithNhs(), "226839^EPIC", "ABC^e-RS")), AckCode::kError,
             Hl7ErrorCode::kDataTypeError, "RF1-6[1].1", "marked as a UBRN");
  CheckError(Ref(Replace(WithNhs(), "226839^EPIC", "")), AckCode::kError,
             Hl7ErrorCode::kRequiredFieldMissing, "RF1-6[1].1", "RF1-6 (originating referral");
}

TEST_CASE("missing segments are AE 100") {
  CheckError(Ref(WithoutSegment(WithNhs(), "PID")), AckCode::kError,
             Hl7ErrorCode::kSegmentSequenceError, "PID", "PID segment missing");
  CheckError(Ref(WithoutSegment(WithNhs(), "RF1")), AckCode::kError,
             Hl7ErrorCode::kSegmentSequenceError, "RF1", "RF1 segment missing");
}

TEST_CASE("bad patient fields name their field") {
  CheckError(Ref(Replace(WithNhs(), "|19610615|", "|1961|")), AckCode::kError,
             Hl7ErrorCode::kDataTypeError, "PID-7", "PID-7 date of birth '1961' is not a date");
  CheckError(Ref(Replace(WithNhs(), "|19610615|", "|19610231|")), AckCode::kError,
             Hl7ErrorCode::kDataTypeError, "PID-7", "not a real calendar date");
  CheckError(Ref(Replace(WithNhs(), "|19610615|", "|19610615 noon|")), AckCode::kError,
             Hl7ErrorCode::kDataTypeError, "PID-7", "not a date");
  CheckError(Ref(Replace(WithNhs(), "|19610615|M|", "|19610615|Z|")), AckCode::kError,
             Hl7ErrorCode::kTableValueNotFound, "PID-8", "PID-8 sex 'Z' is not in HL7 table 0001");
  CheckError(Ref(Replace(WithNhs(), "EVERYMAN^ADAM", "^ADAM")), AckCode::kError,
             Hl7ErrorCode::kRequiredFieldMissing, "PID-5[1].1", "no family name");
  CheckError(Ref(Replace(WithNhs(),
                         "PATID1234^5^M11^ADT1^GOOD HEALTH HOSPITAL~123456789^^^^^USSSA^~"
                         "9434765919^^^NHS^NH",
                         "")),
             AckCode::kError, Hl7ErrorCode::kRequiredFieldMissing, "PID-3",
             "PID-3 (patient identifier list) is empty");
  CheckError(Ref(Replace(WithNhs(), "|20220125|20220210|", "|20221325|20220210|")), AckCode::kError,
             Hl7ErrorCode::kDataTypeError, "RF1-7", "RF1-7 effective date");
  // A date with time and offset: the date as written is the date.
  auto timed = Ref(Replace(WithNhs(), "|19610615|", "|196106152330+0100|"));
  REQUIRE(timed.ok());
  CHECK(timed->patient.date_of_birth == D("1961-06-15"));
  auto female = Ref(Replace(WithNhs(), "|19610615|M|", "|19610615|F|"));
  REQUIRE(female.ok());
  CHECK(female->patient.sex == PatientSex::kFemale);
  auto unknown = Ref(Replace(WithNhs(), "|19610615|M|", "|19610615||"));
  REQUIRE(unknown.ok());
  CHECK(unknown->patient.sex == PatientSex::kUnknown);
}

TEST_CASE("MSH-10, MSH-11 and MSH-12 are checked before the content (AR)") {
  CheckError(Ref(Replace(WithNhs(), "|MSG00112|", "||")), AckCode::kReject,
             Hl7ErrorCode::kRequiredFieldMissing, "MSH-10", "MSH-10 (message control id)");
  const std::string training = Replace(WithNhs(), "|MSG00112|P|", "|MSG00112|T|");
  CheckError(Ref(training), AckCode::kReject, Hl7ErrorCode::kUnsupportedProcessingId, "MSH-11",
             "processing id 'T' is not accepted by this interface (accepted: P)");
  RefParseOptions test_feed;
  test_feed.processing_ids = {"P", "T"};
  CHECK(Ref(training, test_feed).ok());
  CheckError(Ref(Replace(WithNhs(), "|P|2.8|", "|P|3.0|")), AckCode::kReject,
             Hl7ErrorCode::kUnsupportedVersionId, "MSH-12", "version '3.0' is not supported");
  CheckError(Ref(Replace(WithNhs(), "|P|2.8|", "|P||")), AckCode::kReject,
             Hl7ErrorCode::kRequiredFieldMissing, "MSH-12", "MSH-12 (version id) is empty");
  CHECK(Ref(Replace(WithNhs(), "|P|2.8|", "|P|2.5.1|")).ok());
}

TEST_CASE("PRD: the role is required; its location names the second PRD") {
  CheckError(Ref(Replace(WithNhs(), "RT^Referred to Provider^HL70286", "")), AckCode::kError,
             Hl7ErrorCode::kRequiredFieldMissing, "PRD(2)-1", "PRD-1 (provider role) is empty");
  auto no_prd = Ref(WithoutSegment(WithoutSegment(WithNhs(), "PRD"), "PRD"));
  REQUIRE(no_prd.ok());
  CHECK(no_prd->providers.empty());
  CHECK(no_prd->ReferringProvider() == nullptr);
  CHECK(ToReferralInput(*no_prd, D("2025-01-06")).referrer_name.empty());
}

TEST_CASE("ParsePatient on the SIU samples' PID (for later scheduling feeds)") {
  auto s12 = Hl7Message::Parse(ReadTestData("hl7v2-fhirconverter-SIU-S12-01.hl7"));
  REQUIRE(s12.ok());
  auto p = ParsePatient(*s12->Find("PID"));
  REQUIRE_MESSAGE(p.ok(), p.error().message);
  CHECK(p->nhs_number.empty());
  CHECK(p->mrn == Hl7Identifier{"PATID1234", "test1", "MR"});
  // Two names: XPN-7 'L' (legal) wins over the first, display name.
  CHECK(p->name.family == "Josh");
  CHECK(p->name.middle == "stanley");
  CHECK(p->date_of_birth == D("1988-08-18"));
  CHECK(p->sex == PatientSex::kMale);
  CHECK(p->address.lines ==
        std::vector<std::string>{"1000 Hospital Lane", "Ste. 123", "Ann Arbor", "MI"});
  CHECK(p->address.postcode == "99999");
  CHECK(p->phone == "2222");  // XTN-12, the unformatted number, wins
  CHECK(p->mobile_phone == "2222");

  auto s14 = Hl7Message::Parse(ReadTestData("hl7v2-corepoint-SIU-S14.hl7"));
  REQUIRE(s14.ok());
  auto q = ParsePatient(*s14->Find("PID"));
  REQUIRE_MESSAGE(q.ok(), q.error().message);
  CHECK(q->mrn == Hl7Identifier{"489671", "", ""});
  CHECK(q->name.family == "SMITH");
  CHECK(q->name.given == "MICHAEL");
  CHECK(q->date_of_birth == D("2008-02-05"));
  CHECK(q->sex == PatientSex::kFemale);
  // The vendor shifted city, state and ZIP one component left; kept as sent.
  CHECK(q->address.lines == std::vector<std::string>{"176215TH STREET", "HOUSTON", "TX", "77306"});
  CHECK(q->phone == "(832)795-8259");
}

}  // namespace
}  // namespace hub::ers
