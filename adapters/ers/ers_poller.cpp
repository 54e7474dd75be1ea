// e-RS polling: A004 cache, A008 schedule per service, A005 per item with retries.
#include "adapters/ers/ers_poller.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "hub/booking/calendar.hpp"

namespace hub::ers {

namespace {
constexpr const char* kPriorityCodeSystem = "PRIORITY";
}

ErsPoller::ErsPoller(ErsStore& store, ErsClient& client, ErsPollerOptions options,
                     const Clock& clock)
    : store_(store), client_(client), options_(std::move(options)), clock_(clock), ids_(clock) {}

std::int64_t ErsPoller::Delay(int attempts) const {
  std::int64_t d = options_.retry_min_ms;
  for (int i = 1; i < attempts && d < options_.retry_max_ms; ++i) d *= 2;
  return std::min<std::int64_t>(d, options_.retry_max_ms);
}

Status ErsPoller::LoadPriorities() {
  const std::int64_t now = clock_.NowMs();
  if (priorities_ || now < a004_.next_ms) return Status::Ok();
  ErsFailure failure;
  auto response = client_.Call(BuildGetCodeSystem(kPriorityCodeSystem), ids_.Next(), &failure);
  if (response.ok()) {
    auto parsed = ParsePriorityCodeSystem(response->body);
    if (parsed.ok()) {
      for (const auto& code : parsed->unknown_codes) {
        spdlog::warn("e-RS A004 PRIORITY has a code this adapter does not know: {}", code);
      }
      priorities_ = std::move(*parsed);
      return store_.SaveCodeSystem(kPriorityCodeSystem, response->body, now);
    }
    spdlog::error("e-RS A004 PRIORITY is unreadable: {}", parsed.status().ToString());
  } else {
    spdlog::warn("e-RS A004 failed: {}", failure.status.ToString());
  }
  // Fall back to the last good copy while e-RS cannot give one.
  HUB_ASSIGN_OR_RETURN(auto cached, store_.LoadCodeSystem(kPriorityCodeSystem));
  if (cached) {
    auto parsed = ParsePriorityCodeSystem(*cached);
    if (parsed.ok()) {
      priorities_ = std::move(*parsed);
      spdlog::info("using the cached A004 PRIORITY code system");
      return Status::Ok();
    }
  }
  ++a004_.attempts;
  a004_.next_ms = now + Delay(a004_.attempts);
  return Status::Ok();
}

Status ErsPoller::PollWorklist(const std::string& service, WorklistType type) {
  const std::string list(WorklistTypeCode(type));
  const std::string key = service + "|" + list;
  const std::int64_t now = clock_.NowMs();
  Backoff& backoff = polls_[key];
  if (now < backoff.next_ms) return Status::Ok();
  HUB_ASSIGN_OR_RETURN(auto last, store_.LastPoll(service, list));
  // RULES §3.2: application-restricted A008 at most twice a day per service (poll_interval).
  if (last && now - *last < options_.poll_interval_ms) return Status::Ok();

  ErsFailure failure;
  auto response = client_.Call(BuildFetchWorklist(type, service), ids_.Next(), &failure);
  Result<Worklist> worklist =
      response.ok() ? ParseWorklist(response->body) : Result<Worklist>(failure.status);
  if (!worklist.ok()) {
    bool retry = response.ok() || failure.retryable;  // an unreadable 2xx is retried too
    if (retry) {
      ++backoff.attempts;
      backoff.next_ms = now + Delay(backoff.attempts);
      spdlog::warn("e-RS A008 {} for service {} failed (attempt {}; next in {} ms): {}", list,
                   service, backoff.attempts, backoff.next_ms - now, worklist.status().ToString());
      return Status::Ok();
    }
    // 4xx: the request itself is refused; wait for the next scheduled poll, not a retry.
    spdlog::error("e-RS A008 {} for service {} refused, not retried: {}", list, service,
                  worklist.status().ToString());
    InboundMeta meta{"ers", fmt::format("A008 {} {}", service, list), list};
    storage::Transaction txn(store_.db());
    HUB_RETURN_IF_ERROR(txn.status());
    HUB_RETURN_IF_ERROR(store_.LogRefused(meta, worklist.status().ToString(), "", now));
    HUB_RETURN_IF_ERROR(store_.RecordPoll(service, list, now));
    return txn.Commit();
  }
  backoff = Backoff{};
  storage::Transaction txn(store_.db());
  HUB_RETURN_IF_ERROR(txn.status());
  for (const auto& item : worklist->items) {
    HUB_RETURN_IF_ERROR(store_.UpsertItem(list, service, item, now));
  }
  HUB_RETURN_IF_ERROR(store_.RecordPoll(service, list, now));
  HUB_RETURN_IF_ERROR(txn.Commit());
  spdlog::info("e-RS A008 {} for service {}: {} items", list, service, worklist->items.size());
  return Status::Ok();
}

Status ErsPoller::FetchItem(const StoredItem& item) {
  const std::int64_t now = clock_.NowMs();
  const std::string envelope_id = ids_.Next();  // X-Correlation-ID = the envelope's id
  InboundMeta meta{"ers", fmt::format("A005 {} {}", item.service_id, item.list_type),
                   item.item.ubrn};
  ErsFailure failure;
  auto response = client_.Call(BuildGetReferralRequest(item.item.ubrn), envelope_id, &failure);
  if (!response.ok() && failure.retryable) {
    std::int64_t next = now + Delay(item.attempts + 1);
    spdlog::warn("e-RS A005 {} failed (attempt {}): {}", item.item.ubrn, item.attempts + 1,
                 failure.status.ToString());
    return store_.MarkItemRetry(item, failure.status.ToString(), next, now);
  }
  Result<ErsReferral> referral =
      response.ok() ? ParseReferralRequest(response->body) : Result<ErsReferral>(failure.status);
  storage::Transaction txn(store_.db());
  HUB_RETURN_IF_ERROR(txn.status());
  if (!referral.ok()) {
    // 4xx or an unreadable ReferralRequest: recorded against the item, not retried.
    std::string why = referral.status().ToString();
    spdlog::error("e-RS referral {} not imported: {}", item.item.ubrn, why);
    HUB_RETURN_IF_ERROR(store_.MarkItemFailed(item, why, now));
    HUB_RETURN_IF_ERROR(
        store_.LogRefused(meta, why, response.ok() ? std::string_view(response->body) : "", now));
    return txn.Commit();
  }
  ReferralInput input = ToReferralInput(*referral);
  MergeWorklistItem(item.item, &input);
  if (priorities_) ApplyContactDays(*priorities_, &input);
  const Date arrival = booking::LondonDateAt(now);
  HUB_ASSIGN_OR_RETURN(IntakeResult r,
                       store_.Intake(meta, input, options_.defaults, arrival, now, envelope_id));
  std::string version = !response->etag.empty() ? response->etag : referral->version_id;
  HUB_RETURN_IF_ERROR(store_.MarkItemDone(item, r.msg_id, version, now));
  HUB_RETURN_IF_ERROR(txn.Commit());
  spdlog::info("e-RS referral {} ({}): {}", item.item.ubrn, item.list_type,
               DispositionName(r.disposition));
  return Status::Ok();
}

Status ErsPoller::RunOnce() {
  HUB_RETURN_IF_ERROR(LoadPriorities());
  for (const auto& service : options_.services) {
    for (WorklistType type : options_.worklists) {
      HUB_RETURN_IF_ERROR(PollWorklist(service, type));
    }
  }
  HUB_ASSIGN_OR_RETURN(auto due, store_.DueItems(clock_.NowMs(), options_.items_per_round));
  for (const auto& item : due) HUB_RETURN_IF_ERROR(FetchItem(item));
  return Status::Ok();
}

}  // namespace hub::ers
