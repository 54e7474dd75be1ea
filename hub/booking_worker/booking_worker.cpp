// The booking worker's loop.
#include "hub/booking_worker/booking_worker.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "adapters/common/mdp_client.hpp"
#include "adapters/common/mdp_worker.hpp"
#include "adapters/common/outbox.hpp"
#include "hub/booking/clinic_config.hpp"
#include "hub/booking/rules_config.hpp"
#include "hub/booking_worker/booking_service.hpp"
#include "hub/booking_worker/weekly_reports.hpp"

namespace hub::booking_worker {

namespace fs = std::filesystem;

namespace {
std::string Resolve(const std::string& base, const std::string& path) {
  if (fs::path(path).is_absolute()) return path;
  return (fs::path(base) / path).lexically_normal().string();
}
}  // namespace

Status LoadBookingWorkerConfig(ConfigTable& t, const std::string& config_dir,
                               const std::string& data_dir, BookingWorkerConfig* out) {
  BookingWorkerConfig c;
  HUB_ASSIGN_OR_RETURN(c.db_path, t.String("db", c.db_path));
  c.db_path = Resolve(data_dir, c.db_path);
  HUB_ASSIGN_OR_RETURN(std::string sync, t.String("synchronous", "FULL"));
  if (sync == "FULL") {
    c.synchronous = storage::Synchronous::kFull;
  } else if (sync == "NORMAL") {
    c.synchronous = storage::Synchronous::kNormal;
  } else {
    return t.Error("synchronous", "must be \"FULL\" or \"NORMAL\"");
  }
  HUB_ASSIGN_OR_RETURN(c.rules_file, t.String("rules_file", c.rules_file));
  c.rules_file = Resolve(config_dir, c.rules_file);
  HUB_ASSIGN_OR_RETURN(c.clinics_dir, t.String("clinics_dir", c.clinics_dir));
  c.clinics_dir = Resolve(config_dir, c.clinics_dir);
  HUB_ASSIGN_OR_RETURN(c.reports_dir, t.String("reports_dir", c.reports_dir));
  c.reports_dir = Resolve(data_dir, c.reports_dir);
  HUB_ASSIGN_OR_RETURN(auto credit, t.IntInRange("credit", c.credit, 1, 4096));
  c.credit = static_cast<std::uint32_t>(credit);
  HUB_ASSIGN_OR_RETURN(auto hb, t.IntInRange("heartbeat_ms", c.heartbeat_ms, 10, 600'000));
  c.heartbeat_ms = static_cast<int>(hb);
  HUB_ASSIGN_OR_RETURN(auto inflight, t.IntInRange("outbox_in_flight", c.outbox_in_flight, 1, 100'000));
  c.outbox_in_flight = static_cast<int>(inflight);
  HUB_ASSIGN_OR_RETURN(auto timeout, t.IntInRange("outbox_timeout_ms", c.outbox_timeout_ms, 100, 3'600'000));
  c.outbox_timeout_ms = static_cast<int>(timeout);
  HUB_RETURN_IF_ERROR(t.Finish());
  *out = std::move(c);
  return Status::Ok();
}

Status RunBookingWorker(const BookingWorkerConfig& config, const wire::BrokerConnection& broker,
                        const Clock& clock, const std::atomic<bool>& stop) {
  HUB_ASSIGN_OR_RETURN(auto rules, booking::LoadBookingRulesFile(config.rules_file));
  HUB_ASSIGN_OR_RETURN(auto templates, booking::LoadClinicDir(config.clinics_dir));
  HUB_ASSIGN_OR_RETURN(auto store, BookingStore::Open(config.db_path, config.synchronous));
  BookingService service(*store, rules, clock);
  HUB_RETURN_IF_ERROR(service.Start());
  HUB_RETURN_IF_ERROR(service.LoadTemplates(templates));

  zmq::context_t ctx;
  adapters::WorkerOptions wo;
  wo.broker = broker;
  wo.service = "booking";
  wo.credit = config.credit;
  wo.heartbeat_ms = config.heartbeat_ms;
  adapters::MdpWorker worker(ctx, wo, clock);
  adapters::MdpClient client(ctx, broker, "booking");
  adapters::OutboxOptions oo;
  oo.max_in_flight = config.outbox_in_flight;
  oo.timeout_ms = config.outbox_timeout_ms;
  adapters::OutboxSender sender(store->db(), client, oo, clock);
  spdlog::info("booking worker serving 'booking' at {} (credit {})", broker.endpoint, config.credit);

  std::int64_t next_sweep_check = clock.SteadyMs() + 60'000;
  while (!stop.load()) {
    // Short waits while outbound messages are in flight, so their replies are collected promptly.
    auto batch = worker.Receive(sender.in_flight() > 0 ? 5 : 100);
    if (!batch.empty()) {
      auto replies = service.HandleBatch(batch);
      if (!replies.ok()) return replies.status();
      for (std::size_t i = 0; i < batch.size(); ++i) worker.Reply(batch[i].address, (*replies)[i]);
    }
    auto pumped = sender.Pump(0);
    if (!pumped.ok()) return pumped.status();
    if (clock.SteadyMs() >= next_sweep_check) {
      next_sweep_check = clock.SteadyMs() + 60'000;
      HUB_RETURN_IF_ERROR(service.SweepIfDue());
      HUB_RETURN_IF_ERROR(WeeklyReportsIfDue(*store, service.engine().state(),
                                             service.engine().rules(), service.Today(),
                                             config.reports_dir, clock.NowMs()));
    }
  }
  return Status::Ok();
}

}  // namespace hub::booking_worker
