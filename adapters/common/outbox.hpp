// The transactional outbox (DESIGN §3): a producer writes each message into its own database in
// the same transaction as the state change that caused it; OutboxSender then delivers it through
// the broker and retries with the SAME envelope id until a reply arrives (Lazy Pirate), so a
// crash at any point loses nothing and the consumer's dedupe makes the effect happen once.
//
// Table (include kOutboxMigrationSql in the producer's migrations):
//   outbox(id, service, type, envelope, state 0 pending / 2 failed, attempts, next_ms, created_ms, error)
// Delivered messages are deleted; failed ones (a non-retryable error reply) stay, with the error.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>

#include "adapters/common/mdp_client.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"
#include "hub/wire/envelope.hpp"

namespace hub::adapters {

extern const char* const kOutboxMigrationSql;

// Adds `envelope` for `service`. Call inside the transaction that makes the state change.
// A second Add of the same envelope id is a no-op.
Status OutboxAdd(storage::Database& db, std::string_view service, const wire::Envelope& envelope,
                 std::int64_t now_ms);

struct OutboxOptions {
  int max_in_flight = 64;       // requests outstanding at the broker at once
  int timeout_ms = 5000;        // resend (same id) when no reply within this
  int max_backoff_ms = 30'000;  // retry delay cap after retryable errors
  int reconnect_after = 2;      // consecutive timeouts before a Lazy Pirate reconnect
};

struct OutboxCounts {
  std::int64_t pending = 0;
  std::int64_t failed = 0;
};

class OutboxSender {
 public:
  // Called for each reply, inside the transaction that removes the message from the outbox: a
  // failure rolls both back and the reply is handled again on redelivery.
  using ReplyHandler =
      std::function<Status(const wire::Envelope& sent, std::string_view service, const wire::Envelope& reply)>;

  // `db` and `client` must outlive the sender; all three belong to the calling thread.
  OutboxSender(storage::Database& db, MdpClient& client, OutboxOptions options, const Clock& clock);

  // One round: send what is due, wait up to `timeout_ms` for replies, handle them.
  // Returns the number of messages completed (delivered or failed) in this round.
  Result<int> Pump(int timeout_ms, const ReplyHandler& on_reply = nullptr);
  Result<OutboxCounts> Counts();
  int in_flight() const { return static_cast<int>(in_flight_.size()); }

 private:
  struct Sent {
    std::string service;
    std::string envelope;
    std::int64_t deadline_ms;
    int attempts;
  };
  Status SendDue();
  Status HandleReply(const MdpReply& reply, const ReplyHandler& on_reply, int* completed);

  storage::Database& db_;
  MdpClient& client_;
  OutboxOptions options_;
  const Clock& clock_;
  std::unordered_map<std::string, Sent> in_flight_;  // by envelope id
  int consecutive_timeouts_ = 0;
};

}  // namespace hub::adapters
