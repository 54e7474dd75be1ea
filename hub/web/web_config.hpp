// [web] in hub.toml: where `hub web` listens, its users database, session and sign-in limits.
// Every key is documented in config/hub.toml with its unit and default.
#pragma once

#include <cstdint>
#include <string>

#include "hub/common/config_table.hpp"
#include "hub/common/status.hpp"

namespace hub::web {

struct WebConfig {
  std::string listen_address = "127.0.0.1";
  int port = 8080;                           // 0 = any free port (tests)
  std::string users_db = "users.db";         // resolved against data_dir
  std::string static_dir = "../hub/web/static";  // resolved against the config folder
  int session_idle_minutes = 30;             // a session unused this long is signed out
  int session_max_hours = 12;                // and any session after this long
  bool secure_cookies = false;               // true behind TLS: cookies get the Secure flag
  std::int64_t max_body_bytes = 65'536;      // larger request bodies get 413
  int signin_max_failures = 5;               // failed sign-ins per user (and per address) ...
  int signin_window_seconds = 300;           // ... within this window, then 429 until it passes
  int backend_timeout_ms = 5000;             // wait for the booking service / broker per request
  int max_connections = 256;                 // more open connections are closed at once
};

// Reads the [web] table (`t`); paths are made absolute against `config_dir` / `data_dir`.
Status LoadWebConfig(ConfigTable& t, const std::string& config_dir, const std::string& data_dir,
                     WebConfig* out);

}  // namespace hub::web
