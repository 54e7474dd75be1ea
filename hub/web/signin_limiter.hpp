// Rate limit for sign-in (issue 9 §3): after `max_failures` failed attempts for one key (a user
// name, or a remote address) within `window_ms`, further attempts for that key are refused until
// the oldest failure leaves the window. Pure: time is passed in. Bounded: at most `max_keys`
// keys are tracked; the stalest is forgotten first. Not thread-safe (owned by the server thread).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>

namespace hub::web {

class SigninLimiter {
 public:
  SigninLimiter(int max_failures, std::int64_t window_ms, std::size_t max_keys = 10'000)
      : max_failures_(max_failures), window_ms_(window_ms), max_keys_(max_keys) {}

  // 0 when an attempt for `key` may go ahead now; otherwise ms until it may.
  std::int64_t RetryAfterMs(const std::string& key, std::int64_t now_ms);
  void RecordFailure(const std::string& key, std::int64_t now_ms);
  // A successful sign-in clears the key's failures.
  void Clear(const std::string& key) { failures_.erase(key); }

 private:
  void Expire(std::deque<std::int64_t>& times, std::int64_t now_ms) const;
  int max_failures_;
  std::int64_t window_ms_;
  std::size_t max_keys_;
  std::map<std::string, std::deque<std::int64_t>> failures_;
};

}  // namespace hub::web
