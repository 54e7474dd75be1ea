// Wiring of users.db, the MDP backend, the API and the HTTP server.
#include "hub/web/web_service.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "hub/web/backend.hpp"
#include "hub/web/http_server.hpp"
#include "hub/web/user_store.hpp"
#include "hub/web/web_api.hpp"

namespace hub::web {

Status RunWebService(const WebServiceOptions& options, const Clock& clock, const std::atomic<bool>& stop,
                     const std::function<void(int)>& on_listening) {
  auto users = UserStore::Open(options.config.users_db);
  if (!users.ok()) {
    return Status(users.status().code(),
                  fmt::format("users database {}: {}", options.config.users_db, users.status().message()));
  }
  MdpBackend backend(options.broker, options.config.backend_timeout_ms, clock);
  WebApiOptions api_options{options.config, options.clinics, options.potential_breach_horizon_weeks};
  WebApi api(api_options, **users, backend, clock);
  HttpServer server(options.config, [&api](const HttpRequest& r) { return api.Handle(r); });
  HUB_RETURN_IF_ERROR(server.Listen());
  spdlog::info("web UI on http://{}:{}/ (static files from {})", options.config.listen_address, server.port(),
               options.config.static_dir);
  if (on_listening) on_listening(server.port());
  server.Run(stop);
  return Status::Ok();
}

}  // namespace hub::web
