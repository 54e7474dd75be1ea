// Read API: patient, pathway (with current wait and breach date), waiting list in booking order,
// free slots; request errors name the field.
#include "hub/booking/queries.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "booking_fixtures.hpp"

namespace hub::booking {
namespace {

using testing::D;
using testing::MakeReferral;
using testing::MakeTemplate;
using testing::MustApply;

const Date kToday = D("2025-01-06");

BookingEngine Populated() {
  BookingEngine engine;
  MustApply(engine,
            UpsertTemplate{
                MakeTemplate("CARD01", 1, D("2025-01-01"), {SlotType::kNew, SlotType::kUrgent}), "",
                "", ""},
            kToday);
  MustApply(engine,
            ReceiveReferral{MakeReferral("000000000001", Priority::kRoutine, D("2025-01-06"), 1)},
            kToday);
  MustApply(engine,
            ReceiveReferral{MakeReferral("000000000002", Priority::kUrgent, D("2024-12-02"), 2)},
            kToday);
  Referral derm = MakeReferral("000000000003", Priority::kRoutine, D("2024-06-03"), 3);
  derm.specialty = "DERMATOLOGY";
  MustApply(engine, ReceiveReferral{derm}, kToday);
  Referral derm2 = MakeReferral("000000000004", Priority::kUrgent, D("2024-12-20"), 4);
  derm2.specialty = "DERMATOLOGY";
  MustApply(engine, ReceiveReferral{derm2}, kToday);
  return engine;
}

TEST_CASE("patient lookup by NHS number, spaced or not") {
  BookingEngine engine = Populated();
  const std::string nhs = testing::TestNhsNumber(1);
  auto r =
      GetPatient(engine.state(), nhs.substr(0, 3) + " " + nhs.substr(3, 3) + " " + nhs.substr(6));
  REQUIRE(r.ok());
  CHECK(r->patient.family_name == "Patient1");
  CHECK(r->pathway_ids == std::vector<std::string>{"000000000001"});
  REQUIRE(r->appointments.size() == 1);
  CHECK(r->appointments[0].date == D("2025-01-27"));
  CHECK(GetPatient(engine.state(), "9876544321").status().field() == "nhs_number");
  CHECK(GetPatient(engine.state(), "9434765919").status().code() == StatusCode::kNotFound);
}

TEST_CASE("pathway lookup gives the history, the wait and the breach date") {
  BookingEngine engine = Populated();
  auto r = GetPathway(engine.state(), "000000000003", D("2025-01-06"), engine.rules());
  REQUIRE(r.ok());
  REQUIRE(r->wait.has_value());
  CHECK(r->wait->days == 217);
  CHECK(r->wait->band.Label() == ">30 to 31");
  CHECK(r->wait->thresholds_breached == std::vector<int>{18});
  CHECK(r->breach_date == D("2024-10-08"));
  CHECK(r->pathway.events().size() == 1);
  CHECK(r->entries.size() == 1);
  CHECK(GetPathway(engine.state(), "nope", kToday, engine.rules()).status().field() ==
        "pathway_id");
}

TEST_CASE("the waiting list comes in booking order with waits") {
  BookingEngine engine = Populated();
  WaitingListQuery q;
  q.specialty = "DERMATOLOGY";
  auto rows = GetWaitingList(engine.state(), q, kToday, engine.rules());
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  CHECK((*rows)[0].entry.entry_id == "000000000004");  // urgent first
  CHECK((*rows)[1].entry.entry_id == "000000000003");
  CHECK((*rows)[1].patient_name == "Ms Ada Patient3");
  q.priority = Priority::kRoutine;
  CHECK(GetWaitingList(engine.state(), q, kToday, engine.rules())->size() == 1);
  WaitingListQuery cardio;
  cardio.specialty = "CARDIOLOGY";
  CHECK(GetWaitingList(engine.state(), cardio, kToday, engine.rules())->empty());
  cardio.include_booked = true;
  auto booked = GetWaitingList(engine.state(), cardio, kToday, engine.rules());
  REQUIRE(booked->size() == 2);
  CHECK((*booked)[0].appointment_date.has_value());
  WaitingListQuery bad;
  CHECK(GetWaitingList(engine.state(), bad, kToday, engine.rules()).status().field() ==
        "specialty");
  bad.specialty = "X";
  bad.limit = 0;
  CHECK(GetWaitingList(engine.state(), bad, kToday, engine.rules()).status().field() == "limit");
}

TEST_CASE("free slots by specialty or clinic, type and dates") {
  BookingEngine engine = Populated();
  FreeSlotQuery q;
  q.specialty = "CARDIOLOGY";
  q.from = D("2025-01-20");
  q.to = D("2025-02-03");
  auto all = GetFreeSlots(engine.state(), q);
  REQUIRE(all.ok());
  // 27 Jan is fully booked by patients 1 (NEW) and 2 (URGENT).
  std::vector<std::string> ids;
  for (const auto& s : *all) ids.push_back(s.slot_id);
  CHECK(ids == std::vector<std::string>{"CARD01-20250120-0900", "CARD01-20250120-0915",
                                        "CARD01-20250203-0900", "CARD01-20250203-0915"});
  q.type = SlotType::kUrgent;
  CHECK(GetFreeSlots(engine.state(), q)->size() == 2);
  FreeSlotQuery by_clinic;
  by_clinic.clinic_code = "CARD01";
  by_clinic.from = D("2025-01-06");
  by_clinic.to = D("2025-01-06");
  CHECK(GetFreeSlots(engine.state(), by_clinic)->size() == 2);
  by_clinic.clinic_code = "NOPE";
  CHECK(GetFreeSlots(engine.state(), by_clinic).status().code() == StatusCode::kNotFound);
  FreeSlotQuery backwards = q;
  backwards.to = D("2025-01-01");
  CHECK(GetFreeSlots(engine.state(), backwards).status().field() == "to");
}

TEST_CASE("offer slots: only what the rules let the entry be offered") {
  BookingEngine engine = Populated();
  FreeSlotQuery q;
  q.specialty = "IGNORED";  // taken from the entry
  q.from = D("2025-01-06");
  q.to = D("2025-02-10");
  auto offers = GetOfferSlots(engine.state(), "000000000001", q, kToday, engine.rules());
  REQUIRE_MESSAGE(offers.ok(), offers.status().ToString());
  REQUIRE_FALSE(offers->empty());
  for (const auto& s : *offers) {
    CAPTURE(s.slot_id);
    CHECK(s.type == SlotType::kNew);           // a routine entry: no unreleased urgent slot
    CHECK(s.date >= D("2025-01-20"));          // reasonable notice, not this week or next
    CHECK(s.specialty == "CARDIOLOGY");
  }
  // Every offer is a free slot; the urgent entry may also have urgent slots.
  FreeSlotQuery cardio = q;
  cardio.specialty = "CARDIOLOGY";
  auto free = GetFreeSlots(engine.state(), cardio);
  REQUIRE(free.ok());
  CHECK(offers->size() < free->size());
  auto urgent = GetOfferSlots(engine.state(), "000000000002", q, kToday, engine.rules());
  REQUIRE(urgent.ok());
  bool any_urgent = false;
  for (const auto& s : *urgent) any_urgent |= s.type == SlotType::kUrgent;
  CHECK(any_urgent);
  CHECK(GetOfferSlots(engine.state(), "nope", q, kToday, engine.rules()).status().field() == "entry_id");
  // Short notice agreed: earlier slots too (RULES §2.2).
  auto short_notice = GetOfferSlots(engine.state(), "000000000001", q, kToday, engine.rules(), true);
  REQUIRE(short_notice.ok());
  CHECK(short_notice->size() > offers->size());
  CHECK(short_notice->front().date < offers->front().date);
  q.limit = 1;
  CHECK(GetOfferSlots(engine.state(), "000000000001", q, kToday, engine.rules())->size() == 1);
}

}  // namespace
}  // namespace hub::booking
