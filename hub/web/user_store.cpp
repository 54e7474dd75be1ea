// users.db: accounts (argon2id), sessions (hashed tokens), audit.
#include "hub/web/user_store.hpp"

#include <fmt/format.h>
#include <sodium.h>

namespace hub::web {

namespace {

const std::vector<storage::Migration>& Migrations() {
  static const std::vector<storage::Migration> kMigrations = {
      {1, "users, sessions, audit",
       "CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL,"
       "  created_ms INTEGER NOT NULL);"
       "CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, user TEXT NOT NULL REFERENCES users(name),"
       "  csrf TEXT NOT NULL, created_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL);"
       "CREATE TABLE audit (id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, user TEXT NOT NULL,"
       "  patient TEXT NOT NULL, what TEXT NOT NULL);"
       "CREATE INDEX audit_patient ON audit(patient, at_ms);"},
  };
  return kMigrations;
}

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  randombytes_buf(buf.data(), buf.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), buf.data(), buf.size());
  hex.pop_back();
  return hex;
}

std::string TokenHash(const std::string& token) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

Result<std::string> HashPassword(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::ResourceExhausted("not enough memory to hash the password (argon2id)");
  }
  return std::string(out);
}

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<UserStore>> UserStore::Open(const std::string& path) {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  HUB_ASSIGN_OR_RETURN(auto db, storage::Database::Open(path));
  HUB_RETURN_IF_ERROR(storage::Migrate(*db, Migrations()));
  return std::unique_ptr<UserStore>(new UserStore(std::move(db)));
}

Status UserStore::AddUser(const std::string& name, Role role, const std::string& password,
                          std::int64_t now_ms) {
  if (!ValidName(name)) {
    return Status::InvalidArgument("a user name is 1 to 64 characters of a-z, 0-9, '.', '_' or '-'", "name");
  }
  if (password.size() < kMinPasswordLength) {
    return Status::InvalidArgument(fmt::format("a password needs at least {} characters", kMinPasswordLength),
                                   "password");
  }
  HUB_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  HUB_ASSIGN_OR_RETURN(auto* exists, db_->Cached("SELECT 1 FROM users WHERE name = ?"));
  HUB_RETURN_IF_ERROR(exists->BindAll(name));
  HUB_ASSIGN_OR_RETURN(bool found, exists->Step());
  exists->Reset();
  if (found) return Status::AlreadyExists(fmt::format("user '{}' already exists", name), "name");
  HUB_ASSIGN_OR_RETURN(auto* ins, db_->Cached("INSERT INTO users(name, role, password_hash, created_ms) VALUES (?,?,?,?)"));
  HUB_RETURN_IF_ERROR(ins->BindAll(name, std::string(RoleName(role)), hash, now_ms));
  return ins->Run();
}

Result<User> UserStore::Verify(const std::string& name, const std::string& password) {
  // A valid argon2id hash of a random password, checked for unknown users so that a wrong name
  // and a wrong password take the same time.
  static const std::string kDummy = [] {
    auto h = HashPassword(RandomHex(16));
    return h.ok() ? *h : std::string();
  }();
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("SELECT role, password_hash FROM users WHERE name = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(name));
  HUB_ASSIGN_OR_RETURN(bool found, st->Step());
  std::string role_name = found ? st->ColumnText(0) : "";
  std::string hash = found ? st->ColumnText(1) : kDummy;
  st->Reset();
  bool match = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  auto role = ParseRole(role_name);
  if (!found || !match || !role) return Status::PermissionDenied("wrong user name or password");
  return User{name, *role};
}

Result<NewSession> UserStore::CreateSession(const User& user, std::int64_t now_ms) {
  NewSession s;
  s.token = RandomHex(32);
  s.session.user = user;
  s.session.csrf = RandomHex(32);
  s.session.created_ms = now_ms;
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached(
      "INSERT INTO sessions(token_hash, user, csrf, created_ms, last_seen_ms) VALUES (?,?,?,?,?)"));
  HUB_RETURN_IF_ERROR(st->BindAll(TokenHash(s.token), user.name, s.session.csrf, now_ms, now_ms));
  HUB_RETURN_IF_ERROR(st->Run());
  return s;
}

Result<Session> UserStore::FindSession(const std::string& token, std::int64_t now_ms,
                                       std::int64_t idle_ms, std::int64_t max_ms) {
  std::string key = TokenHash(token);
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached(
      "SELECT s.user, u.role, s.csrf, s.created_ms, s.last_seen_ms FROM sessions s "
      "JOIN users u ON u.name = s.user WHERE s.token_hash = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(key));
  HUB_ASSIGN_OR_RETURN(bool found, st->Step());
  if (!found) {
    st->Reset();
    return Status::NotFound("no such session");
  }
  Session s;
  s.user.name = st->ColumnText(0);
  auto role = ParseRole(st->ColumnText(1));
  s.csrf = st->ColumnText(2);
  s.created_ms = st->ColumnInt(3);
  std::int64_t last_seen = st->ColumnInt(4);
  st->Reset();
  if (!role || now_ms - last_seen > idle_ms || now_ms - s.created_ms > max_ms) {
    HUB_RETURN_IF_ERROR(EndSession(token));
    return Status::NotFound("the session has expired");
  }
  s.user.role = *role;
  // Touch at most once a second: reads of many API calls in a burst do not each write.
  if (now_ms - last_seen >= 1000) {
    HUB_ASSIGN_OR_RETURN(auto* touch, db_->Cached("UPDATE sessions SET last_seen_ms = ? WHERE token_hash = ?"));
    HUB_RETURN_IF_ERROR(touch->BindAll(now_ms, key));
    HUB_RETURN_IF_ERROR(touch->Run());
  }
  return s;
}

Status UserStore::EndSession(const std::string& token) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("DELETE FROM sessions WHERE token_hash = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(TokenHash(token)));
  return st->Run();
}

Status UserStore::Audit(const std::string& user, const std::vector<std::string>& patients,
                        const std::string& what, std::int64_t now_ms) {
  storage::Transaction tx(*db_);
  HUB_RETURN_IF_ERROR(tx.status());
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("INSERT INTO audit(at_ms, user, patient, what) VALUES (?,?,?,?)"));
  if (patients.empty()) {
    HUB_RETURN_IF_ERROR(st->BindAll(now_ms, user, std::string(), what));
    HUB_RETURN_IF_ERROR(st->Run());
  }
  for (const auto& p : patients) {
    HUB_RETURN_IF_ERROR(st->BindAll(now_ms, user, p, what));
    HUB_RETURN_IF_ERROR(st->Run());
  }
  return tx.Commit();
}

Result<std::vector<AuditRow>> UserStore::RecentAudit(int limit) {
  HUB_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT at_ms, user, patient, what FROM audit ORDER BY id DESC LIMIT ?"));
  HUB_RETURN_IF_ERROR(st.BindAll(limit));
  std::vector<AuditRow> rows;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    rows.push_back({st.ColumnInt(0), st.ColumnText(1), st.ColumnText(2), st.ColumnText(3)});
  }
  return rows;
}

}  // namespace hub::web
