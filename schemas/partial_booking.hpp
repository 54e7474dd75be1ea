// Partial-booking commands (RULES §2.1): pb.contact, sent by the booking team (hub ctl pb
// contact) or the web UI when a patient replies to a partial-booking invitation or reminder.
#pragma once

#include <string>
#include <string_view>

#include "hub/common/status.hpp"

namespace hub::schemas {

inline constexpr std::string_view kPbContactType = "pb.contact";

struct PbContact {
  std::string entry_id;      // req: the FOLLOW_UP entry on the partial-booking list
  std::string contacted_on;  // opt: YYYY-MM-DD, default the booking worker's today
  std::string recorded_by;   // opt
  std::string note;          // opt

  bool operator==(const PbContact&) const = default;
};
std::string EncodePbContact(const PbContact& b);
Result<PbContact> DecodePbContact(std::string_view body_bytes);

}  // namespace hub::schemas
