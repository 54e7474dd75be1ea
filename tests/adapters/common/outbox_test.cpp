// The transactional outbox: delivery with dedupe, a broker that is down at first, non-retryable
// and retryable error replies.
#include "adapters/common/outbox.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <atomic>
#include <set>
#include <thread>

#include "adapters/common/dedupe.hpp"
#include "adapters/common/mdp_worker.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/error.hpp"
#include "tests/support/in_process_broker.hpp"
#include "tests/support/process.hpp"

namespace hub::adapters {
namespace {

std::unique_ptr<storage::Database> ProducerDb(const testing::TempDir& dir) {
  auto db = storage::Database::Open(dir.File("producer.db"));
  REQUIRE(db.ok());
  REQUIRE(storage::Migrate(**db, {{1, "outbox", kOutboxMigrationSql}}).ok());
  return std::move(db).value();
}

// A worker thread that applies each id once (dedupe table) and counts effects per id.
class CountingWorker {
 public:
  CountingWorker(zmq::context_t& ctx, const std::string& endpoint, const testing::TempDir& dir)
      : db_(std::move(storage::Database::Open(dir.File("consumer.db")).value())) {
    REQUIRE(storage::Migrate(*db_, {{1, "dedupe", kDedupeMigrationSql}}).ok());
    WorkerOptions wo;
    wo.broker.endpoint = endpoint;
    wo.service = "test";
    wo.credit = 16;
    wo.heartbeat_ms = 100;
    wo.reconnect_min_ms = 50;
    worker_ = std::make_unique<MdpWorker>(ctx, wo, SystemClock::Instance());
    thread_ = std::thread([this] {
      (void)worker_->Run([this](std::vector<WorkRequest>& batch) {
        std::vector<std::string> out;
        storage::Transaction txn(*db_);
        for (auto& r : batch) {
          auto env = wire::DecodeEnvelope(r.body, 1 << 20);
          auto seen = FindProcessed(*db_, env->id);
          if (*seen) {
            out.push_back(**seen);
            continue;
          }
          std::string reply;
          if (env->type == "test.bad") {
            reply = wire::EncodeEnvelope(schemas::MakeErrorEnvelope(
                Status::InvalidArgument("not acceptable", "body.key"), env->id, "w", 0));
          } else {
            reply = wire::EncodeEnvelope(wire::MakeEnvelope("test.apply", "w", 0, "", env->id));
            ++applied_;
          }
          (void)RecordProcessed(*db_, env->id, reply, 0);
          out.push_back(reply);
        }
        (void)txn.Commit();
        return out;
      });
    });
  }
  ~CountingWorker() {
    worker_->Stop();
    thread_.join();
  }
  int applied() const { return applied_.load(); }

 private:
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<MdpWorker> worker_;
  std::thread thread_;
  std::atomic<int> applied_{0};
};

wire::Envelope Item(int i, const std::string& type = "test.apply") {
  return wire::MakeEnvelope(type, "producer", 0, wire::MapWriter().Str("key", fmt::format("k{}", i)).Finish());
}

TEST_CASE("messages added in a transaction are delivered once, even when the broker starts late") {
  testing::TempDir dir;
  auto db = ProducerDb(dir);
  {
    storage::Transaction txn(*db);
    for (int i = 0; i < 50; ++i) REQUIRE(OutboxAdd(*db, "test", Item(i), 0).ok());
    REQUIRE(txn.Commit().ok());
  }
  // The broker is not running yet: the sender keeps everything and retries.
  int port = 0;
  {
    testing::TempDir probe_dir;
    testing::InProcessBroker probe(testing::TestBrokerConfig(probe_dir));
    port = std::stoi(probe.endpoint().substr(probe.endpoint().rfind(':') + 1));
  }
  std::string endpoint = fmt::format("tcp://127.0.0.1:{}", port);
  zmq::context_t ctx;
  wire::BrokerConnection conn;
  conn.endpoint = endpoint;
  MdpClient client(ctx, conn, "producer");
  OutboxOptions oo;
  oo.timeout_ms = 200;
  OutboxSender sender(*db, client, oo, SystemClock::Instance());
  for (int i = 0; i < 5; ++i) REQUIRE(sender.Pump(50).ok());
  CHECK(sender.Counts()->pending == 50);

  auto cfg = testing::TestBrokerConfig(dir);
  cfg.endpoints = {endpoint};
  testing::InProcessBroker broker(cfg);
  CountingWorker worker(ctx, endpoint, dir);
  std::set<std::string> replied;
  OutboxSender::ReplyHandler on_reply = [&](const wire::Envelope& sent, std::string_view service,
                                            const wire::Envelope& reply) {
    CHECK(service == "test");
    CHECK(reply.corr == sent.id);
    replied.insert(sent.id);
    return Status::Ok();
  };
  CHECK(testing::WaitUntil([&] {
    REQUIRE(sender.Pump(50, on_reply).ok());
    return sender.Counts()->pending == 0;
  }, std::chrono::seconds(30)));
  CHECK(replied.size() == 50);
  CHECK(worker.applied() == 50);  // resends were deduped by the broker and the consumer
}

TEST_CASE("a non-retryable error fails the message and keeps it with its reason") {
  testing::TempDir dir;
  auto db = ProducerDb(dir);
  testing::InProcessBroker broker(testing::TestBrokerConfig(dir));
  zmq::context_t ctx;
  CountingWorker worker(ctx, broker.endpoint(), dir);
  REQUIRE(OutboxAdd(*db, "test", Item(1, "test.bad"), 0).ok());
  REQUIRE(OutboxAdd(*db, "test", Item(2), 0).ok());
  wire::BrokerConnection conn;
  conn.endpoint = broker.endpoint();
  MdpClient client(ctx, conn, "producer");
  OutboxSender sender(*db, client, {}, SystemClock::Instance());
  CHECK(testing::WaitUntil([&] {
    REQUIRE(sender.Pump(50).ok());
    auto c = sender.Counts();
    return c->pending == 0 && c->failed == 1;
  }, std::chrono::seconds(10)));
  auto err = db->QueryInt("SELECT count(*) FROM outbox WHERE state = 2 AND error LIKE '%not acceptable%'");
  CHECK(**err == 1);
}

TEST_CASE("a retryable refusal (queue full) keeps the message pending with a back-off") {
  testing::TempDir dir;
  auto db = ProducerDb(dir);
  auto cfg = testing::TestBrokerConfig(dir);
  cfg.queue_soft_limit = 1;
  cfg.queue_hard_limit = 1;
  testing::InProcessBroker broker(cfg);
  zmq::context_t ctx;
  for (int i = 0; i < 3; ++i) REQUIRE(OutboxAdd(*db, "test", Item(i), 0).ok());
  wire::BrokerConnection conn;
  conn.endpoint = broker.endpoint();
  MdpClient client(ctx, conn, "producer");
  OutboxSender sender(*db, client, {}, SystemClock::Instance());
  CHECK(testing::WaitUntil([&] {
    REQUIRE(sender.Pump(50).ok());
    auto backed_off = db->QueryInt("SELECT count(*) FROM outbox WHERE error LIKE '%hard limit%'");
    return **backed_off >= 1;
  }, std::chrono::seconds(10)));
  auto c = sender.Counts();
  CHECK(c->pending == 3);  // nothing dropped
  CHECK(c->failed == 0);
}

}  // namespace
}  // namespace hub::adapters
