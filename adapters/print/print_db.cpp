// print.db for the adapter process: migrations, opening, the outbox status sink.
#include "adapters/print/print_db.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "adapters/common/dedupe.hpp"
#include "adapters/common/outbox.hpp"
#include "adapters/print/letter_mapping.hpp"
#include "hub/wire/envelope.hpp"

namespace hub::print {

namespace {
// A reprint of a reprint of ...: far beyond any real chain, and a bound on a corrupt loop.
constexpr int kMaxReprintChain = 1000;
}  // namespace

const std::vector<storage::Migration>& PrintDbMigrations() {
  static const std::vector<storage::Migration> migrations = [] {
    std::vector<storage::Migration> m = PrintMigrations();
    m.push_back(
        {2, "outbox: letter.status for the booking service", adapters::kOutboxMigrationSql});
    m.push_back({3, "processed: letter.requested envelopes already answered",
                 adapters::kDedupeMigrationSql});
    m.push_back({4, "indexes for hub ctl print", R"sql(
CREATE INDEX letters_recent ON letters(created_ms);
CREATE INDEX letters_status ON letters(status, created_ms);
CREATE INDEX letters_reprint ON letters(reprint_of) WHERE reprint_of IS NOT NULL;
CREATE INDEX batches_recent ON batches(created_ms);
)sql"});
    return m;
  }();
  return migrations;
}

Result<std::unique_ptr<storage::Database>> OpenPrintDb(const std::string& path, bool create) {
  std::error_code ec;
  if (!create && !std::filesystem::exists(path, ec)) {
    return Status::NotFound(fmt::format(
        "{}: no print database here; the print adapter (hub adapter print) creates it when it "
        "first starts",
        path));
  }
  storage::OpenOptions options;
  options.synchronous = storage::Synchronous::kFull;
  HUB_ASSIGN_OR_RETURN(auto db, storage::Database::Open(path, options));
  HUB_RETURN_IF_ERROR(storage::Migrate(*db, PrintDbMigrations()));
  return db;
}

Result<std::string> RequestedLetterId(LetterStore& store, const std::string& letter_id) {
  std::string id = letter_id;
  for (int hop = 0; hop < kMaxReprintChain; ++hop) {
    HUB_ASSIGN_OR_RETURN(auto record, store.Find(id));
    if (!record) {
      return Status::Corruption(fmt::format(
          "print.db: letter {} (in the reprint chain of {}) is missing", id, letter_id));
    }
    if (record->reprint_of.empty()) return id;
    id = record->reprint_of;
  }
  return Status::Corruption(
      fmt::format("print.db: the reprint chain of letter {} does not end", letter_id));
}

StatusSink OutboxStatusSink(storage::Database& db, LetterStore& store, const Clock& clock,
                            std::string corr) {
  return [&db, &store, &clock, corr = std::move(corr)](const StatusUpdate& update) -> Status {
    HUB_ASSIGN_OR_RETURN(std::string requested, RequestedLetterId(store, update.letter_id));
    auto body = LetterStatusFor(update, requested);
    if (!body) return Status::Ok();
    std::int64_t now = clock.NowMs();
    wire::Envelope env =
        wire::MakeEnvelope(std::string(schemas::kLetterStatusType), std::string(kPrintSource), now,
                           schemas::EncodeLetterStatus(*body), corr);
    return adapters::OutboxAdd(db, "booking", env, now);
  };
}

}  // namespace hub::print
