// users.db, owned by `hub web`: staff accounts, sessions and the audit of every view of patient
// data (issue 9 §3; DESIGN §4: times are UTC ms). Passwords are stored only as argon2id hashes
// (libsodium crypto_pwhash_str); session tokens only as BLAKE2b hashes, so a copy of the
// database lets nobody sign in. The web process holds no domain state: this is who may look,
// not what they see.
// Threading: one UserStore is used by one thread (it owns its Database).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"
#include "hub/web/roles.hpp"

namespace hub::web {

struct User {
  std::string name;
  Role role = Role::kReadOnly;
};

struct Session {
  User user;
  std::string csrf;  // the token every state-changing request must echo in X-CSRF-Token
  std::int64_t created_ms = 0;
};

struct NewSession {
  std::string token;  // the cookie value; never stored
  Session session;
};

struct AuditRow {
  std::int64_t at_ms = 0;
  std::string user;
  std::string patient;  // NHS number, or "" for an action that names no patient
  std::string what;     // "patient.get", "ptl specialty=Cardiology", "appointment.book ..."
};

// Minimum password length for `hub ctl user add`.
inline constexpr std::size_t kMinPasswordLength = 10;

class UserStore {
 public:
  // Opens (creating and migrating) users.db.
  static Result<std::unique_ptr<UserStore>> Open(const std::string& path);

  // AlreadyExists when the name is taken; InvalidArgument (field "name" / "password") for a
  // name outside [a-z0-9._-]{1,64} or a password shorter than kMinPasswordLength.
  Status AddUser(const std::string& name, Role role, const std::string& password, std::int64_t now_ms);
  // PermissionDenied("wrong user name or password") for an unknown user or a wrong password; the
  // two take the same time (a dummy hash is checked for unknown users).
  Result<User> Verify(const std::string& name, const std::string& password);

  Result<NewSession> CreateSession(const User& user, std::int64_t now_ms);
  // NotFound when no session has this token, or it has been idle longer than `idle_ms` or lived
  // longer than `max_ms` (an expired session is deleted). Otherwise marks it used at now_ms.
  Result<Session> FindSession(const std::string& token, std::int64_t now_ms, std::int64_t idle_ms,
                              std::int64_t max_ms);
  Status EndSession(const std::string& token);

  // One audit row per patient (or one row with patient "" when `patients` is empty), in one
  // transaction.
  Status Audit(const std::string& user, const std::vector<std::string>& patients,
               const std::string& what, std::int64_t now_ms);
  Result<std::vector<AuditRow>> RecentAudit(int limit);

 private:
  explicit UserStore(std::unique_ptr<storage::Database> db) : db_(std::move(db)) {}
  std::unique_ptr<storage::Database> db_;
};

}  // namespace hub::web
