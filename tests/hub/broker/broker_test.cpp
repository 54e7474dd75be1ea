// Broker behaviour with hand-driven raw MDP peers (an in-process broker on loopback): the credit
// extension, queue order through the on-disk window, bounded queues, leases, dead letters and
// replay, worker protocol errors and admin errors.
#include "hub/broker/broker.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <optional>

#include "adapters/common/mdp_client.hpp"
#include "hub/wire/envelope.hpp"
#include "hub/wire/mdp.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/error.hpp"
#include "tests/support/admin_status.hpp"
#include "tests/support/in_process_broker.hpp"
#include "tests/support/process.hpp"

namespace hub::broker {
namespace {

namespace mdp = wire::mdp;
using testing::InProcessBroker;
using testing::TempDir;

struct Request {
  std::string address;
  wire::Envelope envelope;
};

// A worker speaking raw 7/MDP frames, driven step by step by the test.
class RawWorker {
 public:
  RawWorker(zmq::context_t& ctx, const std::string& endpoint, const std::string& service,
            const std::string& credit = "")
      : socket_(ctx, zmq::socket_type::dealer) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.connect(endpoint);
    if (!service.empty()) {
      std::vector<std::string> ready = {"", "MDPW01", "\x01", service};
      if (!credit.empty()) ready.push_back(credit);
      Send(ready);
    }
  }
  void Send(const std::vector<std::string>& frames) {
    mdp::Frames f;
    for (const auto& s : frames) f.push_back(mdp::Frame(s));
    REQUIRE(mdp::SendFrames(socket_, f));
  }
  // The next command other than HEARTBEAT (answering heartbeats), or nullopt on timeout.
  std::optional<mdp::Frames> NextCommand(int timeout_ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    mdp::Frames f;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!mdp::RecvFramesWait(socket_, &f, 20)) continue;
      if (f.size() == 3 && mdp::View(f[2]) == std::string_view("\x04", 1)) {
        Send({"", "MDPW01", "\x04"});
        continue;
      }
      return f;
    }
    return std::nullopt;
  }
  std::optional<Request> Next(int timeout_ms) {
    auto f = NextCommand(timeout_ms);
    if (!f) return std::nullopt;
    REQUIRE(f->size() == 6);
    CHECK(mdp::View((*f)[2]) == std::string_view("\x02", 1));
    auto env = wire::DecodeEnvelope(mdp::View((*f)[5]), 1 << 20);
    REQUIRE(env.ok());
    return Request{std::string(mdp::View((*f)[3])), *env};
  }
  void Reply(const Request& r) {
    auto reply = wire::MakeEnvelope(r.envelope.type, "raw-worker", 0, "", r.envelope.id);
    Send({"", "MDPW01", "\x03", r.address, "", wire::EncodeEnvelope(reply)});
  }

 private:
  zmq::socket_t socket_;
};

wire::Envelope Msg(const std::string& id) {
  wire::Envelope e = wire::MakeEnvelope("test.apply", "test", 0, wire::MapWriter().Str("key", id).Finish());
  e.id = id;
  return e;
}

adapters::MdpClient Client(zmq::context_t& ctx, const InProcessBroker& b, const std::string& name = "t") {
  wire::BrokerConnection c;
  c.endpoint = b.endpoint();
  return adapters::MdpClient(ctx, c, name);
}

std::vector<wire::Envelope> Replies(adapters::MdpClient& client, int timeout_ms, std::size_t want = 1000) {
  std::vector<wire::Envelope> out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (out.size() < want && std::chrono::steady_clock::now() < deadline) {
    for (auto& r : client.Poll(20)) {
      auto env = wire::DecodeEnvelope(r.body, 1 << 20);
      REQUIRE(env.ok());
      out.push_back(*env);
    }
  }
  return out;
}

