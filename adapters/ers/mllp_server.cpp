// MLLP listener: accept, per-connection decoding and timers, group-committed batches.
#include "adapters/ers/mllp_server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>

namespace hub::ers {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

class MllpServer::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(MllpServer& server, tcp::socket socket)
      : server_(server),
        socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        decoder_(server.options_.max_frame_bytes) {
    error_code ec;
    auto ep = socket_.remote_endpoint(ec);
    peer_ = ec ? "unknown" : fmt::format("{}:{}", ep.address().to_string(), ep.port());
  }

  const std::string& peer() const { return peer_; }
  void Start() { Read(); }

  // One reply for the oldest unanswered work item of this connection; Send() writes it.
  void Queue(const std::string& reply) {
    --awaiting_;
    if (closed_) return;
    if (Status s = AppendMllpFrame(reply, out_); !s.ok()) {
      spdlog::error("MLLP {}: cannot frame our ACK: {}", peer_, s.ToString());
    }
  }

  // Writes every queued reply (a batch's replies to one connection go out in one write).
  void Send() { Write(); }

  void Close() {
    if (closed_) return;
    closed_ = true;
    ++timer_seq_;
    timer_.cancel();
    error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    --server_.connections_;
    spdlog::debug("MLLP {}: closed", peer_);
  }

 private:
  void Arm(int ms, bool reading) {
    auto seq = ++timer_seq_;
    timer_.expires_after(std::chrono::milliseconds(ms));
    timer_.async_wait([self = shared_from_this(), seq, reading](const error_code& ec) {
      if (ec || seq != self->timer_seq_ || self->closed_) return;
      if (reading) {
        self->OnReadTimeout();
      } else {
        spdlog::warn("MLLP {}: peer does not read its ACKs; closing", self->peer_);
        self->Close();
      }
    });
  }

  void Read() {
    if (closed_ || reading_ || peer_eof_ || close_after_write_) return;
    reading_ = true;
    Arm(decoder_.InFrame() ? server_.options_.frame_timeout_ms : server_.options_.idle_timeout_ms,
        true);
    socket_.async_read_some(
        asio::buffer(buf_),
        [self = shared_from_this()](const error_code& ec, std::size_t n) { self->OnRead(ec, n); });
  }

  void Emit(std::vector<MllpEvent>& events) {
    for (auto& e : events) {
      MllpWork w;
      w.peer = peer_;
      if (e.kind == MllpEvent::Kind::kMessage) {
        w.message = std::move(e.message);
      } else {
        w.framing_error = true;
        w.error = e.error;
        w.message = e.error.message();
      }
      ++awaiting_;
      server_.Enqueue(shared_from_this(), std::move(w));
    }
  }

  void OnRead(const error_code& ec, std::size_t n) {
    reading_ = false;
    ++timer_seq_;
    timer_.cancel();
    if (closed_) return;
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      // EOF or reset: report what the peer left unfinished, answer it if it still reads.
      peer_eof_ = true;
      auto events = decoder_.Finish();
      Emit(events);
      if (awaiting_ == 0 && out_.empty() && !writing_) {
        Close();
      } else {
        close_after_write_ = true;
      }
      return;
    }
    auto events = decoder_.Feed(std::string_view(buf_.data(), n));
    Emit(events);
    // Wait for this connection's replies before reading more: at most one read's worth of
    // frames per connection is ever queued (bounded memory, ordered ACKs).
    if (awaiting_ == 0) Read();
  }

  void OnReadTimeout() {
    auto events = decoder_.Finish();
    error_code ec;
    socket_.cancel(ec);
    if (events.empty()) {
      spdlog::info("MLLP {}: idle for {} ms; closing", peer_, server_.options_.idle_timeout_ms);
      Close();
      return;
    }
    spdlog::warn("MLLP {}: timed out inside a frame or after stray bytes; answering and closing",
                 peer_);
    close_after_write_ = true;
    Emit(events);
  }

  void Write() {
    if (closed_ || writing_ || out_.empty()) return;
    writing_ = true;
    sending_ = std::move(out_);
    out_.clear();
    Arm(server_.options_.write_timeout_ms, false);
    asio::async_write(
        socket_, asio::buffer(sending_),
        [self = shared_from_this()](const error_code& ec, std::size_t) { self->OnWrite(ec); });
  }

  void OnWrite(const error_code& ec) {
    writing_ = false;
    ++timer_seq_;
    timer_.cancel();
    if (closed_) return;
    if (ec) {
      spdlog::info("MLLP {}: write failed ({}); closing", peer_, ec.message());
      Close();
      return;
    }
    if (server_.sent_hook_) server_.sent_hook_();
    if (!out_.empty()) {
      Write();
    } else if (awaiting_ == 0) {
      if (close_after_write_ || peer_eof_) {
        Close();
      } else {
        Read();
      }
    }
  }

  MllpServer& server_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  MllpDecoder decoder_;
  std::array<char, 64 * 1024> buf_{};
  std::string out_;      // framed replies not yet handed to the socket
  std::string sending_;  // the bytes of the write in progress
  std::string peer_;
  int awaiting_ = 0;  // work items queued at the server and not yet answered
  std::uint64_t timer_seq_ = 0;
  bool reading_ = false;
  bool writing_ = false;
  bool closed_ = false;
  bool peer_eof_ = false;
  bool close_after_write_ = false;
};

