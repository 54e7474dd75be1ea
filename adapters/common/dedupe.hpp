// Consumer-side dedupe (DESIGN §3): a consumer records each envelope id it has processed, with
// its reply, in the same transaction as the state change. A redelivered request is answered with
// the recorded reply and changes nothing. Include kDedupeMigrationSql in the consumer's
// migrations.
#pragma once

#include <optional>
#include <string>

#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"

namespace hub::adapters {

extern const char* const kDedupeMigrationSql;

// The reply recorded for `msg_id`, or nullopt when it has not been processed.
Result<std::optional<std::string>> FindProcessed(storage::Database& db, const std::string& msg_id);
// Records `msg_id` as processed with `reply`. Must run in the state change's transaction.
Status RecordProcessed(storage::Database& db, const std::string& msg_id, std::string_view reply,
                       std::int64_t now_ms);
// Deletes records older than `cutoff_ms` (kept at least as long as producers may resend).
Result<std::int64_t> PurgeProcessed(storage::Database& db, std::int64_t cutoff_ms);

}  // namespace hub::adapters
