// ers.db: schema, referral intake with duplicate suppression, inbound log, e-RS cursor.
#include "adapters/ers/ers_store.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <thread>

#include "adapters/common/outbox.hpp"
#include "hub/booking/calendar.hpp"
#include "hub/common/ulid.hpp"
#include "schemas/error.hpp"

namespace hub::ers {

namespace {
constexpr std::size_t kMaxExcerptBytes = 4096;

// Schema of ers.db. Shipped migrations are never edited; add new ones.
const char* const kErsSchemaSql = R"sql(
-- One row per referral identity (ReferralKey): the copy forwarded to booking and its answer.
CREATE TABLE referrals(
  key          TEXT PRIMARY KEY,   -- "ubrn:<12 digits>" or "local:<system>|<id>"
  feed         TEXT NOT NULL,      -- feed of the forwarded copy: mllp, ers, file
  fingerprint  TEXT NOT NULL,      -- ReferralFingerprint of the forwarded body
  msg_id       TEXT NOT NULL,      -- envelope id of the referral.received
  state        TEXT NOT NULL,      -- pending, accepted, refused (booking's answer)
  reason       TEXT,               -- booking's refusal
  copies       INTEGER NOT NULL DEFAULT 1,  -- inputs received for this referral
  cancel_requested_ms INTEGER,     -- a REF^I14 arrived for it (not forwarded)
  created_ms   INTEGER NOT NULL,
  updated_ms   INTEGER NOT NULL
);
CREATE INDEX referrals_msg ON referrals(msg_id);
-- Every input: what came in, from where, and what became of it.
CREATE TABLE inbound(
  id           INTEGER PRIMARY KEY,
  received_ms  INTEGER NOT NULL,
  feed         TEXT NOT NULL,      -- mllp, ers, file
  origin       TEXT NOT NULL,      -- peer address, "A008 <service>", file name
  message_id   TEXT NOT NULL,      -- MSH-10, UBRN, <file>#<n>
  referral_key TEXT,
  disposition  TEXT NOT NULL,      -- forwarded, duplicate, modification, cancel, refused
  msg_id       TEXT,               -- envelope forwarded, or the one duplicated
  reason       TEXT,
  excerpt      BLOB                -- first 4 KiB of a refused input
);
CREATE INDEX inbound_time ON inbound(received_ms);
-- e-RS worklist items (A008) awaiting or done with their A005.
CREATE TABLE ers_items(
  list_type    TEXT NOT NULL,
  service_id   TEXT NOT NULL,
  ubrn         TEXT NOT NULL,
  version      TEXT NOT NULL,      -- referralRequestVersion, or ''
  priority     TEXT NOT NULL,
  specialty    TEXT NOT NULL,
  nhs_number   TEXT NOT NULL,
  pathway_start TEXT NOT NULL,     -- YYYY-MM-DD or ''
  ubrn_received TEXT NOT NULL,
  contact_expected TEXT NOT NULL,
  reason       TEXT NOT NULL,
  referral_type TEXT NOT NULL,
  item_kind    TEXT NOT NULL,
  item_service_id TEXT NOT NULL,
  item_service_name TEXT NOT NULL,
  state        TEXT NOT NULL,      -- new, done, failed
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_ms      INTEGER NOT NULL,
  error        TEXT,
  msg_id       TEXT,
  ers_version  TEXT,               -- A005 ETag or meta.versionId: If-Match for A013/A014/A028
  first_seen_ms INTEGER NOT NULL,
  updated_ms   INTEGER NOT NULL,
  PRIMARY KEY(list_type, service_id, ubrn)
);
-- Last successful A008 per service and list type (app-restricted: at most twice a day).
CREATE TABLE ers_polls(
  service_id   TEXT NOT NULL,
  list_type    TEXT NOT NULL,
  last_ms      INTEGER NOT NULL,
  PRIMARY KEY(service_id, list_type)
);
-- A004 responses, kept so a restart without e-RS still knows the contact days.
CREATE TABLE code_systems(
  name         TEXT PRIMARY KEY,
  body         TEXT NOT NULL,
  fetched_ms   INTEGER NOT NULL
);
)sql";

// Waiting for another connection's write lock: SQLite's default handler sleeps 1, 2, 5, 10...
// up to 100 ms between tries, which turns a lock held for 50 µs into a 10 ms stall of the MLLP
// thread. Poll every 100 µs instead, for up to 10 s in all.
int BusyWait(void*, int tries) {
  if (tries >= 100'000) return 0;
  std::this_thread::sleep_for(std::chrono::microseconds(100));
  return 1;
}

std::string DateText(const std::optional<Date>& d) {
  return d ? booking::FormatIsoDate(*d) : std::string();
}

std::optional<Date> TextDate(const std::string& s) {
  if (s.empty()) return std::nullopt;
  auto d = booking::ParseIsoDate(s);
  return d.ok() ? std::optional<Date>(*d) : std::nullopt;
}
}  // namespace

std::string_view DispositionName(Disposition d) {
  switch (d) {
    case Disposition::kForwarded:
      return "forwarded";
    case Disposition::kDuplicate:
      return "duplicate";
    case Disposition::kModification:
      return "modification";
    case Disposition::kCancel:
      return "cancel";
  }
  return "unknown";
}

Result<std::unique_ptr<ErsStore>> ErsStore::Open(const std::string& path,
                                                 storage::Synchronous sync) {
  storage::OpenOptions options;
  options.synchronous = sync;
  options.busy_timeout_ms = 10'000;
  HUB_ASSIGN_OR_RETURN(auto db, storage::Database::Open(path, options));
  sqlite3_busy_handler(db->raw(), BusyWait, nullptr);
  std::vector<storage::Migration> migrations = {
      {1, "outbox", adapters::kOutboxMigrationSql},
      {2, "referrals, inbound log, e-RS cursor", kErsSchemaSql},
  };
  HUB_RETURN_IF_ERROR(storage::Migrate(*db, migrations));
  return std::unique_ptr<ErsStore>(new ErsStore(std::move(db)));
}

Status ErsStore::LogInbound(const InboundMeta& meta, const std::string& key, Disposition d,
                            const std::string& msg_id, std::string_view reason,
                            std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("INSERT INTO inbound(received_ms, feed, origin, "
                                             "message_id, referral_key, disposition, msg_id, "
                                             "reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  HUB_RETURN_IF_ERROR(st->BindAll(now_ms, meta.feed, meta.origin, meta.message_id, key,
                                  DispositionName(d), msg_id, reason));
  return st->Run();
}

Status ErsStore::LogRefused(const InboundMeta& meta, std::string_view reason,
                            std::string_view excerpt, std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("INSERT INTO inbound(received_ms, feed, origin, "
                                             "message_id, disposition, reason, excerpt) "
                                             "VALUES (?, ?, ?, ?, 'refused', ?, ?)"));
  HUB_RETURN_IF_ERROR(st->BindAll(now_ms, meta.feed, meta.origin, meta.message_id, reason));
  HUB_RETURN_IF_ERROR(st->BindBlob(6, excerpt.substr(0, kMaxExcerptBytes)));
  return st->Run();
}

