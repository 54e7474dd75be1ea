// Logging: spdlog with one pattern for every process, so lines from `hub up`'s children can be
// told apart ("[broker]", "[adapter.ers]").
#pragma once

#include <spdlog/spdlog.h>

#include <string>

namespace hub {

// Sets the default logger's pattern and level. `level` is an spdlog level name ("info",
// "debug", "warn"...); an unknown name means "info". Call once at process start.
void InitLogging(const std::string& process_name, const std::string& level = "info");

}  // namespace hub
