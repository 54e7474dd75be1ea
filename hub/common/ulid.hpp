// ULIDs: the globally unique, time-ordered ids of envelopes, letters, coversheets (DESIGN §2).
// Format (ulid/spec): 26 characters of Crockford base32 = 48-bit ms timestamp + 80 random bits.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "hub/common/clock.hpp"

namespace hub {

// Generates ULIDs that sort in creation order even within one millisecond (the random part is
// incremented rather than redrawn when the clock has not moved). Thread-safe.
class UlidGenerator {
 public:
  explicit UlidGenerator(const Clock& clock);
  std::string Next();

 private:
  const Clock& clock_;
  std::mutex mu_;
  std::int64_t last_ms_ = -1;
  std::array<std::uint8_t, 10> random_{};
};

// A ULID from a process-wide generator on the system clock.
std::string NewUlid();

// True when `s` is 26 Crockford base32 characters whose first is 0-7 (the 48-bit time fits).
bool IsUlid(std::string_view s);

// The millisecond timestamp encoded in a valid ULID.
std::int64_t UlidTimeMs(std::string_view ulid);

}  // namespace hub
