// template.upsert, template.change.request and template.change.approve bodies (schemas/README.md
// "Booking"): clinic templates and changes to them (RULES §8). Service: booking.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "schemas/booking_types.hpp"

namespace hub::schemas {

inline constexpr std::string_view kTemplateUpsertType = "template.upsert";
inline constexpr std::string_view kTemplateChangeRequestType = "template.change.request";
inline constexpr std::string_view kTemplateChangeApproveType = "template.change.approve";

struct SlotDefBody {
  std::string start;                         // req: HH:MM local time
  std::int64_t length_minutes = 0;           // req
  std::string type;                          // req: SlotTypeValues
  std::optional<std::int64_t> capacity;      // opt, default 1
  std::optional<std::int64_t> release_days;  // opt, default: the template's

  bool operator==(const SlotDefBody&) const = default;
};

struct TemplateBody {
  std::string clinic_code;                            // req
  std::string clinic_name;                            // opt
  std::string consultant;                             // req
  std::string specialty;                              // req
  std::string clinic_type;                            // req
  std::string site;                                   // req
  std::string room;                                   // opt
  std::int64_t weekday = 0;                           // req: ISO 1 = Monday ... 7 = Sunday
  std::string start;                                  // req: HH:MM
  std::string end;                                    // req: HH:MM
  std::string effective_from;                         // req: YYYY-MM-DD
  std::string effective_to;                           // opt: YYYY-MM-DD
  std::vector<SlotDefBody> slots;                     // req
  std::optional<std::int64_t> booking_horizon_weeks;  // opt, default 12
  std::optional<std::int64_t> release_days;           // opt, default 0

  bool operator==(const TemplateBody&) const = default;
};
std::string WriteTemplate(const TemplateBody& b);
Status ReadTemplate(const wire::MapReader& r, TemplateBody* out);

struct TemplateUpsert {
  TemplateBody tmpl;         // req, key "template"
  std::string change_id;     // opt
  std::string requested_by;  // opt
  std::string reason;        // opt

  bool operator==(const TemplateUpsert&) const = default;
};
std::string EncodeTemplateUpsert(const TemplateUpsert& b);
Result<TemplateUpsert> DecodeTemplateUpsert(std::string_view body_bytes);

struct TemplateChangeRequest {
  std::string change_id;     // req
  std::string clinic_code;   // req
  std::string kind;          // req: TemplateChangeKindValues
  std::string session_date;  // CANCEL_SESSION: YYYY-MM-DD
  std::string effective_to;  // END_CLINIC: YYYY-MM-DD, last date with a session
  std::string reason;        // opt: e-RS reason, default CLINIC_CANCELLED
  std::string comment;       // opt
  std::string requested_by;  // opt

  bool operator==(const TemplateChangeRequest&) const = default;
};
std::string EncodeTemplateChangeRequest(const TemplateChangeRequest& b);
Result<TemplateChangeRequest> DecodeTemplateChangeRequest(std::string_view body_bytes);

struct TemplateChangeApprove {
  std::string change_id;    // req
  bool approve = false;     // req: true approves, false rejects
  std::string approved_by;  // opt
  std::string comment;      // opt

  bool operator==(const TemplateChangeApprove&) const = default;
};
std::string EncodeTemplateChangeApprove(const TemplateChangeApprove& b);
Result<TemplateChangeApprove> DecodeTemplateChangeApprove(std::string_view body_bytes);

}  // namespace hub::schemas
