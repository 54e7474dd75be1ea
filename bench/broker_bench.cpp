// Broker benchmark (issue "hub core" acceptance; run by `make bench` through bench/run.sh).
//
// Measures, in one run on this machine:
//   - durable round trips/s through `hub broker` (synchronous=FULL journal) with 1, 4 and 16
//     asynchronous MDP clients, each keeping up to 64 requests in flight, and 2 workers with
//     credit 64; 1 KiB bodies;
//   - the same workload through a plain ZeroMQ ROUTER/DEALER relay with no journal (the
//     ceiling), and the ratio;
//   - p50/p99 round-trip latency at a fixed offered load of 1,000 requests/s;
//   - the broker's peak RSS during the runs, and with 1,000,000 requests queued.
// Prints a markdown table and writes a flat JSON object of results (path = argv[2]).
//
//   broker_bench <hub binary> <results.json> [--quick]
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>
#include <vector>

#include "adapters/common/mdp_client.hpp"
#include "adapters/common/mdp_worker.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/ulid.hpp"
#include "hub/wire/envelope.hpp"
#include "hub/wire/mdp.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "tests/support/admin_status.hpp"
#include "tests/support/hub_processes.hpp"
#include "tests/support/ports.hpp"
#include <spdlog/spdlog.h>
#include <cstring>

using namespace hub;
using namespace std::chrono_literals;

namespace {

const std::string kPayload(1024 - 120, 'x');  // envelope ~1 KiB with headers

std::string Request(const std::string& id) {
  wire::Envelope e;
  e.id = id;
  e.type = "test.echo";
  e.source = "bench";
  e.ts = 0;
  e.body = wire::MapWriter().Bin("payload", kPayload).Finish();
  return wire::EncodeEnvelope(e);
}

long RssKb(pid_t pid, const char* field) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
  }
  return -1;
}

// Echo workers as threads of this process: the reply carries the request body back.
class EchoWorkers {
 public:
  EchoWorkers(zmq::context_t& ctx, const std::string& endpoint, int n, int credit) {
    for (int i = 0; i < n; ++i) {
      adapters::WorkerOptions o;
      o.broker.endpoint = endpoint;
      o.service = "echo";
      o.credit = static_cast<std::uint32_t>(credit);
      workers_.push_back(std::make_unique<adapters::MdpWorker>(ctx, o, SystemClock::Instance()));
    }
    for (auto& w : workers_) {
      threads_.emplace_back([&w] {
        (void)w->Run([](std::vector<adapters::WorkRequest>& batch) {
          std::vector<std::string> out;
          out.reserve(batch.size());
          for (auto& r : batch) out.push_back(std::move(r.body));  // echo
          return out;
        });
      });
    }
  }
  ~EchoWorkers() {
    for (auto& w : workers_) w->Stop();
    for (auto& t : threads_) t.join();
  }

 private:
  std::vector<std::unique_ptr<adapters::MdpWorker>> workers_;
  std::vector<std::thread> threads_;
};

// N client threads, each with up to `window` requests in flight, for `seconds`.
double Throughput(zmq::context_t& ctx, const std::string& endpoint, int clients, int window,
                  double seconds) {
  std::atomic<long> done{0};
  std::atomic<bool> measuring{false}, stop{false};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      wire::BrokerConnection conn;
      conn.endpoint = endpoint;
      adapters::MdpClient client(ctx, conn, fmt::format("bench{}", c));
      int in_flight = 0;
      while (!stop.load()) {
        while (in_flight < window && client.Send("echo", Request(NewUlid()))) ++in_flight;
        auto replies = client.Poll(50);
        in_flight -= static_cast<int>(replies.size());
        if (measuring.load()) done += static_cast<long>(replies.size());
      }
    });
  }
  std::this_thread::sleep_for(1s);  // warm-up
  measuring = true;
  auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  long n = done.load();
  auto t1 = std::chrono::steady_clock::now();
  measuring = false;
  stop = true;
  for (auto& t : threads) t.join();
  return n / std::chrono::duration<double>(t1 - t0).count();
}

