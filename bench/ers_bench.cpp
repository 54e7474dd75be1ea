// e-Referral adapter benchmark (issue 4 acceptance; run by `make bench` through bench/run.sh).
//
// Measures REF^I12 messages/s with their ACKs through the real `hub adapter ers` process, with
// `hub broker` and a sink booking worker (`hub_test_worker --sink --service booking`) running
// and taking the forwarded referral.received messages at the same time, over 1 and 8 MLLP
// connections. Each connection keeps up to `window` messages unacknowledged (32, as a sender
// pipelining on one socket does; the adapter group-commits what arrives together), and, for
// comparison in the same run, 1 (strict send-wait-send). Every message is a distinct referral
// (RF1-6 changes), ers.db runs with synchronous=FULL. Prints a markdown table and writes a
// flat JSON object to argv[2].
//
//   ers_bench <hub binary> <results.json> [--quick]   (hub_test_worker: the one built with it)
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>
#include <vector>

#include "tests/support/hub_processes.hpp"

namespace {

using namespace hub;
using Clock = std::chrono::steady_clock;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The REF^I12 sample with CR segment ends, split around MSH-10 and RF1-6 so each message gets
// its own control id and referral id cheaply.
struct Template {
  std::string head, middle, tail;
  explicit Template(std::string m) {
    for (char& c : m) {
      if (c == '\n') c = '\r';
    }
    std::size_t a = m.find("|MSG00112|");
    std::size_t b = m.find("|226839^EPIC|");
    head = m.substr(0, a + 1);
    middle = m.substr(a + 9, b + 1 - (a + 9));
    tail = m.substr(b + 12);
  }
  std::string Frame(std::uint64_t n) const {
    std::string id = fmt::format("B{}", n);
    return "\x0b" + head + id + middle + id + "^BENCH" + tail + "\x1c\r";
  }
};

struct ConnResult {
  long acked = 0;
  long refused = 0;
  bool failed = false;
};

// One sender: keeps `window` frames outstanding until `stop`, then drains.
void Sender(int port, const Template& t, int window, std::atomic<std::uint64_t>& next,
            const std::atomic<bool>& stop, ConnResult& out) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    out.failed = true;
    close(fd);
    return;
  }
  std::string in;
  int outstanding = 0;
  char buf[65536];
  while (true) {
    if (!stop) {
      std::string batch;
      while (outstanding < window) {
        batch += t.Frame(next.fetch_add(1));
        ++outstanding;
      }
      std::size_t sent = 0;
      while (sent < batch.size()) {
        ssize_t n = send(fd, batch.data() + sent, batch.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
          out.failed = true;
          close(fd);
          return;
        }
        sent += static_cast<std::size_t>(n);
      }
    }
    if (outstanding == 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 10'000) <= 0) {
      out.failed = true;
      break;
    }
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      out.failed = true;
      break;
    }
    in.append(buf, static_cast<std::size_t>(n));
    std::size_t end;
    while ((end = in.find("\x1c\r")) != std::string::npos) {
      (in.find("MSA|AA|") < end ? out.acked : out.refused)++;
      in.erase(0, end + 2);
      --outstanding;
    }
  }
  close(fd);
}

