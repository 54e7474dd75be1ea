// The BookingGateway the running adapter uses: every call is one request to the booking service
// through the broker (clinics.list, slots.free, ers.book, ers.cancel, ers.defer; schemas/ers.hpp,
// schemas/booking_queries.hpp), over a BookingTransport — a bounded pool of Lazy Pirate MDP
// clients in the process, the booking engine itself in tests.
#pragma once

#include <zmq.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/cab/booking_gateway.hpp"
#include "adapters/cab/cab_config.hpp"
#include "adapters/common/mdp_client.hpp"
#include "hub/common/clock.hpp"
#include "hub/wire/curve.hpp"
#include "hub/wire/envelope.hpp"

namespace hub::cab {

// One request/reply with the booking service. Thread-safe.
//
// Contract: returns the reply envelope; for a hub.error reply, its Status (code, message and
// field, e.g. "body.slot_id"); Unavailable when no reply came within `timeout` (the request may
// still be applied later); ResourceExhausted when no connection was free within `timeout`
// (nothing was sent). Never throws.
class BookingTransport {
 public:
  virtual ~BookingTransport() = default;
  virtual Result<wire::Envelope> Call(const wire::Envelope& request,
                                      std::chrono::milliseconds timeout) = 0;
};

// MDP clients of service `booking`, at most `max_clients` (one per calling thread at a time; a
// caller waits for a free one until its timeout). Each request is resent with the same envelope id
// every `attempt_ms` on silence (Lazy Pirate; the broker and the booking worker dedupe by id).
class MdpBookingTransport final : public BookingTransport {
 public:
  MdpBookingTransport(wire::BrokerConnection broker, std::size_t max_clients, int attempt_ms = 3000);
  ~MdpBookingTransport() override;

  Result<wire::Envelope> Call(const wire::Envelope& request,
                              std::chrono::milliseconds timeout) override;

 private:
  zmq::context_t ctx_;
  const wire::BrokerConnection broker_;
  const std::size_t max_clients_;
  const int attempt_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<adapters::MdpClient>> idle_;
  std::size_t created_ = 0;
};

// Slot and appointment ids in the booking engine are "<clinic>-<YYYYMMDD>-<HHMM>[-<n>]" with
// clinic codes of upper-case letters, digits and '_'. A FHIR id may not hold '_' (STU3 id:
// [A-Za-z0-9\-\.]{1,64}), and engine ids never hold '.', so the gateway swaps the two: FhirId
// for what it hands the adapter, EngineId for what it sends back.
std::string FhirId(std::string_view engine_id);
std::string EngineId(std::string_view fhir_id);

// Thread-safe: the transport is; the rest is immutable. `transport`, `config` and `clock` must
// outlive it.
//
// Error mapping onto the BookingGateway contract (booking_gateway.hpp):
//  - Book: the engine's refusals about the slot keep their code (NotFound: no such slot;
//    FailedPrecondition: taken or cancelled); DeadlineExceeded only when the engine refused
//    because the deadline had passed (nothing changed); any other refusal about the request
//    (unknown patient, UBRN already booked, slot type) is InvalidArgument naming the engine's
//    reason; no reply, a dead-lettered request or an engine failure is Unavailable (the outcome
//    is unknown: the adapter undoes by key); a full broker queue is ResourceExhausted (nothing
//    was queued).
//  - ListFreeSlots reads each clinic's slots with slots.free, paging by date, and fails with
//    ResourceExhausted as soon as more than query.limit slots are found.
//  - ListClinics: the hub's templates carry no age/sex restrictions or SDS user ids, so
//    ClinicInfo.criteria is "any" and consultant_id is "" (a team Schedule per service).
class BrokerGateway final : public BookingGateway {
 public:
  BrokerGateway(BookingTransport& transport, const CabConfig& config, const Clock& clock);

  Result<std::vector<ClinicInfo>> ListClinics() override;
  Result<std::vector<FreeSlot>> ListFreeSlots(const SlotQuery& query) override;
  Result<BookingConfirmation> Book(const BookRequest& request) override;
  Status CancelBooking(const std::string& idempotency_key, const std::string& reason) override;
  Result<DeferralConfirmation> DeferToProvider(const DeferRequest& request) override;

 private:
  // One request to `booking`; the reply of `reply_type`, or the error it carried.
  Result<wire::Envelope> Request(const std::string& id, std::string_view type, std::string body,
                                 std::string_view reply_type, std::chrono::milliseconds timeout);

  BookingTransport& transport_;
  const CabConfig& config_;
  const Clock& clock_;
};

}  // namespace hub::cab
