// Prometheus text rendering.
#include "hub/web/metrics.hpp"

#include <fmt/format.h>

namespace hub::web {

namespace {
// Label values escape backslash, double quote and newline (Prometheus text format).
std::string Label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::int64_t Num(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}
}  // namespace

void WebMetrics::CountRequest(const std::string& method, int status) { requests_[{method, status}]++; }

void WebMetrics::ObserveBackend(const std::string& type, double ms) {
  auto& h = backend_[type];
  for (std::size_t i = 0; i < kBucketsMs.size(); ++i) {
    if (ms <= kBucketsMs[i]) h.buckets[i]++;
  }
  h.count++;
  h.sum_ms += ms;
}

std::string WebMetrics::Render(const nlohmann::json& admin) const {
  std::string out;
  out += "# HELP hub_web_requests_total HTTP requests answered by hub web.\n# TYPE hub_web_requests_total counter\n";
  for (const auto& [k, n] : requests_) {
    out += fmt::format("hub_web_requests_total{{method=\"{}\",status=\"{}\"}} {}\n", Label(k.first), k.second, n);
  }
  out += "# HELP hub_web_signins_total Sign-in attempts.\n# TYPE hub_web_signins_total counter\n";
  out += fmt::format("hub_web_signins_total{{result=\"ok\"}} {}\nhub_web_signins_total{{result=\"failed\"}} {}\n",
                     signins_ok_, signins_failed_);
  out += "# HELP hub_web_audit_rows_total Audit records written for views of patient data.\n"
         "# TYPE hub_web_audit_rows_total counter\n";
  out += fmt::format("hub_web_audit_rows_total {}\n", audit_rows_);
  out += "# HELP hub_web_backend_seconds Latency of requests from hub web to the booking service and broker.\n"
         "# TYPE hub_web_backend_seconds histogram\n";
  for (const auto& [type, h] : backend_) {
    for (std::size_t i = 0; i < kBucketsMs.size(); ++i) {
      out += fmt::format("hub_web_backend_seconds_bucket{{type=\"{}\",le=\"{}\"}} {}\n", Label(type),
                         kBucketsMs[i] / 1000.0, h.buckets[i]);
    }
    out += fmt::format("hub_web_backend_seconds_bucket{{type=\"{}\",le=\"+Inf\"}} {}\n", Label(type), h.count);
    out += fmt::format("hub_web_backend_seconds_sum{{type=\"{}\"}} {}\n", Label(type), h.sum_ms / 1000.0);
    out += fmt::format("hub_web_backend_seconds_count{{type=\"{}\"}} {}\n", Label(type), h.count);
  }
  out += "# HELP hub_ptl_page_rows Rows on the last PTL page served, by specialty.\n# TYPE hub_ptl_page_rows gauge\n";
  for (const auto& [s, n] : ptl_rows_) out += fmt::format("hub_ptl_page_rows{{specialty=\"{}\"}} {}\n", Label(s), n);

  out += "# HELP hub_broker_up 1 when the broker answered admin.status.\n# TYPE hub_broker_up gauge\n";
  out += fmt::format("hub_broker_up {}\n", admin.is_object() ? 1 : 0);
  if (!admin.is_object()) return out;
  struct Family {
    const char* name;
    const char* key;
    const char* type;
    const char* help;
  };
  static const Family kFamilies[] = {
      {"hub_queue_depth", "queued", "gauge", "Requests queued for the service (including in flight)."},
      {"hub_in_flight", "in_flight", "gauge", "Requests held by workers of the service."},
      {"hub_workers", "workers", "gauge", "Workers registered for the service."},
      {"hub_dead_letters", "dead", "gauge", "Dead-lettered requests of the service."},
      {"hub_replied_total", "replied", "counter", "Requests answered (use rate() for messages/s)."},
  };
  auto services = admin.value("services", nlohmann::json::array());
  for (const auto& f : kFamilies) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", f.name, f.help, f.name, f.type);
    for (const auto& s : services) {
      if (!s.is_object()) continue;
      out += fmt::format("{}{{service=\"{}\"}} {}\n", f.name, Label(s.value("name", "")), Num(s, f.key));
    }
  }
  auto counters = admin.value("counters", nlohmann::json::object());
  for (const auto& [k, v] : counters.items()) {
    if (!v.is_number()) continue;
    out += fmt::format("# TYPE hub_broker_{}_total counter\nhub_broker_{}_total {}\n", k, k, v.get<std::int64_t>());
  }
  return out;
}

}  // namespace hub::web