double Run(int port, const Template& t, int connections, int window, double secs,
           std::atomic<std::uint64_t>& next, long* refused) {
  std::atomic<bool> stop = false;
  std::vector<ConnResult> results(static_cast<std::size_t>(connections));
  std::vector<std::thread> threads;
  auto t0 = Clock::now();
  for (int i = 0; i < connections; ++i) {
    threads.emplace_back(Sender, port, std::cref(t), window, std::ref(next), std::cref(stop),
                         std::ref(results[static_cast<std::size_t>(i)]));
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(secs));
  stop = true;
  for (auto& th : threads) th.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
  long acked = 0;
  for (const auto& r : results) {
    acked += r.acked;
    *refused += r.refused + (r.failed ? 1 : 0);
  }
  return static_cast<double>(acked) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: ers_bench <hub binary> <results.json> [--quick]\n";
    return 2;
  }
  bool quick = argc > 3 && std::string(argv[3]) == "--quick";
  double secs = quick ? 3 : 8;
  spdlog::set_level(spdlog::level::warn);
  Template t(ReadFile(std::string(HUB_TESTDATA_DIR) + "/ers/hl7v2-REF-I12-01-with-nhs-number.hl7"));

  testing::TempDir dir;
  testing::BrokerSettings settings;
  settings.heartbeat_ms = 2500;
  settings.services = {"booking"};
  testing::BrokerProcess broker(dir, settings);
  auto sink = testing::StartTestWorker(dir, broker.endpoint(), dir.File("sink.db"), "sink.log",
                                       {"--sink", "--service", "booking", "--credit", "64"});
  std::ofstream(dir.File("ers.toml"))
      << "[hl7]\nlisten = \"127.0.0.1:0\"\n[folder]\nenabled = false\n"
         "[referrals]\ndefault_specialty = \"CARDIOLOGY\"\ndefault_clinic_type = \"GENERAL\"\n";
  testing::ChildProcess adapter(
      argv[1],
      {"adapter", "ers", "--config", broker.config(), "--ers-config", dir.File("ers.toml"),
       "--endpoint", broker.endpoint(), "--no-curve"},
      dir.File("ers.log"));
  if (!adapter.WaitForLog("ers adapter ready", std::chrono::seconds(30))) {
    std::cerr << "adapter did not start:\n" << adapter.Log();
    return 1;
  }
  std::string log = adapter.Log();
  std::size_t at = log.find("MLLP on 127.0.0.1:");
  int port = std::stoi(log.substr(at + 18));

  std::atomic<std::uint64_t> next = 1;
  long refused = 0;
  std::map<std::string, double> results;
  Run(port, t, 1, 32, 0.5, next, &refused);  // warm-up: page cache, SQLite statement cache
  for (int c : {1, 8}) {
    results[fmt::format("ers.mllp_per_s.c{}", c)] = Run(port, t, c, 32, secs, next, &refused);
    results[fmt::format("ers.mllp_lockstep_per_s.c{}", c)] =
        Run(port, t, c, 1, secs / 2, next, &refused);
    std::cerr << fmt::format("c{}: {:.0f}/s pipelined, {:.0f}/s lock-step\n", c,
                             results[fmt::format("ers.mllp_per_s.c{}", c)],
                             results[fmt::format("ers.mllp_lockstep_per_s.c{}", c)]);
  }
  std::cout << "| measure | value | target |\n|---|---|---|\n";
  std::cout << fmt::format(
      "| REF^I12 + ACK per s, 1 connection, 32 in flight | {:.0f} | >= 5,000 |\n",
      results["ers.mllp_per_s.c1"]);
  std::cout << fmt::format(
      "| REF^I12 + ACK per s, 8 connections, 32 in flight each | {:.0f} | >= 15,000 |\n",
      results["ers.mllp_per_s.c8"]);
  std::cout << fmt::format("| REF^I12 + ACK per s, 1 connection, send-wait-send | {:.0f} | |\n",
                           results["ers.mllp_lockstep_per_s.c1"]);
  std::cout << fmt::format("| REF^I12 + ACK per s, 8 connections, send-wait-send | {:.0f} | |\n",
                           results["ers.mllp_lockstep_per_s.c8"]);
  std::cout << fmt::format("| messages not answered AA (must be 0) | {} | 0 |\n", refused);
  std::ofstream json(argv[2]);
  json << "{";
  bool first = true;
  for (const auto& [k, v] : results) {
    json << (first ? "" : ", ") << fmt::format("\"{}\": {:.1f}", k, v);
    first = false;
  }
  json << "}\n";
  return refused == 0 ? 0 : 1;
}
