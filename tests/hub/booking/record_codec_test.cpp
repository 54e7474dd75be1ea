// The persistence format of BookingState: every record round-trips with its optional fields set
// and unset; stored bytes that are damaged in any way are a Corruption naming the field, never a
// crash; and a state saved row by row — as a snapshot or decision by decision through
// EncodeChanged — loads into a fresh engine that then decides exactly as the original does.
#include "hub/booking/record_codec.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <rapidcheck.h>

#include <algorithm>
#include <functional>
#include <map>
#include <vector>

#include "booking_fixtures.hpp"
#include "hub/wire/msgpack_map.hpp"

namespace hub::booking {
namespace {

using testing::D;
using testing::MakeReferral;
using testing::MakeTemplate;
using testing::MustApply;
using testing::TestNhsNumber;

// ---------------------------------------------------------------- sample records

Patient FullPatient() {
  Patient p;
  p.nhs_number = TestNhsNumber(3);
  p.mrn = "RX1-0042917";
  p.title = "Mrs";
  p.given_name = "Siân";
  p.family_name = "Ní Bhraonáin";
  p.birth_date = D("1958-02-28");
  p.address = {{"Flat 2", "14 Kirkgate", "Wakefield"}, "WF1 1HQ"};
  p.phone = "0113 496 0123";
  p.mobile = "07700 900123";
  p.gp_practice_code = "B86001";
  return p;
}

Patient MinimalPatient() {
  Patient p;
  p.nhs_number = TestNhsNumber(4);
  p.given_name = "Zoë";
  p.family_name = "Okafor";
  p.birth_date = D("2019-11-30");
  p.address = {{"3 Mill Lane"}, "LS6 2AB"};
  return p;
}

// Referrals as the engine stores them: the patient record carries only the NHS number.
Referral FullReferral() {
  Referral r = MakeReferral("000000070000", Priority::kTwoWeekWait, D("2025-01-02"), 3);
  r.patient = Patient{};
  r.patient.nhs_number = TestNhsNumber(3);
  r.local_id = "NGH-REF-000017";
  r.source = ReferralSource::kErs;
  r.ers_pathway_start = D("2024-12-20");
  r.contact_by = D("2025-01-07");
  r.needs_triage = true;
  r.short_notice_agreed = true;
  r.original_referral_id = "000000060000";
  r.original_received_date = D("2024-12-01");
  r.status = ReferralStatus::kReturnedToReferrer;
  r.pathway_id = "000000060000";
  return r;
}

Referral MinimalReferral() {
  Referral r = MakeReferral("", Priority::kRoutine, D("2025-01-02"), 4);
  r.patient = Patient{};
  r.patient.nhs_number = TestNhsNumber(4);
  r.local_id = "NGH-REF-000018";
  r.source = ReferralSource::kPaper;
  r.referrer.organisation_code.clear();
  r.referrer.organisation_name.clear();
  r.status = ReferralStatus::kAccepted;
  r.pathway_id.clear();
  return r;
}

Pathway FullPathway() {
  Pathway p("000000070000", TestNhsNumber(3), "DERMATOLOGY");
  p.AddReferral("000000070000");
  p.AddReferral("000000070001");
  REQUIRE(p.StartClock(D("2024-06-03"), RttStatus::kFirstActivity, "ERS referral").ok());
  REQUIRE(p.NullifyClock(D("2024-07-01"), "first appointment DNA").ok());
  REQUIRE(p.StartClock(D("2024-07-08"), RttStatus::kFirstActivity, "rebooked after DNA").ok());
  REQUIRE(p.StopClock(D("2024-09-02"), RttStatus::kActiveMonitoringClinician, "").ok());
  REQUIRE(p.StartClock(D("2024-12-02"), RttStatus::kActiveMonitoringEnded, "continues").ok());
  return p;
}

Pathway MinimalPathway() {
  Pathway p("NGH-REF-000018", TestNhsNumber(4), "CARDIOLOGY");
  REQUIRE(p.StartClock(D("2025-01-02"), RttStatus::kFirstActivity, "").ok());
  return p;
}

WaitingListEntry FullEntry() {
  WaitingListEntry e;
  e.entry_id = "000000070000-FU1";
  e.referral_id = "000000070000";
  e.pathway_id = "000000060000";
  e.nhs_number = TestNhsNumber(3);
  e.kind = EntryKind::kFollowUp;
  e.priority = Priority::kUrgent;
  e.specialty = "DERMATOLOGY";
  e.clinic_type = "SKIN_LESION";
  e.clock_start = D("2024-12-20");
  e.added_date = D("2025-01-02");
  e.due_date = D("2025-03-01");
  e.status = EntryStatus::kBooked;
  e.appointment_id = "DERM01-20250303-0930-1";
  e.contact_by = D("2025-01-07");
  e.contact_task_raised = true;
  e.available_from = D("2025-02-10");
  e.short_notice_agreed = true;
  e.reasonable_offers_declined = 1;
  e.consecutive_patient_cancellations = 2;
  e.hospital_cancellations = 3;
  e.acknowledged = true;
  e.review_reason = ReviewReason::kLaterDna;
  e.dna_date = D("2025-01-20");
  return e;
}

WaitingListEntry MinimalEntry() {
  WaitingListEntry e;
  e.entry_id = "NGH-REF-000018";
  e.referral_id = "NGH-REF-000018";
  e.pathway_id = "NGH-REF-000018";
  e.nhs_number = TestNhsNumber(4);
  e.specialty = "CARDIOLOGY";
  e.clinic_type = "GENERAL";
  e.clock_start = D("2025-01-02");
  e.added_date = D("2025-01-02");
  return e;
}

ClinicTemplate FullTemplate() {
  ClinicTemplate t = MakeTemplate(
      "DERM01", 1, D("2025-01-06"),
      {SlotType::kTwoWeekWait, SlotType::kUrgent, SlotType::kNew, SlotType::kFollowUp});
  t.specialty = "DERMATOLOGY";
  t.clinic_type = "SKIN_LESION";
  t.slots[0].capacity = 2;
  t.slots[0].release_days = 3;
  t.effective_to = D("2025-06-30");
  t.booking_horizon_weeks = 16;
  t.release_days = 2;
  return t;
}

Clinic FullClinic() {
  Clinic c;
  c.AddVersion(FullTemplate());
  ClinicTemplate later = FullTemplate();
  later.effective_from = D("2025-03-03");
  later.effective_to.reset();
  later.clinic_name.clear();
  later.room.clear();
  later.end_minutes = 24 * 60;  // a session to midnight is valid (ValidateTemplate)
  c.AddVersion(later);
  c.cancelled_sessions = {D("2025-01-13"), D("2025-02-17")};
  c.generated_until = D("2025-05-26");
  return c;
}

Clinic MinimalClinic() {
  Clinic c;
  ClinicTemplate t = MakeTemplate("CARD01", 3, D("2025-01-01"), {SlotType::kNew});
  t.clinic_name.clear();
  t.room.clear();
  c.AddVersion(t);
  return c;
}

Slot FullSlot() {
  Slot s;
  s.slot_id = "DERM01-20250303-0930";
  s.clinic_code = "DERM01";
  s.specialty = "DERMATOLOGY";
  s.clinic_type = "SKIN_LESION";
  s.date = D("2025-03-03");
  s.start_minutes = 9 * 60 + 30;
  s.start_ms = LondonLocalToUtcMs(s.date, s.start_minutes);
  s.length_minutes = 20;
  s.type = SlotType::kTwoWeekWait;
  s.capacity = 2;
  s.booked = 1;
  s.release_days = 3;
  s.cancelled = true;
  s.next_booking_seq = 4;
  return s;
}

Slot MinimalSlot() {
  Slot s;
  s.slot_id = "CARD01-20250108-0000";
  s.clinic_code = "CARD01";
  s.specialty = "CARDIOLOGY";
  s.clinic_type = "GENERAL";
  s.date = D("2025-01-08");
  s.start_ms = LondonLocalToUtcMs(s.date, 0);
  s.length_minutes = 15;
  s.type = SlotType::kNew;
  s.capacity = 0;  // every place withdrawn by the hospital
  return s;
}

Appointment FullAppointment() {
  Appointment a;
  a.appointment_id = "DERM01-20250303-0930-3";
  a.entry_id = "000000070000";
  a.pathway_id = "000000060000";
  a.nhs_number = TestNhsNumber(3);
  a.slot_id = "DERM01-20250303-0930";
  a.clinic_code = "DERM01";
  a.date = D("2025-03-03");
  a.start_minutes = 9 * 60 + 30;
  a.start_ms = LondonLocalToUtcMs(a.date, a.start_minutes);
  a.length_minutes = 20;
  a.booked_on = D("2025-01-06");
  a.short_notice_agreed = true;
  a.status = AppointmentStatus::kRescheduled;
  a.reason = "patient asked for a later date";
  a.letter_id = "LTR-0000000012";
  a.letter_returned = true;
  a.rescheduled_to = "DERM01-20250310-0930-1";
  return a;
}

Appointment MinimalAppointment() {
  Appointment a = FullAppointment();
  a.short_notice_agreed = false;
  a.status = AppointmentStatus::kBooked;
  a.reason.clear();
  a.letter_id.clear();
  a.letter_returned = false;
  a.rescheduled_to.clear();
  return a;
}

std::vector<PendingChange> PendingChanges() {
  PendingChange version;
  version.change_id = "DERM01-20250303";
  version.kind = TemplateChangeKind::kNewVersion;
  version.clinic_code = "DERM01";
  version.tmpl = FullTemplate();
  version.reason = "consultant job plan";
  version.comment = "approved at the March template panel";
  version.requested_by = "ops.manager";
  version.requested_on = D("2025-01-06");
  PendingChange session;
  session.change_id = "CX1";
  session.kind = TemplateChangeKind::kCancelSession;
  session.clinic_code = "CARD01";
  session.session_date = D("2025-01-29");
  session.requested_on = D("2025-01-06");
  PendingChange end;
  end.change_id = "CX2";
  end.kind = TemplateChangeKind::kEndClinic;
  end.clinic_code = "CARD01";
  end.effective_to = D("2025-02-05");
  end.reason = "CLINIC_CANCELLED";
  end.requested_on = D("2025-01-07");
  return {version, session, end};
}

LetterRecord FullLetter() {
  return LetterRecord{"LTR-0000000012", LetterKind::kReschedule, LetterRecipient::kReferrer,
                      TestNhsNumber(3), "000000070000",          "DERM01-20250303-0930-3",
                      D("2025-01-06"),  LetterStatus::kReturned, "R07 No such address"};
}

LetterRecord MinimalLetter() {
  return LetterRecord{"LTR-0000000013",
                      LetterKind::kAcknowledgement,
                      LetterRecipient::kPatient,
                      TestNhsNumber(4),
                      "NGH-REF-000018",
                      "",
                      D("2025-01-06"),
                      LetterStatus::kRequested,
                      ""};
}

StateMeta FullMeta() {
  return StateMeta{4711,
                   D("2025-01-06"),
                   {{"CARDIOLOGY|GENERAL|ROUTINE|NO_SLOT", D("2025-01-06")},
                    {"DERMATOLOGY|SKIN_LESION|TWO_WEEK_WAIT|BEYOND_TARGET", D("2025-01-03")}}};
}

// ---------------------------------------------------------------- byte helpers

std::string Packed(const msgpack::object& o) {
  msgpack::sbuffer b;
  msgpack::pack(b, o);
  return std::string(b.data(), b.size());
}

std::string PackedDouble(double d) {
  msgpack::sbuffer b;
  msgpack::pack(b, d);
  return std::string(b.data(), b.size());
}

std::vector<std::string> TopLevelKeys(std::string_view bytes) {
  auto doc = wire::Document::Parse(bytes);
  REQUIRE(doc.ok());
  std::vector<std::string> keys;
  const auto& map = doc->root().via.map;
  for (std::uint32_t i = 0; i < map.size; ++i) {
    keys.emplace_back(map.ptr[i].key.via.str.ptr, map.ptr[i].key.via.str.size);
  }
  return keys;
}

// The record with `key` removed (value nullopt) or its value replaced by msgpack `value`.
std::string Edit(std::string_view bytes, std::string_view key, std::optional<std::string> value) {
  auto doc = wire::Document::Parse(bytes);
  REQUIRE(doc.ok());
  const auto& map = doc->root().via.map;
  wire::MapWriter w;
  for (std::uint32_t i = 0; i < map.size; ++i) {
    std::string k(map.ptr[i].key.via.str.ptr, map.ptr[i].key.via.str.size);
    if (k != key) {
      w.Raw(k, Packed(map.ptr[i].val));
    } else if (value) {
      w.Raw(k, *value);
    }
  }
  return w.Finish();
}

// Every decoder, by record name, returning just the status.
const std::map<std::string, std::function<Status(std::string_view)>>& Decoders() {
  static const std::map<std::string, std::function<Status(std::string_view)>> d = {
      {"patient", [](std::string_view b) { return DecodePatient(b).status(); }},
      {"referral", [](std::string_view b) { return DecodeReferral(b).status(); }},
      {"pathway", [](std::string_view b) { return DecodePathway(b).status(); }},
      {"entry", [](std::string_view b) { return DecodeEntry(b).status(); }},
      {"clinic", [](std::string_view b) { return DecodeClinic(b).status(); }},
      {"slot", [](std::string_view b) { return DecodeSlot(b).status(); }},
      {"appointment", [](std::string_view b) { return DecodeAppointment(b).status(); }},
      {"pending_change", [](std::string_view b) { return DecodePendingChange(b).status(); }},
      {"letter", [](std::string_view b) { return DecodeLetterRecord(b).status(); }},
      {"meta", [](std::string_view b) { return DecodeStateMeta(b).status(); }},
  };
  return d;
}

// One encoded sample of every record type (optional fields set), by record name.
std::vector<std::pair<std::string, std::string>> Samples() {
  return {{"patient", EncodePatient(FullPatient())},
          {"referral", EncodeReferral(FullReferral())},
          {"pathway", EncodePathway(FullPathway())},
          {"entry", EncodeEntry(FullEntry())},
          {"clinic", EncodeClinic(FullClinic())},
          {"slot", EncodeSlot(FullSlot())},
          {"appointment", EncodeAppointment(FullAppointment())},
          {"pending_change", EncodePendingChange(PendingChanges()[0])},
          {"letter", EncodeLetterRecord(FullLetter())},
          {"meta", EncodeStateMeta(FullMeta())}};
}

template <typename T, typename Enc, typename Dec>
void CheckRoundTrip(const T& value, Enc encode, Dec decode) {
  auto back = decode(encode(value));
  REQUIRE_MESSAGE(back.ok(), back.status().ToString());
  CHECK(*back == value);
  CHECK(encode(*back) == encode(value));  // stable bytes
}

// ---------------------------------------------------------------- round trips

TEST_CASE("every record type round-trips with its optional fields set and unset") {
  CheckRoundTrip(FullPatient(), EncodePatient, DecodePatient);
  CheckRoundTrip(MinimalPatient(), EncodePatient, DecodePatient);
  CheckRoundTrip(FullReferral(), EncodeReferral, DecodeReferral);
  CheckRoundTrip(MinimalReferral(), EncodeReferral, DecodeReferral);
  CheckRoundTrip(FullPathway(), EncodePathway, DecodePathway);
  CheckRoundTrip(MinimalPathway(), EncodePathway, DecodePathway);
  CheckRoundTrip(FullEntry(), EncodeEntry, DecodeEntry);
  CheckRoundTrip(MinimalEntry(), EncodeEntry, DecodeEntry);
  CheckRoundTrip(FullClinic(), EncodeClinic, DecodeClinic);
  CheckRoundTrip(MinimalClinic(), EncodeClinic, DecodeClinic);
  CheckRoundTrip(FullSlot(), EncodeSlot, DecodeSlot);
  CheckRoundTrip(MinimalSlot(), EncodeSlot, DecodeSlot);
  CheckRoundTrip(FullAppointment(), EncodeAppointment, DecodeAppointment);
  CheckRoundTrip(MinimalAppointment(), EncodeAppointment, DecodeAppointment);
  for (const auto& c : PendingChanges()) {
    CheckRoundTrip(c, EncodePendingChange, DecodePendingChange);
  }
  CheckRoundTrip(FullLetter(), EncodeLetterRecord, DecodeLetterRecord);
  CheckRoundTrip(MinimalLetter(), EncodeLetterRecord, DecodeLetterRecord);
  CheckRoundTrip(FullMeta(), EncodeStateMeta, DecodeStateMeta);
  CheckRoundTrip(StateMeta{}, EncodeStateMeta, DecodeStateMeta);
}

TEST_CASE("every enumerator round-trips") {
  for (auto s : {EntryStatus::kAwaitingTriage, EntryStatus::kWaiting, EntryStatus::kBooked,
                 EntryStatus::kRebooking, EntryStatus::kClinicalReview, EntryStatus::kCompleted,
                 EntryStatus::kRemoved}) {
    for (auto r : {ReviewReason::kNone, ReviewReason::kDeclinedOffers, ReviewReason::kPatientDelay,
                   ReviewReason::kPatientCancellations, ReviewReason::kFirstDna,
                   ReviewReason::kLaterDna, ReviewReason::kLateNotSeen}) {
      WaitingListEntry e = MinimalEntry();
      e.status = s;
      e.review_reason = r;
      CheckRoundTrip(e, EncodeEntry, DecodeEntry);
    }
  }
  for (int code = 1; code <= 8; ++code) {
    Appointment a = MinimalAppointment();
    a.status = static_cast<AppointmentStatus>(code);
    CheckRoundTrip(a, EncodeAppointment, DecodeAppointment);
  }
  for (int kind = 1; kind <= 8; ++kind) {
    for (int status = 1; status <= 12; ++status) {
      LetterRecord l = MinimalLetter();
      l.kind = static_cast<LetterKind>(kind);
      l.status = static_cast<LetterStatus>(status);
      l.recipient = status % 2 ? LetterRecipient::kPatient : LetterRecipient::kReferrer;
      CheckRoundTrip(l, EncodeLetterRecord, DecodeLetterRecord);
    }
  }
  for (auto source : {ReferralSource::kErs, ReferralSource::kPaper, ReferralSource::kHl7,
                      ReferralSource::kSelf}) {
    Referral r = MinimalReferral();
    r.source = source;
    r.status = ReferralStatus::kAwaitingTriage;
    CheckRoundTrip(r, EncodeReferral, DecodeReferral);
  }
  for (RecordKind k : kAllRecordKinds) {
    auto parsed = ParseRecordKind(RecordKindName(k));
    REQUIRE(parsed.ok());
    CHECK(*parsed == k);
  }
  CHECK(ParseRecordKind("patient").status().code() == StatusCode::kCorruption);
}

TEST_CASE("the stored formats are maps with named keys and upper-case enums") {
  auto keys = TopLevelKeys(EncodeEntry(FullEntry()));
  CHECK(keys.front() == "v");
  CHECK(std::count(keys.begin(), keys.end(), "review_reason") == 1);
  auto doc = wire::Document::Parse(EncodeEntry(FullEntry()));
  REQUIRE(doc.ok());
  auto r = wire::MapReader::Of(doc->root());
  REQUIRE(r.ok());
  std::string text;
  REQUIRE(r->Str("priority", &text).ok());
  CHECK(text == "URGENT");
  REQUIRE(r->Str("clock_start", &text).ok());
  CHECK(text == "2024-12-20");
  // Unset optional values and empty strings are left out.
  auto minimal = TopLevelKeys(EncodeEntry(MinimalEntry()));
  for (const char* absent : {"due_date", "appointment_id", "contact_by", "available_from",
                             "review_reason", "dna_date"}) {
    CHECK_MESSAGE(std::count(minimal.begin(), minimal.end(), absent) == 0, absent);
  }
  // A clinic's versions are template.upsert bodies ("HH:MM" times, ISO weekday).
  auto clinic = wire::Document::Parse(EncodeClinic(MinimalClinic()));
  REQUIRE(clinic.ok());
  auto c = wire::MapReader::Of(clinic->root());
  std::vector<const msgpack::object*> versions;
  REQUIRE(c->Array("versions", &versions).ok());
  REQUIRE(versions.size() == 1);
  auto v = wire::MapReader::Of(*versions[0]);
  REQUIRE(v->Str("start", &text).ok());
  CHECK(text == "09:00");
}

// ---------------------------------------------------------------- damaged rows

TEST_CASE("a missing required field is Corruption naming it; optional fields may be absent") {
  for (const auto& [what, bytes] : Samples()) {
    for (const auto& key : TopLevelKeys(bytes)) {
      Status s = Decoders().at(what)(Edit(bytes, key, std::nullopt));
      if (s.ok()) continue;  // an optional field
      CAPTURE(what);
      CAPTURE(key);
      CHECK(s.code() == StatusCode::kCorruption);
      CHECK(s.field().rfind(what + "." + key, 0) == 0);
    }
  }
  CHECK(DecodePatient(Edit(EncodePatient(FullPatient()), "birth_date", std::nullopt))
            .status()
            .field() == "patient.birth_date");
  CHECK(DecodeSlot(Edit(EncodeSlot(FullSlot()), "capacity", std::nullopt)).status().field() ==
        "slot.capacity");
}

TEST_CASE("a field of the wrong type is Corruption naming it") {
  for (const auto& [what, bytes] : Samples()) {
    for (const auto& key : TopLevelKeys(bytes)) {
      Status s = Decoders().at(what)(Edit(bytes, key, PackedDouble(1.5)));
      CAPTURE(what);
      CAPTURE(key);
      REQUIRE_FALSE(s.ok());
      CHECK(s.code() == StatusCode::kCorruption);
      CHECK(s.field().rfind(what + "." + key, 0) == 0);
    }
  }
}

std::string PackedStr(std::string_view s) {
  msgpack::sbuffer b;
  msgpack::packer<msgpack::sbuffer> p(b);
  p.pack_str(static_cast<std::uint32_t>(s.size()));
  p.pack_str_body(s.data(), static_cast<std::uint32_t>(s.size()));
  return std::string(b.data(), b.size());
}

std::string PackedUint(std::uint64_t v) {
  msgpack::sbuffer b;
  msgpack::pack(b, v);
  return std::string(b.data(), b.size());
}

TEST_CASE("values the engine never writes are refused with the field and the reason") {
  auto entry = EncodeEntry(FullEntry());
  Status s = DecodeEntry(Edit(entry, "priority", PackedStr("SOON"))).status();
  CHECK(s.code() == StatusCode::kCorruption);
  CHECK(s.field() == "entry.priority");
  CHECK(s.message().find("'SOON' is not one of ROUTINE, URGENT, TWO_WEEK_WAIT") !=
        std::string::npos);
  CHECK(DecodeEntry(Edit(entry, "priority", PackedStr("UNSPECIFIED"))).status().field() ==
        "entry.priority");
  CHECK(DecodeEntry(Edit(entry, "review_reason", PackedStr("NONE"))).status().field() ==
        "entry.review_reason");
  CHECK(DecodeEntry(Edit(entry, "clock_start", PackedStr("2025-02-30"))).status().field() ==
        "entry.clock_start");
  CHECK(DecodeEntry(Edit(entry, "entry_id", PackedStr(""))).status().field() == "entry.entry_id");
  CHECK(DecodeSlot(Edit(EncodeSlot(FullSlot()), "time", PackedStr("9:30"))).status().field() ==
        "slot.time");
  CHECK(DecodePatient(Edit(EncodePatient(FullPatient()), "nhs_number", PackedStr("9990000019")))
            .status()
            .field() == "patient.nhs_number");
  // A row written by a newer hub is refused, not half-read.
  s = DecodePatient(Edit(EncodePatient(FullPatient()), "v", PackedUint(2))).status();
  CHECK(s.field() == "patient.v");
  CHECK(s.message().find("newer hub") != std::string::npos);
  // Not a map, empty, truncated, trailing bytes.
  CHECK(DecodeSlot(PackedStr("slot")).status().code() == StatusCode::kCorruption);
  CHECK(DecodeSlot("").status().code() == StatusCode::kCorruption);
  auto slot = EncodeSlot(FullSlot());
  CHECK(DecodeSlot(slot.substr(0, slot.size() - 1)).status().code() == StatusCode::kCorruption);
  CHECK(DecodeSlot(slot + "x").status().code() == StatusCode::kCorruption);
}

TEST_CASE("records the engine could not act on are refused") {
  SUBCASE("a pathway whose clock events do not replay") {
    wire::MapWriter stop;
    stop.Str("kind", "STOP").Str("date", "2025-01-02").Int("status", 30);
    auto bytes = Edit(EncodePathway(MinimalPathway()), "events", "\x91" + stop.Finish());  // [stop]
    Status s = DecodePathway(bytes).status();
    CHECK(s.code() == StatusCode::kCorruption);
    CHECK(s.field().rfind("pathway.events[0]", 0) == 0);
    wire::MapWriter odd;
    odd.Str("kind", "START").Str("date", "2025-01-02").Int("status", 33);
    CHECK(DecodePathway(Edit(bytes, "events", "\x91" + odd.Finish())).status().field() ==
          "pathway.events[0].status");
    wire::MapWriter unknown;
    unknown.Str("kind", "START").Str("date", "2025-01-02").Int("status", 13);
    CHECK(DecodePathway(Edit(bytes, "events", "\x91" + unknown.Finish())).status().field() ==
          "pathway.events[0].status");
  }
  SUBCASE("a template change without the value its kind needs") {
    auto changes = PendingChanges();
    CHECK(DecodePendingChange(Edit(EncodePendingChange(changes[0]), "template", std::nullopt))
              .status()
              .field() == "pending_change.template");
    CHECK(DecodePendingChange(Edit(EncodePendingChange(changes[1]), "session_date", std::nullopt))
              .status()
              .field() == "pending_change.session_date");
    CHECK(DecodePendingChange(Edit(EncodePendingChange(changes[2]), "effective_to", std::nullopt))
              .status()
              .field() == "pending_change.effective_to");
  }
  SUBCASE("a clinic without versions, or with versions out of order") {
    CHECK(DecodeClinic(Edit(EncodeClinic(MinimalClinic()), "versions", "\x90")).status().field() ==
          "clinic.versions");
    Clinic c = FullClinic();
    std::swap(c.versions[0], c.versions[1]);
    CHECK(DecodeClinic(EncodeClinic(c)).status().field() == "clinic.versions[1].effective_from");
    Clinic other = MinimalClinic();
    other.clinic_code = "CARD02";
    CHECK(DecodeClinic(EncodeClinic(other)).status().field() == "clinic.versions[0].clinic_code");
  }
  SUBCASE("a template version ValidateTemplate refuses names the version's field") {
    Clinic c = MinimalClinic();
    c.versions[0].slots[0].capacity = 0;
    Status s = DecodeClinic(EncodeClinic(c)).status();
    CHECK(s.code() == StatusCode::kCorruption);
    CHECK(s.field() == "clinic.versions[0].slots[0].capacity");
    c = MinimalClinic();
    c.versions[0].weekday = 9;
    CHECK(DecodeClinic(EncodeClinic(c)).status().field() == "clinic.versions[0].weekday");
  }
  SUBCASE("a clinic the engine ended the day before it started still loads") {
    Clinic c = MinimalClinic();
    c.versions[0].effective_to = AddDays(c.versions[0].effective_from, -1);
    CheckRoundTrip(c, EncodeClinic, DecodeClinic);
    c.versions[0].effective_to = AddDays(c.versions[0].effective_from, -2);
    CHECK(DecodeClinic(EncodeClinic(c)).status().field() == "clinic.versions[0].effective_to");
  }
}

TEST_CASE("damaged bytes of any record never crash a decoder") {
  // Every truncation, and every byte replaced by a few values (ASan and UBSan watch the rest).
  // Bytes of one kind read as another are covered by AddRecord below.
  std::size_t decoded = 0;
  for (const auto& [what, bytes] : Samples()) {
    for (std::size_t n = 0; n < bytes.size(); ++n) {
      decoded += Decoders().at(what)(bytes.substr(0, n)).ok();
    }
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      for (unsigned char b : {0x00, 0xc1, 0xdd, 0xff}) {  // 0xc1 is never used; 0xdd a big array
        std::string damaged = bytes;
        damaged[i] = static_cast<char>(b);
        (void)Decoders().at(what)(damaged);
        damaged[i] = static_cast<char>(bytes[i] ^ 0x01);
        (void)Decoders().at(what)(damaged);
      }
    }
  }
  CHECK(decoded == 0);  // no strict prefix of a record is a record
}

// ---------------------------------------------------------------- whole state

TEST_CASE("EncodeChanged writes the changed records and deletes the removed ones") {
  BookingEngine engine;
  const Date today = D("2025-01-06");
  MustApply(
      engine,
      UpsertTemplate{MakeTemplate("CARD01", 3, D("2025-01-01"), {SlotType::kNew}), "", "", ""},
      today);
  auto d = MustApply(engine,
                     RequestTemplateChange{"CX1", "CARD01", TemplateChangeKind::kCancelSession,
                                           D("2025-01-29"), std::nullopt, "", "", "ops"},
                     today);
  REQUIRE(d.pending_approval);
  auto rows = EncodeChanged(engine.state(), d.changed);
  auto pending = std::find_if(rows.begin(), rows.end(), [](const RecordWrite& w) {
    return w.kind == RecordKind::kPendingChange;
  });
  REQUIRE(pending != rows.end());
  CHECK(pending->key == "CX1");
  REQUIRE(pending->bytes);
  CHECK(DecodePendingChange(*pending->bytes)->session_date == D("2025-01-29"));
  CHECK(rows.back().kind == RecordKind::kMeta);  // the approval task took a sequence number
  CHECK(rows.back().key == kMetaKey);

  d = MustApply(engine, ApproveTemplateChange{"CX1", false, "manager", ""}, today);
  rows = EncodeChanged(engine.state(), d.changed);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0] == RecordWrite{RecordKind::kPendingChange, "CX1", std::nullopt});

  // Ordered by kind, then key.
  rows = EncodeAll(engine.state());
  for (std::size_t i = 1; i < rows.size(); ++i) {
    CHECK(std::make_pair(static_cast<int>(rows[i - 1].kind), rows[i - 1].key) <
          std::make_pair(static_cast<int>(rows[i].kind), rows[i].key));
  }
}

