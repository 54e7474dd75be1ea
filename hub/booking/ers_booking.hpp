// An e-RS booking made through the CaB adapter (e-RS A016 "booked", RULES §3.1), kept by its
// idempotency key so that the same attempt is applied at most once and can be undone by key
// (adapters/cab/booking_gateway.hpp: Book is idempotent per key; CancelBooking undoes it and
// makes a later Book with the key fail).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "hub/booking/calendar.hpp"
#include "hub/booking/waiting_list.hpp"
#include "hub/common/status.hpp"

namespace hub::booking {

enum class ErsBookingStatus : std::uint8_t {
  kBooked = 1,     // "BOOKED": the appointment exists (or was later changed by other commands)
  kCancelled = 2,  // "CANCELLED": undone by ers.cancel, or cancelled before any booking arrived
};
std::string_view ErsBookingStatusName(ErsBookingStatus s);

struct ErsBooking {
  std::string idempotency_key;  // the record's key: one booking attempt (a ULID from the adapter)
  ErsBookingStatus status = ErsBookingStatus::kBooked;
  std::string ubrn;            // "" for a key cancelled before its booking arrived
  std::string service_id;      // the e-RS service booked into, for the record
  std::string slot_id;         // ""  likewise
  std::string appointment_id;  // the appointment the booking made, "" when none was made
  std::int64_t deadline_ms = 0;  // the caller's deadline (UTC ms); 0 when unknown
  Date booked_on;                // the London date the booking (or the cancellation) was applied
  // True when the booking created the referral, its pathway and entry (the hub did not have the
  // UBRN): undoing it removes them again. False when it booked an entry the hub already had.
  bool created_referral = false;
  // The entry's status before the booking, when it booked an existing entry: WAITING or
  // REBOOKING; undoing restores it.
  std::optional<EntryStatus> prior_entry_status;
  std::string cancel_reason;  // why it was undone, when CANCELLED

  bool operator==(const ErsBooking&) const = default;
};

}  // namespace hub::booking
