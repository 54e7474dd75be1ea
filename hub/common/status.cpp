// Status names and formatting.
#include "hub/common/status.hpp"

#include <array>

namespace hub {
namespace {
constexpr std::array<std::string_view, 12> kNames = {
    "ok",           "invalid_argument", "not_found",   "already_exists",
    "failed_precondition", "resource_exhausted", "unavailable", "deadline_exceeded",
    "io_error",     "corruption",       "internal",    "permission_denied"};
}  // namespace

std::string_view StatusCodeName(StatusCode code) {
  auto i = static_cast<std::size_t>(code);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

std::optional<StatusCode> StatusCodeFromName(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<StatusCode>(i);
  }
  return std::nullopt;
}

Status Status::WithFieldPrefix(std::string_view prefix) const {
  if (ok() || prefix.empty()) return *this;
  std::string f(prefix);
  if (!field_.empty()) {
    if (field_.front() != '[') f += '.';
    f += field_;
  }
  return Status(code_, message_, std::move(f));
}

std::string Status::ToString() const {
  std::string out(StatusCodeName(code_));
  if (ok()) return out;
  out += ": ";
  if (!field_.empty()) {
    out += field_;
    out += ": ";
  }
  out += message_;
  return out;
}

}  // namespace hub
