// The print adapter's operations over print.db and var/print/.
#include "adapters/print/print_spooler.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "adapters/common/durable_file.hpp"
#include "adapters/print/letter_composer.hpp"
#include "adapters/print/manifest.hpp"
#include "adapters/print/status_file.hpp"
#include "hub/booking/calendar.hpp"

namespace hub::print {

namespace fs = std::filesystem;
// Durable writes and atomic renames are shared with the scan adapter (adapters/common).
using adapters::ListDirectory;
using adapters::MakeDirectories;
using adapters::ReadWholeFile;
using adapters::RemoveAll;
using adapters::RenameDurably;
using adapters::SameFilesystem;
using adapters::SyncDirectory;
using adapters::WriteFileDurably;

namespace {

constexpr std::int64_t kMsPerMinute = 60'000;

std::string Join(const std::string& dir, const std::string& name) {
  return (fs::path(dir) / name).string();
}

bool Exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

std::string Trim(std::string_view s) {
  auto b = s.find_first_not_of(' ');
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(' ');
  return std::string(s.substr(b, e - b + 1));
}

// `folder/name`, or `folder/name.1`, `.2`... when a file of that name is already there (a vendor
// may reuse file names).
std::string FreeName(const std::string& folder, const std::string& name) {
  std::string target = Join(folder, name);
  for (int n = 1; Exists(target); ++n) target = Join(folder, fmt::format("{}.{}", name, n));
  return target;
}

Result<LetterRequest> ParseStoredRequest(const std::string& json_text, std::string_view letter_id) {
  auto json = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return Status::Corruption(
        fmt::format("print.db: the stored request of letter {} is not JSON", letter_id));
  }
  auto request = LetterRequestFromJson(json);
  if (!request.ok()) {
    return Status::Corruption(fmt::format("print.db: the stored request of letter {}: {}",
                                          letter_id, request.status().ToString()));
  }
  return request;
}

StatusUpdate ToUpdate(const StatusChange& c) {
  StatusUpdate u;
  u.letter_id = c.letter_id;
  u.previous = c.previous;
  u.status = c.status;
  u.at_ms = c.at_ms;
  u.reason_code = c.reason_code;
  u.reason_text = c.reason_text;
  u.demographics_check = RaisesDemographicsCheck(c.status);
  u.source = c.source;
  return u;
}

}  // namespace

PrintSpooler::PrintSpooler(storage::Database& db, const PrintConfig& config,
                           const TemplateSet& templates, const Clock& clock, SpoolerRole role)
    : db_(db),
      store_(db),
      config_(config),
      templates_(templates),
      clock_(clock),
      role_(role),
      renderer_(config),
      ulids_(clock) {}

Status PrintSpooler::RequireAdapter(std::string_view what) const {
  if (role_ == SpoolerRole::kAdapter) return Status::Ok();
  return Status::FailedPrecondition(
      fmt::format("{}: only the print adapter process (hub adapter print) writes the print "
                  "folders",
                  what));
}

Status PrintSpooler::Recover() {
  HUB_RETURN_IF_ERROR(RequireAdapter("recover"));
  const PrintFolders& f = config_.folders;
  for (const std::string* dir : {&f.outbox, &f.staging, &f.inbox, &f.done, &f.error}) {
    HUB_RETURN_IF_ERROR(MakeDirectories(*dir));
  }
  HUB_ASSIGN_OR_RETURN(bool same, SameFilesystem(f.staging, f.outbox));
  if (!same) {
    return Status::FailedPrecondition(fmt::format(
        "{}: [folders] staging ({}) and outbox ({}) are on different filesystems, so a batch "
        "could not be moved into the outbox in one atomic rename",
        config_.config_path, f.staging, f.outbox));
  }
  HUB_RETURN_IF_ERROR(FinishUnpublished(nullptr));
  // Anything left in staging was being written when the process died and is rebuilt from
  // print.db (batches above, notices below), so it goes.
  HUB_ASSIGN_OR_RETURN(auto leftovers, ListDirectory(f.staging));
  for (const auto& name : leftovers) HUB_RETURN_IF_ERROR(RemoveAll(Join(f.staging, name)));
  if (!leftovers.empty()) HUB_RETURN_IF_ERROR(SyncDirectory(f.staging));
  return WriteCancelNotices();
}

