// Request targets, cookies and paths.
#include "hub/web/http_types.hpp"

#include <doctest/doctest.h>

#include "hub/web/http_server.hpp"

namespace hub::web {
namespace {

TEST_CASE("targets: path and decoded query") {
  auto t = ParseTarget("/api/ptl?specialty=Cardio%20logy&priority=URGENT&x&name=a+b&bad=%zz");
  CHECK(t.path == "/api/ptl");
  CHECK(t.query.at("specialty") == "Cardio logy");
  CHECK(t.query.at("priority") == "URGENT");
  CHECK(t.query.at("x").empty());
  CHECK(t.query.at("name") == "a b");
  CHECK(t.query.at("bad") == "%zz");
  CHECK(ParseTarget("/metrics").query.empty());
}

TEST_CASE("cookies and path parts") {
  CHECK(CookieValue("a=1; hub_session=abc; b=2", "hub_session") == "abc");
  CHECK(CookieValue("hub_session=x", "hub_session") == "x");
  CHECK(CookieValue("xhub_session=x", "hub_session").empty());
  CHECK(CookieValue("", "hub_session").empty());
  CHECK(PathParts("/api//patients/123/") == std::vector<std::string>{"api", "patients", "123"});
  CHECK(PathParts("/").empty());
}

TEST_CASE("static content types") {
  CHECK(ContentTypeFor("index.html") == "text/html; charset=utf-8");
  CHECK(ContentTypeFor("a/app.js") == "text/javascript; charset=utf-8");
  CHECK(ContentTypeFor("x.css") == "text/css; charset=utf-8");
  CHECK(ContentTypeFor("x.bin") == "application/octet-stream");
}

}  // namespace
}  // namespace hub::web
