// Runs blocking BookingGateway calls off the HTTP threads, on a bounded pool, each raced against
// a deadline: the HTTP side hears exactly once — the result, or "timed out" — and a result that
// arrives after the deadline goes to a separate handler (which undoes a late booking, so nothing
// is left half-booked after e-RS was told the booking failed; A016 2-minute window).
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

#include "hub/common/status.hpp"

namespace hub::cab {

// Thread-safe.
class GatewayRunner {
 public:
  GatewayRunner(int threads, std::size_t max_pending);
  ~GatewayRunner();
  GatewayRunner(const GatewayRunner&) = delete;
  GatewayRunner& operator=(const GatewayRunner&) = delete;

  // Queues `call` on a gateway thread. Returns false (and runs nothing) when max_pending calls are
  // already queued or running, or after Stop: the caller answers 503.
  //
  // Exactly one of `on_done(result)` and `on_timeout()` runs, on `reply_executor`:
  //   - on_done when `call` returned within `timeout`;
  //   - on_timeout when `timeout` passed first. `call` is then skipped if it has not started; if
  //     it is running, `on_late(result)` runs on the gateway thread when it returns.
  template <typename T>
  bool Run(boost::asio::any_io_executor reply_executor, std::chrono::milliseconds timeout,
           std::function<Result<T>()> call, std::function<void(Result<T>)> on_done,
           std::function<void()> on_timeout, std::function<void(Result<T>)> on_late);

  // Stops taking calls, abandons queued ones and waits for running ones. Idempotent.
  void Stop();

  std::size_t pending() const { return pending_.load(); }

 private:
  enum State : int { kWaiting = 0, kAnswered = 1, kTimedOut = 2 };
  struct Race {
    explicit Race(boost::asio::any_io_executor ex) : timer(std::move(ex)) {}
    std::atomic<int> state{kWaiting};
    boost::asio::steady_timer timer;
  };

  boost::asio::thread_pool pool_;
  const std::size_t max_pending_;
  std::atomic<std::size_t> pending_{0};
  std::atomic<bool> stopped_{false};
};

template <typename T>
bool GatewayRunner::Run(boost::asio::any_io_executor reply_executor,
                        std::chrono::milliseconds timeout, std::function<Result<T>()> call,
                        std::function<void(Result<T>)> on_done, std::function<void()> on_timeout,
                        std::function<void(Result<T>)> on_late) {
  if (stopped_.load()) return false;
  if (pending_.fetch_add(1) >= max_pending_) {
    pending_.fetch_sub(1);
    return false;
  }
  auto race = std::make_shared<Race>(reply_executor);
  race->timer.expires_after(timeout);
  race->timer.async_wait([race, on_timeout](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: the answer came first
    int expected = kWaiting;
    if (race->state.compare_exchange_strong(expected, kTimedOut)) on_timeout();
  });
  boost::asio::post(pool_, [this, race, reply_executor, call = std::move(call),
                            on_done = std::move(on_done), on_late = std::move(on_late)]() {
    if (race->state.load() == kTimedOut) {  // never started: nothing to undo
      pending_.fetch_sub(1);
      return;
    }
    Result<T> result = call();
    int expected = kWaiting;
    if (race->state.compare_exchange_strong(expected, kAnswered)) {
      boost::asio::post(reply_executor, [race, on_done, result = std::move(result)]() mutable {
        race->timer.cancel();
        on_done(std::move(result));
      });
    } else {
      on_late(std::move(result));
    }
    pending_.fetch_sub(1);
  });
  return true;
}

}  // namespace hub::cab
