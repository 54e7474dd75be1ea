// Reading the broker's admin.status in tests and benchmarks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "adapters/common/mdp_client.hpp"

namespace hub::testing {

// Requests queued (waiting or in flight) for `service` as the broker reports after committing
// its current round, or nullopt when the broker did not answer.
std::optional<std::int64_t> QueuedCount(adapters::MdpClient& admin, const std::string& service);

}  // namespace hub::testing
