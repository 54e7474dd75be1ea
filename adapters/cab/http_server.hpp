// A small asynchronous HTTP/1.1 server on Boost.Beast: many keep-alive connections on a few I/O
// threads, a bounded number of connections, per-request timeouts, header and body size limits
// (413 before the body is read when Content-Length is too large), Expect: 100-continue. It knows
// nothing of FHIR: requests go to a handler that answers, possibly later and from another thread.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/cab/cab_config.hpp"
#include "hub/common/status.hpp"

namespace hub::cab {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // "/STU3/Slot?schedule.actor%3AHealthcareService=20101"
  std::string host;    // Host header, "" when absent
  std::string content_type;
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/fhir+json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// Answers a request. Must call `respond` exactly once, from any thread, now or later. `executor`
// serialises the connection's work; handlers may set timers on it, but must not keep it (or
// timers on it) after `respond`, nor past the server's Stop(). `respond` itself may outlive the
// server: once the server has stopped it does nothing.
using HttpHandler = std::function<void(HttpRequest request, boost::asio::any_io_executor executor,
                                       std::function<void(HttpResponse)> respond)>;
// Builds the reply for a request the server refuses itself (400 unreadable request, 413 too
// large, 431 header too large).
using HttpErrorRenderer = std::function<HttpResponse(int status, const std::string& message)>;

class HttpServer {
 public:
  HttpServer(HttpOptions options, HttpHandler handler, HttpErrorRenderer render_error);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds options.listen_address:listen_port (port 0: the kernel chooses; see port()) and starts
  // the I/O threads. Unavailable with the OS reason when the address cannot be bound.
  Status Start();
  // Closes the listener and every connection, and joins the I/O threads. Idempotent. Responses
  // still pending in handlers are dropped.
  void Stop();
  std::uint16_t port() const { return port_; }
  std::size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
};

}  // namespace hub::cab
