// ZAP request handling (RFC 27: version, request id, domain, address, identity, mechanism,
// credentials -> version, request id, status code, status text, user id, metadata).
#include "hub/broker/zap_handler.hpp"

#include <spdlog/spdlog.h>
#include <zmq.h>

#include "hub/wire/mdp.hpp"

namespace hub::broker {

using wire::mdp::Frame;
using wire::mdp::Frames;
using wire::mdp::View;

ZapHandler::ZapHandler(zmq::context_t& ctx, std::set<std::string> allowed_raw_keys)
    : socket_(ctx, zmq::socket_type::rep), allowed_(std::move(allowed_raw_keys)) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.bind("inproc://zeromq.zap.01");
  thread_ = std::thread([this] { Run(); });
}

ZapHandler::~ZapHandler() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ZapHandler::Run() {
  while (!stop_) {
    Frames req;
    if (!wire::mdp::RecvFramesWait(socket_, &req, 100)) continue;
    if (req.size() < 6) {
      // Not a ZAP request we can answer; REP must still reply to stay in step.
      Frames bad;
      bad.push_back(Frame("1.0"));
      bad.push_back(Frame(req.size() > 1 ? View(req[1]) : ""));
      bad.push_back(Frame("500"));
      bad.push_back(Frame("malformed ZAP request"));
      bad.push_back(Frame(""));
      bad.push_back(Frame(""));
      wire::mdp::SendFrames(socket_, bad);
      continue;
    }
    std::string_view mechanism = View(req[5]);
    bool ok = false;
    std::string key_z85;
    if (mechanism == "CURVE" && req.size() >= 7 && req[6].size() == 32) {
      ok = allowed_.count(std::string(View(req[6]))) > 0;
      char z85[41] = {0};
      zmq_z85_encode(z85, static_cast<const std::uint8_t*>(req[6].data()), 32);
      key_z85 = z85;
    }
    if (!ok) {
      ++refused_;
      spdlog::warn("refused connection from {} ({} key {}): not on the CURVE allow-list",
                   View(req[3]), mechanism, key_z85.empty() ? "-" : key_z85);
    }
    Frames rep;
    rep.push_back(Frame("1.0"));
    rep.push_back(Frame(View(req[1])));
    rep.push_back(Frame(ok ? "200" : "400"));
    rep.push_back(Frame(ok ? "OK" : "client key not allowed"));
    rep.push_back(Frame(key_z85));  // user id: the client's public key
    rep.push_back(Frame(""));
    wire::mdp::SendFrames(socket_, rep);
  }
}

}  // namespace hub::broker
