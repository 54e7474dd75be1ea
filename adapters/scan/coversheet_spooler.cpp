// Coversheet storage and print-batch publication.
#include "adapters/scan/coversheet_spooler.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "adapters/common/durable_file.hpp"
#include "hub/common/ulid.hpp"

namespace hub::scan {

namespace {

using adapters::MakeDirectories;
using adapters::RemoveAll;
using adapters::RenameDurably;
using adapters::SyncDirectory;
using adapters::WriteFileDurably;

constexpr const char* kColumns =
    "coversheet_id, nhs_number, mrn, patient_name, patient_birth_date, referral_id, ubrn, "
    "document_type, document_date, specialty";

Coversheet ReadCoversheet(const storage::Statement& st, int first = 0) {
  Coversheet c;
  std::string* fields[] = {&c.coversheet_id, &c.nhs_number,   &c.mrn,
                           &c.patient_name,  &c.patient_birth_date, &c.referral_id,
                           &c.ubrn,          &c.document_type, &c.document_date,
                           &c.specialty};
  int i = first;
  for (std::string* f : fields) *f = st.ColumnText(i++);
  return c;
}

}  // namespace

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

CoversheetSpooler::CoversheetSpooler(storage::Database& db, const ScanConfig& config,
                                     const Clock& clock)
    : db_(db), config_(config), clock_(clock), renderer_(config.layout) {}

Result<std::optional<Coversheet>> CoversheetSpooler::Find(const std::string& id) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_.Cached(fmt::format(
                                     "SELECT {} FROM coversheets WHERE coversheet_id = ?", kColumns)));
  HUB_RETURN_IF_ERROR(st->BindAll(id));
  HUB_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<Coversheet> out;
  if (row) out = ReadCoversheet(*st);
  st->Reset();
  return out;
}

Result<AcceptedCoversheet> CoversheetSpooler::AcceptInTransaction(Coversheet c) {
  HUB_RETURN_IF_ERROR(ValidateCoversheet(&c));
  HUB_ASSIGN_OR_RETURN(auto existing, Find(c.coversheet_id));
  if (existing) {
    if (*existing == c) return AcceptedCoversheet{c.coversheet_id, true};
    return Status::AlreadyExists(
        fmt::format("coversheet {} was already accepted with other values (referral {}, NHS "
                    "number {}); a new coversheet needs a new id",
                    c.coversheet_id, existing->referral_id, existing->nhs_number),
        "coversheet_id");
  }
  HUB_RETURN_IF_ERROR(renderer_.Render({Sheet{PatchCode::kNone, &c}}).status());
  HUB_ASSIGN_OR_RETURN(
      auto* st, db_.Cached(fmt::format("INSERT INTO coversheets({}, index_text, created_ms) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                       kColumns)));
  HUB_RETURN_IF_ERROR(st->BindAll(c.coversheet_id, c.nhs_number, c.mrn, c.patient_name,
                                  c.patient_birth_date, c.referral_id, c.ubrn, c.document_type,
                                  c.document_date, c.specialty, FormatIndex(IndexOf(c)),
                                  clock_.NowMs()));
  HUB_RETURN_IF_ERROR(st->Run());
  return AcceptedCoversheet{c.coversheet_id, false};
}

Result<std::int64_t> CoversheetSpooler::CountWaiting() {
  HUB_ASSIGN_OR_RETURN(auto n,
                       db_.QueryInt("SELECT count(*) FROM coversheets WHERE batch_id IS NULL"));
  return n.value_or(0);
}

Result<bool> CoversheetSpooler::Due() {
  HUB_ASSIGN_OR_RETURN(std::int64_t waiting, CountWaiting());
  if (waiting == 0) return false;
  if (waiting >= config_.batch.max_coversheets) return true;
  HUB_ASSIGN_OR_RETURN(
      auto oldest, db_.QueryInt("SELECT min(created_ms) FROM coversheets WHERE batch_id IS NULL"));
  return oldest && *oldest + std::int64_t{config_.batch.max_age_minutes} * 60'000 <= clock_.NowMs();
}

Result<std::vector<PublishedBatch>> CoversheetSpooler::CutDueBatches() {
  std::vector<PublishedBatch> out;
  // A batch a failure left WRITING is finished before a new one is cut.
  HUB_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT batch_id FROM print_batches WHERE state = "
                                            "'WRITING' ORDER BY created_ms"));
  std::vector<std::string> unfinished;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    unfinished.push_back(st.ColumnText(0));
  }
  for (const auto& id : unfinished) {
    HUB_ASSIGN_OR_RETURN(auto b, Publish(id));
    out.push_back(std::move(b));
  }
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool due, Due());
    if (!due) break;
    const std::string batch_id = "CSB-" + NewUlid();
    {
      storage::Transaction txn(db_);
      HUB_RETURN_IF_ERROR(txn.status());
      HUB_ASSIGN_OR_RETURN(auto* assign,
                           db_.Cached("UPDATE coversheets SET batch_id = ? WHERE coversheet_id IN "
                                      "(SELECT coversheet_id FROM coversheets WHERE batch_id IS "
                                      "NULL ORDER BY created_ms, coversheet_id LIMIT ?)"));
      HUB_RETURN_IF_ERROR(assign->BindAll(batch_id, config_.batch.max_coversheets));
      HUB_RETURN_IF_ERROR(assign->Run());
      const int count = db_.Changes();
      HUB_ASSIGN_OR_RETURN(auto* insert,
                           db_.Cached("INSERT INTO print_batches(batch_id, state, "
                                      "coversheet_count, created_ms) VALUES (?, 'WRITING', ?, ?)"));
      HUB_RETURN_IF_ERROR(insert->BindAll(batch_id, count, clock_.NowMs()));
      HUB_RETURN_IF_ERROR(insert->Run());
      HUB_RETURN_IF_ERROR(txn.Commit());
    }
    HUB_ASSIGN_OR_RETURN(auto b, Publish(batch_id));
    out.push_back(std::move(b));
  }
  return out;
}

