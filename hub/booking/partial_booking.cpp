// Partial-booking state machine and list (RULES §2.1).
#include "hub/booking/partial_booking.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "hub/wire/msgpack_map.hpp"

namespace hub::booking {

namespace {
constexpr PbState kPbStates[] = {PbState::kAdded,     PbState::kInvited,        PbState::kReminded,
                                 PbState::kClinicalReview, PbState::kReInvited, PbState::kContacted,
                                 PbState::kBooked,    PbState::kDischarged,     PbState::kClosed};
constexpr PbTimer kPbTimers[] = {PbTimer::kNone, PbTimer::kInvite, PbTimer::kRemind,
                                 PbTimer::kReview};

Status NotAllowed(const PbItem& item, std::string_view what) {
  return Status::FailedPrecondition(
      fmt::format("follow-up {} is {} on the partial-booking list: cannot {}", item.entry_id,
                  PbStateName(item.state), what),
      "entry_id");
}

void Invite(PbItem& item, Date today, const BookingRules& rules) {
  item.invited_on = today;
  item.reminded_on.reset();
  ++item.invitations;
  item.next = PbTimer::kRemind;
  item.next_on = AddDays(today, rules.partial_booking_reminder_after_days);
}
}  // namespace

std::string_view PbStateName(PbState s) {
  switch (s) {
    case PbState::kAdded: return "ADDED";
    case PbState::kInvited: return "INVITED";
    case PbState::kReminded: return "REMINDED";
    case PbState::kClinicalReview: return "CLINICAL_REVIEW";
    case PbState::kReInvited: return "RE_INVITED";
    case PbState::kContacted: return "CONTACTED";
    case PbState::kBooked: return "BOOKED";
    case PbState::kDischarged: return "DISCHARGED";
    case PbState::kClosed: return "CLOSED";
  }
  return "UNSPECIFIED";
}

Result<PbState> ParsePbState(std::string_view name, std::string_view field) {
  for (PbState s : kPbStates) {
    if (PbStateName(s) == name) return s;
  }
  return Status::InvalidArgument(fmt::format("'{}' is not a partial-booking state", name),
                                 std::string(field));
}

std::string_view PbTimerName(PbTimer t) {
  switch (t) {
    case PbTimer::kInvite: return "INVITE";
    case PbTimer::kRemind: return "REMIND";
    case PbTimer::kReview: return "REVIEW";
    case PbTimer::kNone: break;
  }
  return "NONE";
}

bool PbIsOpen(PbState s) {
  return s != PbState::kBooked && s != PbState::kDischarged && s != PbState::kClosed;
}

bool PbInChase(PbState s) {
  return s == PbState::kAdded || s == PbState::kInvited || s == PbState::kReminded ||
         s == PbState::kReInvited;
}

std::optional<Date> PbItem::WakeOn() const {
  std::optional<Date> wake = next_on;
  if (PbIsOpen(state) && !past_lcad) {
    Date flag = AddDays(lcad, 1);
    if (!wake || flag < *wake) wake = flag;
  }
  return wake;
}

bool NeedsPartialBooking(Date due, Date today, const BookingRules& rules) {
  return DaysBetween(today, due) > rules.partial_booking_threshold_days;
}

PbItem NewPbItem(std::string entry_id, std::string nhs_number, std::string specialty, Date due,
                 std::optional<Date> lcad, Date today, const BookingRules& rules) {
  PbItem item;
  item.entry_id = std::move(entry_id);
  item.nhs_number = std::move(nhs_number);
  item.specialty = std::move(specialty);
  item.added_on = today;
  item.due_date = due;
  item.lcad = lcad.value_or(AddDays(due, rules.partial_booking_lcad_default_days));
  item.state = PbState::kAdded;
  item.next = PbTimer::kInvite;
  item.next_on = std::max(today, AddDays(due, -rules.partial_booking_invite_lead_days));
  return item;
}

std::vector<PbAction> AdvancePb(PbItem& item, Date today, const BookingRules& rules) {
  std::vector<PbAction> actions;
  if (item.next_on && *item.next_on <= today && !PbInChase(item.state)) {
    item.next = PbTimer::kNone;  // a timer left behind by an exit: nothing to fire
    item.next_on.reset();
  }
  if (item.next_on && *item.next_on <= today) {
    switch (item.next) {
      case PbTimer::kInvite:
        item.state = PbState::kInvited;
        Invite(item, today, rules);
        actions.push_back(PbAction::kSendInvitation);
        break;
      case PbTimer::kRemind: {
        item.state = PbState::kReminded;
        item.reminded_on = today;
        item.next = PbTimer::kReview;
        // Review at invite + review_after_days, but never sooner after the reminder than the
        // policy's gap (21 − 14 = 7 days): a late reminder still gets its reply window.
        const int gap = rules.partial_booking_review_after_days -
                        rules.partial_booking_reminder_after_days;
        item.next_on = std::max(AddDays(*item.invited_on, rules.partial_booking_review_after_days),
                                AddDays(today, gap));
        actions.push_back(PbAction::kSendReminder);
        break;
      }
      case PbTimer::kReview:
        item.state = PbState::kClinicalReview;
        item.review_on = today;
        item.next = PbTimer::kNone;
        item.next_on.reset();
        actions.push_back(PbAction::kHoldForReview);
        break;
      case PbTimer::kNone:
        item.next_on.reset();
        break;
    }
  }
  if (PbIsOpen(item.state) && !item.past_lcad && today > item.lcad) {
    item.past_lcad = true;
    actions.push_back(PbAction::kFlagPastLcad);
  }
  return actions;
}

Status PbRecordContact(PbItem& item, Date today) {
  if (!PbIsOpen(item.state) || item.state == PbState::kContacted) {
    return NotAllowed(item, "record patient contact");
  }
  item.state = PbState::kContacted;
  item.next = PbTimer::kNone;
  item.next_on.reset();
  item.closed_reason = fmt::format("patient contact on {}", FormatIsoDate(today));
  return Status::Ok();
}

Status PbRecordBooked(PbItem& item, Date today) {
  if (!PbIsOpen(item.state)) return NotAllowed(item, "record a booking");
  item.state = PbState::kBooked;
  item.next = PbTimer::kNone;
  item.next_on.reset();
  item.closed_on = today;
  item.closed_reason = "booked";
  return Status::Ok();
}

Status PbReInvite(PbItem& item, Date today, const BookingRules& rules,
                  std::vector<PbAction>* actions) {
  if (item.state != PbState::kClinicalReview) return NotAllowed(item, "re-invite");
  item.state = PbState::kReInvited;
  Invite(item, today, rules);
  actions->push_back(PbAction::kSendInvitation);
  return Status::Ok();
}

Status PbDischarge(PbItem& item, Date today) {
  if (item.state != PbState::kClinicalReview) return NotAllowed(item, "discharge");
  item.state = PbState::kDischarged;
  item.next = PbTimer::kNone;
  item.next_on.reset();
  item.closed_on = today;
  item.closed_reason = "discharged after clinical review";
  return Status::Ok();
}

void PbClose(PbItem& item, Date today, std::string reason) {
  if (!PbIsOpen(item.state)) return;
  item.state = PbState::kClosed;
  item.next = PbTimer::kNone;
  item.next_on.reset();
  item.closed_on = today;
  item.closed_reason = std::move(reason);
}

// ---------------------------------------------------------------- the list

const PbItem* PartialBookingList::Find(const std::string& entry_id) const {
  auto it = items_.find(entry_id);
  return it == items_.end() ? nullptr : &it->second;
}

void PartialBookingList::Put(PbItem item) {
  auto it = items_.find(item.entry_id);
  if (it != items_.end()) {
    if (auto w = it->second.WakeOn()) wake_.erase({*w, it->first});
    it->second = std::move(item);
  } else {
    it = items_.emplace(item.entry_id, std::move(item)).first;
  }
  if (auto w = it->second.WakeOn()) wake_.emplace(*w, it->first);
}

void PartialBookingList::Clear() {
  items_.clear();
  wake_.clear();
}

std::vector<std::string> PartialBookingList::Due(Date today) const {
  std::vector<std::string> out;
  for (auto it = wake_.begin(); it != wake_.end() && it->first <= today; ++it) {
    out.push_back(it->second);
  }
  return out;
}

std::optional<Date> PartialBookingList::NextWake() const {
  if (wake_.empty()) return std::nullopt;
  return wake_.begin()->first;
}

std::vector<std::pair<std::string, std::vector<PbAction>>> SweepPartialBooking(
    PartialBookingList& list, Date today, const BookingRules& rules) {
  std::vector<std::pair<std::string, std::vector<PbAction>>> out;
  for (const std::string& id : list.Due(today)) {
    PbItem item = *list.Find(id);
    auto actions = AdvancePb(item, today, rules);
    list.Put(std::move(item));
    if (!actions.empty()) out.emplace_back(id, std::move(actions));
  }
  return out;
}

// ---------------------------------------------------------------- stored form

namespace {
void OptDate(wire::MapWriter& w, std::string_view key, const std::optional<Date>& d) {
  if (d) w.Str(key, FormatIsoDate(*d));
}

Status ReadDate(const wire::MapReader& r, std::string_view key, Date* out) {
  std::string text;
  HUB_RETURN_IF_ERROR(r.Str(key, &text));
  HUB_ASSIGN_OR_RETURN(*out, ParseIsoDate(text, r.KeyPath(key)));
  return Status::Ok();
}

Status ReadOptDate(const wire::MapReader& r, std::string_view key, std::optional<Date>* out) {
  out->reset();
  if (!r.Has(key)) return Status::Ok();
  Date d;
  HUB_RETURN_IF_ERROR(ReadDate(r, key, &d));
  *out = d;
  return Status::Ok();
}

Status ReadItem(const wire::MapReader& r, PbItem* item) {
  std::uint64_t v = 0;
  HUB_RETURN_IF_ERROR(r.Uint("v", &v));
  if (v != 1) return r.Invalid("v", fmt::format("format version {} is not 1", v));
  HUB_RETURN_IF_ERROR(r.Str("entry_id", &item->entry_id));
  if (item->entry_id.empty()) return r.Invalid("entry_id", "must not be empty");
  HUB_RETURN_IF_ERROR(r.Str("nhs_number", &item->nhs_number));
  HUB_RETURN_IF_ERROR(r.StrOr("specialty", &item->specialty));
  HUB_RETURN_IF_ERROR(ReadDate(r, "added_on", &item->added_on));
  HUB_RETURN_IF_ERROR(ReadDate(r, "due_date", &item->due_date));
  HUB_RETURN_IF_ERROR(ReadDate(r, "lcad", &item->lcad));
  std::string text;
  HUB_RETURN_IF_ERROR(r.Str("state", &text));
  HUB_ASSIGN_OR_RETURN(item->state, ParsePbState(text, r.KeyPath("state")));
  HUB_RETURN_IF_ERROR(ReadOptDate(r, "invited_on", &item->invited_on));
  HUB_RETURN_IF_ERROR(ReadOptDate(r, "reminded_on", &item->reminded_on));
  HUB_RETURN_IF_ERROR(ReadOptDate(r, "review_on", &item->review_on));
  std::int64_t n = 0;
  HUB_RETURN_IF_ERROR(r.Int("invitations", &n));
  if (n < 0 || n > 1000) return r.Invalid("invitations", "is outside 0..1000");
  item->invitations = static_cast<int>(n);
  HUB_RETURN_IF_ERROR(r.Str("next", &text));
  item->next = PbTimer::kNone;
  bool known = false;
  for (PbTimer t : kPbTimers) {
    if (PbTimerName(t) == text) {
      item->next = t;
      known = true;
    }
  }
  if (!known) return r.Invalid("next", fmt::format("'{}' is not a partial-booking timer", text));
  HUB_RETURN_IF_ERROR(ReadOptDate(r, "next_on", &item->next_on));
  if ((item->next == PbTimer::kNone) != !item->next_on) {
    return r.Invalid("next_on", "must be present exactly when a timer is pending");
  }
  HUB_RETURN_IF_ERROR(r.Bool("past_lcad", &item->past_lcad));
  HUB_RETURN_IF_ERROR(ReadOptDate(r, "closed_on", &item->closed_on));
  return r.StrOr("closed_reason", &item->closed_reason);
}
}  // namespace

std::string EncodePbItem(const PbItem& item) {
  wire::MapWriter w;
  w.Uint("v", 1)
      .Str("entry_id", item.entry_id)
      .Str("nhs_number", item.nhs_number)
      .Str("specialty", item.specialty)
      .Str("added_on", FormatIsoDate(item.added_on))
      .Str("due_date", FormatIsoDate(item.due_date))
      .Str("lcad", FormatIsoDate(item.lcad))
      .Str("state", PbStateName(item.state));
  OptDate(w, "invited_on", item.invited_on);
  OptDate(w, "reminded_on", item.reminded_on);
  OptDate(w, "review_on", item.review_on);
  w.Int("invitations", item.invitations).Str("next", PbTimerName(item.next));
  OptDate(w, "next_on", item.next_on);
  w.Bool("past_lcad", item.past_lcad);
  OptDate(w, "closed_on", item.closed_on);
  if (!item.closed_reason.empty()) w.Str("closed_reason", item.closed_reason);
  return w.Finish();
}

Result<PbItem> DecodePbItem(std::string_view bytes) {
  auto doc = wire::Document::Parse(bytes, "pb_item record");
  if (!doc.ok()) return Status::Corruption(doc.status().message(), "pb_item");
  auto r = wire::MapReader::Of(doc->root(), "pb_item");
  if (!r.ok()) return Status::Corruption(r.status().message(), r.status().field());
  PbItem item;
  Status s = ReadItem(*r, &item);
  if (!s.ok()) return Status::Corruption(s.message(), s.field());
  return item;
}

}  // namespace hub::booking
