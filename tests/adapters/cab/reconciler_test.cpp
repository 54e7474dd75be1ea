// The reconciliation cycle: snapshot, drift, republish; failures of the booking engine and of
// the e-RS definitions file; the background thread woken by a `slots.changed` trigger.
#include "adapters/cab/reconciler.hpp"

#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>

#include "adapters/cab/booking_window.hpp"
#include "tests/adapters/cab/example_trust.hpp"
#include "tests/adapters/cab/test_util.hpp"

namespace hub::cab {
namespace {

using testing::kMonday10am;
using namespace std::chrono_literals;

struct Fixture {
  ManualClock clock{kMonday10am};
  CabConfig config = testing::ConfigFrom(testing::kTwoPriorityService);
  testing::FakeBookingGateway hub{clock};
  PublishedSlots published;
  Reconciler reconciler{config, hub, published, clock};
  Fixture() { testing::FillConsistentTrust(hub, config, kMonday10am, 13); }
};

TEST_CASE("a cycle publishes the mapped clinics' free slots and reports no drift") {
  Fixture f;
  const ReconcileReport r = f.reconciler.RunOnce();
  CHECK(r.status.ok());
  CHECK(r.ers_error.empty());
  CHECK(r.items.empty());
  CHECK(r.republished);
  const PublishedView view = f.published.View();
  REQUIRE(view.publication != nullptr);
  CHECK(r.published_slots == view.publication->slots.size());
  CHECK(r.published_slots > 100);
  CHECK(view.publication->taken_at_ms == kMonday10am);
  CHECK(f.reconciler.LastReport().at_ms == kMonday10am);
}

TEST_CASE("the booking engine unreachable: reported, and the last publication stays") {
  Fixture f;
  f.reconciler.RunOnce();
  const auto before = f.published.View().publication;
  f.hub.FailNext(testing::FakeBookingGateway::Call::kListFreeSlots,
                 Status::Unavailable("broker down"));
  const ReconcileReport r = f.reconciler.RunOnce();
  CHECK(r.status.code() == StatusCode::kUnavailable);
  CHECK_FALSE(r.republished);
  CHECK(f.published.View().publication == before);
}

TEST_CASE("more free slots than reconcile.max_slots is an error, not a partial publication") {
  Fixture f;
  f.config.reconcile.max_slots = 10;
  const ReconcileReport r = f.reconciler.RunOnce();
  CHECK(r.status.code() == StatusCode::kResourceExhausted);
  CHECK(f.published.View().publication == nullptr);
}

TEST_CASE("an unreadable e-RS definitions file: compared without it, and said so") {
  Fixture f;
  f.config.reconcile.ers_services_file = "/nonexistent/ers.json";
  const ReconcileReport r = f.reconciler.RunOnce();
  CHECK(r.status.ok());
  CHECK(r.ers_error.find("/nonexistent/ers.json") != std::string::npos);
  CHECK(r.republished);
}

TEST_CASE("a stale publication is reported as fixed once republished") {
  Fixture f;
  f.reconciler.RunOnce();
  auto ids = f.hub.AddSession("C1", booking::AddDays(booking::LondonDateAt(kMonday10am), 5),
                              15 * 60, 2, 30, SlotType::kNew, kMonday10am - 30 * kDayMs);
  const ReconcileReport r = f.reconciler.RunOnce();
  REQUIRE(r.items.size() == 1);
  CHECK(r.items[0].kind == DriftKind::kStalePublication);
  CHECK(r.items[0].fixed);
  CHECK(f.published.View().publication->FindSlot(ids[0]) != nullptr);
  CHECK_FALSE(BuildEscalation(r.items, r.at_ms).has_value());
}

TEST_CASE("the background cycle runs when triggered and hands each report on") {
  Fixture f;
  f.config.reconcile.interval_s = 3600;  // only the trigger can wake it within the test
  std::mutex mu;
  std::condition_variable cv;
  int reports = 0;
  f.reconciler.Start([&](const ReconcileReport&) {
    std::lock_guard<std::mutex> lock(mu);
    ++reports;
    cv.notify_all();
  });
  f.reconciler.Trigger();
  {
    std::unique_lock<std::mutex> lock(mu);
    REQUIRE(cv.wait_for(lock, 10s, [&] { return reports >= 1; }));
  }
  CHECK(f.published.View().publication != nullptr);
  f.reconciler.Stop();
  f.reconciler.Stop();
}

}  // namespace
}  // namespace hub::cab
