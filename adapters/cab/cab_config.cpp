// Strict reading of config/cab.toml into CabConfig.
#include "adapters/cab/cab_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace hub::cab {
namespace {

bool IsCodeChar(char c, bool allow_lower) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         (allow_lower && ((c >= 'a' && c <= 'z') || c == '-' || c == '.'));
}

bool AllOf(std::string_view s, bool allow_lower, std::size_t max_len) {
  if (s.empty() || s.size() > max_len) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return IsCodeChar(c, allow_lower); });
}

bool AllDigits(std::string_view s, std::size_t max_len) {
  if (s.empty() || s.size() > max_len) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The defaults of a priority's window when the service gives none. Local policy: routine opens a
// day ahead and runs to the polling range; urgent and two-week-wait open one hour ahead (e-RS's
// minimum, RULES §3.1) and close after 14 days.
BookingWindowRule DefaultWindow(Priority p) {
  switch (p) {
    case Priority::kRoutine:
      return {24, 0, {SlotType::kNew}};
    case Priority::kUrgent:
      return {1, 14, {SlotType::kUrgent, SlotType::kNew}};
    case Priority::kTwoWeekWait:
      return {1, 14, {SlotType::kTwoWeekWait}};
  }
  return {24, 0, {SlotType::kNew}};
}

Result<BookingWindowRule> LoadWindow(ConfigTable& t, Priority p, int polling_range_days) {
  BookingWindowRule w = DefaultWindow(p);
  w.end_days = std::min(w.end_days, polling_range_days);
  HUB_ASSIGN_OR_RETURN(auto start,
                       t.IntInRange("start_hours", w.start_hours, 1, std::int64_t{24} * 366));
  w.start_hours = static_cast<int>(start);
  HUB_ASSIGN_OR_RETURN(auto end, t.IntInRange("end_days", w.end_days, 0, polling_range_days));
  w.end_days = static_cast<int>(end);
  if (w.end_days > 0 && static_cast<std::int64_t>(w.end_days) * 24 <= w.start_hours) {
    return t.Error("end_days",
                   "the window would close before it opens (end_days * 24 must be "
                   "more than start_hours)");
  }
  std::vector<std::string> defaults;
  for (SlotType s : w.slot_types) defaults.emplace_back(SlotTypeName(s));
  HUB_ASSIGN_OR_RETURN(auto names, t.StringList("slot_types", defaults));
  if (names.empty()) return t.Error("slot_types", "at least one slot type is needed");
  w.slot_types.clear();
  for (const std::string& n : names) {
    auto type = SlotTypeFromName(n);
    if (!type) {
      return t.Error("slot_types", fmt::format("'{}' is not NEW, FOLLOW_UP, URGENT or "
                                               "TWO_WEEK_WAIT",
                                               n));
    }
    // e-RS books first appointments; follow-ups are never published (RULES §3.1, §8).
    if (*type == SlotType::kFollowUp) {
      return t.Error("slot_types", "FOLLOW_UP slots are never published to e-RS");
    }
    // RULES §8: don't publish urgent/2WW slots to routine windows.
    if (p == Priority::kRoutine &&
        (*type == SlotType::kUrgent || *type == SlotType::kTwoWeekWait)) {
      return t.Error("slot_types", fmt::format("{} slots must not be offered to ROUTINE "
                                               "referrals (RULES §8)",
                                               n));
    }
    if (std::find(w.slot_types.begin(), w.slot_types.end(), *type) != w.slot_types.end()) {
      return t.Error("slot_types", fmt::format("'{}' is listed twice", n));
    }
    w.slot_types.push_back(*type);
  }
  HUB_RETURN_IF_ERROR(t.Finish());
  return w;
}

Result<ServiceDef> LoadService(ConfigTable& t, const std::string& where) {
  ServiceDef s;
  s.where = where;
  HUB_ASSIGN_OR_RETURN(s.service_id, t.RequiredString("id"));
  if (!AllDigits(s.service_id, 18)) {
    return t.Error("id", fmt::format("'{}' is not an e-RS service id (1-18 digits)", s.service_id));
  }
  HUB_ASSIGN_OR_RETURN(s.name, t.RequiredString("name"));
  if (s.name.empty()) return t.Error("name", "must not be empty");
  HUB_ASSIGN_OR_RETURN(s.specialty, t.RequiredString("specialty"));
  if (!AllOf(s.specialty, false, 64)) {
    return t.Error("specialty", "must be an e-RS SPECIALTY code (A-Z, 0-9, _)");
  }
  HUB_ASSIGN_OR_RETURN(s.clinic_type, t.RequiredString("clinic_type"));
  if (!AllOf(s.clinic_type, false, 64)) {
    return t.Error("clinic_type", "must be an e-RS CLINIC-TYPE code (A-Z, 0-9, _)");
  }
  HUB_ASSIGN_OR_RETURN(s.clinic_codes, t.StringList("clinics", {}));
  if (s.clinic_codes.empty()) return t.Error("clinics", "at least one clinic code is needed");
  std::set<std::string> seen_clinics;
  for (const std::string& c : s.clinic_codes) {
    if (!AllOf(c, true, 32)) {
      return t.Error("clinics",
                     fmt::format("'{}' is not a clinic code (1-32 of A-Z a-z 0-9 . _ -)", c));
    }
    if (!seen_clinics.insert(c).second) {
      return t.Error("clinics", fmt::format("'{}' is listed twice", c));
    }
  }
  HUB_ASSIGN_OR_RETURN(auto prio_names, t.StringList("priorities", {}));
  if (prio_names.empty()) return t.Error("priorities", "at least one priority is needed");
  for (const std::string& n : prio_names) {
    auto p = PriorityFromCode(n);
    if (!p)
      return t.Error("priorities", fmt::format("'{}' is not ROUTINE, URGENT or "
                                               "TWO_WEEK_WAIT",
                                               n));
    if (s.Accepts(*p)) return t.Error("priorities", fmt::format("'{}' is listed twice", n));
    s.priorities.push_back(*p);
  }
  HUB_ASSIGN_OR_RETURN(auto sex, t.String("sex", "any"));
  auto sex_value = SexCriterionFromName(sex);
  if (!sex_value) return t.Error("sex", "must be \"any\", \"female\" or \"male\"");
  s.criteria.sex = *sex_value;
  HUB_ASSIGN_OR_RETURN(auto min_age, t.IntInRange("min_age_years", 0, 0, 150));
  s.criteria.min_age_years = static_cast<int>(min_age);
  if (t.Has("max_age_years")) {
    HUB_ASSIGN_OR_RETURN(auto max_age, t.IntInRange("max_age_years", 150, min_age, 150));
    s.criteria.max_age_years = static_cast<int>(max_age);
  }
  HUB_ASSIGN_OR_RETURN(auto reserve, t.IntInRange("slot_reservation_days", 0, 0, 2));
  s.slot_reservation_days = static_cast<int>(reserve);
  HUB_ASSIGN_OR_RETURN(auto polling, t.IntInRange("polling_range_days", 84, 1, 365));
  s.polling_range_days = static_cast<int>(polling);
  for (Priority p : kAllPriorities) {
    HUB_ASSIGN_OR_RETURN(auto table, t.Table(std::string(PriorityKey(p))));
    if (table && !s.Accepts(p)) {
      return t.Error(std::string(PriorityKey(p)),
                     fmt::format("a booking window for {}, which `priorities` does not accept",
                                 PriorityCode(p)));
    }
    if (!s.Accepts(p)) continue;
    if (table) {
      HUB_ASSIGN_OR_RETURN(s.windows[p], LoadWindow(*table, p, s.polling_range_days));
    } else {
      BookingWindowRule w = DefaultWindow(p);
      w.end_days = std::min(w.end_days, s.polling_range_days);
      s.windows[p] = w;
    }
  }
  HUB_RETURN_IF_ERROR(t.Finish());
  return s;
}

Status SplitListen(ConfigTable& t, const std::string& listen, HttpOptions* http) {
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size() ||
      !AllDigits(std::string_view(listen).substr(colon + 1), 5)) {
    return t.Error("listen", fmt::format("'{}' is not host:port, e.g. 127.0.0.1:8091", listen));
  }
  const int port = std::stoi(listen.substr(colon + 1));
  if (port > 65535) return t.Error("listen", fmt::format("port {} is above 65535", port));
  http->listen_address = listen.substr(0, colon);
  http->listen_port = static_cast<std::uint16_t>(port);
  return Status::Ok();
}

