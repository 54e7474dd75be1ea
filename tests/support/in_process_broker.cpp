// In-process broker for unit tests.
#include "tests/support/in_process_broker.hpp"

#include <stdexcept>

namespace hub::testing {

broker::BrokerConfig TestBrokerConfig(const TempDir& dir) {
  broker::BrokerConfig c;
  c.endpoints = {"tcp://127.0.0.1:*"};
  c.journal_path = dir.File("broker.db");
  c.curve = false;
  c.heartbeat_ms = 100;
  c.liveness = 3;
  c.services = {"test", "echo"};
  return c;
}

InProcessBroker::InProcessBroker(broker::BrokerConfig config)
    : broker_(std::make_unique<broker::Broker>(std::move(config), SystemClock::Instance())) {
  Status s = broker_->Start();
  if (!s.ok()) throw std::runtime_error("broker start: " + s.ToString());
  endpoint_ = broker_->bound_endpoints().at(0);
  thread_ = std::thread([this] { (void)broker_->Run(); });
}

InProcessBroker::~InProcessBroker() { Stop(); }

void InProcessBroker::Stop() {
  if (!thread_.joinable()) return;
  broker_->Stop();
  thread_.join();
  broker_.reset();
}

}  // namespace hub::testing
