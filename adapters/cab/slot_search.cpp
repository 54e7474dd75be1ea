// A015 slot search: query parsing, slot selection and the searchset Bundle.
#include "adapters/cab/slot_search.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/cab/booking_window.hpp"
#include "adapters/ers/fhir_json.hpp"
#include "hub/booking/calendar.hpp"

namespace hub::cab {
namespace {

using OJson = nlohmann::ordered_json;

constexpr std::string_view kServiceParam = "schedule.actor:HealthcareService";
constexpr std::string_view kPractitionerParam = "schedule.actor:Practitioner";
constexpr int kMaxCount = 100;  // A015 PageSize: 1..100

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

ApiError BadParam(std::string_view param, std::string diagnostics,
                  std::string ers_code = "INVALID_VALUE") {
  ApiError e =
      ApiError::BadRequest(std::move(ers_code), std::move(diagnostics), std::string(param));
  e.issue_type = "value";
  return e;
}

std::optional<int> ParseInt(std::string_view s) {
  int v = 0;
  if (s.empty() || s.size() > 9) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// One `start` parameter narrows [from, to).
std::optional<ApiError> ApplyStart(std::string_view raw, SlotSearchQuery* q) {
  // An unescaped '+' of a time-zone offset arrives decoded as a space.
  std::string text(raw);
  std::replace(text.begin(), text.end(), ' ', '+');
  std::string_view value = text;
  std::string_view prefix = "eq";
  if (value.size() > 2 && value[0] >= 'a' && value[0] <= 'z') {
    prefix = value.substr(0, 2);
    value.remove_prefix(2);
  }
  if (prefix != "eq" && prefix != "ge" && prefix != "gt" && prefix != "le" && prefix != "lt") {
    return BadParam("start",
                    fmt::format("prefix '{}' is not supported: use ge, gt, le, lt or eq", prefix));
  }
  std::int64_t lo = 0;  // first instant the value covers
  std::int64_t hi = 0;  // first instant after it
  if (value.size() == 10) {
    auto date = booking::ParseIsoDate(value, "start");
    if (!date.ok()) return BadParam("start", date.status().message());
    lo = booking::LondonLocalToUtcMs(*date, 0);
    hi = booking::LondonLocalToUtcMs(booking::AddDays(*date, 1), 0);
  } else {
    auto instant = ers::FhirInstantMs(value, "start");
    if (!instant.ok()) return BadParam("start", instant.status().message());
    lo = *instant;
    hi = *instant + 1;
  }
  auto raise_from = [&](std::int64_t v) {
    q->start_from_ms = q->start_from_ms ? std::max(*q->start_from_ms, v) : v;
  };
  auto lower_to = [&](std::int64_t v) {
    q->start_to_ms = q->start_to_ms ? std::min(*q->start_to_ms, v) : v;
  };
  if (prefix == "eq") {
    raise_from(lo);
    lower_to(hi);
  } else if (prefix == "ge") {
    raise_from(lo);
  } else if (prefix == "gt") {
    raise_from(hi);
  } else if (prefix == "le") {
    lower_to(hi);
  } else {
    lower_to(lo);
  }
  return std::nullopt;
}

std::string ScheduleRef(const std::string& id) { return "Schedule/" + id; }

}  // namespace

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = HexValue(s[i + 1]);
      const int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    }
  }
  return out;
}

