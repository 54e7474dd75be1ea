// The role table: who may do what (issue 9 §3), checked for every role and permission.
#include "hub/web/roles.hpp"

#include <doctest/doctest.h>

namespace hub::web {
namespace {

TEST_CASE("role names round-trip and unknown names are refused") {
  for (Role r : {Role::kClerk, Role::kTeamLeader, Role::kClinician, Role::kIntegrationAdmin, Role::kReadOnly}) {
    auto parsed = ParseRole(RoleName(r));
    REQUIRE(parsed.has_value());
    CHECK(*parsed == r);
  }
  CHECK_FALSE(ParseRole("admin").has_value());
  CHECK_FALSE(ParseRole("").has_value());
  CHECK_FALSE(ParseRole("Clerk").has_value());
}

TEST_CASE("the permission table") {
  using P = Permission;
  struct Row {
    Role role;
    bool view, book, request, approve, integration, replay;
  };
  const Row rows[] = {
      {Role::kClerk, true, true, true, false, false, false},
      {Role::kTeamLeader, true, true, true, true, true, false},
      {Role::kClinician, true, false, false, false, false, false},
      {Role::kIntegrationAdmin, false, false, false, false, true, true},
      {Role::kReadOnly, true, false, false, false, true, false},
  };
  for (const auto& r : rows) {
    CAPTURE(RoleName(r.role));
    CHECK(Allowed(r.role, P::kViewPatients) == r.view);
    CHECK(Allowed(r.role, P::kBook) == r.book);
    CHECK(Allowed(r.role, P::kRequestClinicChange) == r.request);
    CHECK(Allowed(r.role, P::kApproveClinicChange) == r.approve);
    CHECK(Allowed(r.role, P::kViewIntegration) == r.integration);
    CHECK(Allowed(r.role, P::kReplay) == r.replay);
  }
}

}  // namespace
}  // namespace hub::web
