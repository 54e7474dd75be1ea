// Clinic templates (RULES §8): the weekly pattern a clinic runs to — clinic code, consultant,
// specialty and clinic type, site/room, weekday and times, effective dates, slot list, booking
// horizon and release rules — and the sessions and slots it generates for a date range. A Clinic
// holds the template's versions over time and the sessions cancelled from it. Pure functions.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hub/booking/calendar.hpp"
#include "hub/booking/slot.hpp"
#include "hub/common/status.hpp"

namespace hub::booking {

inline constexpr int kMaxReleaseDays = 28;

struct SlotDef {
  int start_minutes = 0;   // local time after midnight ("09:30" on the wire)
  int length_minutes = 0;  // e.g. 10, 15, 20, 30
  SlotType type = SlotType::kUnspecified;
  int capacity = 1;
  std::optional<int> release_days;  // overrides the template's release_days

  bool operator==(const SlotDef&) const = default;
};

struct ClinicTemplate {
  std::string clinic_code;  // PAS clinic code: upper-case letters, digits, '_' (no '-')
  std::string clinic_name;  // for letters, may be ""
  std::string consultant;   // consultant or team, e.g. "Dr R Patel"
  std::string specialty;    // e-RS specialty code, matched against referrals
  std::string clinic_type;  // e-RS clinic type code, matched against referrals
  std::string site;         // hospital site, printed in letters
  std::string room;         // may be ""
  unsigned weekday = 1;     // ISO: 1 = Monday ... 7 = Sunday
  int start_minutes = 0;    // session start, local time
  int end_minutes = 0;      // session end, local time
  Date effective_from;
  std::optional<Date> effective_to;  // last date with a session, or open-ended
  std::vector<SlotDef> slots;        // sorted by start time by ValidateTemplate
  int booking_horizon_weeks = 12;    // slots exist this far ahead of today
  int release_days = 0;              // default release rule for URGENT / TWO_WEEK_WAIT slots

  bool operator==(const ClinicTemplate&) const = default;
};

// Checks a template and sorts its slots by start time. Errors are InvalidArgument naming the field
// ("clinic_code", "slots[2].start", "weekday") and what is wrong: slots outside the session,
// two slots starting at the same time, capacity < 1, a release rule over kMaxReleaseDays...
Status ValidateTemplate(ClinicTemplate* tmpl);

// True when the template runs a session on `d` (right weekday, inside its effective dates).
bool HasSessionOn(const ClinicTemplate& tmpl, Date d);
Session MakeSession(const ClinicTemplate& tmpl, Date d);
// The slots of the template's sessions on dates from..to inclusive, in time order, each with its
// deterministic id, UTC start (Europe/London local time) and nothing booked.
std::vector<Slot> GenerateSlots(const ClinicTemplate& tmpl, Date from, Date to);

// A clinic over time: its template versions (ordered by effective_from, non-overlapping), the
// sessions cancelled from it, and how far ahead its slots have been generated.
struct Clinic {
  std::string clinic_code;
  std::vector<ClinicTemplate> versions;
  std::set<Date> cancelled_sessions;
  std::optional<Date> generated_until;  // slots exist for every session up to this date

  // The version in effect on `d`, or nullptr.
  const ClinicTemplate* VersionOn(Date d) const;
  const ClinicTemplate& latest() const { return versions.back(); }
  // True when a session runs on `d` and has not been cancelled.
  bool RunsOn(Date d) const;
  // Makes `tmpl` the version from tmpl.effective_from on: later versions are dropped and the
  // previous one is ended the day before.
  void AddVersion(ClinicTemplate tmpl);
  // Slots of every uncancelled session on dates from..to inclusive, each from its version.
  std::vector<Slot> Generate(Date from, Date to) const;

  bool operator==(const Clinic&) const = default;
};

}  // namespace hub::booking
