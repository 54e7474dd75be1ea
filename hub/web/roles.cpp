// The role table.
#include "hub/web/roles.hpp"

namespace hub::web {

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kClerk: return "clerk";
    case Role::kTeamLeader: return "team_leader";
    case Role::kClinician: return "clinician";
    case Role::kIntegrationAdmin: return "integration_admin";
    case Role::kReadOnly: return "read_only";
  }
  return "read_only";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kClerk, Role::kTeamLeader, Role::kClinician, Role::kIntegrationAdmin,
                 Role::kReadOnly}) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

std::string_view RoleNames() {
  return "clerk, team_leader, clinician, integration_admin or read_only";
}

std::string_view PermissionName(Permission p) {
  switch (p) {
    case Permission::kViewPatients: return "view patient data";
    case Permission::kBook: return "book, cancel or reschedule appointments";
    case Permission::kRequestClinicChange: return "request a clinic change";
    case Permission::kApproveClinicChange: return "approve a clinic change";
    case Permission::kViewIntegration: return "view integration queues";
    case Permission::kReplay: return "replay a dead letter";
  }
  return "?";
}

bool Allowed(Role role, Permission p) {
  switch (p) {
    case Permission::kViewPatients:
      return role != Role::kIntegrationAdmin;
    case Permission::kBook:
    case Permission::kRequestClinicChange:
      return role == Role::kClerk || role == Role::kTeamLeader;
    case Permission::kApproveClinicChange:
      return role == Role::kTeamLeader;
    case Permission::kViewIntegration:
      return role == Role::kIntegrationAdmin || role == Role::kTeamLeader || role == Role::kReadOnly;
    case Permission::kReplay:
      return role == Role::kIntegrationAdmin;
  }
  return false;
}

}  // namespace hub::web
