// Staff roles and what each may do (issue 9 §3). The server checks every API call against this
// table; the front end only hides buttons for convenience. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hub::web {

enum class Role { kClerk, kTeamLeader, kClinician, kIntegrationAdmin, kReadOnly };

// The wire/database names: clerk, team_leader, clinician, integration_admin, read_only.
std::string_view RoleName(Role r);
std::optional<Role> ParseRole(std::string_view name);
// "clerk, team_leader, clinician, integration_admin or read_only", for error messages.
std::string_view RoleNames();

enum class Permission {
  kViewPatients,         // PTL, patient, pathway, clinic lists with patients: every role but
                         // integration_admin (who operates queues and sees no patient data)
  kBook,                 // book, cancel, reschedule appointments: clerk, team_leader
  kRequestClinicChange,  // ask to cancel a session or end a clinic: clerk, team_leader
  kApproveClinicChange,  // approve or reject a clinic change: team_leader only
  kViewIntegration,      // queues, workers, dead letters: integration_admin, team_leader, read_only
  kReplay,               // replay a dead letter: integration_admin only
};
std::string_view PermissionName(Permission p);

bool Allowed(Role role, Permission p);

}  // namespace hub::web
