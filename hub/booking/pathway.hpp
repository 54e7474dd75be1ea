// A patient pathway (identified by its Patient Pathway Identifier: for e-RS the first UBRN) and
// its RTT clock events: start, stop with a status code, nullify (RULES §1.1-§1.3, §1.8). The
// event log is the record; the RTT periods are derived from it and always consistent with it.
#pragma once

#include <string>
#include <vector>

#include "hub/booking/rtt.hpp"
#include "hub/common/status.hpp"

namespace hub::booking {

enum class ClockEventKind : std::uint8_t {
  kStart = 1,    // "START"
  kStop = 2,     // "STOP"
  kNullify = 3,  // "NULLIFY": stop and remove from every measure (status 33)
};
std::string_view ClockEventKindName(ClockEventKind k);

struct ClockEvent {
  ClockEventKind kind = ClockEventKind::kStart;
  Date date;
  RttStatus status = RttStatus::kFirstActivity;
  std::string
      reason;  // why, for the pathway history ("first appointment DNA, letter not returned")

  bool operator==(const ClockEvent&) const = default;
};

class Pathway {
 public:
  Pathway() = default;
  Pathway(std::string pathway_id, std::string nhs_number, std::string specialty);

  // Rebuilds a pathway from its persisted event log, checking every event in order as the
  // Start/Stop/Nullify calls below would.
  static Result<Pathway> FromEvents(std::string pathway_id, std::string nhs_number,
                                    std::string specialty, std::vector<std::string> referral_ids,
                                    const std::vector<ClockEvent>& events);

  // Starts a new RTT period. `status` must be a start code (10, 11, 12); FailedPrecondition when
  // a clock is already running or `date` is before the last stop.
  Status StartClock(Date date, RttStatus status, std::string reason);
  // Stops the running clock. `status` must be a stop code (30-36); 33 nullifies the period
  // (RULES §1.2 rule 5e). FailedPrecondition when no clock is running; InvalidArgument (field
  // "date") when `date` is before the clock start.
  Status StopClock(Date date, RttStatus status, std::string reason);
  // StopClock with status 33.
  Status NullifyClock(Date date, std::string reason);

  void AddReferral(const std::string& referral_id);

  const std::string& pathway_id() const { return pathway_id_; }
  const std::string& nhs_number() const { return nhs_number_; }
  const std::string& specialty() const { return specialty_; }
  const std::vector<std::string>& referral_ids() const { return referral_ids_; }
  const std::vector<ClockEvent>& events() const { return events_; }
  const std::vector<RttPeriod>& periods() const { return periods_; }
  // The latest period, or nullptr before the first clock start.
  const RttPeriod* current() const { return periods_.empty() ? nullptr : &periods_.back(); }
  bool clock_running() const { return current() && current()->open(); }

  bool operator==(const Pathway&) const = default;

 private:
  Status Apply(const ClockEvent& e);

  std::string pathway_id_;
  std::string nhs_number_;
  std::string specialty_;
  std::vector<std::string> referral_ids_;
  std::vector<ClockEvent> events_;
  std::vector<RttPeriod> periods_;
};

}  // namespace hub::booking
