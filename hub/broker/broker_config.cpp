// [broker] config parsing.
#include "hub/broker/broker_config.hpp"

#include <filesystem>

namespace hub::broker {

namespace {
std::string Resolve(const std::string& base, const std::string& path) {
  if (path.empty() || base.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(base) / path).string();
}
}  // namespace

Status LoadBrokerConfig(ConfigTable& t, const std::string& base_dir, BrokerConfig* out) {
  BrokerConfig c;
  HUB_ASSIGN_OR_RETURN(c.endpoints, t.StringList("endpoints", c.endpoints));
  if (c.endpoints.empty()) return t.Error("endpoints", "at least one endpoint is needed");
  HUB_ASSIGN_OR_RETURN(c.journal_path, t.String("journal", "broker.db"));
  c.journal_path = Resolve(base_dir, c.journal_path);
  HUB_ASSIGN_OR_RETURN(std::string sync, t.String("synchronous", "FULL"));
  if (sync == "FULL") {
    c.synchronous = storage::Synchronous::kFull;
  } else if (sync == "NORMAL") {
    c.synchronous = storage::Synchronous::kNormal;
  } else {
    return t.Error("synchronous", "must be \"FULL\" or \"NORMAL\"");
  }
  HUB_ASSIGN_OR_RETURN(auto hb, t.IntInRange("heartbeat_ms", c.heartbeat_ms, 10, 600'000));
  c.heartbeat_ms = static_cast<int>(hb);
  HUB_ASSIGN_OR_RETURN(auto live, t.IntInRange("liveness", c.liveness, 2, 100));
  c.liveness = static_cast<int>(live);
  HUB_ASSIGN_OR_RETURN(c.request_timeout_ms,
                       t.IntInRange("request_timeout_ms", c.request_timeout_ms, 100, 86'400'000));
  HUB_ASSIGN_OR_RETURN(auto att, t.IntInRange("max_attempts", c.max_attempts, 1, 1000));
  c.max_attempts = static_cast<int>(att);
  HUB_ASSIGN_OR_RETURN(c.queue_soft_limit,
                       t.IntInRange("queue_soft_limit", c.queue_soft_limit, 1, 1'000'000'000));
  HUB_ASSIGN_OR_RETURN(c.queue_hard_limit,
                       t.IntInRange("queue_hard_limit", c.queue_hard_limit, 1, 1'000'000'000));
  if (c.queue_hard_limit < c.queue_soft_limit) {
    return t.Error("queue_hard_limit", "must be at least queue_soft_limit");
  }
  HUB_ASSIGN_OR_RETURN(auto mb, t.IntInRange("max_message_bytes",
                                             static_cast<std::int64_t>(c.max_message_bytes), 1024,
                                             64 << 20));
  c.max_message_bytes = static_cast<std::size_t>(mb);
  HUB_ASSIGN_OR_RETURN(c.services, t.StringList("services", c.services));
  HUB_ASSIGN_OR_RETURN(auto keep_h, t.IntInRange("reply_retention_hours", 168, 1, 24 * 3650));
  c.reply_retention_ms = keep_h * 3600 * 1000;
  HUB_ASSIGN_OR_RETURN(auto win, t.IntInRange("window", c.window, 16, 1'000'000));
  c.window = static_cast<int>(win);
  HUB_ASSIGN_OR_RETURN(auto batch, t.IntInRange("batch", c.batch, 1, 1'000'000));
  c.batch = static_cast<int>(batch);
  HUB_ASSIGN_OR_RETURN(c.curve, t.Bool("curve", c.curve));
  HUB_ASSIGN_OR_RETURN(c.server_key_file, t.String("server_key_file", "keys/broker.key"));
  c.server_key_file = Resolve(base_dir, c.server_key_file);
  HUB_ASSIGN_OR_RETURN(c.clients_dir, t.String("clients_dir", "keys/clients"));
  c.clients_dir = Resolve(base_dir, c.clients_dir);
  HUB_RETURN_IF_ERROR(t.Finish());
  *out = std::move(c);
  return Status::Ok();
}

}  // namespace hub::broker