ApiResult<SlotSearchQuery> ParseSlotSearchQuery(std::string_view query_string,
                                                const SearchOptions& options) {
  SlotSearchQuery q;
  q.priority = options.default_priority;
  q.count = options.default_count;
  std::set<std::string> seen;
  bool have_service = false;
  std::size_t pos = 0;
  while (pos < query_string.size()) {
    std::size_t amp = query_string.find('&', pos);
    if (amp == std::string_view::npos) amp = query_string.size();
    const std::string_view pair = query_string.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    auto key = PercentDecode(pair.substr(0, eq));
    auto value = PercentDecode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
    if (!key || !value) {
      return BadParam("", fmt::format("'{}' is not correctly percent-encoded", pair));
    }
    if (*key != "start" && !seen.insert(*key).second) {
      return BadParam(*key, fmt::format("parameter '{}' is given more than once", *key));
    }
    if (*key == kServiceParam) {
      if (value->empty()) {
        return BadParam(*key, "the e-RS service id is empty", "MISSING_PARAMETER");
      }
      q.service_id = *value;
      have_service = true;
    } else if (*key == "appointmentType") {
      auto p = PriorityFromCode(*value);
      if (!p) {
        return BadParam(*key,
                        fmt::format("'{}' is not an e-RS priority: use ROUTINE, URGENT or "
                                    "TWO_WEEK_WAIT",
                                    *value),
                        "INVALID_CODE");
      }
      q.priority = *p;
    } else if (*key == "status") {
      if (*value != "free") {
        return BadParam(*key, fmt::format("status '{}' is not supported: only free slots are "
                                          "published",
                                          *value));
      }
    } else if (*key == "_count") {
      auto n = ParseInt(*value);
      if (!n || *n < 1 || *n > kMaxCount) {
        return BadParam(*key, fmt::format("'_count' ({}) must be a whole number from 1 to {}",
                                          *value, kMaxCount));
      }
      q.count = *n;
    } else if (*key == "page") {
      auto n = ParseInt(*value);
      if (!n || *n < 1) {
        return BadParam(*key, fmt::format("'Page Number' ({}) is invalid.", *value));
      }
      q.page = *n;
    } else if (*key == "_include") {
      if (*value != "Slot:schedule") {
        return BadParam(*key,
                        fmt::format("_include '{}' is not supported: only Slot:schedule", *value));
      }
    } else if (*key == kPractitionerParam) {
      if (value->empty()) return BadParam(*key, "the clinician's SDS user id is empty");
      q.practitioner_id = *value;
    } else if (*key == "start") {
      if (auto err = ApplyStart(*value, &q)) return *err;
      q.start_params.push_back(*value);
    } else {
      return BadParam(*key, fmt::format("parameter '{}' is not supported by slot search", *key));
    }
  }
  if (!have_service) {
    return BadParam(kServiceParam,
                    "schedule.actor:HealthcareService (the e-RS service id) is required",
                    "MISSING_PARAMETER");
  }
  return q;
}

std::string ScheduleId(const ServiceDef& service, const ClinicInfo* clinic) {
  if (clinic == nullptr || clinic->consultant_id.empty()) return service.service_id;
  return service.service_id + "-" + clinic->consultant_id;
}

ApiResult<SlotPage> SelectSlots(const ServiceDef& service, const SlotSearchQuery& query,
                                const PublishedView& view, std::int64_t now_ms) {
  if (!service.Accepts(query.priority)) {
    return BadParam("appointmentType",
                    fmt::format("service {} ({}) does not accept {} referrals", service.service_id,
                                service.name, PriorityCode(query.priority)));
  }
  if (!view.publication) {
    return ApiError::WithStatus(503, "transient", "SERVICE_UNAVAILABLE",
                                "slots have not been published yet: the first reconciliation "
                                "with the booking engine has not finished");
  }
  const Publication& pub = *view.publication;
  SlotPage page;
  std::vector<const FreeSlot*> matches;
  auto it = pub.by_service.find(service.service_id);
  if (it != pub.by_service.end()) {
    const TimeRange window = BookingWindowAt(service, query.priority, now_ms);
    const std::vector<std::size_t>& idx = it->second;
    // Indices are in start order: skip straight to the window's first slot.
    auto first =
        std::lower_bound(idx.begin(), idx.end(), window.from_ms,
                         [&](std::size_t i, std::int64_t t) { return pub.slots[i].start_ms < t; });
    for (auto i = first; i != idx.end(); ++i) {
      const FreeSlot& slot = pub.slots[*i];
      if (slot.start_ms >= window.to_ms) break;
      if (query.start_from_ms && slot.start_ms < *query.start_from_ms) continue;
      if (query.start_to_ms && slot.start_ms >= *query.start_to_ms) continue;
      if (ClassifySlot(service, query.priority, slot, now_ms, window) != SlotVerdict::kOffered) {
        continue;
      }
      if (view.IsTaken(slot.slot_id)) continue;
      if (!query.practitioner_id.empty()) {
        const ClinicInfo* clinic = pub.FindClinic(slot.clinic_code);
        if (clinic == nullptr || clinic->consultant_id != query.practitioner_id) continue;
      }
      matches.push_back(&slot);
    }
  }
  page.total = static_cast<int>(matches.size());
  page.last_page = std::max(1, (page.total + query.count - 1) / query.count);
  if (query.page > page.last_page) {
    return BadParam("page", fmt::format("'Page Number' ({}) is invalid.", query.page));
  }
  const std::size_t begin = static_cast<std::size_t>(query.page - 1) * query.count;
  const std::size_t end = std::min(matches.size(), begin + static_cast<std::size_t>(query.count));
  page.slots.assign(matches.begin() + static_cast<std::ptrdiff_t>(begin),
                    matches.begin() + static_cast<std::ptrdiff_t>(end));
  return page;
}

