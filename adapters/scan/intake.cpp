// The bureau's batches: take, check each document, store, send, finish.
#include "adapters/scan/intake.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <set>

#include "adapters/common/durable_file.hpp"
#include "adapters/common/outbox.hpp"
#include "adapters/scan/barcode_reader.hpp"
#include "schemas/error.hpp"
#include "schemas/scan.hpp"

namespace hub::scan {

namespace fs = std::filesystem;
using adapters::ListDirectory;
using adapters::MakeDirectories;
using adapters::ReadWholeFile;
using adapters::RemoveAll;
using adapters::RenameDurably;
using adapters::SyncDirectory;
using adapters::WriteFileDurably;

namespace {

constexpr std::string_view kPartSuffix = ".part";

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A check that failed: the reason and words for the team.
struct Failure {
  ExceptionReason reason;
  std::string detail;
};

}  // namespace

Intake::Intake(storage::Database& db, const ScanConfig& config, CoversheetSpooler& coversheets,
               const Clock& clock)
    : db_(db), config_(config), coversheets_(coversheets), clock_(clock) {}

std::string Intake::Relative(const std::string& path) const {
  return fs::path(path).lexically_relative(config_.data_dir).string();
}

Status Intake::Recover() {
  const ScanFolders& f = config_.folders;
  for (const auto* dir : {&f.inbox, &f.work, &f.done, &f.rejected, &f.documents, &f.exceptions}) {
    HUB_RETURN_IF_ERROR(MakeDirectories(*dir));
  }
  for (const auto* dir : {&f.work, &f.done, &f.rejected}) {
    HUB_ASSIGN_OR_RETURN(bool same, adapters::SameFilesystem(f.inbox, *dir));
    if (!same) {
      return Status::FailedPrecondition(fmt::format(
          "{} and {} must be on one filesystem (batches move by rename)", f.inbox, *dir));
    }
  }
  HUB_ASSIGN_OR_RETURN(auto names, ListDirectory(f.work));
  for (const auto& name : names) {
    HUB_ASSIGN_OR_RETURN(auto state, [&]() -> Result<std::string> {
      HUB_ASSIGN_OR_RETURN(auto* st,
                           db_.Cached("SELECT state FROM intake_batches WHERE batch_id = ?"));
      HUB_RETURN_IF_ERROR(st->BindAll(name));
      HUB_ASSIGN_OR_RETURN(bool row, st->Step());
      std::string s = row ? st->ColumnText(0) : "";
      st->Reset();
      return s;
    }());
    if (state.empty()) {
      HUB_RETURN_IF_ERROR(Register(name));  // moved here, then the process died
    } else if (state == "DONE") {
      HUB_RETURN_IF_ERROR(RenameDurably(f.work + "/" + name, f.done + "/" + name));
    }
  }
  return Status::Ok();
}

Status Intake::Reject(const std::string& folder, const std::string& name, const std::string& why) {
  const ScanFolders& f = config_.folders;
  std::string target = f.rejected + "/" + name;
  std::error_code ec;
  for (int n = 1; fs::exists(target, ec) || fs::exists(target + ".error.txt", ec); ++n) {
    target = fmt::format("{}/{}.{}", f.rejected, name, n);
  }
  HUB_RETURN_IF_ERROR(RenameDurably(folder, target));
  HUB_RETURN_IF_ERROR(WriteFileDurably(target + ".error.txt", why + "\n"));
  HUB_RETURN_IF_ERROR(SyncDirectory(f.rejected));
  spdlog::warn("scan batch {} refused: {} (see {}.error.txt)", name, why, target);
  return Status::Ok();
}

Status Intake::Register(const std::string& name) {
  const std::string folder = config_.folders.work + "/" + name;
  auto bytes = ReadWholeFile(folder + "/" + config_.intake.index_file);
  Result<std::vector<IndexRow>> rows =
      bytes.ok() ? ParseIndexFile(*bytes, config_.intake.max_documents)
                 : Result<std::vector<IndexRow>>(Status::InvalidArgument(
                       fmt::format("no {} in the batch folder", config_.intake.index_file)));
  if (!rows.ok()) {
    return Reject(folder, name,
                  fmt::format("{}: {}", config_.intake.index_file, rows.status().message()));
  }
  HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached("INSERT INTO intake_batches(batch_id, state, "
                                            "document_count, received_ms) VALUES (?, 'OPEN', ?, ?)"));
  HUB_RETURN_IF_ERROR(st->BindAll(name, static_cast<std::int64_t>(rows->size()), clock_.NowMs()));
  HUB_RETURN_IF_ERROR(st->Run());
  spdlog::info("scan batch {} taken in: {} documents", name, rows->size());
  rows_[name] = std::move(rows).value();
  return Status::Ok();
}

