// MDP helpers: the READY credit extension parses strictly and defaults to plain 7/MDP.
#include "hub/wire/mdp.hpp"

#include <doctest/doctest.h>

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

}  // namespace
}  // namespace hub::wire::mdp
