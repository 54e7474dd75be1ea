// Building blocks shared by the booking message bodies (schemas/README.md "Booking"): the
// upper-case value lists of every wire enumeration, and the nested maps that several messages
// carry (address, patient, referrer, waiting-list entry, appointment, slot). Decoders check
// presence, msgpack types and enumeration values and name the full field path; the booking core
// checks meaning (NHS number checksum, dates, ranges).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/common/status.hpp"
#include "hub/wire/msgpack_map.hpp"

namespace hub::schemas {

// ---- enumerations (values travel as these strings; anything else is rejected)
using EnumValues = std::vector<std::string_view>;
const EnumValues& PriorityValues();        // ROUTINE URGENT TWO_WEEK_WAIT
const EnumValues& ReferralSourceValues();  // ERS PAPER HL7 SELF
const EnumValues& SlotTypeValues();        // NEW FOLLOW_UP URGENT TWO_WEEK_WAIT
const EnumValues& AttendanceValues();      // ATTENDED LATE_SEEN LATE_NOT_SEEN DID_NOT_ATTEND ...
const EnumValues& CancelledByValues();     // PATIENT HOSPITAL
const EnumValues& TriageOutcomeValues();   // ACCEPT RETURN_TO_REFERRER
const EnumValues& ReviewOutcomeValues();   // REBOOK DISCHARGE ACTIVE_MONITORING
const EnumValues& TemplateChangeKindValues();  // CANCEL_SESSION END_CLINIC
const EnumValues& LetterKindValues();
const EnumValues& LetterRecipientValues();  // PATIENT REFERRER
const EnumValues& LetterStatusValues();     // PENDING ... RETURNED FORWARDED
const EnumValues& TaskKindValues();
const EnumValues& EscalationReasonValues();  // NO_SLOT BEYOND_TARGET ERS_DRIFT
const EnumValues& EntryKindValues();         // NEW FOLLOW_UP
const EnumValues& EntryStatusValues();
const EnumValues& AppointmentStatusValues();
const EnumValues& ClockEventKindValues();  // START STOP NULLIFY

// Reads a required (or, with ReadOptEnum, optional: "" when absent) string that must be one of
// `values`; the error lists them.
Status ReadEnum(const wire::MapReader& r, std::string_view key, const EnumValues& values,
                std::string* out);
Status ReadOptEnum(const wire::MapReader& r, std::string_view key, const EnumValues& values,
                   std::string* out);

// Reads an array of maps with `read` for each element; element errors are named "key[i].field".
// Absent optional arrays read as empty.
template <typename T>
Status ReadMapArray(const wire::MapReader& r, std::string_view key, bool required,
                    std::vector<T>* out, Status (*read)(const wire::MapReader&, T*)) {
  std::vector<const msgpack::object*> items;
  HUB_RETURN_IF_ERROR(required ? r.Array(key, &items) : r.OptArray(key, &items));
  out->clear();
  for (std::size_t i = 0; i < items.size(); ++i) {
    HUB_ASSIGN_OR_RETURN(
        auto item, wire::MapReader::Of(*items[i], r.KeyPath(key) + "[" + std::to_string(i) + "]"));
    T value;
    HUB_RETURN_IF_ERROR(read(item, &value));
    out->push_back(std::move(value));
  }
  return Status::Ok();
}
// Reads a required nested map with `read`.
template <typename T>
Status ReadNested(const wire::MapReader& r, std::string_view key, T* out,
                  Status (*read)(const wire::MapReader&, T*)) {
  wire::MapReader sub = r;
  HUB_RETURN_IF_ERROR(r.Map(key, &sub));
  return read(sub, out);
}
// Reads an optional nested map with `read`; absent or nil leaves `out` empty.
template <typename T>
Status ReadOptNested(const wire::MapReader& r, std::string_view key, std::optional<T>* out,
                     Status (*read)(const wire::MapReader&, T*)) {
  out->reset();
  if (!r.Has(key)) return Status::Ok();
  T value;
  HUB_RETURN_IF_ERROR(ReadNested(r, key, &value, read));
  *out = std::move(value);
  return Status::Ok();
}
// Reads an optional unsigned integer that fits an int.
Status ReadOptCount(const wire::MapReader& r, std::string_view key,
                    std::optional<std::int64_t>* out);

// Writes `values` as an array of maps, each encoded by `write`.
template <typename T>
void WriteMapArray(wire::MapWriter& w, std::string_view key, const std::vector<T>& values,
                   std::string (*write)(const T&)) {
  msgpack::sbuffer buf;
  msgpack::packer<msgpack::sbuffer> p(buf);
  p.pack_array(static_cast<std::uint32_t>(values.size()));
  for (const auto& v : values) {
    std::string bytes = write(v);
    buf.write(bytes.data(), bytes.size());
  }
  w.Raw(key, std::string_view(buf.data(), buf.size()));
}

// Arrays of integers (e.g. RTT thresholds in weeks). Absent reads as empty.
void WriteIntArray(wire::MapWriter& w, std::string_view key, const std::vector<std::int64_t>& v);
Status ReadIntArray(const wire::MapReader& r, std::string_view key, std::vector<std::int64_t>* out);

// An optional string field: written only when non-empty.
inline void WriteOptStr(wire::MapWriter& w, std::string_view key, const std::string& value) {
  if (!value.empty()) w.Str(key, value);
}

// ---- nested maps (each Write* returns the encoded map, nested with MapWriter::Raw)

struct AddressBody {
  std::vector<std::string> lines;  // req: 1-5 lines without the postcode
  std::string postcode;            // req

