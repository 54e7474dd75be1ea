// The catalogue's entries. Add a line here and a section in README.md for every new type.
#include "schemas/catalogue.hpp"

namespace hub::schemas {

const std::vector<TypeInfo>& Catalogue() {
  static const std::vector<TypeInfo> kTypes = {
      // -- broker and operations (schemas/error.hpp, schemas/admin.hpp)
      {"hub.error", "", 1, "error reply: code, message, field, ref"},
      {"admin.status", "hub.admin", 1, "broker status: services, workers, queue depths"},
      {"admin.dead_letters", "hub.admin", 1, "list dead-lettered requests"},
      {"admin.replay", "hub.admin", 1, "requeue one dead-lettered request by id"},
      {"admin.purge", "hub.admin", 1, "delete answered (and optionally dead) requests older than a cut-off"},
      {"admin.result", "", 1, "reply to an admin.* request"},
      // -- test and benchmark traffic (tests/support, bench/)
      {"test.apply", "test", 1, "apply a keyed effect once (idempotent test worker)"},
      {"test.echo", "echo", 1, "echo the body back"},
  };
  return kTypes;
}

const TypeInfo* FindType(std::string_view type) {
  for (const auto& t : Catalogue()) {
    if (t.type == type) return &t;
  }
  return nullptr;
}

}  // namespace hub::schemas
