// hub.error bodies: round trip and mapping to/from Status.
#include "schemas/error.hpp"

#include <doctest/doctest.h>

#include "hub/wire/msgpack_map.hpp"

namespace hub::schemas {
namespace {

TEST_CASE("error envelope carries code, field and retryability") {
  Status s = Status::InvalidArgument("fails the Modulus 11 check", "body.nhs_number");
  wire::Envelope e = MakeErrorEnvelope(s, "01ABC", "broker", 5);
  CHECK(e.type == "hub.error");
  CHECK(e.corr == "01ABC");
  auto body = DecodeErrorBody(e.body);
  REQUIRE(body.ok());
  CHECK(body->code == "invalid_argument");
  CHECK(body->field == "body.nhs_number");
  CHECK(body->ref == "01ABC");
  CHECK_FALSE(body->retryable);
  CHECK(StatusFromErrorBody(*body) == s);

  auto full = MakeErrorEnvelope(Status::ResourceExhausted("queue full"), "", "broker", 5);
  CHECK(DecodeErrorBody(full.body)->retryable);
}

TEST_CASE("an error body missing its code is itself an error") {
  CHECK(DecodeErrorBody(wire::MapWriter().Str("message", "x").Finish()).status().field() ==
        "body.code");
}

}  // namespace
}  // namespace hub::schemas
