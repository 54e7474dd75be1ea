// ers.db, the e-Referral adapter's own database (DESIGN §3, §4): the transactional outbox of
// referral.received messages, the referral index that suppresses duplicates across feeds, the
// inbound log (every input, from where, and what became of it), and the e-RS cursor (worklist
// items, A008 poll times per service, the A004 code-system cache).
// One ErsStore per thread (each owns its SQLite connection); WAL lets the MLLP/folder thread and
// the e-RS thread write the same file, serialised by SQLite's lock (busy timeout).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/ers/fhir_referral.hpp"
#include "adapters/ers/referral_input.hpp"
#include "adapters/ers/referral_mapping.hpp"
#include "hub/common/status.hpp"
#include "hub/storage/database.hpp"
#include "hub/wire/envelope.hpp"

namespace hub::ers {

inline constexpr std::string_view kBookingService = "booking";
inline constexpr std::string_view kAdapterSource = "adapter.ers";

// Where an input came from: the feed ("mllp", "ers", "file"), the origin within it (peer
// address, "A008 <service>", file name) and the sender's id for it (MSH-10, UBRN, file#n).
struct InboundMeta {
  std::string feed;
  std::string origin;
  std::string message_id;
};

// What Intake did with a referral (adapters/ers/README.md "Duplicates, modifications, cancels").
enum class Disposition : std::uint8_t {
  kForwarded,     // new: a referral.received is in the outbox (committed with the caller's txn)
  kDuplicate,     // already forwarded (another feed's copy, or identical content): nothing sent
  kModification,  // same feed, same referral, different content: not sent (no amend message)
  kCancel,        // a cancellation (REF^I14): not sent (no cancel message); noted on the referral
};
std::string_view DispositionName(Disposition d);

struct IntakeResult {
  Disposition disposition = Disposition::kForwarded;
  std::string msg_id;  // the envelope id forwarded now, or the one this input duplicates
  std::string detail;  // for logs and refusals: what it duplicates or how it differs
};

// The booking worker's answer to a forwarded referral, as recorded.
struct ReferralRecord {
  std::string key;
  std::string feed;
  std::string msg_id;
  std::string state;   // "pending", "accepted", "refused"
  std::string reason;  // the refusal, when refused
  std::int64_t copies = 0;
  bool cancel_requested = false;
};

// One A008 worklist item as kept between A008 and A005 (the per-item cursor).
struct StoredItem {
  std::string list_type;
  std::string service_id;
  WorklistItem item;
  std::string state;  // "new" (A005 due), "done", "failed" (4xx: not retried)
  int attempts = 0;
  std::string error;
  std::string msg_id;
};

class ErsStore {
 public:
  // Opens (creating) ers.db and applies the migrations.
  static Result<std::unique_ptr<ErsStore>> Open(const std::string& path, storage::Synchronous sync);
  storage::Database& db() { return *db_; }

  // ---- referrals (call inside a transaction of db())

  // Records one referral: forwards it (outbox + index) unless the index already holds its key in
  // state pending/accepted — then it is a duplicate (other feed, or same content) or a
  // modification (same feed, other content). A referral the booking worker refused is forwarded
  // again as new. REF^I14 is never forwarded. Logs it in the inbound log either way.
  // `envelope_id` is used when not empty (the e-RS X-Correlation-ID), else a fresh ULID.
  Result<IntakeResult> Intake(const InboundMeta& meta, const ReferralInput& input,
                              const MappingDefaults& defaults, Date arrival, std::int64_t now_ms,
                              const std::string& envelope_id = "");

  // Logs an input that was refused before it became a referral (parse errors, bad files).
  // `excerpt` is kept up to 4 KiB.
  Status LogRefused(const InboundMeta& meta, std::string_view reason, std::string_view excerpt,
                    std::int64_t now_ms);

  // The outbox reply handler: records booking's answer to a forwarded referral.received
  // (booking.result -> accepted; hub.error -> refused with its message). Other types: no-op.
  Status RecordReply(const wire::Envelope& sent, const wire::Envelope& reply, std::int64_t now_ms);

  Result<std::optional<ReferralRecord>> FindReferral(const std::string& key);
  // Deletes inbound log rows older than `cutoff_ms`; returns how many.
  Result<std::int64_t> PurgeInbound(std::int64_t cutoff_ms);

  // ---- e-RS cursor

  // A worklist item seen in an A008 response: new ones (and ones whose referralRequestVersion
  // changed) become "new" (A005 due now); others keep their state. Own transaction not needed.
  Status UpsertItem(const std::string& list_type, const std::string& service_id,
                    const WorklistItem& item, std::int64_t now_ms);
  // Items whose A005 is due (state new, next_ms <= now), oldest first.
  Result<std::vector<StoredItem>> DueItems(std::int64_t now_ms, int limit);
  // `ers_version` is the A005 ETag (else meta.versionId): If-Match for later A013/A014/A028.
  Status MarkItemDone(const StoredItem& item, const std::string& msg_id,
                      const std::string& ers_version, std::int64_t now_ms);
  // The version of `ubrn` last read by A005 (for If-Match), or "" when never read.
  Result<std::string> ReferralVersion(const std::string& ubrn);
  Status MarkItemFailed(const StoredItem& item, const std::string& error, std::int64_t now_ms);
  Status MarkItemRetry(const StoredItem& item, const std::string& error, std::int64_t next_ms,
                       std::int64_t now_ms);
  Result<std::optional<StoredItem>> FindItem(const std::string& list_type,
                                             const std::string& service_id,
                                             const std::string& ubrn);

  // When A008 last succeeded for (service, list type); nullopt when never.
  Result<std::optional<std::int64_t>> LastPoll(const std::string& service_id,
                                               const std::string& list_type);
  Status RecordPoll(const std::string& service_id, const std::string& list_type,
                    std::int64_t now_ms);

  // The A004 cache: the last good response body per code system.
  Status SaveCodeSystem(const std::string& name, std::string_view body, std::int64_t now_ms);
  Result<std::optional<std::string>> LoadCodeSystem(const std::string& name);

 private:
  explicit ErsStore(std::unique_ptr<storage::Database> db) : db_(std::move(db)) {}
  Status LogInbound(const InboundMeta& meta, const std::string& key, Disposition d,
                    const std::string& msg_id, std::string_view reason, std::int64_t now_ms);
  std::unique_ptr<storage::Database> db_;
};

}  // namespace hub::ers
