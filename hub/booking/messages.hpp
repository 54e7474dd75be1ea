// The booking core's edge to the wire: turns inbound message bodies (schemas/) into Commands,
// a Decision into its reply and outbound messages, and read requests into replies, so the worker
// shell only moves bytes, persists records and keeps the outbox. Pure functions.
//
// Error contract: every Status returned here names the wire field with the "body." prefix
// ("body.patient.nhs_number", "body.slot_id") and says why, ready for schemas::MakeErrorEnvelope.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hub/booking/booking_engine.hpp"
#include "hub/booking/queries.hpp"
#include "schemas/appointment.hpp"
#include "schemas/booking_events.hpp"
#include "schemas/booking_queries.hpp"
#include "schemas/clinic_template.hpp"
#include "schemas/ers.hpp"
#include "schemas/letter.hpp"
#include "schemas/referral.hpp"

namespace hub::booking {

// A message to send: envelope type and encoded body.
struct OutboundMessage {
  std::string type;
  std::string body;

  bool operator==(const OutboundMessage&) const = default;
};

// True for the types BookingEngine applies (referral.received ... letter.status).
bool IsBookingCommand(std::string_view type);
// True for the read requests (patient.get, pathway.get, waitinglist.get, slots.free,
// clinics.list).
bool IsBookingQuery(std::string_view type);

// Decodes a command body of `type` and checks its values (dates, enums, ranges). NotFound-free:
// only the message itself is examined. InvalidArgument for an unknown type.
Result<Command> DecodeCommand(std::string_view type, std::string_view body_bytes);

// DecodeCommand, then engine.Apply on `today`; Apply's errors get the "body." prefix. `now_ms`
// is the shell's wall clock (UTC ms), given to the commands that check a deadline (ers.book);
// without it (0) they are refused.
Result<Decision> ApplyMessage(BookingEngine& engine, std::string_view type,
                              std::string_view body_bytes, Date today, std::int64_t now_ms = 0);

// The reply body for a decision: ers.result for the e-RS commands (Decision::ers), else
// booking.result.
OutboundMessage ReplyFor(const Decision& d);
// Every message the decision emits, in this order: letter.requested..., task.created...,
// escalation.raised..., scan.coversheet.requested..., then one slots.changed when any slot
// changed.
std::vector<OutboundMessage> EffectMessages(const Decision& d);

// Answers a read request of `type` against the state, with `today` as the default census date.
Result<OutboundMessage> AnswerQuery(const BookingState& state, const BookingRules& rules,
                                    std::string_view type, std::string_view body_bytes, Date today);

// Conversions used above, exposed for the shell's own tools (hub ctl, config loading).
Result<ClinicTemplate> TemplateFromBody(const schemas::TemplateBody& body);
Result<Referral> ReferralFromBody(const schemas::ReferralReceived& body);
schemas::LetterRequested LetterToBody(const LetterRequest& letter);
schemas::TaskCreated TaskToBody(const Task& task);
schemas::EscalationRaised EscalationToBody(const Escalation& escalation);
schemas::ScanCoversheetRequested CoversheetToBody(const CoversheetRequest& coversheet);
schemas::SlotBody SlotToBody(const SlotChange& slot);

}  // namespace hub::booking
