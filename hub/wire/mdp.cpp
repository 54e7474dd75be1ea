// MDP helpers.
#include "hub/wire/mdp.hpp"

#include <charconv>
#include <chrono>

namespace hub::wire::mdp {

std::uint32_t ParseCredit(std::string_view frame) {
  std::uint32_t credit = 0;
  auto [ptr, ec] = std::from_chars(frame.data(), frame.data() + frame.size(), credit);
  if (ec != std::errc() || ptr != frame.data() + frame.size() || credit == 0 || credit > 65535) {
    return 1;
  }
  return credit;
}

SendResult Send(zmq::socket_t& socket, Frames& frames, bool dont_wait) {
  for (std::size_t i = 0; i < frames.size(); ++i) {
    auto flags = (i + 1 < frames.size()) ? zmq::send_flags::sndmore : zmq::send_flags::none;
    if (dont_wait) flags = flags | zmq::send_flags::dontwait;
    try {
      auto sent = socket.send(frames[i], flags);
      if (!sent) return SendResult::kWouldBlock;
    } catch (const zmq::error_t& e) {
      // EHOSTUNREACH from ROUTER_MANDATORY: the peer is gone. Only the first frame can fail this
      // way, so nothing partial is left on the socket. Any other error (ETERM at shutdown) also
      // means "not sent": the caller requeues, so nothing is lost and nothing throws.
      return e.num() == EAGAIN ? SendResult::kWouldBlock : SendResult::kUnreachable;
    }
  }
  return SendResult::kSent;
}

bool RecvFrames(zmq::socket_t& socket, Frames* frames) {
  frames->clear();
  while (true) {
    zmq::message_t msg;
    auto got = socket.recv(msg, frames->empty() ? zmq::recv_flags::dontwait : zmq::recv_flags::none);
    if (!got) return false;
    bool more = msg.more();
    frames->push_back(std::move(msg));
    if (!more) return true;
  }
}

bool RecvFramesWait(zmq::socket_t& socket, Frames* frames, int timeout_ms) {
  zmq::pollitem_t item{static_cast<void*>(socket), 0, ZMQ_POLLIN, 0};
  try {
    if (zmq::poll(&item, 1, std::chrono::milliseconds(timeout_ms)) <= 0) return false;
  } catch (const zmq::error_t&) {
    // A signal arrived (SIGTERM asking the process to stop): poll(2) is never restarted, and
    // cppzmq throws EINTR. Nothing was received; the caller looks at its stop flag and waits
    // again. Anything else (ETERM at shutdown) is "nothing received" too.
    frames->clear();
    return false;
  }
  return RecvFrames(socket, frames);
}

}  // namespace hub::wire::mdp
