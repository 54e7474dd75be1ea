// The in-memory BookingGateway.
#include "tests/adapters/cab/fake_booking_gateway.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hub::cab::testing {

void FakeBookingGateway::AddClinic(ClinicInfo clinic) {
  std::lock_guard<std::mutex> lock(mu_);
  clinics_[clinic.clinic_code] = std::move(clinic);
}

void FakeBookingGateway::AddSlot(FreeSlot slot) {
  std::lock_guard<std::mutex> lock(mu_);
  slots_[slot.slot_id] = std::move(slot);
}

void FakeBookingGateway::RemoveSlot(const std::string& slot_id) {
  std::lock_guard<std::mutex> lock(mu_);
  slots_.erase(slot_id);
}

std::vector<std::string> FakeBookingGateway::AddSession(const std::string& clinic_code,
                                                        booking::Date date, int start_minute,
                                                        int count, int minutes, SlotType type,
                                                        std::int64_t released_ms) {
  std::vector<std::string> ids;
  std::lock_guard<std::mutex> lock(mu_);
  const std::string day = booking::FormatIsoDate(date);
  for (int i = 0; i < count; ++i) {
    const int minute = start_minute + i * minutes;
    FreeSlot s;
    s.slot_id = fmt::format("{}-{}{}{}-{:02}{:02}", clinic_code, day.substr(0, 4), day.substr(5, 2),
                            day.substr(8, 2), minute / 60, minute % 60);
    // As BrokerGateway publishes engine ids: '_' (allowed in clinic codes) becomes '.'.
    std::replace(s.slot_id.begin(), s.slot_id.end(), '_', '.');
    s.clinic_code = clinic_code;
    s.start_ms = booking::LondonLocalToUtcMs(date, minute);
    s.end_ms = booking::LondonLocalToUtcMs(date, minute + minutes);
    s.type = type;
    s.released_ms = released_ms;
    ids.push_back(s.slot_id);
    slots_[s.slot_id] = std::move(s);
  }
  return ids;
}

void FakeBookingGateway::BookElsewhere(const std::string& slot_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slots_.find(slot_id);
  if (it != slots_.end()) ++it->second.booked;
}

void FakeBookingGateway::FailNext(Call call, Status status) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_[call] = std::move(status);
}

void FakeBookingGateway::FailNextBookAfterCommit(Status status) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_after_commit_ = std::move(status);
}

void FakeBookingGateway::HoldBookings() {
  std::lock_guard<std::mutex> lock(mu_);
  hold_ = true;
}

void FakeBookingGateway::ReleaseBookings() {
  std::lock_guard<std::mutex> lock(mu_);
  hold_ = false;
  cv_.notify_all();
}

int FakeBookingGateway::Booked(const std::string& slot_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = slots_.find(slot_id);
  return it == slots_.end() ? -1 : it->second.booked;
}

std::vector<BookRequest> FakeBookingGateway::ActiveBookings() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<BookRequest> out;
  for (const auto& [key, b] : bookings_) {
    if (!b.cancelled) out.push_back(b.request);
  }
  return out;
}

std::vector<std::string> FakeBookingGateway::CancelledKeys() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cancelled_keys_;
}

std::vector<DeferRequest> FakeBookingGateway::Deferrals() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<DeferRequest> out;
  for (const auto& [ubrn, d] : deferrals_) out.push_back(d.first);
  return out;
}

int FakeBookingGateway::CallCount(Call call) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = calls_.find(call);
  return it == calls_.end() ? 0 : it->second;
}

bool FakeBookingGateway::WaitForBookCalls(int n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] {
    auto it = calls_.find(Call::kBook);
    return it != calls_.end() && it->second >= n;
  });
}

bool FakeBookingGateway::WaitForCancelCalls(int n, std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] {
    auto it = calls_.find(Call::kCancel);
    return it != calls_.end() && it->second >= n;
  });
}

std::string FakeBookingGateway::StateDigest() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out;
  for (const auto& [id, s] : slots_)
    out += fmt::format("slot {} {}/{}\n", id, s.booked, s.capacity);
  for (const auto& [key, b] : bookings_) {
    out += fmt::format("booking {} {} {}\n", key, b.request.slot_id, b.cancelled);
  }
  for (const auto& [ubrn, d] : deferrals_) out += fmt::format("deferral {}\n", ubrn);
  return out;
}

