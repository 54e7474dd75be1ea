// Messages of the CaB/e-RS template-sync adapter's own service `cab` (schemas/README.md "CaB"):
// its reply to slots.changed, and cab.drift — the drift report `hub ctl cab drift` prints, asked
// of the running adapter.
#pragma once

#include <cstdint>
#include <string>

#include "schemas/booking_types.hpp"

namespace hub::schemas {

inline constexpr std::string_view kCabAckType = "cab.ack";
inline constexpr std::string_view kCabDriftType = "cab.drift";
inline constexpr std::string_view kCabDriftResultType = "cab.drift.result";

// Reply to slots.changed: the event was taken and a reconciliation asked for.
struct CabAck {
  std::int64_t slots = 0;  // req: slots in the event
  bool reconcile = false;  // req: a reconciliation (and republication) was asked for

  bool operator==(const CabAck&) const = default;
};
std::string EncodeCabAck(const CabAck& b);
Result<CabAck> DecodeCabAck(std::string_view body_bytes);

struct CabDrift {
  bool refresh = false;  // opt: run a reconciliation first and report it, instead of the last

  bool operator==(const CabDrift&) const = default;
};
std::string EncodeCabDrift(const CabDrift& b);
Result<CabDrift> DecodeCabDrift(std::string_view body_bytes);

struct CabDriftResult {
  std::int64_t at_ms = 0;            // req: when the reported reconciliation ran (UTC ms)
  std::string error;                 // opt: why that reconciliation could not take a snapshot
  std::string ers_error;             // opt: why the e-RS definitions file could not be read
  std::int64_t items = 0;            // req: drift items
  std::int64_t needs_person = 0;     // req: items the adapter cannot fix itself
  std::int64_t fixed = 0;            // req: items fixed by republishing
  std::int64_t published_slots = 0;  // req: slots published after it
  std::string text;                  // req: the report (RenderDriftReport)

  bool operator==(const CabDriftResult&) const = default;
};
std::string EncodeCabDriftResult(const CabDriftResult& b);
Result<CabDriftResult> DecodeCabDriftResult(std::string_view body_bytes);

}  // namespace hub::schemas
