// Weekly PTL files and escalations.
#include "hub/booking_worker/weekly_reports.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <map>

#include "hub/booking/capacity.hpp"
#include "hub/booking/messages.hpp"
#include "hub/reports/ptl_export.hpp"

namespace hub::booking_worker {

namespace fs = std::filesystem;
using booking::Date;

std::vector<booking::Escalation> PotentialBreachEscalations(const booking::PtlInput& in,
                                                            const booking::PtlReport& report,
                                                            const booking::BookingRules& rules) {
  struct Acc {
    int patients = 0;
    std::int32_t earliest_breach = 0;
    std::map<std::string, int> by_specialty;
  };
  std::map<std::string, Acc> per;
  for (const auto& r : report.rows) {
    if (r.potential == booking::PotentialBreach::kNone) continue;
    const std::string& specialty = in.names[in.pathways[r.input].specialty];
    Acc& a = per[booking::DirectorateOf(rules.directorates, specialty)];
    if (a.patients == 0 || r.breach_date < a.earliest_breach) a.earliest_breach = r.breach_date;
    ++a.patients;
    ++a.by_specialty[specialty];
  }
  std::vector<booking::Escalation> out;
  for (const auto& [dir, a] : per) {
    booking::Escalation e;
    e.escalation_id = fmt::format("ESC-PTL-{}-{}", booking::CompactDate(report.census), dir);
    e.reason = booking::EscalationReason::kPotentialBreach;
    e.specialty = dir;
    e.clinic_type = "PTL";
    e.priority = booking::Priority::kRoutine;
    e.patients = a.patients;
    e.raised_on = report.census;
    e.earliest_target = booking::DateOfDay(a.earliest_breach);
    std::string detail;
    for (const auto& [s, n] : a.by_specialty) detail += fmt::format("{}{} {}", detail.empty() ? "" : ", ", s, n);
    e.message = fmt::format(
        "directorate {}: {} potential {}-week breaches within {} weeks of {} ({}); earliest "
        "breach date {}",
        dir, a.patients, report.breach_weeks, rules.potential_breach_horizon_weeks,
        booking::FormatIsoDate(report.census), detail, booking::FormatIsoDate(e.earliest_target));
    out.push_back(std::move(e));
  }
  return out;
}

namespace {
Status WriteAtomically(const std::string& path, const std::function<Status(const std::string&)>& write) {
  const std::string tmp = path + ".tmp";
  HUB_RETURN_IF_ERROR(write(tmp));
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status::Internal(fmt::format("{}: cannot rename into place: {}", path, ec.message()));
  return Status::Ok();
}
}  // namespace

Status WeeklyReportsIfDue(BookingStore& store, const booking::BookingState& state,
                          const booking::BookingRules& rules, Date today,
                          const std::string& reports_dir, std::int64_t now_ms, bool* ran) {
  if (ran) *ran = false;
  if (static_cast<int>(booking::IsoWeekday(today)) != rules.ptl_weekday) return Status::Ok();
  const std::string stem = reports_dir + "/ptl-" + booking::FormatIsoDate(today);
  const std::string done = reports_dir + "/ptl-summary-" + booking::FormatIsoDate(today) + ".csv";
  if (fs::exists(done)) return Status::Ok();
  std::error_code ec;
  fs::create_directories(reports_dir, ec);
  if (ec) return Status::Internal(fmt::format("{}: cannot create: {}", reports_dir, ec.message()));

  const booking::PtlInput in = booking::BuildPtlInput(state, today);
  const booking::PtlReport report = booking::ComputePtl(in, today, rules);
  auto escalations = PotentialBreachEscalations(in, report, rules);
  const Date to = booking::AddDays(today, 7 * rules.capacity_demand_horizon_weeks);
  for (auto& e : booking::ShortfallEscalations(
           booking::ComputeCapacity(state, today, today, to, rules), today)) {
    escalations.push_back(std::move(e));
  }
  {
    storage::Transaction txn(store.db());
    HUB_RETURN_IF_ERROR(txn.status());
    for (const auto& e : escalations) {
      HUB_RETURN_IF_ERROR(store.AddEscalation(booking::EscalationToBody(e), now_ms));
    }
    HUB_RETURN_IF_ERROR(txn.Commit());
  }
  HUB_RETURN_IF_ERROR(WriteAtomically(stem + ".csv", [&](const std::string& p) {
    return reports::WritePtlCsvFile(in, report, p);
  }));
  if (report.rows.size() < 1'048'575) {
    HUB_RETURN_IF_ERROR(WriteAtomically(stem + ".xlsx", [&](const std::string& p) {
      return reports::WritePtlXlsx(in, report, p);
    }));
  }
  HUB_RETURN_IF_ERROR(WriteAtomically(done, [&](const std::string& p) {
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    Status s = reports::WriteSummaryCsv(report, f);
    return s.ok() ? s : Status::Internal(fmt::format("{}: {}", p, s.message()));
  }));
  spdlog::info("weekly PTL {}: {} open pathways, {} potential breaches, {} escalations, in {}",
               booking::FormatIsoDate(today), report.rows.size(),
               report.total.potential_breaches, escalations.size(), reports_dir);
  if (ran) *ran = true;
  return Status::Ok();
}

}  // namespace hub::booking_worker
