// MdpClient: synchronous Call with Lazy Pirate retries, error replies as Status, MMI.
#include "adapters/common/mdp_client.hpp"

#include <doctest/doctest.h>

#include <thread>

#include "adapters/common/mdp_worker.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/error.hpp"
#include "tests/support/in_process_broker.hpp"

namespace hub::adapters {
namespace {

TEST_CASE("Call returns the reply, an error reply as its Status, and times out cleanly") {
  testing::TempDir dir;
  testing::InProcessBroker broker(testing::TestBrokerConfig(dir));
  zmq::context_t ctx;
  WorkerOptions wo;
  wo.broker.endpoint = broker.endpoint();
  wo.service = "echo";
  wo.heartbeat_ms = 100;
  MdpWorker worker(ctx, wo, SystemClock::Instance());
  std::thread t([&] {
    (void)worker.Run([](std::vector<WorkRequest>& batch) {
      std::vector<std::string> out;
      for (auto& r : batch) {
        auto env = wire::DecodeEnvelope(r.body, 1 << 20);
        if (env->type == "test.fail") {
          out.push_back(wire::EncodeEnvelope(schemas::MakeErrorEnvelope(
              Status::InvalidArgument("bad thing", "body.x"), env->id, "w", 0)));
        } else {
          out.push_back(wire::EncodeEnvelope(wire::MakeEnvelope("test.echo", "w", 0, env->body, env->id)));
        }
      }
      return out;
    });
  });
  wire::BrokerConnection conn;
  conn.endpoint = broker.endpoint();
  MdpClient client(ctx, conn, "client");
  auto req = wire::MakeEnvelope("test.echo", "t", 0, wire::MapWriter().Str("x", "y").Finish());
  auto reply = client.Call("echo", req);
  REQUIRE_MESSAGE(reply.ok(), reply.status().ToString());
  CHECK(reply->corr == req.id);
  CHECK(reply->body == req.body);

  auto fail = client.Call("echo", wire::MakeEnvelope("test.fail", "t", 0, ""));
  CHECK(fail.status().code() == StatusCode::kInvalidArgument);
  CHECK(fail.status().field() == "body.x");

  CHECK(*client.ServiceAvailable("echo"));
  CHECK_FALSE(*client.ServiceAvailable("test"));

  // No worker for "test": queued durably, so the call times out after its retries.
  auto none = client.Call("test", wire::MakeEnvelope("test.apply", "t", 0, ""), 200, 1);
  CHECK(none.status().code() == StatusCode::kDeadlineExceeded);
  worker.Stop();
  t.join();
}

TEST_CASE("a client pointed at nothing fails with DeadlineExceeded, not a hang or a crash") {
  zmq::context_t ctx;
  wire::BrokerConnection conn;
  conn.endpoint = "tcp://127.0.0.1:1";
  MdpClient client(ctx, conn, "lonely");
  auto r = client.Call("echo", wire::MakeEnvelope("test.echo", "t", 0, ""), 100, 1);
  CHECK(r.status().code() == StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace hub::adapters
