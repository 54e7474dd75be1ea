// The e-RS client's base URL handling (requests and errors are exercised against the fixture in
// tests/integration/ers_integration_test.cpp).
#include "adapters/ers/ers_client.hpp"

#include <doctest/doctest.h>

namespace hub::ers {
namespace {

TEST_CASE("base URLs: scheme, host, port, prefix") {
  auto sandbox = ParseBaseUrl("https://sandbox.api.service.nhs.uk/referrals/FHIR");
  REQUIRE(sandbox.ok());
  CHECK(sandbox->tls);
  CHECK(sandbox->host == "sandbox.api.service.nhs.uk");
  CHECK(sandbox->port == "443");
  CHECK(sandbox->prefix == "/referrals/FHIR");
  auto local = ParseBaseUrl("http://127.0.0.1:8080/FHIR/");
  REQUIRE(local.ok());
  CHECK_FALSE(local->tls);
  CHECK(local->port == "8080");
  CHECK(local->prefix == "/FHIR");
  CHECK(ParseBaseUrl("http://h").value().prefix.empty());
  CHECK_FALSE(ParseBaseUrl("ftp://h/x").ok());
  CHECK_FALSE(ParseBaseUrl("http:///x").ok());
}

TEST_CASE("a client for an https base URL is created (TLS through OpenSSL)") {
  ErsClientOptions o;
  o.base_url = "https://sandbox.api.service.nhs.uk/referrals/FHIR";
  CHECK(ErsClient::Create(o).ok());
  o.base_url = "gopher://x";
  CHECK_FALSE(ErsClient::Create(o).ok());
}

TEST_CASE("a missing token file is a retryable failure naming the file") {
  ErsClientOptions o;
  o.base_url = "http://127.0.0.1:1/FHIR";
  o.token_file = "/nonexistent/ers.token";
  auto c = ErsClient::Create(o);
  REQUIRE(c.ok());
  ErsFailure failure;
  auto r = (*c)->Call(BuildGetCodeSystem("PRIORITY"), "corr", &failure);
  REQUIRE_FALSE(r.ok());
  CHECK(failure.retryable);
  CHECK(r.status().message().find("/nonexistent/ers.token") != std::string::npos);
}

}  // namespace
}  // namespace hub::ers
