// `hub ctl cab drift`: the CaB/e-RS drift report (RULES §8). It asks the running adapter
// (cab.drift to service `cab`), so the report is the one the adapter reconciled, republished and
// escalated — including stale publication, which only the adapter can see. When the adapter is not
// running (8/MMI says so) or with --offline, hub ctl computes the same report itself from the
// booking service (clinics.list, slots.free) and cab.toml, without the publication check.
#include <boost/program_options.hpp>
#include <iostream>

#include "adapters/cab/broker_gateway.hpp"
#include "adapters/cab/drift.hpp"
#include "adapters/cab/ers_directory.hpp"
#include "adapters/cab/reconciler.hpp"
#include "adapters/common/mdp_client.hpp"
#include "hub/app/cli.hpp"
#include "hub/app/commands.hpp"
#include "hub/app/hub_config.hpp"
#include "hub/common/clock.hpp"
#include "hub/common/ulid.hpp"
#include "schemas/cab.hpp"

namespace hub::app {

namespace po = boost::program_options;

namespace {

int AskAdapter(adapters::MdpClient& client, bool refresh) {
  wire::Envelope request =
      wire::MakeEnvelope(std::string(schemas::kCabDriftType), "ctl", SystemClock::Instance().NowMs(),
                         schemas::EncodeCabDrift(schemas::CabDrift{refresh}));
  // A refresh waits for a whole reconciliation (the adapter gives up after 30 s).
  auto reply = client.Call("cab", request, refresh ? 40'000 : 5'000, 1);
  if (!reply.ok()) {
    std::cerr << "hub ctl cab drift: the cab adapter did not answer: " << reply.status().ToString()
              << "\n";
    return kExitFailure;
  }
  auto result = schemas::DecodeCabDriftResult(reply->body);
  if (!result.ok()) {
    std::cerr << "hub ctl cab drift: " << result.status().ToString() << "\n";
    return kExitFailure;
  }
  std::cout << result->text;
  return result->error.empty() ? kExitOk : kExitFailure;
}

int ComputeHere(const cab::CabConfig& config, const wire::BrokerConnection& conn) {
  const Clock& clock = SystemClock::Instance();
  cab::MdpBookingTransport transport(conn, 1);
  cab::BrokerGateway gateway(transport, config, clock);
  const std::int64_t now = clock.NowMs();
  std::int64_t horizon = now;
  auto snapshot = cab::TakeSnapshot(config, gateway, now, &horizon);
  if (!snapshot.ok()) {
    std::cerr << "hub ctl cab drift: cannot read the hub's templates and slots from the booking "
                 "service: "
              << snapshot.status().ToString() << "\n";
    return kExitFailure;
  }
  std::vector<cab::ErsService> ers;
  std::string ers_note;
  if (!config.reconcile.ers_services_file.empty()) {
    auto loaded = cab::LoadErsServices(config.reconcile.ers_services_file);
    if (loaded.ok()) {
      ers = std::move(loaded).value();
    } else {
      ers_note = "\n(e-RS service definitions not compared: " + loaded.status().message() + ")\n";
    }
  }
  cab::DriftInputs in;
  in.config = &config;
  in.hub = &*snapshot;
  in.ers = config.reconcile.ers_services_file.empty() || !ers_note.empty() ? nullptr : &ers;
  in.now_ms = now;
  std::cout << "(computed by hub ctl from the booking service and cab.toml; the cab adapter is not "
               "serving, so stale publication is not checked)\n"
            << cab::RenderDriftReport(cab::FindDrift(in), now) << ers_note;
  return kExitOk;
}

}  // namespace

int RunCtlCab(const std::vector<std::string>& args) {
  po::options_description opts("hub ctl cab drift [options]");
  std::string config_path = DefaultConfigPath();
  std::string cab_config, endpoint;
  std::vector<std::string> words;
  opts.add_options()("help,h", "show this help")
      ("config", po::value(&config_path), "hub.toml to read")
      ("cab-config", po::value(&cab_config), "cab.toml to read (default: beside hub.toml)")
      ("endpoint", po::value(&endpoint), "broker endpoint instead of [client].endpoint")
      ("no-curve", "connect without CURVE (a broker started with --no-curve)")
      ("refresh", "ask the adapter to reconcile now and report that cycle")
      ("offline", "compute the report here from the booking service, without the adapter")
      ("args", po::value(&words), "subcommand");
  po::positional_options_description pos;
  pos.add("args", -1);
  po::variables_map vm;
  if (auto exit = ParseArgs("ctl cab", opts, args, &vm, &pos)) return *exit;
  if (words.size() != 1 || words[0] != "drift") {
    std::cerr << opts;
    return kExitUsage;
  }
  auto config = LoadConfigOrReport("ctl cab", config_path);
  if (!config) return kExitUsage;
  if (cab_config.empty()) cab_config = config->config_dir + "/cab.toml";
  auto cab = cab::LoadCabConfig(cab_config);
  if (!cab.ok()) {
    std::cerr << "hub ctl cab: " << cab.status().message() << "\n";
    return kExitUsage;
  }
  auto conn = ConnectionFor(*config, "ctl");
  if (!conn.ok()) {
    std::cerr << "hub ctl cab: " << conn.status().message() << "\n";
    return kExitUsage;
  }
  if (!endpoint.empty()) conn->endpoint = endpoint;
  if (vm.count("no-curve")) conn->curve = false;
  if (!vm.count("offline")) {
    zmq::context_t ctx;
    adapters::MdpClient client(ctx, *conn, "ctl");
    auto serving = client.ServiceAvailable("cab");
    if (!serving.ok()) {
      std::cerr << "hub ctl cab drift: the broker at " << conn->endpoint
                << " does not answer: " << serving.status().message() << "\n";
      return kExitFailure;
    }
    if (*serving) return AskAdapter(client, vm.count("refresh") > 0);
  }
  return ComputeHere(*cab, *conn);
}

}  // namespace hub::app
