// Hl7Error: what went wrong with an inbound HL7 v2 message, in the terms an ACK needs — the
// acknowledgment code (AE/AR), the HL7 table 0357 error code and the location (ERR-2) — plus
// Hl7Result<T>, the value-or-Hl7Error that the HL7 parsers return (HOUSE_STYLE §9).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "hub/common/status.hpp"

namespace hub::ers {

// MSA-1 acknowledgment codes, original mode (HL7 table 0008). When each is used: README.md
// "AE or AR".
enum class AckCode : std::uint8_t { kAccept, kError, kReject };
// "AA", "AE", "AR".
std::string_view AckCodeName(AckCode code);

// HL7 table 0357, message error condition codes (values as sent in ERR-3).
enum class Hl7ErrorCode : int {
  kSegmentSequenceError = 100,  // segments out of order, or a required segment missing
  kRequiredFieldMissing = 101,
  kDataTypeError = 102,       // the field's value has the wrong form
  kTableValueNotFound = 103,  // a coded value is not in its table
  kUnsupportedMessageType = 200,
  kUnsupportedEventCode = 201,
  kUnsupportedProcessingId = 202,
  kUnsupportedVersionId = 203,
  kDuplicateKeyIdentifier = 205,  // a referral id already received with other content
  kApplicationInternalError = 207,  // our failure, not the sender's: resend later
};
// The table 0357 text, e.g. "Required field missing".
std::string_view Hl7ErrorCodeText(Hl7ErrorCode code);

// Where in the message (HL7 v2.5 ERL, the type of ERR-2). Numbers are 1-based; 0 = not known or
// not applicable. `sequence` is the occurrence of that segment id in the message (the second PRD
// is PRD sequence 2). An empty `segment` means the error concerns no particular segment.
struct Hl7Location {
  std::string segment;
  int sequence = 0;
  int field = 0;
  int repetition = 0;
  int component = 0;
  int subcomponent = 0;

  // "PID-3", "PID-3[2]", "PID-3[2].1", "PRD(2)-7" (sequence shown when > 1), "MSH", or "" for
  // no segment. Used as the Status field path.
  std::string ToString() const;
  bool operator==(const Hl7Location&) const = default;
};

struct Hl7Error {
  AckCode ack = AckCode::kError;  // kError (AE) or kReject (AR); never kAccept
  Hl7ErrorCode code = Hl7ErrorCode::kApplicationInternalError;
  Hl7Location location;
  std::string message;  // for the sender's integration engineer; becomes ERR-8 and MSA-3

  // InvalidArgument (kInternal for 207) with field = location.ToString(), for logs and the
  // dead-letter store.
  Status ToStatus() const;
};

// Either a T or an Hl7Error. Accessing value() of an error is a bug; callers test ok() first.
template <typename T>
class [[nodiscard]] Hl7Result {
 public:
  Hl7Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Hl7Result(Hl7Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return value_.has_value(); }
  const Hl7Error& error() const { return error_; }
  Status status() const { return ok() ? Status::Ok() : error_.ToStatus(); }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Hl7Error error_;
};

}  // namespace hub::ers