Result<IntakeResult> ErsStore::Intake(const InboundMeta& meta, const ReferralInput& input,
                                      const MappingDefaults& defaults, Date arrival,
                                      std::int64_t now_ms, const std::string& envelope_id) {
  const std::string key = ReferralKey(input);
  if (key.empty()) return Status::Internal("a parsed referral has neither UBRN nor local id");
  schemas::ReferralReceived body = ToReferralReceived(input, defaults, arrival);
  const std::string fingerprint = ReferralFingerprint(body);

  HUB_ASSIGN_OR_RETURN(auto* find, db_->Cached("SELECT feed, fingerprint, msg_id, state FROM "
                                               "referrals WHERE key = ?"));
  HUB_RETURN_IF_ERROR(find->BindAll(key));
  HUB_ASSIGN_OR_RETURN(bool found, find->Step());
  std::string feed, old_fingerprint, old_msg, state;
  if (found) {
    feed = find->ColumnText(0);
    old_fingerprint = find->ColumnText(1);
    old_msg = find->ColumnText(2);
    state = find->ColumnText(3);
  }
  find->Reset();

  IntakeResult result;
  if (input.event == ReferralEventKind::kCancel) {
    // No booking message cancels a referral (schemas/README.md): note it for the booking team.
    result.disposition = Disposition::kCancel;
    result.msg_id = old_msg;
    result.detail = found ? fmt::format("referral {} was forwarded as message {}", key, old_msg)
                          : fmt::format("referral {} was never received here", key);
    if (found) {
      HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("UPDATE referrals SET cancel_requested_ms = ?, "
                                                 "copies = copies + 1, updated_ms = ? "
                                                 "WHERE key = ?"));
      HUB_RETURN_IF_ERROR(st->BindAll(now_ms, now_ms, key));
      HUB_RETURN_IF_ERROR(st->Run());
    }
  } else if (found && state != "refused") {
    result.msg_id = old_msg;
    if (feed != meta.feed || fingerprint == old_fingerprint) {
      result.disposition = Disposition::kDuplicate;
      result.detail = fmt::format("duplicate of message {} (first received by {})", old_msg, feed);
    } else {
      result.disposition = Disposition::kModification;
      result.detail = fmt::format(
          "referral {} was already received with other content and forwarded as message {}", key,
          old_msg);
    }
    HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("UPDATE referrals SET copies = copies + 1, "
                                               "updated_ms = ? WHERE key = ?"));
    HUB_RETURN_IF_ERROR(st->BindAll(now_ms, key));
    HUB_RETURN_IF_ERROR(st->Run());
  } else {
    wire::Envelope env =
        wire::MakeEnvelope(std::string(schemas::kReferralReceivedType), std::string(kAdapterSource),
                           now_ms, schemas::EncodeReferralReceived(body));
    if (!envelope_id.empty()) env.id = envelope_id;
    HUB_RETURN_IF_ERROR(adapters::OutboxAdd(*db_, kBookingService, env, now_ms));
    HUB_ASSIGN_OR_RETURN(
        auto* st, db_->Cached("INSERT INTO referrals(key, feed, fingerprint, msg_id, state, "
                              "created_ms, updated_ms) VALUES (?, ?, ?, ?, 'pending', ?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET feed = excluded.feed, "
                              "fingerprint = excluded.fingerprint, msg_id = excluded.msg_id, "
                              "state = 'pending', reason = NULL, copies = copies + 1, "
                              "updated_ms = excluded.updated_ms"));
    HUB_RETURN_IF_ERROR(st->BindAll(key, meta.feed, fingerprint, env.id, now_ms, now_ms));
    HUB_RETURN_IF_ERROR(st->Run());
    result.disposition = Disposition::kForwarded;
    result.msg_id = env.id;
    if (found) result.detail = fmt::format("booking had refused message {}; sent again", old_msg);
  }
  HUB_RETURN_IF_ERROR(
      LogInbound(meta, key, result.disposition, result.msg_id, result.detail, now_ms));
  return result;
}