// One client offering `rate` requests/s for `seconds`; returns sorted latencies in ms.
std::vector<double> Latencies(zmq::context_t& ctx, const std::string& endpoint, int rate, double seconds) {
  wire::BrokerConnection conn;
  conn.endpoint = endpoint;
  adapters::MdpClient client(ctx, conn, "latency");
  std::map<std::string, std::chrono::steady_clock::time_point> sent;
  std::vector<double> lat;
  auto start = std::chrono::steady_clock::now();
  auto end = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                         std::chrono::duration<double>(seconds));
  long issued = 0;
  while (std::chrono::steady_clock::now() < end || !sent.empty()) {
    auto now = std::chrono::steady_clock::now();
    long due = std::chrono::duration_cast<std::chrono::microseconds>(now - start).count() * rate / 1'000'000;
    while (issued < due && now < end) {
      std::string id = NewUlid();
      client.Send("echo", Request(id));
      sent[id] = std::chrono::steady_clock::now();
      ++issued;
    }
    for (auto& r : client.Poll(0)) {
      auto env = wire::DecodeEnvelope(r.body, 1 << 20);
      if (!env.ok()) continue;
      auto it = sent.find(env->id);  // echo: the reply is the request itself
      if (it == sent.end()) continue;
      lat.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - it->second).count());
      sent.erase(it);
    }
    if (now > end + 10s) break;
    std::this_thread::sleep_for(100us);
  }
  std::sort(lat.begin(), lat.end());
  return lat;
}

double Pct(const std::vector<double>& v, double p) {
  if (v.empty()) return -1;
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// The ceiling: a plain ROUTER/DEALER relay (zmq_proxy) in a child process, and workers that
// echo on DEALER sockets; no MDP bookkeeping, no journal.
pid_t StartRelay(int front_port, int back_port) {
  pid_t pid = fork();
  if (pid == 0) {
    zmq::context_t ctx;
    zmq::socket_t front(ctx, zmq::socket_type::router), back(ctx, zmq::socket_type::dealer);
    front.set(zmq::sockopt::sndhwm, 200000);
    front.set(zmq::sockopt::rcvhwm, 200000);
    back.set(zmq::sockopt::sndhwm, 200000);
    back.set(zmq::sockopt::rcvhwm, 200000);
    front.bind(fmt::format("tcp://127.0.0.1:{}", front_port));
    back.bind(fmt::format("tcp://127.0.0.1:{}", back_port));
    zmq::proxy(front, back);
    _exit(0);
  }
  return pid;
}

double PlainThroughput(int clients, int window, double seconds) {
  int front = testing::FreeTcpPort(), back = testing::FreeTcpPort();
  pid_t relay = StartRelay(front, back);
  zmq::context_t ctx;
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (int i = 0; i < 2; ++i) {
    workers.emplace_back([&] {
      zmq::socket_t s(ctx, zmq::socket_type::dealer);
      s.set(zmq::sockopt::linger, 0);
      s.connect(fmt::format("tcp://127.0.0.1:{}", back));
      wire::mdp::Frames f;
      while (!stop.load()) {
        if (!wire::mdp::RecvFramesWait(s, &f, 50)) continue;
        wire::mdp::SendFrames(s, f);  // [client id][""][MDPC01][service][body] echoed back
      }
    });
  }
  std::atomic<long> done{0};
  std::atomic<bool> measuring{false}, stop_clients{false};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      wire::BrokerConnection conn;
      conn.endpoint = fmt::format("tcp://127.0.0.1:{}", front);
      adapters::MdpClient client(ctx, conn, "plain");
      int in_flight = 0;
      while (!stop_clients.load()) {
        while (in_flight < window && client.Send("echo", Request(NewUlid()))) ++in_flight;
        auto replies = client.Poll(50);
        in_flight -= static_cast<int>(replies.size());
        if (measuring.load()) done += static_cast<long>(replies.size());
      }
    });
  }
  std::this_thread::sleep_for(1s);
  measuring = true;
  auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  long n = done.load();
  auto t1 = std::chrono::steady_clock::now();
  stop_clients = true;
  for (auto& t : threads) t.join();
  stop = true;
  for (auto& t : workers) t.join();
  kill(relay, SIGKILL);
  waitpid(relay, nullptr, 0);
  return n / std::chrono::duration<double>(t1 - t0).count();
}

