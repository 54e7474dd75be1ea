// Sliding-window sign-in limiter.
#include "hub/web/signin_limiter.hpp"

namespace hub::web {

void SigninLimiter::Expire(std::deque<std::int64_t>& times, std::int64_t now_ms) const {
  while (!times.empty() && times.front() + window_ms_ <= now_ms) times.pop_front();
}

std::int64_t SigninLimiter::RetryAfterMs(const std::string& key, std::int64_t now_ms) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  Expire(it->second, now_ms);
  if (it->second.empty()) {
    failures_.erase(it);
    return 0;
  }
  if (static_cast<int>(it->second.size()) < max_failures_) return 0;
  return it->second.front() + window_ms_ - now_ms;
}

void SigninLimiter::RecordFailure(const std::string& key, std::int64_t now_ms) {
  if (!failures_.count(key) && failures_.size() >= max_keys_) {
    // Forget the key whose newest failure is oldest.
    auto stalest = failures_.begin();
    for (auto it = failures_.begin(); it != failures_.end(); ++it) {
      if (it->second.empty() || (!stalest->second.empty() && it->second.back() < stalest->second.back())) {
        stalest = it;
      }
    }
    failures_.erase(stalest);
  }
  auto& times = failures_[key];
  Expire(times, now_ms);
  times.push_back(now_ms);
  while (static_cast<int>(times.size()) > max_failures_) times.pop_front();
}

}  // namespace hub::web
