// The e-RS side of the adapter (RULES §3.2): A004 PRIORITY code system at start (cached in
// ers.db), A008 worklists per configured service and list type on a schedule that honours the
// application-restricted limit, and A005 for each new worklist item, each referral recorded
// through ErsStore::Intake (outbox) with the envelope id as X-Correlation-ID.
// Runs on its own thread with its own ErsStore and ErsClient; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/ers/ers_client.hpp"
#include "adapters/ers/ers_store.hpp"
#include "adapters/ers/fhir_code_system.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/ulid.hpp"

namespace hub::ers {

struct ErsPollerOptions {
  std::vector<std::string> services;  // e-RS service ids to fetch worklists for
  std::vector<WorklistType> worklists = {WorklistType::kReferralsForReview,
                                         WorklistType::kAppointmentSlotIssues};
  std::int64_t poll_interval_ms = 12LL * 3600 * 1000;  // per service and list type
  int retry_min_ms = 1000;     // first back-off after a 5xx, 429 or timeout; doubles
  int retry_max_ms = 300'000;  // back-off cap
  int items_per_round = 50;    // A005 calls per RunOnce
  MappingDefaults defaults;
};

class ErsPoller {
 public:
  ErsPoller(ErsStore& store, ErsClient& client, ErsPollerOptions options, const Clock& clock);

  // One round: A004 when still missing and due, A008 for each (service, list) that is due, then
  // A005 for up to items_per_round due items. Storage failures are returned; e-RS failures are
  // logged and recorded (4xx against the item, not retried; 5xx/timeouts retried with back-off).
  Status RunOnce();
  // The A004 PRIORITY code system in use (fresh or from the cache), if any.
  const std::optional<PriorityCodeSystem>& priorities() const { return priorities_; }

 private:
  struct Backoff {
    int attempts = 0;
    std::int64_t next_ms = 0;  // wall clock
  };
  std::int64_t Delay(int attempts) const;
  Status LoadPriorities();
  Status PollWorklist(const std::string& service, WorklistType type);
  Status FetchItem(const StoredItem& item);

  ErsStore& store_;
  ErsClient& client_;
  ErsPollerOptions options_;
  const Clock& clock_;
  UlidGenerator ids_;
  std::optional<PriorityCodeSystem> priorities_;
  Backoff a004_;
  std::map<std::string, Backoff> polls_;  // "<service>|<list>" -> back-off after failures
};

}  // namespace hub::ers