Result<TakenBatches> Intake::TakeNewBatches() {
  const ScanFolders& f = config_.folders;
  TakenBatches out;
  HUB_ASSIGN_OR_RETURN(auto names, ListDirectory(f.inbox));
  for (const auto& name : names) {
    std::error_code ec;
    if (name.empty() || name[0] == '.' || EndsWith(name, kPartSuffix) ||
        !fs::is_directory(f.inbox + "/" + name, ec)) {
      continue;  // still uploading, hidden, or not a batch folder
    }
    HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached("SELECT 1 FROM intake_batches WHERE batch_id = ?"));
    HUB_RETURN_IF_ERROR(st->BindAll(name));
    HUB_ASSIGN_OR_RETURN(bool seen, st->Step());
    st->Reset();
    if (seen || fs::exists(f.work + "/" + name, ec) || fs::exists(f.done + "/" + name, ec)) {
      HUB_RETURN_IF_ERROR(Reject(f.inbox + "/" + name, name,
                                 fmt::format("a batch named {} was already taken in; the bureau "
                                             "must give every batch a new name",
                                             name)));
      out.rejected.push_back(name);
      continue;
    }
    HUB_RETURN_IF_ERROR(RenameDurably(f.inbox + "/" + name, f.work + "/" + name));
    storage::Transaction txn(db_);
    HUB_RETURN_IF_ERROR(txn.status());
    HUB_RETURN_IF_ERROR(Register(name));  // or moves it to <rejected>/
    HUB_RETURN_IF_ERROR(txn.Commit());
    (fs::exists(f.work + "/" + name, ec) ? out.taken : out.rejected).push_back(name);
  }
  return out;
}

Result<const std::vector<IndexRow>*> Intake::Rows(const std::string& batch_id) {
  auto it = rows_.find(batch_id);
  if (it != rows_.end()) return &it->second;
  const std::string path = config_.folders.work + "/" + batch_id + "/" + config_.intake.index_file;
  HUB_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(path));
  auto rows = ParseIndexFile(bytes, config_.intake.max_documents);
  if (!rows.ok()) {
    return Status::Corruption(
        fmt::format("{}: the index was read when the batch was taken in, and now is not: {}",
                    path, rows.status().message()));
  }
  return &(rows_[batch_id] = std::move(rows).value());
}

Result<std::optional<DocumentOutcome>> Intake::ProcessNext() {
  HUB_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT batch_id FROM intake_batches WHERE state = "
                                            "'OPEN' ORDER BY received_ms, batch_id"));
  std::vector<std::string> open;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    open.push_back(st.ColumnText(0));
  }
  for (const auto& batch_id : open) {
    HUB_ASSIGN_OR_RETURN(const std::vector<IndexRow>* rows, Rows(batch_id));
    std::set<std::int64_t> done;
    HUB_ASSIGN_OR_RETURN(auto* d, db_.Cached("SELECT row FROM documents WHERE batch_id = ?"));
    HUB_RETURN_IF_ERROR(d->BindAll(batch_id));
    while (true) {
      HUB_ASSIGN_OR_RETURN(bool row, d->Step());
      if (!row) break;
      done.insert(d->ColumnInt(0));
    }
    d->Reset();
    for (const IndexRow& r : *rows) {
      if (done.count(r.row)) continue;
      HUB_ASSIGN_OR_RETURN(DocumentOutcome outcome, Process(batch_id, r));
      return std::optional<DocumentOutcome>(std::move(outcome));
    }
  }
  return std::optional<DocumentOutcome>();
}

