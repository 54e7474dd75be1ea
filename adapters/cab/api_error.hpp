// Errors the adapter's HTTP API answers with: the HTTP status, the e-RS API error code
// (eRS-APIErrorCode-1, as the A015/A016 error tables list them), the FHIR issue type and a message
// naming the problem; rendered as an STU3 OperationOutcome through the e-RS adapter's builder.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "hub/common/status.hpp"

namespace hub::cab {

struct ApiError {
  int http_status = 400;
  std::string ers_code;     // e.g. INVALID_VALUE, SLOT_NOT_AVAILABLE
  std::string issue_type;   // FHIR STU3 issue-type, e.g. "value", "conflict"
  std::string diagnostics;  // what a clerk or integration engineer can act on
  std::string expression;   // the request element or query parameter concerned, or ""

  // 400: the request cannot be read (A015 error table; FHIR "bad request").
  static ApiError BadRequest(std::string ers_code, std::string diagnostics,
                             std::string expression = {});
  // 422: readable, but a value breaks a business rule (A016 error table).
  static ApiError Unprocessable(std::string ers_code, std::string diagnostics,
                                std::string expression = {});
  // 409: the slot is no longer available.
  static ApiError Conflict(std::string ers_code, std::string diagnostics,
                           std::string expression = {});
  // Any other status, with the issue type given.
  static ApiError WithStatus(int http_status, std::string issue_type, std::string ers_code,
                             std::string diagnostics);
};

// OperationOutcome JSON (meta.profile eRS-OperationOutcome-1, one issue, severity "error",
// details.coding from eRS-APIErrorCode-1 when ers_code is set).
std::string RenderOperationOutcome(const ApiError& error);

// Either a T or an ApiError. Accessing value() of an error is a bug.
template <typename T>
class [[nodiscard]] ApiResult {
 public:
  ApiResult(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  ApiResult(ApiError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return v_.index() == 0; }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T* operator->() const { return &std::get<0>(v_); }
  const T& operator*() const { return std::get<0>(v_); }
  const ApiError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, ApiError> v_;
};

}  // namespace hub::cab
