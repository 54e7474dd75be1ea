// e-RS FHIR API client over Boost.Beast (HTTP/1.1, TLS with OpenSSL for https).
#include "adapters/ers/ers_client.hpp"

// clang-format off
#include <utility>  // first: Boost 1.74 Asio's awaitable.hpp needs std::exchange
// clang-format on
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <fstream>
#include <sstream>

namespace hub::ers {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using boost::system::error_code;

Result<BaseUrl> ParseBaseUrl(const std::string& url) {
  BaseUrl b;
  std::string_view rest = url;
  if (rest.rfind("https://", 0) == 0) {
    b.tls = true;
    rest.remove_prefix(8);
  } else if (rest.rfind("http://", 0) == 0) {
    rest.remove_prefix(7);
  } else {
    return Status::InvalidArgument(fmt::format("'{}' is not an http:// or https:// URL", url),
                                   "base_url");
  }
  std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  b.prefix = slash == std::string_view::npos ? "" : std::string(rest.substr(slash));
  while (!b.prefix.empty() && b.prefix.back() == '/') b.prefix.pop_back();
  std::size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    b.host = std::string(authority.substr(0, colon));
    b.port = std::string(authority.substr(colon + 1));
  } else {
    b.host = std::string(authority);
    b.port = b.tls ? "443" : "80";
  }
  if (b.host.empty() || b.port.empty()) {
    return Status::InvalidArgument(fmt::format("'{}' has no host", url), "base_url");
  }
  return b;
}

struct ErsClient::Impl {
  ErsClientOptions options;
  BaseUrl url;
  asio::io_context ioc;
  std::unique_ptr<ssl::context> tls;

