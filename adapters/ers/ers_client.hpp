// The e-RS FHIR API client (RULES §3.2): Boost.Beast HTTP/1.1 over TCP, or TLS (OpenSSL) for an
// https base URL, with the headers every e-RS request carries (Authorization: Bearer,
// NHSD-eRS-Business-Function, NHSD-End-User-Organisation-ODS, optional
// NHSD-eRS-On-Behalf-Of-User-ID, X-Correlation-ID, If-Match on writes), a whole-request timeout
// and the 10 MB response limit. Errors are values: Beast/Asio exceptions never leave this file.
// Not thread-safe: one client per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "adapters/ers/ers_api.hpp"
#include "adapters/ers/fhir_operation_outcome.hpp"
#include "hub/common/status.hpp"

namespace hub::ers {

struct ErsClientOptions {
  std::string base_url;           // e.g. https://sandbox.api.service.nhs.uk/referrals/FHIR
  std::string token_file;         // holds the bearer token; re-read before each request
  std::string business_function;  // NHSD-eRS-Business-Function, e.g. SERVICE_PROVIDER_ADMIN
  std::string ods_code;           // NHSD-End-User-Organisation-ODS
  std::string on_behalf_of;       // NHSD-eRS-On-Behalf-Of-User-ID, "" = not sent
  int timeout_ms = 30'000;        // connect + send + receive, per request
  std::size_t max_response_bytes = std::size_t{10} * 1000 * 1000;  // e-RS fails > 10 MB
};

struct ErsResponse {
  int status = 0;
  std::string body;
  std::string etag;  // ETag header, "" when absent
};

// A failed call: the Status (code from the HTTP status, message with the OperationOutcome
// summary) and whether trying again later may succeed: 5xx, 429, timeouts and connection
// failures are retryable; other 4xx are not (the request itself is wrong).
struct ErsFailure {
  Status status;
  bool retryable = false;
  int http_status = 0;       // 0 when no response came
  OperationOutcome outcome;  // issues of the OperationOutcome body, when it had one
};

// The base URL split up: scheme http or https, host, port, and the path prefix.
struct BaseUrl {
  bool tls = false;
  std::string host;
  std::string port;
  std::string prefix;  // e.g. "/referrals/FHIR", no trailing slash
};
Result<BaseUrl> ParseBaseUrl(const std::string& url);

class ErsClient {
 public:
  // Fails when the base URL is not http(s)://host[:port][/path] or the TLS context cannot be
  // set up.
  static Result<std::unique_ptr<ErsClient>> Create(ErsClientOptions options);
  ~ErsClient();

  // Sends one request with `correlation_id` as X-Correlation-ID. 2xx -> the response; anything
  // else -> the failure (the OperationOutcome of an error response is parsed and summarised).
  // `failure` is filled when the result is an error; it may be null.
  Result<ErsResponse> Call(const ErsRequest& request, const std::string& correlation_id,
                           ErsFailure* failure = nullptr);

  // A013 / A014 / A028 (RULES §3.1: the provider's review of RFR/ASI referrals). `version_id` is
  // the ReferralRequest's meta.versionId or ETag as last read (A005), sent as If-Match; e-RS
  // answers 412 when the referral changed since. Nothing in the hub calls these yet: they are
  // for the booking engine's review decisions once it emits them.
  Status AcceptReferral(const std::string& ubrn, const std::string& version_id,
                        const std::string& correlation_id);
  Status RejectReferral(const std::string& ubrn, const std::string& version_id,
                        const std::string& reason_code, const std::string& comments,
                        const std::string& correlation_id);
  Status RecordReviewOutcome(const std::string& ubrn, const std::string& version_id,
                             const std::string& outcome_code, const std::string& comments,
                             const std::string& priority_code, const std::string& correlation_id);

 private:
  struct Impl;
  explicit ErsClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hub::ers
