// The weekly PTL over 1,000,000 open pathways and the partial-booking timer sweep over 1,000,000
// items (issue 8): ComputePtl (bands, breach dates, potential breaches, thresholds, summaries by
// specialty and consultant), the CSV export, and SweepPartialBooking with every item's invitation
// due. Baseline in the same run: one plain pass over the same input (the memory traffic any PTL
// must pay). Peak RSS (VmHWM) after the PTL, before the partial-booking list is built.
//   ptl_bench <results.json> [--quick]      (--quick: 100,000 of each)
#include <fmt/format.h>

#include <chrono>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "hub/booking/partial_booking.hpp"
#include "hub/booking/ptl.hpp"
#include "hub/reports/ptl_export.hpp"

using namespace hub::booking;

namespace {

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double PeakRssMb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

PtlInput MakeInput(std::size_t n, Date census) {
  PtlInput in;
  std::vector<std::uint32_t> specialties, consultants;
  for (int i = 0; i < 20; ++i) specialties.push_back(in.Intern(fmt::format("SPECIALTY_{:02}", i)));
  for (int i = 0; i < 200; ++i) consultants.push_back(in.Intern(fmt::format("Dr C{:03}", i)));
  std::mt19937_64 rng(8);
  const std::int32_t c = DayNumber(census);
  in.pathways.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    PtlPathway& p = in.pathways[i];
    p.nhs_number = fmt::format("999{:07}", i);
    p.mrn = fmt::format("RX{:07}", i);
    p.patient_name = fmt::format("Patient {}", i);
    p.pathway_id = fmt::format("{:012}", i);
    p.specialty = specialties[rng() % specialties.size()];
    p.consultant = consultants[rng() % consultants.size()];
    p.priority = static_cast<Priority>(1 + rng() % 3);
    p.clock_start = c - static_cast<std::int32_t>(rng() % 800);
    if (rng() % 10 < 4) p.next_event = c + static_cast<std::int32_t>(rng() % 200);
    p.last_activity = p.clock_start;
  }
  return in;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: ptl_bench <results.json> [--quick]\n");
    return 2;
  }
  const bool quick = argc > 2 && std::string(argv[2]) == "--quick";
  const std::size_t n = quick ? 100'000 : 1'000'000;
  const Date census = *ParseIsoDate("2025-06-02");
  BookingRules rules;

  auto t0 = std::chrono::steady_clock::now();
  PtlInput in = MakeInput(n, census);
  const double build_s = Seconds(t0);

  t0 = std::chrono::steady_clock::now();
  std::int64_t sum = 0;
  for (const auto& p : in.pathways) sum += DayNumber(census) - p.clock_start + p.pathway_id.size();
  const double baseline_s = Seconds(t0);

  t0 = std::chrono::steady_clock::now();
  PtlReport report = ComputePtl(in, census, rules);
  const double ptl_s = Seconds(t0);
  const double rss_mb = PeakRssMb();

  const std::string csv_path = fmt::format("/tmp/ptl_bench_{}.csv", ::getpid());
  t0 = std::chrono::steady_clock::now();
  hub::Status csv = hub::reports::WritePtlCsvFile(in, report, csv_path);
  const double csv_s = Seconds(t0);
  std::remove(csv_path.c_str());
  if (!csv.ok()) {
    std::fprintf(stderr, "csv: %s\n", csv.ToString().c_str());
    return 1;
  }

  // Partial booking: n items whose invitations all fall due on the sweep day.
  PartialBookingList list;
  const Date added = *ParseIsoDate("2025-01-06");
  t0 = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < n; ++i) {
    list.Put(NewPbItem(fmt::format("E{:010}", i), "9990000018", "CARDIOLOGY",
                       AddDays(added, 60 + static_cast<std::int64_t>(i % 30)), std::nullopt, added,
                       rules));
  }
  const double pb_load_s = Seconds(t0);
  const Date sweep_day = AddDays(added, 60);  // every invitation (due − 42) is due by now
  t0 = std::chrono::steady_clock::now();
  auto fired = SweepPartialBooking(list, sweep_day, rules);
  const double sweep_s = Seconds(t0);
  t0 = std::chrono::steady_clock::now();
  auto idle = SweepPartialBooking(list, sweep_day, rules);  // nothing due: the index answers
  const double idle_s = Seconds(t0);

  std::printf("| measure | n | seconds | note |\n|---|---:|---:|---|\n");
  std::printf("| baseline: one pass over the input | %zu | %.3f | checksum %lld |\n", n, baseline_s,
              static_cast<long long>(sum % 1000));
  std::printf("| PTL (ComputePtl: rows, sort, summaries) | %zu | %.3f | %zu rows, %lld potential "
              "breaches; peak RSS %.0f MiB (input built in %.2f s) |\n",
              n, ptl_s, report.rows.size(), static_cast<long long>(report.total.potential_breaches),
              rss_mb, build_s);
  std::printf("| PTL CSV export | %zu | %.3f | to a file in /tmp |\n", n, csv_s);
  std::printf("| partial-booking list: add items | %zu | %.3f | |\n", n, pb_load_s);
  std::printf("| partial-booking sweep: every invitation due | %zu | %.3f | %zu items fired |\n", n,
              sweep_s, fired.size());
  std::printf("| partial-booking sweep: nothing due | %zu | %.6f | %zu fired |\n", n, idle_s,
              idle.size());

  std::ofstream json(argv[1]);
  json << fmt::format(
      "{{\"ptl.1m_s\": {:.3f}, \"ptl.1m_rss_mb\": {:.0f}, \"ptl.1m_csv_s\": {:.3f}, "
      "\"ptl.baseline_pass_s\": {:.3f}, \"pb.sweep_1m_s\": {:.3f}}}\n",
      ptl_s, rss_mb, csv_s, baseline_s, sweep_s);
  return fired.size() == n && idle.empty() ? 0 : 1;
}