TEST_CASE("AddRecord refuses a second row with the same key and leaves the state unchanged") {
  BookingState s;
  REQUIRE(AddRecord(&s, RecordKind::kPatient, EncodePatient(FullPatient())).ok());
  Patient changed = FullPatient();
  changed.given_name = "Someone Else";
  Status dup = AddRecord(&s, RecordKind::kPatient, EncodePatient(changed));
  CHECK(dup.code() == StatusCode::kCorruption);
  CHECK(s.patients.at(FullPatient().nhs_number) == FullPatient());
  // Bytes of one kind stored under another.
  Status wrong = AddRecord(&s, RecordKind::kPatient, EncodeSlot(FullSlot()));
  CHECK(wrong.code() == StatusCode::kCorruption);
  CHECK(s.patients.size() == 1);
  CHECK(AddRecord(&s, static_cast<RecordKind>(99), "").code() == StatusCode::kCorruption);
  REQUIRE(AddRecord(&s, RecordKind::kMeta, EncodeStateMeta(FullMeta())).ok());
  CHECK(MetaOf(s) == FullMeta());
}

// ---------------------------------------------------------------- property: save, load, decide

// rc::gen::inRange scales with the test's size, which would keep early runs to the first few
// kinds of command; at full size every command is as likely in every run.
int Between(int lo, int hi) { return *rc::gen::resize(100, rc::gen::inRange(lo, hi)); }

