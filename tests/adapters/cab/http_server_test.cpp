// The HTTP server on 127.0.0.1 port 0: keep-alive, answers from other threads, size limits (413
// before the body is read, 431), malformed requests, Expect: 100-continue, the connection limit,
// and many clients at once.
#include "adapters/cab/http_server.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <future>
#include <thread>

#include "tests/adapters/cab/http_test_client.hpp"

namespace hub::cab {
namespace {

using testing::ClientResponse;
using testing::HttpTestClient;
using namespace std::chrono_literals;

HttpOptions Options() {
  HttpOptions o;
  o.listen_port = 0;
  o.max_body_bytes = 1024;
  o.max_header_bytes = 2048;
  o.request_timeout_ms = 5000;
  o.idle_timeout_ms = 5000;
  return o;
}

HttpResponse RenderError(int status, const std::string& message) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain";
  r.body = message;
  return r;
}

// Echoes method, target and body; answers from a fresh thread to show `respond` may be called
// from anywhere.
void Echo(HttpRequest req, boost::asio::any_io_executor,
          std::function<void(HttpResponse)> respond) {
  std::thread([req = std::move(req), respond = std::move(respond)] {
    HttpResponse r;
    r.content_type = "text/plain";
    r.body = req.method + " " + req.target + " " + req.content_type + " [" + req.body + "]";
    r.headers.emplace_back("X-Host", req.host);
    respond(std::move(r));
  }).detach();
}

TEST_CASE("requests on one keep-alive connection, answered from another thread") {
  HttpServer server(Options(), Echo, RenderError);
  REQUIRE(server.Start().ok());
  REQUIRE(server.port() != 0);
  HttpTestClient client(server.port());
  for (int i = 0; i < 3; ++i) {
    ClientResponse r = client.Post("/x?i=" + std::to_string(i), "body" + std::to_string(i),
                                   "application/fhir+json");
    REQUIRE(r.status == 200);
    CHECK(r.body == "POST /x?i=" + std::to_string(i) + " application/fhir+json [body" +
                        std::to_string(i) + "]");
    CHECK(r.keep_alive);
    CHECK(r.Header("x-host") == "127.0.0.1:" + std::to_string(server.port()));
  }
  CHECK(server.open_connections() == 1);
}

TEST_CASE("a body over the limit: 413 from Content-Length before the body is read") {
  HttpServer server(Options(), Echo, RenderError);
  REQUIRE(server.Start().ok());
  HttpTestClient client(server.port());
  ClientResponse r = client.Post("/x", std::string(64 * 1024, 'a'));
  CHECK(r.status == 413);
  CHECK(r.body == "the request body of 65536 bytes is larger than the 1024-byte limit");
  CHECK_FALSE(r.keep_alive);
  // The server closed that connection; a new one works.
  CHECK(client.Get("/y").status == 200);
}

TEST_CASE("a chunked body over the limit: 413 while reading") {
  HttpServer server(Options(), Echo, RenderError);
  REQUIRE(server.Start().ok());
  HttpTestClient client(server.port());
  std::string chunk(800, 'b');
  std::string raw = "POST /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  raw += "320\r\n" + chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n";
  ClientResponse r = client.Raw(raw);
  CHECK(r.status == 413);
  CHECK(r.body == "the request body is larger than the 1024-byte limit");
}

TEST_CASE("malformed requests and oversized headers are refused, not crashed on") {
  HttpServer server(Options(), Echo, RenderError);
  REQUIRE(server.Start().ok());
  {
    HttpTestClient client(server.port());
    ClientResponse r = client.Raw("GARBAGE\r\n\r\n");
    CHECK(r.status == 400);
    CHECK(r.body.find("not valid HTTP/1.1") != std::string::npos);
  }
  {
    HttpTestClient client(server.port());
    ClientResponse r =
        client.Raw("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(4096, 'h') + "\r\n\r\n");
    CHECK(r.status == 431);
  }
  {
    HttpTestClient client(server.port());
    ClientResponse r = client.Raw("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: x\r\n\r\n");
    CHECK(r.status == 400);
  }
  HttpTestClient after(server.port());
  CHECK(after.Get("/still-up").status == 200);
}

TEST_CASE("Expect: 100-continue gets 100 Continue, then the answer") {
  HttpServer server(Options(), Echo, RenderError);
  REQUIRE(server.Start().ok());
  HttpTestClient client(server.port());
  const std::string raw =
      "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nhi";
  ClientResponse r = client.Raw(raw);
  CHECK(r.status == 100);
  ClientResponse answer = client.Raw("");
  CHECK(answer.status == 200);
  CHECK(answer.body == "POST /x  [hi]");
}

TEST_CASE("connections beyond max_connections are closed at once") {
  HttpOptions o = Options();
  o.max_connections = 1;
  HttpServer server(o, Echo, RenderError);
  REQUIRE(server.Start().ok());
  HttpTestClient first(server.port());
  REQUIRE(first.Get("/a").status == 200);
  HttpTestClient second(server.port(), 2s);
  CHECK(second.Get("/b").status == 0);
  CHECK(first.Get("/c").status == 200);
}

TEST_CASE("many clients at once, each on its own connection") {
  HttpOptions o = Options();
  o.io_threads = 2;
  HttpServer server(o, Echo, RenderError);
  REQUIRE(server.Start().ok());
  constexpr int kClients = 16;
  constexpr int kRequests = 20;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      HttpTestClient client(server.port());
      for (int i = 0; i < kRequests; ++i) {
        const std::string target = "/c" + std::to_string(c) + "/" + std::to_string(i);
        ClientResponse r = client.Get(target);
        if (r.status == 200 && r.body == "GET " + target + "  []") ++ok;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(ok.load() == kClients * kRequests);
}

TEST_CASE("binding a port in use fails with the reason; Stop is idempotent") {
  HttpServer first(Options(), Echo, RenderError);
  REQUIRE(first.Start().ok());
  HttpOptions o = Options();
  o.listen_port = first.port();
  HttpServer second(o, Echo, RenderError);
  const Status s = second.Start();
  CHECK(s.code() == StatusCode::kUnavailable);
  CHECK(s.message().find("cannot bind 127.0.0.1:" + std::to_string(first.port())) !=
        std::string::npos);
  HttpOptions bad = Options();
  bad.listen_address = "not-an-ip";
  HttpServer third(bad, Echo, RenderError);
  CHECK(third.Start().code() == StatusCode::kInvalidArgument);
  first.Stop();
  first.Stop();
}

}  // namespace
}  // namespace hub::cab
