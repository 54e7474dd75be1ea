// The broker's durable journal (DESIGN §3; format in docs/protocol.md "Journal"): every accepted
// request, its reply, and dead letters, in SQLite (WAL). The broker groups many operations into
// one transaction per poll round (BeginRound/CommitRound), so one fsync covers them all.
// Owned by the broker thread; `hub ctl` opens the same file read-only.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <thread>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"

namespace hub::broker {

// Journal states of a request. Queued covers both "waiting" and "in flight": in-flight is not
// journaled because after a crash every in-flight request is simply queued again.
enum class RequestState : int { kQueued = 0, kReplied = 1, kDead = 2 };

struct JournalRow {
  std::int64_t seq = 0;
  std::string msg_id;
  std::string service;
  std::string type;
  RequestState state = RequestState::kQueued;
  int attempts = 0;
  std::string client;  // last routing id the request came from
  std::string body;    // the envelope frame as received
  std::string reply;   // the reply frame, when replied
  std::string reason;  // why it was dead-lettered
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
};

struct InsertOutcome {
  bool inserted = false;  // false: msg_id was already journaled; `existing` describes it
  std::int64_t seq = 0;
  std::optional<JournalRow> existing;
};

struct ServiceCounts {
  std::int64_t queued = 0;
  std::int64_t replied = 0;
  std::int64_t dead = 0;
};

struct WorkerSnapshot {
  std::string service;
  std::string identity_hex;
  std::int64_t credit = 0;
  std::int64_t in_flight = 0;
  std::int64_t last_seen_ms = 0;
};

class Journal {
 public:
  // Opens or creates the journal at `path` and applies migrations.
  static Result<std::unique_ptr<Journal>> Open(const std::string& path,
                                               storage::Synchronous synchronous);

  // Opens a journal read-only for inspection (hub ctl); never blocks the broker.
  static Result<std::unique_ptr<Journal>> OpenReadOnly(const std::string& path);

  // Group commit: BeginRound is cheap when a round is already open; CommitRound is a no-op when
  // none is. A failed commit leaves nothing applied: the caller must not send anything it
  // prepared during the round.
  Status BeginRound();
  Status CommitRound();
  bool InRound() const { return in_round_; }

  // Journals a new queued request. When `msg_id` is already known, nothing is written and the
  // outcome carries the existing row (with its reply or reason).
  Result<InsertOutcome> Insert(const std::string& msg_id, const std::string& service,
                               const std::string& type, const std::string& client,
                               std::string_view body, std::int64_t now_ms);
  // Records the reply of a queued request. Returns false (and writes nothing) when the request
  // is not queued any more (already replied or dead): the reply is a late duplicate.
  Result<bool> MarkReplied(std::int64_t seq, std::string_view reply, std::int64_t now_ms);
  Status SetAttempts(std::int64_t seq, int attempts, std::int64_t now_ms);
  Status MarkDead(std::int64_t seq, int attempts, const std::string& reason, std::int64_t now_ms);
  Status UpdateClient(std::int64_t seq, const std::string& client);
  // Dead -> queued with attempts reset. NotFound when `msg_id` is not a dead letter.
  Result<JournalRow> Requeue(const std::string& msg_id, std::int64_t now_ms);
  // Deletes replied (and optionally dead) requests last updated before `cutoff_ms`.
  Result<std::int64_t> Purge(std::int64_t cutoff_ms, bool include_dead);

  // Queued rows of one service with seq > after_seq, oldest first, at most `limit`.
  Result<std::vector<JournalRow>> LoadQueued(const std::string& service, std::int64_t after_seq,
                                             int limit);
  Result<std::map<std::string, ServiceCounts>> Counts();
  Result<std::optional<JournalRow>> FindByMsgId(const std::string& msg_id);
  Result<std::vector<JournalRow>> DeadLetters(int limit);

  // The broker's live view of its workers, rewritten every few seconds for `hub ctl status`.
  Status WriteWorkerSnapshot(const std::vector<WorkerSnapshot>& workers, std::int64_t now_ms);
  Result<std::vector<WorkerSnapshot>> ReadWorkerSnapshot(std::int64_t* written_ms);

  storage::Database& db() { return *db_; }

  ~Journal();

 private:
  explicit Journal(std::unique_ptr<storage::Database> db) : db_(std::move(db)) {}
  // Copies the WAL back into the database file from a second connection on its own thread, so
  // the checkpoint's writes and fsyncs stay off the broker's commit path (latency).
  void StartCheckpointer(const std::string& path);

  std::unique_ptr<storage::Database> db_;
  bool in_round_ = false;
  std::atomic<bool> stop_checkpointer_{false};
  std::thread checkpointer_;
};

}  // namespace hub::broker
