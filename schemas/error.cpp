// hub.error codec.
#include "schemas/error.hpp"

#include "hub/wire/msgpack_map.hpp"

namespace hub::schemas {

std::string EncodeErrorBody(const ErrorBody& b) {
  wire::MapWriter w;
  w.Str("code", b.code).Str("message", b.message).Str("field", b.field).Str("ref", b.ref).Bool(
      "retryable", b.retryable);
  return w.Finish();
}

Result<ErrorBody> DecodeErrorBody(std::string_view body_bytes) {
  HUB_ASSIGN_OR_RETURN(auto doc, wire::Document::Parse(body_bytes, "body"));
  HUB_ASSIGN_OR_RETURN(auto r, wire::MapReader::Of(doc.root(), "body"));
  ErrorBody b;
  HUB_RETURN_IF_ERROR(r.Str("code", &b.code));
  HUB_RETURN_IF_ERROR(r.Str("message", &b.message));
  HUB_RETURN_IF_ERROR(r.StrOr("field", &b.field));
  HUB_RETURN_IF_ERROR(r.StrOr("ref", &b.ref));
  std::optional<bool> retry;
  HUB_RETURN_IF_ERROR(r.OptBool("retryable", &retry));
  b.retryable = retry.value_or(false);
  return b;
}

wire::Envelope MakeErrorEnvelope(const Status& status, std::string_view ref_id,
                                 std::string_view source, std::int64_t ts_ms) {
  ErrorBody b;
  b.code = std::string(StatusCodeName(status.code()));
  b.message = status.message();
  b.field = status.field();
  b.ref = std::string(ref_id);
  b.retryable = status.code() == StatusCode::kResourceExhausted ||
                status.code() == StatusCode::kUnavailable ||
                status.code() == StatusCode::kDeadlineExceeded;
  return wire::MakeEnvelope(std::string(kErrorType), std::string(source), ts_ms, EncodeErrorBody(b),
                            std::string(ref_id));
}

Status StatusFromErrorBody(const ErrorBody& body) {
  auto code = StatusCodeFromName(body.code).value_or(StatusCode::kInternal);
  if (code == StatusCode::kOk) code = StatusCode::kInternal;
  return Status(code, body.message, body.field);
}

}  // namespace hub::schemas
