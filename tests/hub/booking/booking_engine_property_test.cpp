// Property-based tests (rapidcheck) of BookingEngine over random sequences of referrals, clinic
// templates, session cancellations (with approvals), hospital and patient cancellations, declines,
// clerk bookings, attendances and days passing. After every command:
//  - no slot is over capacity, and slot counts match their appointments;
//  - no offer breaks the reasonable-notice rule (RULES §2.2);
//  - among patients waiting in a group, no automatic booking went to a patient while a patient
//    ranked before them (priority, then clock start) who could have had that slot still waits;
//  - no waiting patient is left with a fitting free slot (freed slots are offered automatically);
//  - every appointment cancelled by the hospital ends rebooked or on the rebooking worklist;
//  - a refused command changes nothing; the indexes agree with the records.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <rapidcheck.h>

#include <algorithm>
#include <vector>

#include "booking_fixtures.hpp"
#include "hub/booking/booking_engine.hpp"

namespace hub::booking {
namespace {

using testing::D;
using testing::MakeReferral;
using testing::MakeTemplate;

std::size_t Pick(std::size_t n) {
  return static_cast<std::size_t>(*rc::gen::inRange<int>(0, static_cast<int>(n)));
}

template <typename Map>
std::vector<std::string> SortedKeys(const Map& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

// The booking order of RULES §1.10, written out independently of the engine's RanksBefore:
// higher clinical priority first, then the earlier clock start, then the smaller entry id.
bool ServedBefore(const WaitingListEntry& a, const WaitingListEntry& b) {
  auto rank = [](Priority p) {
    return p == Priority::kTwoWeekWait ? 0 : p == Priority::kUrgent ? 1 : 2;
  };
  if (rank(a.priority) != rank(b.priority)) return rank(a.priority) < rank(b.priority);
  if (a.clock_start != b.clock_start) return a.clock_start < b.clock_start;
  return a.entry_id < b.entry_id;
}

bool Consumes(AppointmentStatus s) {
  return s == AppointmentStatus::kBooked || s == AppointmentStatus::kAttended ||
         s == AppointmentStatus::kDidNotAttend || s == AppointmentStatus::kLateNotSeen;
}

void CheckRecords(const BookingEngine& engine) {
  const BookingState& st = engine.state();
  std::map<std::string, int> used;
  for (const auto& [id, a] : st.appointments) {
    if (Consumes(a.status)) ++used[a.slot_id];
    if (a.status == AppointmentStatus::kBooked) {
      const auto& e = st.entries.at(a.entry_id);
      RC_ASSERT(e.status == EntryStatus::kBooked);
      RC_ASSERT(e.appointment_id == id);
      RC_ASSERT(!st.slots.at(a.slot_id).cancelled);
    }
  }
  std::size_t free_slots = 0;
  for (const auto& [id, s] : st.slots) {
    RC_ASSERT(s.booked >= 0);
    RC_ASSERT(s.booked == used[id]);
    if (!s.cancelled) RC_ASSERT(s.booked <= s.capacity);  // never over capacity
    if (s.free() > 0) ++free_slots;
  }
  RC_ASSERT(st.free_slots.size() == free_slots);
  std::size_t queued = 0;
  for (const auto& [id, e] : st.entries) {
    if (IsAutoBooked(e)) ++queued;
    if (e.status == EntryStatus::kBooked) {
      RC_ASSERT(st.appointments.at(e.appointment_id).status == AppointmentStatus::kBooked);
    }
  }
  RC_ASSERT(st.queue.size() == queued);
}

// No waiting (auto-booked) entry has a free slot that fits it.
void CheckNothingLeftOnTheTable(const BookingEngine& engine, Date today) {
  const BookingState& st = engine.state();
  std::vector<const Slot*> free;
  for (const auto& [id, s] : st.slots) {
    if (s.free() > 0 && s.date >= today) free.push_back(&s);
  }
  for (const auto& [id, e] : st.entries) {
    if (!IsAutoBooked(e)) continue;
    for (const Slot* s : free) RC_ASSERT(!SlotFits(e, *s, today, engine.rules()));
  }
}

void CheckDecision(const BookingEngine& engine, const BookingState& before, const Decision& d,
                   const std::string& explicit_appointment, Date today) {
  const BookingState& st = engine.state();
  const BookingRules& rules = engine.rules();
  for (const auto& id : d.booked) {
    const Appointment& a = st.appointments.at(id);
    const WaitingListEntry& b = st.entries.at(a.entry_id);
    // Reasonable notice unless the patient agreed to less (RULES §2.2).
    RC_ASSERT(a.notice_days() >= rules.reasonable_notice_days || a.short_notice_agreed);
    RC_ASSERT(a.date >= today);
    if (id == explicit_appointment) continue;
    RC_ASSERT(a.booked_on == today);
    // Booking order: nobody ranked before this patient and still waiting could have had the slot.
    const Slot& slot = st.slots.at(a.slot_id);
    for (const auto& [other_id, earlier] : st.entries) {
      if (IsAutoBooked(earlier) && ServedBefore(earlier, b)) {
        RC_ASSERT(!SlotFits(earlier, slot, today, rules));
      }
    }
  }
  // Every hospital-cancelled appointment is rebooked or on the rebooking worklist.
  auto hospital_cancelled = [](const BookingState& s) {
    std::size_t n = 0;
    for (const auto& [id, a] : s.appointments)
      n += a.status == AppointmentStatus::kCancelledByHospital;
    return n;
  };
  RC_ASSERT(hospital_cancelled(st) - hospital_cancelled(before) == d.rebooking.size());
  for (const auto& item : d.rebooking) {
    const WaitingListEntry& e = st.entries.at(item.entry_id);
    RC_ASSERT(st.appointments.at(item.cancelled_appointment_id).status ==
              AppointmentStatus::kCancelledByHospital);
    RC_ASSERT(item.clock_start == e.clock_start);  // clock and priority kept
    RC_ASSERT(item.priority == e.priority);
    if (item.rebooked_appointment_id) {
      RC_ASSERT(e.status == EntryStatus::kBooked);
      RC_ASSERT(e.appointment_id == *item.rebooked_appointment_id);
    } else {
      RC_ASSERT(e.status == EntryStatus::kRebooking);
    }
  }
}

struct Scenario {
  BookingEngine engine;
  Date today = D("2025-01-06");
  int next_referral = 1;
  std::vector<std::string> clinics;
};

ClinicTemplate RandomTemplate(const std::string& code, Date from) {
  static const SlotType kTypes[] = {SlotType::kNew, SlotType::kNew, SlotType::kUrgent,
                                    SlotType::kTwoWeekWait};
  std::vector<SlotType> types;
  const int n = *rc::gen::inRange(1, 5);
  for (int i = 0; i < n; ++i) types.push_back(kTypes[Pick(4)]);
  ClinicTemplate t =
      MakeTemplate(code, static_cast<unsigned>(*rc::gen::inRange(1, 6)), from, types);
  for (auto& s : t.slots) s.capacity = *rc::gen::inRange(1, 3);
  t.release_days = *rc::gen::inRange(0, 4);
  t.booking_horizon_weeks = *rc::gen::inRange(2, 9);
  if (*rc::gen::inRange(0, 3) == 0) t.specialty = "DERMATOLOGY";
  return t;
}

// Applies `command`, checks every property, and returns the decision (nullopt when refused).
std::optional<Decision> Step(Scenario& s, const Command& command) {
  const BookingState before = s.engine.state();
  auto r = s.engine.Apply(command, s.today);
  if (!r.ok()) {
    RC_ASSERT(s.engine.state().SameRecords(before));
    return std::nullopt;
  }
  std::string explicit_id;
  if (std::holds_alternative<BookAppointment>(command) ||
      std::holds_alternative<RescheduleAppointment>(command)) {
    explicit_id = r->appointment_id;
  }
  CheckDecision(s.engine, before, *r, explicit_id, s.today);
  CheckRecords(s.engine);
  CheckNothingLeftOnTheTable(s.engine, s.today);
  return std::move(r).value();
}

std::vector<std::string> LiveAppointments(const Scenario& s, bool future) {
  std::vector<std::string> out;
  for (const auto& id : SortedKeys(s.engine.state().appointments)) {
    const Appointment& a = s.engine.state().appointments.at(id);
    if (a.status != AppointmentStatus::kBooked) continue;
    if (future ? a.date >= s.today : a.date <= s.today) out.push_back(id);
  }
  return out;
}

void RandomStep(Scenario& s) {
  const int op = *rc::gen::inRange(0, 110);
  const BookingState& st = s.engine.state();
  if (op < 40) {
    static const Priority kPriorities[] = {Priority::kRoutine, Priority::kRoutine,
                                           Priority::kUrgent, Priority::kTwoWeekWait};
    const int n = s.next_referral++;
    Referral r = MakeReferral(fmt::format("{:012}", n), kPriorities[Pick(4)],
                              AddDays(s.today, -*rc::gen::inRange(0, 200)), n);
    r.short_notice_agreed = *rc::gen::inRange(0, 4) == 0;
    if (*rc::gen::inRange(0, 4) == 0) r.specialty = "DERMATOLOGY";
    r.needs_triage = *rc::gen::inRange(0, 6) == 0;
    Step(s, ReceiveReferral{r});
  } else if (op < 50) {
    s.today = AddDays(s.today, *rc::gen::inRange(1, 8));
    Step(s, Sweep{});
  } else if (op < 58) {
    const std::string& clinic = s.clinics[Pick(s.clinics.size())];
    const Date date = AddDays(s.today, *rc::gen::inRange(0, 70));
    const std::string change = fmt::format("CX{}", s.next_referral++);
    auto d = Step(s, RequestTemplateChange{change, clinic, TemplateChangeKind::kCancelSession, date,
                                           std::nullopt, "", "", ""});
    if (d && d->pending_approval) {
      Step(s, ApproveTemplateChange{change, *rc::gen::inRange(0, 3) > 0, "manager", ""});
    }
  } else if (op < 66 || op < 81) {
    auto live = LiveAppointments(s, true);
    if (live.empty()) return;
    const std::string& id = live[Pick(live.size())];
    if (op < 66) {
      Step(s, CancelAppointment{id, CancelledBy::kHospital, "CLINIC_OVERRUN", "", std::nullopt});
    } else if (op < 74) {
      Step(s, CancelAppointment{id, CancelledBy::kPatient, "", "", std::nullopt});
    } else {
      Step(s, DeclineOffer{id, "", std::nullopt});
    }
  } else if (op < 89) {
    auto entries = SortedKeys(st.entries);
    auto slots = SortedKeys(st.slots);
    if (entries.empty() || slots.empty()) return;
    Step(s, BookAppointment{entries[Pick(entries.size())], slots[Pick(slots.size())],
                            *rc::gen::inRange(0, 2) == 0, "clerk"});
  } else if (op < 95) {
    auto due = LiveAppointments(s, false);
    if (due.empty()) return;
    static const AttendanceCode kCodes[] = {
        AttendanceCode::kAttended, AttendanceCode::kDidNotAttend, AttendanceCode::kLateNotSeen,
        AttendanceCode::kCancelledByPatient, AttendanceCode::kCancelledByProvider};
    const AttendanceCode code = kCodes[Pick(5)];
    std::optional<Date> follow_up;
    if (code == AttendanceCode::kAttended && *rc::gen::inRange(0, 3) == 0) {
      follow_up = AddDays(s.today, 14);
    }
    Step(s, RecordAttendance{due[Pick(due.size())], code, std::nullopt, std::nullopt, "", "",
                             follow_up});
  } else if (op >= 100) {
    // A clinician's decision: triage of a waiting referral, or the outcome of a review hold.
    const EntryStatus wanted =
        op < 105 ? EntryStatus::kAwaitingTriage : EntryStatus::kClinicalReview;
    std::vector<std::string> ids;
    for (const auto& id : SortedKeys(st.entries)) {
      if (st.entries.at(id).status == wanted) ids.push_back(id);
    }
    if (ids.empty()) return;
    const std::string& id = ids[Pick(ids.size())];
    if (op < 105) {
      static const Priority kP[] = {Priority::kRoutine, Priority::kUrgent, Priority::kTwoWeekWait};
      const bool accept = *rc::gen::inRange(0, 4) > 0;
      Step(s, TriageReferral{id, accept ? TriageOutcome::kAccept : TriageOutcome::kReturnToReferrer,
                             kP[Pick(3)], std::nullopt, std::nullopt, s.today, "", ""});
    } else {
      static const ReviewOutcome kO[] = {ReviewOutcome::kRebook, ReviewOutcome::kRebook,
                                         ReviewOutcome::kDischarge,
                                         ReviewOutcome::kActiveMonitoring};
      Step(s, RecordReviewOutcome{id, kO[Pick(4)], s.today, "", ""});
    }
  } else {
    const std::string& clinic = s.clinics[Pick(s.clinics.size())];
    ClinicTemplate t = RandomTemplate(clinic, AddDays(s.today, *rc::gen::inRange(0, 70)));
    const std::string change = fmt::format("TV{}", s.next_referral++);
    auto d = Step(s, UpsertTemplate{t, change, "ops", ""});
    if (d && d->pending_approval) {
      Step(s, ApproveTemplateChange{change, *rc::gen::inRange(0, 3) > 0, "manager", ""});
    }
  }
}

TEST_CASE("properties hold over random referral / template / cancellation sequences") {
  const bool ok = rc::check("booking invariants", [] {
    Scenario s;
    const int clinics = *rc::gen::inRange(1, 4);
    for (int i = 0; i < clinics; ++i) {
      s.clinics.push_back(fmt::format("CLIN{}", i));
      RC_ASSERT(
          Step(s, UpsertTemplate{RandomTemplate(s.clinics.back(), D("2024-12-01")), "", "", ""})
              .has_value());
    }
    const int steps = *rc::gen::inRange(10, 80);
    for (int i = 0; i < steps; ++i) RandomStep(s);
  });
  CHECK(ok);
}

TEST_CASE("patients waiting together are booked in priority then clock-start order") {
  const bool ok = rc::check("batch order", [] {
    BookingEngine engine;
    const Date today = D("2025-01-06");
    // Referrals arrive in random order while there is no clinic, so they all wait.
    const int n = *rc::gen::inRange(1, 40);
    for (int i = 0; i < n; ++i) {
      static const Priority kP[] = {Priority::kRoutine, Priority::kUrgent, Priority::kTwoWeekWait};
      Referral r = MakeReferral(fmt::format("{:012}", i + 1), kP[Pick(3)],
                                AddDays(today, -*rc::gen::inRange(0, 300)), i + 1);
      RC_ASSERT(engine.Apply(ReceiveReferral{r}, today).ok());
    }
    // Then one clinic opens: a single decision offers its slots to all of them.
    ClinicTemplate t = RandomTemplate("CARD01", D("2025-01-01"));
    t.specialty = "CARDIOLOGY";
    t.release_days = 0;
    auto d = engine.Apply(UpsertTemplate{t, "", "", ""}, today);
    RC_ASSERT(d.ok());
    const BookingState& st = engine.state();
    // Bookings were made in booking order ...
    std::vector<const WaitingListEntry*> booked;
    for (const auto& id : d->booked) {
      booked.push_back(&st.entries.at(st.appointments.at(id).entry_id));
    }
    for (std::size_t i = 1; i < booked.size(); ++i) {
      RC_ASSERT(ServedBefore(*booked[i - 1], *booked[i]));
    }
    // ... so for each slot type, a patient served earlier never has a later slot ...
    std::map<SlotType, std::int64_t> last_start;
    for (const auto& id : d->booked) {
      const Appointment& a = st.appointments.at(id);
      const SlotType type = st.slots.at(a.slot_id).type;
      RC_ASSERT(a.start_ms >= last_start[type]);
      last_start[type] = a.start_ms;
    }
    // ... and nobody still waiting ranks before a booked patient who took a slot they could use.
    for (const auto& [id, e] : st.entries) {
      if (e.status != EntryStatus::kWaiting) continue;
      for (const WaitingListEntry* b : booked) {
        if (!ServedBefore(e, *b)) continue;
        const Slot& slot = st.slots.at(st.appointments.at(b->appointment_id).slot_id);
        RC_ASSERT(!SlotFits(e, slot, today, engine.rules()));
      }
    }
  });
  CHECK(ok);
}

}  // namespace
}  // namespace hub::booking
