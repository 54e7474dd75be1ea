// The HTTP request and response as the API sees them: plain values, so the API can be driven in
// tests without sockets, and the Beast server (http_server.hpp) only converts.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace hub::web {

struct HttpRequest {
  std::string method;   // "GET", "POST", ...
  std::string target;   // "/api/ptl?specialty=100"
  std::string cookie;   // the Cookie header
  std::string csrf;     // the X-CSRF-Token header
  std::string content_type;
  std::string origin;   // the Origin header, when the browser sent one
  std::string host;     // the Host header
  std::string body;
  std::string peer;     // remote address, for the sign-in rate limit
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra: Set-Cookie, Retry-After
};

// "/a/b?x=1&y=%20z" -> path "/a/b", query {x: "1", y: " z"}. '+' decodes to a space. A malformed
// %-escape is kept literally.
struct Target {
  std::string path;
  std::map<std::string, std::string> query;
};
Target ParseTarget(const std::string& target);
std::string UrlDecode(const std::string& s);

// The value of cookie `name` in a Cookie header, or "".
std::string CookieValue(const std::string& header, const std::string& name);

// "/api/patients/9434765919" split on '/' without empty parts: {"api", "patients", "9434765919"}.
std::vector<std::string> PathParts(const std::string& path);

}  // namespace hub::web
