// REF^I12/I13/I14 reading (RULES §4; HL7 v2.5 chapter 11 RF1, PRD; chapter 3 PID).
#include "adapters/ers/ref_message.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <tuple>
#include <utility>

#include "hub/booking/nhs_number.hpp"

namespace hub::ers {
namespace {

// The NHS number OID, as used for the CX-4 universal id by some feeds.
constexpr std::string_view kNhsNumberOid = "2.16.840.1.113883.2.1.4.1";

Hl7Error ContentError(Hl7ErrorCode code, Hl7Location location, std::string message) {
  return Hl7Error{AckCode::kError, code, std::move(location), std::move(message)};
}

Hl7Error Rejection(Hl7ErrorCode code, Hl7Location location, std::string message) {
  return Hl7Error{AckCode::kReject, code, std::move(location), std::move(message)};
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The calendar date at the start of an HL7 DT/DTM value (YYYYMMDD[HHMM[SS[.S+]]][+/-ZZZZ]).
// Only the date part is used: a date of birth or a referral date is the date as written, not
// shifted by its offset. Absent -> nullopt.
Hl7Result<std::optional<Date>> ReadDate(const Hl7Segment& seg, int field, std::string_view what) {
  std::string text = seg.Get(field, 1, 1);
  if (text.empty()) return std::optional<Date>();
  auto bad = [&](std::string_view why) {
    return ContentError(Hl7ErrorCode::kDataTypeError, seg.Location(field),
                        fmt::format("{}-{} {} '{}' {}", seg.name(), field, what, text, why));
  };
  if (text.size() < 8 || !AllDigits(std::string_view(text).substr(0, 8))) {
    return bad("is not a date: expected YYYYMMDD, optionally followed by a time");
  }
  for (std::size_t i = 8; i < text.size(); ++i) {
    char c = text[i];
    if (!((c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-')) {
      return bad("is not a date: expected YYYYMMDD, optionally followed by a time");
    }
  }
  std::string iso =
      fmt::format("{}-{}-{}", text.substr(0, 4), text.substr(4, 2), text.substr(6, 2));
  auto parsed = booking::ParseIsoDate(iso);
  if (!parsed.ok()) return bad("is not a real calendar date");
  return std::optional<Date>(*parsed);
}

Hl7Name ReadName(const Hl7Segment& seg, int field) {
  int reps = seg.RepetitionCount(field);
  int chosen = 1;
  for (int r = 1; r <= reps; ++r) {
    if (seg.Get(field, r, 7) == "L") {  // XPN-7 name type L = legal name
      chosen = r;
      break;
    }
  }
  Hl7Name name;
  name.family = seg.Get(field, chosen, 1, 1);  // XPN-1.1 surname
  name.given = seg.Get(field, chosen, 2);
  name.middle = seg.Get(field, chosen, 3);
  name.suffix = seg.Get(field, chosen, 4);
  name.prefix = seg.Get(field, chosen, 5);
  return name;
}

Hl7Address ReadAddress(const Hl7Segment& seg, int field) {
  int reps = seg.RepetitionCount(field);
  int chosen = 1;
  for (int r = 1; r <= reps; ++r) {
    if (seg.Get(field, r, 7) == "H") {  // XAD-7 address type H = home
      chosen = r;
      break;
    }
  }
  Hl7Address address;
  for (int comp : {1, 2, 3, 4}) {  // street, other designation, city, state/county
    std::string line = seg.GetJoined(field, chosen, comp);
    if (!line.empty()) address.lines.push_back(std::move(line));
  }
  address.postcode = seg.Get(field, chosen, 5);
  address.country = seg.Get(field, chosen, 6);
  return address;
}

// The number in one XTN repetition: XTN-12 unformatted, else the legacy XTN-1, else area code
// (XTN-6) and local number (XTN-7).
std::string XtnNumber(const Hl7Segment& seg, int field, int rep) {
  std::string number = seg.Get(field, rep, 12);
  if (!number.empty()) return number;
  number = seg.Get(field, rep, 1);
  if (!number.empty()) return number;
  std::string area = seg.Get(field, rep, 6);
  std::string local = seg.Get(field, rep, 7);
  if (area.empty()) return local;
  if (local.empty()) return area;
  return area + " " + local;
}

// Fills phone and mobile from XTN fields, first usable number first. XTN-3 equipment type
// (HL7 table 0202): CP cellular; FX fax, BP beeper, Internet and X.400 e-mail are not phones.
void ReadPhones(const Hl7Segment& seg, std::initializer_list<int> fields, std::string& phone,
                std::string* mobile) {
  for (int field : fields) {
    for (int r = 1; r <= seg.RepetitionCount(field); ++r) {
      std::string equipment = seg.Get(field, r, 3);
      if (equipment == "FX" || equipment == "BP" || equipment == "Internet" ||
          equipment == "X.400") {
        continue;
      }
      std::string number = XtnNumber(seg, field, r);
      if (number.empty()) continue;
      if (phone.empty()) phone = number;
      if (mobile != nullptr && mobile->empty() && equipment == "CP") *mobile = number;
    }
  }
}

bool IsNhsNumberRepetition(const Hl7Segment& pid, int rep) {
  std::string authority = Upper(pid.Get(3, rep, 4, 1));
  std::string type = Upper(pid.Get(3, rep, 5));
  return authority == "NHS" || type == "NH" || type == "NHS" ||
         pid.Get(3, rep, 4, 2) == kNhsNumberOid;
}

// HL7 table 0001 administrative sex.
std::optional<PatientSex> SexFromHl7(std::string_view code) {
  if (code.empty() || code == "U" || code == "N") return PatientSex::kUnknown;
  if (code == "M") return PatientSex::kMale;
  if (code == "F") return PatientSex::kFemale;
  if (code == "O" || code == "A") return PatientSex::kOther;
  return std::nullopt;
}

struct KnownType {
  std::string_view type;
  std::string_view event;  // "" matches any event of the type
  std::string_view meaning;
};

// HL7 table 0003 event types we can name in an error (RULES §4.1 [S32]).
constexpr std::array<KnownType, 26> kKnownTypes = {{
    {"REF", "I12", "patient referral"},
    {"REF", "I13", "modify patient referral"},
    {"REF", "I14", "cancel patient referral"},
    {"REF", "I15", "request patient referral status"},
    {"RRI", "", "return referral information"},
    {"SIU", "S12", "notification of a new appointment booking"},
    {"SIU", "S13", "notification of an appointment rescheduling"},
    {"SIU", "S14", "notification of an appointment modification"},
    {"SIU", "S15", "notification of an appointment cancellation"},
    {"SIU", "S16", "notification of an appointment discontinuation"},
    {"SIU", "S17", "notification of an appointment deletion"},
    {"SIU", "S23", "notification of blocked schedule time slots"},
    {"SIU", "S24", "notification of opened (unblocked) schedule time slots"},
    {"SIU", "S26", "notification that the patient did not show up"},
    {"SIU", "", "scheduling notification"},
    {"SRM", "", "schedule request"},
    {"SRR", "", "scheduled request response"},
    {"ADT", "A01", "admit/visit notification"},
    {"ADT", "A04", "register a patient"},
    {"ADT", "A08", "update patient information"},
    {"ADT", "", "patient administration"},
    {"ORM", "", "order"},
    {"OML", "", "laboratory order"},
    {"ORU", "", "observation result"},
    {"MDM", "", "medical document management"},
    {"ACK", "", "general acknowledgment"},
}};

}  // namespace

std::string Hl7Name::Display() const {
  std::string out;
  for (const std::string* part : {&prefix, &given, &middle, &family, &suffix}) {
    if (part->empty()) continue;
    if (!out.empty()) out.push_back(' ');
    out += *part;
  }
  return out;
}

const Hl7Provider* Hl7Referral::ReferringProvider() const {
  for (const auto& p : providers) {
    if (p.role == "RP") return &p;
  }
  return nullptr;
}

const Hl7Provider* Hl7Referral::ReferredToProvider() const {
  for (const auto& p : providers) {
    if (p.role == "RT") return &p;
  }
  return nullptr;
}

std::string_view DescribeMessageType(std::string_view type, std::string_view event) {
  for (const auto& known : kKnownTypes) {
    if (known.type == type && (known.event.empty() || known.event == event)) return known.meaning;
  }
  return {};
}

std::optional<ReferralPriority> PriorityFromHl7(std::string_view code) {
  if (code == "R") return ReferralPriority::kRoutine;
  if (code == "A" || code == "S") return ReferralPriority::kUrgent;
  return ReferralPriorityFromErsCode(code);
}

Hl7Result<ReferralEventKind> CheckSupportedMessage(const Hl7Message& message) {
  const Hl7Segment& msh = message.header();
  const std::string type = message.MessageType();
  const std::string event = message.TriggerEvent();
  if (type.empty()) {
    return Rejection(Hl7ErrorCode::kRequiredFieldMissing, msh.Location(9, 1, 1),
                     "MSH-9 (message type) is empty: expected REF^I12, REF^I13 or REF^I14");
  }
  const std::string shown = event.empty() ? type : type + "^" + event;
  std::string_view meaning = DescribeMessageType(type, event);
  const std::string described = meaning.empty() ? shown : fmt::format("{} ({})", shown, meaning);
  if (type != "REF") {
    return Rejection(Hl7ErrorCode::kUnsupportedMessageType, msh.Location(9, 1, 1),
                     fmt::format("{} is not accepted by this referral interface: it takes "
                                 "REF^I12, REF^I13 and REF^I14",
                                 described));
  }
  if (event == "I12") return ReferralEventKind::kNew;
  if (event == "I13") return ReferralEventKind::kModify;
  if (event == "I14") return ReferralEventKind::kCancel;
  return Rejection(Hl7ErrorCode::kUnsupportedEventCode, msh.Location(9, 1, 2),
                   fmt::format("{} is not accepted by this referral interface: it takes "
                               "REF^I12, REF^I13 and REF^I14",
                               described));
}

Hl7Result<Hl7Patient> ParsePatient(const Hl7Segment& pid) {
  Hl7Patient patient;
  const int reps = pid.RepetitionCount(3);
  int nhs_rep = 0;
  for (int r = 1; r <= reps; ++r) {
    Hl7Identifier id{pid.Get(3, r, 1), pid.Get(3, r, 4, 1), pid.Get(3, r, 5)};
    if (id.id.empty()) continue;
    patient.identifiers.push_back(id);
    if (!IsNhsNumberRepetition(pid, r)) continue;
    auto nhs = booking::NormaliseNhsNumber(id.id);
    if (!nhs.ok()) {
      return ContentError(Hl7ErrorCode::kDataTypeError, pid.Location(3, r, 1),
                          fmt::format("PID-3 NHS number: {}", nhs.status().message()));
    }
    if (patient.nhs_number.empty()) {
      patient.nhs_number = *nhs;
      nhs_rep = r;
    } else if (patient.nhs_number != *nhs) {
      return ContentError(
          Hl7ErrorCode::kDataTypeError, pid.Location(3, r, 1),
          fmt::format("PID-3 carries two different NHS numbers, {} (repetition {}) and {} "
                      "(repetition {}): send exactly one",
                      patient.nhs_number, nhs_rep, *nhs, r));
    }
  }
  if (patient.identifiers.empty()) {
    return ContentError(Hl7ErrorCode::kRequiredFieldMissing, pid.Location(3),
                        "PID-3 (patient identifier list) is empty: send the NHS number "
                        "(e.g. 9434765919^^^NHS^NH) and/or the hospital number");
  }
  // MRN: typed MR, else PI, else the first identifier that is not the NHS number.
  for (std::string_view wanted : {"MR", "PI", ""}) {
    for (int r = 1; r <= reps && patient.mrn.id.empty(); ++r) {
      if (pid.Get(3, r, 1).empty() || IsNhsNumberRepetition(pid, r)) continue;
      std::string type = Upper(pid.Get(3, r, 5));
      if (wanted.empty() || type == wanted) {
        patient.mrn = Hl7Identifier{pid.Get(3, r, 1), pid.Get(3, r, 4, 1), pid.Get(3, r, 5)};
      }
    }
    if (!patient.mrn.id.empty()) break;
  }
  // PID-32 identity reliability: NHS England's v2 ADT specification carries the NHS Number
  // Status Indicator there as NSTS01..NSTS08 (HL7 user table 0445).
  for (int r = 1; r <= pid.RepetitionCount(32); ++r) {
    std::string code = pid.Get(32, r, 1);
    if (code.size() == 6 && code.starts_with("NSTS") && AllDigits(code.substr(4))) {
      patient.nhs_number_status = code.substr(4);
      break;
    }
  }

  patient.name = ReadName(pid, 5);
  if (patient.name.family.empty()) {
    return ContentError(Hl7ErrorCode::kRequiredFieldMissing, pid.Location(5, 1, 1),
                        "PID-5 (patient name) has no family name");
  }
  auto dob = ReadDate(pid, 7, "date of birth");
  if (!dob.ok()) return dob.error();
  patient.date_of_birth = *dob;

  const std::string sex_code = pid.Get(8);
  auto sex = SexFromHl7(sex_code);
  if (!sex) {
    return ContentError(
        Hl7ErrorCode::kTableValueNotFound, pid.Location(8),
        fmt::format("PID-8 sex '{}' is not in HL7 table 0001 (M, F, O, U, A, N)", sex_code));
  }
  patient.sex = *sex;
  patient.address = ReadAddress(pid, 11);
  ReadPhones(pid, {13, 14}, patient.phone, &patient.mobile_phone);
  return patient;
}

Hl7Result<Hl7Provider> ParseProvider(const Hl7Segment& prd) {
  Hl7Provider provider;
  provider.role = prd.Get(1, 1, 1);
  provider.role_text = prd.Get(1, 1, 2);
  if (provider.role.empty()) {
    return ContentError(Hl7ErrorCode::kRequiredFieldMissing, prd.Location(1),
                        fmt::format("PRD-1 (provider role) is empty in PRD segment {}: expected "
                                    "RP (referring) or RT (referred to), HL7 table 0286",
                                    prd.sequence()));
  }
  provider.name = ReadName(prd, 2);
  provider.address = ReadAddress(prd, 3);
  provider.location = prd.Get(4, 1, 4, 1);
  if (provider.location.empty()) provider.location = prd.Get(4, 1, 9);
  ReadPhones(prd, {5}, provider.phone, nullptr);
  for (int r = 1; r <= prd.RepetitionCount(7); ++r) {
    Hl7Identifier id{prd.Get(7, r, 1), prd.Get(7, r, 3), prd.Get(7, r, 2)};
    if (!id.id.empty()) provider.identifiers.push_back(std::move(id));
  }
  provider.organisation_name = prd.Get(10, 1, 1);
  provider.organisation_id = prd.Get(10, 1, 10);
  if (provider.organisation_id.empty()) provider.organisation_id = prd.Get(10, 1, 3);
  return provider;
}

Hl7Result<Hl7Referral> ParseRefMessage(const Hl7Message& message, const RefParseOptions& options) {
  auto event = CheckSupportedMessage(message);
  if (!event.ok()) return event.error();

  const Hl7Segment& msh = message.header();
  Hl7Referral ref;
  ref.event = *event;
  ref.trigger_event = message.TriggerEvent();
  ref.control_id = message.ControlId();
  if (ref.control_id.empty()) {
    return Rejection(Hl7ErrorCode::kRequiredFieldMissing, msh.Location(10),
                     "MSH-10 (message control id) is empty: each message needs a unique id so "
                     "that its acknowledgment can be matched");
  }
  const std::string processing = message.ProcessingId();
  if (std::find(options.processing_ids.begin(), options.processing_ids.end(), processing) ==
      options.processing_ids.end()) {
    return Rejection(Hl7ErrorCode::kUnsupportedProcessingId, msh.Location(11),
                     fmt::format("MSH-11 processing id '{}' is not accepted by this interface "
                                 "(accepted: {})",
                                 processing, fmt::join(options.processing_ids, ", ")));
  }
  ref.version = message.VersionId();
  if (ref.version.empty()) {
    return Rejection(Hl7ErrorCode::kRequiredFieldMissing, msh.Location(12),
                     "MSH-12 (version id) is empty: expected an HL7 v2 version such as 2.5");
  }
  if (!IsHl7V2Version(ref.version)) {
    return Rejection(Hl7ErrorCode::kUnsupportedVersionId, msh.Location(12),
                     fmt::format("MSH-12 version '{}' is not supported: this interface reads "
                                 "HL7 v2.1 to v2.9",
                                 ref.version));
  }
  ref.sending_application = msh.Get(3, 1, 1);
  ref.sending_facility = msh.Get(4, 1, 1);
  ref.receiving_application = msh.Get(5, 1, 1);
  ref.receiving_facility = msh.Get(6, 1, 1);

  const Hl7Segment* rf1 = message.Find("RF1");
  if (rf1 == nullptr) {
    return ContentError(Hl7ErrorCode::kSegmentSequenceError, Hl7Location{"RF1", 1},
                        "RF1 segment missing: a referral needs RF1 with its priority (RF1-2) and "
                        "referral id (RF1-6)");
  }
  const Hl7Segment* pid = message.Find("PID");
  if (pid == nullptr) {
    return ContentError(Hl7ErrorCode::kSegmentSequenceError, Hl7Location{"PID", 1},
                        "PID segment missing: a referral needs the patient's PID segment");
  }

  ref.status = rf1->Get(1, 1, 1);
  ref.priority_code = rf1->Get(2, 1, 1);
  if (ref.priority_code.empty()) {
    if (ref.event != ReferralEventKind::kCancel) {
      return ContentError(Hl7ErrorCode::kRequiredFieldMissing, rf1->Location(2, 1, 1),
                          "RF1-2 (referral priority) is empty: expected R (routine), A (ASAP), "
                          "S (STAT) or an e-RS priority (ROUTINE, URGENT, TWO_WEEK_WAIT)");
    }
  } else {
    ref.priority = PriorityFromHl7(ref.priority_code);
    if (!ref.priority) {
      return ContentError(Hl7ErrorCode::kTableValueNotFound, rf1->Location(2, 1, 1),
                          fmt::format("RF1-2 referral priority '{}' is not known: expected R "
                                      "(routine), A (ASAP), S (STAT) or an e-RS priority "
                                      "(ROUTINE, URGENT, TWO_WEEK_WAIT)",
                                      ref.priority_code));
    }
  }
  ref.referral_type = rf1->Get(3, 1, 1);
  ref.referral_category = rf1->Get(5, 1, 1);

  const std::string originating = rf1->Get(6, 1, 1);
  ref.referral_id_namespace = rf1->Get(6, 1, 2);
  if (originating.empty()) {
    return ContentError(Hl7ErrorCode::kRequiredFieldMissing, rf1->Location(6, 1, 1),
                        "RF1-6 (originating referral identifier) is empty: send the e-RS UBRN "
                        "or your own referral id");
  }
  std::string digits;
  for (char c : originating) {
    if (c != ' ' && c != '-') digits.push_back(c);
  }
  const std::string ns = Upper(ref.referral_id_namespace);
  const bool marked_ubrn = ns == "UBRN" || ns == "ERS" || ns == "E-RS";
  if (digits.size() == 12 && AllDigits(digits)) {
    ref.ubrn = digits;
  } else if (marked_ubrn) {
    return ContentError(Hl7ErrorCode::kDataTypeError, rf1->Location(6, 1, 1),
                        fmt::format("RF1-6 '{}' is marked as a UBRN ({}) but a UBRN is 12 digits",
                                    originating, ref.referral_id_namespace));
  } else {
    ref.referral_id = originating;
  }

  for (auto [field, target, what] : {std::tuple{7, &ref.effective_date, "effective date"},
                                     std::tuple{8, &ref.expiration_date, "expiration date"},
                                     std::tuple{9, &ref.process_date, "process date"}}) {
    auto date = ReadDate(*rf1, field, what);
    if (!date.ok()) return date.error();
    *target = *date;
  }
  ref.reason_code = rf1->Get(10, 1, 1);
  ref.reason_text = rf1->Get(10, 1, 2);
  ref.external_referral_id = rf1->Get(11, 1, 1);

  if (const Hl7Segment* pv1 = message.Find("PV1")) ref.specialty = pv1->Get(10, 1, 1);

  auto patient = ParsePatient(*pid);
  if (!patient.ok()) return patient.error();
  ref.patient = std::move(patient).value();
  if (options.require_nhs_number && ref.patient.nhs_number.empty()) {
    return ContentError(Hl7ErrorCode::kRequiredFieldMissing, pid->Location(3),
                        "PID-3 has no NHS number: send it as a repetition such as "
                        "9434765919^^^NHS^NH");
  }
  for (const Hl7Segment* prd : message.FindAll("PRD")) {
    auto provider = ParseProvider(*prd);
    if (!provider.ok()) return provider.error();
    ref.providers.push_back(std::move(provider).value());
  }
  return ref;
}

ReferralInput ToReferralInput(const Hl7Referral& ref, Date received_on) {
  ReferralInput in;
  in.source = ReferralSource::kHl7;
  in.event = ref.event;
  in.ubrn = ref.ubrn;
  if (ref.ubrn.empty()) {
    in.local_id = ref.referral_id;
    in.local_id_system =
        ref.referral_id_namespace.empty() ? ref.sending_facility : ref.referral_id_namespace;
  }
  const Hl7Patient& p = ref.patient;
  in.nhs_number = p.nhs_number;
  in.nhs_number_status = p.nhs_number_status;
  in.mrn = p.mrn.id;
  in.mrn_system = p.mrn.authority;
  in.title = p.name.prefix;
  in.family_name = p.name.family;
  if (!p.name.given.empty()) in.given_names.push_back(p.name.given);
  if (!p.name.middle.empty()) in.given_names.push_back(p.name.middle);
  in.date_of_birth = p.date_of_birth;
  in.sex = p.sex;
  in.address_lines = p.address.lines;
  in.postcode = p.address.postcode;
  in.phone = p.phone;
  in.mobile_phone = p.mobile_phone;

  in.priority = ref.priority;
  in.specialty = ref.specialty;
  in.reason = ref.reason_code;
  if (const Hl7Provider* referrer = ref.ReferringProvider()) {
    if (!referrer->identifiers.empty()) in.referrer_code = referrer->identifiers.front().id;
    in.referrer_name = referrer->name.Display();
    in.referrer_org_code = referrer->organisation_id;
    in.referrer_org_name =
        referrer->organisation_name.empty() ? referrer->location : referrer->organisation_name;
    in.referrer_address_lines = referrer->address.lines;
    in.referrer_postcode = referrer->address.postcode;
  }
  in.received_date = ref.effective_date ? ref.effective_date : std::optional<Date>(received_on);
  in.clock_start_date = in.received_date;
  return in;
}

}  // namespace hub::ers
