// CaB adapter benchmark (issue 5 acceptance; run by `make bench` through bench/run.sh).
//
// Measures A015 slot search latency over HTTP against the real server (127.0.0.1, port 0) with
// the in-memory booking gateway holding 50 clinics x 12 weeks of slots (10 services of 5
// clinics, two sessions a week of eight slots each): ROUTINE and URGENT searches over the whole
// booking window, pages 1-3 of 20, one keep-alive client, then 8 clients at once. The baseline,
// measured in the same run, is the same searches as pure function calls (query parsing, slot
// selection, Bundle JSON) without HTTP. Prints a markdown table and writes a flat JSON object of
// results to argv[1].
//
//   cab_bench <results.json> [--quick]
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/cab/cab_adapter.hpp"
#include "adapters/cab/slot_search.hpp"
#include "tests/adapters/cab/example_trust.hpp"
#include "tests/adapters/cab/http_test_client.hpp"

using namespace hub;
using namespace hub::cab;

namespace {

using Steady = std::chrono::steady_clock;

double Ms(Steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * v.size()));
  return v[i];
}

std::vector<std::string> Queries(const CabConfig& config) {
  std::vector<std::string> out;
  for (const ServiceDef& s : config.services) {
    for (const char* priority : {"ROUTINE", "URGENT"}) {
      for (int page = 1; page <= 3; ++page) {
        out.push_back(fmt::format(
            "schedule.actor%3AHealthcareService={}&appointmentType={}&_count=20&status=free"
            "&_include=Slot%3Aschedule&page={}",
            s.service_id, priority, page));
      }
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: cab_bench <results.json> [--quick]\n";
    return 2;
  }
  const bool quick = argc > 2 && std::string(argv[2]) == "--quick";
  const int requests = quick ? 600 : 6000;
  spdlog::set_level(spdlog::level::warn);

  auto parsed = ParseCabConfig(testing::SyntheticServiceMap(10, 5), "bench.toml");
  if (!parsed.ok()) {
    std::cerr << parsed.status().ToString() << "\n";
    return 1;
  }
  CabConfig config = std::move(parsed).value();
  config.http.listen_port = 0;
  ManualClock clock(testing::kMonday10am);
  testing::FakeBookingGateway gateway(clock);
  testing::FillConsistentTrust(gateway, config, testing::kMonday10am, 12);
  CabAdapter adapter(config, gateway, clock);
  if (Status s = adapter.Start(); !s.ok()) {
    std::cerr << s.ToString() << "\n";
    return 1;
  }
  const PublishedView view = adapter.published().View();
  const std::size_t slots = view.publication->slots.size();
  const std::vector<std::string> queries = Queries(config);

  // Baseline: the pure search, no HTTP.
  std::vector<double> pure;
  std::size_t bytes = 0;
  for (int i = 0; i < requests; ++i) {
    const std::string& q = queries[static_cast<std::size_t>(i) % queries.size()];
    const auto t0 = Steady::now();
    auto query = ParseSlotSearchQuery(q, config.search);
    const ServiceDef* service = config.FindService(query->service_id);
    auto page = SelectSlots(*service, *query, view, clock.NowMs());
    const std::string body = BuildSlotBundle(*service, *query, *page, *view.publication,
                                             "http://127.0.0.1", "bench", clock.NowMs());
    pure.push_back(Ms(Steady::now() - t0));
    bytes += body.size();
  }

  // One keep-alive client.
  std::vector<double> one;
  int failures = 0;
  {
    testing::HttpTestClient client(adapter.port());
    for (int i = 0; i < 100; ++i) client.Get("/STU3/Slot?" + queries[i % queries.size()]);
    for (int i = 0; i < requests; ++i) {
      const auto t0 = Steady::now();
      const testing::ClientResponse r =
          client.Get("/STU3/Slot?" + queries[static_cast<std::size_t>(i) % queries.size()]);
      one.push_back(Ms(Steady::now() - t0));
      if (r.status != 200) ++failures;
    }
  }

  // Eight clients at once.
  constexpr int kClients = 8;
  std::vector<std::vector<double>> per_client(kClients);
  std::atomic<int> concurrent_failures{0};
  const auto c0 = Steady::now();
  {
    std::vector<std::thread> threads;
    for (int c = 0; c < kClients; ++c) {
      threads.emplace_back([&, c] {
        testing::HttpTestClient client(adapter.port());
        for (int i = 0; i < requests / kClients; ++i) {
          const auto t0 = Steady::now();
          const testing::ClientResponse r = client.Get(
              "/STU3/Slot?" + queries[static_cast<std::size_t>(i * kClients + c) % queries.size()]);
          per_client[c].push_back(Ms(Steady::now() - t0));
          if (r.status != 200) ++concurrent_failures;
        }
      });
    }
    for (std::thread& t : threads) t.join();
  }
  const double concurrent_s = Ms(Steady::now() - c0) / 1000.0;
  std::vector<double> many;
  for (const auto& v : per_client) many.insert(many.end(), v.begin(), v.end());
  adapter.Stop();

  const double p99 = Percentile(one, 99);
  std::cout << fmt::format(
      "{} services, {} clinics, {} published slots (12 weeks); {} searches per run, 20 slots a "
      "page; average Bundle {} bytes.\n\n",
      config.services.size(), config.services.size() * 5, slots, requests,
      bytes / static_cast<std::size_t>(requests));
  std::cout << "| measure | p50 | p99 | target |\n|---|---|---|---|\n";
  std::cout << fmt::format("| pure search (no HTTP, baseline) | {:.3f} ms | {:.3f} ms | |\n",
                           Percentile(pure, 50), Percentile(pure, 99));
  std::cout << fmt::format(
      "| GET /STU3/Slot, 1 keep-alive client | {:.3f} ms | {:.3f} ms | p99 < 20 ms |\n",
      Percentile(one, 50), p99);
  std::cout << fmt::format("| GET /STU3/Slot, {} clients at once | {:.3f} ms | {:.3f} ms | |\n",
                           kClients, Percentile(many, 50), Percentile(many, 99));
  std::cout << fmt::format("| throughput, {} clients | {:.0f} searches/s | | |\n", kClients,
                           static_cast<double>(many.size()) / concurrent_s);
  std::cout << fmt::format("| failed requests | {} | | 0 |\n",
                           failures + concurrent_failures.load());

  std::ofstream out(argv[1]);
  out << fmt::format(
      "{{\"cab.slot_search_p99_ms\": {:.3f}, \"cab.slot_search_p50_ms\": {:.3f}, "
      "\"cab.slot_search_p99_ms_8_clients\": {:.3f}, \"cab.slot_search_pure_p99_ms\": {:.3f}}}\n",
      p99, Percentile(one, 50), Percentile(many, 99), Percentile(pure, 99));
  return (failures + concurrent_failures.load()) == 0 ? 0 : 1;
}
