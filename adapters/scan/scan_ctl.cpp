// `hub ctl scan` reports from scan.db.
#include "adapters/scan/scan_ctl.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "hub/booking/calendar.hpp"
#include "hub/booking/nhs_number.hpp"

namespace hub::scan {

namespace {
constexpr std::int64_t kDayMs = 86'400'000;

std::string DateOf(std::int64_t ms) { return booking::FormatIsoDate(booking::LondonDateAt(ms)); }
}  // namespace

Result<std::unique_ptr<ScanCtl>> ScanCtl::Open(const ScanConfig& config, const Clock& clock) {
  std::error_code ec;
  if (!std::filesystem::exists(config.folders.database, ec)) {
    return Status::NotFound(fmt::format(
        "{}: no scan database here; the scan adapter (hub adapter scan) creates it when it "
        "first starts",
        config.folders.database));
  }
  storage::OpenOptions ro;
  ro.read_only = true;
  HUB_ASSIGN_OR_RETURN(auto db, storage::Database::Open(config.folders.database, ro));
  return std::unique_ptr<ScanCtl>(new ScanCtl(std::move(db), config, clock));
}

Result<std::string> ScanCtl::Exceptions(const std::string& batch, int limit) {
  HUB_ASSIGN_OR_RETURN(
      auto st, db_->Prepare("SELECT document_id, file, reason, detail, coversheet_id, "
                            "nhs_number, stored_path, updated_ms FROM documents WHERE state = "
                            "'EXCEPTION' AND (? = '' OR batch_id = ?) ORDER BY updated_ms DESC, "
                            "document_id LIMIT ?"));
  HUB_RETURN_IF_ERROR(st.BindAll(batch, batch, limit));
  std::string out;
  int n = 0;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ++n;
    const std::string kept = st.ColumnText(6);
    out += fmt::format("{}  {}  {}\n", st.ColumnText(0), st.ColumnText(2), st.ColumnText(1));
    out += fmt::format("    {}\n", st.ColumnText(3));
    if (!st.ColumnText(4).empty() || !st.ColumnText(5).empty()) {
      out += fmt::format("    read: coversheet {}  NHS number {}\n",
                         st.ColumnText(4).empty() ? "-" : st.ColumnText(4),
                         st.ColumnText(5).empty() ? "-"
                                                  : booking::FormatNhsNumber(st.ColumnText(5)));
    }
    out += fmt::format("    kept: {}   (since {})\n",
                       kept.empty() ? "- (no file)" : config_.data_dir + "/" + kept,
                       DateOf(st.ColumnInt(7)));
  }
  if (n == 0) return std::string("no scanning exceptions\n");
  return fmt::format("{} scanning exception{} (never attached; check and rescan, or file by "
                     "hand):\n{}",
                     n, n == 1 ? "" : "s", out);
}

Result<std::string> ScanCtl::Chase(int days) {
  if (days <= 0) days = config_.chase.after_days;
  const std::int64_t now = clock_.NowMs();
  HUB_ASSIGN_OR_RETURN(
      auto st, db_->Prepare("SELECT c.coversheet_id, c.referral_id, c.nhs_number, "
                            "c.patient_name, c.specialty, c.printed_ms, (SELECT count(*) FROM "
                            "documents d WHERE d.coversheet_id = c.coversheet_id AND d.state = "
                            "'EXCEPTION') FROM coversheets c WHERE c.printed_ms IS NOT NULL AND "
                            "c.printed_ms <= ? AND NOT EXISTS (SELECT 1 FROM documents d WHERE "
                            "d.coversheet_id = c.coversheet_id AND d.state != 'EXCEPTION') ORDER "
                            "BY c.printed_ms, c.coversheet_id"));
  HUB_RETURN_IF_ERROR(st.BindAll(now - std::int64_t{days} * kDayMs));
  std::string out = fmt::format("{:<30} {:<16} {:<13} {:<24} {:<14} {:<10} {:>4} {}\n",
                                "COVERSHEET", "REFERRAL", "NHS NUMBER", "PATIENT", "SPECIALTY",
                                "PRINTED", "DAYS", "EXCEPTIONS");
  int n = 0;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ++n;
    const std::int64_t printed = st.ColumnInt(5);
    out += fmt::format("{:<30} {:<16} {:<13} {:<24} {:<14} {:<10} {:>4} {}\n", st.ColumnText(0),
                       st.ColumnText(1), booking::FormatNhsNumber(st.ColumnText(2)),
                       st.ColumnText(3), st.ColumnText(4), DateOf(printed),
                       (now - printed) / kDayMs, st.ColumnInt(6));
  }
  if (n == 0) {
    return fmt::format("nothing to chase: every coversheet printed {} or more days ago has a "
                       "document attached\n",
                       days);
  }
  return fmt::format("{} referral{} printed {} or more days ago with no scan attached:\n{}", n,
                     n == 1 ? "" : "s", days, out);
}

Result<std::string> ScanCtl::Batches(int limit) {
  HUB_ASSIGN_OR_RETURN(
      auto st, db_->Prepare("SELECT b.batch_id, b.state, b.document_count, b.received_ms, "
                            "(SELECT count(*) FROM documents d WHERE d.batch_id = b.batch_id AND "
                            "d.state = 'ATTACHED'), (SELECT count(*) FROM documents d WHERE "
                            "d.batch_id = b.batch_id AND d.state = 'SENT'), (SELECT count(*) FROM "
                            "documents d WHERE d.batch_id = b.batch_id AND d.state = "
                            "'EXCEPTION') FROM intake_batches b ORDER BY b.received_ms DESC "
                            "LIMIT ?"));
  HUB_RETURN_IF_ERROR(st.BindAll(limit));
  std::string out = "bureau batches:\n";
  out += fmt::format("  {:<32} {:<5} {:>9} {:>8} {:>6} {:>10} {}\n", "BATCH", "STATE",
                     "DOCUMENTS", "ATTACHED", "SENT", "EXCEPTIONS", "RECEIVED");
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out += fmt::format("  {:<32} {:<5} {:>9} {:>8} {:>6} {:>10} {}\n", st.ColumnText(0),
                       st.ColumnText(1), st.ColumnInt(2), st.ColumnInt(4), st.ColumnInt(5),
                       st.ColumnInt(6), DateOf(st.ColumnInt(3)));
  }
  HUB_ASSIGN_OR_RETURN(auto pb, db_->Prepare("SELECT batch_id, state, coversheet_count, "
                                             "created_ms FROM print_batches ORDER BY created_ms "
                                             "DESC LIMIT ?"));
  HUB_RETURN_IF_ERROR(pb.BindAll(limit));
  out += "coversheet print batches:\n";
  out += fmt::format("  {:<32} {:<7} {:>11} {}\n", "BATCH", "STATE", "COVERSHEETS", "CREATED");
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, pb.Step());
    if (!row) break;
    out += fmt::format("  {:<32} {:<7} {:>11} {}\n", pb.ColumnText(0), pb.ColumnText(1),
                       pb.ColumnInt(2), DateOf(pb.ColumnInt(3)));
  }
  HUB_ASSIGN_OR_RETURN(auto waiting, db_->QueryInt("SELECT count(*) FROM coversheets WHERE "
                                                   "batch_id IS NULL"));
  out += fmt::format("coversheets waiting for a print batch: {}\n", waiting.value_or(0));
  return out;
}

}  // namespace hub::scan
