// The HL7 v2 MLLP listener (RULES §4.3): a Boost.Asio TCP server on one io_context thread with
// many concurrent connections. Each frame (or framing error) becomes a work item; the items that
// arrive in one turn of the event loop, from every connection, are handed to the batch handler
// together (group commit), and each connection then gets its replies in order. A slow or
// half-open connection only ever waits on its own timers: nothing blocks the loop.
// Not thread-safe: every call happens on the io_context's thread.
#pragma once

// clang-format off
#include <utility>  // first: Boost 1.74 Asio's awaitable.hpp needs std::exchange
// clang-format on
#include <boost/asio.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "adapters/ers/mllp.hpp"
#include "hub/common/status.hpp"

namespace hub::ers {

struct MllpServerOptions {
  std::string host = "127.0.0.1";  // address to bind
  int port = 2575;                 // 0 = a free port (tests); read it back with port()
  int max_connections = 64;        // further connections are closed at once
  std::size_t max_frame_bytes = kMllpDefaultMaxFrameBytes;
  int idle_timeout_ms = 300'000;  // no byte at all for this long: the connection is closed
  int frame_timeout_ms = 30'000;  // a frame started and not finished: AR, then closed
  int write_timeout_ms = 30'000;  // the peer does not read its ACKs: closed
  std::size_t max_batch = 512;    // work items per batch handler call
};

// One frame or framing error to answer.
struct MllpWork {
  std::string peer;  // "127.0.0.1:54321"
  bool framing_error = false;
  std::string message;  // the frame's bytes (framing_error: the bytes' description)
  Status error;         // framing_error: what was wrong
  std::string reply;    // set by the batch handler: the ACK to send (unframed)
};

class MllpServer {
 public:
  // Fills `reply` of every item (in order). Called on the io_context thread.
  using BatchHandler = std::function<void(std::vector<MllpWork>& batch)>;
  // Called after each reply was written (tests' fault hooks, metrics).
  using SentHook = std::function<void()>;

  MllpServer(boost::asio::io_context& io, MllpServerOptions options, BatchHandler handler);
  ~MllpServer();
  MllpServer(const MllpServer&) = delete;
  MllpServer& operator=(const MllpServer&) = delete;

  // Binds and starts accepting. Unavailable with the address when the port cannot be bound.
  Status Start();
  // Stops accepting and closes every connection.
  void Stop();
  int port() const { return port_; }
  int connections() const { return connections_; }
  void set_sent_hook(SentHook hook) { sent_hook_ = std::move(hook); }

  class Connection;

 private:
  friend class Connection;
  void Accept();
  void Enqueue(std::shared_ptr<Connection> conn, MllpWork work);
  void Flush();

  boost::asio::io_context& io_;
  MllpServerOptions options_;
  BatchHandler handler_;
  SentHook sent_hook_;
  boost::asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  int connections_ = 0;
  bool stopped_ = false;
  bool flush_posted_ = false;
  std::vector<std::pair<std::shared_ptr<Connection>, MllpWork>> pending_;
  std::vector<std::weak_ptr<Connection>> live_;
};

}  // namespace hub::ers
