// HL7 v2 message intake: parse, record, acknowledge.
#include "adapters/ers/hl7_intake.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "hub/booking/calendar.hpp"

namespace hub::ers {

Hl7Intake::Hl7Intake(ErsStore& store, Hl7IntakeOptions options, const Clock& clock)
    : store_(store), options_(std::move(options)), clock_(clock), ids_(clock) {}

AckOptions Hl7Intake::Ack() {
  AckOptions a;
  a.control_id = ids_.Next();
  a.now_utc_ms = clock_.NowMs();
  a.application = options_.ack_application;
  a.facility = options_.ack_facility;
  return a;
}

Result<Hl7Reply> Hl7Intake::Refuse(const Hl7Message* parsed, const Hl7Error& error,
                                   std::string_view message, const InboundMeta& meta) {
  Hl7Reply reply;
  reply.code = error.ack;
  reply.ack = BuildErrorAck(parsed, error, Ack());
  reply.reason = fmt::format("{} {} {}: {}", AckCodeName(error.ack), static_cast<int>(error.code),
                             error.location.ToString(), error.message);
  HUB_RETURN_IF_ERROR(store_.LogRefused(meta, reply.reason, message, clock_.NowMs()));
  return reply;
}

Result<Hl7Reply> Hl7Intake::Process(std::string_view message, InboundMeta meta) {
  auto parsed = Hl7Message::Parse(message);
  if (!parsed.ok()) {
    // Address the ACK with whatever the header still gives (control id, delimiters).
    auto header = Hl7Message::ParseHeader(message);
    if (header.ok()) meta.message_id = header->ControlId();
    return Refuse(header.ok() ? &header.value() : nullptr, parsed.error(), message, meta);
  }
  meta.message_id = parsed->ControlId();
  auto referral = ParseRefMessage(*parsed, options_.parse);
  if (!referral.ok()) return Refuse(&parsed.value(), referral.error(), message, meta);

  const std::int64_t now = clock_.NowMs();
  const Date arrival = booking::LondonDateAt(now);
  ReferralInput input = ToReferralInput(*referral, arrival);
  HUB_ASSIGN_OR_RETURN(IntakeResult r, store_.Intake(meta, input, options_.defaults, arrival, now));
  Hl7Reply reply;
  switch (r.disposition) {
    case Disposition::kForwarded:
    case Disposition::kDuplicate:
      reply.ack = BuildAcceptAck(*parsed, Ack());
      return reply;
    case Disposition::kModification: {
      Hl7Error e;
      e.ack = AckCode::kReject;
      bool i13 = input.event == ReferralEventKind::kModify;
      e.code = i13 ? Hl7ErrorCode::kUnsupportedEventCode : Hl7ErrorCode::kDuplicateKeyIdentifier;
      e.location = Hl7Location{"RF1", 1, 6, 0, 0, 0};
      e.message = fmt::format(
          "{}; the booking hub cannot amend a referral it has received: ask the booking team to "
          "change it",
          r.detail);
      reply.code = e.ack;
      reply.ack = BuildErrorAck(&parsed.value(), e, Ack());
      reply.reason = e.message;
      return reply;
    }
    case Disposition::kCancel: {
      Hl7Error e;
      e.ack = AckCode::kReject;
      e.code = Hl7ErrorCode::kUnsupportedEventCode;
      e.location = Hl7Location{"MSH", 1, 9, 0, 0, 0};
      e.message = fmt::format(
          "REF^I14 is not applied automatically ({}); the cancellation is recorded for the "
          "booking team, who must cancel the referral",
          r.detail);
      reply.code = e.ack;
      reply.ack = BuildErrorAck(&parsed.value(), e, Ack());
      reply.reason = e.message;
      return reply;
    }
  }
  return Status::Internal("unknown disposition");
}

Result<Hl7Reply> Hl7Intake::ProcessFramingError(const Status& error, std::string_view excerpt,
                                                InboundMeta meta) {
  Hl7Error e;
  e.ack = AckCode::kReject;
  e.code = Hl7ErrorCode::kSegmentSequenceError;
  e.message = fmt::format("MLLP framing: {}", error.message());
  return Refuse(nullptr, e, excerpt, meta);
}

Hl7Reply Hl7Intake::FailureReply(std::string_view message, const Status& why) {
  Hl7Error e;
  e.ack = AckCode::kReject;
  e.code = Hl7ErrorCode::kApplicationInternalError;
  e.message = fmt::format("the message could not be stored ({}); resend it later, unchanged",
                          why.message());
  auto header = Hl7Message::ParseHeader(message);
  Hl7Reply reply;
  reply.code = e.ack;
  reply.ack = BuildErrorAck(header.ok() ? &header.value() : nullptr, e, Ack());
  reply.reason = e.message;
  return reply;
}

}  // namespace hub::ers
