// The gateway call pool: an answer in time, a timeout with the late result handed on, a queued
// call skipped after its deadline, and the bound on pending calls. Waits on events, never sleeps.
#include "adapters/cab/gateway_runner.hpp"

#include <doctest/doctest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <future>
#include <thread>

namespace hub::cab {
namespace {

using namespace std::chrono_literals;

// An io_context running on its own thread, as the HTTP server's is.
struct Io {
  boost::asio::io_context ioc;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard =
      boost::asio::make_work_guard(ioc);
  std::thread thread{[this] { ioc.run(); }};
  ~Io() {
    guard.reset();
    ioc.stop();
    thread.join();
  }
};

// A gate a call waits at until the test opens it.
struct Gate {
  std::promise<void> opened;
  std::shared_future<void> wait = opened.get_future().share();
};

TEST_CASE("an answer within the deadline goes to on_done only") {
  Io io;
  GatewayRunner runner(2, 8);
  std::promise<int> done;
  bool timed_out = false;
  REQUIRE(runner.Run<int>(
      io.ioc.get_executor(), 5s, [] { return Result<int>(42); },
      [&](Result<int> r) { done.set_value(r.ok() ? *r : -1); }, [&] { timed_out = true; },
      [](Result<int>) { FAIL("late handler called"); }));
  auto f = done.get_future();
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  CHECK(f.get() == 42);
  CHECK_FALSE(timed_out);
}

TEST_CASE("a call still running at the deadline: on_timeout now, on_late with its result later") {
  Io io;
  GatewayRunner runner(1, 8);
  Gate gate;
  std::promise<void> timed_out;
  std::promise<int> late;
  REQUIRE(runner.Run<int>(
      io.ioc.get_executor(), 50ms,
      [&] {
        gate.wait.wait();
        return Result<int>(7);
      },
      [](Result<int>) { FAIL("on_done after the deadline"); }, [&] { timed_out.set_value(); },
      [&](Result<int> r) { late.set_value(*r); }));
  REQUIRE(timed_out.get_future().wait_for(5s) == std::future_status::ready);
  gate.opened.set_value();
  auto f = late.get_future();
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  CHECK(f.get() == 7);
}

TEST_CASE("a queued call whose deadline passes before it starts is never made") {
  Io io;
  GatewayRunner runner(1, 8);
  Gate gate;
  std::promise<void> first_started;
  std::promise<void> first_done;
  REQUIRE(runner.Run<int>(
      io.ioc.get_executor(), 5s,
      [&] {
        first_started.set_value();
        gate.wait.wait();
        return Result<int>(1);
      },
      [&](Result<int>) { first_done.set_value(); }, [] {}, [](Result<int>) {}));
  REQUIRE(first_started.get_future().wait_for(5s) == std::future_status::ready);
  std::atomic<bool> second_called{false};
  std::promise<void> second_timed_out;
  REQUIRE(runner.Run<int>(
      io.ioc.get_executor(), 20ms,
      [&] {
        second_called = true;
        return Result<int>(2);
      },
      [](Result<int>) { FAIL("on_done for a call that never ran"); },
      [&] { second_timed_out.set_value(); }, [](Result<int>) { FAIL("on_late"); }));
  REQUIRE(second_timed_out.get_future().wait_for(5s) == std::future_status::ready);
  gate.opened.set_value();
  REQUIRE(first_done.get_future().wait_for(5s) == std::future_status::ready);
  runner.Stop();  // waits for the pool: the skipped call has been dequeued by now
  CHECK_FALSE(second_called.load());
}

TEST_CASE("at most max_pending calls; more are refused until one finishes; none after Stop") {
  Io io;
  GatewayRunner runner(1, 2);
  Gate gate;
  std::promise<void> both_done;
  std::atomic<int> done{0};
  auto call = [&] {
    gate.wait.wait();
    return Result<int>(0);
  };
  auto on_done = [&](Result<int>) {
    if (++done == 2) both_done.set_value();
  };
  REQUIRE(runner.Run<int>(
      io.ioc.get_executor(), 5s, call, on_done, [] {}, [](Result<int>) {}));
  REQUIRE(runner.Run<int>(
      io.ioc.get_executor(), 5s, call, on_done, [] {}, [](Result<int>) {}));
  CHECK(runner.pending() == 2);
  CHECK_FALSE(runner.Run<int>(
      io.ioc.get_executor(), 5s, call, on_done, [] {}, [](Result<int>) {}));
  gate.opened.set_value();
  REQUIRE(both_done.get_future().wait_for(5s) == std::future_status::ready);
  runner.Stop();
  CHECK_FALSE(runner.Run<int>(
      io.ioc.get_executor(), 5s, call, on_done, [] {}, [](Result<int>) {}));
}

}  // namespace
}  // namespace hub::cab