// ---- accepting letters ----------------------------------------------------------------------

Result<std::optional<AcceptedLetter>> PrintSpooler::Redelivery(const LetterRequest& request,
                                                               const std::string& request_sha256) {
  if (request.letter_id.empty()) return std::optional<AcceptedLetter>();
  HUB_ASSIGN_OR_RETURN(auto existing, store_.Find(request.letter_id));
  if (!existing) return std::optional<AcceptedLetter>();
  if (existing->request_sha256 != request_sha256) {
    return Status::AlreadyExists(
        fmt::format("letter id {} was already used for a different letter", request.letter_id),
        "letter_id");
  }
  return std::optional<AcceptedLetter>(AcceptedLetter{*existing, true});
}

Result<AcceptedLetter> PrintSpooler::Accept(const LetterRequest& request) {
  std::string request_json = LetterRequestToJson(request).dump();
  std::string request_sha256 = Sha256Hex(request_json);
  HUB_ASSIGN_OR_RETURN(auto redelivered, Redelivery(request, request_sha256));
  if (redelivered) return *redelivered;
  // Rendered before the write transaction, so the lock is held only to store the result.
  HUB_ASSIGN_OR_RETURN(auto letter, Prepare(request, std::move(request_json), request_sha256, ""));
  storage::Transaction txn(db_);
  HUB_RETURN_IF_ERROR(txn.status());
  HUB_RETURN_IF_ERROR(Store(letter, "hub", "").status());
  HUB_RETURN_IF_ERROR(txn.Commit());
  return AcceptedLetter{std::move(letter.record), false};
}

Result<AcceptedLetter> PrintSpooler::AcceptInTransaction(const LetterRequest& request,
                                                         const StatusSink& sink) {
  if (!db_.InTransaction()) {
    return Status::Internal("AcceptInTransaction called outside a transaction");
  }
  std::string request_json = LetterRequestToJson(request).dump();
  std::string request_sha256 = Sha256Hex(request_json);
  HUB_ASSIGN_OR_RETURN(auto redelivered, Redelivery(request, request_sha256));
  if (redelivered) return *redelivered;
  HUB_ASSIGN_OR_RETURN(auto letter, Prepare(request, std::move(request_json), request_sha256, ""));
  HUB_ASSIGN_OR_RETURN(StatusChange change, Store(letter, "hub", ""));
  if (sink) HUB_RETURN_IF_ERROR(sink(ToUpdate(change)));
  return AcceptedLetter{std::move(letter.record), false};
}

Result<PrintSpooler::PreparedLetter> PrintSpooler::Prepare(const LetterRequest& request,
                                                           std::string request_json,
                                                           const std::string& request_sha256,
                                                           const std::string& reprint_of) {
  std::int64_t now = clock_.NowMs();
  std::string letter_date = booking::FormatIsoDate(booking::LondonDateAt(now));
  HUB_ASSIGN_OR_RETURN(auto composed, ComposeLetter(request, config_, templates_, letter_date));
  HUB_ASSIGN_OR_RETURN(auto rendered, renderer_.Render(composed));

  PreparedLetter p;
  LetterRecord& r = p.record;
  r.letter_id = request.letter_id;
  r.kind = request.kind;
  r.nhs_number = composed.nhs_number;
  r.letter_date = letter_date;
  r.request_sha256 = request_sha256;
  r.status = LetterStatus::kPending;
  r.status_ms = now;
  r.reprint_of = reprint_of;
  r.page_count = rendered.page_count;
  r.sheet_count = rendered.sheet_count;
  r.sha256 = Sha256Hex(rendered.pdf);
  r.postage = composed.postage;
  r.duplex = composed.duplex;
  r.colour = composed.colour;
  r.created_ms = now;
  p.request_json = std::move(request_json);
  p.pdf = std::move(rendered.pdf);
  return p;
}