Status LoadHttp(ConfigTable& t, HttpOptions* h) {
  HUB_ASSIGN_OR_RETURN(auto listen, t.String("listen", "127.0.0.1:8091"));
  HUB_RETURN_IF_ERROR(SplitListen(t, listen, h));
  HUB_ASSIGN_OR_RETURN(h->public_base_url, t.String("public_base_url", ""));
  if (!h->public_base_url.empty()) {
    if (h->public_base_url.rfind("http://", 0) != 0 &&
        h->public_base_url.rfind("https://", 0) != 0) {
      return t.Error("public_base_url", "must start with http:// or https://");
    }
    while (h->public_base_url.back() == '/') h->public_base_url.pop_back();
  }
  HUB_ASSIGN_OR_RETURN(auto io, t.IntInRange("io_threads", h->io_threads, 1, 64));
  h->io_threads = static_cast<int>(io);
  HUB_ASSIGN_OR_RETURN(auto conns, t.IntInRange("max_connections", 256, 1, 100'000));
  h->max_connections = static_cast<std::size_t>(conns);
  HUB_ASSIGN_OR_RETURN(auto body, t.IntInRange("max_body_bytes", 65'536, 1024, 10'000'000));
  h->max_body_bytes = static_cast<std::size_t>(body);
  HUB_ASSIGN_OR_RETURN(auto header, t.IntInRange("max_header_bytes", 8192, 1024, 1'000'000));
  h->max_header_bytes = static_cast<std::size_t>(header);
  HUB_ASSIGN_OR_RETURN(auto rt,
                       t.IntInRange("request_timeout_ms", h->request_timeout_ms, 100, 600'000));
  h->request_timeout_ms = static_cast<int>(rt);
  HUB_ASSIGN_OR_RETURN(auto idle,
                       t.IntInRange("idle_timeout_ms", h->idle_timeout_ms, 100, 3'600'000));
  h->idle_timeout_ms = static_cast<int>(idle);
  return t.Finish();
}

Status LoadGateway(ConfigTable& t, GatewayOptions* g) {
  HUB_ASSIGN_OR_RETURN(auto threads, t.IntInRange("threads", g->threads, 1, 256));
  g->threads = static_cast<int>(threads);
  HUB_ASSIGN_OR_RETURN(auto pending, t.IntInRange("max_pending", 256, 1, 100'000));
  g->max_pending = static_cast<std::size_t>(pending);
  // e-RS times a booking out after 2 minutes (RULES §9): a deadline beyond it would answer a
  // caller that has already given up.
  HUB_ASSIGN_OR_RETURN(auto book,
                       t.IntInRange("booking_deadline_ms", g->booking_deadline_ms, 10, 120'000));
  g->booking_deadline_ms = static_cast<int>(book);
  HUB_ASSIGN_OR_RETURN(auto call,
                       t.IntInRange("call_deadline_ms", g->call_deadline_ms, 10, 120'000));
  g->call_deadline_ms = static_cast<int>(call);
  return t.Finish();
}

Status LoadSearch(ConfigTable& t, SearchOptions* s) {
  HUB_ASSIGN_OR_RETURN(auto prio, t.String("default_priority", "ROUTINE"));
  auto p = PriorityFromCode(prio);
  if (!p) return t.Error("default_priority", "must be ROUTINE, URGENT or TWO_WEEK_WAIT");
  s->default_priority = *p;
  // A015 `_count` is 1..100.
  HUB_ASSIGN_OR_RETURN(auto count, t.IntInRange("default_count", s->default_count, 1, 100));
  s->default_count = static_cast<int>(count);
  return t.Finish();
}

Status LoadReconcile(ConfigTable& t, const std::string& base_dir, ReconcileOptions* r) {
  HUB_ASSIGN_OR_RETURN(auto interval, t.IntInRange("interval_s", r->interval_s, 1, 86'400));
  r->interval_s = static_cast<int>(interval);
  HUB_ASSIGN_OR_RETURN(r->ers_services_file, t.String("ers_services_file", ""));
  if (!r->ers_services_file.empty() && !base_dir.empty() &&
      !std::filesystem::path(r->ers_services_file).is_absolute()) {
    r->ers_services_file = (std::filesystem::path(base_dir) / r->ers_services_file).string();
  }
  HUB_ASSIGN_OR_RETURN(auto max_slots, t.IntInRange("max_slots", 200'000, 1, 10'000'000));
  r->max_slots = static_cast<std::size_t>(max_slots);
  HUB_ASSIGN_OR_RETURN(r->unpublished_clinics, t.StringList("unpublished_clinics", {}));
  HUB_ASSIGN_OR_RETURN(r->allow_mixed_sessions,
                       t.Bool("allow_mixed_sessions", r->allow_mixed_sessions));
  return t.Finish();
}

Status LoadContactDays(ConfigTable& t, ContactDays* c) {
  HUB_ASSIGN_OR_RETURN(auto routine, t.IntInRange("routine", c->routine, 1, 365));
  HUB_ASSIGN_OR_RETURN(auto urgent, t.IntInRange("urgent", c->urgent, 1, 365));
  HUB_ASSIGN_OR_RETURN(auto tww, t.IntInRange("two_week_wait", c->two_week_wait, 1, 365));
  c->routine = static_cast<int>(routine);
  c->urgent = static_cast<int>(urgent);
  c->two_week_wait = static_cast<int>(tww);
  return t.Finish();
}

template <typename Fn>
Status WithTable(ConfigTable& root, const std::string& key, Fn&& fn) {
  HUB_ASSIGN_OR_RETURN(auto table, root.Table(key));
  if (!table) {
    // An absent table means all defaults: read an empty one so defaults are applied in one place.
    static const toml::table empty_table;
    ConfigTable empty(empty_table, root.file(), key);
    return fn(empty);
  }
  return fn(*table);
}

Result<CabConfig> Build(const toml::table& doc, const std::string& origin,
                        const std::string& base_dir) {
  CabConfig c;
  ConfigTable root(doc, origin);
  HUB_RETURN_IF_ERROR(
      WithTable(root, "http", [&](ConfigTable& t) { return LoadHttp(t, &c.http); }));
  HUB_RETURN_IF_ERROR(
      WithTable(root, "gateway", [&](ConfigTable& t) { return LoadGateway(t, &c.gateway); }));
  HUB_RETURN_IF_ERROR(
      WithTable(root, "search", [&](ConfigTable& t) { return LoadSearch(t, &c.search); }));
  HUB_RETURN_IF_ERROR(WithTable(
      root, "reconcile", [&](ConfigTable& t) { return LoadReconcile(t, base_dir, &c.reconcile); }));
  HUB_RETURN_IF_ERROR(WithTable(
      root, "contact_days", [&](ConfigTable& t) { return LoadContactDays(t, &c.contact_days); }));

  HUB_ASSIGN_OR_RETURN(auto services, root.TableArray("service"));
  const toml::array* raw = doc.get_as<toml::array>("service");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < services.size(); ++i) {
    const auto line = raw ? (*raw)[i].source().begin.line : 0;
    HUB_ASSIGN_OR_RETURN(ServiceDef s,
                         LoadService(services[i], fmt::format("{}:{}", origin, line)));
    if (!ids.insert(s.service_id).second) {
      return services[i].Error("id", fmt::format("service id {} is defined twice", s.service_id));
    }
    c.services.push_back(std::move(s));
  }
  HUB_RETURN_IF_ERROR(root.Finish());
  for (const std::string& code : c.reconcile.unpublished_clinics) {
    if (!c.ServicesForClinic(code).empty()) {
      return Status::InvalidArgument(
          fmt::format("{}: reconcile.unpublished_clinics names {}, which service {} maps; a clinic "
                      "is either published or not",
                      origin, code, c.ServicesForClinic(code).front()->service_id),
          "reconcile.unpublished_clinics");
    }
  }
  return c;
}

}  // namespace

bool ServiceDef::Accepts(Priority p) const {
  return std::find(priorities.begin(), priorities.end(), p) != priorities.end();
}

const BookingWindowRule* ServiceDef::Window(Priority p) const {
  auto it = windows.find(p);
  return it == windows.end() ? nullptr : &it->second;
}

Priority ServiceDef::MostUrgent() const {
  Priority best = priorities.empty() ? Priority::kRoutine : priorities.front();
  for (Priority p : priorities) {
    if (PriorityRank(p) > PriorityRank(best)) best = p;
  }
  return best;
}

int ContactDays::For(Priority p) const {
  switch (p) {
    case Priority::kRoutine:
      return routine;
    case Priority::kUrgent:
      return urgent;
    case Priority::kTwoWeekWait:
      return two_week_wait;
  }
  return routine;
}

const ServiceDef* CabConfig::FindService(std::string_view service_id) const {
  for (const ServiceDef& s : services) {
    if (s.service_id == service_id) return &s;
  }
  return nullptr;
}

std::vector<const ServiceDef*> CabConfig::ServicesForClinic(std::string_view clinic_code) const {
  std::vector<const ServiceDef*> out;
  for (const ServiceDef& s : services) {
    if (std::find(s.clinic_codes.begin(), s.clinic_codes.end(), clinic_code) !=
        s.clinic_codes.end()) {
      out.push_back(&s);
    }
  }
  return out;
}

bool CabConfig::IsUnpublished(std::string_view clinic_code) const {
  const auto& list = reconcile.unpublished_clinics;
  return std::find(list.begin(), list.end(), clinic_code) != list.end();
}

Result<CabConfig> LoadCabConfig(const std::string& path) {
  HUB_ASSIGN_OR_RETURN(auto doc, ParseTomlFile(path));
  return Build(*doc, path, std::filesystem::path(path).parent_path().string());
}

Result<CabConfig> ParseCabConfig(const std::string& text, const std::string& origin,
                                 const std::string& base_dir) {
  HUB_ASSIGN_OR_RETURN(auto doc, ParseTomlText(text, origin));
  return Build(*doc, origin, base_dir);
}

}  // namespace hub::cab
