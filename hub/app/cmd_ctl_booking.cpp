// `hub ctl ptl | pb | capacity | lists`: the booking team's reports (issue 8), computed from
// booking.db opened read-only (a WAL reader: safe while the booking worker runs) with the same
// pure functions the worker's weekly run uses. pb contact goes to the worker as pb.contact, since
// only the worker writes booking.db.
#include <fmt/format.h>

#include <boost/program_options.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "adapters/common/mdp_client.hpp"
#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/hub_config.hpp"
#include "hub/booking/capacity.hpp"
#include "hub/booking/ptl.hpp"
#include "hub/booking/rules_config.hpp"
#include "hub/booking_worker/booking_store.hpp"
#include "hub/common/clock.hpp"
#include "hub/reports/ptl_export.hpp"
#include "hub/reports/report_text.hpp"
#include "hub/wire/envelope.hpp"
#include "schemas/error.hpp"
#include "schemas/partial_booking.hpp"

namespace hub::app {

namespace po = boost::program_options;

namespace {

int Fail(const std::string& what, const Status& s) {
  std::cerr << "hub ctl " << what << ": " << s.message() << "\n";
  return s.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
}

int PbContact(const HubConfig& config, const std::string& endpoint, bool no_curve,
              const std::string& entry_id, const std::string& on, const std::string& note) {
  auto conn = ConnectionFor(config, "ctl");
  if (!conn.ok()) return Fail("pb contact", conn.status());
  if (!endpoint.empty()) conn->endpoint = endpoint;
  if (no_curve) conn->curve = false;
  const char* user = std::getenv("USER");
  schemas::PbContact body{entry_id, on, user && *user ? user : "ctl", note};
  zmq::context_t ctx;
  adapters::MdpClient client(ctx, *conn, "ctl");
  auto reply = client.Call("booking",
                           wire::MakeEnvelope(std::string(schemas::kPbContactType), "ctl",
                                              SystemClock::Instance().NowMs(),
                                              schemas::EncodePbContact(body)),
                           5000, 3);
  if (!reply.ok()) return Fail("pb contact", reply.status());
  if (reply->type == schemas::kErrorType) {
    auto e = schemas::DecodeErrorBody(reply->body);
    return Fail("pb contact", e.ok() ? schemas::StatusFromErrorBody(*e)
                                     : Status::Internal("unreadable error reply"));
  }
  std::cout << "recorded: " << entry_id << " leaves the partial-booking chase\n";
  return kExitOk;
}

}  // namespace

int RunCtlBooking(const std::vector<std::string>& args) {
  po::options_description opts(
      "hub ctl <ptl --census DATE --format csv|xlsx [--out FILE] | pb list [--all] | "
      "pb contact ENTRY [--on DATE] [--note TEXT] | capacity [--from DATE] [--weeks N] | "
      "lists review|vacancy|validation> [options]");
  std::string config_path = DefaultConfigPath();
  std::string db, census_text, format = "csv", out, from_text, on, note, endpoint;
  int weeks = 6;
  std::vector<std::string> words;
  opts.add_options()("help,h", "show this help")
      ("config", po::value(&config_path), "hub.toml to read")
      ("db", po::value(&db), "booking database instead of [booking].db")
      ("census", po::value(&census_text), "ptl: census date YYYY-MM-DD (default today)")
      ("format", po::value(&format), "ptl: csv (default), xlsx or summary (CSV of the summaries)")
      ("out", po::value(&out), "ptl: file to write (default stdout for csv; required for xlsx)")
      ("all", "pb list: also items that left the list")
      ("on", po::value(&on), "pb contact: the day the patient replied (default today)")
      ("note", po::value(&note), "pb contact: what was agreed")
      ("from", po::value(&from_text), "capacity, lists vacancy: first day (default today)")
      ("weeks", po::value(&weeks), "capacity, lists vacancy: how many weeks (default 6)")
      ("endpoint", po::value(&endpoint), "pb contact: broker endpoint instead of [client].endpoint")
      ("no-curve", "pb contact: connect without CURVE")
      ("args", po::value(&words), "subcommand and its arguments");
  po::positional_options_description pos;
  pos.add("args", -1);
  po::variables_map vm;
  if (auto exit = ParseArgs("ctl", opts, args, &vm, &pos)) return *exit;
  auto config = LoadConfigOrReport("ctl", config_path);
  if (!config) return kExitUsage;
  const std::string sub = words.empty() ? "" : words[0];
  const booking::Date today = booking::LondonDateAt(SystemClock::Instance().NowMs());
  if (weeks < 1 || weeks > 104) {
    std::cerr << "hub ctl: --weeks must be 1..104\n";
    return kExitUsage;
  }
  auto parse_date = [&](const std::string& text, const char* what) -> Result<booking::Date> {
    if (text.empty()) return today;
    auto d = booking::ParseIsoDate(text, what);
    if (!d.ok()) return Status::InvalidArgument(fmt::format("--{}: expected YYYY-MM-DD", what));
    return d;
  };

  if (sub == "pb" && words.size() == 3 && words[1] == "contact") {
    if (!on.empty() && !booking::ParseIsoDate(on, "on").ok()) {
      std::cerr << "hub ctl pb contact --on: expected YYYY-MM-DD\n";
      return kExitUsage;
    }
    return PbContact(*config, endpoint, vm.count("no-curve") > 0, words[2], on, note);
  }

  const bool known = (sub == "ptl" && words.size() == 1) ||
                     (sub == "pb" && words.size() == 2 && words[1] == "list") ||
                     (sub == "capacity" && words.size() == 1) ||
                     (sub == "lists" && words.size() == 2 &&
                      (words[1] == "review" || words[1] == "vacancy" || words[1] == "validation"));
  if (!known) {
    std::cerr << opts;
    return kExitUsage;
  }
  auto rules = booking::LoadBookingRulesFile(config->booking.rules_file);
  if (!rules.ok()) return Fail(sub, rules.status());
  auto store = booking_worker::BookingStore::OpenReadOnly(db.empty() ? config->booking.db_path : db);
  if (!store.ok()) return Fail(sub, store.status());
  auto state = (*store)->LoadState();
  if (!state.ok()) return Fail(sub, state.status());

  if (sub == "ptl") {
    auto census = parse_date(census_text, "census");
    if (!census.ok()) return Fail("ptl", census.status());
    const booking::PtlInput in = booking::BuildPtlInput(*state, *census);
    const booking::PtlReport report = booking::ComputePtl(in, *census, *rules);
    Status s;
    if (format == "xlsx") {
      if (out.empty()) {
        std::cerr << "hub ctl ptl --format xlsx: give --out FILE.xlsx\n";
        return kExitUsage;
      }
      s = reports::WritePtlXlsx(in, report, out);
    } else if (format == "csv" || format == "summary") {
      std::ofstream file;
      if (!out.empty()) {
        file.open(out, std::ios::binary | std::ios::trunc);
        if (!file) return Fail("ptl", Status::Internal(fmt::format("{}: cannot write", out)));
      }
      std::ostream& os = out.empty() ? std::cout : file;
      s = format == "csv" ? reports::WritePtlCsv(in, report, os) : reports::WriteSummaryCsv(report, os);
    } else {
      std::cerr << "hub ctl ptl --format: csv, xlsx or summary\n";
      return kExitUsage;
    }
    if (!s.ok()) return Fail("ptl", s);
    if (!out.empty()) {
      std::cerr << fmt::format("{} open pathways at {} ({} potential breaches, {:.1f}% within {} "
                               "weeks) written to {}\n",
                               report.rows.size(), booking::FormatIsoDate(*census),
                               report.total.potential_breaches, report.total.PercentWithin(),
                               report.breach_weeks, out);
    }
    return kExitOk;
  }
  if (sub == "pb") {
    std::cout << reports::PbListText(booking::PartialBookingRows(*state, vm.count("all") > 0), today);
    return kExitOk;
  }
  auto from = parse_date(from_text, "from");
  if (!from.ok()) return Fail(sub, from.status());
  const booking::Date to = booking::AddDays(*from, 7 * weeks - 1);
  if (sub == "capacity") {
    std::cout << reports::CapacityText(booking::ComputeCapacity(*state, today, *from, to, *rules));
    return kExitOk;
  }
  if (words[1] == "review") {
    std::cout << reports::ReviewListText(booking::WaitingForReview(*state, today));
  } else if (words[1] == "vacancy") {
    std::cout << reports::VacancyText(booking::VacancySummary(*state, *from, to));
  } else {
    std::cout << reports::ValidationText(booking::ValidationList(*state, today, *rules));
  }
  return kExitOk;
}

}  // namespace hub::app
