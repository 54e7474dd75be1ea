// SQLite wrapper implementation.
#include "hub/storage/database.hpp"

#include <fmt/format.h>

namespace hub::storage {

namespace {
Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string text = fmt::format("sqlite: {}: {} (code {})", what, msg, rc);
  int primary = rc & 0xff;
  if (primary == SQLITE_CONSTRAINT) return Status::AlreadyExists(std::move(text));
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Status::Unavailable(std::move(text));
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return Status::Corruption(std::move(text));
  if (primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN ||
      primary == SQLITE_READONLY) {
    return Status::IOError(std::move(text));
  }
  return Status::Internal(std::move(text));
}
}  // namespace

// ---------------------------------------------------------------- Statement

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Status Statement::Check(int rc, const char* what) {
  if (rc == SQLITE_OK) return Status::Ok();
  return SqliteError(db_, rc, what);
}

Status Statement::BindInt(int index, std::int64_t value) {
  return Check(sqlite3_bind_int64(stmt_, index, value), "bind int");
}
Status Statement::BindDouble(int index, double value) {
  return Check(sqlite3_bind_double(stmt_, index, value), "bind double");
}
Status Statement::BindText(int index, std::string_view value) {
  return Check(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                   SQLITE_UTF8),
               "bind text");
}
Status Statement::BindBlob(int index, std::string_view bytes) {
  // A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
  static const char kEmpty = 0;
  return Check(sqlite3_bind_blob64(stmt_, index, bytes.empty() ? &kEmpty : bytes.data(),
                                   bytes.size(), SQLITE_TRANSIENT),
               "bind blob");
}
Status Statement::BindNull(int index) { return Check(sqlite3_bind_null(stmt_, index), "bind null"); }
Status Statement::BindOptionalText(int index, const std::optional<std::string>& value) {
  return value ? BindText(index, *value) : BindNull(index);
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status s = SqliteError(db_, rc, sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "step");
  sqlite3_reset(stmt_);
  return s;
}

Status Statement::Run() {
  while (true) {
    auto r = Step();
    if (!r.ok()) {
      Reset();
      return r.status();
    }
    if (!*r) break;
  }
  Reset();
  return Status::Ok();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::ColumnInt(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::ColumnDouble(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Statement::ColumnText(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}
std::string_view Statement::ColumnBlob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(n))
           : std::string_view();
}
bool Statement::ColumnIsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
std::optional<std::string> Statement::ColumnOptionalText(int col) const {
  if (ColumnIsNull(col)) return std::nullopt;
  return ColumnText(col);
}

// ---------------------------------------------------------------- Database

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const OpenOptions& options) {
  sqlite3* raw = nullptr;
  int flags = options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;  // one owner thread per connection (see header)
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(raw, rc, "open " + path);
    sqlite3_close(raw);
    return s;
  }
  std::unique_ptr<Database> db(new Database(raw, path));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  if (!options.read_only) {
    if (options.wal) HUB_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL"));
    const char* sync = options.synchronous == Synchronous::kFull     ? "FULL"
                       : options.synchronous == Synchronous::kNormal ? "NORMAL"
                                                                     : "OFF";
    HUB_RETURN_IF_ERROR(db->Exec(fmt::format("PRAGMA synchronous={}", sync)));
    HUB_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  }
  HUB_RETURN_IF_ERROR(db->Exec(fmt::format("PRAGMA cache_size=-{}", options.cache_size_kib)));
  return db;
}

Database::~Database() {
  cache_.clear();  // finalize cached statements before closing
  sqlite3_close_v2(db_);
}

Status Database::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(db_, rc, text.substr(0, 80));
    sqlite3_free(err);
    return s;
  }
  return Status::Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare: " + std::string(sql.substr(0, 120)));
  return Statement(db_, stmt);
}

Result<Statement*> Database::Cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    it->second->Reset();
    return it->second.get();
  }
  HUB_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
  auto owned = std::make_unique<Statement>(std::move(stmt));
  Statement* p = owned.get();
  cache_.emplace(sql, std::move(owned));
  return p;
}

Result<std::optional<std::int64_t>> Database::QueryInt(std::string_view sql) {
  HUB_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
  HUB_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row || stmt.ColumnIsNull(0)) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>(stmt.ColumnInt(0));
}

std::int64_t Database::LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::Changes() const { return sqlite3_changes(db_); }
Status Database::Begin() { return Exec("BEGIN IMMEDIATE"); }
Status Database::Commit() { return Exec("COMMIT"); }
Status Database::Rollback() { return Exec("ROLLBACK"); }
bool Database::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

// ---------------------------------------------------------------- Transaction

Transaction::Transaction(Database& db) : db_(db), begin_status_(db.Begin()) {
  if (!begin_status_.ok()) done_ = true;
}

Transaction::~Transaction() {
  if (!done_ && db_.InTransaction()) (void)db_.Rollback();
}

Status Transaction::Commit() {
  if (done_) return Status::FailedPrecondition("transaction already finished");
  done_ = true;
  Status s = db_.Commit();
  if (!s.ok() && db_.InTransaction()) (void)db_.Rollback();
  return s;
}

// ---------------------------------------------------------------- migrations

Status Migrate(Database& db, const std::vector<Migration>& migrations) {
  HUB_ASSIGN_OR_RETURN(auto current, db.QueryInt("PRAGMA user_version"));
  int version = static_cast<int>(current.value_or(0));
  int latest = 0;
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return Status::Internal(fmt::format("migration {} is numbered {}; versions must be 1, 2, 3...",
                                          i + 1, migrations[i].version));
    }
    latest = migrations[i].version;
  }
  if (version > latest) {
    return Status::FailedPrecondition(fmt::format(
        "{} has schema version {} but this program knows only up to {}: run a newer hub",
        db.path(), version, latest));
  }
  for (const auto& m : migrations) {
    if (m.version <= version) continue;
    Transaction txn(db);
    HUB_RETURN_IF_ERROR(txn.status());
    Status s = db.Exec(m.sql);
    if (!s.ok()) {
      return Status(s.code(), fmt::format("{}: migration {} ({}) failed: {}", db.path(), m.version,
                                          m.description, s.message()));
    }
    HUB_RETURN_IF_ERROR(db.Exec(fmt::format("PRAGMA user_version={}", m.version)));
    HUB_RETURN_IF_ERROR(txn.Commit());
  }
  return Status::Ok();
}

}  // namespace hub::storage
