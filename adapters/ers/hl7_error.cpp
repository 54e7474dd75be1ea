// Names and formatting for HL7 errors (HL7 tables 0008 and 0357, ERL location).
#include "adapters/ers/hl7_error.hpp"

#include <fmt/format.h>

namespace hub::ers {

std::string_view AckCodeName(AckCode code) {
  switch (code) {
    case AckCode::kAccept:
      return "AA";
    case AckCode::kError:
      return "AE";
    case AckCode::kReject:
      return "AR";
  }
  return "AR";
}

std::string_view Hl7ErrorCodeText(Hl7ErrorCode code) {
  switch (code) {
    case Hl7ErrorCode::kSegmentSequenceError:
      return "Segment sequence error";
    case Hl7ErrorCode::kRequiredFieldMissing:
      return "Required field missing";
    case Hl7ErrorCode::kDataTypeError:
      return "Data type error";
    case Hl7ErrorCode::kTableValueNotFound:
      return "Table value not found";
    case Hl7ErrorCode::kUnsupportedMessageType:
      return "Unsupported message type";
    case Hl7ErrorCode::kUnsupportedEventCode:
      return "Unsupported event code";
    case Hl7ErrorCode::kUnsupportedProcessingId:
      return "Unsupported processing id";
    case Hl7ErrorCode::kUnsupportedVersionId:
      return "Unsupported version id";
    case Hl7ErrorCode::kDuplicateKeyIdentifier:
      return "Duplicate key identifier";
    case Hl7ErrorCode::kApplicationInternalError:
      return "Application internal error";
  }
  return "Application internal error";
}

std::string Hl7Location::ToString() const {
  if (segment.empty()) return {};
  std::string out = segment;
  if (sequence > 1) out += fmt::format("({})", sequence);
  if (field <= 0) return out;
  out += fmt::format("-{}", field);
  if (repetition > 0) out += fmt::format("[{}]", repetition);
  if (component > 0) {
    out += fmt::format(".{}", component);
    if (subcomponent > 0) out += fmt::format(".{}", subcomponent);
  }
  return out;
}

Status Hl7Error::ToStatus() const {
  StatusCode status_code = code == Hl7ErrorCode::kApplicationInternalError
                               ? StatusCode::kInternal
                               : StatusCode::kInvalidArgument;
  return Status(status_code, message, location.ToString());
}

}  // namespace hub::ers