Result<StatusChange> PrintSpooler::Store(const PreparedLetter& letter, std::string source,
                                         std::string reason_text) {
  const LetterRecord& r = letter.record;
  HUB_RETURN_IF_ERROR(store_.Insert(r, letter.request_json, letter.pdf));
  StatusChange change{r.letter_id, LetterStatus::kUnspecified, LetterStatus::kPending, r.created_ms,
                      "",          std::move(reason_text),     std::move(source)};
  HUB_RETURN_IF_ERROR(store_.ApplyStatus(change, r.created_ms));
  return change;
}

// ---- batches ---------------------------------------------------------------------------------

Result<std::vector<DeliveredBatch>> PrintSpooler::CutDueBatches() {
  HUB_RETURN_IF_ERROR(RequireAdapter("cut batches"));
  return Cut(false);
}

Result<std::vector<DeliveredBatch>> PrintSpooler::Flush() {
  HUB_RETURN_IF_ERROR(RequireAdapter("flush"));
  return Cut(true);
}

Result<std::optional<std::int64_t>> PrintSpooler::NextDueMs() {
  HUB_ASSIGN_OR_RETURN(std::int64_t waiting, store_.CountWaiting());
  if (waiting == 0) return std::optional<std::int64_t>();
  if (waiting >= config_.batch.max_letters) return std::optional<std::int64_t>(clock_.NowMs());
  HUB_ASSIGN_OR_RETURN(auto oldest, store_.OldestWaitingMs());
  return std::optional<std::int64_t>(oldest.value_or(clock_.NowMs()) +
                                     config_.batch.max_age_minutes * kMsPerMinute);
}

Status PrintSpooler::FinishUnpublished(std::vector<DeliveredBatch>* delivered) {
  // READY first: their staging folders are complete and must not be rebuilt.
  HUB_ASSIGN_OR_RETURN(auto ready, store_.BatchesInState(BatchState::kReady));
  for (const auto& b : ready) {
    HUB_ASSIGN_OR_RETURN(auto batch, PublishReady(b.batch_id));
    if (delivered) delivered->push_back(std::move(batch));
  }
  HUB_ASSIGN_OR_RETURN(auto writing, store_.BatchesInState(BatchState::kWriting));
  for (const auto& b : writing) {
    HUB_ASSIGN_OR_RETURN(auto batch, WriteBatch(b.batch_id));
    if (delivered) delivered->push_back(std::move(batch));
  }
  return Status::Ok();
}

Result<std::vector<DeliveredBatch>> PrintSpooler::Cut(bool everything) {
  std::vector<DeliveredBatch> delivered;
  // A batch whose writing failed earlier (disk full, say) is finished before any new one.
  HUB_RETURN_IF_ERROR(FinishUnpublished(&delivered));
  while (true) {
    HUB_ASSIGN_OR_RETURN(std::int64_t waiting, store_.CountWaiting());
    if (waiting == 0) break;
    if (!everything && waiting < config_.batch.max_letters) {
      HUB_ASSIGN_OR_RETURN(auto oldest, store_.OldestWaitingMs());
      if (!oldest || clock_.NowMs() - *oldest < config_.batch.max_age_minutes * kMsPerMinute) break;
    }
    std::string batch_id = ulids_.Next();
    {
      storage::Transaction txn(db_);
      HUB_RETURN_IF_ERROR(txn.status());
      HUB_RETURN_IF_ERROR(
          store_.CreateBatch(batch_id, config_.batch.max_letters, clock_.NowMs()).status());
      HUB_RETURN_IF_ERROR(txn.Commit());
    }
    Hook("batch.assigned");
    HUB_ASSIGN_OR_RETURN(auto batch, WriteBatch(batch_id));
    delivered.push_back(std::move(batch));
  }
  return delivered;
}

