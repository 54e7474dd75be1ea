// The persistence format of BookingState (DESIGN §4, §5): each record the engine owns, as one
// msgpack map with named keys, written to booking.db by the worker shell and read back at
// start-up. docs/booking.md "Persistence" lists every record's fields.
//
// Format contract (HOUSE_STYLE §14, applied to stored rows):
//  - Every record is a msgpack map with a format version "v" (kRecordFormatVersion). Enums are
//    their upper-case names ("TWO_WEEK_WAIT"), RTT statuses their national code (RULES §1.8, as
//    on the wire), dates "YYYY-MM-DD", local times "HH:MM". Optional values and empty strings are
//    left out; booleans and counts are always written.
//  - Fields are only ever added. A field added later must be optional with a default, so older
//    rows still decode; a row with a "v" above kRecordFormatVersion was written by a newer hub
//    and is refused rather than half-read.
//  - Decoding is strict: a missing field, a wrong msgpack type, an unknown enum name, a bad date
//    or an out-of-range number is Corruption naming the field ("entry.clock_start",
//    "clinic.versions[1].slots[0].start"). Decoders also refuse what the engine could not act on
//    safely (a pathway whose events do not replay, a template change without its date). Nothing
//    here throws or aborts on any input bytes.
//  - Keys: a record's key is its id (patients by NHS number, referrals by Referral::Id(), clinics
//    by clinic code); the single StateMeta row has key kMetaKey.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/booking/booking_state.hpp"
#include "hub/booking/decision.hpp"
#include "hub/common/status.hpp"

namespace hub::booking {

inline constexpr std::uint64_t kRecordFormatVersion = 1;
inline constexpr std::string_view kMetaKey = "meta";

// What a stored row holds. The values are stable (the shell may store them); never reuse one.
enum class RecordKind : std::uint8_t {
  kPatient = 1,        // "PATIENT": BookingState::patients, key NHS number
  kReferral = 2,       // "REFERRAL": key Referral::Id()
  kPathway = 3,        // "PATHWAY": key pathway id, with its clock events
  kEntry = 4,          // "ENTRY": waiting-list entry, key entry id
  kClinic = 5,         // "CLINIC": template versions, cancelled sessions, generated_until
  kSlot = 6,           // "SLOT": key slot id
  kAppointment = 7,    // "APPOINTMENT": key appointment id
  kPendingChange = 8,  // "PENDING_CHANGE": template change awaiting approval, key change id
  kLetter = 9,         // "LETTER": LetterRecord, key letter id
  kMeta = 10,          // "META": StateMeta, key kMetaKey
  kErsBooking = 11,    // "ERS_BOOKING": an e-RS booking through CaB, key idempotency key
  kPbItem = 12,        // "PB_ITEM": partial-booking item (partial_booking.hpp), key entry id
};
inline constexpr RecordKind kAllRecordKinds[] = {
    RecordKind::kPatient,     RecordKind::kReferral,      RecordKind::kPathway,
    RecordKind::kEntry,       RecordKind::kClinic,        RecordKind::kSlot,
    RecordKind::kAppointment, RecordKind::kPendingChange, RecordKind::kLetter,
    RecordKind::kErsBooking,  RecordKind::kPbItem,      RecordKind::kMeta,
};
std::string_view RecordKindName(RecordKind k);
// Inverse of RecordKindName; Corruption naming `field` for anything else.
Result<RecordKind> ParseRecordKind(std::string_view name, std::string_view field = "kind");

// The scalars of BookingState that are not keyed records.
struct StateMeta {
  std::uint64_t next_sequence = 1;
  std::optional<Date> last_sweep;
  std::map<std::string, Date> escalation_marks;

  bool operator==(const StateMeta&) const = default;
};
StateMeta MetaOf(const BookingState& state);

// ---- one record type each. Decode* errors are Corruption with the field path under the record's
// name ("patient.address.postcode").
std::string EncodePatient(const Patient& p);
Result<Patient> DecodePatient(std::string_view bytes);

// The stored referral keeps only the patient's NHS number (the engine keeps demographics once, in
// the patient record): Decode gives a Patient with nhs_number set and every other field default.
std::string EncodeReferral(const Referral& r);
Result<Referral> DecodeReferral(std::string_view bytes);

// The event log is the record; Decode replays it with Pathway::FromEvents, so a log the engine
// could not have written is Corruption.
std::string EncodePathway(const Pathway& p);
Result<Pathway> DecodePathway(std::string_view bytes);

std::string EncodeEntry(const WaitingListEntry& e);
Result<WaitingListEntry> DecodeEntry(std::string_view bytes);

// Template versions are stored as template.upsert bodies (schemas::TemplateBody) and each is
// checked with ValidateTemplate on decode; versions must be in effective_from order.
std::string EncodeClinic(const Clinic& c);
Result<Clinic> DecodeClinic(std::string_view bytes);

std::string EncodeSlot(const Slot& s);
Result<Slot> DecodeSlot(std::string_view bytes);

std::string EncodeAppointment(const Appointment& a);
Result<Appointment> DecodeAppointment(std::string_view bytes);

// Decode requires the value its kind needs: the template of a NEW_VERSION, the session date of a
// CANCEL_SESSION, the effective_to of an END_CLINIC.
std::string EncodePendingChange(const PendingChange& c);
Result<PendingChange> DecodePendingChange(std::string_view bytes);

std::string EncodeLetterRecord(const LetterRecord& l);
Result<LetterRecord> DecodeLetterRecord(std::string_view bytes);

// Decode requires the UBRN, slot and appointment of a BOOKED record.
std::string EncodeErsBooking(const ErsBooking& b);
Result<ErsBooking> DecodeErsBooking(std::string_view bytes);

std::string EncodeStateMeta(const StateMeta& m);
Result<StateMeta> DecodeStateMeta(std::string_view bytes);

// ---- whole-state helpers for the worker shell

// One row to write: an upsert of `bytes` under (kind, key), or a delete when bytes is empty.
struct RecordWrite {
  RecordKind kind = RecordKind::kPatient;
  std::string key;
  std::optional<std::string> bytes;  // nullopt: the record is gone; delete the row

  bool operator==(const RecordWrite&) const = default;
};

// The rows a Decision's ChangeSet asks the shell to write, read from `state` (the engine's state
// after Apply): a key present in the state is an upsert, a key absent from it a delete (pending
// changes, and the referral, pathway, entry and appointment of an undone e-RS booking). Ordered by kind (kAllRecordKinds order), then key; the meta
// row last when changed.meta. Write them in the transaction that records the message as handled.
std::vector<RecordWrite> EncodeChanged(const BookingState& state, const ChangeSet& changed);

// Every record of `state` as upserts, in the EncodeChanged order (a full snapshot).
std::vector<RecordWrite> EncodeAll(const BookingState& state);

// Decodes one stored row of `kind` and adds it to `state`'s records (indexes are not touched:
// BookingEngine::Load rebuilds them). Corruption when the bytes do not decode or a record with the
// same key is already there; on error `state` is unchanged. Rows may come in any order; the shell
// calls BookingEngine::Load once every row is added, which checks the references between records.
Status AddRecord(BookingState* state, RecordKind kind, std::string_view bytes);

}  // namespace hub::booking