  bool operator==(const AddressBody&) const = default;
};
std::string WriteAddress(const AddressBody& b);
Status ReadAddress(const wire::MapReader& r, AddressBody* out);

struct PatientBody {
  std::string nhs_number;        // req: 10 digits (spaces allowed)
  std::string mrn;               // opt
  std::string title;             // opt
  std::string given_name;        // req
  std::string family_name;       // req
  std::string birth_date;        // req: YYYY-MM-DD
  AddressBody address;           // req
  std::string phone;             // opt
  std::string mobile;            // opt
  std::string gp_practice_code;  // opt

  bool operator==(const PatientBody&) const = default;
};
std::string WritePatient(const PatientBody& b);
Status ReadPatient(const wire::MapReader& r, PatientBody* out);

struct ReferrerBody {
  std::string name;               // req
  std::string organisation_code;  // opt: ODS code
  std::string organisation_name;  // opt
  AddressBody address;            // req

  bool operator==(const ReferrerBody&) const = default;
};
std::string WriteReferrer(const ReferrerBody& b);
Status ReadReferrer(const wire::MapReader& r, ReferrerBody* out);

// A waiting-list entry as the read API shows it.
struct EntryBody {
  std::string entry_id;
  std::string referral_id;
  std::string pathway_id;
  std::string nhs_number;
  std::string kind;      // EntryKindValues
  std::string priority;  // PriorityValues
  std::string specialty;
  std::string clinic_type;
  std::string clock_start;     // YYYY-MM-DD
  std::string status;          // EntryStatusValues
  std::string appointment_id;  // opt
  std::string due_date;        // opt
  std::string contact_by;      // opt
  std::string review_reason;   // opt
  std::string available_from;  // opt

  bool operator==(const EntryBody&) const = default;
};
std::string WriteEntry(const EntryBody& b);
Status ReadEntry(const wire::MapReader& r, EntryBody* out);

struct AppointmentBody {
  std::string appointment_id;
  std::string entry_id;
  std::string pathway_id;
  std::string slot_id;
  std::string clinic_code;
  std::string date;  // YYYY-MM-DD, Europe/London
  std::string time;  // HH:MM, Europe/London
  std::int64_t start_ms = 0;
  std::int64_t length_minutes = 0;
  std::string status;     // AppointmentStatusValues
  std::string booked_on;  // YYYY-MM-DD
  std::string reason;     // opt

  bool operator==(const AppointmentBody&) const = default;
};
std::string WriteAppointment(const AppointmentBody& b);
Status ReadAppointment(const wire::MapReader& r, AppointmentBody* out);

struct SlotBody {
  std::string slot_id;
  std::string clinic_code;
  std::string specialty;
  std::string clinic_type;
  std::string date;  // YYYY-MM-DD
  std::string time;  // HH:MM
  std::int64_t start_ms = 0;
  std::int64_t length_minutes = 0;
  std::string type;  // SlotTypeValues
  std::int64_t capacity = 0;
  std::int64_t booked = 0;
  bool cancelled = false;
  std::string released_date;  // opt: YYYY-MM-DD, the day the slot was generated or last freed

  bool operator==(const SlotBody&) const = default;
};
std::string WriteSlot(const SlotBody& b);
Status ReadSlot(const wire::MapReader& r, SlotBody* out);

// Decodes a body: parses the msgpack and reads the root map as "body".
template <typename T>
Result<T> DecodeBody(std::string_view bytes, Status (*read)(const wire::MapReader&, T*)) {
  HUB_ASSIGN_OR_RETURN(auto doc, wire::Document::Parse(bytes, "body"));
  HUB_ASSIGN_OR_RETURN(auto r, wire::MapReader::Of(doc.root(), "body"));
  T value;
  HUB_RETURN_IF_ERROR(read(r, &value));
  return value;
}

}  // namespace hub::schemas
