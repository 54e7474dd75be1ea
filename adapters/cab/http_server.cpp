// Boost.Beast HTTP/1.1 server: acceptor, sessions, limits and timeouts.
#include "adapters/cab/http_server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <unordered_set>

namespace hub::cab {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// After refusing a request we stop reading it, answer, and close. Reading (and discarding) what
// the client still sends for a moment first keeps the kernel from resetting the connection before
// the client has read the answer (a "lingering close").
constexpr std::size_t kMaxDrainBytes = std::size_t{4} * 1024 * 1024;
constexpr auto kDrainTimeout = std::chrono::seconds(2);

struct Shared {
  HttpOptions options;
  HttpHandler handler;
  HttpErrorRenderer render_error;
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> warned_full{false};
  // Sessions waiting for their handler's answer. The server owns them while they wait (the
  // handler's `respond` holds only a weak reference), so Stop() can destroy each one while its
  // io_context still exists, however late a handler thread calls `respond`. `stopped` (under
  // `mu`) tells a late `respond` not to post to an io_context that may be gone.
  std::mutex mu;
  bool stopped = false;
  std::unordered_set<std::shared_ptr<void>> waiting;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {
    shared_->connections.fetch_add(1);
  }
  ~Session() { shared_->connections.fetch_sub(1); }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(true); });
  }

 private:
  std::chrono::milliseconds Ms(int ms) const { return std::chrono::milliseconds(ms); }

  void ReadHeader(bool first) {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_->options.max_header_bytes));
    parser_->body_limit(shared_->options.max_body_bytes);
    stream_.expires_after(
        Ms(first ? shared_->options.request_timeout_ms : shared_->options.idle_timeout_ms));
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    version_ = parser_->get().version();
    stream_.expires_after(Ms(shared_->options.request_timeout_ms));
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      auto cont =
          std::make_shared<http::response<http::empty_body>>(http::status::continue_, version_);
      http::async_write(stream_, *cont,
                        [self = shared_from_this(), cont](beast::error_code wec, std::size_t) {
                          if (wec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t) {
    if (ec) return OnReadError(ec);
    Dispatch();
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::operation_aborted || ec == beast::error::timeout) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      // Beast refuses a too-large Content-Length as soon as the header is read; a chunked body
      // only when it grows past the limit.
      const std::string length(parser_->get()[http::field::content_length]);
      return Refuse(413, !length.empty()
                             ? fmt::format("the request body of {} bytes is larger than the "
                                           "{}-byte limit",
                                           length, shared_->options.max_body_bytes)
                             : fmt::format("the request body is larger than the {}-byte limit",
                                           shared_->options.max_body_bytes));
    }
    if (ec == http::error::header_limit) {
      return Refuse(431, fmt::format("the request header is larger than the {}-byte limit",
                                     shared_->options.max_header_bytes));
    }
    if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
      return Refuse(400, "the request is not valid HTTP/1.1: " + ec.message());
    }
    Close();
  }

  void Dispatch() {
    http::request<http::string_body> msg = parser_->release();
    keep_alive_ = msg.keep_alive();
    HttpRequest request;
    request.method = std::string(msg.method_string());
    request.target = std::string(msg.target());
    request.host = std::string(msg[http::field::host]);
    request.content_type = std::string(msg[http::field::content_type]);
    request.body = std::move(msg.body());
    // The handler may wait for the booking engine (up to the e-RS booking deadline).
    stream_.expires_never();
    auto executor = stream_.get_executor();
    std::shared_ptr<Session> self = shared_from_this();
    {
      std::lock_guard lock(shared_->mu);
      if (shared_->stopped) return;
      shared_->waiting.insert(self);
    }
    shared_->handler(
        std::move(request), executor,
        // Holds nothing of the io_context (no executor): `respond` may outlive the server.
        [weak = std::weak_ptr<Session>(self), shared = shared_](HttpResponse response) {
          std::lock_guard lock(shared->mu);
          if (shared->stopped) return;  // the server is stopping: nobody to answer
          std::shared_ptr<Session> session = weak.lock();
          if (!session || shared->waiting.erase(session) == 0) return;  // answered already
          net::post(session->stream_.get_executor(), [session, response = std::move(response)]() mutable {
            session->Write(std::move(response), session->keep_alive_);
          });
        });
  }

  void Write(HttpResponse response, bool keep_alive) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), version_ == 0 ? 11 : version_);
    res->set(http::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) res->set(name, value);
    res->keep_alive(keep_alive);
    res->body() = std::move(response.body);
    res->prepare_payload();
    stream_.expires_after(Ms(shared_->options.request_timeout_ms));
    http::async_write(
        stream_, *res,
        [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
          if (ec) return self->Close();
          if (!keep_alive) return self->LingeringClose();
          self->ReadHeader(false);
        });
  }

  // Answers a request we will not read to the end, then closes.
  void Refuse(int status, const std::string& message) {
    keep_alive_ = false;
    Write(shared_->render_error(status, message), false);
  }

  void LingeringClose() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kDrainTimeout);
    Drain();
  }

  void Drain() {
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kMaxDrainBytes) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  std::shared_ptr<Shared> shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  std::array<char, std::size_t{16} * 1024> drain_{};
  std::size_t drained_ = 0;
};

}  // namespace

