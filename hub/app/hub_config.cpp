// Loading hub.toml.
#include "hub/app/hub_config.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace hub::app {

namespace fs = std::filesystem;

namespace {
std::string Resolve(const std::string& base, const std::string& path) {
  if (fs::path(path).is_absolute()) return path;
  return fs::weakly_canonical(fs::path(base) / path).string();
}
}  // namespace

Result<HubConfig> LoadHubConfig(const std::string& path) {
  HUB_ASSIGN_OR_RETURN(auto root, ParseTomlFile(path));
  HubConfig c;
  c.config_path = path;
  c.config_dir = fs::absolute(path).parent_path().string();
  ConfigTable top(*root, path);

  HUB_ASSIGN_OR_RETURN(auto hub, top.Table("hub"));
  std::string data_dir = "../var";
  if (hub) {
    HUB_ASSIGN_OR_RETURN(data_dir, hub->String("data_dir", data_dir));
    HUB_ASSIGN_OR_RETURN(c.log_level, hub->String("log_level", c.log_level));
    HUB_RETURN_IF_ERROR(hub->Finish());
  }
  c.data_dir = Resolve(c.config_dir, data_dir);

  HUB_ASSIGN_OR_RETURN(auto broker, top.Table("broker"));
  if (broker) {
    HUB_RETURN_IF_ERROR(broker::LoadBrokerConfig(*broker, c.data_dir, &c.broker));
  } else {
    auto empty = toml::table();
    ConfigTable t(empty, path, "broker");
    HUB_RETURN_IF_ERROR(broker::LoadBrokerConfig(t, c.data_dir, &c.broker));
  }

  {
    HUB_ASSIGN_OR_RETURN(auto booking, top.Table("booking"));
    auto empty = toml::table();
    ConfigTable defaults(empty, path, "booking");
    HUB_RETURN_IF_ERROR(booking_worker::LoadBookingWorkerConfig(booking ? *booking : defaults, c.config_dir,
                                                                c.data_dir, &c.booking));
  }

  HUB_ASSIGN_OR_RETURN(auto client, top.Table("client"));
  if (client) {
    HUB_ASSIGN_OR_RETURN(c.client.endpoint, client->String("endpoint", c.client.endpoint));
    HUB_ASSIGN_OR_RETURN(c.client.curve, client->Bool("curve", c.client.curve));
    HUB_ASSIGN_OR_RETURN(c.client.server_public_key_file,
                         client->String("server_public_key_file", c.client.server_public_key_file));
    HUB_ASSIGN_OR_RETURN(c.client.keys_dir, client->String("keys_dir", c.client.keys_dir));
    HUB_RETURN_IF_ERROR(client->Finish());
  }
  c.client.server_public_key_file = Resolve(c.data_dir, c.client.server_public_key_file);
  c.client.keys_dir = Resolve(c.data_dir, c.client.keys_dir);

  HUB_ASSIGN_OR_RETURN(auto up, top.Table("up"));
  if (up) {
    HUB_ASSIGN_OR_RETURN(auto a, up->IntInRange("restart_min_ms", c.up.restart_min_ms, 10, 600'000));
    HUB_ASSIGN_OR_RETURN(auto b, up->IntInRange("restart_max_ms", c.up.restart_max_ms, 10, 3'600'000));
    HUB_ASSIGN_OR_RETURN(auto s, up->IntInRange("stable_after_ms", c.up.stable_after_ms, 100, 86'400'000));
    HUB_ASSIGN_OR_RETURN(c.up.processes, up->StringList("processes", c.up.processes));
    HUB_ASSIGN_OR_RETURN(auto demo, up->IntInRange("demo_referrals", 0, 0, 1'000'000));
    c.up.demo_referrals = static_cast<int>(demo);
    c.up.restart_min_ms = static_cast<int>(a);
    c.up.restart_max_ms = static_cast<int>(b);
    c.up.stable_after_ms = static_cast<int>(s);
    HUB_RETURN_IF_ERROR(up->Finish());
  }
  {
    HUB_ASSIGN_OR_RETURN(auto web, top.Table("web"));
    auto empty = toml::table();
    ConfigTable defaults(empty, path, "web");
    HUB_RETURN_IF_ERROR(web::LoadWebConfig(web ? *web : defaults, c.config_dir, c.data_dir, &c.web));
  }
  HUB_RETURN_IF_ERROR(top.Finish());
  return c;
}

Result<wire::BrokerConnection> ConnectionFor(const HubConfig& config, const std::string& name) {
  wire::BrokerConnection conn;
  conn.endpoint = config.client.endpoint;
  conn.curve = config.client.curve && conn.endpoint.rfind("tcp://", 0) == 0;
  if (!conn.curve) return conn;
  HUB_ASSIGN_OR_RETURN(conn.server_public_z85, wire::LoadCurvePublicKey(config.client.server_public_key_file));
  std::string key_file = (fs::path(config.client.keys_dir) / (name + ".key")).string();
  auto keys = wire::LoadCurveKeyPair(key_file);
  if (!keys.ok()) {
    return Status(keys.status().code(),
                  fmt::format("{} (run 'hub keys' or 'hub up' once to generate the hub's CURVE keys)",
                              keys.status().message()));
  }
  conn.client_keys = *keys;
  return conn;
}

}  // namespace hub::app
