// Loading [web] from hub.toml.
#include "hub/web/web_config.hpp"

#include <filesystem>

namespace hub::web {

namespace fs = std::filesystem;

namespace {
std::string Resolve(const std::string& base, const std::string& path) {
  if (fs::path(path).is_absolute()) return path;
  return fs::weakly_canonical(fs::path(base) / path).string();
}
}  // namespace

Status LoadWebConfig(ConfigTable& t, const std::string& config_dir, const std::string& data_dir,
                     WebConfig* out) {
  WebConfig c;
  HUB_ASSIGN_OR_RETURN(c.listen_address, t.String("listen_address", c.listen_address));
  HUB_ASSIGN_OR_RETURN(auto port, t.IntInRange("port", c.port, 0, 65535));
  c.port = static_cast<int>(port);
  HUB_ASSIGN_OR_RETURN(c.users_db, t.String("users_db", c.users_db));
  c.users_db = Resolve(data_dir, c.users_db);
  HUB_ASSIGN_OR_RETURN(c.static_dir, t.String("static_dir", c.static_dir));
  c.static_dir = Resolve(config_dir, c.static_dir);
  HUB_ASSIGN_OR_RETURN(auto idle, t.IntInRange("session_idle_minutes", c.session_idle_minutes, 1, 24 * 60));
  c.session_idle_minutes = static_cast<int>(idle);
  HUB_ASSIGN_OR_RETURN(auto max_h, t.IntInRange("session_max_hours", c.session_max_hours, 1, 24 * 7));
  c.session_max_hours = static_cast<int>(max_h);
  HUB_ASSIGN_OR_RETURN(c.secure_cookies, t.Bool("secure_cookies", c.secure_cookies));
  HUB_ASSIGN_OR_RETURN(c.max_body_bytes, t.IntInRange("max_body_bytes", c.max_body_bytes, 1024, 16 << 20));
  HUB_ASSIGN_OR_RETURN(auto fails, t.IntInRange("signin_max_failures", c.signin_max_failures, 1, 1000));
  c.signin_max_failures = static_cast<int>(fails);
  HUB_ASSIGN_OR_RETURN(auto window, t.IntInRange("signin_window_seconds", c.signin_window_seconds, 1, 86'400));
  c.signin_window_seconds = static_cast<int>(window);
  HUB_ASSIGN_OR_RETURN(auto timeout, t.IntInRange("backend_timeout_ms", c.backend_timeout_ms, 100, 600'000));
  c.backend_timeout_ms = static_cast<int>(timeout);
  HUB_ASSIGN_OR_RETURN(auto conns, t.IntInRange("max_connections", c.max_connections, 1, 100'000));
  c.max_connections = static_cast<int>(conns);
  HUB_RETURN_IF_ERROR(t.Finish());
  *out = std::move(c);
  return Status::Ok();
}

}  // namespace hub::web
