// hub_test_worker: an idempotent worker for integration tests and benchmarks. It applies each
// `test.apply` request once: in one transaction it records the envelope id (adapters/common
// dedupe) and bumps effects(key).count, so a test can prove "applied exactly once" by finding
// every count equal to 1. `test.echo` is answered with the request body.
//
//   hub_test_worker --endpoint EP --db PATH [--service test] [--credit N] [--heartbeat-ms MS]
//                   [--crash-after-commit N] [--delay-ms MS] [--curve-server-key F --curve-key F]
//
// --crash-after-commit N: after committing the Nth request, kill itself with SIGKILL before
// replying — the worst moment for a crash (effect applied, reply lost).
// --sink: accept every message type (a stand-in for the print, scan or cab adapter): each
// envelope id counts once in effects, and sunk(msg_id, type, body) keeps what arrived.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <boost/program_options.hpp>
#include <iostream>
#include <thread>

#include "adapters/common/dedupe.hpp"
#include "adapters/common/mdp_worker.hpp"
#include "hub/common/log.hpp"
#include "hub/storage/database.hpp"
#include "hub/wire/envelope.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/error.hpp"

namespace po = boost::program_options;
using namespace hub;

namespace {
adapters::MdpWorker* g_worker = nullptr;
void OnSignal(int) {
  if (g_worker) g_worker->Stop();
}
}  // namespace

int main(int argc, char** argv) {
  std::string endpoint, db_path, service = "test", server_key, client_key, sync = "NORMAL";
  int credit = 1, heartbeat_ms = 2500, crash_after = 0, delay_ms = 0;
  bool sink = false;
  po::options_description opts("hub_test_worker");
  opts.add_options()("endpoint", po::value(&endpoint)->required(), "broker endpoint")
      ("db", po::value(&db_path)->required(), "worker database")
      ("service", po::value(&service), "MDP service")
      ("credit", po::value(&credit), "requests held at once")
      ("heartbeat-ms", po::value(&heartbeat_ms), "heartbeat interval")
      ("crash-after-commit", po::value(&crash_after), "SIGKILL self after the Nth commit")
      ("delay-ms", po::value(&delay_ms), "sleep per batch (a slow worker)")
      ("synchronous", po::value(&sync), "FULL or NORMAL")
      ("sink", po::bool_switch(&sink), "accept and record any message type")
      ("curve-server-key", po::value(&server_key), "broker public key file")
      ("curve-key", po::value(&client_key), "this worker's key pair file");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << e.what() << "\n" << opts;
    return 2;
  }
  InitLogging("test-worker");
  storage::OpenOptions oo;
  oo.synchronous = sync == "FULL" ? storage::Synchronous::kFull : storage::Synchronous::kNormal;
  auto db = storage::Database::Open(db_path, oo);
  if (!db.ok()) {
    spdlog::critical("{}", db.status().ToString());
    return 1;
  }
  std::vector<storage::Migration> migrations = {
      {1, "dedupe", adapters::kDedupeMigrationSql},
      {2, "effects", "CREATE TABLE effects(key TEXT PRIMARY KEY, count INTEGER NOT NULL)"},
      {3, "sunk", "CREATE TABLE sunk(msg_id TEXT PRIMARY KEY, type TEXT NOT NULL, body BLOB NOT NULL)"}};
  if (Status s = storage::Migrate(**db, migrations); !s.ok()) {
    spdlog::critical("{}", s.ToString());
    return 1;
  }
  adapters::WorkerOptions wo;
  wo.broker.endpoint = endpoint;
  if (!server_key.empty()) {
    wo.broker.curve = true;
    wo.broker.server_public_z85 = *wire::LoadCurvePublicKey(server_key);
    wo.broker.client_keys = *wire::LoadCurveKeyPair(client_key);
  }
  wo.service = service;
  wo.credit = static_cast<std::uint32_t>(credit);
  wo.heartbeat_ms = heartbeat_ms;
  zmq::context_t ctx;
  adapters::MdpWorker worker(ctx, wo, SystemClock::Instance());
  g_worker = &worker;
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  spdlog::info("test worker ready for '{}' at {} (credit {})", service, endpoint, credit);

  int commits = 0;
  auto handler = [&](std::vector<adapters::WorkRequest>& batch) {
    std::vector<std::string> replies;
    if (delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    storage::Transaction txn(**db);
    for (auto& req : batch) {
      std::int64_t now = SystemClock::Instance().NowMs();
      auto env = wire::DecodeEnvelope(req.body, 1 << 20);
      if (!env.ok()) {
        replies.push_back(wire::EncodeEnvelope(schemas::MakeErrorEnvelope(env.status(), "", "test-worker", now)));
        continue;
      }
      spdlog::debug("processing {}", env->id);
      auto seen = adapters::FindProcessed(**db, env->id);
      if (seen.ok() && *seen) {
        replies.push_back(**seen);
        continue;
      }
      std::string reply;
      if (sink) {
        auto st = (*db)->Cached("INSERT INTO sunk(msg_id, type, body) VALUES (?, ?, ?)");
        (void)(*st)->BindAll(env->id, env->type);
        (void)(*st)->BindBlob(3, env->body);
        (void)(*st)->Run();
        auto eff = (*db)->Cached("INSERT INTO effects(key, count) VALUES (?, 1) "
                                 "ON CONFLICT(key) DO UPDATE SET count = count + 1");
        (void)(*eff)->BindAll(env->id);
        (void)(*eff)->Run();
        reply = wire::EncodeEnvelope(wire::MakeEnvelope(env->type + ".ack", "test-worker", now, "", env->id));
      } else if (env->type == "test.echo") {
        reply = wire::EncodeEnvelope(wire::MakeEnvelope("test.echo", "test-worker", now, env->body, env->id));
      } else if (env->type == "test.apply") {
        auto doc = wire::Document::Parse(env->body, "body");
        std::string key;
        Status s = doc.status();
        if (s.ok()) {
          auto r = wire::MapReader::Of(doc->root(), "body");
          s = r.ok() ? r->Str("key", &key) : r.status();
        }
        if (!s.ok()) {
          reply = wire::EncodeEnvelope(schemas::MakeErrorEnvelope(s, env->id, "test-worker", now));
        } else {
          auto st = (*db)->Cached("INSERT INTO effects(key, count) VALUES (?, 1) "
                                  "ON CONFLICT(key) DO UPDATE SET count = count + 1");
          (void)(*st)->BindAll(key);
          (void)(*st)->Run();
          reply = wire::EncodeEnvelope(wire::MakeEnvelope(
              "test.apply", "test-worker", now, wire::MapWriter().Bool("applied", true).Finish(), env->id));
        }
      } else {
        reply = wire::EncodeEnvelope(schemas::MakeErrorEnvelope(
            Status::InvalidArgument("unknown message type '" + env->type + "'", "type"), env->id,
            "test-worker", now));
      }
      (void)adapters::RecordProcessed(**db, env->id, reply, now);
      replies.push_back(std::move(reply));
    }
    if (Status s = txn.Commit(); !s.ok()) {
      spdlog::critical("commit failed: {}", s.ToString());
      _exit(1);
    }
    commits += static_cast<int>(batch.size());
    if (crash_after > 0 && commits >= crash_after) {
      spdlog::warn("crashing on purpose after commit {} (before replying)", commits);
      raise(SIGKILL);
    }
    return replies;
  };
  Status s = worker.Run(handler);
  g_worker = nullptr;
  spdlog::info("test worker stopped");
  return s.ok() ? 0 : 1;
}
