// HL7 v2 acknowledgments (original mode): the ACK the MLLP server sends back for every inbound
// message — MSH, MSA (AA/AE/AR), and one ERR per error (HL7 v2.5 §2.14.5, §2.15.5). Pure: the
// control id and the time are parameters.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "adapters/ers/hl7_error.hpp"
#include "adapters/ers/hl7_message.hpp"

namespace hub::ers {

struct AckOptions {
  std::string control_id;       // MSH-10 of the ACK: a fresh id chosen by the caller (a ULID)
  std::int64_t now_utc_ms = 0;  // MSH-7, written as Europe/London local time with its offset
  // MSH-3 / MSH-4 of the ACK when the message's MSH-5 / MSH-6 (who it was sent to) are empty.
  std::string application = "BOOKING_HUB";
  std::string facility;
};

// Builds an ACK to `original`, or to bytes that could not be parsed when `original` is null.
// - The ACK uses the message's own delimiters; MSH-3/4 are the message's MSH-5/6 and MSH-5/6
//   its MSH-3/4 (copied as written); MSH-9 is ACK^<trigger>^ACK; MSH-11 echoes the message's
//   processing id (P when unknown); MSH-12 echoes its version when it is 2.1-2.9, else "2.5".
// - MSA-1 is `code`, MSA-2 the message's control id ("" when unknown), MSA-3 the first
//   error's message.
// - Each error adds ERR with ERR-2 its location (omitted when it has none), ERR-3
//   <code>^<text>^HL70357, ERR-4 "E", ERR-8 the message. For versions before 2.5, which have
//   no ERR-2..8, ERR-1 also carries segment^sequence^field^code&text&HL70357.
// Text is escaped, so nothing a sender put in a field can break the ACK's framing. Segments end
// in CR, including the last.
std::string BuildAck(const Hl7Message* original, AckCode code, std::span<const Hl7Error> errors,
                     const AckOptions& options);

// AA for a message that was durably accepted.
std::string BuildAcceptAck(const Hl7Message& original, const AckOptions& options);

// AE or AR, as the error says, with its ERR segment.
std::string BuildErrorAck(const Hl7Message* original, const Hl7Error& error,
                          const AckOptions& options);

// "YYYYMMDDHHMMSS+ZZZZ" (HL7 DTM to the second) in Europe/London local time.
std::string FormatHl7Timestamp(std::int64_t utc_ms);

}  // namespace hub::ers