Status ErsStore::RecordReply(const wire::Envelope& sent, const wire::Envelope& reply,
                             std::int64_t now_ms) {
  if (sent.type != schemas::kReferralReceivedType) return Status::Ok();
  std::string state = "accepted";
  std::string reason;
  if (reply.type == schemas::kErrorType) {
    state = "refused";
    auto err = schemas::DecodeErrorBody(reply.body);
    reason = err.ok() ? schemas::StatusFromErrorBody(*err).ToString() : "unreadable error reply";
  }
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("UPDATE referrals SET state = ?, reason = ?, "
                                             "updated_ms = ? WHERE msg_id = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(state, reason, now_ms, sent.id));
  return st->Run();
}

Result<std::optional<ReferralRecord>> ErsStore::FindReferral(const std::string& key) {
  HUB_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT feed, msg_id, state, coalesce(reason, ''), "
                                             "copies, cancel_requested_ms IS NOT NULL "
                                             "FROM referrals WHERE key = ?"));
  HUB_RETURN_IF_ERROR(st.BindAll(key));
  HUB_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<ReferralRecord>();
  ReferralRecord r{key,
                   st.ColumnText(0),
                   st.ColumnText(1),
                   st.ColumnText(2),
                   st.ColumnText(3),
                   st.ColumnInt(4),
                   st.ColumnInt(5) != 0};
  return std::optional<ReferralRecord>(std::move(r));
}

