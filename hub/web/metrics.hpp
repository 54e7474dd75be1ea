// Prometheus text-format exposition (version 0.0.4) for /metrics: the web process's own counters
// and backend latency histogram, plus the broker's admin.status (queue depths, answered counts
// for messages/s via rate(), dead letters, workers). Not thread-safe: owned by the server thread.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace hub::web {

class WebMetrics {
 public:
  static constexpr std::array<double, 12> kBucketsMs = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000};

  void CountRequest(const std::string& method, int status);
  // One backend call of `type` (e.g. "waitinglist.get") that took `ms`.
  void ObserveBackend(const std::string& type, double ms);
  // Rows on the last PTL page served for `specialty` (a gauge until branch ptl's ptl.summary
  // gives true PTL counts; docs/api.md "Hooks").
  void SetPtlRows(const std::string& specialty, std::int64_t rows) { ptl_rows_[specialty] = rows; }
  void CountSignin(bool ok) { (ok ? signins_ok_ : signins_failed_)++; }
  void CountAuditRows(std::int64_t n) { audit_rows_ += n; }

  // The exposition text; `admin_status` is the broker's admin.status body as JSON, or null when
  // the broker did not answer (hub_broker_up 0).
  std::string Render(const nlohmann::json& admin_status) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBucketsMs.size()> buckets{};
    std::uint64_t count = 0;
    double sum_ms = 0;
  };
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> backend_;
  std::map<std::string, std::int64_t> ptl_rows_;
  std::uint64_t signins_ok_ = 0, signins_failed_ = 0;
  std::int64_t audit_rows_ = 0;
};

}  // namespace hub::web
