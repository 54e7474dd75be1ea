// Status / Result behaviour.
#include "hub/common/status.hpp"

#include <doctest/doctest.h>

namespace hub {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("must be even", "x");
  return x / 2;
}

Result<int> Quarter(int x) {
  HUB_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

TEST_CASE("status formats code, field and message") {
  Status s = Status::InvalidArgument("fails the Modulus 11 check", "nhs_number");
  CHECK_FALSE(s.ok());
  CHECK(s.ToString() == "invalid_argument: nhs_number: fails the Modulus 11 check");
  CHECK(s.WithFieldPrefix("body.patient").field() == "body.patient.nhs_number");
  CHECK(Status::Ok().ToString() == "ok");
  CHECK(Status::Ok().WithFieldPrefix("x").field().empty());
}

TEST_CASE("status code names round-trip") {
  for (int i = 0; i <= static_cast<int>(StatusCode::kPermissionDenied); ++i) {
    auto code = static_cast<StatusCode>(i);
    auto back = StatusCodeFromName(StatusCodeName(code));
    REQUIRE(back.has_value());
    CHECK(*back == code);
  }
  CHECK_FALSE(StatusCodeFromName("no_such_code").has_value());
}

TEST_CASE("result carries a value or an error, and the macros propagate") {
  CHECK(Quarter(8).ok());
  CHECK(*Quarter(8) == 2);
  auto r = Quarter(6);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().field() == "x");
  Result<int> from_ok_status(Status::Ok());
  CHECK_FALSE(from_ok_status.ok());
  CHECK(from_ok_status.status().code() == StatusCode::kInternal);
}

}  // namespace
}  // namespace hub
