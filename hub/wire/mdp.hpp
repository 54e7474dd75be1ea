// ZeroMQ RFC 7/MDP (Majordomo Protocol 0.1) and 8/MMI constants, plus the hub's one extension:
// an optional credit frame on READY. Frame layouts are written out in docs/protocol.md.
#pragma once

#include <zmq.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hub::wire::mdp {

inline constexpr std::string_view kClientHeader = "MDPC01";  // 7/MDP MDP/Client v0.1
inline constexpr std::string_view kWorkerHeader = "MDPW01";  // 7/MDP MDP/Worker v0.1

enum class Command : std::uint8_t {
  kReady = 0x01,
  kRequest = 0x02,
  kReply = 0x03,
  kHeartbeat = 0x04,
  kDisconnect = 0x05,
};

// 8/MMI: a request to a service whose name starts with "mmi." is answered by the broker.
inline constexpr std::string_view kMmiPrefix = "mmi.";
inline constexpr std::string_view kMmiService = "mmi.service";  // body: a service name
// The hub's own broker-answered service for operators (`hub ctl`): see docs/protocol.md.
inline constexpr std::string_view kAdminService = "hub.admin";

// Default heartbeat interval and liveness (7/MDP "Heartbeating"; 3-5 missed beats = dead).
inline constexpr int kDefaultHeartbeatMs = 2500;
inline constexpr int kDefaultLiveness = 3;

using Frames = std::vector<zmq::message_t>;

inline std::string_view View(const zmq::message_t& m) {
  return std::string_view(static_cast<const char*>(m.data()), m.size());
}
inline zmq::message_t Frame(std::string_view s) { return zmq::message_t(s.data(), s.size()); }
inline zmq::message_t CommandFrame(Command c) {
  auto b = static_cast<char>(c);
  return zmq::message_t(&b, 1);
}

// The credit a worker asked for in READY frame 4: a decimal string 1..65535. Absent or
// malformed means 1 (plain 7/MDP lock-step).
std::uint32_t ParseCredit(std::string_view frame);

enum class SendResult { kSent, kUnreachable, kWouldBlock };

// Sends all frames as one multipart message. With ROUTER_MANDATORY a peer that is gone gives
// kUnreachable; a full pipe gives kWouldBlock when `dont_wait`. Never throws.
SendResult Send(zmq::socket_t& socket, Frames& frames, bool dont_wait = false);
// Send() == kSent.
inline bool SendFrames(zmq::socket_t& socket, Frames& frames, bool dont_wait = false) {
  return Send(socket, frames, dont_wait) == SendResult::kSent;
}

// Receives one multipart message without blocking; false when none is waiting.
bool RecvFrames(zmq::socket_t& socket, Frames* frames);
// Waits up to `timeout_ms` (-1: forever) for one multipart message; false on timeout, and
// when a signal interrupts the wait (EINTR), so a signal handler's stop flag is seen.
bool RecvFramesWait(zmq::socket_t& socket, Frames* frames, int timeout_ms);

}  // namespace hub::wire::mdp
