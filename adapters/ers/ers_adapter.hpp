// `hub adapter ers` (DESIGN §1): the e-Referral adapter process. The HL7 v2 MLLP listener and
// the folder drop share one Asio thread; the outbox delivery to service `booking` and the e-RS
// FHIR poller each run on a thread of their own; each thread owns its ers.db connection (WAL).
// Every referral is in ers.db's outbox (committed) before its sender hears AA; delivery retries
// with the same envelope id until the booking worker answers, and the answer is recorded.
#pragma once

#include <atomic>
#include <cstdint>

#include "adapters/ers/ers_config.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/wire/curve.hpp"

namespace hub::ers {

struct ErsAdapterOptions {
  ErsConfig config;
  // Fault injection for the "nothing lost" test: SIGKILL this process right after the Nth
  // HL7 reply has been written to its socket (0 = never).
  int crash_after_acks = 0;
};

// Runs until `stop` becomes true (checked every 50 ms) or a start-up/storage error. Logs
// "ers adapter ready" with the MLLP port once listening. Start-up errors name what failed.
Status RunErsAdapter(const ErsAdapterOptions& options, const wire::BrokerConnection& broker,
                     const Clock& clock, const std::atomic<bool>& stop);

}  // namespace hub::ers
