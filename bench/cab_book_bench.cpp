// CaB adapter booking latency through the broker (issue 5 acceptance; run by bench/run.sh).
//
// Real processes on 127.0.0.1: `hub broker`, `hub worker booking` (the example trust's clinics,
// booking.db with synchronous=FULL), sink workers for print and scan, and `hub adapter cab` with
// one e-RS service per example clinic that has new-patient slots. One keep-alive HTTP client books
// published ROUTINE slots one after another with e-RS A016 `POST /STU3/Appointment` (status
// booked): HTTP, the adapter, ers.book through the broker, the engine and its commit, the reply.
// Each booking also sends slots.changed to the adapter, which reconciles while the next bookings
// arrive, as in service. The baseline, measured in the same run, is a read through the same broker
// and booking worker (slots.free for one clinic from an MDP client): the broker round trip with no
// commit and no HTTP. Prints a markdown table and writes a flat JSON object to argv[2].
//
//   cab_book_bench <hub binary> <results.json> [--quick]
#include <signal.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "adapters/common/mdp_client.hpp"
#include "hub/booking/calendar.hpp"
#include "hub/booking/clinic_config.hpp"
#include "hub/booking/demo_referrals.hpp"
#include "hub/common/clock.hpp"
#include "hub/wire/envelope.hpp"
#include "schemas/booking_queries.hpp"
#include "schemas/referral.hpp"
#include "tests/adapters/cab/http_test_client.hpp"
#include "tests/support/hub_processes.hpp"

using namespace hub;
using namespace std::chrono_literals;
using Json = nlohmann::json;

namespace {

using Steady = std::chrono::steady_clock;

double Ms(Steady::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * v.size()));
  return v[i];
}

[[noreturn]] void Fail(const std::string& what) {
  std::cerr << "cab_book_bench: " << what << "\n";
  std::exit(1);
}

// One service per example clinic with NEW slots (ids 60001..), ROUTINE only, NEW slots.
std::string ServiceMap(const std::vector<booking::ClinicTemplate>& clinics,
                       std::vector<std::string>* service_ids, std::string* first_clinic) {
  std::string toml =
      "[http]\nlisten = \"127.0.0.1:0\"\n[reconcile]\ninterval_s = 3600\n"
      "[gateway]\nthreads = 4\n";
  int id = 60001;
  for (const auto& t : clinics) {
    bool has_new = false;
    for (const auto& s : t.slots) has_new = has_new || s.type == booking::SlotType::kNew;
    if (!has_new) continue;
    if (first_clinic->empty()) *first_clinic = t.clinic_code;
    service_ids->push_back(std::to_string(id));
    toml += fmt::format(
        "[[service]]\nid = \"{}\"\nname = \"{}\"\nspecialty = \"{}\"\nclinic_type = \"{}\"\n"
        "clinics = [\"{}\"]\npriorities = [\"ROUTINE\"]\npolling_range_days = 84\n"
        "routine = {{ start_hours = 24, end_days = 0, slot_types = [\"NEW\"] }}\n",
        id++, t.clinic_code, t.specialty, t.clinic_type, t.clinic_code);
  }
  return toml;
}

Json Participant(const char* system, const std::string& value) {
  return {{"actor", {{"identifier", {{"system", system}, {"value", value}}}}},
          {"status", "accepted"}};
}

