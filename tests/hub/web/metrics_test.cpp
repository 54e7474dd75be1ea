// Prometheus text from the web's counters and the broker's admin.status.
#include "hub/web/metrics.hpp"

#include <doctest/doctest.h>

namespace hub::web {
namespace {

TEST_CASE("metrics render counters, histogram buckets and broker queue depths") {
  WebMetrics m;
  m.CountRequest("GET", 200);
  m.CountRequest("GET", 200);
  m.ObserveBackend("waitinglist.get", 3.0);
  m.ObserveBackend("waitinglist.get", 300.0);
  m.SetPtlRows("CARDIO", 42);
  nlohmann::json admin = {
      {"services", {{{"name", "booking"}, {"queued", 7}, {"in_flight", 2}, {"workers", 1}, {"dead", 3}, {"replied", 99}}}},
      {"counters", {{"dead_lettered", 3}}}};
  std::string text = m.Render(admin);
  CHECK(text.find("hub_web_requests_total{method=\"GET\",status=\"200\"} 2\n") != std::string::npos);
  CHECK(text.find("hub_web_backend_seconds_bucket{type=\"waitinglist.get\",le=\"0.005\"} 1\n") != std::string::npos);
  CHECK(text.find("hub_web_backend_seconds_bucket{type=\"waitinglist.get\",le=\"+Inf\"} 2\n") != std::string::npos);
  CHECK(text.find("hub_queue_depth{service=\"booking\"} 7\n") != std::string::npos);
  CHECK(text.find("hub_dead_letters{service=\"booking\"} 3\n") != std::string::npos);
  CHECK(text.find("hub_replied_total{service=\"booking\"} 99\n") != std::string::npos);
  CHECK(text.find("hub_broker_dead_lettered_total 3\n") != std::string::npos);
  CHECK(text.find("hub_ptl_page_rows{specialty=\"CARDIO\"} 42\n") != std::string::npos);
  CHECK(text.find("hub_broker_up 1\n") != std::string::npos);
  CHECK(m.Render(nullptr).find("hub_broker_up 0\n") != std::string::npos);
}

}  // namespace
}  // namespace hub::web
