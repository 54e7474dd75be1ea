// Loading config/ers.toml.
#include "adapters/ers/ers_config.hpp"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>

#include "hub/common/config_table.hpp"

namespace hub::ers {

namespace fs = std::filesystem;

namespace {
// RULES §3.2: application-restricted A008 at most twice a day per service.
constexpr std::int64_t kMinAppRestrictedPollS = 12 * 3600;

std::string Resolve(const std::string& base, const std::string& path) {
  if (fs::path(path).is_absolute()) return path;
  return (fs::path(base) / path).lexically_normal().string();
}

template <typename ReadFn>
Status Section(ConfigTable& top, const std::string& name, ReadFn&& read) {
  HUB_ASSIGN_OR_RETURN(auto table, top.Table(name));
  if (table) {
    HUB_RETURN_IF_ERROR(read(*table));
    return table->Finish();
  }
  toml::table empty;
  ConfigTable t(empty, top.file(), name);
  return read(t);
}

Result<int> IntKey(ConfigTable& t, const std::string& key, std::int64_t def, std::int64_t min,
                   std::int64_t max) {
  HUB_ASSIGN_OR_RETURN(std::int64_t v, t.IntInRange(key, def, min, max));
  return static_cast<int>(v);
}
}  // namespace

Status ParseListenAddress(const std::string& text, std::string* host, int* port) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Status::InvalidArgument(fmt::format("'{}' is not host:port", text));
  }
  std::string_view p = std::string_view(text).substr(colon + 1);
  int value = -1;
  auto r = std::from_chars(p.data(), p.data() + p.size(), value);
  if (r.ec != std::errc() || r.ptr != p.data() + p.size() || value < 0 || value > 65535) {
    return Status::InvalidArgument(fmt::format("'{}' has no port 0-65535", text));
  }
  *host = text.substr(0, colon);
  *port = value;
  return Status::Ok();
}