Result<DeliveredBatch> PrintSpooler::WriteBatch(const std::string& batch_id) {
  const std::string staging = Join(config_.folders.staging, batch_id);
  HUB_RETURN_IF_ERROR(RemoveAll(staging));
  HUB_RETURN_IF_ERROR(MakeDirectories(staging));
  HUB_ASSIGN_OR_RETURN(auto letters, store_.BatchLetters(batch_id));
  HUB_ASSIGN_OR_RETURN(auto batch, store_.FindBatch(batch_id));
  if (!batch) return Status::Internal(fmt::format("batch {} vanished from print.db", batch_id));

  Manifest manifest;
  manifest.batch_id = batch_id;
  manifest.created_ms = batch->created_ms;
  for (const auto& letter : letters) {
    HUB_ASSIGN_OR_RETURN(std::string pdf, store_.LoadPdf(letter.letter_id));
    if (Sha256Hex(pdf) != letter.sha256) {
      return Status::Corruption(fmt::format(
          "print.db: the PDF of letter {} no longer matches its SHA-256; batch {} not written",
          letter.letter_id, batch_id));
    }
    HUB_ASSIGN_OR_RETURN(std::string json, store_.LoadRequestJson(letter.letter_id));
    HUB_ASSIGN_OR_RETURN(LetterRequest request, ParseStoredRequest(json, letter.letter_id));
    ManifestEntry e;
    e.letter_id = letter.letter_id;
    e.file = letter.letter_id + ".pdf";
    e.kind = letter.kind;
    e.nhs_number = letter.nhs_number;
    e.recipient_name = Trim(request.recipient.name);
    for (const auto& line : request.recipient.lines) {
      if (std::string t = Trim(line); !t.empty()) e.address_lines.push_back(std::move(t));
    }
    e.postcode = NormalisePostcode(request.recipient.postcode);
    e.page_count = letter.page_count;
    e.sheet_count = letter.sheet_count;
    e.sha256 = letter.sha256;
    e.postage = letter.postage;
    e.envelope = config_.window.envelope;
    e.duplex = letter.duplex;
    e.colour = letter.colour;
    HUB_RETURN_IF_ERROR(WriteFileDurably(Join(staging, e.file), pdf));
    Hook("batch.file_written");
    manifest.letters.push_back(std::move(e));
  }
  HUB_RETURN_IF_ERROR(WriteFileDurably(Join(staging, "manifest.csv"), ManifestCsv(manifest)));
  Hook("batch.file_written");
  HUB_RETURN_IF_ERROR(WriteFileDurably(Join(staging, "manifest.json"), ManifestJson(manifest)));
  Hook("batch.file_written");
  HUB_RETURN_IF_ERROR(SyncDirectory(staging));
  HUB_RETURN_IF_ERROR(SyncDirectory(config_.folders.staging));
  Hook("batch.staged");
  HUB_RETURN_IF_ERROR(store_.SetBatchState(batch_id, BatchState::kReady, clock_.NowMs()));
  Hook("batch.ready");
  return PublishReady(batch_id);
}

Result<DeliveredBatch> PrintSpooler::PublishReady(const std::string& batch_id) {
  const std::string staging = Join(config_.folders.staging, batch_id);
  const std::string target = Join(config_.folders.outbox, batch_id);
  // READY means the staging folder was complete and durable before this state was committed;
  // if it is neither in staging nor in the outbox, it was renamed and the vendor took it.
  if (!Exists(target) && Exists(staging)) {
    HUB_RETURN_IF_ERROR(RenameDurably(staging, target));
    Hook("batch.renamed");
  }
  std::int64_t now = clock_.NowMs();
  storage::Transaction txn(db_);
  HUB_RETURN_IF_ERROR(txn.status());
  // Read under the write lock: `hub ctl print cancel` may have cancelled a letter of this batch
  // since the batch was written, and BATCHED must not overwrite that.
  HUB_ASSIGN_OR_RETURN(auto letters, store_.BatchLetters(batch_id));
  HUB_RETURN_IF_ERROR(store_.SetBatchState(batch_id, BatchState::kDelivered, now));
  for (const auto& letter : letters) {
    if (letter.status != LetterStatus::kPending) continue;
    HUB_RETURN_IF_ERROR(store_.ApplyStatus(
        {letter.letter_id, LetterStatus::kPending, LetterStatus::kBatched, now, "", "", "hub"},
        now));
  }
  HUB_RETURN_IF_ERROR(txn.Commit());
  Hook("batch.delivered");
  return DeliveredBatch{batch_id, target, static_cast<int>(letters.size())};
}

