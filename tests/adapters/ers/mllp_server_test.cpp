// The MLLP server in-process with a stand-in batch handler: replies in order for pipelined
// frames, framing errors handed over as work, the connection limit, and the idle and frame
// timeouts (the adapter's handler and real messages: tests/integration/ers_integration_test).

// clang-format off
#include <utility>  // first: Boost 1.74 Asio's awaitable.hpp needs std::exchange
// clang-format on
#include "adapters/ers/mllp_server.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace hub::ers {
namespace {

using namespace std::chrono_literals;

class Client {
 public:
  explicit Client(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~Client() { close(fd_); }
  void Send(const std::string& bytes) {
    REQUIRE(send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(bytes.size()));
  }
  // Everything received until `n` framed replies are in, or `timeout`; "" pieces on close.
  std::vector<std::string> Replies(std::size_t n, std::chrono::milliseconds timeout = 5s) {
    std::vector<std::string> out;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (out.size() < n) {
      std::size_t end = buffer_.find("\x1c\r");
      if (end != std::string::npos) {
        out.push_back(buffer_.substr(1, end - 1));
        buffer_.erase(0, end + 2);
        continue;
      }
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      deadline - std::chrono::steady_clock::now())
                                      .count());
      pollfd p{fd_, POLLIN, 0};
      if (left <= 0 || poll(&p, 1, left) <= 0) break;
      char buf[4096];
      ssize_t r = recv(fd_, buf, sizeof buf, 0);
      if (r <= 0) break;
      buffer_.append(buf, static_cast<std::size_t>(r));
    }
    return out;
  }
  bool Closed(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char buf[16];
    return recv(fd_, buf, sizeof buf, 0) == 0;
  }

 private:
  int fd_ = -1;
  std::string buffer_;
};

struct Server {
  boost::asio::io_context io;
  std::vector<std::size_t> batch_sizes;
  MllpServer server;
  std::thread thread;
  explicit Server(MllpServerOptions o)
      : server(io, o, [this](std::vector<MllpWork>& batch) {
          batch_sizes.push_back(batch.size());
          for (auto& w : batch) w.reply = (w.framing_error ? "ERR:" : "ACK:") + w.message;
        }) {
    REQUIRE(server.Start().ok());
    thread = std::thread([this] { io.run(); });
  }
  ~Server() {
    io.stop();
    thread.join();
  }
};

MllpServerOptions Options() {
  MllpServerOptions o;
  o.port = 0;
  o.max_connections = 2;
  o.idle_timeout_ms = 400;
  o.frame_timeout_ms = 300;
  return o;
}

TEST_CASE("pipelined frames are answered in order, framing errors too") {
  Server s(Options());
  Client c(s.server.port());
  c.Send("\x0bone\x1c\r\x0btwo\x1c\r\x0b\x0bthree\x1c\r");
  auto replies = c.Replies(4);
  REQUIRE(replies.size() == 4);
  CHECK(replies[0] == "ACK:one");
  CHECK(replies[1] == "ACK:two");
  CHECK(replies[2].rfind("ERR:", 0) == 0);  // a start block inside a frame
  CHECK(replies[3] == "ACK:three");
}

TEST_CASE("connections beyond max_connections are closed at once") {
  Server s(Options());
  Client a(s.server.port());
  Client b(s.server.port());
  a.Send("\x0bA\x1c\r");
  b.Send("\x0bB\x1c\r");
  CHECK(a.Replies(1).size() == 1);
  CHECK(b.Replies(1).size() == 1);
  Client c(s.server.port());
  CHECK(c.Closed(2s));
}

TEST_CASE("timeouts: an idle connection is closed; a frame left open is answered, then closed") {
  Server s(Options());
  Client idle(s.server.port());
  Client open_frame(s.server.port());
  open_frame.Send("\x0bhalf a mess");
  auto replies = open_frame.Replies(1, 3s);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].rfind("ERR:", 0) == 0);
  CHECK(open_frame.Closed(2s));
  CHECK(idle.Closed(3s));
}

TEST_CASE("a short run of stray bytes is answered on the idle timeout") {
  Server s(Options());
  Client c(s.server.port());
  c.Send("junk");
  auto replies = c.Replies(1, 3s);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].rfind("ERR:", 0) == 0);
}

}  // namespace
}  // namespace hub::ers
