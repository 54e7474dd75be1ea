// `hub adapter ers` as a real process (issue 4 acceptance), with a real broker and a sink booking
// worker (`hub_test_worker --sink --service booking`): HL7 over MLLP from a client that frames raw
// bytes itself, an e-RS FHIR API fixture (Beast, 127.0.0.1:0) that checks paths, headers and
// ETags and answers OperationOutcomes, SIGKILL right after an AA, duplicate feeds, and the
// folder drop.

// clang-format off
#include <utility>  // first: Boost 1.74 Asio's awaitable.hpp needs std::exchange
// clang-format on
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "adapters/ers/ers_client.hpp"
#include "adapters/ers/ers_store.hpp"
#include "hub/storage/database.hpp"
#include "schemas/referral.hpp"
#include "tests/support/hub_processes.hpp"

namespace hub::testing {
namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using namespace std::chrono_literals;

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(HUB_TESTDATA_DIR) + "/ers/" + name, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `text` with every `from` replaced by `to` (plain text, no patterns).
std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// The characters after `prefix` in `text` up to (not including) the first of `stop`; "" when
// `prefix` is absent.
std::string After(const std::string& text, const std::string& prefix, const std::string& stop) {
  std::size_t at = text.find(prefix);
  if (at == std::string::npos) return "";
  at += prefix.size();
  return text.substr(at, text.find_first_of(stop, at) - at);
}

std::string WithCr(std::string s) {
  for (char& c : s) {
    if (c == '\n') c = '\r';
  }
  while (!s.empty() && s.back() == '\r') s.pop_back();
  return s + "\r";
}

// The REF^I12 sample (with NHS number) with its control id and RF1-6 replaced.
std::string RefI12(const std::string& control_id, const std::string& rf1_6,
                   const std::string& event = "I12") {
  std::string m = WithCr(ReadData("hl7v2-REF-I12-01-with-nhs-number.hl7"));
  m = ReplaceAll(m, "|MSG00112|", "|" + control_id + "|");
  m = ReplaceAll(m, "|226839^EPIC|", "|" + rf1_6 + "|");
  m = ReplaceAll(m, "REF^I12^REF_I12", "REF^" + event + "^REF_" + event);
  return m;
}

std::string Frame(const std::string& message) { return "\x0b" + message + "\x1c\r"; }

// A raw MLLP client on a plain socket: the test frames bytes itself, not through our code.
class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~RawClient() {
    if (fd_ >= 0) close(fd_);
  }
  void Send(const std::string& bytes) {
    REQUIRE(send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(bytes.size()));
  }
  // The next framed reply, unframed; "" on timeout or close.
  std::string Reply(std::chrono::milliseconds timeout = 10s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto end = buffer_.find("\x1c\r");
      if (end != std::string::npos) {
        auto start = buffer_.find('\x0b');
        std::string msg = buffer_.substr(start + 1, end - start - 1);
        buffer_.erase(0, end + 2);
        return msg;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return "";
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return "";
      char buf[65536];
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return "";
      buffer_.append(buf, static_cast<std::size_t>(n));
    }
  }
  // True when the server closed the connection within `timeout`.
  bool Closed(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char buf[4096];
    return recv(fd_, buf, sizeof buf, 0) == 0;
  }

 private:
  int fd_ = -1;
  std::string buffer_;
};

using Codes = std::pair<std::string, std::string>;

// MSA-1 and ERR-3 code of an ACK, e.g. {"AE", "102"}.
std::pair<std::string, std::string> AckCodes(const std::string& ack) {
  std::string msa = After(ack, "\rMSA|", "|");
  // ERR-3 is <code>^<text>^HL70357 (ERR-1 is empty from v2.5 on).
  std::string err_segment = After(ack, "\rERR", "\r");  // "|<ERR-1>|<ERR-2>|<ERR-3>|..."
  std::size_t field3 = 0;
  for (int i = 0; i < 3 && field3 != std::string::npos; ++i) {
    field3 = err_segment.find('|', i == 0 ? 0 : field3 + 1);
  }
  std::string err = field3 == std::string::npos ? "" : After(err_segment.substr(field3), "|", "^");
  return {msa, err};
}

struct SinkRow {
  std::string msg_id;
  std::string type;
  schemas::ReferralReceived body;
};

