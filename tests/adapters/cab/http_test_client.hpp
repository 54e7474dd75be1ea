// A blocking HTTP/1.1 client for the CaB adapter's HTTP tests and benchmark: one keep-alive
// connection to 127.0.0.1:<port> (reopened when the server closes it), a receive timeout so a
// misbehaving server fails the test instead of hanging it, and raw writes for malformed input.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace hub::cab::testing {

struct ClientResponse {
  int status = 0;  // 0: no response (connection closed or timed out)
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  bool keep_alive = false;
  std::string Header(const std::string& lower_name) const;
};

class HttpTestClient {
 public:
  explicit HttpTestClient(std::uint16_t port,
                          std::chrono::milliseconds timeout = std::chrono::seconds(10));
  ~HttpTestClient();

  ClientResponse Get(const std::string& target);
  ClientResponse Post(const std::string& target, const std::string& body,
                      const std::string& content_type = "application/fhir+json");
  ClientResponse Send(const std::string& method, const std::string& target, const std::string& body,
                      const std::string& content_type);
  // Writes `bytes` as they are, then reads one response.
  ClientResponse Raw(const std::string& bytes);

 private:
  bool Connect();
  ClientResponse ReadResponse();
  void Close();

  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  boost::asio::io_context ioc_;
  std::optional<boost::asio::ip::tcp::socket> socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace hub::cab::testing
