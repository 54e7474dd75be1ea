// The HTTP/1.1 server of `hub web` (Boost.Beast): one I/O thread, keep-alive, request bodies
// capped at [web].max_body_bytes (413), 30 s per request read, at most [web].max_connections open
// connections. /api/* and /metrics go to the handler (web_api.hpp); any other GET serves a file
// from [web].static_dir (index.html for "/"). The handler runs on the I/O thread, so one request
// is answered at a time; each is one round trip to the booking service.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "hub/common/status.hpp"
#include "hub/web/http_types.hpp"
#include "hub/web/web_config.hpp"

namespace hub::web {

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  HttpServer(WebConfig config, Handler handler);
  ~HttpServer();

  // Binds [web].listen_address:port (port 0 = a free port). Unavailable with the reason.
  Status Listen();
  // The bound port (after Listen).
  int port() const;
  // Serves until `stop` becomes true (checked every 100 ms).
  void Run(const std::atomic<bool>& stop);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The Content-Type for a static file name ("app.js" -> "text/javascript; charset=utf-8").
std::string ContentTypeFor(const std::string& path);

}  // namespace hub::web