std::vector<SinkRow> ReadSink(const std::string& db) {
  std::vector<SinkRow> out;
  if (!fs::exists(db)) return out;
  storage::OpenOptions ro;
  ro.read_only = true;
  auto conn = storage::Database::Open(db, ro);
  if (!conn.ok()) return out;
  auto st = (*conn)->Prepare("SELECT msg_id, type, body FROM sunk ORDER BY rowid");
  if (!st.ok()) return out;
  while (true) {
    auto row = st->Step();
    if (!row.ok() || !*row) break;
    SinkRow r{st->ColumnText(0), st->ColumnText(1), {}};
    auto body = schemas::DecodeReferralReceived(st->ColumnBlob(2));
    if (body.ok()) r.body = *body;
    out.push_back(std::move(r));
  }
  return out;
}

std::multiset<std::string> SinkIds(const std::string& db) {
  std::multiset<std::string> ids;
  for (const auto& r : ReadSink(db)) {
    ids.insert(r.body.ubrn.empty() ? r.body.local_id : r.body.ubrn);
  }
  return ids;
}

// A test hub: broker, sink booking worker, and the adapter with its ers.toml.
class ErsHub {
 public:
  explicit ErsHub(std::string ers_sections = "") {
    BrokerSettings settings;
    settings.services = {"booking"};
    broker_ = std::make_unique<BrokerProcess>(dir_, settings);
    sink_ = StartTestWorker(dir_, broker_->endpoint(), sink_db(), "sink.log",
                            {"--sink", "--service", "booking", "--credit", "16"});
    ers_toml_ = dir_.File("ers.toml");
    std::ofstream out(ers_toml_);
    out << "[hl7]\nlisten = \"127.0.0.1:0\"\nframe_timeout_ms = 3000\nidle_timeout_ms = 60000\n"
           "[referrals]\ndefault_specialty = \"CARDIOLOGY\"\ndefault_clinic_type = \"GENERAL\"\n"
           "[folder]\nscan_interval_ms = 200\n[outbox]\ntimeout_ms = 1000\n"
        << ers_sections;
  }
  const TempDir& dir() const { return dir_; }
  std::string sink_db() const { return dir_.File("sink.db"); }
  std::string ers_db() const { return dir_.File("ers.db"); }
  std::string inbox() const { return dir_.File("inbox/ers"); }
  int port() const { return port_; }
  ChildProcess& adapter() { return *adapter_; }

  void StartAdapter(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"adapter",      "ers",     "--config",   broker_->config(),
                                     "--ers-config", ers_toml_, "--endpoint", broker_->endpoint(),
                                     "--no-curve"};
    args.insert(args.end(), extra.begin(), extra.end());
    adapter_ = std::make_unique<ChildProcess>(HubBinary(), args,
                                              dir_.File(fmt::format("ers-{}.log", runs_++)));
    REQUIRE_MESSAGE(adapter_->WaitForLog("ers adapter ready", 30s), adapter_->Log());
    std::string port = After(adapter_->Log(), "MLLP on 127.0.0.1:", ",");
    REQUIRE_FALSE(port.empty());
    port_ = std::stoi(port);
  }

  // Waits until the sink holds `n` referral.received messages.
  bool WaitForSink(std::size_t n, std::chrono::milliseconds timeout = 30s) {
    return WaitUntil([&] { return ReadSink(sink_db()).size() >= n; }, timeout);
  }

 private:
  TempDir dir_;
  std::unique_ptr<BrokerProcess> broker_;
  std::unique_ptr<ChildProcess> sink_;
  std::unique_ptr<ChildProcess> adapter_;
  std::string ers_toml_;
  int port_ = 0;
  int runs_ = 0;
};

