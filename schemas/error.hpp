// hub.error — the body of every error reply on the message path (schemas/README.md).
#pragma once

#include <string>

#include "hub/common/status.hpp"
#include "hub/wire/envelope.hpp"

namespace hub::schemas {

inline constexpr std::string_view kErrorType = "hub.error";

struct ErrorBody {
  std::string code;     // StatusCodeName(), e.g. "invalid_argument"
  std::string message;  // for a person: what is wrong and what to do
  std::string field;    // dotted path of the offending field, or ""
  std::string ref;      // id of the message being answered, or ""
  bool retryable = false;  // true when the same message may succeed later (queue full, peer down)

  bool operator==(const ErrorBody&) const = default;
};

std::string EncodeErrorBody(const ErrorBody& body);
Result<ErrorBody> DecodeErrorBody(std::string_view body_bytes);

// An error reply envelope answering `ref_id` (may be "").
wire::Envelope MakeErrorEnvelope(const Status& status, std::string_view ref_id,
                                 std::string_view source, std::int64_t ts_ms);
// The Status an error envelope carries (for clients turning a reply back into a value).
Status StatusFromErrorBody(const ErrorBody& body);

}  // namespace hub::schemas
