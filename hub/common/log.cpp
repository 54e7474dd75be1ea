// Logging set-up.
#include "hub/common/log.hpp"

namespace hub {

void InitLogging(const std::string& process_name, const std::string& level) {
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [" + process_name + "] %v");
  auto lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off") lvl = spdlog::level::info;
  spdlog::set_level(lvl);
}

}  // namespace hub