// Fills a broker with `n` queued requests (no workers) and returns its RSS high-water mark (MB).
double RssWithQueued(const std::string& hub, long n) {
  testing::TempDir dir;
  testing::BrokerSettings s;
  s.heartbeat_ms = 2500;
  s.services = {"echo"};
  (void)hub;
  testing::BrokerProcess broker(dir, s);
  zmq::context_t ctx;
  wire::BrokerConnection conn;
  conn.endpoint = broker.endpoint();
  adapters::MdpClient client(ctx, conn, "fill");
  long sent = 0;
  while (sent < n) {
    if (client.Send("echo", Request(NewUlid()))) {
      ++sent;
    } else {
      std::this_thread::sleep_for(1ms);
    }
  }
  // Wait until the journal holds them all (admin.status reports queued after each commit).
  adapters::MdpClient admin(ctx, conn, "admin");
  auto deadline = std::chrono::steady_clock::now() + 600s;
  while (std::chrono::steady_clock::now() < deadline && testing::QueuedCount(admin, "echo") < n) {
    std::this_thread::sleep_for(500ms);
  }
  double mb = RssKb(broker.process().pid(), "VmHWM:") / 1024.0;
  broker.Kill(SIGTERM);
  return mb;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: broker_bench <hub binary> <results.json> [--quick]\n";
    return 2;
  }
  bool quick = argc > 3 && std::string(argv[3]) == "--quick";
  double secs = quick ? 2 : 5;
  long queued_n = quick ? 100'000 : 1'000'000;
  spdlog::set_level(spdlog::level::warn);

  std::map<std::string, double> results;
  double peak_rss_mb = 0;
  {
    testing::TempDir dir;
    testing::BrokerSettings s;
    s.heartbeat_ms = 2500;
    s.services = {"echo"};
    testing::BrokerProcess broker(dir, s);  // synchronous=FULL is the default
    zmq::context_t ctx;
    EchoWorkers workers(ctx, broker.endpoint(), 2, 64);
    for (int c : {1, 4, 16}) {
      double rt = Throughput(ctx, broker.endpoint(), c, 64, secs);
      results[fmt::format("broker.durable_rt_per_s.c{}", c)] = rt;
      std::cerr << fmt::format("durable c{}: {:.0f} rt/s\n", c, rt);
    }
    auto lat = Latencies(ctx, broker.endpoint(), 1000, quick ? 3 : 10);
    results["broker.p50_ms_at_1000"] = Pct(lat, 0.50);
    results["broker.p99_ms_at_1000"] = Pct(lat, 0.99);
    std::cerr << fmt::format("latency at 1000/s: p50 {:.2f} ms p99 {:.2f} ms ({} samples)\n",
                             Pct(lat, 0.5), Pct(lat, 0.99), lat.size());
    peak_rss_mb = RssKb(broker.process().pid(), "VmHWM:") / 1024.0;
    results["broker.rss_mb_peak_runs"] = peak_rss_mb;
  }
  double plain = PlainThroughput(16, 64, secs);
  results["broker.plain_rt_per_s.c16"] = plain;
  std::cerr << fmt::format("plain relay c16: {:.0f} rt/s\n", plain);
  double rss_1m = RssWithQueued(argv[1], queued_n);
  results[quick ? "broker.rss_mb_100k_queued" : "broker.rss_mb_1m_queued"] = rss_1m;

  double c16 = results["broker.durable_rt_per_s.c16"];
  std::cout << "| measure | value | target |\n|---|---|---|\n";
  std::cout << fmt::format("| durable round trips/s, 1 client x 64 in flight | {:.0f} | |\n", results["broker.durable_rt_per_s.c1"]);
  std::cout << fmt::format("| durable round trips/s, 4 clients x 64 | {:.0f} | |\n", results["broker.durable_rt_per_s.c4"]);
  std::cout << fmt::format("| durable round trips/s, 16 clients x 64 | {:.0f} | >= 10,000 (aim 30,000) |\n", c16);
  std::cout << fmt::format("| plain ROUTER/DEALER relay, 16 clients x 64 (no journal) | {:.0f} | ceiling |\n", plain);
  std::cout << fmt::format("| durable / plain at 16 clients | {:.2f} | |\n", plain > 0 ? c16 / plain : 0);
  std::cout << fmt::format("| latency p50 at 1,000 req/s | {:.2f} ms | |\n", results["broker.p50_ms_at_1000"]);
  std::cout << fmt::format("| latency p99 at 1,000 req/s | {:.2f} ms | < 5 ms |\n", results["broker.p99_ms_at_1000"]);
  std::cout << fmt::format("| broker peak RSS during the runs above | {:.0f} MB | |\n", peak_rss_mb);
  std::cout << fmt::format("| broker peak RSS with {} requests queued | {:.0f} MB | < 200 MB |\n", queued_n, rss_1m);

  std::ofstream out(argv[2]);
  out << "{\n";
  std::size_t i = 0;
  for (const auto& [k, v] : results) {
    out << fmt::format("  \"{}\": {:.3f}{}\n", k, v, ++i < results.size() ? "," : "");
  }
  out << "}\n";
  return 0;
}