TEST_CASE("MLLP: AA for good messages, AE/AR with ERR for each kind of bad one, still serving") {
  ErsHub hub;
  hub.StartAdapter();
  RawClient c(hub.port());

  c.Send(Frame(RefI12("GOOD1", "100001^EPIC")));
  auto ack = c.Reply();
  CHECK(AckCodes(ack).first == "AA");
  CHECK(ack.find("MSA|AA|GOOD1") != std::string::npos);

  SUBCASE("missing PID -> AE 100") {
    std::string m = RefI12("NOPATIENT", "100002^EPIC");
    std::size_t pid = m.find("\rPID|");
    m.erase(pid, m.find('\r', pid + 1) - pid);
    c.Send(Frame(m));
    ack = c.Reply();
    CHECK_MESSAGE((AckCodes(ack) == Codes{"AE", "100"}), ack);
    CHECK(ack.find("ERR|") != std::string::npos);
  }
  SUBCASE("invalid NHS number -> AE 102 naming PID-3") {
    c.Send(Frame(ReplaceAll(RefI12("BADNHS", "100003^EPIC"), "9434765919", "9434765918")));
    ack = c.Reply();
    CHECK(AckCodes(ack) == Codes{"AE", "102"});
    CHECK(ack.find("PID^1^3") != std::string::npos);
  }
  SUBCASE("unknown message type -> AR 200") {
    c.Send(Frame(WithCr(ReadData("hl7v2-fhirconverter-SIU-S12-01.hl7"))));
    ack = c.Reply();
    CHECK(AckCodes(ack) == Codes{"AR", "200"});
  }
  SUBCASE("broken framing (start block inside a frame) -> AR, the next frame still AA") {
    c.Send("\x0bMSH|^~\\&|HALF|" + Frame(RefI12("AFTERBROKEN", "100004^EPIC")));
    ack = c.Reply();
    CHECK(AckCodes(ack) == Codes{"AR", "100"});
    CHECK(AckCodes(c.Reply()).first == "AA");
  }
  SUBCASE("garbage bytes -> AR") {
    c.Send("this is not HL7 at all, just garbage bytes\r\n");
    ack = c.Reply();
    CHECK(AckCodes(ack) == Codes{"AR", "100"});
  }
  SUBCASE("a frame that is not HL7 -> AR") {
    c.Send(Frame("hello"));
    ack = c.Reply();
    CHECK(AckCodes(ack).first == "AR");
  }
  // Still serving, on this connection and on a new one.
  c.Send(Frame(RefI12("GOOD2", "100005^EPIC")));
  CHECK(AckCodes(c.Reply()).first == "AA");
  RawClient c2(hub.port());
  c2.Send(Frame(RefI12("GOOD3", "100006^EPIC")));
  CHECK(AckCodes(c2.Reply()).first == "AA");
  CHECK(WaitUntil(
      [&] {
        auto ids = SinkIds(hub.sink_db());
        return ids.count("EPIC/100001") && ids.count("EPIC/100005") && ids.count("EPIC/100006");
      },
      30s));
  auto ids = SinkIds(hub.sink_db());
  CHECK(ids.count("EPIC/100001") == 1);
  CHECK(ids.count("EPIC/100005") == 1);
  CHECK(ids.count("EPIC/100006") == 1);
}

TEST_CASE("MLLP: a slow or half-open connection does not block another") {
  ErsHub hub;
  hub.StartAdapter();
  RawClient stalled(hub.port());
  stalled.Send("\x0bMSH|^~\\&|SLOW|");  // a frame begun and never finished
  RawClient silent(hub.port());         // connected, says nothing
  RawClient good(hub.port());
  auto t0 = std::chrono::steady_clock::now();
  good.Send(Frame(RefI12("FAST1", "200001^EPIC")));
  CHECK(AckCodes(good.Reply(3s)).first == "AA");
  // Well inside the stalled frame's 3 s timeout: it was never waited for.
  CHECK(std::chrono::steady_clock::now() - t0 < 2s);
  // The stalled frame times out (frame_timeout_ms = 3000): AR, then the server closes it.
  CHECK(AckCodes(stalled.Reply(10s)) == Codes{"AR", "100"});
  CHECK(stalled.Closed(3s));
  good.Send(Frame(RefI12("FAST2", "200002^EPIC")));
  CHECK(AckCodes(good.Reply(3s)).first == "AA");
}

