// A real Broker object serving on 127.0.0.1 (a free port) from a thread of the test process, for
// unit tests that need precise control of peers. Integration tests use BrokerProcess instead.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "hub/broker/broker.hpp"
#include "hub/common/clock.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::testing {

// Test defaults: no CURVE, 100 ms heartbeats, journal in `dir`, services "test" and "echo".
broker::BrokerConfig TestBrokerConfig(const TempDir& dir);

class InProcessBroker {
 public:
  explicit InProcessBroker(broker::BrokerConfig config);
  ~InProcessBroker();
  // Stops the serving thread (the journal is closed; a new InProcessBroker can reopen it).
  void Stop();
  const std::string& endpoint() const { return endpoint_; }
  const broker::BrokerCounters& counters() const { return broker_->counters(); }

 private:
  std::unique_ptr<broker::Broker> broker_;
  std::thread thread_;
  std::string endpoint_;
};

}  // namespace hub::testing