Result<std::string> Intake::Store(const std::string& root, const std::string& batch_id,
                                  const IndexRow& row, const std::string& bytes) {
  const std::string folder = root + "/" + batch_id;
  const std::string path = fmt::format("{}/{:04}-{}", folder, row.row, row.file);
  HUB_RETURN_IF_ERROR(MakeDirectories(folder));
  HUB_RETURN_IF_ERROR(SyncDirectory(root));
  // A copy a crash left behind is replaced: the row was not committed, so it is redone whole.
  const std::string tmp = path + ".tmp";
  HUB_RETURN_IF_ERROR(RemoveAll(tmp));
  HUB_RETURN_IF_ERROR(WriteFileDurably(tmp, bytes));
  HUB_RETURN_IF_ERROR(RenameDurably(tmp, path));
  return Relative(path);
}

Result<DocumentOutcome> Intake::Process(const std::string& batch_id, const IndexRow& r) {
  const std::string document_id = fmt::format("{}-{:04}", batch_id, r.row);
  const std::string src = config_.folders.work + "/" + batch_id + "/" + r.file;
  std::string bytes, sha, barcode, barcode_source;
  std::optional<Coversheet> coversheet;
  std::optional<Failure> failure;
  bool have_file = false;

  if (!r.error.empty()) {
    failure = Failure{ExceptionReason::kIndexRowInvalid, r.error};
  }
  std::error_code ec;
  if (!failure && !fs::is_regular_file(src, ec)) {
    failure = Failure{ExceptionReason::kFileMissing,
                      fmt::format("the index names {}, which is not in the batch", r.file)};
  }
  if (!failure) {
    auto size = fs::file_size(src, ec);
    if (!ec && size > static_cast<std::uintmax_t>(config_.intake.max_file_mb) * 1024 * 1024) {
      failure = Failure{ExceptionReason::kIndexRowInvalid,
                        fmt::format("{} is {} MiB; at most {} MiB is read ([intake] max_file_mb)",
                                    r.file, size >> 20, config_.intake.max_file_mb)};
    }
  }
  if (!failure) {
    HUB_ASSIGN_OR_RETURN(bytes, ReadWholeFile(src));
    have_file = true;
    sha = Sha256Hex(bytes);
    if (sha != r.sha256) {
      failure = Failure{ExceptionReason::kChecksumMismatch,
                        fmt::format("{} has SHA-256 {}, the index says {}: damaged or replaced "
                                    "in transfer",
                                    r.file, sha, r.sha256)};
    }
  }
  std::optional<CoversheetIndex> index;
  if (!failure) {
    if (!r.barcode.empty()) {
      barcode = r.barcode;
      barcode_source = "INDEX";
      auto parsed = ParseIndex(barcode);
      if (!parsed.ok()) {
        failure = Failure{ExceptionReason::kBarcodeUnreadable,
                          fmt::format("the index's barcode value is not a coversheet index: {}",
                                      parsed.status().message())};
      } else {
        index = *parsed;
      }
    } else {
      barcode_source = "IMAGE";
      auto page = LoadFirstPage(src, config_.intake.decode_dpi);
      if (!page.ok()) {
        failure = Failure{ExceptionReason::kBarcodeUnreadable,
                          fmt::format("the first page cannot be read: {}", page.status().message())};
      } else {
        CoversheetReading reading = ReadCoversheet(*page);
        if (reading.index) {
          index = reading.index;
          barcode = *reading.index_text;
        } else if (reading.index_text) {
          barcode = *reading.index_text;
          failure = Failure{ExceptionReason::kBarcodeUnreadable,
                            fmt::format("the 2D symbol on the first page reads '{}', which is "
                                        "not a coversheet index",
                                        reading.index_text->substr(0, 80))};
        } else {
          failure = Failure{
              ExceptionReason::kBarcodeUnreadable,
              reading.coversheet_id
                  ? fmt::format("only the Code 128 ({}) could be read; without the 2D symbol "
                                "the NHS number cannot be checked",
                                *reading.coversheet_id)
                  : std::string("no coversheet barcode could be read on the first page")};
        }
      }
    }
  }
  if (!failure && !r.coversheet_id.empty() && r.coversheet_id != index->coversheet_id) {
    failure = Failure{ExceptionReason::kCoversheetMismatch,
                      fmt::format("the index says coversheet {}, the barcode says {}",
                                  r.coversheet_id, index->coversheet_id)};
  }
  if (!failure) {
    HUB_ASSIGN_OR_RETURN(coversheet, coversheets_.Find(index->coversheet_id));
    if (!coversheet) {
      failure = Failure{ExceptionReason::kUnknownCoversheet,
                        fmt::format("coversheet {} was never printed by this hub",
                                    index->coversheet_id)};
    } else if (index->nhs_number != coversheet->nhs_number) {
      failure = Failure{ExceptionReason::kNhsMismatch,
                        fmt::format("the barcode's NHS number {} is not {}, the NHS number of "
                                    "coversheet {}'s patient",
                                    index->nhs_number, coversheet->nhs_number,
                                    coversheet->coversheet_id)};
    } else if (index->Referral() != coversheet->referral_id ||
               index->document_type != coversheet->document_type) {
      failure = Failure{ExceptionReason::kCoversheetMismatch,
                        fmt::format("the barcode names referral {} ({}), coversheet {} is for "
                                    "referral {} ({})",
                                    index->Referral(), index->document_type,
                                    coversheet->coversheet_id, coversheet->referral_id,
                                    coversheet->document_type)};
    }
  }
  if (!failure) {
    HUB_ASSIGN_OR_RETURN(auto* st,
                         db_.Cached("SELECT document_id, coversheet_id, sha256 FROM documents "
                                    "WHERE state != 'EXCEPTION' AND (sha256 = ? OR "
                                    "coversheet_id = ?) ORDER BY created_ms LIMIT 1"));
    HUB_RETURN_IF_ERROR(st->BindAll(sha, coversheet->coversheet_id));
    HUB_ASSIGN_OR_RETURN(bool dup, st->Step());
    if (dup) {
      const std::string other = st->ColumnText(0);
      failure = Failure{ExceptionReason::kDuplicateScan,
                        st->ColumnText(2) == sha
                            ? fmt::format("the same file was already taken in as document {}", other)
                            : fmt::format("coversheet {} already has document {}; a second scan "
                                          "of it is not attached",
                                          coversheet->coversheet_id, other)};
    }
    st->Reset();
  }

  // Store the file first (fsynced), then commit its row: a crash in between redoes the row.
  std::string stored;
  if (have_file) {
    HUB_ASSIGN_OR_RETURN(stored, Store(failure ? config_.folders.exceptions
                                               : config_.folders.documents,
                                       batch_id, r, bytes));
  }
  if (fault_hook_) fault_hook_("intake.stored");
  const std::int64_t now = clock_.NowMs();
  storage::Transaction txn(db_);
  HUB_RETURN_IF_ERROR(txn.status());
  HUB_ASSIGN_OR_RETURN(
      auto* ins,
      db_.Cached("INSERT INTO documents(document_id, batch_id, row, file, state, reason, detail, "
                 "coversheet_id, referral_id, nhs_number, barcode, barcode_source, page_count, "
                 "scan_date, sha256, stored_path, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, "
                 "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  DocumentOutcome outcome{document_id, std::string(failure ? kException : kSent),
                          failure ? std::string(ExceptionReasonName(failure->reason)) : "",
                          failure ? failure->detail : ""};
  const std::string cs_id = coversheet ? coversheet->coversheet_id
                                       : (index ? index->coversheet_id : r.coversheet_id);
  HUB_RETURN_IF_ERROR(ins->BindAll(
      document_id, batch_id, r.row, r.file, outcome.state, outcome.reason, outcome.detail, cs_id,
      coversheet ? coversheet->referral_id : "", index ? index->nhs_number : "", barcode,
      barcode_source, r.page_count, r.scan_date, sha, stored, now, now));
  HUB_RETURN_IF_ERROR(ins->Run());
  if (!failure) {
    schemas::DocumentScanned body;
    body.document_id = document_id;
    body.coversheet_id = coversheet->coversheet_id;
    body.referral_id = coversheet->referral_id;
    body.nhs_number = coversheet->nhs_number;
    body.document_type = coversheet->document_type;
    body.document_date = coversheet->document_date;
    body.scan_date = r.scan_date;
    body.page_count = r.page_count;
    body.sha256 = sha;
    body.location = stored;
    body.batch_id = batch_id;
    wire::Envelope env = wire::MakeEnvelope(std::string(schemas::kDocumentScannedType),
                                            std::string(kScanSource), now,
                                            schemas::EncodeDocumentScanned(body));
    HUB_RETURN_IF_ERROR(adapters::OutboxAdd(db_, "booking", env, now));
  }
  HUB_RETURN_IF_ERROR(txn.Commit());
  if (fault_hook_) fault_hook_("intake.committed");
  if (failure) {
    spdlog::warn("scan document {} ({}) is an exception: {} — {}", document_id, r.file,
                 outcome.reason, outcome.detail);
  } else {
    spdlog::info("scan document {} ({}) matched coversheet {}; document.scanned queued",
                 document_id, r.file, cs_id);
  }
  return outcome;
}

Result<std::vector<std::string>> Intake::FinishBatches() {
  std::vector<std::string> finished;
  HUB_ASSIGN_OR_RETURN(
      auto st, db_.Prepare("SELECT b.batch_id FROM intake_batches b WHERE b.state = 'OPEN' AND "
                           "b.document_count = (SELECT count(*) FROM documents d WHERE "
                           "d.batch_id = b.batch_id AND d.state IN ('ATTACHED', 'EXCEPTION')) "
                           "ORDER BY b.received_ms"));
  std::vector<std::string> complete;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    complete.push_back(st.ColumnText(0));
  }
  for (const auto& name : complete) {
    HUB_ASSIGN_OR_RETURN(auto* done, db_.Cached("UPDATE intake_batches SET state = 'DONE', "
                                                "done_ms = ? WHERE batch_id = ?"));
    HUB_RETURN_IF_ERROR(done->BindAll(clock_.NowMs(), name));
    HUB_RETURN_IF_ERROR(done->Run());
    // Committed DONE first, then moved: Recover() moves a DONE batch still in <work>/.
    HUB_RETURN_IF_ERROR(
        RenameDurably(config_.folders.work + "/" + name, config_.folders.done + "/" + name));
    rows_.erase(name);
    spdlog::info("scan batch {} done: every document attached or on the exception list", name);
    finished.push_back(name);
  }
  return finished;
}

