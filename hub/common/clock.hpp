// Injectable time (HOUSE_STYLE §19, envoy's "injected time"): code that needs "now" takes a
// Clock&, so tests drive time by hand and domain rules never read the system clock themselves.
#pragma once

#include <atomic>
#include <cstdint>

namespace hub {

// Thread-safe: implementations may be read from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  // Wall clock, milliseconds since the Unix epoch (UTC). Stored in envelopes and journals.
  virtual std::int64_t NowMs() const = 0;
  // Monotonic milliseconds for timeouts and heartbeats; unrelated to the wall clock.
  virtual std::int64_t SteadyMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t NowMs() const override;
  std::int64_t SteadyMs() const override;
  // A process-wide instance; lives for the whole program.
  static const SystemClock& Instance();
};

// The system clock shifted by a fixed offset: wall time is the system's plus `offset_ms`, steady
// time is the system's. For tests that run a real process as if on another day
// (`hub worker booking --today`).
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(std::int64_t offset_ms) : offset_ms_(offset_ms) {}
  std::int64_t NowMs() const override { return SystemClock::Instance().NowMs() + offset_ms_; }
  std::int64_t SteadyMs() const override { return SystemClock::Instance().SteadyMs(); }

 private:
  std::int64_t offset_ms_;
};

// A clock that moves only when told to. Wall and steady time advance together.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t now_ms = 1'700'000'000'000) : now_ms_(now_ms) {}
  std::int64_t NowMs() const override { return now_ms_.load(); }
  std::int64_t SteadyMs() const override { return now_ms_.load(); }
  void Set(std::int64_t now_ms) { now_ms_.store(now_ms); }
  void Advance(std::int64_t ms) { now_ms_.fetch_add(ms); }

 private:
  std::atomic<std::int64_t> now_ms_;
};

}  // namespace hub
