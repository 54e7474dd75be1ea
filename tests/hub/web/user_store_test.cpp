// users.db: argon2id passwords, hashed session tokens with idle and absolute expiry, audit rows.
#include "hub/web/user_store.hpp"

#include <doctest/doctest.h>

#include "hub/storage/database.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::web {
namespace {

TEST_CASE("users: add, verify, refuse wrong passwords, bad names and duplicates") {
  testing::TempDir dir;
  auto store = UserStore::Open(dir.File("users.db"));
  REQUIRE_MESSAGE(store.ok(), store.status().ToString());
  auto& s = **store;
  REQUIRE(s.AddUser("alice", Role::kClerk, "correct horse battery", 1).ok());
  auto dup = s.AddUser("alice", Role::kReadOnly, "another password", 2);
  CHECK(dup.code() == StatusCode::kAlreadyExists);
  CHECK(s.AddUser("Bob Smith", Role::kClerk, "correct horse battery", 1).field() == "name");
  CHECK(s.AddUser("bob", Role::kClerk, "short", 1).field() == "password");

  auto ok = s.Verify("alice", "correct horse battery");
  REQUIRE(ok.ok());
  CHECK(ok->role == Role::kClerk);
  CHECK(s.Verify("alice", "wrong password!").status().code() == StatusCode::kPermissionDenied);
  CHECK(s.Verify("nobody", "correct horse battery").status().message() == "wrong user name or password");

  // Only an argon2id hash is stored.
  auto db = storage::Database::Open(dir.File("users.db"));
  REQUIRE(db.ok());
  auto st = (*db)->Prepare("SELECT password_hash FROM users WHERE name = 'alice'");
  REQUIRE(st.ok());
  REQUIRE(*st->Step());
  CHECK(st->ColumnText(0).rfind("$argon2id$", 0) == 0);
}

TEST_CASE("sessions: found by token, expire when idle or too old, end on sign-out") {
  testing::TempDir dir;
  auto store = UserStore::Open(dir.File("users.db"));
  REQUIRE(store.ok());
  auto& s = **store;
  REQUIRE(s.AddUser("tl", Role::kTeamLeader, "correct horse battery", 0).ok());
  auto user = s.Verify("tl", "correct horse battery");
  REQUIRE(user.ok());
  const std::int64_t idle = 30 * 60'000, max = 12 * 3'600'000;
  auto created = s.CreateSession(*user, 1'000'000);
  REQUIRE(created.ok());
  CHECK(created->token.size() == 64);
  CHECK(created->session.csrf.size() == 64);
  CHECK(created->token != created->session.csrf);
  auto found = s.FindSession(created->token, 1'000'000 + idle - 1, idle, max);
  REQUIRE(found.ok());
  CHECK(found->user.role == Role::kTeamLeader);
  CHECK(found->csrf == created->session.csrf);
  // Used just now, so idle time counts from here.
  CHECK(s.FindSession(created->token, 1'000'000 + 2 * idle - 2, idle, max).ok());
  CHECK(s.FindSession(created->token, 1'000'000 + 4 * idle, idle, max).status().message() ==
        "the session has expired");
  CHECK(s.FindSession(created->token, 1'000'000 + 4 * idle, idle, max).status().message() == "no such session");
  CHECK(s.FindSession("not-a-token", 0, idle, max).status().code() == StatusCode::kNotFound);

  auto again = s.CreateSession(*user, 0);
  REQUIRE(again.ok());
  CHECK_FALSE(s.FindSession(again->token, max + 1, max * 2, max).ok());  // absolute limit
  auto third = s.CreateSession(*user, 0);
  REQUIRE(third.ok());
  REQUIRE(s.EndSession(third->token).ok());
  CHECK_FALSE(s.FindSession(third->token, 1, idle, max).ok());
}

TEST_CASE("audit: one row per patient, newest first") {
  testing::TempDir dir;
  auto store = UserStore::Open(dir.File("users.db"));
  REQUIRE(store.ok());
  auto& s = **store;
  REQUIRE(s.Audit("alice", {"9434765919", "9434765870"}, "ptl specialty=CARDIO", 10).ok());
  REQUIRE(s.Audit("bob", {}, "appointment.book", 20).ok());
  auto rows = s.RecentAudit(10);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 3);
  CHECK((*rows)[0].user == "bob");
  CHECK((*rows)[0].patient.empty());
  CHECK((*rows)[1].patient == "9434765870");
  CHECK((*rows)[2].what == "ptl specialty=CARDIO");
  CHECK((*rows)[2].at_ms == 10);
}

}  // namespace
}  // namespace hub::web
