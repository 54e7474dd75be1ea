// Demo referrals: test-range NHS numbers, unique identifiers, the promised mixes, determinism, and
// every referral decoded by the wire schema and accepted by an engine running the example trust.
#include "hub/booking/demo_referrals.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>

#include "booking_fixtures.hpp"
#include "hub/booking/clinic_config.hpp"
#include "hub/booking/messages.hpp"
#include "hub/booking/nhs_number.hpp"

namespace hub::booking {
namespace {

using testing::D;

const Date kToday = D("2025-06-02");

std::vector<ClinicTemplate> Trust() {
  auto clinics = LoadClinicDir(std::string(HUB_SOURCE_DIR) + "/config/clinics");
  REQUIRE_MESSAGE(clinics.ok(), clinics.status().ToString());
  return *clinics;
}

bool HasNonAscii(const std::string& s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return true;
  }
  return false;
}

TEST_CASE("the same seed gives the same referrals; another seed others") {
  const auto trust = Trust();
  auto a = GenerateDemoReferrals(200, 42, kToday, trust);
  auto b = GenerateDemoReferrals(200, 42, kToday, trust);
  auto c = GenerateDemoReferrals(200, 43, kToday, trust);
  REQUIRE(a.size() == 200);
  CHECK(a == b);
  CHECK(a != c);
  // A longer run starts with the shorter one.
  auto longer = GenerateDemoReferrals(300, 42, kToday, trust);
  CHECK(std::equal(a.begin(), a.end(), longer.begin()));
  CHECK(GenerateDemoReferrals(0, 42, kToday, trust).empty());
  CHECK(GenerateDemoReferrals(-5, 42, kToday, trust).empty());
  // Pinned values: SplitMix64 and our own bounded draws give the same referrals on every
  // platform and standard library (std:: distributions would not).
  CHECK(a[0].patient.nhs_number == "9993965979");
  CHECK(a[0].local_id == "NGH-REF-93056232");
  CHECK(a[0].patient.given_name == "Siân");
  CHECK(a[1].ubrn == "790072838247");
  // Identifiers come from their own stream: the clinics do not change them.
  CHECK(GenerateDemoReferrals(1, 42, kToday, {})[0].patient.nhs_number == "9993965979");
}

TEST_CASE("NHS numbers are valid, from the 999 test range, and unique; so are the referral ids") {
  const auto refs = GenerateDemoReferrals(5000, 7, kToday, Trust());
  std::set<std::string> nhs, ids, mrns;
  for (const auto& r : refs) {
    CAPTURE(r.patient.nhs_number);
    auto n = NormaliseNhsNumber(r.patient.nhs_number);
    REQUIRE(n.ok());
    CHECK(*n == r.patient.nhs_number);  // 10 digits, as e-RS sends them
    CHECK(IsTestRangeNhsNumber(*n));
    nhs.insert(*n);
    if (r.source == "ERS") {
      CHECK(IsValidUbrn(r.ubrn));
      CHECK(r.local_id.empty());
      ids.insert(r.ubrn);
    } else {
      CHECK(r.source == "PAPER");
      CHECK(r.ubrn.empty());
      CHECK_FALSE(r.local_id.empty());
      ids.insert(r.local_id);
    }
    if (!r.patient.mrn.empty()) CHECK(mrns.insert(r.patient.mrn).second);
  }
  CHECK(nhs.size() == refs.size());
  CHECK(ids.size() == refs.size());
}

TEST_CASE("priority, source and dates follow the promised mix") {
  const int n = 4000;
  const auto refs = GenerateDemoReferrals(n, 2025, kToday, Trust());
  std::map<std::string, int> priority, source;
  int triage = 0, short_notice = 0, pathway_start = 0, diacritics = 0, children = 0;
  Date earliest = kToday, latest = D("2000-01-01");
  for (const auto& r : refs) {
    ++priority[r.priority];
    ++source[r.source];
    triage += r.needs_triage;
    short_notice += r.short_notice_agreed;
    pathway_start += !r.ers_pathway_start.empty();
    diacritics += HasNonAscii(r.patient.given_name) || HasNonAscii(r.patient.family_name);
    children += r.patient.title.empty();
    const Date received = *ParseIsoDate(r.received_date);
    CHECK(received <= kToday);
    CHECK(received >= AddDays(kToday, -364));
    if (r.priority == "URGENT") CHECK(received >= AddDays(kToday, -90));
    if (r.priority == "TWO_WEEK_WAIT") CHECK(received >= AddDays(kToday, -27));
    CHECK(*ParseIsoDate(r.patient.birth_date) <= received);
    earliest = std::min(earliest, received);
    latest = std::max(latest, received);
  }
  auto share = [&](int count) { return static_cast<double>(count) / n; };
  CHECK(share(priority["ROUTINE"]) == doctest::Approx(0.70).epsilon(0.05));
  CHECK(share(priority["URGENT"]) == doctest::Approx(0.20).epsilon(0.10));
  CHECK(share(priority["TWO_WEEK_WAIT"]) == doctest::Approx(0.10).epsilon(0.15));
  CHECK(share(source["ERS"]) == doctest::Approx(0.85).epsilon(0.05));
  CHECK(share(source["PAPER"]) == doctest::Approx(0.15).epsilon(0.20));
  CHECK(share(triage) == doctest::Approx(0.06).epsilon(0.3));
  CHECK(share(short_notice) == doctest::Approx(0.10).epsilon(0.3));
  CHECK(pathway_start > 0);
  CHECK(diacritics > 0);  // Zoë, Siân, Ní Bhraonáin ...
  CHECK(children > 0);
  // Clock starts spread over the past year.
  CHECK(earliest <= AddDays(kToday, -350));
  CHECK(latest >= AddDays(kToday, -3));
}

TEST_CASE("every referral aims at a service the clinics run with a slot its priority may use") {
  const auto trust = Trust();
  std::map<std::pair<std::string, std::string>, std::set<SlotType>> services;
  for (const auto& c : trust) {
    for (const auto& s : c.slots) services[{c.specialty, c.clinic_type}].insert(s.type);
  }
  std::map<std::string, int> specialties;
  for (const auto& r : GenerateDemoReferrals(2000, 99, kToday, trust)) {
    auto it = services.find({r.specialty, r.clinic_type});
    REQUIRE_MESSAGE(it != services.end(), r.specialty, "/", r.clinic_type);
    WaitingListEntry e;
    e.priority = *ParsePriority(r.priority);
    // Its own slot type: the trust has 2WW, urgent and new slots to aim each priority at.
    CHECK(it->second.count(PreferredSlotType(e)) == 1);
    ++specialties[r.specialty];
  }
  CHECK(specialties.size() == 6);
  // With no clinics the referrals still come, for a service that simply waits.
  auto bare = GenerateDemoReferrals(3, 1, kToday, {});
  CHECK(bare[0].specialty == "CARDIOLOGY");
}

TEST_CASE("every referral decodes with the wire schema and is accepted by the engine") {
  const auto trust = Trust();
  BookingEngine engine;
  for (const auto& c : trust) {
    auto d = engine.Apply(UpsertTemplate{c, "", "demo", ""}, kToday);
    REQUIRE_MESSAGE(d.ok(), d.status().ToString());
  }
  const auto refs = GenerateDemoReferrals(400, 12345, kToday, trust);
  std::size_t booked = 0;
  for (const auto& r : refs) {
    const std::string body = schemas::EncodeReferralReceived(r);
    auto decoded = schemas::DecodeReferralReceived(body);
    REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
    CHECK(*decoded == r);
    auto d = ApplyMessage(engine, schemas::kReferralReceivedType, body, kToday);
    REQUIRE_MESSAGE(d.ok(), r.patient.nhs_number, ": ", d.status().ToString());
    booked += d->booked.size();
  }
  CHECK(engine.state().referrals.size() == refs.size());
  CHECK(booked > 0);
}

}  // namespace
}  // namespace hub::booking