MllpServer::MllpServer(asio::io_context& io, MllpServerOptions options, BatchHandler handler)
    : io_(io), options_(std::move(options)), handler_(std::move(handler)), acceptor_(io) {}

MllpServer::~MllpServer() { Stop(); }

Status MllpServer::Start() {
  error_code ec;
  auto address = asio::ip::make_address(options_.host, ec);
  if (ec) return Status::InvalidArgument(fmt::format("'{}' is not an IP address", options_.host));
  tcp::endpoint ep(address, static_cast<unsigned short>(options_.port));
  acceptor_.open(ep.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(ep, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable(
        fmt::format("cannot listen on {}:{}: {}", options_.host, options_.port, ec.message()));
  }
  port_ = acceptor_.local_endpoint(ec).port();
  Accept();
  return Status::Ok();
}

void MllpServer::Stop() {
  if (stopped_) return;
  stopped_ = true;
  error_code ec;
  acceptor_.close(ec);
  for (auto& weak : live_) {
    if (auto c = weak.lock()) c->Close();
  }
  live_.clear();
  pending_.clear();
}

void MllpServer::Accept() {
  acceptor_.async_accept([this](const error_code& ec, tcp::socket socket) {
    if (stopped_) return;
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      spdlog::warn("MLLP accept failed: {}", ec.message());
    } else if (connections_ >= options_.max_connections) {
      spdlog::warn("MLLP: {} connections already open (hl7.max_connections); refusing one",
                   connections_);
      error_code ignored;
      socket.close(ignored);
    } else {
      error_code nodelay;
      socket.set_option(tcp::no_delay(true), nodelay);
      ++connections_;
      auto conn = std::make_shared<Connection>(*this, std::move(socket));
      spdlog::debug("MLLP {}: connected", conn->peer());
      // Forget closed connections so live_ stays as small as the open set.
      std::erase_if(live_, [](const std::weak_ptr<Connection>& w) { return w.expired(); });
      live_.push_back(conn);
      conn->Start();
    }
    Accept();
  });
}

void MllpServer::Enqueue(std::shared_ptr<Connection> conn, MllpWork work) {
  pending_.emplace_back(std::move(conn), std::move(work));
  if (!flush_posted_) {
    flush_posted_ = true;
    asio::post(io_, [this] { Flush(); });
  }
}

void MllpServer::Flush() {
  flush_posted_ = false;
  if (stopped_ || pending_.empty()) return;
  std::size_t n = std::min(pending_.size(), options_.max_batch);
  std::vector<std::shared_ptr<Connection>> owners;
  std::vector<MllpWork> batch;
  owners.reserve(n);
  batch.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    owners.push_back(std::move(pending_[i].first));
    batch.push_back(std::move(pending_[i].second));
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
  handler_(batch);
  for (std::size_t i = 0; i < n; ++i) owners[i]->Queue(batch[i].reply);
  for (std::size_t i = 0; i < n; ++i) {
    if (i == 0 || owners[i] != owners[i - 1]) owners[i]->Send();  // Send() is idempotent
  }
  if (!pending_.empty() && !flush_posted_) {
    flush_posted_ = true;
    asio::post(io_, [this] { Flush(); });
  }
}

}  // namespace hub::ers
