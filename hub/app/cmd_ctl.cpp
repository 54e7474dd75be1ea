// `hub ctl`: operate a running hub. status and dead-letters read the broker's journal read-only
// (WAL readers never block the broker); replay and purge ask the broker itself (service
// hub.admin), since only the broker writes its journal.
#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <iostream>

#include "adapters/common/mdp_client.hpp"
#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/hub_config.hpp"
#include "hub/booking/calendar.hpp"
#include "hub/booking/clinic_config.hpp"
#include "hub/booking/demo_referrals.hpp"
#include "hub/broker/journal.hpp"
#include "hub/common/clock.hpp"
#include "hub/wire/mdp.hpp"
#include "hub/wire/msgpack_map.hpp"
#include "schemas/appointment.hpp"
#include "schemas/error.hpp"
#include "schemas/referral.hpp"

namespace hub::app {

namespace po = boost::program_options;

namespace {

// "30d", "12h", "45m", "90s" -> milliseconds.
Result<std::int64_t> ParseDuration(const std::string& text) {
  if (text.size() < 2) return Status::InvalidArgument("expected a duration like 30d, 12h, 45m or 90s");
  std::int64_t n = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return Status::InvalidArgument("expected a duration like 30d, 12h, 45m or 90s");
    n = n * 10 + (text[i] - '0');
  }
  switch (text.back()) {
    case 'd': return n * 86'400'000;
    case 'h': return n * 3'600'000;
    case 'm': return n * 60'000;
    case 's': return n * 1000;
    default: return Status::InvalidArgument("duration unit must be d, h, m or s");
  }
}

std::string Age(std::int64_t ms) {
  if (ms < 0) return "-";
  if (ms < 120'000) return fmt::format("{}s", ms / 1000);
  if (ms < 7'200'000) return fmt::format("{}m", ms / 60'000);
  return fmt::format("{}h", ms / 3'600'000);
}

int Status_(broker::Journal& journal) {
  auto counts = journal.Counts();
  std::int64_t written = 0;
  auto workers = journal.ReadWorkerSnapshot(&written);
  if (!counts.ok() || !workers.ok()) {
    std::cerr << "hub ctl: cannot read the journal: "
              << (!counts.ok() ? counts.status() : workers.status()).ToString() << "\n";
    return kExitFailure;
  }
  std::int64_t age = SystemClock::Instance().NowMs() - written;
  std::cout << fmt::format("{:<16} {:>10} {:>10} {:>6} {:>8} {:>7}\n", "SERVICE", "QUEUED", "ANSWERED",
                           "DEAD", "WORKERS", "CREDIT");
  std::map<std::string, std::pair<int, std::int64_t>> per_service;
  for (const auto& w : *workers) {
    per_service[w.service].first += 1;
    per_service[w.service].second += w.credit;
  }
  std::set<std::string> names;
  for (const auto& [n, c] : *counts) names.insert(n);
  for (const auto& [n, w] : per_service) names.insert(n);
  for (const auto& n : names) {
    auto c = counts->count(n) ? counts->at(n) : broker::ServiceCounts{};
    auto w = per_service.count(n) ? per_service.at(n) : std::pair<int, std::int64_t>{0, 0};
    std::cout << fmt::format("{:<16} {:>10} {:>10} {:>6} {:>8} {:>7}\n", n, c.queued, c.replied, c.dead,
                             w.first, w.second);
  }
  if (written == 0) {
    std::cout << "(no worker snapshot yet: has the broker run?)\n";
  } else {
    std::cout << fmt::format("(queued includes requests in flight; workers as seen by the broker {} ago{})\n",
                             Age(age), age > 30'000 ? " — is the broker running?" : "");
  }
  return kExitOk;
}

int DeadLetters(broker::Journal& journal, int limit) {
  auto rows = journal.DeadLetters(limit);
  if (!rows.ok()) {
    std::cerr << "hub ctl: " << rows.status().ToString() << "\n";
    return kExitFailure;
  }
  if (rows->empty()) {
    std::cout << "no dead letters\n";
    return kExitOk;
  }
  std::int64_t now = SystemClock::Instance().NowMs();
  std::cout << fmt::format("{:<28} {:<10} {:<24} {:>8} {:>6}  {}\n", "ID", "SERVICE", "TYPE", "ATTEMPTS",
                           "AGE", "REASON");
  for (const auto& r : *rows) {
    std::cout << fmt::format("{:<28} {:<10} {:<24} {:>8} {:>6}  {}\n", r.msg_id, r.service, r.type,
                             r.attempts, Age(now - r.updated_ms), r.reason);
  }
  return kExitOk;
}

int Admin(const HubConfig& config, const std::string& endpoint_override, bool no_curve,
          const std::string& type, const std::string& body) {
  auto conn = ConnectionFor(config, "ctl");
  if (!conn.ok()) {
    std::cerr << "hub ctl: " << conn.status().message() << "\n";
    return kExitUsage;
  }
  if (!endpoint_override.empty()) conn->endpoint = endpoint_override;
  if (no_curve) conn->curve = false;
  zmq::context_t ctx;
  adapters::MdpClient client(ctx, *conn, "ctl");
  auto reply = client.Call(wire::mdp::kAdminService,
                           wire::MakeEnvelope(type, "ctl", SystemClock::Instance().NowMs(), body),
                           3000, 1);
  if (!reply.ok()) {
    std::cerr << "hub ctl: " << reply.status().ToString() << "\n";
    return kExitFailure;
  }
  auto doc = wire::Document::Parse(reply->body, "reply");
  if (!doc.ok()) return kExitFailure;
  auto r = wire::MapReader::Of(doc->root());
  std::int64_t n = 0;
  if (type == "admin.replay" && r->Int("replayed", &n).ok()) std::cout << "replayed " << n << "\n";
  if (type == "admin.purge" && r->Int("purged", &n).ok()) std::cout << "purged " << n << "\n";
  return kExitOk;
}

// `hub ctl demo --referrals N`: synthetic referrals for the example trust (RULES §5 test-range NHS
// numbers), sent to the booking service with up to 64 in flight and resent (same id) until
// answered. Prints how many were booked, waiting, or refused.
int Demo(const HubConfig& config, const std::string& endpoint_override, bool no_curve, int n,
         std::uint64_t seed) {
  auto clinics = booking::LoadClinicDir(config.booking.clinics_dir);
  if (!clinics.ok()) {
    std::cerr << "hub ctl demo: " << clinics.status().message() << "\n";
    return kExitUsage;
  }
  auto conn = ConnectionFor(config, "ctl");
  if (!conn.ok()) {
    std::cerr << "hub ctl demo: " << conn.status().message() << "\n";
    return kExitUsage;
  }
  if (!endpoint_override.empty()) conn->endpoint = endpoint_override;
  if (no_curve) conn->curve = false;
  auto referrals = booking::GenerateDemoReferrals(
      n, seed, booking::LondonDateAt(SystemClock::Instance().NowMs()), *clinics);
  zmq::context_t ctx;
  adapters::MdpClient client(ctx, *conn, "ctl");
  std::map<std::string, std::string> in_flight;  // id -> bytes
  std::size_t next = 0;
  int booked = 0, waiting = 0, refused = 0;
  auto last_progress = std::chrono::steady_clock::now();
  while (next < referrals.size() || !in_flight.empty()) {
    while (in_flight.size() < 64 && next < referrals.size()) {
      auto env = wire::MakeEnvelope("referral.received", "ctl.demo", SystemClock::Instance().NowMs(),
                                    schemas::EncodeReferralReceived(referrals[next++]));
      auto bytes = wire::EncodeEnvelope(env);
      client.Send("booking", bytes);
      in_flight.emplace(env.id, std::move(bytes));
    }
    for (auto& r : client.Poll(200)) {
      auto env = wire::DecodeEnvelope(r.body, 1 << 20);
      if (!env.ok() || !in_flight.erase(env->corr)) continue;
      last_progress = std::chrono::steady_clock::now();
      if (env->type == schemas::kErrorType) {
        ++refused;
        auto e = schemas::DecodeErrorBody(env->body);
        if (e.ok() && refused <= 5) std::cerr << "refused: " << schemas::StatusFromErrorBody(*e).ToString() << "\n";
        continue;
      }
      auto result = schemas::DecodeBookingResult(env->body);
      (result.ok() && !result->booked.empty() ? booked : waiting)++;
    }
    if (std::chrono::steady_clock::now() - last_progress > std::chrono::seconds(5)) {
      if (std::chrono::steady_clock::now() - last_progress > std::chrono::seconds(60)) {
        std::cerr << "hub ctl demo: no answer from the booking service for 60 s; is it running?\n";
        return kExitFailure;
      }
      client.Reconnect();
      for (const auto& [id, bytes] : in_flight) client.Send("booking", bytes);  // Lazy Pirate
      last_progress = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    }
  }
  std::cout << fmt::format("{} referrals sent: {} booked, {} waiting on the list, {} refused\n",
                           referrals.size(), booked, waiting, refused);
  return refused == 0 ? kExitOk : kExitFailure;
}

}  // namespace

int RunCtl(const std::vector<std::string>& args) {
  // The print adapter's letters live in print.db, not in the broker: its own options.
  if (!args.empty() && args[0] == "print") return RunCtlPrint({args.begin() + 1, args.end()});
  // So do the scan adapter's exceptions and chase list, in scan.db.
  if (!args.empty() && args[0] == "scan") return RunCtlScan({args.begin() + 1, args.end()});
  // The CaB drift report comes from the cab adapter (or is computed from the booking service).
  if (!args.empty() && args[0] == "cab") return RunCtlCab({args.begin() + 1, args.end()});
  // The booking team's reports read booking.db: their own options.
  if (!args.empty() &&
      (args[0] == "ptl" || args[0] == "pb" || args[0] == "capacity" || args[0] == "lists")) {
    return RunCtlBooking(args);
  }
  // Web UI accounts live in the web process's users.db.
  if (!args.empty() && args[0] == "user") return RunCtlUser({args.begin() + 1, args.end()});
  po::options_description opts(
      "hub ctl <status | dead-letters | replay ID | purge --older-than DURATION | demo --referrals N | "
      "print ... | scan ... | cab drift | ptl | pb | capacity | lists | user add NAME --role R> [options]");
  std::string config_path = DefaultConfigPath();
  std::string journal_path, endpoint, older_than;
  int limit = 100;
  std::vector<std::string> positional;
  opts.add_options()("help,h", "show this help")
      ("config", po::value(&config_path), "hub.toml to read")
      ("journal", po::value(&journal_path), "broker journal to read instead of [broker].journal")
      ("endpoint", po::value(&endpoint), "broker endpoint instead of [client].endpoint")
      ("no-curve", "connect without CURVE (a broker started with --no-curve)")
      ("limit", po::value(&limit), "dead-letters: how many to list (default 100)")
      ("older-than", po::value(&older_than), "purge: answered requests older than e.g. 30d, 12h")
      ("dead", "purge: also delete dead letters older than the cut-off")
      ("referrals", po::value<int>()->default_value(500), "demo: how many synthetic referrals")
      ("seed", po::value<std::uint64_t>()->default_value(1), "demo: random seed (same seed, same patients)")
      ("args", po::value(&positional), "subcommand and its arguments");
  po::positional_options_description pos;
  pos.add("args", -1);
  po::variables_map vm;
  if (auto exit = ParseArgs("ctl", opts, args, &vm, &pos)) return *exit;
  if (positional.empty()) {
    std::cerr << opts;
    return kExitUsage;
  }
  auto config = LoadConfigOrReport("ctl", config_path);
  if (!config) return kExitUsage;
  if (journal_path.empty()) journal_path = config->broker.journal_path;
  const std::string& sub = positional[0];
  if (sub == "status" || sub == "dead-letters") {
    auto journal = broker::Journal::OpenReadOnly(journal_path);
    if (!journal.ok()) {
      std::cerr << "hub ctl: cannot open the broker journal " << journal_path << ": "
                << journal.status().message() << "\n";
      return kExitFailure;
    }
    return sub == "status" ? Status_(**journal) : DeadLetters(**journal, limit);
  }
  if (sub == "replay") {
    if (positional.size() != 2) {
      std::cerr << "hub ctl replay: give the id of one dead letter (see 'hub ctl dead-letters')\n";
      return kExitUsage;
    }
    return Admin(*config, endpoint, vm.count("no-curve") > 0, "admin.replay",
                 wire::MapWriter().Str("msg_id", positional[1]).Finish());
  }
  if (sub == "purge") {
    auto ms = ParseDuration(older_than);
    if (!ms.ok()) {
      std::cerr << "hub ctl purge --older-than: " << ms.status().message() << "\n";
      return kExitUsage;
    }
    return Admin(*config, endpoint, vm.count("no-curve") > 0, "admin.purge",
                 wire::MapWriter()
                     .Int("older_than_ms", SystemClock::Instance().NowMs() - *ms)
                     .Bool("include_dead", vm.count("dead") > 0)
                     .Finish());
  }
  if (sub == "demo") {
    return Demo(*config, endpoint, vm.count("no-curve") > 0, vm["referrals"].as<int>(),
                vm["seed"].as<std::uint64_t>());
  }
  std::cerr << "hub ctl: unknown subcommand '" << sub << "'\n" << opts;
  return kExitUsage;
}

}  // namespace hub::app
