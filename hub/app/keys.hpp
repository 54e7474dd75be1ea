// CURVE key provisioning for a single-machine hub (`hub keys`, and `hub up` on first start).
#pragma once

#include <string>
#include <vector>

#include "hub/app/hub_config.hpp"
#include "hub/common/status.hpp"

namespace hub::app {

// Every process that talks to the broker, by the name it uses for its key file.
const std::vector<std::string>& ClientProcessNames();

// Creates any missing key: the broker's (broker.server_key_file, and its .pub next to it,
// which is what [client].server_public_key_file points at) and one per client process in
// [client].keys_dir, whose .pub files form the broker's allow-list. Existing keys are kept.
// Returns the files created.
Result<std::vector<std::string>> EnsureKeys(const HubConfig& config);

}  // namespace hub::app