// ---- cancellations and reprints ----------------------------------------------------------------

Status PrintSpooler::Cancelled(const LetterRecord& record, std::string_view source,
                               std::string_view reason, std::string_view replaced_by,
                               const StatusSink& sink, StatusUpdate* update) {
  std::int64_t now = clock_.NowMs();
  StatusChange change{record.letter_id,    record.status,      LetterStatus::kCancelled, now, "",
                      std::string(reason), std::string(source)};
  HUB_RETURN_IF_ERROR(store_.ApplyStatus(change, now));
  // Once in a batch the vendor has the letter, or will have it: tell them.
  if (!record.batch_id.empty()) {
    HUB_RETURN_IF_ERROR(store_.QueueCancelNotice({record.letter_id, record.batch_id, now}));
  }
  *update = ToUpdate(change);
  update->replaced_by = std::string(replaced_by);
  if (sink) HUB_RETURN_IF_ERROR(sink(*update));
  return Status::Ok();
}

Result<StatusUpdate> PrintSpooler::Cancel(std::string_view letter_id, std::string_view who,
                                          std::string_view reason, const StatusSink& sink) {
  StatusUpdate update;
  {
    storage::Transaction txn(db_);
    HUB_RETURN_IF_ERROR(txn.status());
    // Read under the write lock: the adapter may have put the letter in a batch since anyone
    // last looked, and then the vendor must be sent a cancellation notice.
    HUB_ASSIGN_OR_RETURN(auto record, store_.Find(letter_id));
    if (!record) {
      return Status::NotFound(fmt::format("letter {} is not known to the print adapter", letter_id),
                              "letter_id");
    }
    if (record->status == LetterStatus::kCancelled) {
      update.letter_id = record->letter_id;
      update.previous = update.status = LetterStatus::kCancelled;
      update.at_ms = record->status_ms;
      update.reason_text = record->reason_text;
      return update;
    }
    HUB_RETURN_IF_ERROR(CheckTransition(record->status, LetterStatus::kCancelled));
    HUB_RETURN_IF_ERROR(Cancelled(*record, fmt::format("ctl:{}", who), reason, "", sink, &update));
    HUB_RETURN_IF_ERROR(txn.Commit());
  }
  if (role_ == SpoolerRole::kAdapter) HUB_RETURN_IF_ERROR(WriteCancelNotices());
  return update;
}