Result<PublishedBatch> CoversheetSpooler::Publish(const std::string& batch_id) {
  const std::string staged = config_.folders.staging + "/" + batch_id;
  const std::string published = config_.folders.coversheets + "/" + batch_id;
  HUB_RETURN_IF_ERROR(MakeDirectories(config_.folders.coversheets));
  std::vector<Coversheet> sheets;
  {
    HUB_ASSIGN_OR_RETURN(auto st, db_.Prepare(fmt::format(
                                      "SELECT {} FROM coversheets WHERE batch_id = ? ORDER BY "
                                      "created_ms, coversheet_id",
                                      kColumns)));
    HUB_RETURN_IF_ERROR(st.BindAll(batch_id));
    while (true) {
      HUB_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      sheets.push_back(ReadCoversheet(st));
    }
  }
  std::error_code ec;
  if (!std::filesystem::exists(published, ec)) {
    // Written afresh every time: whatever a crash left in staging is discarded.
    HUB_RETURN_IF_ERROR(RemoveAll(staged));
    HUB_RETURN_IF_ERROR(MakeDirectories(staged));
    std::vector<Sheet> pages;
    std::string manifest =
        "batch_id,page,coversheet_id,referral_id,nhs_number,patient_name,document_type\n";
    if (config_.batch.batch_separator) pages.push_back({PatchCode::kPatch3, nullptr});
    for (const auto& c : sheets) {
      if (config_.batch.separator != PatchCode::kNone) {
        pages.push_back({config_.batch.separator, nullptr});
      }
      pages.push_back({PatchCode::kNone, &c});
      manifest += fmt::format("{},{},{},{},{},{},{}\n", batch_id, pages.size(),
                              CsvField(c.coversheet_id), CsvField(c.referral_id), c.nhs_number,
                              CsvField(c.patient_name), CsvField(c.document_type));
    }
    HUB_ASSIGN_OR_RETURN(std::string pdf, renderer_.Render(pages));
    HUB_RETURN_IF_ERROR(WriteFileDurably(staged + "/coversheets.pdf", pdf));
    HUB_RETURN_IF_ERROR(WriteFileDurably(staged + "/manifest.csv", manifest));
    HUB_RETURN_IF_ERROR(SyncDirectory(staged));
    HUB_RETURN_IF_ERROR(Fault("print.staged"));
    HUB_RETURN_IF_ERROR(RenameDurably(staged, published));
    HUB_RETURN_IF_ERROR(Fault("print.renamed"));
  }
  storage::Transaction txn(db_);
  HUB_RETURN_IF_ERROR(txn.status());
  const std::int64_t now = clock_.NowMs();
  HUB_ASSIGN_OR_RETURN(auto* done, db_.Cached("UPDATE print_batches SET state = 'DONE', "
                                              "published_ms = ? WHERE batch_id = ?"));
  HUB_RETURN_IF_ERROR(done->BindAll(now, batch_id));
  HUB_RETURN_IF_ERROR(done->Run());
  HUB_ASSIGN_OR_RETURN(auto* printed,
                       db_.Cached("UPDATE coversheets SET printed_ms = ? WHERE batch_id = ?"));
  HUB_RETURN_IF_ERROR(printed->BindAll(now, batch_id));
  HUB_RETURN_IF_ERROR(printed->Run());
  HUB_RETURN_IF_ERROR(txn.Commit());
  return PublishedBatch{batch_id, published, static_cast<int>(sheets.size())};
}

Status CoversheetSpooler::Recover() {
  HUB_RETURN_IF_ERROR(MakeDirectories(config_.folders.staging));
  HUB_RETURN_IF_ERROR(MakeDirectories(config_.folders.coversheets));
  HUB_ASSIGN_OR_RETURN(bool same, adapters::SameFilesystem(config_.folders.staging,
                                                           config_.folders.coversheets));
  if (!same) {
    return Status::FailedPrecondition(fmt::format(
        "{} and {} must be on one filesystem (a print batch is published by rename)",
        config_.folders.staging, config_.folders.coversheets));
  }
  HUB_RETURN_IF_ERROR(CutDueBatches().status());  // finishes any WRITING batch
  HUB_ASSIGN_OR_RETURN(auto left, adapters::ListDirectory(config_.folders.staging));
  for (const auto& name : left) {
    HUB_RETURN_IF_ERROR(RemoveAll(config_.folders.staging + "/" + name));
  }
  return Status::Ok();
}

}  // namespace hub::scan