Status Intake::OnBookingReply(const wire::Envelope& sent, const wire::Envelope& reply) {
  if (sent.type != schemas::kDocumentScannedType) return Status::Ok();
  auto body = schemas::DecodeDocumentScanned(sent.body);
  if (!body.ok()) return Status::Ok();  // not ours to judge: we encoded it
  const std::int64_t now = clock_.NowMs();
  if (reply.type == schemas::kErrorType) {
    auto err = schemas::DecodeErrorBody(reply.body);
    std::string text = err.ok() ? schemas::StatusFromErrorBody(*err).ToString()
                                : std::string("an unreadable error reply");
    HUB_ASSIGN_OR_RETURN(auto* st,
                         db_.Cached("UPDATE documents SET state = 'EXCEPTION', reason = ?, "
                                    "detail = ?, updated_ms = ? WHERE document_id = ?"));
    HUB_RETURN_IF_ERROR(st->BindAll(ExceptionReasonName(ExceptionReason::kBookingRefused),
                                    "the booking service refused it: " + text, now,
                                    body->document_id));
    HUB_RETURN_IF_ERROR(st->Run());
    spdlog::warn("scan document {} refused by the booking service: {}", body->document_id, text);
    return Status::Ok();
  }
  HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached("UPDATE documents SET state = 'ATTACHED', "
                                            "updated_ms = ? WHERE document_id = ? AND state = "
                                            "'SENT'"));
  HUB_RETURN_IF_ERROR(st->BindAll(now, body->document_id));
  return st->Run();
}

}  // namespace hub::scan
