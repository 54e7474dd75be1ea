// Paranoid Pirate worker over 7/MDP.
#include "adapters/common/mdp_worker.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "hub/wire/mdp.hpp"
#include "schemas/catalogue.hpp"

namespace hub::adapters {

namespace mdp = wire::mdp;
using mdp::Frame;
using mdp::Frames;
using mdp::View;

MdpWorker::MdpWorker(zmq::context_t& ctx, WorkerOptions options, const Clock& clock)
    : ctx_(ctx), options_(std::move(options)), clock_(clock), reconnect_ms_(options_.reconnect_min_ms) {
  Connect();
}

MdpWorker::~MdpWorker() {
  if (socket_) {
    SendCommand(static_cast<std::uint8_t>(mdp::Command::kDisconnect));
    socket_.reset();
  }
}

void MdpWorker::Connect() {
  socket_ = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::dealer);
  socket_->set(zmq::sockopt::linger, 0);
  socket_->set(zmq::sockopt::sndhwm, 100'000);
  socket_->set(zmq::sockopt::rcvhwm, 100'000);
  wire::ConfigureClientSocket(*socket_, options_.broker);
  socket_->connect(options_.broker.endpoint);
  Frames ready;
  ready.push_back(Frame(""));
  ready.push_back(Frame(mdp::kWorkerHeader));
  ready.push_back(mdp::CommandFrame(mdp::Command::kReady));
  ready.push_back(Frame(options_.service));
  if (options_.credit > 1) ready.push_back(Frame(std::to_string(options_.credit)));
  mdp::SendFrames(*socket_, ready);
  outstanding_ = 0;  // a new session: the broker requeued whatever we held
  std::int64_t now = clock_.SteadyMs();
  broker_expiry_ms_ = now + static_cast<std::int64_t>(options_.heartbeat_ms) * options_.liveness;
  next_heartbeat_ms_ = now + options_.heartbeat_ms;
}

void MdpWorker::SendCommand(std::uint8_t command, std::string_view a, std::string_view b,
                            bool with_address) {
  Frames f;
  f.push_back(Frame(""));
  f.push_back(Frame(mdp::kWorkerHeader));
  f.push_back(mdp::CommandFrame(static_cast<mdp::Command>(command)));
  if (with_address) {
    f.push_back(Frame(a));
    f.push_back(Frame(""));
    f.push_back(Frame(b));
  }
  mdp::SendFrames(*socket_, f, /*dont_wait=*/true);
  next_heartbeat_ms_ = clock_.SteadyMs() + options_.heartbeat_ms;
}

void MdpWorker::Heartbeat() {
  std::int64_t now = clock_.SteadyMs();
  if (now >= next_heartbeat_ms_) SendCommand(static_cast<std::uint8_t>(mdp::Command::kHeartbeat));
  if (now > broker_expiry_ms_) {
    // Paranoid Pirate: the broker is silent. Start a new session on a new socket after a
    // back-off, so a restarted broker learns about us through READY.
    spdlog::warn("broker silent for {} ms; reconnecting to {} in {} ms",
                 options_.heartbeat_ms * options_.liveness, options_.broker.endpoint, reconnect_ms_);
    // Sleep in short steps so Stop() is honoured promptly even with the broker gone.
    for (int waited = 0; waited < reconnect_ms_ && !stop_.load(); waited += 50) {
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(50, reconnect_ms_ - waited)));
    }
    reconnect_ms_ = std::min(reconnect_ms_ * 2, options_.reconnect_max_ms);
    if (!stop_.load()) Connect();
  }
}

std::vector<WorkRequest> MdpWorker::Receive(int timeout_ms) {
  std::vector<WorkRequest> out;
  std::int64_t deadline = clock_.SteadyMs() + timeout_ms;
  Frames frames;
  while (!stop_.load()) {
    std::int64_t now = clock_.SteadyMs();
    long wait = std::max<long>(0, std::min<std::int64_t>({deadline - now, next_heartbeat_ms_ - now,
                                                           broker_expiry_ms_ - now + 1}));
    if (!out.empty()) wait = 0;
    bool got = mdp::RecvFramesWait(*socket_, &frames, static_cast<int>(wait));
    if (!got) {
      Heartbeat();
      if (!out.empty() || clock_.SteadyMs() >= deadline) break;
      continue;
    }
    // Any command from the broker proves it is alive (7/MDP "Heartbeating").
    broker_expiry_ms_ = clock_.SteadyMs() + static_cast<std::int64_t>(options_.heartbeat_ms) * options_.liveness;
    reconnect_ms_ = options_.reconnect_min_ms;
    if (frames.size() < 3 || frames[0].size() != 0 || View(frames[1]) != mdp::kWorkerHeader ||
        frames[2].size() != 1) {
      spdlog::warn("ignoring a malformed message from the broker ({} frames)", frames.size());
      continue;
    }
    auto cmd = static_cast<mdp::Command>(*static_cast<const std::uint8_t*>(frames[2].data()));
    if (cmd == mdp::Command::kRequest && frames.size() >= 6) {
      out.push_back({std::string(View(frames[3])), std::string(View(frames[5]))});
      ++outstanding_;
      if (outstanding_ >= options_.credit) break;
      continue;
    }
    if (cmd == mdp::Command::kDisconnect) {
      spdlog::info("broker sent DISCONNECT; registering again");
      out.clear();  // the broker will redeliver anything we held
      Connect();
      continue;
    }
    // HEARTBEAT (or anything else): already counted as liveness.
  }
  return out;
}

void MdpWorker::Reply(const std::string& address, std::string_view body) {
  SendCommand(static_cast<std::uint8_t>(mdp::Command::kReply), address, body, /*with_address=*/true);
  if (outstanding_ > 0) --outstanding_;
}

Status MdpWorker::Run(const BatchHandler& handler) {
  while (!stop_.load()) {
    auto batch = Receive(options_.heartbeat_ms);
    if (batch.empty()) continue;
    std::vector<std::string> replies = handler(batch);
    if (replies.size() != batch.size()) {
      spdlog::error("handler returned {} replies for {} requests; the rest will be redelivered",
                    replies.size(), batch.size());
    }
    for (std::size_t i = 0; i < batch.size() && i < replies.size(); ++i) {
      Reply(batch[i].address, replies[i]);
    }
  }
  return Status::Ok();
}

Status CheckRequestType(const wire::Envelope& request, std::string_view service,
                        std::string_view accepted_type) {
  if (request.type != accepted_type) {
    return Status::InvalidArgument(
        schemas::FindType(request.type)
            ? fmt::format("'{}' is not handled by the {} service; it takes {}", request.type,
                          service, accepted_type)
            : fmt::format("unknown message type '{}'", request.type),
        "type");
  }
  if (request.v != 1) {
    return Status::InvalidArgument(
        fmt::format("{} version {} is not known to this {} adapter, which reads version 1",
                    request.type, request.v, service),
        "v");
  }
  return Status::Ok();
}

}  // namespace hub::adapters
