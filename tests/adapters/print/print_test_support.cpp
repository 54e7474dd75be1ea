// Fixtures for the print adapter's tests.
#include "tests/adapters/print/print_test_support.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <msgpack.hpp>
#include <regex>
#include <sstream>
#include <string_view>

#include "tests/support/process.hpp"

namespace hub::print::testing {

LetterRequest SampleRequest(LetterKind kind, std::string letter_id) {
  LetterRequest r;
  r.letter_id = letter_id.empty() ? "L-" + std::string(LetterKindName(kind)) : std::move(letter_id);
  r.kind = kind;
  r.patient_name = kUnicodeName;
  r.recipient = {kUnicodeName, {"12 Park Lane", "Headingley", "Leeds"}, "ls6 2ab"};
  r.nhs_number = "943 476 5919";
  r.date_of_birth = "1980-03-14";
  r.mrn = "RX1234567";
  r.clinic_name = "Dermatology New Patient Clinic";
  r.consultant = "Dr Adaeze Okafor";
  r.appointment_date = "2025-03-14";
  r.appointment_time = "09:30";
  r.site = "Outpatients B, Level 1, St James's University Hospital";
  r.referrer_name = "Dr Priya Shah";
  r.referrer_address = {"Meanwood Health Centre", "548 Meanwood Road", "Leeds", "LS6 4JN"};
  r.reason = "The consultant is away at short notice.";
  r.respond_by = "2025-03-01";
  r.fields["service_name"] = "cardiology";
  if (kind == LetterKind::kReschedule) {
    r.previous_appointment_date = "2025-03-07";
    r.previous_appointment_time = "14:15";
  }
  if (kind == LetterKind::kDischargeToReferrer || kind == LetterKind::kReferralReturned) {
    r.recipient = {
        "Dr Priya Shah", {"Meanwood Health Centre", "548 Meanwood Road", "Leeds"}, "LS6 4JN"};
  }
  return r;
}

schemas::LetterRequested SampleWireLetter(const std::string& wire_kind,
                                          const std::string& letter_id) {
  schemas::LetterRequested b;
  b.letter_id = letter_id;
  b.kind = wire_kind;
  b.recipient = "PATIENT";
  b.recipient_name = kUnicodeName;
  b.recipient_address = {{"12 Park Lane", "Headingley", "Leeds"}, "ls6 2ab"};
  b.letter_date = "2025-02-03";
  b.nhs_number = "943 476 5919";
  b.mrn = "RX1234567";
  b.patient_name = kUnicodeName;
  b.patient_birth_date = "1980-03-14";
  b.patient_address = b.recipient_address;
  b.referral_id = "000000000042";
  b.ubrn = "000000000042";
  b.pathway_id = "000000000042";
  b.specialty = "DERMATOLOGY";
  b.referrer_name = "Dr Priya Shah";
  b.referrer_organisation = "Meanwood Health Centre";
  schemas::LetterAppointmentBody a;
  a.appointment_id = "DERM01-20250314-0930";
  a.clinic_code = "DERM01";
  a.clinic_name = "Dermatology New Patient Clinic";
  a.consultant = "Dr Adaeze Okafor";
  a.site = "St James's University Hospital";
  a.room = "Outpatients B";
  a.date = "2025-03-14";
  a.time = "09:30";
  a.start_ms = 1741944600000;
  a.length_minutes = 20;
  b.appointment = a;
  if (wire_kind == "RESCHEDULE") {
    a.appointment_id = "DERM01-20250307-1415";
    a.date = "2025-03-07";
    a.time = "14:15";
    a.start_ms = 1741356900000;
    b.previous = a;
  }
  b.reason = "The consultant is away at short notice.";
  if (wire_kind == "DISCHARGE_TO_REFERRER") {
    b.recipient = "REFERRER";
    b.recipient_name = "Dr Priya Shah";
    b.recipient_address = {{"Meanwood Health Centre", "548 Meanwood Road", "Leeds"}, "LS6 4JN"};
    b.reason = "Symptoms settled with the treatment started in clinic.";
  }
  return b;
}

namespace {
// Re-encodes `o`, leaving out the member at dotted `path`.
void PackWithout(msgpack::packer<msgpack::sbuffer>& p, const msgpack::object& o,
                 std::string_view path) {
  if (o.type != msgpack::type::MAP || path.empty()) {
    p.pack(o);
    return;
  }
  auto dot = path.find('.');
  std::string_view head = path.substr(0, dot);
  std::string_view rest = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  auto key_of = [](const msgpack::object_kv& kv) {
    return kv.key.type == msgpack::type::STR
               ? std::string_view(kv.key.via.str.ptr, kv.key.via.str.size)
               : std::string_view();
  };
  std::uint32_t n = 0;
  for (std::uint32_t i = 0; i < o.via.map.size; ++i) {
    n += !(key_of(o.via.map.ptr[i]) == head && rest.empty());
  }
  p.pack_map(n);
  for (std::uint32_t i = 0; i < o.via.map.size; ++i) {
    const auto& kv = o.via.map.ptr[i];
    if (key_of(kv) == head && rest.empty()) continue;
    p.pack(kv.key);
    if (key_of(kv) == head) {
      PackWithout(p, kv.val, rest);
    } else {
      p.pack(kv.val);
    }
  }
}
}  // namespace

std::string EncodedWithout(const schemas::LetterRequested& body, const std::string& key) {
  std::string bytes = schemas::EncodeLetterRequested(body);
  msgpack::object_handle h = msgpack::unpack(bytes.data(), bytes.size());
  msgpack::sbuffer out;
  msgpack::packer<msgpack::sbuffer> p(out);
  PackWithout(p, h.get(), key);
  return std::string(out.data(), out.size());
}

PrintConfig TestConfig(const std::string& data_dir) {
  std::string path = std::string(HUB_SOURCE_DIR) + "/config/print.toml";
  auto c = LoadPrintConfig(path, data_dir);
  REQUIRE_MESSAGE(c.ok(), c.status().ToString());
  return *c;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  REQUIRE(out.good());
}

std::string PdfText(const std::string& pdf_path) {
  auto r =
      hub::testing::RunCommand("/usr/bin/pdftotext", {"-layout", "-enc", "UTF-8", pdf_path, "-"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  return r.output;
}

int PdfPages(const std::string& pdf_path) {
  auto r = hub::testing::RunCommand("/usr/bin/pdfinfo", {pdf_path});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  std::smatch m;
  static const std::regex pages_pattern(R"(Pages:\s+(\d+))");
  REQUIRE(std::regex_search(r.output, m, pages_pattern));
  return std::stoi(m[1]);
}

namespace {
std::string UnescapeHtml(std::string s) {
  const std::pair<const char*, const char*> entities[] = {{"&lt;", "<"},    {"&gt;", ">"},
                                                          {"&quot;", "\""}, {"&apos;", "'"},
                                                          {"&#39;", "'"},   {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + 1)) {
      s.replace(pos, std::string(from).size(), to);
    }
  }
  return s;
}
}  // namespace

std::vector<PdfWord> PdfWords(const std::string& pdf_path) {
  auto r =
      hub::testing::RunCommand("/usr/bin/pdftotext", {"-bbox", "-enc", "UTF-8", pdf_path, "-"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  std::vector<PdfWord> words;
  static const std::regex word_pattern(
      R"re(<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>)re");
  int page = 0;
  std::istringstream in(r.output);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find("<page ") != std::string::npos) ++page;
    std::smatch m;
    if (std::regex_search(line, m, word_pattern)) {
      words.push_back({page, std::stod(m[1]), std::stod(m[2]), std::stod(m[3]), std::stod(m[4]),
                       UnescapeHtml(m[5])});
    }
  }
  return words;
}

}  // namespace hub::print::testing

// fontconfig keeps its configuration for the life of the process and frees it only in FcFini(),
// which must not run while pango's font maps exist; LeakSanitizer would report that one-off
// allocation at exit. Our own leaks are still reported.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
extern "C" const char* __lsan_default_options() { return "print_suppressions=0"; }