std::size_t Pick(std::size_t n) {
  return static_cast<std::size_t>(Between(0, static_cast<int>(n)));
}

template <typename Map>
std::vector<std::string> SortedKeys(const Map& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

template <typename T>
const T& PickOf(const std::vector<T>& v) {
  return v[Pick(v.size())];
}

ClinicTemplate RandomTemplate(const std::string& code, Date from) {
  static const SlotType kTypes[] = {SlotType::kNew, SlotType::kNew, SlotType::kUrgent,
                                    SlotType::kTwoWeekWait, SlotType::kFollowUp};
  std::vector<SlotType> types;
  const int n = Between(1, 6);
  for (int i = 0; i < n; ++i) types.push_back(kTypes[Pick(5)]);
  ClinicTemplate t = MakeTemplate(code, static_cast<unsigned>(Between(1, 6)), from, types);
  for (auto& s : t.slots) {
    s.capacity = Between(1, 3);
    if (Between(0, 4) == 0) s.release_days = Between(0, 5);
  }
  t.release_days = Between(0, 4);
  t.booking_horizon_weeks = Between(2, 9);
  if (Between(0, 3) == 0) t.specialty = "DERMATOLOGY";
  if (Between(0, 3) == 0) t.room.clear();
  return t;
}

struct Run {
  BookingEngine engine;
  Date today = D("2025-01-06");
  int next = 1;
  std::vector<std::string> clinics;
  // What the shell's booking.db would hold, kept only through EncodeChanged.
  std::map<std::pair<RecordKind, std::string>, std::string> rows;
  // Referrals with a contact-by date (every e-RS referral has one).
  bool contact_dates = true;
};

std::vector<std::string> Appointments(const BookingState& st, bool future, Date today) {
  std::vector<std::string> out;
  for (const auto& id : SortedKeys(st.appointments)) {
    const Appointment& a = st.appointments.at(id);
    if (a.status != AppointmentStatus::kBooked) continue;
    if (future ? a.date >= today : a.date <= today) out.push_back(id);
  }
  return out;
}

std::vector<std::string> FreeSlots(const BookingState& st, Date today) {
  std::vector<std::string> out;
  for (const auto& [id, s] : st.slots) {
    if (s.free() > 0 && s.date > today) out.push_back(id);
  }
  return out;
}

std::vector<std::string> EntriesIn(const BookingState& st, EntryStatus status) {
  std::vector<std::string> out;
  for (const auto& id : SortedKeys(st.entries)) {
    if (st.entries.at(id).status == status) out.push_back(id);
  }
  return out;
}

// A random command against the run's current state; may advance run.today (a day passing).
Command RandomCommand(Run& run) {
  const BookingState& st = run.engine.state();
  const int op = Between(0, 100);
  if (op < 30 || st.referrals.empty()) {
    static const Priority kP[] = {Priority::kRoutine, Priority::kRoutine, Priority::kUrgent,
                                  Priority::kTwoWeekWait};
    const int n = run.next++;
    int patient = n;
    std::string original;
    if (Between(0, 8) == 0 && !st.referrals.empty()) {
      // A re-referral of an earlier referral's patient (RULES §1.1).
      const Referral& o = st.referrals.at(PickOf(SortedKeys(st.referrals)));
      original = o.Id();
      for (int i = 0; i < run.next; ++i) {
        if (TestNhsNumber(i) == o.patient.nhs_number) patient = i;
      }
    }
    Referral r = MakeReferral(fmt::format("{:012}", n), kP[Pick(4)],
                              AddDays(run.today, -Between(0, 200)), patient);
    r.original_referral_id = original;
    if (Between(0, 4) == 0) {
      r.ubrn.clear();
      r.local_id = fmt::format("NGH-REF-{:06}", n);
      r.source = ReferralSource::kPaper;
    }
    if (!run.contact_dates && r.source == ReferralSource::kErs) r.source = ReferralSource::kHl7;
    if (Between(0, 5) == 0) r.ers_pathway_start = AddDays(r.received_date, -10);
    if (run.contact_dates && Between(0, 5) == 0) {
      r.contact_by = AddDays(r.received_date, 12);
    }
    r.short_notice_agreed = Between(0, 4) == 0;
    r.needs_triage = Between(0, 6) == 0;
    if (Between(0, 4) == 0) r.specialty = "DERMATOLOGY";
    if (Between(0, 3) == 0) r.patient.mobile = "07700 900456";
    return ReceiveReferral{r};
  }
  if (op < 42) {
    run.today = AddDays(run.today, Between(1, 22));
    return Sweep{};
  }
  if (op < 47) {
    const std::string& clinic = PickOf(run.clinics);
    const bool end = Between(0, 4) == 0;
    const Date date = AddDays(run.today, Between(-1, 70));
    return RequestTemplateChange{
        fmt::format("CX{}", run.next++),
        clinic,
        end ? TemplateChangeKind::kEndClinic : TemplateChangeKind::kCancelSession,
        end ? std::nullopt : std::optional<Date>(date),
        end ? std::optional<Date>(date) : std::nullopt,
        "",
        "",
        "ops"};
  }
  if (op < 51) {
    const std::string& clinic = PickOf(run.clinics);
    return UpsertTemplate{RandomTemplate(clinic, AddDays(run.today, Between(0, 70))),
                          fmt::format("TV{}", run.next++), "ops", ""};
  }
  if (op < 55 && !st.pending_changes.empty()) {
    return ApproveTemplateChange{PickOf(SortedKeys(st.pending_changes)), Between(0, 3) > 0,
                                 "manager", ""};
  }
  auto live = Appointments(st, true, run.today);
  if (op < 68 && !live.empty()) {
    const std::string& id = PickOf(live);
    const int kind = Between(0, 4);
    std::optional<Date> from;
    if (Between(0, 3) == 0) from = AddDays(run.today, Between(1, 60));
    if (kind == 0) return CancelAppointment{id, CancelledBy::kHospital, "CLINIC_OVERRUN", "", {}};
    if (kind == 1) return CancelAppointment{id, CancelledBy::kPatient, "", "", from};
    if (kind == 2) return DeclineOffer{id, "", from};
    auto free = FreeSlots(st, run.today);
    if (free.empty()) return Sweep{};
    return RescheduleAppointment{id, PickOf(free),
                                 Between(0, 2) ? CancelledBy::kPatient : CancelledBy::kHospital, "",
                                 Between(0, 2) == 0};
  }
  auto due = Appointments(st, false, run.today);
  if (op < 80 && !due.empty()) {
    static const AttendanceCode kCodes[] = {
        AttendanceCode::kAttended,           AttendanceCode::kAttended,
        AttendanceCode::kLateSeen,           AttendanceCode::kDidNotAttend,
        AttendanceCode::kLateNotSeen,        AttendanceCode::kCancelledByPatient,
        AttendanceCode::kCancelledByProvider};
    const AttendanceCode code = kCodes[Pick(7)];
    RecordAttendance c{PickOf(due), code, std::nullopt, std::nullopt, "", "clerk", std::nullopt};
    if (code == AttendanceCode::kAttended && Between(0, 2) == 0) {
      c.rtt_status =
          Between(0, 2) ? RttStatus::kSubsequentActivity : RttStatus::kFirstDefinitiveTreatment;
      c.follow_up_due_date = AddDays(run.today, Between(7, 60));
    }
    return c;
  }
  if (op < 85 && !st.letters.empty()) {
    static const LetterStatus kS[] = {LetterStatus::kAccepted, LetterStatus::kDelivered,
                                      LetterStatus::kReturned, LetterStatus::kFailed};
    return RecordLetterStatus{PickOf(SortedKeys(st.letters)), kS[Pick(4)], "R07 No such address"};
  }
  if (op < 90) {
    // A clerk books a follow-up (or any bookable entry) into a free slot of its group.
    std::vector<std::string> bookable;
    for (const auto& id : SortedKeys(st.entries)) {
      if (IsBookable(st.entries.at(id).status)) bookable.push_back(id);
    }
    if (bookable.empty()) return Sweep{};
    const WaitingListEntry& e = st.entries.at(PickOf(bookable));
    std::vector<std::string> slots;
    for (const auto& id : FreeSlots(st, run.today)) {
      const Slot& s = st.slots.at(id);
      if (s.specialty == e.specialty && s.clinic_type == e.clinic_type &&
          SlotTypeAllowed(e, s.type)) {
        slots.push_back(id);
      }
    }
    if (slots.empty()) return Sweep{};
    return BookAppointment{e.entry_id, PickOf(slots), Between(0, 2) == 0, "clerk"};
  }
  if (op < 95) {
    auto triage = EntriesIn(st, EntryStatus::kAwaitingTriage);
    if (triage.empty()) return Sweep{};
    static const Priority kP[] = {Priority::kRoutine, Priority::kUrgent, Priority::kTwoWeekWait};
    return TriageReferral{
        PickOf(triage), Between(0, 4) ? TriageOutcome::kAccept : TriageOutcome::kReturnToReferrer,
        kP[Pick(3)],    std::nullopt,
        std::nullopt,   run.today,
        "Dr R Patel",   "please refer to the community service"};
  }
  auto review = EntriesIn(st, EntryStatus::kClinicalReview);
  if (review.empty()) return Sweep{};
  static const ReviewOutcome kO[] = {ReviewOutcome::kRebook, ReviewOutcome::kDischarge,
                                     ReviewOutcome::kActiveMonitoring};
  return RecordReviewOutcome{PickOf(review), kO[Pick(3)], run.today, "Dr R Patel", ""};
}

void Persist(Run& run, const Decision& d) {
  for (auto& w : EncodeChanged(run.engine.state(), d.changed)) {
    if (w.bytes) {
      run.rows[{w.kind, w.key}] = *w.bytes;
    } else {
      RC_ASSERT(run.rows.erase({w.kind, w.key}) == 1u);
    }
  }
}

BookingState Rebuild(const std::vector<RecordWrite>& rows) {
  BookingState s;
  for (const auto& w : rows) {
    RC_ASSERT(w.bytes.has_value());
    Status added = AddRecord(&s, w.kind, *w.bytes);
    if (!added.ok()) RC_FAIL(added.ToString());
  }
  return s;
}

TEST_CASE("a state saved and loaded again decides exactly as the original") {
  const bool ok = rc::check("save, load, decide", [] {
    Run run;
    const int clinics = Between(1, 4);
    for (int i = 0; i < clinics; ++i) {
      run.clinics.push_back(fmt::format("CLIN{}", i));
      auto d = run.engine.Apply(
          UpsertTemplate{RandomTemplate(run.clinics.back(), D("2024-12-01")), "", "", ""},
          run.today);
      RC_ASSERT(d.ok());
      Persist(run, *d);
    }
    const int steps = Between(5, 70);
    for (int i = 0; i < steps; ++i) {
      Command c = RandomCommand(run);
      auto d = run.engine.Apply(c, run.today);
      if (d.ok()) Persist(run, *d);
    }
    const BookingState& st = run.engine.state();

    // A full snapshot, row by row, gives the same records ...
    BookingState snapshot = Rebuild(EncodeAll(st));
    RC_ASSERT(snapshot.SameRecords(st));
    // ... and so do the rows kept decision by decision (every ChangeSet named what changed).
    std::vector<RecordWrite> kept;
    for (const auto& [k, bytes] : run.rows) kept.push_back(RecordWrite{k.first, k.second, bytes});
    BookingState incremental = Rebuild(kept);
    RC_ASSERT(incremental.SameRecords(st));

    // Loaded into a fresh engine, the next commands decide as on the original.
    BookingEngine loaded(run.engine.rules());
    Status load = loaded.Load(std::move(snapshot));
    if (!load.ok()) RC_FAIL(load.ToString());
    BookingEngine original = run.engine;
    for (int i = 0; i < 3; ++i) {
      Command c = RandomCommand(run);
      auto a = original.Apply(c, run.today);
      auto b = loaded.Apply(c, run.today);
      RC_ASSERT(a.ok() == b.ok());
      if (a.ok()) {
        RC_ASSERT(*a == *b);
      } else {
        RC_ASSERT(a.status() == b.status());
      }
      RC_ASSERT(original.state().SameRecords(loaded.state()));
      run.engine = original;
    }
  });
  CHECK(ok);
}

// A contact-by check that falls due while the patient is booked is settled in the entry record
// (not only dropped from the contact_due index), so a reloaded engine does not raise a
// CONTACT_PATIENT task the running engine never would once the patient loses the appointment.
TEST_CASE("a contact-by check passed while booked stays settled after a reload") {
  BookingEngine engine;
  ClinicTemplate t = MakeTemplate("CARD01", 1, D("2025-03-03"), {SlotType::kNew});
  t.effective_to = D("2025-03-03");  // one session only
  MustApply(engine, UpsertTemplate{t, "", "", ""}, D("2025-01-06"));
  // e-RS routine: contact by received + 40 days = 15 Feb, checked on 13 Feb (RULES §1.10).
  auto booked = MustApply(
      engine, ReceiveReferral{MakeReferral("000000000001", Priority::kRoutine, D("2025-01-06"))},
      D("2025-01-06"));
  REQUIRE(booked.booked.size() == 1);
  MustApply(engine, Sweep{}, D("2025-02-14"));  // booked on the check date: no task
  MustApply(engine,
            CancelAppointment{booked.booked[0], CancelledBy::kHospital, "CLINIC_OVERRUN", "", {}},
            D("2025-02-17"));

  BookingState saved;
  for (const auto& w : EncodeAll(engine.state())) {
    REQUIRE(AddRecord(&saved, w.kind, *w.bytes).ok());
  }
  BookingEngine loaded;
  REQUIRE(loaded.Load(std::move(saved)).ok());
  auto a = MustApply(engine, Sweep{}, D("2025-02-18"));
  auto b = MustApply(loaded, Sweep{}, D("2025-02-18"));
  CHECK(testing::TasksOf(b, TaskKind::kContactPatient).size() ==
        testing::TasksOf(a, TaskKind::kContactPatient).size());
  CHECK(a == b);
}

}  // namespace
}  // namespace hub::booking
