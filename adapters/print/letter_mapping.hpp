// The one place where the wire meets the print core: `letter.requested` -> LetterRequest,
// LetterRequest members -> wire field paths for error replies, status changes -> `letter.status`
// (schemas/letter.hpp; RULES §6, NHS Notify Supplier API statuses). Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "adapters/print/letter.hpp"
#include "adapters/print/letter_status.hpp"
#include "adapters/print/print_spooler.hpp"
#include "hub/common/status.hpp"
#include "schemas/letter.hpp"

namespace hub::print {

// The print letter kind of a wire kind ("APPOINTMENT" -> kAppointment), or nullopt for a kind
// the print adapter has no template for (DISCHARGE and REFERRAL_RETURNED today) or does not
// know at all.
std::optional<LetterKind> LetterKindFromWire(std::string_view wire_kind);

// Maps every field the letters use; the rest of the body (patient address, referral, pathway
// and specialty ids) identifies the letter for the booking engine and is not printed:
//   letter_id, nhs_number, mrn, patient_name, referrer_name, reason  -> the same members
//   kind                        -> LetterKindFromWire (error on body.kind when nullopt)
//   recipient_name, recipient_address {lines, postcode} -> recipient {name, lines, postcode}
//   patient_birth_date          -> date_of_birth
//   appointment {clinic_name, consultant, date, time, site, room}
//                               -> clinic_name, consultant, appointment_date/_time, and site
//                                  ("<site>, <room>" when both are given)
//   previous {date, time}       -> previous_appointment_date/_time (RESCHEDULE)
//   recipient REFERRER          -> referrer_address = the recipient's lines and postcode
// letter_date must be an ISO date (the letter itself is dated the day it is rendered).
// Postage, duplex and colour are left to print.toml's defaults. Whether the letter can be
// rendered (template fields, address window) is checked later, by PrintSpooler::Accept, whose
// errors WireError translates.
Result<LetterRequest> LetterRequestFromWire(const schemas::LetterRequested& body);

// The `letter.requested` field a LetterRequest member (as a Status field names it:
// "recipient.postcode", "recipient.lines[2]", "clinic_name") comes from, as a dotted path from
// the envelope ("body.recipient_address.postcode"). A member no wire field feeds (a template
// field letter.requested cannot carry) is the letter kind's fault: "body.kind".
std::string WireField(std::string_view request_field);

// The error to reply with when Accept refused a mapped request: the field renamed by
// WireField. A template field print.toml must supply (booking_phone...) is the adapter's own
// configuration fault, FailedPrecondition with no field; the message names the key.
Status WireError(const Status& accept_error);

// The wire name of a status ("RETURNED"), or nullopt for the hub's own BATCHED, which the
// booking engine does not track (schemas LetterStatusValues).
std::optional<std::string_view> WireStatusName(LetterStatus status);

// The `letter.status` body reporting `update` for the letter the booking engine requested as
// `requested_id` (for a reprint, the letter it reprints), or nullopt when the booking engine
// is not told: BATCHED, and the cancellation of a letter a reprint replaces. reason is
// "<code> <text>" ("R07 No such address"); status_ms is when it happened. A RETURNED status
// is what makes the booking engine mark the appointment not clearly communicated and raise a
// demographics-check task (RULES §6, schemas/README.md `letter.status`).
std::optional<schemas::LetterStatusBody> LetterStatusFor(const StatusUpdate& update,
                                                         std::string_view requested_id);

}  // namespace hub::print
