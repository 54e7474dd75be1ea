// Web UI benchmark (issue 9 acceptance; run by bench/run.sh): PTL page latency under load.
//   1. booking.db is filled in this process with 100,000 referrals (the booking worker's own
//      shell and engine, example clinics: most stay on the waiting list as open pathways);
//   2. the real broker and `hub worker booking` processes start on it; `hub web`'s server runs in
//      this process on a free loopback port;
//   3. 8 keep-alive HTTP clients on loopback ask for PTL pages (GET /api/ptl?specialty=S&limit=100,
//      signed in, so each page also writes its 100 audit rows) as fast as they are answered.
// Baseline, in the same run: the same waitinglist.get sent straight to the booking service over
// MDP by one client (no HTTP, JSON, session or audit).
// Prints a table and writes a flat JSON object (web.ptl_p99_ms, ...) to argv[2].
//   web_bench <hub binary> <results.json> [--quick]
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <utility>  // before Boost 1.74 Asio, whose awaitable.hpp uses std::exchange
#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <cstring>
#include <fstream>
#include <iostream>
#include <random>
#include <thread>

#include "adapters/common/mdp_client.hpp"
#include "hub/booking/clinic_config.hpp"
#include "hub/booking/demo_referrals.hpp"
#include "hub/booking/rules_config.hpp"
#include "hub/booking_worker/booking_service.hpp"
#include "hub/common/clock.hpp"
#include "hub/web/web_service.hpp"
#include "hub/web/user_store.hpp"
#include "hub/wire/envelope.hpp"
#include "schemas/booking_queries.hpp"
#include "schemas/referral.hpp"
#include "tests/support/hub_processes.hpp"

using namespace hub;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "web_bench: " << what << "\n";
  std::exit(1);
}

std::vector<booking::ClinicTemplate> Clinics() {
  auto c = booking::LoadClinicDir(std::string(HUB_SOURCE_DIR) + "/config/clinics");
  if (!c.ok()) Die(c.status().ToString());
  return *c;
}