TEST_CASE(
    "nothing lost: SIGKILL right after the AA, the referral is delivered once after restart") {
  ErsHub hub;
  hub.StartAdapter({"--crash-after-ack", "1"});
  {
    RawClient c(hub.port());
    c.Send(Frame(RefI12("KILL1", "300001^EPIC")));
    CHECK(AckCodes(c.Reply()).first == "AA");
  }
  CHECK(hub.adapter().Wait(10s) == -SIGKILL);
  hub.StartAdapter();
  REQUIRE(hub.WaitForSink(1));
  // Give a duplicate delivery every chance to show up, then count.
  std::this_thread::sleep_for(1500ms);
  CHECK(SinkIds(hub.sink_db()).count("EPIC/300001") == 1);
  CHECK(ReadSink(hub.sink_db()).size() == 1);
  auto store = ers::ErsStore::Open(hub.ers_db(), storage::Synchronous::kNormal);
  REQUIRE(store.ok());
  CHECK(WaitUntil(
      [&] {
        auto r = (*store)->FindReferral("local:EPIC|300001");
        return r.ok() && *r && (*r)->state == "accepted";
      },
      10s));
}

TEST_CASE("HL7 duplicates, modifications and cancellations") {
  ErsHub hub;
  hub.StartAdapter();
  RawClient c(hub.port());
  c.Send(Frame(RefI12("D1", "000000080001^UBRN")));
  CHECK(AckCodes(c.Reply()).first == "AA");
  c.Send(Frame(RefI12("D2", "000000080001^UBRN")));  // the same referral again
  CHECK(AckCodes(c.Reply()).first == "AA");
  c.Send(Frame(ReplaceAll(RefI12("D3", "000000080001^UBRN"), "R^Routine",
                          "A^ASAP")));  // same UBRN, new priority
  CHECK(AckCodes(c.Reply()) == Codes{"AR", "205"});
  c.Send(Frame(ReplaceAll(RefI12("D4", "000000080001^UBRN", "I13"), "R^Routine", "A^ASAP")));
  CHECK(AckCodes(c.Reply()) == Codes{"AR", "201"});
  c.Send(Frame(RefI12("D5", "000000080002^UBRN", "I13")));  // a modify of an unknown referral
  CHECK(AckCodes(c.Reply()).first == "AA");
  c.Send(Frame(RefI12("D6", "000000080001^UBRN", "I14")));
  CHECK(AckCodes(c.Reply()) == Codes{"AR", "201"});
  CHECK(hub.WaitForSink(2));
  std::this_thread::sleep_for(500ms);
  auto ids = SinkIds(hub.sink_db());
  CHECK(ids.size() == 2);
  CHECK(ids.count("000000080001") == 1);
  CHECK(ids.count("000000080002") == 1);
  auto store = ers::ErsStore::Open(hub.ers_db(), storage::Synchronous::kNormal);
  REQUIRE(store.ok());
  auto r = (*store)->FindReferral("ubrn:000000080001");
  REQUIRE(r.ok());
  REQUIRE(r->has_value());
  CHECK((*r)->copies == 5);  // D1..D4 and the I14
  CHECK((*r)->cancel_requested);
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

TEST_CASE("folder drop: good file to done/, bad file to error/ with a reason, half-written left") {
  ErsHub hub;
  hub.StartAdapter();
  const std::string inbox = hub.inbox();
  // A Bundle-less ReferralRequest, dropped twice under two names: one referral.
  std::string json = ReplaceAll(ReadData("ers-a005-referralrequest-booked-dbs.json"),
                                "000000070001", "000000090001");
  WriteFile(inbox + "/first.json", json);
  WriteFile(inbox + "/bad.json", "{\"resourceType\": \"Patient\"}");
  WriteFile(inbox + "/two.hl7", WithCr(ReadData("hl7v2-REF-I12-01-with-nhs-number.hl7")) + "\n" +
                                    RefI12("FILE2", "000000090002^UBRN"));
  REQUIRE(WaitUntil([&] { return fs::exists(inbox + "/done/first.json"); }, 10s));
  REQUIRE(WaitUntil([&] { return fs::exists(inbox + "/error/bad.json"); }, 10s));
  REQUIRE(WaitUntil([&] { return fs::exists(inbox + "/done/two.hl7"); }, 10s));
  std::ifstream reason(inbox + "/error/bad.json.error.txt");
  std::stringstream rs;
  rs << reason.rdbuf();
  CHECK(rs.str().find("ReferralRequest") != std::string::npos);

  WriteFile(inbox + "/again.json", json);  // the same file a second time
  REQUIRE(WaitUntil([&] { return fs::exists(inbox + "/done/again.json"); }, 10s));

  // A file still being written (it grows on every scan) is not picked up.
  std::string growing = inbox + "/growing.hl7";
  std::string whole = RefI12("GROW", "000000090003^UBRN");
  {
    std::ofstream out(growing, std::ios::binary);
    for (std::size_t i = 0; i < whole.size(); i += whole.size() / 12 + 1) {
      out << whole.substr(i, whole.size() / 12 + 1) << std::flush;
      std::this_thread::sleep_for(40ms);  // grows faster than the 200 ms scans
      CHECK(fs::exists(growing));
    }
  }
  CHECK(ReadSink(hub.sink_db()).size() <= 3);
  REQUIRE(WaitUntil([&] { return fs::exists(inbox + "/done/growing.hl7"); }, 10s));

  CHECK(hub.WaitForSink(4));
  std::this_thread::sleep_for(500ms);
  auto ids = SinkIds(hub.sink_db());
  CHECK(ids.count("000000090001") == 1);
  CHECK(ids.count("000000090002") == 1);
  CHECK(ids.count("000000090003") == 1);
  CHECK(ids.count("EPIC/226839") == 1);
  CHECK(ids.size() == 4);
}

// ---- the e-RS FHIR API fixture

struct SeenRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;
  std::string body;
};