struct HttpServer::Impl {
  explicit Impl(int threads) : ioc(threads), acceptor(net::make_strand(ioc)) {}

  void Accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) {
        if (shared->connections.load() >= shared->options.max_connections) {
          // Hard limit: refuse by closing; warn once per burst.
          if (!shared->warned_full.exchange(true)) {
            spdlog::warn("cab http: {} connections open, the limit; refusing new ones",
                         shared->options.max_connections);
          }
          beast::error_code ignored;
          socket.close(ignored);
        } else {
          shared->warned_full.store(false);
          std::make_shared<Session>(std::move(socket), shared)->Start();
        }
      }
      Accept();
    });
  }

  net::io_context ioc;
  tcp::acceptor acceptor;
  std::shared_ptr<Shared> shared = std::make_shared<Shared>();
  std::vector<std::thread> threads;
  bool running = false;
};

HttpServer::HttpServer(HttpOptions options, HttpHandler handler, HttpErrorRenderer render_error)
    : impl_(std::make_unique<Impl>(options.io_threads)) {
  impl_->shared->options = std::move(options);
  impl_->shared->handler = std::move(handler);
  impl_->shared->render_error = std::move(render_error);
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  const HttpOptions& o = impl_->shared->options;
  beast::error_code ec;
  const auto address = net::ip::make_address(o.listen_address, ec);
  if (ec) {
    return Status::InvalidArgument(
        fmt::format("http.listen: '{}' is not an IP address: {}", o.listen_address, ec.message()),
        "http.listen");
  }
  const tcp::endpoint endpoint(address, o.listen_port);
  auto fail = [&](std::string_view what) {
    return Status::Unavailable(
        fmt::format("cannot {} {}:{}: {}", what, o.listen_address, o.listen_port, ec.message()));
  };
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("open a socket for");
  impl_->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  impl_->acceptor.bind(endpoint, ec);
  if (ec) return fail("bind");
  impl_->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on");
  port_ = impl_->acceptor.local_endpoint().port();
  impl_->Accept();
  impl_->running = true;
  for (int i = 0; i < o.io_threads; ++i) {
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  }
  return Status::Ok();
}

void HttpServer::Stop() {
  if (!impl_->running) return;
  impl_->running = false;
  net::post(impl_->acceptor.get_executor(), [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
  {
    std::lock_guard lock(impl_->shared->mu);
    impl_->shared->stopped = true;
  }
  impl_->ioc.stop();
  for (std::thread& t : impl_->threads) t.join();
  impl_->threads.clear();
  // Sessions still waiting for an answer close their sockets now, while the io_context lives.
  std::unordered_set<std::shared_ptr<void>> waiting;
  {
    std::lock_guard lock(impl_->shared->mu);
    waiting.swap(impl_->shared->waiting);
  }
}

std::size_t HttpServer::open_connections() const { return impl_->shared->connections.load(); }

}  // namespace hub::cab