std::string SlotSearchLinkQuery(const SlotSearchQuery& query, int page) {
  std::string out;
  if (!query.practitioner_id.empty()) {
    out += fmt::format("{}={}&", PercentEncode(kPractitionerParam),
                       PercentEncode(query.practitioner_id));
  }
  out += fmt::format("{}={}&appointmentType={}&_count={}&status=free&_include={}",
                     PercentEncode(kServiceParam), PercentEncode(query.service_id),
                     PriorityCode(query.priority), query.count, PercentEncode("Slot:schedule"));
  for (const std::string& s : query.start_params) out += "&start=" + PercentEncode(s);
  out += fmt::format("&page={}", page);
  return out;
}

std::string BuildSlotBundle(const ServiceDef& service, const SlotSearchQuery& query,
                            const SlotPage& page, const Publication& publication,
                            const std::string& base_url, const std::string& bundle_id,
                            std::int64_t now_ms) {
  OJson bundle;
  bundle["resourceType"] = "Bundle";
  bundle["id"] = bundle_id;
  bundle["meta"] = {{"lastUpdated", FormatInstant(now_ms)},
                    {"profile", {std::string(kBundleProfile)}}};
  bundle["type"] = "searchset";
  bundle["total"] = page.total;
  const std::string search_url = base_url + "/STU3/Slot?";
  OJson links = OJson::array();
  links.push_back(
      {{"relation", "self"}, {"url", search_url + SlotSearchLinkQuery(query, query.page)}});
  if (query.page < page.last_page) {
    links.push_back(
        {{"relation", "next"}, {"url", search_url + SlotSearchLinkQuery(query, query.page + 1)}});
  }
  if (query.page > 1) {
    links.push_back({{"relation", "previous"},
                     {"url", search_url + SlotSearchLinkQuery(query, query.page - 1)}});
  }
  bundle["link"] = std::move(links);

  OJson entries = OJson::array();
  std::vector<std::pair<std::string, const ClinicInfo*>> schedules;  // in first-use order
  for (const FreeSlot* slot : page.slots) {
    const ClinicInfo* clinic = publication.FindClinic(slot->clinic_code);
    const std::string schedule_id = ScheduleId(service, clinic);
    if (std::none_of(schedules.begin(), schedules.end(),
                     [&](const auto& s) { return s.first == schedule_id; })) {
      schedules.emplace_back(schedule_id, clinic);
    }
    OJson resource;
    resource["resourceType"] = "Slot";
    resource["id"] = slot->slot_id;
    resource["meta"] = {{"profile", {std::string(kSlotProfile)}}};
    resource["identifier"] = {
        {{"system", std::string(kAlternativeSlotSystem)}, {"value", slot->slot_id}}};
    resource["schedule"] = {{"reference", ScheduleRef(schedule_id)}};
    resource["status"] = "free";
    resource["start"] = FormatInstant(slot->start_ms);
    resource["end"] = FormatInstant(slot->end_ms);
    entries.push_back({{"fullUrl", fmt::format("{}/STU3/Slot/{}", base_url, slot->slot_id)},
                       {"resource", std::move(resource)},
                       {"search", {{"mode", "match"}}}});
  }
  for (const auto& [schedule_id, clinic] : schedules) {
    OJson actors = OJson::array();
    actors.push_back(
        {{"identifier",
          {{"system", std::string(kServiceIdSystem)}, {"value", service.service_id}}}});
    if (clinic != nullptr && !clinic->consultant_id.empty()) {
      actors.push_back(
          {{"identifier",
            {{"system", std::string(kSdsUserIdSystem)}, {"value", clinic->consultant_id}}}});
    }
    OJson resource;
    resource["resourceType"] = "Schedule";
    resource["id"] = schedule_id;
    resource["meta"] = {{"profile", {std::string(kScheduleProfile)}}};
    resource["identifier"] = {{{"system", std::string(kScheduleIdSystem)}, {"value", schedule_id}}};
    resource["actor"] = std::move(actors);
    entries.push_back({{"fullUrl", fmt::format("{}/STU3/Schedule/{}", base_url, schedule_id)},
                       {"resource", std::move(resource)},
                       {"search", {{"mode", "include"}}}});
  }
  // FHIR JSON has no empty arrays: a search with no slots has no entry element. (The e-RS
  // "NoSlots" sandbox sample writes "entry": [], which STU3 JSON does not allow.)
  if (!entries.empty()) bundle["entry"] = std::move(entries);
  return ers::DumpJson(bundle);
}

}  // namespace hub::cab
