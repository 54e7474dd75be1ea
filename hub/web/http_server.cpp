// Boost.Beast asynchronous HTTP server.
#include "hub/web/http_server.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <utility>  // before Boost 1.74 Asio, whose awaitable.hpp uses std::exchange
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hub::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string ContentTypeFor(const std::string& path) {
  auto ext = std::filesystem::path(path).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".json") return "application/json";
  if (ext == ".ico") return "image/x-icon";
  return "application/octet-stream";
}

namespace {

HttpResponse ErrorResponse(int status, const std::string& code, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.body = fmt::format(R"({{"error":"{}","message":"{}"}})", code, message);
  return r;
}

// A file under `root` for a request path; 404 for anything outside it or missing.
HttpResponse StaticFile(const std::string& root, const std::string& path) {
  std::string rel = path == "/" ? "index.html" : path.substr(1);
  if (rel.find("..") != std::string::npos || rel.find('\0') != std::string::npos) {
    return ErrorResponse(404, "not_found", "no such page");
  }
  auto full = std::filesystem::path(root) / rel;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(full, ec)) return ErrorResponse(404, "not_found", "no such page");
  std::ifstream in(full, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  HttpResponse r;
  r.content_type = ContentTypeFor(full.string());
  r.body = ss.str();
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

}  // namespace

struct HttpServer::Impl {
  WebConfig config;
  Handler handler;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  int open_connections = 0;

  class Connection : public std::enable_shared_from_this<Connection> {
   public:
    Connection(Impl& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
      ++server_.open_connections;
    }
    ~Connection() { --server_.open_connections; }

    void Read() {
      parser_.emplace();
      parser_->body_limit(static_cast<std::uint64_t>(server_.config.max_body_bytes));
      parser_->header_limit(16 * 1024);
      stream_.expires_after(std::chrono::seconds(30));
      http::async_read(stream_, buffer_, *parser_,
                       [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
    }

   private:
    void OnRead(beast::error_code ec) {
      if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
          ec == asio::error::connection_reset || ec == asio::error::operation_aborted) {
        Close();
        return;
      }
      if (ec == http::error::body_limit) {
        Send(ErrorResponse(413, "too_large",
                           fmt::format("the request body is larger than {} bytes", server_.config.max_body_bytes)),
             false, 11);
        return;
      }
      if (ec) {
        Send(ErrorResponse(400, "bad_request", "malformed HTTP request"), false, 11);
        return;
      }
      auto& req = parser_->get();
      HttpRequest r;
      r.method = std::string(req.method_string());
      r.target = std::string(req.target());
      r.cookie = std::string(req[http::field::cookie]);
      r.csrf = std::string(req["X-CSRF-Token"]);
      r.content_type = std::string(req[http::field::content_type]);
      r.origin = std::string(req[http::field::origin]);
      r.host = std::string(req[http::field::host]);
      r.body = std::move(req.body());
      beast::error_code pe;
      auto remote = stream_.socket().remote_endpoint(pe);
      r.peer = pe ? "?" : remote.address().to_string();
      HttpResponse out;
      std::string path = r.target.substr(0, r.target.find('?'));
      if (path.rfind("/api/", 0) == 0 || path == "/metrics") {
        out = server_.handler(r);
      } else if (r.method == "GET" || r.method == "HEAD") {
        out = StaticFile(server_.config.static_dir, path);
      } else {
        out = ErrorResponse(405, "method_not_allowed", "use GET for pages");
      }
      Send(std::move(out), req.keep_alive(), req.version());
    }

    void Send(HttpResponse out, bool keep_alive, unsigned version) {
      auto res = std::make_shared<http::response<http::string_body>>();
      res->version(version);
      res->result(static_cast<http::status>(out.status));
      res->set(http::field::server, "hub-web");
      res->set(http::field::content_type, out.content_type);
      res->set("X-Content-Type-Options", "nosniff");
      res->set("X-Frame-Options", "DENY");
      res->set("Referrer-Policy", "no-referrer");
      res->set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
      for (const auto& [k, v] : out.headers) res->insert(k, v);
      res->body() = std::move(out.body);
      res->keep_alive(keep_alive);
      res->prepare_payload();
      stream_.expires_after(std::chrono::seconds(30));
      http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
        if (ec || !res->keep_alive()) {
          self->Close();
          return;
        }
        self->buffer_.consume(self->buffer_.size());
        self->Read();
      });
    }

    void Close() {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    }

    Impl& server_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
  };

  void Accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec != asio::error::operation_aborted) Accept();
        return;
      }
      if (open_connections >= config.max_connections) {
        spdlog::warn("{} connections open ([web].max_connections); closing a new one", open_connections);
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<Connection>(*this, std::move(socket))->Read();
      }
      Accept();
    });
  }
};

HttpServer::HttpServer(WebConfig config, Handler handler) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  impl_->handler = std::move(handler);
}

HttpServer::~HttpServer() = default;

Status HttpServer::Listen() {
  beast::error_code ec;
  auto address = asio::ip::make_address(impl_->config.listen_address, ec);
  if (ec) return Status::InvalidArgument(fmt::format("[web].listen_address '{}' is not an IP address", impl_->config.listen_address));
  tcp::endpoint ep(address, static_cast<unsigned short>(impl_->config.port));
  impl_->acceptor.open(ep.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(ep, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::Unavailable(fmt::format("cannot listen on {}:{}: {}", impl_->config.listen_address,
                                           impl_->config.port, ec.message()));
  }
  impl_->Accept();
  return Status::Ok();
}

int HttpServer::port() const {
  beast::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

void HttpServer::Run(const std::atomic<bool>& stop) {
  while (!stop.load()) {
    impl_->io.run_for(std::chrono::milliseconds(100));
    if (impl_->io.stopped()) impl_->io.restart();
  }
  beast::error_code ec;
  impl_->acceptor.close(ec);
}

}  // namespace hub::web