Result<ErsConfig> LoadErsConfig(const std::string& path, const std::string& data_dir) {
  HUB_ASSIGN_OR_RETURN(auto root, ParseTomlFile(path));
  ErsConfig c;
  c.config_path = path;
  ConfigTable top(*root, path);

  HUB_RETURN_IF_ERROR(Section(top, "store", [&](ConfigTable& t) -> Status {
    HUB_ASSIGN_OR_RETURN(std::string db, t.String("db", "ers.db"));
    c.db_path = Resolve(data_dir, db);
    HUB_ASSIGN_OR_RETURN(std::string sync, t.String("synchronous", "FULL"));
    if (sync == "FULL") {
      c.synchronous = storage::Synchronous::kFull;
    } else if (sync == "NORMAL") {
      c.synchronous = storage::Synchronous::kNormal;
    } else {
      return t.Error("synchronous", fmt::format("'{}' is not FULL or NORMAL", sync));
    }
    HUB_ASSIGN_OR_RETURN(c.inbound_retention_days,
                         IntKey(t, "inbound_retention_days", 90, 1, 3650));
    return Status::Ok();
  }));

  HUB_RETURN_IF_ERROR(Section(top, "outbox", [&](ConfigTable& t) -> Status {
    HUB_ASSIGN_OR_RETURN(c.outbox.max_in_flight, IntKey(t, "max_in_flight", 64, 1, 10'000));
    HUB_ASSIGN_OR_RETURN(c.outbox.timeout_ms, IntKey(t, "timeout_ms", 5000, 100, 600'000));
    HUB_ASSIGN_OR_RETURN(c.outbox.max_backoff_ms,
                         IntKey(t, "max_backoff_ms", 30'000, 100, 3'600'000));
    return Status::Ok();
  }));

  HUB_RETURN_IF_ERROR(Section(top, "referrals", [&](ConfigTable& t) -> Status {
    HUB_ASSIGN_OR_RETURN(c.defaults.specialty, t.String("default_specialty", ""));
    HUB_ASSIGN_OR_RETURN(c.defaults.clinic_type, t.String("default_clinic_type", ""));
    return Status::Ok();
  }));
  c.hl7.defaults = c.defaults;
  c.poller.defaults = c.defaults;
  c.folder.defaults = c.defaults;

  HUB_RETURN_IF_ERROR(Section(top, "hl7", [&](ConfigTable& t) -> Status {
    HUB_ASSIGN_OR_RETURN(c.hl7_enabled, t.Bool("enabled", true));
    HUB_ASSIGN_OR_RETURN(std::string listen, t.String("listen", "127.0.0.1:2575"));
    if (Status s = ParseListenAddress(listen, &c.mllp.host, &c.mllp.port); !s.ok()) {
      return t.Error("listen", s.message());
    }
    HUB_ASSIGN_OR_RETURN(c.mllp.max_connections, IntKey(t, "max_connections", 64, 1, 10'000));
    HUB_ASSIGN_OR_RETURN(int frame, IntKey(t, "max_frame_bytes", 1 << 20, 1024, 64 << 20));
    c.mllp.max_frame_bytes = static_cast<std::size_t>(frame);
    HUB_ASSIGN_OR_RETURN(c.mllp.idle_timeout_ms,
                         IntKey(t, "idle_timeout_ms", 300'000, 100, 86'400'000));
    HUB_ASSIGN_OR_RETURN(c.mllp.frame_timeout_ms,
                         IntKey(t, "frame_timeout_ms", 30'000, 100, 3'600'000));
    HUB_ASSIGN_OR_RETURN(c.mllp.write_timeout_ms,
                         IntKey(t, "write_timeout_ms", 30'000, 100, 3'600'000));
    HUB_ASSIGN_OR_RETURN(int batch, IntKey(t, "max_batch", 512, 1, 100'000));
    c.mllp.max_batch = static_cast<std::size_t>(batch);
    HUB_ASSIGN_OR_RETURN(c.hl7.parse.processing_ids, t.StringList("processing_ids", {"P"}));
    HUB_ASSIGN_OR_RETURN(c.hl7.parse.require_nhs_number, t.Bool("require_nhs_number", true));
    HUB_ASSIGN_OR_RETURN(c.hl7.ack_application, t.String("ack_application", "BOOKING_HUB"));
    HUB_ASSIGN_OR_RETURN(c.hl7.ack_facility, t.String("ack_facility", ""));
    return Status::Ok();
  }));

  HUB_RETURN_IF_ERROR(Section(top, "ers", [&](ConfigTable& t) -> Status {
    HUB_ASSIGN_OR_RETURN(c.ers_enabled, t.Bool("enabled", false));
    HUB_ASSIGN_OR_RETURN(c.client.base_url,
                         t.String("base_url", "https://sandbox.api.service.nhs.uk/referrals/FHIR"));
    if (auto u = ParseBaseUrl(c.client.base_url); !u.ok()) {
      return t.Error("base_url", u.status().message());
    }
    HUB_ASSIGN_OR_RETURN(std::string token, t.String("token_file", "keys/ers.token"));
    c.client.token_file = Resolve(data_dir, token);
    HUB_ASSIGN_OR_RETURN(c.client.business_function,
                         t.String("business_function", "SERVICE_PROVIDER_ADMIN"));
    HUB_ASSIGN_OR_RETURN(c.client.ods_code, t.String("ods_code", ""));
    HUB_ASSIGN_OR_RETURN(c.client.on_behalf_of, t.String("on_behalf_of", ""));
    HUB_ASSIGN_OR_RETURN(std::string mode, t.String("access_mode", "application"));
    if (mode != "application" && mode != "user") {
      return t.Error("access_mode", fmt::format("'{}' is not application or user", mode));
    }
    c.application_restricted = mode == "application";
    HUB_ASSIGN_OR_RETURN(c.poller.services, t.StringList("services", {}));
    HUB_ASSIGN_OR_RETURN(
        auto lists, t.StringList("worklists", {"REFERRALS_FOR_REVIEW", "APPOINTMENT_SLOT_ISSUES"}));
    c.poller.worklists.clear();
    for (const auto& l : lists) {
      if (l == "REFERRALS_FOR_REVIEW") {
        c.poller.worklists.push_back(WorklistType::kReferralsForReview);
      } else if (l == "APPOINTMENT_SLOT_ISSUES") {
        c.poller.worklists.push_back(WorklistType::kAppointmentSlotIssues);
      } else {
        return t.Error("worklists", fmt::format("'{}' is not REFERRALS_FOR_REVIEW or "
                                                "APPOINTMENT_SLOT_ISSUES",
                                                l));
      }
    }
    HUB_ASSIGN_OR_RETURN(std::int64_t poll_s,
                         t.IntInRange("poll_interval_s", kMinAppRestrictedPollS, 1, 7 * 86'400));
    if (c.application_restricted && poll_s < kMinAppRestrictedPollS) {
      return t.Error("poll_interval_s",
                     fmt::format("{} s is too often: application-restricted access allows A008 at "
                                 "most twice a day per service (RULES §3.2), so at least {} s",
                                 poll_s, kMinAppRestrictedPollS));
    }
    c.poller.poll_interval_ms = poll_s * 1000;
    HUB_ASSIGN_OR_RETURN(c.client.timeout_ms,
                         IntKey(t, "request_timeout_ms", 30'000, 100, 600'000));
    HUB_ASSIGN_OR_RETURN(int max_response,
                         IntKey(t, "max_response_bytes", 10'000'000, 1024, 10'000'000));
    c.client.max_response_bytes = static_cast<std::size_t>(max_response);
    HUB_ASSIGN_OR_RETURN(c.poller.retry_min_ms, IntKey(t, "retry_min_ms", 1000, 10, 3'600'000));
    HUB_ASSIGN_OR_RETURN(c.poller.retry_max_ms, IntKey(t, "retry_max_ms", 300'000, 10, 86'400'000));
    if (c.ers_enabled) {
      if (c.poller.services.empty()) {
        return t.Error("services", "list at least one e-RS service id when enabled = true");
      }
      if (c.client.ods_code.empty()) {
        return t.Error("ods_code",
                       "is required when enabled = true "
                       "(NHSD-End-User-Organisation-ODS)");
      }
    }
    return Status::Ok();
  }));

  HUB_RETURN_IF_ERROR(Section(top, "folder", [&](ConfigTable& t) -> Status {
    HUB_ASSIGN_OR_RETURN(c.folder_enabled, t.Bool("enabled", true));
    HUB_ASSIGN_OR_RETURN(std::string inbox, t.String("inbox", "inbox/ers"));
    HUB_ASSIGN_OR_RETURN(std::string done, t.String("done", "inbox/ers/done"));
    HUB_ASSIGN_OR_RETURN(std::string error, t.String("error", "inbox/ers/error"));
    c.folder.inbox = Resolve(data_dir, inbox);
    c.folder.done = Resolve(data_dir, done);
    c.folder.error = Resolve(data_dir, error);
    HUB_ASSIGN_OR_RETURN(c.folder_scan_interval_ms,
                         IntKey(t, "scan_interval_ms", 2000, 10, 3'600'000));
    HUB_ASSIGN_OR_RETURN(int max_bytes,
                         IntKey(t, "max_file_bytes", 10'000'000, 1024, 1'000'000'000));
    c.folder.max_file_bytes = static_cast<std::size_t>(max_bytes);
    return Status::Ok();
  }));

  HUB_RETURN_IF_ERROR(top.Finish());
  return c;
}

}  // namespace hub::ers