Result<AcceptedLetter> PrintSpooler::Reprint(std::string_view letter_id, std::string_view who,
                                             const StatusSink& sink) {
  // A first look, to render outside the write lock; everything is checked again under it.
  auto reprintable = [&](const std::optional<LetterRecord>& record) -> Status {
    if (!record) {
      return Status::NotFound(
          fmt::format("letter {} is not known to the print adapter", letter_id), "letter_id");
    }
    HUB_ASSIGN_OR_RETURN(auto reprints, store_.ReprintsOf(letter_id));
    if (!reprints.empty()) {
      // Two live copies of one letter would both be posted.
      return Status::FailedPrecondition(
          fmt::format("letter {} was already reprinted as {}; reprint that letter instead",
                      letter_id, reprints.back()),
          "letter_id");
    }
    if (!CanReprint(record->status)) {
      return Status::FailedPrecondition(
          fmt::format("letter {} is {}: only a letter not yet dispatched (or rejected or failed) "
                      "can be reprinted",
                      letter_id, LetterStatusName(record->status)),
          "letter_id");
    }
    return Status::Ok();
  };
  HUB_ASSIGN_OR_RETURN(auto first_look, store_.Find(letter_id));
  HUB_RETURN_IF_ERROR(reprintable(first_look));
  HUB_ASSIGN_OR_RETURN(std::string json, store_.LoadRequestJson(letter_id));
  HUB_ASSIGN_OR_RETURN(LetterRequest request, ParseStoredRequest(json, letter_id));
  request.letter_id = ulids_.Next();
  std::string request_json = LetterRequestToJson(request).dump();
  std::string request_sha256 = Sha256Hex(request_json);
  HUB_ASSIGN_OR_RETURN(auto letter, Prepare(request, std::move(request_json), request_sha256,
                                            first_look->letter_id));
  {
    storage::Transaction txn(db_);
    HUB_RETURN_IF_ERROR(txn.status());
    HUB_ASSIGN_OR_RETURN(auto record, store_.Find(letter_id));
    HUB_RETURN_IF_ERROR(reprintable(record));
    std::string source = fmt::format("ctl:{}", who);
    HUB_ASSIGN_OR_RETURN(StatusChange pending,
                         Store(letter, source, fmt::format("reprint of {}", record->letter_id)));
    if (sink) HUB_RETURN_IF_ERROR(sink(ToUpdate(pending)));
    if (CanCancel(record->status)) {
      StatusUpdate cancelled;
      HUB_RETURN_IF_ERROR(Cancelled(*record, source,
                                    fmt::format("replaced by reprint {}", request.letter_id),
                                    request.letter_id, sink, &cancelled));
    }
    HUB_RETURN_IF_ERROR(txn.Commit());
  }
  if (role_ == SpoolerRole::kAdapter) HUB_RETURN_IF_ERROR(WriteCancelNotices());
  return AcceptedLetter{std::move(letter.record), false};
}

Status PrintSpooler::WriteCancelNotices() {
  HUB_RETURN_IF_ERROR(RequireAdapter("write cancellation notices"));
  {
    storage::Transaction txn(db_);
    HUB_RETURN_IF_ERROR(txn.status());
    HUB_ASSIGN_OR_RETURN(int assigned, store_.AssignCancelNotices(ulids_.Next()));
    if (assigned > 0) {
      HUB_RETURN_IF_ERROR(txn.Commit());
    }
  }
  HUB_ASSIGN_OR_RETURN(auto notice_ids, store_.UnwrittenNoticeIds());
  for (const auto& id : notice_ids) {
    HUB_ASSIGN_OR_RETURN(auto notices, store_.NoticeLetters(id));
    std::string csv = "letter_id,batch_id,cancelled_at\n";
    for (const auto& n : notices) {
      csv += fmt::format("{},{},{}\n", n.letter_id, n.batch_id, FormatTimestamp(n.cancelled_ms));
    }
    std::string name = "cancellations-" + id + ".csv";
    std::string staged = Join(config_.folders.staging, name);
    HUB_RETURN_IF_ERROR(RemoveAll(staged));
    HUB_RETURN_IF_ERROR(WriteFileDurably(staged, csv));
    // Written again after a crash, the notice replaces itself; a vendor that already took it
    // sees the same cancellations twice, which changes nothing.
    HUB_RETURN_IF_ERROR(RenameDurably(staged, Join(config_.folders.outbox, name)));
    HUB_RETURN_IF_ERROR(store_.MarkNoticeWritten(id));
  }
  return Status::Ok();
}

// ---- status returns ----------------------------------------------------------------------------

