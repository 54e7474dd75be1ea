// An in-memory BookingGateway for the CaB adapter's tests and benchmark: clinics and slots set by
// the test, bookings and deferrals recorded, failures injected, and a switch that holds bookings
// (the booking engine "not answering") until the test lets them go.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/cab/booking_gateway.hpp"
#include "hub/booking/calendar.hpp"
#include "hub/common/clock.hpp"

namespace hub::cab::testing {

class FakeBookingGateway final : public BookingGateway {
 public:
  enum class Call { kListClinics, kListFreeSlots, kBook, kCancel, kDefer };

  explicit FakeBookingGateway(const Clock& clock) : clock_(clock) {}

  // ---- contents ----
  void AddClinic(ClinicInfo clinic);  // replaces a clinic with the same code
  void AddSlot(FreeSlot slot);        // replaces a slot with the same id
  void RemoveSlot(const std::string& slot_id);
  // `count` consecutive slots of `minutes` each, from `start_minute` after London midnight of
  // `date`; ids "<clinic>-<yyyymmdd>-<hhmm>" with '_' written '.' (FHIR ids, as BrokerGateway
  // publishes them). Returns the ids.
  std::vector<std::string> AddSession(const std::string& clinic_code, booking::Date date,
                                      int start_minute, int count, int minutes, SlotType type,
                                      std::int64_t released_ms);
  // Books a place outside e-RS (another booking route), as the booking engine would.
  void BookElsewhere(const std::string& slot_id);

  // ---- failure injection ----
  // The next call of `call` fails with `status`, changing nothing.
  void FailNext(Call call, Status status);
  // The next Book commits the booking, then answers `status` (a lost reply).
  void FailNextBookAfterCommit(Status status);
  // While held, Book waits (after counting the call) until ReleaseBookings().
  void HoldBookings();
  void ReleaseBookings();

  // ---- observation ----
  int Booked(const std::string& slot_id) const;     // -1: no such slot
  std::vector<BookRequest> ActiveBookings() const;  // committed and not cancelled
  std::vector<std::string> CancelledKeys() const;
  std::vector<DeferRequest> Deferrals() const;
  int CallCount(Call call) const;
  // Waits until Book has been called `n` times in all / CancelBooking `n` times; false on timeout.
  bool WaitForBookCalls(int n, std::chrono::milliseconds timeout) const;
  bool WaitForCancelCalls(int n, std::chrono::milliseconds timeout) const;
  // Everything a booking or deferral could change, as text: equal digests mean nothing changed.
  std::string StateDigest() const;

  // ---- BookingGateway ----
  Result<std::vector<ClinicInfo>> ListClinics() override;
  Result<std::vector<FreeSlot>> ListFreeSlots(const SlotQuery& query) override;
  Result<BookingConfirmation> Book(const BookRequest& request) override;
  Status CancelBooking(const std::string& idempotency_key, const std::string& reason) override;
  Result<DeferralConfirmation> DeferToProvider(const DeferRequest& request) override;

 private:
  struct Booking {
    BookRequest request;
    BookingConfirmation confirmation;
    bool cancelled = false;
  };
  std::optional<Status> TakeFailure(Call call);

  const Clock& clock_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::map<std::string, ClinicInfo> clinics_;
  std::map<std::string, FreeSlot> slots_;    // every slot, free or not
  std::map<std::string, Booking> bookings_;  // by idempotency key
  std::vector<std::string> cancelled_keys_;
  std::map<std::string, std::pair<DeferRequest, DeferralConfirmation>> deferrals_;  // by UBRN
  std::map<Call, Status> failures_;
  std::optional<Status> fail_after_commit_;
  std::map<Call, int> calls_;
  bool hold_ = false;
  int next_id_ = 1;
};

}  // namespace hub::cab::testing