class ErsFixture {
 public:
  ErsFixture() : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { Serve(); });
  }
  ~ErsFixture() {
    stop_ = true;
    boost::system::error_code ec;
    asio::ip::tcp::socket s(io_);
    s.connect(acceptor_.local_endpoint(), ec);  // wake the accept
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<SeenRequest> Requests() {
    std::lock_guard lock(mu_);
    return seen_;
  }
  int Count(const std::string& target_part) {
    int n = 0;
    for (const auto& r : Requests()) n += r.target.find(target_part) != std::string::npos;
    return n;
  }
  std::vector<std::string> problems() {
    std::lock_guard lock(mu_);
    return problems_;
  }

 private:
  static std::string Outcome(const std::string& code, const std::string& details,
                             const std::string& diagnostics) {
    return nlohmann::json{
        {"resourceType", "OperationOutcome"},
        {"issue",
         {{{"severity", "error"},
           {"code", code},
           {"details",
            {{"coding",
              {{{"system", "https://fhir.nhs.uk/STU3/CodeSystem/eRS-APIErrorCode-1"},
                {"code", details}}}}}},
           {"diagnostics", diagnostics}}}}}
        .dump();
  }

  http::response<http::string_body> Handle(const http::request<http::string_body>& req) {
    SeenRequest seen{std::string(req.method_string()), std::string(req.target()), {}, req.body()};
    for (const auto& f : req) seen.headers[std::string(f.name_string())] = std::string(f.value());
    int n = 0;
    {
      std::lock_guard lock(mu_);
      seen_.push_back(seen);
      n = ++calls_[seen.method + " " + seen.target];
    }
    auto reply = [&](http::status status, std::string body, std::string etag = "") {
      http::response<http::string_body> res{status, req.version()};
      res.set(http::field::content_type, "application/fhir+json");
      if (!etag.empty()) res.set(http::field::etag, etag);
      res.body() = std::move(body);
      res.prepare_payload();
      return res;
    };
    // e-RS spec: every request carries these headers; a missing one is 403 NO_ACCESS.
    for (const char* h : {"Authorization", "NHSD-eRS-Business-Function",
                          "NHSD-End-User-Organisation-ODS", "X-Correlation-ID"}) {
      if (seen.headers[h].empty()) {
        std::lock_guard lock(mu_);
        problems_.push_back(fmt::format("{} without {}", seen.target, h));
        return reply(http::status::forbidden, Outcome("forbidden", "NO_ACCESS", h));
      }
    }
    if (seen.headers["Authorization"] != "Bearer test-token") {
      return reply(http::status::unauthorized, Outcome("login", "NO_ACCESS", "bad token"));
    }
    const std::string base = "/FHIR/STU3";
    if (seen.method == "GET" && seen.target == base + "/CodeSystem/PRIORITY") {
      return reply(http::status::ok, ReadData("ers-a004-codesystem-priority.json"));
    }
    if (seen.method == "POST" && seen.target == base + "/ReferralRequest/$ers.fetchworklist") {
      auto body = nlohmann::json::parse(seen.body, nullptr, false);
      std::string dump = body.dump();
      if (dump.find("SVC1") == std::string::npos) {
        return reply(http::status::unprocessable_entity,
                     Outcome("invalid", "REQUEST_VALIDATION_ERROR", "service filter missing"));
      }
      std::string list = ReadData("ers-a008-worklist-appointment-slot-issues.response.json");
      if (dump.find("APPOINTMENT_SLOT_ISSUES") != std::string::npos) {
        int asi = 0;
        {
          std::lock_guard lock(mu_);
          asi = ++calls_["ASI"];
        }
        if (asi == 1) {  // the first ASI poll fails with a 5xx: retried with back-off
          return reply(http::status::service_unavailable,
                       Outcome("transient", "SERVICE_UNAVAILABLE", "try later"));
        }
        return reply(http::status::ok, list);
      }
      list = ReplaceAll(list, "000000070001", "000000070002");
      list = ReplaceAll(list, "000000070000", "000000070003");
      return reply(http::status::ok, list);
    }
    const std::string prefix = base + "/ReferralRequest/";
    std::string rest = seen.target.rfind(prefix, 0) == 0 ? seen.target.substr(prefix.size()) : "";
    std::string ubrn = rest.substr(0, 12);
    bool is_ubrn = ubrn.size() == 12 && ubrn.find_first_not_of("0123456789") == std::string::npos;
    if (seen.method == "GET" && is_ubrn && rest.size() == 12) {
      if (ubrn == "000000070002") {  // 4xx: not retried
        return reply(http::status::not_found,
                     Outcome("not-found", "REFERRAL_NOT_FOUND", "no such referral"));
      }
      if (ubrn == "000000070003" && n == 1) {  // 5xx once: retried
        return reply(http::status::internal_server_error,
                     Outcome("exception", "SERVICE_UNAVAILABLE", "boom"));
      }
      std::string rr =
          ReplaceAll(ReadData("ers-a005-referralrequest-booked-dbs.json"), "000000070001", ubrn);
      return reply(http::status::ok, rr, "W/\"5\"");
    }
    if (seen.method == "POST" && is_ubrn && rest.rfind("/$ers.", 12) == 12) {
      if (seen.headers["If-Match"] != "W/\"5\"") {
        return reply(http::status::precondition_failed,
                     Outcome("conflict", "INVALID_VERSION", "If-Match does not match"));
      }
      return reply(http::status::ok, "");
    }
    return reply(http::status::not_found, Outcome("not-supported", "NOT_FOUND", seen.target));
  }

  void Serve() {
    while (!stop_) {
      boost::system::error_code ec;
      asio::ip::tcp::socket socket(io_);
      acceptor_.accept(socket, ec);
      if (ec || stop_) break;
      beast::flat_buffer buffer;
      while (true) {
        http::request<http::string_body> req;
        http::read(socket, buffer, req, ec);
        if (ec) break;
        auto res = Handle(req);
        res.keep_alive(req.keep_alive());
        http::write(socket, res, ec);
        if (ec || !req.keep_alive()) break;
      }
      socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    }
  }

  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_ = false;
  std::mutex mu_;
  std::vector<SeenRequest> seen_;
  std::map<std::string, int> calls_;
  std::vector<std::string> problems_;
};