Result<InboxReport> PrintSpooler::IngestInbox(const StatusSink& sink) {
  HUB_RETURN_IF_ERROR(RequireAdapter("ingest status files"));
  InboxReport report;
  HUB_ASSIGN_OR_RETURN(auto names, ListDirectory(config_.folders.inbox));
  for (const auto& name : names) {
    if (name.empty() || name[0] == '.' || fs::path(name).extension() != ".csv") continue;
    std::error_code ec;
    if (!fs::is_regular_file(Join(config_.folders.inbox, name), ec)) continue;
    HUB_RETURN_IF_ERROR(IngestFile(name, sink, report));
  }
  return report;
}

Status PrintSpooler::IngestFile(const std::string& name, const StatusSink& sink,
                                InboxReport& report) {
  const std::string path = Join(config_.folders.inbox, name);
  HUB_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(path));
  std::string sha256 = Sha256Hex(bytes);
  HUB_ASSIGN_OR_RETURN(bool applied, store_.StatusFileApplied(sha256));
  if (applied) {
    HUB_RETURN_IF_ERROR(MoveToFolder(name, config_.folders.done));
    report.done.push_back(name);
    return Status::Ok();
  }
  ParsedStatusFile parsed = ParseStatusFile(bytes);
  std::vector<std::string> errors = parsed.errors;
  std::vector<StatusUpdate> updates;
  if (errors.empty()) {
    std::int64_t now = clock_.NowMs();
    storage::Transaction txn(db_);
    HUB_RETURN_IF_ERROR(txn.status());
    std::map<std::string, LetterStatus> current;  // as this file moves each letter along
    std::vector<StatusChange> changes;
    for (const auto& row : parsed.rows) {
      LetterStatus from;
      if (auto it = current.find(row.letter_id); it != current.end()) {
        from = it->second;
      } else {
        HUB_ASSIGN_OR_RETURN(auto record, store_.Find(row.letter_id));
        if (!record) {
          errors.push_back(
              fmt::format("line {}: letter {} is not known to the hub", row.line, row.letter_id));
          continue;
        }
        from = record->status;
      }
      if (row.status == from) continue;  // repeated: already applied
      if (Status ok = CheckTransition(from, row.status); !ok.ok()) {
        errors.push_back(
            fmt::format("line {}: letter {}: {}", row.line, row.letter_id, ok.message()));
        continue;
      }
      current[row.letter_id] = row.status;
      changes.push_back(
          {row.letter_id, from, row.status, row.at_ms, row.reason_code, row.reason_text, name});
    }
    if (errors.empty()) {
      for (const auto& c : changes) {
        HUB_RETURN_IF_ERROR(store_.ApplyStatus(c, now));
        updates.push_back(ToUpdate(c));
        if (sink) HUB_RETURN_IF_ERROR(sink(updates.back()));
      }
      HUB_RETURN_IF_ERROR(
          store_.RecordStatusFile(sha256, name, static_cast<int>(parsed.rows.size()), now));
      HUB_RETURN_IF_ERROR(txn.Commit());
    }
  }
  if (!errors.empty()) {
    std::string text = fmt::format(
        "{}: refused; no row of this file was applied. Fix every line below and drop the whole "
        "file into the inbox again.\n",
        name);
    for (const auto& e : errors) text += e + "\n";
    std::string target = FreeName(config_.folders.error, name);
    std::string error_txt = target + ".error.txt";
    HUB_RETURN_IF_ERROR(RemoveAll(error_txt));
    HUB_RETURN_IF_ERROR(WriteFileDurably(error_txt, text));
    HUB_RETURN_IF_ERROR(RenameDurably(path, target));
    report.failed.push_back(name);
    return Status::Ok();
  }
  HUB_RETURN_IF_ERROR(MoveToFolder(name, config_.folders.done));
  report.done.push_back(name);
  for (auto& u : updates) report.updates.push_back(std::move(u));
  return Status::Ok();
}

Status PrintSpooler::MoveToFolder(const std::string& name, const std::string& folder) {
  return RenameDurably(Join(config_.folders.inbox, name), FreeName(folder, name));
}

}  // namespace hub::print
