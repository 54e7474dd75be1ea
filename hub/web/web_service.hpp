// `hub web` as a library call: open users.db, connect to the broker, listen, serve until told to
// stop. Used by the `hub web` command (hub/app/cmd_web.cpp), by tests (in-process) and the bench.
#pragma once

#include <atomic>
#include <functional>
#include <vector>

#include "hub/booking/clinic_template.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/wire/curve.hpp"
#include "hub/web/web_config.hpp"

namespace hub::web {

struct WebServiceOptions {
  WebConfig config;
  wire::BrokerConnection broker;
  std::vector<booking::ClinicTemplate> clinics;
  int potential_breach_horizon_weeks = 4;
};

// Returns when `stop` becomes true (Ok) or start-up fails (users.db, bind). `on_listening` is
// called once with the bound port before serving.
Status RunWebService(const WebServiceOptions& options, const Clock& clock, const std::atomic<bool>& stop,
                     const std::function<void(int port)>& on_listening = {});

}  // namespace hub::web
