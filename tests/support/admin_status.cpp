// admin.status parsing for tests.
#include "tests/support/admin_status.hpp"

#include "hub/wire/msgpack_map.hpp"

namespace hub::testing {

std::optional<std::int64_t> QueuedCount(adapters::MdpClient& admin, const std::string& service) {
  auto st = admin.Call("hub.admin", wire::MakeEnvelope("admin.status", "test", 0, ""), 2000, 0);
  if (!st.ok()) return std::nullopt;
  auto doc = wire::Document::Parse(st->body);
  if (!doc.ok()) return std::nullopt;
  auto r = wire::MapReader::Of(doc->root());
  std::vector<const msgpack::object*> services;
  if (!r.ok() || !r->Array("services", &services).ok()) return std::nullopt;
  for (const auto* s : services) {
    auto m = wire::MapReader::Of(*s);
    std::string name;
    std::int64_t queued = 0;
    if (m.ok() && m->Str("name", &name).ok() && name == service && m->Int("queued", &queued).ok()) {
      return queued;
    }
  }
  return 0;
}

}  // namespace hub::testing
