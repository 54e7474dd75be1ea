// `hub ctl print` over print.db.
#include "adapters/print/print_ctl.hpp"

#include <fmt/format.h>

#include <cctype>

#include "adapters/print/print_db.hpp"
#include "adapters/print/status_file.hpp"
#include "hub/booking/nhs_number.hpp"

namespace hub::print {

namespace {

constexpr LetterStatus kAllStatuses[] = {
    LetterStatus::kPending,   LetterStatus::kBatched,    LetterStatus::kCancelled,
    LetterStatus::kAccepted,  LetterStatus::kRejected,   LetterStatus::kPrinted,
    LetterStatus::kEnclosed,  LetterStatus::kDispatched, LetterStatus::kForwarded,
    LetterStatus::kDelivered, LetterStatus::kFailed,     LetterStatus::kReturned,
};

std::string When(std::int64_t utc_ms) { return utc_ms > 0 ? FormatTimestamp(utc_ms) : "-"; }

std::string Reason(std::string_view code, std::string_view text) {
  if (code.empty()) return std::string(text);
  if (text.empty()) return std::string(code);
  return fmt::format("{} {}", code, text);
}

}  // namespace

Result<LetterStatus> ParseLetterStatusArg(std::string_view text) {
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (auto s = LetterStatusFromName(upper); s && *s != LetterStatus::kUnspecified) return *s;
  std::string names;
  for (LetterStatus s : kAllStatuses) {
    names += names.empty() ? "" : ", ";
    names += LetterStatusName(s);
  }
  return Status::InvalidArgument(fmt::format("'{}' is not a letter status ({})", text, names),
                                 "status");
}

PrintCtl::PrintCtl(const PrintConfig& config, const Clock& clock, TemplateSet templates,
                   std::unique_ptr<storage::Database> db)
    : config_(config),
      clock_(clock),
      templates_(std::move(templates)),
      db_(std::move(db)),
      spooler_(*db_, config_, templates_, clock_, SpoolerRole::kControl) {}

Result<std::unique_ptr<PrintCtl>> PrintCtl::Open(const PrintConfig& config, const Clock& clock) {
  HUB_ASSIGN_OR_RETURN(auto db, OpenPrintDb(config.folders.database, /*create=*/false));
  HUB_ASSIGN_OR_RETURN(auto templates, TemplateSet::Load(config.templates_dir));
  return std::unique_ptr<PrintCtl>(
      new PrintCtl(config, clock, std::move(templates), std::move(db)));
}

Result<std::string> PrintCtl::ListLetters(std::optional<LetterStatus> status, int limit) {
  HUB_ASSIGN_OR_RETURN(auto letters, spooler_.store().RecentLetters(status, limit));
  if (letters.empty()) {
    return status ? fmt::format("no {} letters\n", LetterStatusName(*status))
                  : std::string("no letters\n");
  }
  std::string out = fmt::format("{:<28} {:<26} {:<10} {:<21} {:<28} {}\n", "LETTER", "KIND",
                                "STATUS", "SINCE", "BATCH", "REASON");
  for (const auto& l : letters) {
    out += fmt::format("{:<28} {:<26} {:<10} {:<21} {:<28} {}\n", l.letter_id,
                       LetterKindName(l.kind), LetterStatusName(l.status), When(l.status_ms),
                       l.batch_id.empty() ? "-" : l.batch_id, Reason(l.reason_code, l.reason_text));
  }
  return out;
}

Result<std::string> PrintCtl::ShowLetter(std::string_view letter_id) {
  HUB_ASSIGN_OR_RETURN(auto found, spooler_.store().Find(letter_id));
  if (!found) {
    return Status::NotFound(fmt::format("letter {} is not known to the print adapter", letter_id),
                            "letter_id");
  }
  const LetterRecord& l = *found;
  HUB_ASSIGN_OR_RETURN(auto history, spooler_.store().History(letter_id));
  HUB_ASSIGN_OR_RETURN(auto reprints, spooler_.store().ReprintsOf(letter_id));
  std::string out;
  auto row = [&out](std::string_view label, std::string_view value) {
    out += fmt::format("{:<13} {}\n", label, value);
  };
  row("letter", l.letter_id);
  row("kind", LetterKindName(l.kind));
  row("nhs number", booking::FormatNhsNumber(l.nhs_number));
  std::string reason = Reason(l.reason_code, l.reason_text);
  row("status", fmt::format("{} since {}{}", LetterStatusName(l.status), When(l.status_ms),
                            reason.empty() ? "" : " (" + reason + ")"));
  if (RaisesDemographicsCheck(l.status)) {
    row("", "returned mail: the booking service has a demographics-check task for this patient");
  }
  row("letter date", l.letter_date);
  row("batch", l.batch_id.empty() ? "- (waiting for the next batch)" : l.batch_id);
  row("pages", fmt::format("{} on {} sheet{}, {}, {}, {} class", l.page_count, l.sheet_count,
                           l.sheet_count == 1 ? "" : "s", l.duplex ? "duplex" : "simplex",
                           l.colour ? "colour" : "black", PostageName(l.postage)));
  row("sha256", l.sha256);
  if (!l.reprint_of.empty()) row("reprint of", l.reprint_of);
  for (const auto& id : reprints) row("reprinted as", id);
  if (CanReprint(l.status) && reprints.empty()) {
    row("", fmt::format("can be {}reprinted", CanCancel(l.status) ? "cancelled or " : ""));
  }
  out += "history:\n";
  for (const auto& h : history) {
    std::string why = Reason(h.reason_code, h.reason_text);
    out += fmt::format("  {:<21} {:<10} -> {:<10} {}{}\n", When(h.at_ms),
                       h.previous == LetterStatus::kUnspecified ? "" : LetterStatusName(h.previous),
                       LetterStatusName(h.status), h.source, why.empty() ? "" : ": " + why);
  }
  return out;
}

Result<std::string> PrintCtl::ListBatches(int limit) {
  HUB_ASSIGN_OR_RETURN(auto batches, spooler_.store().RecentBatches(limit));
  if (batches.empty()) return std::string("no batches\n");
  std::string out =
      fmt::format("{:<28} {:<10} {:>7}  {}\n", "BATCH", "STATE", "LETTERS", "CREATED");
  for (const auto& b : batches) {
    out += fmt::format("{:<28} {:<10} {:>7}  {}\n", b.batch_id, BatchStateName(b.state),
                       b.letter_count, When(b.created_ms));
  }
  out += fmt::format("(complete batches are folders in {})\n", config_.folders.outbox);
  return out;
}

Result<std::string> PrintCtl::Reprint(std::string_view letter_id, std::string_view who) {
  HUB_ASSIGN_OR_RETURN(
      auto r, spooler_.Reprint(letter_id, who, OutboxStatusSink(*db_, spooler_.store(), clock_)));
  HUB_ASSIGN_OR_RETURN(auto old, spooler_.store().Find(letter_id));
  std::string old_fate = "it stays " + std::string(old ? LetterStatusName(old->status) : "");
  if (old && old->status == LetterStatus::kCancelled) {
    old_fate = old->batch_id.empty()
                   ? "the old one is cancelled"
                   : fmt::format(
                         "the old one is cancelled, and the vendor, who has it in batch "
                         "{}, is sent a cancellation notice",
                         old->batch_id);
  }
  return fmt::format("letter {} reprinted as {} ({} page{}), for the next batch; {}\n", letter_id,
                     r.record.letter_id, r.record.page_count, r.record.page_count == 1 ? "" : "s",
                     old_fate);
}

Result<std::string> PrintCtl::Cancel(std::string_view letter_id, std::string_view who,
                                     std::string_view reason) {
  if (reason.find_first_not_of(' ') == std::string_view::npos) {
    return Status::InvalidArgument(
        "give a reason (--reason): it is kept in the letter's history and sent to the booking "
        "service",
        "reason");
  }
  HUB_ASSIGN_OR_RETURN(auto u, spooler_.Cancel(letter_id, who, reason,
                                               OutboxStatusSink(*db_, spooler_.store(), clock_)));
  if (u.previous == LetterStatus::kCancelled) {
    return fmt::format("letter {} was already cancelled\n", letter_id);
  }
  HUB_ASSIGN_OR_RETURN(auto record, spooler_.store().Find(letter_id));
  bool with_vendor = record && !record->batch_id.empty();
  return fmt::format("letter {} cancelled (was {}){}\n", letter_id, LetterStatusName(u.previous),
                     with_vendor ? fmt::format("; the vendor has it in batch {} and is sent a "
                                               "cancellation notice by the print adapter "
                                               "(outbox/cancellations-*.csv)",
                                               record->batch_id)
                                 : "; it had not gone to the vendor");
}

}  // namespace hub::print
