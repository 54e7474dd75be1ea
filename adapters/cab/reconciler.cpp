// The reconciliation cycle and its thread.
#include "adapters/cab/reconciler.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "adapters/cab/booking_window.hpp"

namespace hub::cab {

Result<TemplateSnapshot> TakeSnapshot(const CabConfig& config, BookingGateway& gateway,
                                      std::int64_t now_ms, std::int64_t* horizon_end_ms) {
  TemplateSnapshot snap;
  snap.taken_at_ms = now_ms;
  HUB_ASSIGN_OR_RETURN(snap.clinics, gateway.ListClinics());
  SlotQuery query;
  query.from_ms = now_ms;
  query.to_ms = now_ms;
  query.limit = config.reconcile.max_slots;
  std::set<std::string> codes;
  for (const ServiceDef& s : config.services) {
    query.to_ms = std::max(query.to_ms, PollingRangeEndMs(s, now_ms));
    for (const std::string& code : s.clinic_codes) {
      const ClinicInfo* c = snap.FindClinic(code);
      if (c != nullptr && c->active) codes.insert(code);
    }
  }
  *horizon_end_ms = query.to_ms;
  query.clinic_codes.assign(codes.begin(), codes.end());
  if (!query.clinic_codes.empty()) {
    HUB_ASSIGN_OR_RETURN(snap.free_slots, gateway.ListFreeSlots(query));
    if (snap.free_slots.size() > query.limit) {
      return Status::ResourceExhausted(
          fmt::format("the booking engine returned {} free slots, more than reconcile.max_slots "
                      "({}); raise the limit",
                      snap.free_slots.size(), query.limit));
    }
  }
  return snap;
}

Reconciler::Reconciler(const CabConfig& config, BookingGateway& gateway, PublishedSlots& published,
                       const Clock& clock)
    : config_(config), gateway_(gateway), published_(published), clock_(clock) {}

Reconciler::~Reconciler() { Stop(); }

ReconcileReport Reconciler::RunOnce() {
  std::lock_guard<std::mutex> run_lock(run_mu_);
  ReconcileReport report;
  report.at_ms = clock_.NowMs();
  std::int64_t horizon_end = report.at_ms;
  auto snapshot = TakeSnapshot(config_, gateway_, report.at_ms, &horizon_end);
  if (!snapshot.ok()) {
    report.status = snapshot.status();
    spdlog::warn("cab: reconciliation could not read the hub's templates: {}",
                 report.status.ToString());
  } else {
    std::vector<ErsService> ers;
    bool have_ers = false;
    if (!config_.reconcile.ers_services_file.empty()) {
      auto loaded = LoadErsServices(config_.reconcile.ers_services_file);
      if (loaded.ok()) {
        ers = std::move(loaded).value();
        have_ers = true;
      } else {
        report.ers_error = loaded.status().message();
        spdlog::warn("cab: e-RS service definitions not compared: {}", report.ers_error);
      }
    }
    const PublishedView before = published_.View();
    DriftInputs in;
    in.config = &config_;
    in.hub = &*snapshot;
    in.ers = have_ers ? &ers : nullptr;
    in.published = before.publication.get();
    in.taken = before.taken.get();
    in.now_ms = report.at_ms;
    report.items = FindDrift(in);
    auto next =
        std::make_shared<const Publication>(BuildPublication(config_, *snapshot, horizon_end));
    report.published_slots = next->slots.size();
    published_.Publish(std::move(next));
    report.republished = true;
    for (DriftItem& item : report.items) {
      if (item.fixable) item.fixed = true;  // republishing is the fix
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  last_ = report;
  return report;
}

ReconcileReport Reconciler::LastReport() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_;
}

void Reconciler::Start(std::function<void(const ReconcileReport&)> on_report) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (thread_.joinable()) return;
    on_report_ = std::move(on_report);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void Reconciler::Trigger() {
  std::lock_guard<std::mutex> lock(mu_);
  triggered_ = true;
  cv_.notify_all();
}

void Reconciler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void Reconciler::Loop() {
  const auto interval = std::chrono::seconds(config_.reconcile.interval_s);
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, interval, [this] { return stopping_ || triggered_; });
      if (stopping_) return;
      triggered_ = false;
    }
    ReconcileReport report = RunOnce();
    if (on_report_) on_report_(report);
  }
}

}  // namespace hub::cab