Result<std::int64_t> ErsStore::PurgeInbound(std::int64_t cutoff_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("DELETE FROM inbound WHERE received_ms < ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(cutoff_ms));
  HUB_RETURN_IF_ERROR(st->Run());
  return static_cast<std::int64_t>(db_->Changes());
}

Status ErsStore::UpsertItem(const std::string& list_type, const std::string& service_id,
                            const WorklistItem& item, std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(
      auto* st,
      db_->Cached(
          "INSERT INTO ers_items(list_type, service_id, ubrn, version, priority, specialty, "
          "nhs_number, pathway_start, ubrn_received, contact_expected, reason, referral_type, "
          "item_kind, item_service_id, item_service_name, state, next_ms, first_seen_ms, "
          "updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?) "
          "ON CONFLICT(list_type, service_id, ubrn) DO UPDATE SET "
          "state = CASE WHEN excluded.version != version THEN 'new' ELSE state END, "
          "attempts = CASE WHEN excluded.version != version THEN 0 ELSE attempts END, "
          "next_ms = CASE WHEN excluded.version != version THEN excluded.next_ms ELSE next_ms END, "
          "version = excluded.version, priority = excluded.priority, "
          "specialty = excluded.specialty, nhs_number = excluded.nhs_number, "
          "pathway_start = excluded.pathway_start, ubrn_received = excluded.ubrn_received, "
          "contact_expected = excluded.contact_expected, reason = excluded.reason, "
          "referral_type = excluded.referral_type, item_kind = excluded.item_kind, "
          "item_service_id = excluded.item_service_id, "
          "item_service_name = excluded.item_service_name, updated_ms = excluded.updated_ms"));
  std::string version =
      item.referral_request_version ? std::to_string(*item.referral_request_version) : "";
  HUB_RETURN_IF_ERROR(
      st->BindAll(list_type, service_id, item.ubrn, version, ReferralPriorityName(item.priority),
                  item.specialty, item.nhs_number, DateText(item.pathway_start_date),
                  DateText(item.ubrn_received_date), DateText(item.patient_contact_expected),
                  item.reason, item.referral_type, item.item_kind, item.service_id,
                  item.service_name, now_ms, now_ms, now_ms));
  return st->Run();
}

namespace {
constexpr const char* kItemColumns =
    "list_type, service_id, ubrn, version, priority, specialty, nhs_number, pathway_start, "
    "ubrn_received, contact_expected, reason, referral_type, item_kind, item_service_id, "
    "item_service_name, state, attempts, coalesce(error, ''), coalesce(msg_id, '')";

StoredItem ReadItem(const storage::Statement& st) {
  StoredItem s;
  s.list_type = st.ColumnText(0);
  s.service_id = st.ColumnText(1);
  WorklistItem& i = s.item;
  i.ubrn = st.ColumnText(2);
  std::string version = st.ColumnText(3);
  std::int64_t v = 0;
  if (!version.empty() &&
      std::from_chars(version.data(), version.data() + version.size(), v).ec == std::errc()) {
    i.referral_request_version = v;
  }
  i.priority = ReferralPriorityFromErsCode(st.ColumnText(4)).value_or(ReferralPriority::kRoutine);
  i.specialty = st.ColumnText(5);
  i.nhs_number = st.ColumnText(6);
  i.pathway_start_date = TextDate(st.ColumnText(7));
  i.ubrn_received_date = TextDate(st.ColumnText(8));
  i.patient_contact_expected = TextDate(st.ColumnText(9));
  i.reason = st.ColumnText(10);
  i.referral_type = st.ColumnText(11);
  i.item_kind = st.ColumnText(12);
  i.service_id = st.ColumnText(13);
  i.service_name = st.ColumnText(14);
  s.state = st.ColumnText(15);
  s.attempts = static_cast<int>(st.ColumnInt(16));
  s.error = st.ColumnText(17);
  s.msg_id = st.ColumnText(18);
  return s;
}
}  // namespace

Result<std::vector<StoredItem>> ErsStore::DueItems(std::int64_t now_ms, int limit) {
  HUB_ASSIGN_OR_RETURN(auto st, db_->Prepare(fmt::format("SELECT {} FROM ers_items WHERE state = "
                                                         "'new' AND next_ms <= ? ORDER BY "
                                                         "next_ms, first_seen_ms LIMIT ?",
                                                         kItemColumns)));
  HUB_RETURN_IF_ERROR(st.BindAll(now_ms, limit));
  std::vector<StoredItem> out;
  while (true) {
    HUB_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadItem(st));
  }
  return out;
}