  // Runs the io_context until the operation started by `start` completes; returns its error.
  template <typename Start>
  error_code Run(Start start) {
    error_code result;
    start([&result](const error_code& ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  template <typename Stream>
  Result<http::response<http::string_body>> Talk(Stream& stream,
                                                 const tcp::resolver::results_type& endpoints,
                                                 http::request<http::string_body>& req) {
    auto& lowest = beast::get_lowest_layer(stream);
    lowest.expires_after(std::chrono::milliseconds(options.timeout_ms));
    error_code ec = Run([&](auto h) { lowest.async_connect(endpoints, h); });
    if (!ec) {
      if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
        ec = Run([&](auto h) { stream.async_handshake(ssl::stream_base::client, h); });
      }
    }
    if (!ec) ec = Run([&](auto h) { http::async_write(stream, req, h); });
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(options.max_response_bytes);
    if (!ec) ec = Run([&](auto h) { http::async_read(stream, buffer, parser, h); });
    error_code ignored;
    lowest.socket().shutdown(tcp::socket::shutdown_both, ignored);
    if (ec == http::error::body_limit) {
      return Status::ResourceExhausted(fmt::format(
          "the response is larger than {} bytes (e-RS fails responses over 10 MB, RULES §3.2)",
          options.max_response_bytes));
    }
    if (ec == beast::error::timeout) {
      return Status::DeadlineExceeded(
          fmt::format("no complete answer within {} ms", options.timeout_ms));
    }
    if (ec) return Status::Unavailable(ec.message());
    return parser.release();
  }

  Result<http::response<http::string_body>> Exchange(http::request<http::string_body>& req) {
    try {
      tcp::resolver resolver(ioc);
      tcp::resolver::results_type endpoints;
      error_code ec;
      resolver.async_resolve(url.host, url.port,
                             [&](const error_code& e, tcp::resolver::results_type r) {
                               ec = e;
                               endpoints = std::move(r);
                             });
      ioc.restart();
      ioc.run();
      if (ec) {
        return Status::Unavailable(fmt::format("cannot resolve {}: {}", url.host, ec.message()));
      }
      if (!url.tls) {
        beast::tcp_stream stream(ioc);
        return Talk(stream, endpoints, req);
      }
      beast::ssl_stream<beast::tcp_stream> stream(ioc, *tls);
      if (!SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
        return Status::Unavailable("cannot set the TLS server name");
      }
      stream.set_verify_callback(ssl::host_name_verification(url.host));
      return Talk(stream, endpoints, req);
    } catch (const std::exception& e) {
      // Asio/Beast report some failures (allocation, TLS set-up) by exception: a value here.
      return Status::Internal(fmt::format("HTTP client failure: {}", e.what()));
    }
  }
};

ErsClient::ErsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ErsClient::~ErsClient() = default;

Result<std::unique_ptr<ErsClient>> ErsClient::Create(ErsClientOptions options) {
  auto impl = std::make_unique<Impl>();
  HUB_ASSIGN_OR_RETURN(impl->url, ParseBaseUrl(options.base_url));
  if (impl->url.tls) {
    try {
      impl->tls = std::make_unique<ssl::context>(ssl::context::tls_client);
      impl->tls->set_default_verify_paths();
      impl->tls->set_verify_mode(ssl::verify_peer);
    } catch (const std::exception& e) {
      return Status::Unavailable(fmt::format("cannot set up TLS: {}", e.what()));
    }
  }
  impl->options = std::move(options);
  return std::unique_ptr<ErsClient>(new ErsClient(std::move(impl)));
}

namespace {
Result<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return Status::PermissionDenied(
        fmt::format("cannot read the e-RS access token file '{}' (ers.token_file)", path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string token = ss.str();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) {
    token.pop_back();
  }
  if (token.empty()) {
    return Status::PermissionDenied(fmt::format("the e-RS access token file '{}' is empty", path));
  }
  return token;
}

StatusCode CodeForHttp(int status) {
  switch (status) {
    case 401:
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 409:
    case 412:
      return StatusCode::kFailedPrecondition;
    case 429:
      return StatusCode::kResourceExhausted;
    default:
      return status >= 500 ? StatusCode::kUnavailable : StatusCode::kInvalidArgument;
  }
}
}  // namespace

Result<ErsResponse> ErsClient::Call(const ErsRequest& request, const std::string& correlation_id,
                                    ErsFailure* failure) {
  ErsFailure local;
  ErsFailure& f = failure ? *failure : local;
  f = ErsFailure{};
  const std::string what = fmt::format("{} {} {}", request.endpoint, request.method, request.path);
  auto fail = [&](Status s, bool retryable) -> Result<ErsResponse> {
    f.status = Status(s.code(), fmt::format("{}: {}", what, s.message()));
    f.retryable = retryable;
    return f.status;
  };
  auto token = ReadToken(impl_->options.token_file);
  if (!token.ok()) return fail(token.status(), true);

  http::request<http::string_body> req{
      request.method == "POST" ? http::verb::post : http::verb::get,
      impl_->url.prefix + request.path, 11};
  req.set(http::field::host, impl_->url.host);
  req.set(http::field::user_agent, "booking-hub-ers-adapter");
  req.set(http::field::accept, "application/fhir+json");
  req.set(http::field::authorization, "Bearer " + *token);
  req.set("NHSD-eRS-Business-Function", impl_->options.business_function);
  req.set("NHSD-End-User-Organisation-ODS", impl_->options.ods_code);
  if (!impl_->options.on_behalf_of.empty()) {
    req.set("NHSD-eRS-On-Behalf-Of-User-ID", impl_->options.on_behalf_of);
  }
  req.set("X-Correlation-ID", correlation_id);
  if (!request.if_match.empty()) req.set(http::field::if_match, request.if_match);
  if (!request.body.empty()) req.set(http::field::content_type, "application/fhir+json");
  req.body() = request.body;
  req.prepare_payload();

  auto response = impl_->Exchange(req);
  if (!response.ok()) {
    StatusCode c = response.status().code();
    return fail(response.status(),
                c == StatusCode::kUnavailable || c == StatusCode::kDeadlineExceeded);
  }
  const int status = static_cast<int>(response->result_int());
  if (status >= 200 && status < 300) {
    ErsResponse out;
    out.status = status;
    out.body = std::move(response->body());
    if (auto it = response->find(http::field::etag); it != response->end()) {
      out.etag = std::string(it->value());
    }
    return out;
  }
  f.http_status = status;
  std::string detail;
  if (auto oo = ParseOperationOutcome(response->body()); oo.ok()) {
    f.outcome = *oo;
    detail = oo->Summary();
  } else {
    detail = "no OperationOutcome in the response";
  }
  Status s(CodeForHttp(status),
           fmt::format("HTTP {} {}: {}", status, std::string(response->reason()), detail));
  bool retryable = status >= 500 || status == 429;
  spdlog::warn("e-RS {}: HTTP {} ({}): {}", what, status, retryable ? "will retry" : "not retried",
               detail);
  return fail(s, retryable);
}

Status ErsClient::AcceptReferral(const std::string& ubrn, const std::string& version_id,
                                 const std::string& correlation_id) {
  return Call(BuildAcceptReferral(ubrn, version_id), correlation_id).status();
}

Status ErsClient::RejectReferral(const std::string& ubrn, const std::string& version_id,
                                 const std::string& reason_code, const std::string& comments,
                                 const std::string& correlation_id) {
  return Call(BuildRejectReferral(ubrn, version_id, reason_code, comments), correlation_id)
      .status();
}

Status ErsClient::RecordReviewOutcome(const std::string& ubrn, const std::string& version_id,
                                      const std::string& outcome_code, const std::string& comments,
                                      const std::string& priority_code,
                                      const std::string& correlation_id) {
  return Call(BuildRecordReviewOutcome(ubrn, version_id, outcome_code, comments, priority_code),
              correlation_id)
      .status();
}

}  // namespace hub::ers