TEST_CASE("e-RS: worklists -> referrals -> referral.received at booking; 5xx retried, 4xx not") {
  ErsFixture fixture;
  ErsHub hub(fmt::format(R"([ers]
enabled = true
base_url = "http://127.0.0.1:{}/FHIR"
token_file = "ers.token"
ods_code = "R69"
access_mode = "user"
services = ["SVC1"]
poll_interval_s = 3600
retry_min_ms = 200
)",
                         fixture.port()));
  WriteFile(hub.dir().File("ers.token"), "test-token\n");
  hub.StartAdapter();
  // ASI: 70001, 70000. RFR: 70002 (404, never delivered), 70003 (500 once, then delivered).
  REQUIRE_MESSAGE(hub.WaitForSink(3), hub.adapter().Log());
  std::this_thread::sleep_for(1s);
  auto rows = ReadSink(hub.sink_db());
  std::multiset<std::string> ids;
  for (const auto& r : rows) ids.insert(r.body.ubrn);
  CHECK(ids == std::multiset<std::string>{"000000070000", "000000070001", "000000070003"});
  CHECK(fixture.Count("/ReferralRequest/000000070002") == 1);  // 4xx: not retried
  CHECK(fixture.Count("/ReferralRequest/000000070003") == 2);  // 5xx: retried once
  CHECK(fixture.Count("/CodeSystem/PRIORITY") == 1);
  CHECK(fixture.problems().empty());

  // Headers as the e-RS spec asks; X-Correlation-ID of each A005 is the envelope id delivered.
  std::set<std::string> delivered;
  for (const auto& r : rows) delivered.insert(r.msg_id);
  int matched = 0;
  for (const auto& req : fixture.Requests()) {
    CHECK(req.headers.at("Authorization") == "Bearer test-token");
    CHECK(req.headers.at("NHSD-eRS-Business-Function") == "SERVICE_PROVIDER_ADMIN");
    CHECK(req.headers.at("NHSD-End-User-Organisation-ODS") == "R69");
    if (req.target.find("/ReferralRequest/0000000700") != std::string::npos) {
      matched += delivered.count(req.headers.at("X-Correlation-ID"));
    }
  }
  CHECK(matched == 3);
  // Dates from the worklist (RULES §1.1, §3.2).
  for (const auto& r : rows) {
    CHECK(r.body.source == "ERS");
    CHECK(r.body.priority == "ROUTINE");
    CHECK_FALSE(r.body.received_date.empty());
  }

  // The 4xx is recorded against its item.
  auto store = ers::ErsStore::Open(hub.ers_db(), storage::Synchronous::kNormal);
  REQUIRE(store.ok());
  auto failed = (*store)->FindItem("REFERRALS_FOR_REVIEW", "SVC1", "000000070002");
  REQUIRE(failed.ok());
  REQUIRE(failed->has_value());
  CHECK((*failed)->state == "failed");
  CHECK((*failed)->error.find("REFERRAL_NOT_FOUND") != std::string::npos);

  // The same UBRN by HL7 and by file: accepted, not forwarded again.
  RawClient c(hub.port());
  c.Send(Frame(RefI12("X1", "000000070001^UBRN")));
  CHECK(AckCodes(c.Reply()).first == "AA");
  WriteFile(hub.inbox() + "/dup.json", ReadData("ers-a005-referralrequest-booked-dbs.json"));
  REQUIRE(WaitUntil([&] { return fs::exists(hub.inbox() + "/done/dup.json"); }, 10s));
  std::this_thread::sleep_for(500ms);
  CHECK(ReadSink(hub.sink_db()).size() == 3);

  // A013/A014/A028 with If-Match from the version A005 returned (the ETag).
  auto version = (*store)->ReferralVersion("000000070001");
  REQUIRE(version.ok());
  CHECK(*version == "W/\"5\"");
  ers::ErsClientOptions options;
  options.base_url = fmt::format("http://127.0.0.1:{}/FHIR", fixture.port());
  options.token_file = hub.dir().File("ers.token");
  options.business_function = "SERVICE_PROVIDER_CLINICIAN";
  options.ods_code = "R69";
  auto client = ers::ErsClient::Create(options);
  REQUIRE(client.ok());
  CHECK((*client)->AcceptReferral("000000070001", *version, "corr-1").ok());
  CHECK((*client)
            ->RecordReviewOutcome("000000070001", *version, "ACCEPT_REFER_BOOK_LATER", "will book",
                                  "URGENT", "corr-2")
            .ok());
  Status stale = (*client)->RejectReferral("000000070001", "4", "OTHER", "no", "corr-3");
  CHECK(stale.code() == StatusCode::kFailedPrecondition);
  CHECK(stale.message().find("INVALID_VERSION") != std::string::npos);

  // Restart: nothing is polled or imported again within the poll interval.
  auto before = fixture.Requests().size();
  hub.adapter().Kill(SIGTERM);
  hub.StartAdapter();
  std::this_thread::sleep_for(1500ms);
  CHECK(fixture.Count("$ers.fetchworklist") == 3);  // ASI 503 + ASI + RFR, none after restart
  CHECK(fixture.Requests().size() <= before + 1);   // at most A004 again
  CHECK(ReadSink(hub.sink_db()).size() == 3);
}

}  // namespace
}  // namespace hub::testing
