// `hub ctl scan`: what the booking team asks of the scan adapter, on scan.db directly (read
// only; safe while the adapter runs — WAL readers never block it):
//
//   exceptions [--batch NAME] [--limit N]  documents not attached, newest first: reason, what
//                                          was read, where the image is kept
//   chase [--days N]                       referrals whose coversheet was printed N or more days
//                                          ago ([chase] after_days) with no document attached
//   batches [--limit N]                    the bureau's batches (documents attached, in flight,
//                                          exceptions) and the coversheet print batches
#pragma once

#include <memory>
#include <string>

#include "adapters/scan/scan_config.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"

namespace hub::scan {

class ScanCtl {
 public:
  // Opens scan.db read-only; NotFound when the adapter has never run. `config`, `clock`
  // must outlive the ScanCtl.
  static Result<std::unique_ptr<ScanCtl>> Open(const ScanConfig& config, const Clock& clock);

  // The text each subcommand prints.
  Result<std::string> Exceptions(const std::string& batch, int limit);
  // `days` 0 means [chase] after_days.
  Result<std::string> Chase(int days);
  Result<std::string> Batches(int limit);

 private:
  ScanCtl(std::unique_ptr<storage::Database> db, const ScanConfig& config, const Clock& clock)
      : db_(std::move(db)), config_(config), clock_(clock) {}
  std::unique_ptr<storage::Database> db_;
  const ScanConfig& config_;
  const Clock& clock_;
};

}  // namespace hub::scan
