// `hub worker booking`: an MDP worker of service "booking" (with credit), its outbox sender, and
// the daily sweep, in one thread (DESIGN §1, §5).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "hub/common/clock.hpp"
#include "hub/common/config_table.hpp"
#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"
#include "hub/wire/curve.hpp"

namespace hub::booking_worker {

// The [booking] table of hub.toml (documented in config/hub.toml).
struct BookingWorkerConfig {
  std::string db_path = "booking.db";                  // relative to data_dir
  storage::Synchronous synchronous = storage::Synchronous::kFull;
  std::string rules_file = "booking-rules.toml";       // relative to the config folder
  std::string clinics_dir = "clinics";                 // relative to the config folder
  std::string reports_dir = "reports";                 // weekly PTL files; relative to data_dir
  std::uint32_t credit = 64;                           // requests held (and committed) at once
  int heartbeat_ms = 2500;                             // must match [broker].heartbeat_ms
  int outbox_in_flight = 256;                          // outbound messages awaiting a reply
  int outbox_timeout_ms = 10'000;                      // resend (same id) after this
};

Status LoadBookingWorkerConfig(ConfigTable& table, const std::string& config_dir,
                               const std::string& data_dir, BookingWorkerConfig* out);

// Runs until `stop` is set. Returns an error when storage fails (the process must exit; a
// restart reloads the state and the broker redelivers unanswered requests).
Status RunBookingWorker(const BookingWorkerConfig& config, const wire::BrokerConnection& broker,
                        const Clock& clock, const std::atomic<bool>& stop);

}  // namespace hub::booking_worker