// Fills <dir>/booking.db with n referrals; returns how many entries are open (not booked).
long FillBookingDb(const testing::TempDir& dir, int n) {
  auto store = booking_worker::BookingStore::Open(dir.File("booking.db"), storage::Synchronous::kNormal);
  auto rules = booking::LoadBookingRulesFile(std::string(HUB_SOURCE_DIR) + "/config/booking-rules.toml");
  if (!store.ok() || !rules.ok()) Die("cannot open booking.db or the rules");
  booking_worker::BookingService service(**store, *rules, SystemClock::Instance());
  if (!service.Start().ok()) Die("booking service start");
  auto clinics = Clinics();
  if (Status s = service.LoadTemplates(clinics); !s.ok()) Die(s.ToString());
  auto referrals = booking::GenerateDemoReferrals(n, 42, service.Today(), clinics);
  std::vector<adapters::WorkRequest> batch;
  for (std::size_t i = 0; i < referrals.size(); i += 64) {
    batch.clear();
    for (std::size_t j = i; j < std::min(referrals.size(), i + 64); ++j) {
      batch.push_back({"", wire::EncodeEnvelope(wire::MakeEnvelope("referral.received", "bench", 0,
                                                                   schemas::EncodeReferralReceived(referrals[j])))});
    }
    auto replies = service.HandleBatch(batch);
    if (!replies.ok()) Die(replies.status().ToString());
  }
  long open = 0;
  for (const auto& [id, e] : service.engine().state().entries) open += e.status != booking::EntryStatus::kBooked;
  return open;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// One blocking HTTP/1.1 keep-alive client.
class HttpClient {
 public:
  explicit HttpClient(int port) : socket_(io_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)});
    socket_.set_option(asio::ip::tcp::no_delay(true));
  }
  // Returns the status code; `body` gets the response body.
  int Request(const std::string& method, const std::string& target, const std::string& headers,
              const std::string& body, std::string* out_body, std::string* out_headers = nullptr) {
    std::string req = fmt::format("{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\n{}Content-Length: {}\r\n\r\n{}", method,
                                  target, headers, body.size(), body);
    asio::write(socket_, asio::buffer(req));
    // Headers, then Content-Length bytes.
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) Fill();
    std::string head = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    auto cl = head.find("Content-Length: ");
    std::size_t len = cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 16));
    while (buf_.size() < len) Fill();
    if (out_body) *out_body = buf_.substr(0, len);
    buf_.erase(0, len);
    if (out_headers) *out_headers = head;
    return std::stoi(head.substr(9, 3));
  }

 private:
  void Fill() {
    char tmp[65536];
    std::size_t n = socket_.read_some(asio::buffer(tmp));
    buf_.append(tmp, n);
  }
  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  std::string buf_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) Die("usage: web_bench <hub binary> <results.json> [--quick]");
  bool quick = argc > 3 && std::string(argv[3]) == "--quick";
  spdlog::set_level(spdlog::level::warn);  // stdout is the results table
  const int pathways = 100'000;
  const double seconds = quick ? 4 : 15;
  const int clients = 8;

  testing::TempDir dir;
  auto t0 = std::chrono::steady_clock::now();
  long open = FillBookingDb(dir, pathways);
  double fill_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cerr << fmt::format("booking.db: {} referrals, {} open entries, {:.1f} s\n", pathways, open, fill_s);

  testing::BrokerSettings bs;
  bs.heartbeat_ms = 2500;
  bs.services = {"booking", "print", "scan", "cab"};
  bs.extra_toml = testing::TestBookingToml();
  testing::BrokerProcess broker(dir, bs);
  auto worker = testing::StartBookingWorker(dir, broker.config(), broker.endpoint(), "booking.log");

  std::set<std::string> specialty_set;
  for (const auto& c : Clinics()) specialty_set.insert(c.specialty);
  std::vector<std::string> specialties(specialty_set.begin(), specialty_set.end());

  // Baseline: waitinglist.get over MDP, one client, one at a time.
  std::vector<double> base;
  {
    zmq::context_t ctx;
    wire::BrokerConnection conn;
    conn.endpoint = broker.endpoint();
    adapters::MdpClient client(ctx, conn, "bench");
    auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds / 3);
    std::size_t i = 0;
    while (std::chrono::steady_clock::now() < end) {
      schemas::WaitingListGet get;
      get.specialty = specialties[i++ % specialties.size()];
      get.limit = 100;
      auto s = std::chrono::steady_clock::now();
      auto r = client.Call("booking", wire::MakeEnvelope("waitinglist.get", "bench", 0, schemas::EncodeWaitingListGet(get)),
                           30'000, 0);
      if (!r.ok()) Die("baseline: " + r.status().ToString());
      base.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count());
    }
  }

  // hub web in this process.
  {
    auto users = web::UserStore::Open(dir.File("users.db"));
    if (!users.ok() || !(*users)->AddUser("bench", web::Role::kClerk, "bench password 1", 0).ok()) Die("users.db");
  }
  web::WebServiceOptions wo;
  wo.config.port = 0;
  wo.config.users_db = dir.File("users.db");
  wo.config.static_dir = std::string(HUB_SOURCE_DIR) + "/hub/web/static";
  wo.config.backend_timeout_ms = 30'000;
  wo.broker.endpoint = broker.endpoint();
  wo.clinics = Clinics();
  std::atomic<bool> stop{false};
  std::atomic<int> port{0};
  std::thread server([&] {
    Status s = web::RunWebService(wo, SystemClock::Instance(), stop, [&](int p) { port = p; });
    if (!s.ok()) Die(s.ToString());
  });
  while (port == 0) std::this_thread::sleep_for(10ms);

  std::string cookie;
  {
    HttpClient c(port);
    std::string body, headers;
    int st = c.Request("POST", "/api/session", "Content-Type: application/json\r\n",
                       R"({"username":"bench","password":"bench password 1"})", &body, &headers);
    if (st != 200) Die("sign-in: " + body);
    auto p = headers.find("hub_session=");
    cookie = headers.substr(p, headers.find(';', p) - p);
  }

  std::vector<std::vector<double>> lat(clients);
  std::atomic<long> errors{0}, rows_seen{0};
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      HttpClient c(port);
      std::string body;
      std::size_t i = static_cast<std::size_t>(t);
      while (std::chrono::steady_clock::now() < end) {
        std::string target = fmt::format("/api/ptl?specialty={}&limit=100", specialties[i++ % specialties.size()]);
        auto s = std::chrono::steady_clock::now();
        int st = c.Request("GET", target, "Cookie: " + cookie + "\r\n", "", &body);
        lat[t].push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s).count());
        if (st != 200) {
          if (errors++ == 0) std::cerr << "PTL " << st << ": " << body << "\n";
        } else if (i < static_cast<std::size_t>(t) + 2) {
          rows_seen += static_cast<long>(std::count(body.begin(), body.end(), '\n'));
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  stop = true;
  server.join();

  std::vector<double> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  double rps = static_cast<double>(all.size()) / seconds;
  double p50 = Percentile(all, 0.50), p99 = Percentile(all, 0.99);
  double b50 = Percentile(base, 0.50), b99 = Percentile(base, 0.99);
  std::cout << "| measure | value | baseline (MDP waitinglist.get, 1 client) | target |\n|---|---|---|---|\n";
  std::cout << fmt::format("| PTL page p50, {} clients, {} pathways | {:.1f} ms | {:.1f} ms | |\n", clients, pathways, p50, b50);
  std::cout << fmt::format("| PTL page p99, {} clients, {} pathways | {:.1f} ms | {:.1f} ms | < 100 ms |\n", clients, pathways,
                           p99, b99);
  std::cout << fmt::format("| PTL pages per second | {:.0f} | {:.0f} | |\n", rps, static_cast<double>(base.size()) / (seconds / 3));
  std::cout << fmt::format("| errors | {} | | 0 |\n", errors.load());
  std::cout << fmt::format("| booking.db fill ({} referrals, {} open) | {:.1f} s | | |\n", pathways, open, fill_s);
  std::ofstream(argv[2]) << fmt::format(
      "{{\"web.ptl_p50_ms\": {:.2f}, \"web.ptl_p99_ms\": {:.2f}, \"web.ptl_rps\": {:.1f}, "
      "\"web.ptl_baseline_p99_ms\": {:.2f}, \"web.ptl_errors\": {}}}\n",
      p50, p99, rps, b99, errors.load());
  return errors == 0 ? 0 : 1;
}
