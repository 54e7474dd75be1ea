// MDP helpers: the READY credit extension parses strictly and defaults to plain 7/MDP.
#include "hub/wire/mdp.hpp"

#include <doctest/doctest.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace hub::wire::mdp {
namespace {

TEST_CASE("credit frame parsing") {
  CHECK(ParseCredit("64") == 64);
  CHECK(ParseCredit("1") == 1);
  CHECK(ParseCredit("") == 1);
  CHECK(ParseCredit("0") == 1);
  CHECK(ParseCredit("abc") == 1);
  CHECK(ParseCredit("12x") == 1);
  CHECK(ParseCredit("70000") == 1);
}

TEST_CASE("frames round-trip over a socket pair") {
  zmq::context_t ctx;
  zmq::socket_t a(ctx, zmq::socket_type::pair), b(ctx, zmq::socket_type::pair);
  a.bind("inproc://mdp-test");
  b.connect("inproc://mdp-test");
  Frames out;
  out.push_back(Frame(""));
  out.push_back(Frame(kWorkerHeader));
  out.push_back(CommandFrame(Command::kReady));
  out.push_back(Frame("booking"));
  REQUIRE(SendFrames(a, out));
  Frames in;
  REQUIRE(RecvFramesWait(b, &in, 2000));
  REQUIRE(in.size() == 4);
  CHECK(View(in[1]) == "MDPW01");
  CHECK(View(in[2]) == std::string_view("\x01", 1));
  CHECK(View(in[3]) == "booking");
}

void Ignore(int) {}

TEST_CASE("a signal during the wait is a timeout, not an exception") {
  zmq::context_t ctx;
  zmq::socket_t a(ctx, zmq::socket_type::pair), b(ctx, zmq::socket_type::pair);
  a.bind("inproc://mdp-eintr");
  b.connect("inproc://mdp-eintr");
  // As a process's SIGTERM handler is installed: no SA_RESTART (poll is never restarted).
  struct sigaction sa = {};
  struct sigaction old = {};
  sa.sa_handler = Ignore;
  REQUIRE(sigaction(SIGUSR1, &sa, &old) == 0);
  // Signal this thread until the wait returns, so one lands while it waits.
  std::atomic<bool> done{false};
  pthread_t waiter = pthread_self();
  std::thread signaller([&] {
    while (!done.load()) {
      pthread_kill(waiter, SIGUSR1);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  Frames in;
  bool got = true;
  auto start = std::chrono::steady_clock::now();
  CHECK_NOTHROW(got = RecvFramesWait(b, &in, 10'000));
  auto waited = std::chrono::steady_clock::now() - start;
  done.store(true);
  signaller.join();
  sigaction(SIGUSR1, &old, nullptr);
  CHECK_FALSE(got);
  CHECK(in.empty());
  CHECK(waited < std::chrono::seconds(5));  // interrupted, not timed out
}

}  // namespace
}  // namespace hub::wire::mdp
