// MdpWorker: batches up to its credit, and re-registers by itself after a broker restart.
#include "adapters/common/mdp_worker.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "adapters/common/mdp_client.hpp"
#include "tests/support/in_process_broker.hpp"
#include "tests/support/process.hpp"

namespace hub::adapters {
namespace {

TEST_CASE("a worker with credit receives batches and re-registers after a broker restart") {
  testing::TempDir dir;
  auto cfg = testing::TestBrokerConfig(dir);
  auto broker = std::make_unique<testing::InProcessBroker>(cfg);
  std::string endpoint = broker->endpoint();
  zmq::context_t ctx;
  WorkerOptions wo;
  wo.broker.endpoint = endpoint;
  wo.service = "echo";
  wo.credit = 8;
  wo.heartbeat_ms = 100;
  wo.reconnect_min_ms = 50;
  MdpWorker worker(ctx, wo, SystemClock::Instance());
  std::atomic<std::size_t> largest_batch{0};
  std::atomic<int> served{0};
  std::thread t([&] {
    (void)worker.Run([&](std::vector<WorkRequest>& batch) {
      if (batch.size() > largest_batch) largest_batch = batch.size();
      std::vector<std::string> out;
      for (auto& r : batch) {
        auto env = wire::DecodeEnvelope(r.body, 1 << 20);
        out.push_back(wire::EncodeEnvelope(wire::MakeEnvelope("test.echo", "w", 0, "", env->id)));
        ++served;
      }
      return out;
    });
  });
  wire::BrokerConnection conn;
  conn.endpoint = endpoint;
  MdpClient client(ctx, conn, "c");
  REQUIRE(client.ServiceAvailable("echo").ok());
  // Queue a burst while the worker is busy with nothing: it arrives as batches of up to 8.
  for (int i = 0; i < 64; ++i) client.Send("echo", wire::EncodeEnvelope(wire::MakeEnvelope("test.echo", "t", 0, "")));
  CHECK(testing::WaitUntil([&] { client.Poll(10); return served.load() == 64; }, std::chrono::seconds(10)));
  CHECK(largest_batch.load() > 1);
  CHECK(largest_batch.load() <= 8);

  // Restart the broker on the same port: the worker's heartbeat meets DISCONNECT (or silence)
  // and it registers again without help.
  broker->Stop();
  cfg.endpoints = {endpoint};
  broker = std::make_unique<testing::InProcessBroker>(cfg);
  auto after = client.Call("echo", wire::MakeEnvelope("test.echo", "t", 0, ""), 1000, 10);
  CHECK_MESSAGE(after.ok(), after.status().ToString());
  worker.Stop();
  t.join();
}

}  // namespace
}  // namespace hub::adapters
