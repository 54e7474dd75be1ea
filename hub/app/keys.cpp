// Key provisioning.
#include "hub/app/keys.hpp"

#include <filesystem>

#include "hub/wire/curve.hpp"

namespace hub::app {

namespace fs = std::filesystem;

const std::vector<std::string>& ClientProcessNames() {
  static const std::vector<std::string> kNames = {"booking",       "adapter.ers",  "adapter.cab",
                                                  "adapter.print", "adapter.scan", "web", "ctl"};
  return kNames;
}

Result<std::vector<std::string>> EnsureKeys(const HubConfig& config) {
  std::vector<std::string> created;
  auto ensure = [&](const std::string& key_file) -> Status {
    if (fs::exists(key_file)) return Status::Ok();
    HUB_ASSIGN_OR_RETURN(auto kp, wire::GenerateCurveKeyPair());
    HUB_RETURN_IF_ERROR(wire::SaveCurveKeyPair(key_file, kp));
    created.push_back(key_file);
    return Status::Ok();
  };
  HUB_RETURN_IF_ERROR(ensure(config.broker.server_key_file));
  for (const auto& name : ClientProcessNames()) {
    HUB_RETURN_IF_ERROR(ensure((fs::path(config.client.keys_dir) / (name + ".key")).string()));
  }
  return created;
}

}  // namespace hub::app
