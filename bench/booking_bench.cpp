// Booking benchmark (issue "booking engine" acceptance; run by bench/run.sh):
//   1. intake-and-book: 100,000 referrals through the booking worker's shell (decode, engine,
//      booking.db with synchronous=FULL, outbox, dedupe, audit) in batches of 64, against 200
//      clinics x 52 weeks of slots; seconds and peak RSS of this process;
//   2. referral-to-reply latency through the real broker and booking worker processes at a
//      fixed offered load of 500 referrals/s: p50/p99.
// Prints a table and writes a flat JSON object to argv[2].
//   booking_bench <hub binary> <results.json> [--quick]
#include <signal.h>
#include <time.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "adapters/common/mdp_client.hpp"
#include "hub/booking/clinic_config.hpp"
#include "hub/booking/demo_referrals.hpp"
#include "hub/booking/rules_config.hpp"
#include "hub/booking_worker/booking_service.hpp"
#include "hub/common/clock.hpp"
#include "hub/wire/envelope.hpp"
#include "schemas/referral.hpp"
#include "tests/support/hub_processes.hpp"

using namespace hub;
using namespace std::chrono_literals;

namespace {

long SelfKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
  }
  return -1;
}

// 200 clinics: the example trust's templates copied under new codes, 52-week horizon.
std::vector<booking::ClinicTemplate> BenchClinics() {
  auto base = booking::LoadClinicDir(std::string(HUB_SOURCE_DIR) + "/config/clinics");
  if (!base.ok()) {
    std::cerr << base.status().ToString() << "\n";
    std::exit(1);
  }
  std::vector<booking::ClinicTemplate> out;
  for (int i = 0; static_cast<int>(out.size()) < 200; ++i) {
    booking::ClinicTemplate t = (*base)[static_cast<std::size_t>(i) % base->size()];
    t.clinic_code = fmt::format("{}X{:03}", t.clinic_code.substr(0, 4), i);
    t.weekday = static_cast<unsigned>(1 + i % 5);
    t.booking_horizon_weeks = 52;
    out.push_back(std::move(t));
  }
  return out;
}

struct IntakeResult {
  double seconds = 0;
  double rss_mb = 0;
  long booked = 0;
  double written_mb = 0;  // bytes this process wrote to storage during the run (/proc/self/io)
  double cpu_s = 0;       // CPU time of this process during the run; the rest is waiting (fsync)
};

long SelfIo(const char* field) {
  std::ifstream in("/proc/self/io");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
  }
  return 0;
}

double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

