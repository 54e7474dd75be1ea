// The durable Majordomo broker: event loop, MDP handling, journaling, leases, dead letters.
#include "hub/broker/broker.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "hub/wire/curve.hpp"
#include "hub/wire/envelope.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/error.hpp"

namespace hub::broker {

namespace mdp = wire::mdp;
using mdp::Frame;
using mdp::Frames;
using mdp::View;

namespace {

constexpr std::string_view kSource = "broker";

// The MDP "client address" frame we give workers is the journal seq, 8 bytes big-endian: the
// worker echoes it opaquely in REPLY, and it survives a broker restart (docs/protocol.md).
std::string EncodeSeq(std::int64_t seq) {
  std::string out(8, '\0');
  auto v = static_cast<std::uint64_t>(seq);
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

std::optional<std::int64_t> DecodeSeq(std::string_view s) {
  if (s.size() != 8) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) v = (v << 8) | static_cast<unsigned char>(c);
  if (v == 0 || v > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::string Hex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes.substr(0, 16)) out += fmt::format("{:02x}", c);
  return out;
}

// The peer's address for log lines ("127.0.0.1"), when libzmq knows it.
std::string PeerOf(const zmq::message_t& frame) {
  try {
    const char* addr = const_cast<zmq::message_t&>(frame).gets("Peer-Address");
    return addr ? addr : "?";
  } catch (const zmq::error_t&) {
    return "?";
  }
}

bool IsTcp(const std::string& endpoint) { return endpoint.rfind("tcp://", 0) == 0; }

}  // namespace

Broker::Broker(BrokerConfig config, const Clock& clock)
    : config_(std::move(config)), clock_(clock), ctx_(1) {}

Broker::~Broker() {
  router_.reset();
  zap_.reset();
}

Status Broker::Start() {
  std::error_code ec;
  auto parent = std::filesystem::path(config_.journal_path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  HUB_ASSIGN_OR_RETURN(journal_, Journal::Open(config_.journal_path, config_.synchronous));

  for (const auto& name : config_.services) GetService(name).configured = true;
  // Recover: every queued (or formerly in-flight) request is waiting again, on disk.
  HUB_ASSIGN_OR_RETURN(auto counts, journal_->Counts());
  std::int64_t recovered = 0;
  for (const auto& [name, c] : counts) {
    Service& svc = GetService(name);
    svc.queued = c.queued;
    svc.spilled = c.queued > 0;
    recovered += c.queued;
  }
  if (recovered > 0) spdlog::info("journal {}: {} queued requests to redeliver", config_.journal_path, recovered);

  router_ = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::router);
  router_->set(zmq::sockopt::router_mandatory, 1);
  // A client that reconnects with the same routing id takes over the old connection, so a
  // Lazy Pirate client keeps receiving replies addressed to it.
  router_->set(zmq::sockopt::router_handover, 1);
  // High-water marks are per peer. The receive side is kept small so a fast producer is pushed
  // back by ZeroMQ flow control instead of piling messages up in the broker's memory (the queue
  // lives in the journal, not in socket buffers).
  router_->set(zmq::sockopt::sndhwm, 20'000);
  router_->set(zmq::sockopt::rcvhwm, 2'000);
  router_->set(zmq::sockopt::linger, 0);
  // Hard ceiling against memory exhaustion; below it, an oversize envelope gets an error reply.
  router_->set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(config_.max_message_bytes) * 4 + 65536);

  bool any_tcp = std::any_of(config_.endpoints.begin(), config_.endpoints.end(), IsTcp);
  if (config_.curve && any_tcp) {
    HUB_ASSIGN_OR_RETURN(auto keys, wire::LoadCurveKeyPair(config_.server_key_file));
    HUB_ASSIGN_OR_RETURN(auto allowed, wire::LoadCurveAllowList(config_.clients_dir));
    if (allowed.empty()) {
      spdlog::warn("CURVE allow-list {} is empty: no client can connect", config_.clients_dir);
    }
    zap_ = std::make_unique<ZapHandler>(ctx_, std::move(allowed));
    router_->set(zmq::sockopt::zap_domain, "hub");
    router_->set(zmq::sockopt::curve_server, 1);
    router_->set(zmq::sockopt::curve_secretkey, keys.secret_z85);
  } else if (any_tcp) {
    spdlog::warn("CURVE is off: TCP endpoints are unencrypted and unauthenticated (broker.curve = false)");
  }
  for (const auto& ep : config_.endpoints) {
    try {
      router_->bind(ep);
    } catch (const zmq::error_t& e) {
      return Status::Unavailable(fmt::format("cannot bind {}: {}", ep, e.what()));
    }
    bound_.push_back(router_->get(zmq::sockopt::last_endpoint));
    spdlog::info("broker listening on {}{}", bound_.back(),
                 config_.curve && IsTcp(ep) ? " (CURVE)" : "");
  }
  return Status::Ok();
}

Broker::Service& Broker::GetService(const std::string& name) {
  auto it = services_.find(name);
  if (it != services_.end()) return it->second;
  Service& svc = services_[name];
  svc.name = name;
  return svc;
}

bool Broker::Journaled(const Status& s) {
  if (s.ok()) return true;
  if (fatal_.ok()) {
    fatal_ = s;
    spdlog::critical("journal failure, stopping: {}", s.ToString());
  }
  return false;
}

// ---------------------------------------------------------------- main loop

Status Broker::Run() {
  Frames frames;
  while (!stop_.load() && fatal_.ok()) {
    std::int64_t now = clock_.SteadyMs();
    bool work_ready = false;
    for (auto& [name, svc] : services_) {
      if (svc.queued > 0 && !svc.ready.empty()) work_ready = true;
    }
    long timeout = work_ready ? 0 : std::clamp<long>(next_timer_check_ms_ - now, 1, 100);
    zmq::pollitem_t item{static_cast<void*>(*router_), 0, ZMQ_POLLIN, 0};
    try {
      zmq::poll(&item, 1, std::chrono::milliseconds(timeout));
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;
      return Status::Internal(fmt::format("poll failed: {}", e.what()));
    }
    for (int i = 0; i < config_.batch && fatal_.ok(); ++i) {
      if (!mdp::RecvFrames(*router_, &frames)) break;
      HandleMessage(frames);
    }
    CheckTimers();
    Dispatch();
    if (journal_->InRound()) {
      if (!Journaled(journal_->CommitRound())) break;
      ++counters_.commits;
    }
    Flush();
  }
  if (journal_->InRound()) (void)journal_->CommitRound();
  return fatal_;
}

void Broker::Flush() {
  for (auto& o : out_) {
    auto result = mdp::Send(*router_, o.frames, /*dont_wait=*/true);
    if (result == mdp::SendResult::kSent || o.worker.empty()) continue;
    // A REQUEST that could not reach its worker: take it back. The worker is gone (or hopelessly
    // backed up); its other requests are requeued with it. Nothing was delivered, so no attempt
    // is counted.
    spdlog::warn("worker {} unreachable; requeueing its requests", Hex(o.worker));
    DeleteWorker(o.worker, /*send_disconnect=*/false, /*count_attempt=*/false, "worker unreachable");
  }
  out_.clear();
}

void Broker::CheckTimers() {
  std::int64_t now = clock_.SteadyMs();
  if (now < next_timer_check_ms_) return;
  next_timer_check_ms_ = now + std::max(10, config_.heartbeat_ms / 4);

  // Workers silent for liveness x heartbeat are dead (7/MDP "Heartbeating").
  std::vector<std::string> dead;
  for (auto& [id, w] : workers_) {
    if (now > w.expiry_ms) dead.push_back(id);
  }
  for (const auto& id : dead) {
    spdlog::warn("worker {} ({}) missed {} heartbeats: presumed dead", Hex(id), workers_[id].service,
                 config_.liveness);
    DeleteWorker(id, /*send_disconnect=*/false, /*count_attempt=*/true, "worker died (heartbeat expired)");
  }
  // Leases: a request held too long is given to another worker. The slow worker keeps the credit
  // until it answers, so it is not handed more work meanwhile.
  std::vector<std::int64_t> expired;
  for (auto& [seq, inf] : inflight_) {
    if (now > inf.deadline_ms) expired.push_back(seq);
  }
  for (auto seq : expired) {
    auto it = inflight_.find(seq);
    Inflight inf = std::move(it->second);
    inflight_.erase(it);
    spdlog::warn("request {} exceeded its {} ms lease at worker {}: redelivering", inf.item.msg_id,
                 config_.request_timeout_ms, Hex(inf.worker));
    // The worker still owes a reply for this seq; keep it counted against its credit.
    Requeue(std::move(inf), /*count_attempt=*/true, "request timed out at worker");
  }
  // Heartbeats to workers we have not sent anything to lately.
  for (auto& [id, w] : workers_) {
    if (now - w.last_sent_ms >= config_.heartbeat_ms) SendToWorker(w, mdp::Command::kHeartbeat);
  }
  std::int64_t wall = clock_.NowMs();
  if (now >= next_snapshot_ms_) {
    next_snapshot_ms_ = now + std::max(250, config_.heartbeat_ms);
    std::vector<WorkerSnapshot> snap;
    for (const auto& [id, w] : workers_) {
      snap.push_back({w.service, Hex(id), w.credit, static_cast<std::int64_t>(w.seqs.size()),
                      wall - (w.expiry_ms - now - static_cast<std::int64_t>(config_.heartbeat_ms) * config_.liveness)});
    }
    if (Journaled(journal_->BeginRound())) (void)Journaled(journal_->WriteWorkerSnapshot(snap, wall));
  }
  if (now >= next_purge_ms_) {
    next_purge_ms_ = now + 60'000;
    if (Journaled(journal_->BeginRound())) {
      auto purged = journal_->Purge(wall - config_.reply_retention_ms, /*include_dead=*/false);
      if (Journaled(purged.status()) && *purged > 0) {
        spdlog::info("purged {} answered requests older than the reply retention", *purged);
      }
    }
  }
}

// ---------------------------------------------------------------- input

void Broker::HandleMessage(Frames& frames) {
  if (frames.empty()) return;
  std::string sender(View(frames[0]));
  if (frames.size() < 3 || frames[1].size() != 0) {
    ++counters_.malformed;
    spdlog::warn("malformed message from {} ({}): {} frames, no MDP header",
                 Hex(sender), frames.size() > 1 ? PeerOf(frames[1]) : "?", frames.size());
    ErrorToClient(sender, "", Status::InvalidArgument(
        "not a 7/MDP message: expected an empty frame, then \"MDPC01\" or \"MDPW01\""), "");
    return;
  }
  std::string_view header = View(frames[2]);
  if (header == mdp::kClientHeader) {
    HandleClient(sender, frames);
  } else if (header == mdp::kWorkerHeader) {
    HandleWorker(sender, frames);
  } else {
    ++counters_.malformed;
    spdlog::warn("unknown protocol header from {} ({}): '{}'", Hex(sender), PeerOf(frames[1]),
                 Hex(header));
    ErrorToClient(sender, "", Status::InvalidArgument(
        "unknown protocol header: expected \"MDPC01\" (client) or \"MDPW01\" (worker)"), "");
  }
}

void Broker::HandleClient(const std::string& sender, Frames& frames) {
  // frames: sender, "", MDPC01, service, body...
  if (frames.size() < 5) {
    ++counters_.malformed;
    spdlog::warn("client {} ({}) sent a request without a service or body", Hex(sender), PeerOf(frames[1]));
    ErrorToClient(sender, frames.size() > 3 ? View(frames[3]) : "",
                  Status::InvalidArgument("an MDP request needs a service frame and a body frame"), "");
    return;
  }
  std::string service(View(frames[3]));
  if (service.rfind(mdp::kMmiPrefix, 0) == 0) {
    HandleMmi(sender, service, frames);
    return;
  }
  if (frames.size() != 5) {
    ++counters_.malformed;
    ErrorToClient(sender, service, Status::InvalidArgument(fmt::format(
        "the request body must be exactly one frame (one msgpack envelope); got {}", frames.size() - 4)), "");
    return;
  }
  std::string_view body = View(frames[4]);
  if (service == mdp::kAdminService) {
    HandleAdmin(sender, body);
    return;
  }
  if (body.size() > config_.max_message_bytes) {
    ++counters_.malformed;
    spdlog::warn("client {} ({}) sent {} bytes to {}, over max_message_bytes", Hex(sender),
                 PeerOf(frames[1]), body.size(), service);
    ErrorToClient(sender, service, Status::InvalidArgument(fmt::format(
        "message is {} bytes, over the broker's limit of {} bytes", body.size(), config_.max_message_bytes),
        "envelope"), "");
    return;
  }
  auto envelope = wire::DecodeEnvelope(body, config_.max_message_bytes);
  if (!envelope.ok()) {
    ++counters_.malformed;
    spdlog::warn("client {} ({}) sent a bad envelope to {}: {}", Hex(sender), PeerOf(frames[1]),
                 service, envelope.status().ToString());
    ErrorToClient(sender, service, envelope.status(), "");
    return;
  }
  auto it = services_.find(service);
  if (it == services_.end() || (!it->second.configured && it->second.workers == 0 &&
                                it->second.queued == 0)) {
    ++counters_.unknown_service;
    spdlog::warn("client {} asked for unknown service '{}'", Hex(sender), service);
    ErrorToClient(sender, service, Status::NotFound(fmt::format(
        "unknown service '{}': no worker has registered it and it is not in broker.services", service),
        "service"), envelope->id);
    return;
  }
  Service& svc = it->second;
  if (!Journaled(journal_->BeginRound())) return;
  // The journal, not the queue bound, decides duplicates: a resend is answered even when full.
  if (svc.queued >= config_.queue_hard_limit) {
    auto existing = journal_->FindByMsgId(envelope->id);
    if (!Journaled(existing.status())) return;
    if (!existing->has_value()) {
      ++counters_.refused_queue_full;
      ErrorToClient(sender, service, Status::ResourceExhausted(fmt::format(
          "service '{}' has {} requests queued, at its hard limit: keep the message and retry later",
          service, svc.queued)), envelope->id);
      return;
    }
  }
  auto outcome = journal_->Insert(envelope->id, service, envelope->type, sender, body, clock_.NowMs());
  if (!Journaled(outcome.status())) return;
  if (outcome->inserted) {
    ++counters_.requests_accepted;
    Pending p;
    p.seq = outcome->seq;
    p.msg_id = envelope->id;
    p.client = sender;
    p.body = std::string(body);
    Enqueue(svc, std::move(p), /*front=*/false);
    if (svc.queued >= config_.queue_soft_limit && !svc.soft_warned) {
      svc.soft_warned = true;
      spdlog::warn("service '{}' has {} requests queued (soft limit {}); is its worker running?",
                   service, svc.queued, config_.queue_soft_limit);
    }
    return;
  }
  ++counters_.requests_duplicate;
  const JournalRow& row = *outcome->existing;
  if (row.service != service) {
    ErrorToClient(sender, service, Status::AlreadyExists(fmt::format(
        "message id {} was already used for service '{}'", row.msg_id, row.service), "id"), row.msg_id);
    return;
  }
  switch (row.state) {
    case RequestState::kReplied:
      ReplyToClient(sender, service, row.reply);
      return;
    case RequestState::kDead:
      ErrorToClient(sender, service, Status::FailedPrecondition(fmt::format(
          "message {} was dead-lettered after {} attempts ({}); an operator can replay it with "
          "'hub ctl replay {}'", row.msg_id, row.attempts, row.reason, row.msg_id)), row.msg_id);
      return;
    case RequestState::kQueued: {
      // Still waiting or in flight: answer the latest sender when the reply comes.
      auto live = live_ids_.find(row.msg_id);
      if (live != live_ids_.end()) {
        auto inf = inflight_.find(live->second);
        if (inf != inflight_.end()) {
          inf->second.item.client = sender;
        } else {
          for (auto& p : svc.window) {
            if (p.seq == live->second) p.client = sender;
          }
        }
      }
      (void)Journaled(journal_->UpdateClient(row.seq, sender));
      return;
    }
  }
}

void Broker::HandleMmi(const std::string& sender, std::string_view service, Frames& frames) {
  // 8/MMI: "200" when the service has workers, "404" when not, "501" for an unknown mmi.* name.
  std::string answer = "501";
  if (service == mdp::kMmiService) {
    std::string asked(frames.size() > 4 ? View(frames[4]) : "");
    auto it = services_.find(asked);
    answer = (it != services_.end() && it->second.workers > 0) ? "200" : "404";
  }
  ReplyToClient(sender, service, answer);
}

void Broker::HandleAdmin(const std::string& sender, std::string_view body) {
  std::string service(mdp::kAdminService);
  auto env = wire::DecodeEnvelope(body, config_.max_message_bytes);
  if (!env.ok()) {
    ErrorToClient(sender, service, env.status(), "");
    return;
  }
  auto doc = wire::Document::Parse(env->body, "body");
  if (!doc.ok()) {
    ErrorToClient(sender, service, doc.status(), env->id);
    return;
  }
  auto req = wire::MapReader::Of(doc->root(), "body");
  if (!req.ok()) {
    ErrorToClient(sender, service, req.status(), env->id);
    return;
  }
  wire::MapWriter result;
  std::int64_t wall = clock_.NowMs();
  if (env->type == "admin.status") {
    auto counts = journal_->Counts();
    if (!Journaled(counts.status())) return;
    std::vector<wire::MapWriter> svcs;
    for (const auto& [name, svc] : services_) {
      std::int64_t in_flight = 0;
      for (const auto& [seq, inf] : inflight_) in_flight += inf.service == name;
      wire::MapWriter m;
      m.Str("name", name).Int("queued", svc.queued).Int("in_flight", in_flight)
          .Int("workers", svc.workers).Int("dead", (*counts)[name].dead)
          .Int("replied", (*counts)[name].replied);
      svcs.push_back(std::move(m));
    }
    std::vector<wire::MapWriter> wks;
    for (const auto& [id, w] : workers_) {
      wire::MapWriter m;
      m.Str("service", w.service).Str("identity", Hex(id)).Int("credit", w.credit)
          .Int("in_flight", static_cast<std::int64_t>(w.seqs.size()));
      wks.push_back(std::move(m));
    }
    wire::MapWriter c;
    c.Uint("requests_accepted", counters_.requests_accepted)
        .Uint("requests_duplicate", counters_.requests_duplicate)
        .Uint("replies_returned", counters_.replies_returned)
        .Uint("redeliveries", counters_.redeliveries)
        .Uint("dead_lettered", counters_.dead_lettered)
        .Uint("refused_queue_full", counters_.refused_queue_full)
        .Uint("malformed", counters_.malformed)
        .Uint("unknown_service", counters_.unknown_service)
        .Uint("worker_protocol_errors", counters_.worker_protocol_errors)
        .Uint("refused_connections", zap_ ? zap_->refused() : 0);
    result.MapArray("services", svcs).MapArray("workers", wks).Map("counters", c);
  } else if (env->type == "admin.dead_letters") {
    std::optional<std::int64_t> limit;
    if (Status s = req->OptInt("limit", &limit); !s.ok()) {
      ErrorToClient(sender, service, s, env->id);
      return;
    }
    auto rows = journal_->DeadLetters(static_cast<int>(std::clamp<std::int64_t>(limit.value_or(100), 1, 10000)));
    if (!Journaled(rows.status())) return;
    std::vector<wire::MapWriter> items;
    for (const auto& r : *rows) {
      wire::MapWriter m;
      m.Str("msg_id", r.msg_id).Str("service", r.service).Str("type", r.type)
          .Int("attempts", r.attempts).Str("reason", r.reason).Int("dead_ms", r.updated_ms);
      items.push_back(std::move(m));
    }
    result.MapArray("dead_letters", items);
  } else if (env->type == "admin.replay") {
    std::string msg_id;
    if (Status s = req->Str("msg_id", &msg_id); !s.ok()) {
      ErrorToClient(sender, service, s, env->id);
      return;
    }
    if (!Journaled(journal_->BeginRound())) return;
    auto row = journal_->Requeue(msg_id, wall);
    if (!row.ok()) {
      if (row.status().code() == StatusCode::kNotFound) {
        ErrorToClient(sender, service, row.status(), env->id);
      } else {
        (void)Journaled(row.status());
      }
      return;
    }
    Service& svc = GetService(row->service);
    Pending p;
    p.seq = row->seq;
    p.msg_id = row->msg_id;
    p.client = row->client;
    p.body = row->body;
    // Behind everything already waiting, but in memory (its seq is older than the disk cursor).
    svc.window.push_back(std::move(p));
    svc.window_bytes += static_cast<std::int64_t>(svc.window.back().body.size());
    windowed_[row->seq] = svc.name;
    live_ids_[row->msg_id] = row->seq;
    ++svc.queued;
    spdlog::info("dead letter {} replayed onto '{}'", msg_id, row->service);
    result.Int("replayed", 1);
  } else if (env->type == "admin.purge") {
    std::int64_t older_than = 0;
    std::optional<bool> include_dead;
    Status s = req->Int("older_than_ms", &older_than);
    if (s.ok()) s = req->OptBool("include_dead", &include_dead);
    if (!s.ok()) {
      ErrorToClient(sender, service, s, env->id);
      return;
    }
    if (!Journaled(journal_->BeginRound())) return;
    auto n = journal_->Purge(older_than, include_dead.value_or(false));
    if (!Journaled(n.status())) return;
    result.Int("purged", *n);
  } else {
    ErrorToClient(sender, service, Status::InvalidArgument(fmt::format(
        "unknown admin request type '{}': expected admin.status, admin.dead_letters, admin.replay "
        "or admin.purge", env->type), "type"), env->id);
    return;
  }
  wire::Envelope reply = wire::MakeEnvelope("admin.result", std::string(kSource), wall, result.Finish(), env->id);
  ReplyToClient(sender, service, wire::EncodeEnvelope(reply));
}

void Broker::HandleWorker(const std::string& sender, Frames& frames) {
  // frames: sender, "", MDPW01, command, ...
  auto it = workers_.find(sender);
  Worker* worker = it == workers_.end() ? nullptr : &it->second;
  std::int64_t now = clock_.SteadyMs();
  if (worker) worker->expiry_ms = now + static_cast<std::int64_t>(config_.heartbeat_ms) * config_.liveness;
  auto protocol_error = [&](const std::string& why) {
    ++counters_.worker_protocol_errors;
    spdlog::warn("worker {} ({}): {}; sending DISCONNECT", Hex(sender), PeerOf(frames[1]), why);
    if (worker) {
      DeleteWorker(sender, /*send_disconnect=*/true, /*count_attempt=*/false, why);
    } else {
      Worker temp;
      temp.identity = sender;
      SendToWorker(temp, mdp::Command::kDisconnect);
    }
  };
  if (frames.size() < 4 || frames[3].size() != 1) {
    protocol_error("malformed worker command");
    return;
  }
  auto cmd = static_cast<mdp::Command>(*static_cast<const std::uint8_t*>(frames[3].data()));
  switch (cmd) {
    case mdp::Command::kReady: {
      if (worker) {
        protocol_error("READY from a worker that is already registered");
        return;
      }
      if (frames.size() < 5 || frames[4].size() == 0) {
        protocol_error("READY without a service name");
        return;
      }
      std::string service(View(frames[4]));
      if (service.rfind(mdp::kMmiPrefix, 0) == 0 || service == mdp::kAdminService) {
        protocol_error(fmt::format("service name '{}' is reserved for the broker", service));
        return;
      }
      Worker w;
      w.identity = sender;
      w.service = service;
      w.credit = frames.size() > 5 ? mdp::ParseCredit(View(frames[5])) : 1;
      w.expiry_ms = now + static_cast<std::int64_t>(config_.heartbeat_ms) * config_.liveness;
      w.last_sent_ms = now;
      w.in_ready = true;
      Service& svc = GetService(service);
      svc.ready.push_back(sender);
      ++svc.workers;
      spdlog::info("worker {} ready for '{}' (credit {})", Hex(sender), service, w.credit);
      workers_.emplace(sender, std::move(w));
      return;
    }
    case mdp::Command::kReply: {
      if (frames.size() < 7 || frames[5].size() != 0) {
        protocol_error("malformed REPLY (expected client address, empty frame, body)");
        return;
      }
      if (frames.size() != 7) {
        protocol_error("REPLY body must be exactly one frame");
        return;
      }
      HandleReply(sender, worker, View(frames[4]), View(frames[6]));
      if (!worker) protocol_error("REPLY from a worker that is not registered (broker restarted?)");
      return;
    }
    case mdp::Command::kHeartbeat:
      if (!worker) protocol_error("HEARTBEAT from a worker that is not registered (broker restarted?)");
      return;
    case mdp::Command::kDisconnect:
      if (worker) {
        spdlog::info("worker {} ({}) disconnected", Hex(sender), worker->service);
        DeleteWorker(sender, /*send_disconnect=*/false, /*count_attempt=*/false, "worker disconnected");
      }
      return;
    default:
      protocol_error(fmt::format("unknown command 0x{:02x}", static_cast<int>(cmd)));
      return;
  }
}

void Broker::HandleReply(const std::string& sender, Worker* worker, std::string_view address,
                         std::string_view body) {
  auto seq = DecodeSeq(address);
  if (!seq) {
    ++counters_.worker_protocol_errors;
    spdlog::warn("worker {} replied with a client address that is not one of ours", Hex(sender));
    return;
  }
  if (worker) worker->seqs.erase(*seq);
  if (!Journaled(journal_->BeginRound())) return;
  auto replied = journal_->MarkReplied(*seq, body, clock_.NowMs());
  if (!Journaled(replied.status())) return;

  std::string client;
  std::string service = worker ? worker->service : "";
  auto inf = inflight_.find(*seq);
  if (inf != inflight_.end()) {
    // Usually the worker that holds the lease. It may be an earlier holder whose lease expired:
    // its answer is as good, and the current holder's later reply will be ignored as late (its
    // credit comes back then, since the seq stays in its set).
    client = inf->second.item.client;
    service = inf->second.service;
    if (*replied) {
      live_ids_.erase(inf->second.item.msg_id);
      inflight_.erase(inf);
    }
  } else if (*replied) {
    // A late reply to a request that was requeued (lease expired, or the broker restarted): it
    // is answered now, so drop the waiting copy. A copy only on disk is skipped by the next
    // refill (its state is no longer queued), which also corrects the service's count.
    auto w = windowed_.find(*seq);
    if (w != windowed_.end()) {
      Service& svc = GetService(w->second);
      service = svc.name;
      auto pos = std::find_if(svc.window.begin(), svc.window.end(),
                              [&](const Pending& p) { return p.seq == *seq; });
      if (pos != svc.window.end()) {
        client = pos->client;
        live_ids_.erase(pos->msg_id);
        svc.window_bytes -= static_cast<std::int64_t>(pos->body.size());
        svc.window.erase(pos);
        --svc.queued;
      }
      windowed_.erase(w);
    }
  }
  if (!*replied) {
    ++counters_.replies_late;
  } else {
    ++counters_.replies_returned;
    if (!client.empty()) ReplyToClient(client, service, body);
  }
  // Give the credit back.
  if (worker) {
    Service& svc = GetService(worker->service);
    if (!worker->in_ready && worker->seqs.size() < worker->credit) {
      worker->in_ready = true;
      svc.ready.push_back(worker->identity);
    }
  }
}

// ---------------------------------------------------------------- queues

void Broker::Enqueue(Service& svc, Pending item, bool front) {
  ++svc.queued;
  if (front) {
    // Requeued after a failure: first in line again, in memory whatever the window size.
    svc.window_bytes += static_cast<std::int64_t>(item.body.size());
    windowed_[item.seq] = svc.name;
    live_ids_[item.msg_id] = item.seq;
    svc.window.push_front(std::move(item));
    return;
  }
  if (!svc.spilled && static_cast<int>(svc.window.size()) < config_.window &&
      svc.window_bytes < config_.window_bytes) {
    svc.disk_cursor = std::max(svc.disk_cursor, item.seq);
    svc.window_bytes += static_cast<std::int64_t>(item.body.size());
    windowed_[item.seq] = svc.name;
    live_ids_[item.msg_id] = item.seq;
    svc.window.push_back(std::move(item));
    return;
  }
  // The window is full: this request lives only in the journal until a refill reaches it.
  svc.spilled = true;
}

void Broker::Refill(Service& svc) {
  if (!svc.spilled || static_cast<int>(svc.window.size()) >= config_.window / 2) return;
  int want = config_.window - static_cast<int>(svc.window.size());
  auto rows = journal_->LoadQueued(svc.name, svc.disk_cursor, want);
  if (!Journaled(rows.status())) return;
  for (auto& r : *rows) {
    svc.disk_cursor = r.seq;
    if (live_ids_.count(r.msg_id)) continue;  // already in memory (requeued or replayed)
    Pending p;
    p.seq = r.seq;
    p.msg_id = std::move(r.msg_id);
    p.client = std::move(r.client);
    p.body = std::move(r.body);
    p.attempts = r.attempts;
    svc.window_bytes += static_cast<std::int64_t>(p.body.size());
    windowed_[p.seq] = svc.name;
    live_ids_[p.msg_id] = p.seq;
    svc.window.push_back(std::move(p));
  }
  if (static_cast<int>(rows->size()) < want) {
    svc.spilled = false;
    // Everything queued is now in memory (or in flight): the count is exact again.
    std::int64_t in_window = static_cast<std::int64_t>(svc.window.size());
    if (svc.queued != in_window) svc.queued = in_window;
  }
}

void Broker::Dispatch() {
  for (auto& [name, svc] : services_) {
    if (svc.queued > 0 && !svc.ready.empty()) DispatchService(svc);
  }
}

void Broker::DispatchService(Service& svc) {
  std::int64_t now = clock_.SteadyMs();
  while (!svc.ready.empty()) {
    Refill(svc);
    if (svc.window.empty()) break;
    std::string wid = svc.ready.front();
    svc.ready.pop_front();
    auto wit = workers_.find(wid);
    if (wit == workers_.end()) continue;
    Worker& w = wit->second;
    w.in_ready = false;
    if (w.seqs.size() >= w.credit) continue;

    Pending item = std::move(svc.window.front());
    svc.window.pop_front();
    svc.window_bytes -= static_cast<std::int64_t>(item.body.size());
    windowed_.erase(item.seq);
    --svc.queued;

    std::string address = EncodeSeq(item.seq);
    SendToWorker(w, mdp::Command::kRequest, address, item.body, /*with_address=*/true);
    out_.back().worker = wid;
    out_.back().seq = item.seq;
    w.seqs.insert(item.seq);
    Inflight inf;
    inf.service = svc.name;
    inf.worker = wid;
    inf.deadline_ms = now + config_.request_timeout_ms;
    inf.item = std::move(item);
    inflight_[inf.item.seq] = std::move(inf);
    if (w.seqs.size() < w.credit) {
      w.in_ready = true;
      svc.ready.push_back(wid);  // round-robin across workers with spare credit
    }
  }
}

void Broker::Requeue(Inflight inf, bool count_attempt, const std::string& reason) {
  Service& svc = GetService(inf.service);
  Pending item = std::move(inf.item);
  if (count_attempt) {
    ++item.attempts;
    ++counters_.redeliveries;
    if (!Journaled(journal_->BeginRound())) return;
    std::int64_t wall = clock_.NowMs();
    if (item.attempts >= config_.max_attempts) {
      std::string why = fmt::format("{} (attempt {} of {})", reason, item.attempts, config_.max_attempts);
      if (!Journaled(journal_->MarkDead(item.seq, item.attempts, why, wall))) return;
      ++counters_.dead_lettered;
      live_ids_.erase(item.msg_id);
      spdlog::error("request {} to '{}' dead-lettered: {}", item.msg_id, svc.name, why);
      if (!item.client.empty()) {
        ErrorToClient(item.client, svc.name, Status::FailedPrecondition(fmt::format(
            "message {} was dead-lettered after {} attempts ({}); an operator can replay it with "
            "'hub ctl replay {}'", item.msg_id, item.attempts, why, item.msg_id)), item.msg_id);
      }
      return;
    }
    if (!Journaled(journal_->SetAttempts(item.seq, item.attempts, wall))) return;
  }
  Enqueue(svc, std::move(item), /*front=*/true);
}

void Broker::DeleteWorker(const std::string& identity, bool send_disconnect, bool count_attempt,
                          const std::string& reason) {
  auto it = workers_.find(identity);
  if (it == workers_.end()) return;
  Worker w = std::move(it->second);
  workers_.erase(it);
  if (send_disconnect) SendToWorker(w, mdp::Command::kDisconnect);
  Service& svc = GetService(w.service);
  --svc.workers;
  svc.ready.erase(std::remove(svc.ready.begin(), svc.ready.end(), identity), svc.ready.end());
  // Requeue in seq order so the oldest stays first in line.
  std::vector<std::int64_t> seqs(w.seqs.begin(), w.seqs.end());
  std::sort(seqs.rbegin(), seqs.rend());
  for (auto seq : seqs) {
    auto inf = inflight_.find(seq);
    if (inf == inflight_.end() || inf->second.worker != identity) continue;  // lease moved on
    Inflight moved = std::move(inf->second);
    inflight_.erase(inf);
    Requeue(std::move(moved), count_attempt, reason);
  }
}

// ---------------------------------------------------------------- output

void Broker::ReplyToClient(const std::string& client, std::string_view service, std::string_view body) {
  Outgoing o;
  o.frames.push_back(Frame(client));
  o.frames.push_back(Frame(""));
  o.frames.push_back(Frame(mdp::kClientHeader));
  o.frames.push_back(Frame(service));
  o.frames.push_back(Frame(body));
  out_.push_back(std::move(o));
}

void Broker::ErrorToClient(const std::string& client, std::string_view service, const Status& status,
                           std::string_view ref_id) {
  wire::Envelope e = schemas::MakeErrorEnvelope(status, ref_id, kSource, clock_.NowMs());
  ReplyToClient(client, service, wire::EncodeEnvelope(e));
}

void Broker::SendToWorker(Worker& w, mdp::Command cmd, std::string_view address,
                          std::string_view body, bool with_address) {
  Outgoing o;
  o.frames.push_back(Frame(w.identity));
  o.frames.push_back(Frame(""));
  o.frames.push_back(Frame(mdp::kWorkerHeader));
  o.frames.push_back(mdp::CommandFrame(cmd));
  if (with_address) {
    o.frames.push_back(Frame(address));
    o.frames.push_back(Frame(""));
    o.frames.push_back(Frame(body));
  }
  w.last_sent_ms = clock_.SteadyMs();
  out_.push_back(std::move(o));
}

}  // namespace hub::broker
