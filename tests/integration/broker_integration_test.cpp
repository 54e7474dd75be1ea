// The broker as a real process (DESIGN §3 acceptance): round trip, load sharing, a worker killed
// mid-request, the broker killed with 10,000 requests queued, malformed input of each kind,
// CURVE with an allow-list, and `hub ctl` against a running broker.
#include <signal.h>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <map>
#include <set>

#include "adapters/common/mdp_client.hpp"
#include "hub/common/clock.hpp"
#include "hub/wire/envelope.hpp"
#include "hub/wire/mdp.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/error.hpp"
#include "tests/support/admin_status.hpp"
#include "tests/support/hub_processes.hpp"

namespace hub::testing {
namespace {

using adapters::MdpClient;
using namespace std::chrono_literals;

wire::Envelope Apply(const std::string& key) {
  return wire::MakeEnvelope("test.apply", "it", SystemClock::Instance().NowMs(),
                            wire::MapWriter().Str("key", key).Finish());
}

wire::BrokerConnection Plain(const std::string& endpoint) {
  wire::BrokerConnection c;
  c.endpoint = endpoint;
  return c;
}

// Sends every request and collects replies, resending unanswered ones (same bytes, same id) every
// `resend_ms`, until all are answered or `timeout` passes. Returns corr -> reply envelope.
std::map<std::string, wire::Envelope> SendAll(MdpClient& client, const std::vector<wire::Envelope>& reqs,
                                              std::chrono::milliseconds timeout, int resend_ms = 3000) {
  std::map<std::string, std::string> pending;
  for (const auto& r : reqs) {
    pending[r.id] = wire::EncodeEnvelope(r);
    REQUIRE(client.Send("test", pending[r.id]));
  }
  std::map<std::string, wire::Envelope> replies;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto next_resend = std::chrono::steady_clock::now() + std::chrono::milliseconds(resend_ms);
  while (!pending.empty() && std::chrono::steady_clock::now() < deadline) {
    for (auto& r : client.Poll(100)) {
      auto env = wire::DecodeEnvelope(r.body, 1 << 20);
      REQUIRE(env.ok());
      if (pending.erase(env->corr)) replies.emplace(env->corr, *env);
    }
    if (std::chrono::steady_clock::now() > next_resend) {
      for (auto& [id, bytes] : pending) client.Send("test", bytes);
      next_resend = std::chrono::steady_clock::now() + std::chrono::milliseconds(resend_ms);
    }
  }
  return replies;
}

void CheckAppliedOnce(const std::vector<std::string>& dbs, std::size_t expected_keys) {
  std::map<std::string, long long> total;
  for (const auto& db : dbs) {
    for (const auto& [key, count] : ReadEffects(db)) total[key] += count;
  }
  CHECK(total.size() == expected_keys);
  std::size_t twice = 0;
  for (const auto& [key, count] : total) twice += count != 1;
  CHECK_MESSAGE(twice == 0, twice << " keys applied more than once");
}

TEST_CASE("round trip through the real broker and worker processes") {
  TempDir dir;
  BrokerProcess broker(dir);
  auto worker = StartTestWorker(dir, broker.endpoint(), dir.File("w.db"), "w.log");
  zmq::context_t ctx;
  MdpClient client(ctx, Plain(broker.endpoint()), "it");
  auto req = Apply("k1");
  auto reply = client.Call("test", req, 5000, 2);
  REQUIRE_MESSAGE(reply.ok(), reply.status().ToString());
  CHECK(reply->type == "test.apply");
  CHECK(reply->corr == req.id);
  // The same id again: answered from the journal, not applied twice.
  auto again = client.Call("test", req, 5000, 2);
  REQUIRE(again.ok());
  CHECK(again->id == reply->id);
  CheckAppliedOnce({dir.File("w.db")}, 1);
  auto mmi = client.ServiceAvailable("test");
  REQUIRE(mmi.ok());
  CHECK(*mmi);
  CHECK_FALSE(*client.ServiceAvailable("nosuch"));
}

TEST_CASE("two workers share the load") {
  TempDir dir;
  BrokerProcess broker(dir);
  auto w1 = StartTestWorker(dir, broker.endpoint(), dir.File("w1.db"), "w1.log", {"--delay-ms", "2"});
  auto w2 = StartTestWorker(dir, broker.endpoint(), dir.File("w2.db"), "w2.log", {"--delay-ms", "2"});
  zmq::context_t ctx;
  MdpClient client(ctx, Plain(broker.endpoint()), "it");
  std::vector<wire::Envelope> reqs;
  for (int i = 0; i < 200; ++i) reqs.push_back(Apply(fmt::format("k{:03}", i)));
  auto replies = SendAll(client, reqs, 60s);
  CHECK(replies.size() == 200);
  auto e1 = ReadEffects(dir.File("w1.db"));
  auto e2 = ReadEffects(dir.File("w2.db"));
  CHECK(e1.size() > 20);
  CHECK(e2.size() > 20);
  CHECK(e1.size() + e2.size() == 200);
}

TEST_CASE("a worker killed mid-request: redelivered, applied exactly once") {
  TempDir dir;
  BrokerProcess broker(dir);
  // The first worker commits its third request's effect, then dies before replying.
  auto doomed = StartTestWorker(dir, broker.endpoint(), dir.File("w.db"), "w1.log",
                                {"--crash-after-commit", "3"});
  zmq::context_t ctx;
  MdpClient client(ctx, Plain(broker.endpoint()), "it");
  std::vector<wire::Envelope> reqs;
  for (int i = 0; i < 10; ++i) reqs.push_back(Apply(fmt::format("k{}", i)));
  for (const auto& r : reqs) REQUIRE(client.Send("test", wire::EncodeEnvelope(r)));
  REQUIRE(doomed->Wait(30s) == -SIGKILL);
  // Its replacement shares its database (the same worker, restarted).
  auto replacement = StartTestWorker(dir, broker.endpoint(), dir.File("w.db"), "w2.log");
  std::set<std::string> answered;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (answered.size() < reqs.size() && std::chrono::steady_clock::now() < deadline) {
    for (auto& r : client.Poll(100)) {
      auto env = wire::DecodeEnvelope(r.body, 1 << 20);
      REQUIRE(env.ok());
      CHECK(env->type == "test.apply");
      answered.insert(env->corr);
    }
  }
  CHECK(answered.size() == reqs.size());
  CheckAppliedOnce({dir.File("w.db")}, reqs.size());
  CHECK(broker.Log().find("presumed dead") != std::string::npos);
}

TEST_CASE("the broker killed with 10,000 accepted requests queued delivers all of them once") {
  TempDir dir;
  BrokerProcess broker(dir);
  zmq::context_t ctx;
  MdpClient client(ctx, Plain(broker.endpoint()), "it");
  std::vector<wire::Envelope> reqs;
  for (int i = 0; i < 10'000; ++i) reqs.push_back(Apply(fmt::format("k{:05}", i)));
  for (const auto& r : reqs) REQUIRE(client.Send("test", wire::EncodeEnvelope(r)));
  // "Accepted" = journaled: the broker answers admin.status only after committing the rounds
  // that read those requests.
  MdpClient admin(ctx, Plain(broker.endpoint()), "admin");
  bool all_queued = WaitUntil([&] { return QueuedCount(admin, "test") == 10'000; }, 60s);
  REQUIRE(all_queued);
  broker.Kill(SIGKILL);
  broker.Restart();
  CHECK(broker.Log().find("10000 queued requests to redeliver") != std::string::npos);
  auto worker = StartTestWorker(dir, broker.endpoint(), dir.File("w.db"), "w.log", {"--credit", "32"});
  std::set<std::string> answered;
  std::map<std::string, std::string> bytes;
  for (const auto& r : reqs) bytes[r.id] = wire::EncodeEnvelope(r);
  auto deadline = std::chrono::steady_clock::now() + 240s;
  auto next_resend = std::chrono::steady_clock::now() + 20s;
  while (answered.size() < reqs.size() && std::chrono::steady_clock::now() < deadline) {
    for (auto& r : client.Poll(100)) {
      auto env = wire::DecodeEnvelope(r.body, 1 << 20);
      REQUIRE(env.ok());
      answered.insert(env->corr);
    }
    if (std::chrono::steady_clock::now() > next_resend) {
      // Lazy Pirate: resend whatever is unanswered, same ids; the journal dedupes.
      for (const auto& [id, b] : bytes) {
        if (!answered.count(id)) client.Send("test", b);
      }
      next_resend = std::chrono::steady_clock::now() + 20s;
    }
  }
  CHECK(answered.size() == reqs.size());
  CheckAppliedOnce({dir.File("w.db")}, reqs.size());
}

// Sends raw frames from a DEALER (no MDP library) and returns the reply's error body.
schemas::ErrorBody RawError(zmq::socket_t& s, std::vector<std::string> frames) {
  wire::mdp::Frames out;
  for (const auto& f : frames) out.push_back(wire::mdp::Frame(f));
  REQUIRE(wire::mdp::SendFrames(s, out));
  wire::mdp::Frames in;
  REQUIRE(wire::mdp::RecvFramesWait(s, &in, 5000));
  REQUIRE(in.size() >= 4);
  CHECK(wire::mdp::View(in[1]) == "MDPC01");
  auto env = wire::DecodeEnvelope(wire::mdp::View(in.back()), 1 << 20);
  REQUIRE(env.ok());
  REQUIRE(env->type == "hub.error");
  auto body = schemas::DecodeErrorBody(env->body);
  REQUIRE(body.ok());
  return *body;
}

TEST_CASE("malformed input of each kind gets an error reply and the broker keeps serving") {
  TempDir dir;
  BrokerProcess broker(dir);
  auto worker = StartTestWorker(dir, broker.endpoint(), dir.File("w.db"), "w.log");
  zmq::context_t ctx;
  zmq::socket_t raw(ctx, zmq::socket_type::dealer);
  raw.set(zmq::sockopt::linger, 0);
  raw.connect(broker.endpoint());

  CHECK(RawError(raw, {""}).message.find("not a 7/MDP message") != std::string::npos);
  CHECK(RawError(raw, {"", "XYZ01", "test", "x"}).message.find("unknown protocol header") != std::string::npos);
  CHECK(RawError(raw, {"", "MDPC01", "test"}).message.find("service frame and a body") != std::string::npos);
  CHECK(RawError(raw, {"", "MDPC01", "test", "a", "b"}).message.find("exactly one frame") != std::string::npos);
  auto not_msgpack = RawError(raw, {"", "MDPC01", "test", "\xc1\xc1 not msgpack"});
  CHECK(not_msgpack.code == "invalid_argument");
  CHECK(not_msgpack.message.find("not valid msgpack") != std::string::npos);
  auto missing = RawError(raw, {"", "MDPC01", "test", wire::MapWriter().Str("id", "x").Finish()});
  CHECK(missing.field == "type");
  auto oversize = RawError(raw, {"", "MDPC01", "test", std::string(2 << 20, 'x')});
  CHECK(oversize.message.find("over the broker's limit") != std::string::npos);
  auto unknown = RawError(raw, {"", "MDPC01", "nosuch", wire::EncodeEnvelope(Apply("u"))});
  CHECK(unknown.code == "not_found");
  CHECK(unknown.field == "service");

  // A worker-side protocol violation is answered with DISCONNECT.
  zmq::socket_t bad_worker(ctx, zmq::socket_type::dealer);
  bad_worker.set(zmq::sockopt::linger, 0);
  bad_worker.connect(broker.endpoint());
  wire::mdp::Frames f;
  f.push_back(wire::mdp::Frame(""));
  f.push_back(wire::mdp::Frame("MDPW01"));
  f.push_back(wire::mdp::Frame("\x09"));
  REQUIRE(wire::mdp::SendFrames(bad_worker, f));
  wire::mdp::Frames in;
  REQUIRE(wire::mdp::RecvFramesWait(bad_worker, &in, 5000));
  REQUIRE(in.size() == 3);
  CHECK(wire::mdp::View(in[2]) == std::string_view("\x05", 1));

  // Still serving, nothing lost.
  MdpClient client(ctx, Plain(broker.endpoint()), "it");
  auto reply = client.Call("test", Apply("after"), 5000, 2);
  REQUIRE_MESSAGE(reply.ok(), reply.status().ToString());
  CheckAppliedOnce({dir.File("w.db")}, 1);
  CHECK(broker.process().running());
}

TEST_CASE("CURVE: an allowed key is served, an unknown key is refused") {
  TempDir dir;
  BrokerSettings settings;
  settings.curve = true;
  std::string config = WriteTestConfig(dir, settings);
  auto keys = RunCommand(HubBinary(), {"keys", "--config", config});
  REQUIRE_MESSAGE(keys.exit_code == 0, keys.output);
  BrokerProcess broker(dir, settings);
  CHECK(broker.Log().find("(CURVE)") != std::string::npos);
  auto worker = StartTestWorker(dir, broker.endpoint(), dir.File("w.db"), "w.log",
                                {"--curve-server-key", dir.File("keys/broker.pub"), "--curve-key",
                                 dir.File("keys/clients/booking.key")});
  zmq::context_t ctx;
  wire::BrokerConnection allowed;
  allowed.endpoint = broker.endpoint();
  allowed.curve = true;
  allowed.server_public_z85 = *wire::LoadCurvePublicKey(dir.File("keys/broker.pub"));
  allowed.client_keys = *wire::LoadCurveKeyPair(dir.File("keys/clients/ctl.key"));
  MdpClient good(ctx, allowed, "good");
  auto reply = good.Call("test", Apply("curve"), 5000, 2);
  REQUIRE_MESSAGE(reply.ok(), reply.status().ToString());

  wire::BrokerConnection stranger = allowed;
  stranger.client_keys = *wire::GenerateCurveKeyPair();  // knows the server key, not allowed
  MdpClient bad(ctx, stranger, "stranger");
  auto refused = bad.Call("test", Apply("stranger"), 1500, 0);
  CHECK(refused.status().code() == StatusCode::kDeadlineExceeded);
  CHECK(WaitUntil([&] { return broker.Log().find("not on the CURVE allow-list") != std::string::npos; }, 5s));
  CheckAppliedOnce({dir.File("w.db")}, 1);
}

TEST_CASE("hub ctl: status, dead-letters, replay, purge against a running broker") {
  TempDir dir;
  BrokerSettings settings;
  settings.max_attempts = 1;
  settings.request_timeout_ms = 300;
  BrokerProcess broker(dir, settings);
  // A worker too slow for the lease: the request is dead-lettered after its one attempt.
  auto slow = StartTestWorker(dir, broker.endpoint(), dir.File("w.db"), "w.log", {"--delay-ms", "1500"});
  zmq::context_t ctx;
  MdpClient client(ctx, Plain(broker.endpoint()), "it");
  auto req = Apply("dead");
  auto reply = client.Call("test", req, 5000, 0);
  REQUIRE_FALSE(reply.ok());
  CHECK(reply.status().code() == StatusCode::kFailedPrecondition);
  CHECK(reply.status().message().find("dead-lettered") != std::string::npos);

  auto dead = RunCommand(HubBinary(), {"ctl", "dead-letters", "--config", broker.config()});
  CHECK(dead.exit_code == 0);
  CHECK(dead.output.find(req.id) != std::string::npos);
  CHECK(dead.output.find("request timed out at worker") != std::string::npos);

  auto status = RunCommand(HubBinary(), {"ctl", "status", "--config", broker.config()});
  CHECK(status.exit_code == 0);
  CHECK(status.output.find("test") != std::string::npos);

  slow->Kill(SIGKILL);
  auto fast = StartTestWorker(dir, broker.endpoint(), dir.File("w.db"), "w2.log");
  auto replay = RunCommand(HubBinary(), {"ctl", "replay", req.id, "--config", broker.config(),
                                         "--endpoint", broker.endpoint(), "--no-curve"});
  CHECK_MESSAGE(replay.exit_code == 0, replay.output);
  CHECK(replay.output.find("replayed 1") != std::string::npos);
  auto after = client.Call("test", req, 5000, 3);  // the same id now gets the real answer
  REQUIRE_MESSAGE(after.ok(), after.status().ToString());
  CHECK(after->type == "test.apply");

  auto unknown = RunCommand(HubBinary(), {"ctl", "replay", "NOSUCHID", "--config", broker.config(),
                                          "--endpoint", broker.endpoint(), "--no-curve"});
  CHECK(unknown.exit_code != 0);
  CHECK(unknown.output.find("no dead letter") != std::string::npos);

  auto purge = RunCommand(HubBinary(), {"ctl", "purge", "--older-than", "0s", "--config", broker.config(),
                                        "--endpoint", broker.endpoint(), "--no-curve"});
  CHECK_MESSAGE(purge.exit_code == 0, purge.output);
  CHECK(purge.output.find("purged") != std::string::npos);
  auto bad_duration = RunCommand(HubBinary(), {"ctl", "purge", "--older-than", "soon", "--config", broker.config()});
  CHECK(bad_duration.exit_code == 2);
}

}  // namespace
}  // namespace hub::testing