IntakeResult IntakeAndBook(int n) {
  testing::TempDir dir;
  auto store = booking_worker::BookingStore::Open(dir.File("booking.db"), storage::Synchronous::kFull);
  auto rules = booking::LoadBookingRulesFile(std::string(HUB_SOURCE_DIR) + "/config/booking-rules.toml");
  if (!store.ok() || !rules.ok()) std::exit(1);
  booking_worker::BookingService service(**store, *rules, SystemClock::Instance());
  (void)service.Start();
  auto clinics = BenchClinics();
  if (Status s = service.LoadTemplates(clinics); !s.ok()) {
    std::cerr << "templates: " << s.ToString() << "\n";
    std::exit(1);
  }
  auto referrals = booking::GenerateDemoReferrals(n, 42, service.Today(), clinics);
  std::vector<std::string> bodies;
  bodies.reserve(referrals.size());
  for (const auto& r : referrals) {
    bodies.push_back(wire::EncodeEnvelope(wire::MakeEnvelope("referral.received", "bench", 0,
                                                             schemas::EncodeReferralReceived(r))));
  }
  referrals.clear();
  referrals.shrink_to_fit();
  IntakeResult out;
  auto t0 = std::chrono::steady_clock::now();
  const long written0 = SelfIo("write_bytes:");
  const double cpu0 = CpuSeconds();
  std::vector<adapters::WorkRequest> batch;
  for (std::size_t i = 0; i < bodies.size(); i += 64) {
    batch.clear();
    for (std::size_t j = i; j < std::min(bodies.size(), i + 64); ++j) batch.push_back({"", std::move(bodies[j])});
    auto replies = service.HandleBatch(batch);
    if (!replies.ok()) {
      std::cerr << replies.status().ToString() << "\n";
      std::exit(1);
    }
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.cpu_s = CpuSeconds() - cpu0;
  out.written_mb = static_cast<double>(SelfIo("write_bytes:") - written0) / (1024.0 * 1024.0);
  out.rss_mb = SelfKb("VmHWM:") / 1024.0;
  for (const auto& [id, a] : service.engine().state().appointments) out.booked += 1;
  return out;
}

std::vector<double> LatencyThroughBroker(double seconds, int rate) {
  testing::TempDir dir;
  testing::BrokerSettings s;
  s.heartbeat_ms = 2500;
  s.services = {"booking", "print", "scan", "cab"};
  s.extra_toml = testing::TestBookingToml();
  testing::BrokerProcess broker(dir, s);
  auto print = testing::StartTestWorker(dir, broker.endpoint(), dir.File("print.db"), "print.log",
                                        {"--service", "print", "--sink", "--credit", "64", "--heartbeat-ms", "2500"});
  auto cab = testing::StartTestWorker(dir, broker.endpoint(), dir.File("cab.db"), "cab.log",
                                      {"--service", "cab", "--sink", "--credit", "64", "--heartbeat-ms", "2500"});
  auto worker = testing::StartBookingWorker(dir, broker.config(), broker.endpoint(), "booking.log");
  zmq::context_t ctx;
  wire::BrokerConnection conn;
  conn.endpoint = broker.endpoint();
  adapters::MdpClient client(ctx, conn, "latency");
  auto clinics = booking::LoadClinicDir(std::string(HUB_SOURCE_DIR) + "/config/clinics");
  auto referrals = booking::GenerateDemoReferrals(static_cast<int>(seconds * rate) + 10, 5,
                                                  booking::LondonDateAt(SystemClock::Instance().NowMs()), *clinics);
  std::map<std::string, std::chrono::steady_clock::time_point> sent;
  std::vector<double> lat;
  auto start = std::chrono::steady_clock::now();
  auto end = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
  std::size_t issued = 0;
  while ((std::chrono::steady_clock::now() < end || !sent.empty()) &&
         std::chrono::steady_clock::now() < end + 10s) {
    auto now = std::chrono::steady_clock::now();
    auto due = static_cast<std::size_t>(std::chrono::duration_cast<std::chrono::microseconds>(now - start).count() *
                                        rate / 1'000'000);
    while (issued < due && now < end && issued < referrals.size()) {
      auto env = wire::MakeEnvelope("referral.received", "bench", 0, schemas::EncodeReferralReceived(referrals[issued++]));
      client.Send("booking", wire::EncodeEnvelope(env));
      sent[env.id] = std::chrono::steady_clock::now();
    }
    for (auto& r : client.Poll(0)) {
      auto env = wire::DecodeEnvelope(r.body, 1 << 20);
      if (!env.ok()) continue;
      auto it = sent.find(env->corr);
      if (it == sent.end()) continue;
      lat.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - it->second).count());
      sent.erase(it);
    }
    std::this_thread::sleep_for(100us);
  }
  std::sort(lat.begin(), lat.end());
  return lat;
}

double Pct(const std::vector<double>& v, double p) {
  if (v.empty()) return -1;
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: booking_bench <hub binary> <results.json> [--quick]\n";
    return 2;
  }
  bool quick = argc > 3 && std::string(argv[3]) == "--quick";
  spdlog::set_level(spdlog::level::warn);
  int n = quick ? 20'000 : 100'000;
  auto lat = LatencyThroughBroker(quick ? 4 : 10, 500);
  auto intake = IntakeAndBook(n);

  std::cout << "| measure | value | target |\n|---|---|---|\n";
  std::cout << fmt::format("| intake-and-book of {} referrals, 200 clinics x 52 weeks | {:.1f} s | < 20 s |\n", n,
                           intake.seconds);
  std::cout << fmt::format("| ... appointments booked | {} | |\n", intake.booked);
  std::cout << fmt::format("| ... CPU time of the worker shell | {:.1f} s | |\n", intake.cpu_s);
  std::cout << fmt::format("| ... written to booking.db (WAL, checkpoints) | {:.0f} MB | |\n", intake.written_mb);
  std::cout << fmt::format("| ... peak RSS | {:.0f} MB | < 500 MB |\n", intake.rss_mb);
  std::cout << fmt::format("| referral-to-reply latency at 500/s through the broker, p50 | {:.2f} ms | |\n", Pct(lat, 0.5));
  std::cout << fmt::format("| referral-to-reply latency at 500/s through the broker, p99 | {:.2f} ms | < 10 ms |\n",
                           Pct(lat, 0.99));
  std::ofstream out(argv[2]);
  out << "{\n";
  out << fmt::format("  \"{}\": {:.3f},\n", quick ? "booking.book_20k_s" : "booking.book_100k_s", intake.seconds);
  out << fmt::format("  \"{}\": {:.1f},\n", quick ? "booking.book_20k_rss_mb" : "booking.book_100k_rss_mb", intake.rss_mb);
  out << fmt::format("  \"booking.p99_ms_at_500\": {:.3f}\n", Pct(lat, 0.99));
  out << "}\n";
  return 0;
}