Result<std::optional<StoredItem>> ErsStore::FindItem(const std::string& list_type,
                                                     const std::string& service_id,
                                                     const std::string& ubrn) {
  HUB_ASSIGN_OR_RETURN(auto st, db_->Prepare(fmt::format("SELECT {} FROM ers_items WHERE "
                                                         "list_type = ? AND service_id = ? AND "
                                                         "ubrn = ?",
                                                         kItemColumns)));
  HUB_RETURN_IF_ERROR(st.BindAll(list_type, service_id, ubrn));
  HUB_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<StoredItem>();
  return std::optional<StoredItem>(ReadItem(st));
}

Status ErsStore::MarkItemDone(const StoredItem& item, const std::string& msg_id,
                              const std::string& ers_version, std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("UPDATE ers_items SET state = 'done', error = NULL, "
                                             "msg_id = ?, ers_version = ?, updated_ms = ? WHERE "
                                             "list_type = ? AND service_id = ? AND ubrn = ?"));
  HUB_RETURN_IF_ERROR(
      st->BindAll(msg_id, ers_version, now_ms, item.list_type, item.service_id, item.item.ubrn));
  return st->Run();
}

Result<std::string> ErsStore::ReferralVersion(const std::string& ubrn) {
  HUB_ASSIGN_OR_RETURN(auto st, db_->Prepare("SELECT coalesce(ers_version, '') FROM ers_items "
                                             "WHERE ubrn = ? AND state = 'done' "
                                             "ORDER BY updated_ms DESC LIMIT 1"));
  HUB_RETURN_IF_ERROR(st.BindAll(ubrn));
  HUB_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.ColumnText(0) : std::string();
}

Status ErsStore::MarkItemFailed(const StoredItem& item, const std::string& error,
                                std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("UPDATE ers_items SET state = 'failed', error = ?, "
                                             "attempts = attempts + 1, updated_ms = ? WHERE "
                                             "list_type = ? AND service_id = ? AND ubrn = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(error, now_ms, item.list_type, item.service_id, item.item.ubrn));
  return st->Run();
}

Status ErsStore::MarkItemRetry(const StoredItem& item, const std::string& error,
                               std::int64_t next_ms, std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("UPDATE ers_items SET error = ?, attempts = "
                                             "attempts + 1, next_ms = ?, updated_ms = ? WHERE "
                                             "list_type = ? AND service_id = ? AND ubrn = ?"));
  HUB_RETURN_IF_ERROR(
      st->BindAll(error, next_ms, now_ms, item.list_type, item.service_id, item.item.ubrn));
  return st->Run();
}

Result<std::optional<std::int64_t>> ErsStore::LastPoll(const std::string& service_id,
                                                       const std::string& list_type) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("SELECT last_ms FROM ers_polls WHERE service_id = ? "
                                             "AND list_type = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(service_id, list_type));
  HUB_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<std::int64_t> out;
  if (row) out = st->ColumnInt(0);
  st->Reset();
  return out;
}

Status ErsStore::RecordPoll(const std::string& service_id, const std::string& list_type,
                            std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st,
                       db_->Cached("INSERT INTO ers_polls(service_id, list_type, "
                                   "last_ms) VALUES (?, ?, ?) ON CONFLICT(service_id, "
                                   "list_type) DO UPDATE SET last_ms = excluded.last_ms"));
  HUB_RETURN_IF_ERROR(st->BindAll(service_id, list_type, now_ms));
  return st->Run();
}

Status ErsStore::SaveCodeSystem(const std::string& name, std::string_view body,
                                std::int64_t now_ms) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("INSERT INTO code_systems(name, body, fetched_ms) "
                                             "VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                                             "body = excluded.body, fetched_ms = "
                                             "excluded.fetched_ms"));
  HUB_RETURN_IF_ERROR(st->BindAll(name, body, now_ms));
  return st->Run();
}

Result<std::optional<std::string>> ErsStore::LoadCodeSystem(const std::string& name) {
  HUB_ASSIGN_OR_RETURN(auto* st, db_->Cached("SELECT body FROM code_systems WHERE name = ?"));
  HUB_RETURN_IF_ERROR(st->BindAll(name));
  HUB_ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<std::string> out;
  if (row) out = st->ColumnText(0);
  st->Reset();
  return out;
}

}  // namespace hub::ers