std::optional<Status> FakeBookingGateway::TakeFailure(Call call) {
  ++calls_[call];
  cv_.notify_all();
  auto it = failures_.find(call);
  if (it == failures_.end()) return std::nullopt;
  Status s = it->second;
  failures_.erase(it);
  return s;
}

Result<std::vector<ClinicInfo>> FakeBookingGateway::ListClinics() {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto f = TakeFailure(Call::kListClinics)) return *f;
  std::vector<ClinicInfo> out;
  for (const auto& [code, c] : clinics_) out.push_back(c);
  return out;
}

Result<std::vector<FreeSlot>> FakeBookingGateway::ListFreeSlots(const SlotQuery& query) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto f = TakeFailure(Call::kListFreeSlots)) return *f;
  std::vector<FreeSlot> out;
  for (const auto& [id, s] : slots_) {
    if (s.booked >= s.capacity || s.start_ms < query.from_ms || s.start_ms >= query.to_ms) continue;
    if (std::find(query.clinic_codes.begin(), query.clinic_codes.end(), s.clinic_code) ==
        query.clinic_codes.end()) {
      continue;
    }
    if (out.size() == query.limit) {
      return Status::ResourceExhausted(fmt::format("more than {} free slots", query.limit));
    }
    out.push_back(s);
  }
  return out;
}

Result<BookingConfirmation> FakeBookingGateway::Book(const BookRequest& request) {
  std::unique_lock<std::mutex> lock(mu_);
  auto failure = TakeFailure(Call::kBook);
  cv_.wait(lock, [&] { return !hold_; });
  if (failure) return *failure;
  if (std::find(cancelled_keys_.begin(), cancelled_keys_.end(), request.idempotency_key) !=
      cancelled_keys_.end()) {
    return Status::FailedPrecondition("booking " + request.idempotency_key + " was cancelled");
  }
  if (auto it = bookings_.find(request.idempotency_key); it != bookings_.end()) {
    return it->second.confirmation;
  }
  if (clock_.NowMs() > request.deadline_ms) {
    return Status::DeadlineExceeded("the booking deadline has passed; nothing was booked");
  }
  auto slot = slots_.find(request.slot_id);
  if (slot == slots_.end()) return Status::NotFound("no slot " + request.slot_id);
  if (slot->second.booked >= slot->second.capacity) {
    return Status::FailedPrecondition("slot " + request.slot_id + " is already booked");
  }
  ++slot->second.booked;
  Booking b;
  b.request = request;
  b.confirmation.appointment_id = fmt::format("appt-{}", next_id_++);
  b.confirmation.slot_id = request.slot_id;
  b.confirmation.clinic_code = slot->second.clinic_code;
  b.confirmation.start_ms = slot->second.start_ms;
  b.confirmation.end_ms = slot->second.end_ms;
  b.confirmation.created_ms = clock_.NowMs();
  b.confirmation.slot_still_free = slot->second.booked < slot->second.capacity;
  BookingConfirmation out = b.confirmation;
  bookings_[request.idempotency_key] = std::move(b);
  if (fail_after_commit_) {
    Status s = *fail_after_commit_;
    fail_after_commit_.reset();
    return s;
  }
  return out;
}

Status FakeBookingGateway::CancelBooking(const std::string& idempotency_key,
                                         const std::string& /*reason*/) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto f = TakeFailure(Call::kCancel)) return *f;
  if (std::find(cancelled_keys_.begin(), cancelled_keys_.end(), idempotency_key) ==
      cancelled_keys_.end()) {
    cancelled_keys_.push_back(idempotency_key);
  }
  auto it = bookings_.find(idempotency_key);
  if (it != bookings_.end() && !it->second.cancelled) {
    it->second.cancelled = true;
    auto slot = slots_.find(it->second.request.slot_id);
    if (slot != slots_.end()) --slot->second.booked;
  }
  return Status::Ok();
}

Result<DeferralConfirmation> FakeBookingGateway::DeferToProvider(const DeferRequest& request) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto f = TakeFailure(Call::kDefer)) return *f;
  if (auto it = deferrals_.find(request.ubrn); it != deferrals_.end()) return it->second.second;
  DeferralConfirmation c;
  c.appointment_id = fmt::format("asi-{}", next_id_++);
  c.created_ms = clock_.NowMs();
  deferrals_[request.ubrn] = {request, c};
  return c;
}

}  // namespace hub::cab::testing
