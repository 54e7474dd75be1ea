// Booking test builders.
#include "booking_fixtures.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>

#include "hub/booking/nhs_number.hpp"

namespace hub::booking::testing {

Date D(const char* iso) {
  auto d = ParseIsoDate(iso);
  if (!d.ok()) {  // a typo in a test's own constant; may run before doctest starts
    std::fprintf(stderr, "bad test date %s\n", iso);
    std::abort();
  }
  return *d;
}

std::string TestNhsNumber(int n) {
  int found = 0;
  for (int i = 0;; ++i) {
    std::string nine = fmt::format("999{:06}", i);
    int check = NhsCheckDigit(nine);
    if (check < 0) continue;
    if (found++ == n) return nine + static_cast<char>('0' + check);
  }
}

Referral MakeReferral(const std::string& ubrn, Priority priority, Date received, int patient) {
  Referral r;
  r.ubrn = ubrn;
  r.patient.nhs_number = TestNhsNumber(patient);
  r.patient.title = "Ms";
  r.patient.given_name = "Ada";
  r.patient.family_name = fmt::format("Patient{}", patient);
  r.patient.birth_date = D("1970-03-14");
  r.patient.address.lines = {"1 High Street", "Leeds"};
  r.patient.address.postcode = "ls1 3ex";
  r.priority = priority;
  r.specialty = "CARDIOLOGY";
  r.clinic_type = "GENERAL";
  r.referrer.name = "Dr A Jones";
  r.referrer.organisation_code = "B86001";
  r.referrer.organisation_name = "Park Surgery";
  r.referrer.address.lines = {"Park Surgery", "Leeds"};
  r.referrer.address.postcode = "LS6 2AB";
  r.source = ReferralSource::kErs;
  r.received_date = received;
  return r;
}

ClinicTemplate MakeTemplate(const std::string& code, unsigned weekday, Date from,
                            const std::vector<SlotType>& types) {
  ClinicTemplate t;
  t.clinic_code = code;
  t.clinic_name = "General Cardiology";
  t.consultant = "Dr R Patel";
  t.specialty = "CARDIOLOGY";
  t.clinic_type = "GENERAL";
  t.site = "St James's Hospital";
  t.room = "OPD 3";
  t.weekday = weekday;
  t.start_minutes = 9 * 60;
  t.end_minutes = 9 * 60 + 15 * static_cast<int>(types.size());
  t.effective_from = from;
  for (std::size_t i = 0; i < types.size(); ++i) {
    t.slots.push_back(SlotDef{9 * 60 + 15 * static_cast<int>(i), 15, types[i], 1, std::nullopt});
  }
  t.booking_horizon_weeks = 12;
  return t;
}

Decision MustApply(BookingEngine& engine, const Command& command, Date today) {
  auto r = engine.Apply(command, today);
  REQUIRE_MESSAGE(r.ok(), r.status().ToString());
  return std::move(r).value();
}

std::vector<LetterRequest> LettersOf(const Decision& d, LetterKind kind) {
  std::vector<LetterRequest> out;
  for (const auto& l : d.letters) {
    if (l.kind == kind) out.push_back(l);
  }
  return out;
}

std::vector<Task> TasksOf(const Decision& d, TaskKind kind) {
  std::vector<Task> out;
  for (const auto& t : d.tasks) {
    if (t.kind == kind) out.push_back(t);
  }
  return out;
}

}  // namespace hub::booking::testing
