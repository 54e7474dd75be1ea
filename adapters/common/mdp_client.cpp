// Lazy Pirate MDP client.
#include "adapters/common/mdp_client.hpp"

#include <fmt/format.h>

#include "hub/common/ulid.hpp"
#include "hub/wire/mdp.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/error.hpp"

namespace hub::adapters {

namespace mdp = wire::mdp;
using mdp::Frame;
using mdp::Frames;
using mdp::View;

MdpClient::MdpClient(zmq::context_t& ctx, wire::BrokerConnection broker, const std::string& name)
    : ctx_(ctx), broker_(std::move(broker)), routing_id_(name + "-" + NewUlid()) {
  Reconnect();
}

void MdpClient::Reconnect() {
  socket_ = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::dealer);
  socket_->set(zmq::sockopt::linger, 0);
  socket_->set(zmq::sockopt::routing_id, routing_id_);
  socket_->set(zmq::sockopt::sndhwm, 100'000);
  socket_->set(zmq::sockopt::rcvhwm, 100'000);
  wire::ConfigureClientSocket(*socket_, broker_);
  socket_->connect(broker_.endpoint);
}

bool MdpClient::Send(std::string_view service, std::string_view body) {
  Frames f;
  f.push_back(Frame(""));
  f.push_back(Frame(mdp::kClientHeader));
  f.push_back(Frame(service));
  f.push_back(Frame(body));
  return mdp::SendFrames(*socket_, f, /*dont_wait=*/true);
}

std::vector<MdpReply> MdpClient::Poll(int timeout_ms) {
  std::vector<MdpReply> out;
  Frames frames;
  if (!mdp::RecvFramesWait(*socket_, &frames, timeout_ms)) return out;
  do {
    // empty, MDPC01, service, body
    if (frames.size() >= 4 && View(frames[1]) == mdp::kClientHeader) {
      out.push_back({std::string(View(frames[2])), std::string(View(frames[3]))});
    }
  } while (mdp::RecvFrames(*socket_, &frames));
  return out;
}

Result<wire::Envelope> MdpClient::Call(std::string_view service, const wire::Envelope& request,
                                       int timeout_ms, int retries) {
  std::string bytes = wire::EncodeEnvelope(request);
  for (int attempt = 0; attempt <= retries; ++attempt) {
    if (attempt > 0) Reconnect();
    if (!Send(service, bytes)) continue;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now()).count();
      for (auto& r : Poll(static_cast<int>(std::max<long>(1, left)))) {
        auto env = wire::DecodeEnvelope(r.body, wire::kMaxDocumentBytes);
        if (!env.ok()) {
          return Status::Corruption("reply from the broker is not an envelope: " + env.status().ToString());
        }
        if (env->corr != request.id) continue;  // a stale reply to an earlier request
        if (env->type == schemas::kErrorType) {
          auto err = schemas::DecodeErrorBody(env->body);
          if (!err.ok()) return err.status();
          return schemas::StatusFromErrorBody(*err);
        }
        return std::move(env).value();
      }
    }
  }
  return Status::DeadlineExceeded(fmt::format("no reply from service '{}' at {} after {} attempts",
                                              service, broker_.endpoint, retries + 1));
}

Result<bool> MdpClient::ServiceAvailable(std::string_view service, int timeout_ms) {
  if (!Send(mdp::kMmiService, service)) return Status::Unavailable("cannot send to the broker");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    for (auto& r : Poll(100)) {
      if (r.service == mdp::kMmiService) return r.body == "200";
    }
  }
  return Status::DeadlineExceeded(fmt::format("broker at {} did not answer mmi.service", broker_.endpoint));
}

}  // namespace hub::adapters
