// SQLite access for every hub process (DESIGN §4): RAII handles, prepared statements,
// transactions, WAL, busy timeout, and numbered migrations via PRAGMA user_version.
// A Database is owned by one thread at a time; it is not safe to share one between threads.
// Each process opens only its own database file, except read-only inspection by `hub ctl`.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hub/common/status.hpp"

namespace hub::storage {

// A prepared statement. Move-only; must not outlive the Database that prepared it.
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite.
  Status BindInt(int index, std::int64_t value);
  Status BindDouble(int index, double value);
  Status BindText(int index, std::string_view value);
  Status BindBlob(int index, std::string_view bytes);
  Status BindNull(int index);
  Status BindOptionalText(int index, const std::optional<std::string>& value);

  // Binds each argument in order from parameter 1. Integers bind as INTEGER, string-likes as
  // TEXT, std::nullopt/nullptr as NULL. Blobs need BindBlob.
  template <typename... Args>
  Status BindAll(const Args&... args) {
    int index = 0;
    Status status;
    ((status.ok() ? (void)(status = BindOne(++index, args)) : (void)0), ...);
    return status;
  }

  // Runs one step: true when a row is ready to read, false when the statement is done.
  Result<bool> Step();
  // Steps to completion, ignoring rows; then resets so the statement can be reused.
  Status Run();
  // Resets the statement and clears its bindings, ready for reuse.
  void Reset();

  // Column accessors are 0-based and valid only while Step() last returned true.
  std::int64_t ColumnInt(int col) const;
  double ColumnDouble(int col) const;
  std::string ColumnText(int col) const;
  // Bytes valid until the next Step/Reset.
  std::string_view ColumnBlob(int col) const;
  bool ColumnIsNull(int col) const;
  std::optional<std::string> ColumnOptionalText(int col) const;

  bool valid() const { return stmt_ != nullptr; }
  sqlite3_stmt* raw() const { return stmt_; }

 private:
  Status BindOne(int i, std::int64_t v) { return BindInt(i, v); }
  Status BindOne(int i, int v) { return BindInt(i, v); }
  Status BindOne(int i, unsigned v) { return BindInt(i, static_cast<std::int64_t>(v)); }
  Status BindOne(int i, std::uint64_t v) { return BindInt(i, static_cast<std::int64_t>(v)); }
  Status BindOne(int i, bool v) { return BindInt(i, v ? 1 : 0); }
  Status BindOne(int i, double v) { return BindDouble(i, v); }
  Status BindOne(int i, std::string_view v) { return BindText(i, v); }
  Status BindOne(int i, const std::string& v) { return BindText(i, v); }
  Status BindOne(int i, const char* v) { return BindText(i, v); }
  Status BindOne(int i, std::nullopt_t) { return BindNull(i); }
  Status BindOne(int i, std::nullptr_t) { return BindNull(i); }
  Status BindOne(int i, const std::optional<std::string>& v) { return BindOptionalText(i, v); }
  Status BindOne(int i, const std::optional<std::int64_t>& v) {
    return v ? BindInt(i, *v) : BindNull(i);
  }
  Status Check(int rc, const char* what);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

enum class Synchronous { kOff, kNormal, kFull };

struct OpenOptions {
  bool read_only = false;
  bool wal = true;                          // journal_mode=WAL (ignored when read_only)
  Synchronous synchronous = Synchronous::kNormal;
  int busy_timeout_ms = 5000;               // how long to wait on a lock held by another connection
  std::int64_t cache_size_kib = 16 * 1024;  // page cache per connection
};

class Database {
 public:
  // Opens (creating when allowed) the database at `path`; ":memory:" for a private in-memory DB.
  static Result<std::unique_ptr<Database>> Open(const std::string& path,
                                                const OpenOptions& options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that take no parameters.
  Status Exec(std::string_view sql);
  Result<Statement> Prepare(std::string_view sql);
  // A statement prepared once and kept for the life of the Database; reset before it is
  // returned. The pointer stays valid until the Database is destroyed.
  Result<Statement*> Cached(const std::string& sql);

  // Single-value helpers for simple queries: the first column of the first row.
  Result<std::optional<std::int64_t>> QueryInt(std::string_view sql);

  std::int64_t LastInsertRowid() const;
  int Changes() const;
  const std::string& path() const { return path_; }
  sqlite3* raw() const { return db_; }

  // BEGIN IMMEDIATE / COMMIT / ROLLBACK. Prefer Transaction.
  Status Begin();
  Status Commit();
  Status Rollback();
  bool InTransaction() const;

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// Scoped write transaction (BEGIN IMMEDIATE): rolls back on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Status of the BEGIN; nothing else may be done when it failed.
  const Status& status() const { return begin_status_; }
  Status Commit();

 private:
  Database& db_;
  Status begin_status_;
  bool done_ = false;
};

// One numbered schema step. Versions start at 1 and increase by one; a migration, once shipped,
// is never edited (add a new one).
struct Migration {
  int version;
  std::string description;
  std::string sql;
};

// Applies every migration whose version is above PRAGMA user_version, each in its own
// transaction together with the user_version bump. A database newer than the code (user_version
// above the last migration) is an error: the operator is running an old binary.
Status Migrate(Database& db, const std::vector<Migration>& migrations);

}  // namespace hub::storage
