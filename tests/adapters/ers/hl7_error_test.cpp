// HL7 error values: ERL location formatting, table 0357 texts, and the Status they become.
#include "adapters/ers/hl7_error.hpp"

#include <doctest/doctest.h>

namespace hub::ers {
namespace {

TEST_CASE("locations print in HL7 notation") {
  CHECK(Hl7Location{}.ToString().empty());
  CHECK(Hl7Location{"MSH", 1}.ToString() == "MSH");
  CHECK(Hl7Location{"PID", 1, 3}.ToString() == "PID-3");
  CHECK(Hl7Location{"PID", 1, 3, 2}.ToString() == "PID-3[2]");
  CHECK(Hl7Location{"PID", 1, 3, 2, 1}.ToString() == "PID-3[2].1");
  CHECK(Hl7Location{"RF1", 1, 19, 1, 9, 2}.ToString() == "RF1-19[1].9.2");
  CHECK(Hl7Location{"PRD", 2, 1}.ToString() == "PRD(2)-1");
}

TEST_CASE("codes and their texts") {
  CHECK(AckCodeName(AckCode::kAccept) == "AA");
  CHECK(AckCodeName(AckCode::kError) == "AE");
  CHECK(AckCodeName(AckCode::kReject) == "AR");
  CHECK(static_cast<int>(Hl7ErrorCode::kRequiredFieldMissing) == 101);
  CHECK(static_cast<int>(Hl7ErrorCode::kApplicationInternalError) == 207);
  CHECK(Hl7ErrorCodeText(Hl7ErrorCode::kSegmentSequenceError) == "Segment sequence error");
  CHECK(Hl7ErrorCodeText(Hl7ErrorCode::kTableValueNotFound) == "Table value not found");
  CHECK(Hl7ErrorCodeText(Hl7ErrorCode::kUnsupportedMessageType) == "Unsupported message type");
}

TEST_CASE("an Hl7Error becomes a Status naming the field") {
  Hl7Error e{AckCode::kError, Hl7ErrorCode::kDataTypeError, {"PID", 1, 3, 3, 1}, "bad NHS number"};
  CHECK(e.ToStatus() == Status::InvalidArgument("bad NHS number", "PID-3[3].1"));
  Hl7Error internal{AckCode::kReject, Hl7ErrorCode::kApplicationInternalError, {}, "disk full"};
  CHECK(internal.ToStatus().code() == StatusCode::kInternal);
  Hl7Result<int> r = e;
  CHECK_FALSE(r.ok());
  CHECK(r.status().field() == "PID-3[3].1");
  Hl7Result<int> v = 7;
  REQUIRE(v.ok());
  CHECK(*v == 7);
  CHECK(v.status().ok());
}

}  // namespace
}  // namespace hub::ers
