// One inbound HL7 v2 message, from bytes to the reply the sender gets: parse (REF^I12/I13/I14),
// record it in ers.db (outbox + referral index + inbound log, through ErsStore::Intake), and
// build the ACK. Used by the MLLP server (per frame) and the folder drop (per message in a file).
// Runs inside the caller's transaction: the AA it returns is only true once that commits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "adapters/ers/ers_store.hpp"
#include "adapters/ers/hl7_ack.hpp"
#include "adapters/ers/ref_message.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/common/ulid.hpp"

namespace hub::ers {

struct Hl7IntakeOptions {
  // MSH-11 ids accepted; an NHS number required (the booking worker needs one), as in ers.toml.
  RefParseOptions parse{{"P"}, true};
  MappingDefaults defaults;                     // specialty / clinic type when the message has none
  std::string ack_application = "BOOKING_HUB";  // MSH-3 of our ACKs when MSH-5 was empty
  std::string ack_facility;                     // MSH-4 of our ACKs when MSH-6 was empty
};

struct Hl7Reply {
  AckCode code = AckCode::kAccept;
  std::string ack;     // the ACK message (unframed ER7, segments ending in CR)
  std::string reason;  // "" for AA; otherwise what was wrong (for logs and .error.txt)
};

// Not thread-safe; one per thread, like its ErsStore.
class Hl7Intake {
 public:
  Hl7Intake(ErsStore& store, Hl7IntakeOptions options, const Clock& clock);

  // Parses and records `message`. `meta.message_id` is filled from MSH-10 when readable.
  // Outcomes (adapters/ers/README.md "HL7 listener"): AA when forwarded or a duplicate; AE/AR
  // from the parser with its ERR; AR 205 for a REF^I12 that changes a referral already
  // forwarded, AR 201 for a REF^I13 that does and for every REF^I14 (booking has no message to
  // amend or cancel a referral; both are noted in ers.db). A storage failure is returned as a
  // Status: the caller rolls back and answers AR 207 (FailureReply).
  Result<Hl7Reply> Process(std::string_view message, InboundMeta meta);

  // The reply for a framing error (MLLP) or unusable bytes: AR 100, logged as refused.
  Result<Hl7Reply> ProcessFramingError(const Status& error, std::string_view excerpt,
                                       InboundMeta meta);

  // AR 207 for a message whose batch could not be committed ("resend later, unchanged").
  Hl7Reply FailureReply(std::string_view message, const Status& why);

 private:
  AckOptions Ack();
  Result<Hl7Reply> Refuse(const Hl7Message* parsed, const Hl7Error& error, std::string_view message,
                          const InboundMeta& meta);

  ErsStore& store_;
  Hl7IntakeOptions options_;
  const Clock& clock_;
  UlidGenerator ids_;
};

}  // namespace hub::ers