TEST_CASE("credit: a worker that declares credit 4 holds four requests; a plain one holds one") {
  TempDir dir;
  auto cfg = testing::TestBrokerConfig(dir);
  cfg.heartbeat_ms = 5000;
  InProcessBroker broker(cfg);
  zmq::context_t ctx;
  auto client = Client(ctx, broker);
  RawWorker w(ctx, broker.endpoint(), "test", "4");
  for (int i = 0; i < 6; ++i) REQUIRE(client.Send("test", wire::EncodeEnvelope(Msg(fmt::format("c{}", i)))));
  std::vector<Request> held;
  for (int i = 0; i < 4; ++i) {
    auto r = w.Next(3000);
    REQUIRE(r.has_value());
    held.push_back(*r);
  }
  CHECK_FALSE(w.Next(300).has_value());  // credit exhausted
  w.Reply(held[0]);
  auto fifth = w.Next(3000);
  REQUIRE(fifth.has_value());
  CHECK(fifth->envelope.id == "c4");

  RawWorker plain(ctx, broker.endpoint(), "echo");
  for (int i = 0; i < 2; ++i) {
    auto e = Msg(fmt::format("p{}", i));
    REQUIRE(client.Send("echo", wire::EncodeEnvelope(e)));
  }
  auto first = plain.Next(3000);
  REQUIRE(first.has_value());
  CHECK_FALSE(plain.Next(300).has_value());  // lock-step 7/MDP
  plain.Reply(*first);
  CHECK(plain.Next(3000).has_value());
}

TEST_CASE("requests beyond the in-memory window wait on disk and are served in order") {
  TempDir dir;
  auto cfg = testing::TestBrokerConfig(dir);
  cfg.window = 16;
  InProcessBroker broker(cfg);
  zmq::context_t ctx;
  auto client = Client(ctx, broker);
  std::vector<std::string> sent;
  for (int i = 0; i < 100; ++i) {
    sent.push_back(fmt::format("w{:03}", i));
    REQUIRE(client.Send("test", wire::EncodeEnvelope(Msg(sent.back()))));
  }
  // Let them all be journaled before a worker exists.
  CHECK(testing::WaitUntil([&] { return testing::QueuedCount(client, "test") == 100; },
                          std::chrono::seconds(10)));
  RawWorker w(ctx, broker.endpoint(), "test");
  std::vector<std::string> got;
  for (int i = 0; i < 100; ++i) {
    auto r = w.Next(3000);
    REQUIRE(r.has_value());
    got.push_back(r->envelope.id);
    w.Reply(*r);
  }
  CHECK(got == sent);
  CHECK(Replies(client, 3000, 100).size() == 100);
}

TEST_CASE("a full queue refuses new requests with a retryable error, but not resends") {
  TempDir dir;
  auto cfg = testing::TestBrokerConfig(dir);
  cfg.queue_soft_limit = 5;
  cfg.queue_hard_limit = 10;
  InProcessBroker broker(cfg);
  zmq::context_t ctx;
  auto client = Client(ctx, broker);
  for (int i = 0; i < 12; ++i) REQUIRE(client.Send("test", wire::EncodeEnvelope(Msg(fmt::format("q{:02}", i)))));
  auto errors = Replies(client, 2000, 2);
  REQUIRE(errors.size() == 2);
  for (const auto& e : errors) {
    CHECK(e.type == "hub.error");
    auto body = schemas::DecodeErrorBody(e.body);
    CHECK(body->code == "resource_exhausted");
    CHECK(body->retryable);
    CHECK(body->message.find("hard limit") != std::string::npos);
  }
  // A resend of a request already queued is not refused (and not queued twice).
  REQUIRE(client.Send("test", wire::EncodeEnvelope(Msg("q00"))));
  CHECK(Replies(client, 300).empty());
}

TEST_CASE("an expired lease moves the request to another worker; the late reply is dropped") {
  TempDir dir;
  auto cfg = testing::TestBrokerConfig(dir);
  cfg.heartbeat_ms = 5000;
  cfg.request_timeout_ms = 200;
  InProcessBroker broker(cfg);
  zmq::context_t ctx;
  auto client = Client(ctx, broker);
  RawWorker slow(ctx, broker.endpoint(), "test");
  REQUIRE(client.Send("test", wire::EncodeEnvelope(Msg("lease"))));
  auto held = slow.Next(3000);
  REQUIRE(held.has_value());
  RawWorker fast(ctx, broker.endpoint(), "test");
  auto again = fast.Next(3000);
  REQUIRE(again.has_value());
  CHECK(again->envelope.id == "lease");
  CHECK(again->address == held->address);
  fast.Reply(*again);
  auto replies = Replies(client, 2000, 1);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].corr == "lease");
  slow.Reply(*held);                  // too late: already answered
  CHECK(Replies(client, 300).empty());  // the client sees exactly one reply
}

