// Status and Result<T>: how every expected failure travels in the hub (HOUSE_STYLE §9).
// The message path never throws; a failure is a value that names what went wrong, and where
// possible the field it concerns, in words a booking clerk or integration engineer can act on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace hub {

// Stable codes; their names appear on the wire in error replies (see schemas/README.md), so
// codes are only ever added.
enum class StatusCode : std::uint8_t {
  kOk = 0,
  kInvalidArgument = 1,    // the input is wrong; retrying the same input will fail again
  kNotFound = 2,           // a referenced thing (clinic, slot, patient, message id) does not exist
  kAlreadyExists = 3,      // a create collided with an existing thing
  kFailedPrecondition = 4, // valid input, but the current state forbids it (slot already taken)
  kResourceExhausted = 5,  // a bounded queue or limit refused it; retry later
  kUnavailable = 6,        // a peer or resource is down; retry later
  kDeadlineExceeded = 7,   // no answer in time
  kIOError = 8,            // the disk or the OS failed
  kCorruption = 9,         // stored or received bytes are not what they must be
  kInternal = 10,          // a bug: an invariant of ours did not hold
  kPermissionDenied = 11,  // the caller may not do this
};

// Lower-case wire name of a code, e.g. "invalid_argument".
std::string_view StatusCodeName(StatusCode code);
// Inverse of StatusCodeName; nullopt for a name we do not know.
std::optional<StatusCode> StatusCodeFromName(std::string_view name);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg, std::string field = {}) {
    return {StatusCode::kInvalidArgument, std::move(msg), std::move(field)};
  }
  static Status NotFound(std::string msg, std::string field = {}) {
    return {StatusCode::kNotFound, std::move(msg), std::move(field)};
  }
  static Status AlreadyExists(std::string msg, std::string field = {}) {
    return {StatusCode::kAlreadyExists, std::move(msg), std::move(field)};
  }
  static Status FailedPrecondition(std::string msg, std::string field = {}) {
    return {StatusCode::kFailedPrecondition, std::move(msg), std::move(field)};
  }
  static Status ResourceExhausted(std::string msg) {
    return {StatusCode::kResourceExhausted, std::move(msg)};
  }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status DeadlineExceeded(std::string msg) {
    return {StatusCode::kDeadlineExceeded, std::move(msg)};
  }
  static Status IOError(std::string msg) { return {StatusCode::kIOError, std::move(msg)}; }
  static Status Corruption(std::string msg, std::string field = {}) {
    return {StatusCode::kCorruption, std::move(msg), std::move(field)};
  }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) {
    return {StatusCode::kPermissionDenied, std::move(msg)};
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The field the failure concerns, as a dotted path ("body.patient.nhs_number"), or "".
  const std::string& field() const { return field_; }

  // Returns a copy whose field is `prefix.field` (or `prefix` when there was none): lets a
  // nested decoder report the full path without knowing where it was called from.
  Status WithFieldPrefix(std::string_view prefix) const;
  // "invalid_argument: body.nhs_number: fails the Modulus 11 check" (or "ok").
  std::string ToString() const;

  bool operator==(const Status& other) const = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

// Either a T or a non-OK Status. Accessing value() of an error is a bug (checked by assert in
// debug builds); callers test ok() first or use HUB_ASSIGN_OR_RETURN.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) status_ = Status::Internal("Result constructed from an OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;  // OK when value_ is set
};

}  // namespace hub

#define HUB_CONCAT_INNER_(a, b) a##b
#define HUB_CONCAT_(a, b) HUB_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function if `expr` is not OK.
#define HUB_RETURN_IF_ERROR(expr)                   \
  do {                                              \
    ::hub::Status hub_status_tmp_ = (expr);         \
    if (!hub_status_tmp_.ok()) return hub_status_tmp_; \
  } while (0)

// `HUB_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from the Result or returns its Status.
#define HUB_ASSIGN_OR_RETURN(lhs, expr) \
  HUB_ASSIGN_OR_RETURN_IMPL_(HUB_CONCAT_(hub_result_, __LINE__), lhs, expr)
#define HUB_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
