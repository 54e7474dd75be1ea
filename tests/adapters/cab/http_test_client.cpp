// Blocking Beast client with socket-level timeouts.
#include "tests/adapters/cab/http_test_client.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

namespace hub::cab::testing {

namespace http = boost::beast::http;
namespace net = boost::asio;

std::string ClientResponse::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

HttpTestClient::HttpTestClient(std::uint16_t port, std::chrono::milliseconds timeout)
    : port_(port), timeout_(timeout) {}

HttpTestClient::~HttpTestClient() { Close(); }

bool HttpTestClient::Connect() {
  if (socket_ && socket_->is_open()) return true;
  socket_.emplace(ioc_);
  boost::system::error_code ec;
  socket_->connect({net::ip::make_address("127.0.0.1"), port_}, ec);
  if (ec) {
    socket_.reset();
    return false;
  }
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout_.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout_.count() % 1000) * 1000);
  setsockopt(socket_->native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(socket_->native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  buffer_.clear();
  return true;
}

void HttpTestClient::Close() {
  if (!socket_) return;
  boost::system::error_code ec;
  socket_->shutdown(net::ip::tcp::socket::shutdown_both, ec);
  socket_->close(ec);
  socket_.reset();
}

ClientResponse HttpTestClient::ReadResponse() {
  ClientResponse out;
  http::response_parser<http::string_body> parser;
  parser.body_limit(std::uint64_t{64} * 1024 * 1024);
  boost::system::error_code ec;
  http::read(*socket_, buffer_, parser, ec);
  if (ec) {
    Close();
    return out;
  }
  const auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  out.keep_alive = res.keep_alive();
  for (const auto& field : res) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    out.headers[name] = std::string(field.value());
  }
  if (!out.keep_alive) Close();
  return out;
}

ClientResponse HttpTestClient::Send(const std::string& method, const std::string& target,
                                    const std::string& body, const std::string& content_type) {
  if (!Connect()) return {};
  http::request<http::string_body> req(http::string_to_verb(method), target, 11);
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
  req.keep_alive(true);
  if (!content_type.empty()) req.set(http::field::content_type, content_type);
  if (!body.empty() || method == "POST") {
    req.body() = body;
    req.prepare_payload();
  }
  boost::system::error_code ec;
  http::write(*socket_, req, ec);
  if (ec) {
    // The server may have answered and closed before reading everything (e.g. 413).
    ClientResponse r = ReadResponse();
    if (r.status == 0) Close();
    return r;
  }
  return ReadResponse();
}

ClientResponse HttpTestClient::Get(const std::string& target) {
  return Send("GET", target, "", "");
}

ClientResponse HttpTestClient::Post(const std::string& target, const std::string& body,
                                    const std::string& content_type) {
  return Send("POST", target, body, content_type);
}

ClientResponse HttpTestClient::Raw(const std::string& bytes) {
  if (!Connect()) return {};
  boost::system::error_code ec;
  net::write(*socket_, net::buffer(bytes), ec);
  return ReadResponse();
}

}  // namespace hub::cab::testing