TEST_CASE("after max_attempts a request is dead-lettered; replay delivers it again") {
  TempDir dir;
  auto cfg = testing::TestBrokerConfig(dir);
  cfg.heartbeat_ms = 5000;
  cfg.request_timeout_ms = 150;
  cfg.max_attempts = 1;
  InProcessBroker broker(cfg);
  zmq::context_t ctx;
  auto client = Client(ctx, broker, "owner");
  RawWorker stuck(ctx, broker.endpoint(), "test");
  REQUIRE(client.Send("test", wire::EncodeEnvelope(Msg("poison"))));
  REQUIRE(stuck.Next(3000).has_value());
  auto dead = Replies(client, 3000, 1);
  REQUIRE(dead.size() == 1);
  auto err = schemas::DecodeErrorBody(dead[0].body);
  CHECK(err->code == "failed_precondition");
  CHECK(err->message.find("hub ctl replay poison") != std::string::npos);

  auto admin = Client(ctx, broker, "admin");
  auto listed = admin.Call("hub.admin", wire::MakeEnvelope("admin.dead_letters", "t", 0, ""));
  REQUIRE(listed.ok());
  CHECK(listed->body.find("poison") != std::string::npos);
  CHECK(listed->body.find("request timed out at worker") != std::string::npos);

  // A resend of a dead id is answered with the dead-letter error, not delivered.
  REQUIRE(client.Send("test", wire::EncodeEnvelope(Msg("poison"))));
  auto again = Replies(client, 2000, 1);
  REQUIRE(again.size() == 1);
  CHECK(schemas::DecodeErrorBody(again[0].body)->code == "failed_precondition");

  auto bad_replay = admin.Call("hub.admin", wire::MakeEnvelope("admin.replay", "t", 0,
                                                               wire::MapWriter().Str("msg_id", "nope").Finish()));
  CHECK(bad_replay.status().code() == StatusCode::kNotFound);
  auto replay = admin.Call("hub.admin", wire::MakeEnvelope("admin.replay", "t", 0,
                                                           wire::MapWriter().Str("msg_id", "poison").Finish()));
  REQUIRE_MESSAGE(replay.ok(), replay.status().ToString());
  RawWorker healthy(ctx, broker.endpoint(), "test");
  auto redelivered = healthy.Next(3000);
  REQUIRE(redelivered.has_value());
  CHECK(redelivered->envelope.id == "poison");
  healthy.Reply(*redelivered);
  auto answer = Replies(client, 3000, 1);  // routed to the original sender
  REQUIRE(answer.size() == 1);
  CHECK(answer[0].type == "test.apply");
}

TEST_CASE("worker protocol errors are answered with DISCONNECT") {
  TempDir dir;
  InProcessBroker broker(testing::TestBrokerConfig(dir));
  zmq::context_t ctx;
  auto disconnected = [](RawWorker& w) {
    auto f = w.NextCommand(3000);
    return f && f->size() == 3 && mdp::View((*f)[2]) == std::string_view("\x05", 1);
  };
  RawWorker twice(ctx, broker.endpoint(), "test");
  twice.Send({"", "MDPW01", "\x01", "test"});
  CHECK(disconnected(twice));

  RawWorker stranger(ctx, broker.endpoint(), "");
  stranger.Send({"", "MDPW01", "\x04"});  // heartbeat without READY (as after a broker restart)
  CHECK(disconnected(stranger));

  RawWorker reserved(ctx, broker.endpoint(), "mmi.service");
  CHECK(disconnected(reserved));

  RawWorker no_service(ctx, broker.endpoint(), "");
  no_service.Send({"", "MDPW01", "\x01"});
  CHECK(disconnected(no_service));
}

TEST_CASE("admin requests: unknown type and purge") {
  TempDir dir;
  InProcessBroker broker(testing::TestBrokerConfig(dir));
  zmq::context_t ctx;
  auto admin = Client(ctx, broker);
  auto unknown = admin.Call("hub.admin", wire::MakeEnvelope("admin.explode", "t", 0, ""));
  CHECK(unknown.status().code() == StatusCode::kInvalidArgument);
  CHECK(unknown.status().field() == "type");
  auto missing = admin.Call("hub.admin", wire::MakeEnvelope("admin.purge", "t", 0, ""));
  CHECK(missing.status().field() == "body.older_than_ms");
  auto purge = admin.Call("hub.admin", wire::MakeEnvelope("admin.purge", "t", 0,
                                                          wire::MapWriter().Int("older_than_ms", 0).Finish()));
  CHECK(purge.ok());
}

}  // namespace
}  // namespace hub::broker
