// The message catalogue: every envelope type the hub knows, which service handles it, and its
// current body version. schemas/README.md is the human-readable form of the same list; a test
// checks the two agree. Consumers call FindType() to reject unknown types with a clear error.
#pragma once

#include <string_view>
#include <vector>

namespace hub::schemas {

struct TypeInfo {
  std::string_view type;     // envelope "type"
  std::string_view service;  // MDP service that handles it ("" for replies/events)
  std::uint32_t version;     // current body version ("v")
  std::string_view summary;
};

const std::vector<TypeInfo>& Catalogue();
// nullptr when `type` is not in the catalogue.
const TypeInfo* FindType(std::string_view type);

}  // namespace hub::schemas