std::string BookBody(const std::string& service, const std::string& slot, const std::string& nhs,
                     const std::string& ubrn) {
  Json body;
  body["resourceType"] = "Appointment";
  body["status"] = "booked";
  body["slot"] = Json::array({{{"reference", "Slot/" + slot}}});
  body["incomingReferral"] = Json::array({{{"reference", "ReferralRequest/" + ubrn}}});
  body["participant"] =
      Json::array({Participant("http://fhir.nhs.net/Id/ers-service", service),
                   Participant("http://fhir.nhs.net/Id/nhs-number", nhs)});
  return body.dump();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: cab_book_bench <hub binary> <results.json> [--quick]\n";
    return 2;
  }
  const std::string hub_binary = argv[1];
  const bool quick = argc > 3 && std::string(argv[3]) == "--quick";
  const int bookings = quick ? 60 : 400;
  const int reads = quick ? 200 : 2000;

  auto clinics = booking::LoadClinicDir(std::string(HUB_SOURCE_DIR) + "/config/clinics");
  if (!clinics.ok()) Fail(clinics.status().ToString());
  std::vector<std::string> services;
  std::string read_clinic;
  const std::string cab_toml_text = ServiceMap(*clinics, &services, &read_clinic);

  testing::TempDir dir;
  testing::BrokerSettings s;
  s.heartbeat_ms = 1000;
  s.services = {"booking", "print", "scan", "cab"};
  s.extra_toml = testing::TestBookingToml();
  testing::BrokerProcess broker(dir, s);
  auto print = testing::StartTestWorker(dir, broker.endpoint(), dir.File("print.db"), "print.log",
                                        {"--service", "print", "--sink", "--credit", "64"});
  auto scan = testing::StartTestWorker(dir, broker.endpoint(), dir.File("scan.db"), "scan.log",
                                       {"--service", "scan", "--sink", "--credit", "64"});
  auto worker = testing::StartBookingWorker(dir, broker.config(), broker.endpoint(), "booking.log");
  const std::string cab_toml = dir.File("cab.toml");
  std::ofstream(cab_toml) << cab_toml_text;
  testing::ChildProcess adapter(hub_binary,
                                {"adapter", "cab", "--config", broker.config(), "--cab-config",
                                 cab_toml, "--endpoint", broker.endpoint(), "--no-curve"},
                                dir.File("cab-adapter.log"));
  const std::string marker = "serving e-RS slot search and booking on 127.0.0.1:";
  if (!adapter.WaitForLog(marker, 60s)) Fail("the cab adapter did not start:\n" + adapter.Log());
  const std::string log = adapter.Log();
  const auto port =
      static_cast<std::uint16_t>(std::stoi(log.substr(log.find(marker) + marker.size())));

  zmq::context_t ctx;
  wire::BrokerConnection conn;
  conn.endpoint = broker.endpoint();
  adapters::MdpClient client(ctx, conn, "bench");

  // A patient on record (an e-RS booking carries only the NHS number); every booking is a new
  // UBRN for them.
  auto referral = booking::GenerateDemoReferrals(
                      1, 5, booking::LondonDateAt(SystemClock::Instance().NowMs()), *clinics)
                      .at(0);
  referral.ubrn = "000000100000";
  referral.local_id.clear();
  referral.source = "ERS";
  // A specialty no clinic serves, so that the referral waits instead of taking a slot.
  referral.specialty = "UROLOGY";
  referral.clinic_type = "GENERAL";
  auto admitted = client.Call(
      "booking",
      wire::MakeEnvelope("referral.received", "bench", SystemClock::Instance().NowMs(),
                         schemas::EncodeReferralReceived(referral)),
      20'000, 2);
  if (!admitted.ok() || admitted->type == "hub.error") Fail("referral.received refused");
  const std::string nhs = referral.patient.nhs_number;

  // Every published ROUTINE slot, per service.
  cab::testing::HttpTestClient http(port, 60s);
  std::vector<std::pair<std::string, std::string>> targets;  // service, slot
  for (const std::string& service : services) {
    for (int page = 1;; ++page) {
      auto r = http.Get(fmt::format(
          "/STU3/Slot?schedule.actor%3AHealthcareService={}&appointmentType=ROUTINE&_count=100"
          "&status=free&page={}",
          service, page));
      if (r.status == 400) break;  // past the last page
      if (r.status != 200) Fail(fmt::format("search {}: {} {}", service, r.status, r.body));
      const Json bundle = Json::parse(r.body);
      if (!bundle.contains("entry")) break;
      for (const Json& e : bundle["entry"]) {
        if (e["resource"]["resourceType"] == "Slot") {
          targets.emplace_back(service, e["resource"]["id"].get<std::string>());
        }
      }
      if (bundle["entry"].size() < 100) break;
    }
  }
  // Interleave services so consecutive bookings touch different clinics.
  std::stable_sort(targets.begin(), targets.end(), [](const auto& a, const auto& b) {
    return a.second.substr(a.second.find('-')) < b.second.substr(b.second.find('-'));
  });
  if (static_cast<int>(targets.size()) < bookings) {
    Fail(fmt::format("only {} published slots for {} bookings", targets.size(), bookings));
  }

  // Baseline: slots.free for one clinic through the broker and booking worker.
  std::vector<double> read_ms;
  {
    const booking::Date today = booking::LondonDateAt(SystemClock::Instance().NowMs());
    schemas::SlotsFree q;
    q.clinic_code = read_clinic;
    q.from_date = booking::FormatIsoDate(today);
    q.to_date = booking::FormatIsoDate(booking::AddDays(today, 28));
    const std::string body = schemas::EncodeSlotsFree(q);
    for (int i = 0; i < reads; ++i) {
      const auto t0 = Steady::now();
      auto r = client.Call("booking", wire::MakeEnvelope("slots.free", "bench", 0, body), 10'000, 1);
      read_ms.push_back(Ms(Steady::now() - t0));
      if (!r.ok() || r->type != "slots.result") Fail("slots.free failed");
    }
  }

  // Bookings over HTTP.
  std::vector<double> book_ms;
  int failures = 0;
  const auto b0 = Steady::now();
  for (int i = 0; i < bookings; ++i) {
    const auto& [service, slot] = targets[static_cast<std::size_t>(i)];
    const std::string body = BookBody(service, slot, nhs, fmt::format("0000002{:05}", i));
    const auto t0 = Steady::now();
    auto r = http.Post("/STU3/Appointment", body);
    book_ms.push_back(Ms(Steady::now() - t0));
    if (r.status != 201) {
      if (++failures <= 3) std::cerr << "booking " << slot << ": " << r.status << " " << r.body << "\n";
    }
  }
  const double book_s = Ms(Steady::now() - b0) / 1000.0;
  adapter.Kill(SIGTERM);

  std::cout << fmt::format(
      "{} e-RS services (one per example clinic with new-patient slots), {} published ROUTINE "
      "slots; {} bookings one after another from one keep-alive client; {} reads for the "
      "baseline.\n\n",
      services.size(), targets.size(), bookings, reads);
  std::cout << "| measure | p50 | p99 | target |\n|---|---|---|---|\n";
  std::cout << fmt::format(
      "| slots.free through the broker (MDP client, baseline) | {:.2f} ms | {:.2f} ms | |\n",
      Percentile(read_ms, 50), Percentile(read_ms, 99));
  std::cout << fmt::format(
      "| POST /STU3/Appointment booked, through the broker | {:.2f} ms | {:.2f} ms | < 120 s "
      "(e-RS) |\n",
      Percentile(book_ms, 50), Percentile(book_ms, 99));
  std::cout << fmt::format("| bookings per second, one client | {:.0f} | | |\n",
                           static_cast<double>(bookings) / book_s);
  std::cout << fmt::format("| failed bookings | {} | | 0 |\n", failures);

  std::ofstream out(argv[2]);
  out << fmt::format(
      "{{\"cab.book_p99_ms\": {:.3f}, \"cab.book_p50_ms\": {:.3f}, "
      "\"cab.book_baseline_read_p99_ms\": {:.3f}}}\n",
      Percentile(book_ms, 99), Percentile(book_ms, 50), Percentile(read_ms, 99));
  return failures == 0 ? 0 : 1;
}
