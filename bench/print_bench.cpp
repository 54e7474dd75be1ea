// Print adapter benchmark (issue 6 acceptance: letters rendered per second, target >= 100/s on
// the 2-core machine). Measures, in one run:
//   - baseline: a one-page PDF holding one line of text (cairo PDF surface, pango, font
//     embedding: the fixed cost every letter pays);
//   - each letter kind composed from its template and rendered (config/letters, print.toml);
//   - the mix of all kinds, which is the headline number print.letters_per_s;
//   - Accept (render + store in print.db) and batch publication (PDFs and manifests written,
//     fsynced and renamed into the outbox), per letter;
//   - the adapter's request path: letter.requested envelopes decoded, mapped, rendered and
//     stored with their dedupe record and letter.status in the outbox (print.db as the adapter
//     opens it, synchronous=FULL), 16 per transaction as with the default credit.
// Prints a markdown table and writes a flat JSON object of results to argv[1].
//
//   print_bench <results.json> [--quick] [--samples DIR]
// --samples DIR also writes one sample PDF per kind into DIR (the source of docs/letters/).
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "adapters/print/letter_composer.hpp"
#include "adapters/print/pdf_renderer.hpp"
#include "adapters/print/print_adapter.hpp"
#include "adapters/print/print_db.hpp"
#include "adapters/print/print_spooler.hpp"
#include "hub/common/clock.hpp"
#include "hub/wire/envelope.hpp"
#include "schemas/letter.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using hub::print::LetterKind;
using hub::print::LetterRequest;

LetterRequest Sample(LetterKind kind, const std::string& id) {
  LetterRequest r;
  r.letter_id = id;
  r.kind = kind;
  r.patient_name = "Zoë Ní Bhraonáin";
  r.recipient = {r.patient_name, {"12 Park Lane", "Headingley", "Leeds"}, "LS6 2AB"};
  r.nhs_number = "9434765919";
  r.date_of_birth = "1980-03-14";
  r.mrn = "RX1234567";
  r.clinic_name = "Dermatology New Patient Clinic";
  r.consultant = "Dr Adaeze Okafor";
  r.appointment_date = "2025-03-14";
  r.appointment_time = "09:30";
  r.site = "Outpatients B, Level 1, St James's University Hospital";
  r.previous_appointment_date = "2025-03-07";
  r.previous_appointment_time = "14:15";
  r.referrer_name = "Dr Priya Shah";
  r.referrer_address = {"Meanwood Health Centre", "548 Meanwood Road", "Leeds", "LS6 4JN"};
  r.reason = "The consultant is away at short notice.";
  r.respond_by = "2025-03-01";
  // As letter_mapping.cpp derives it from the request's specialty (discharge and returned-
  // referral letters name the service, having no clinic).
  r.fields["service_name"] = "dermatology";
  r.fields["ubrn"] = "000000012345";
  // The engine sends these two to the referrer (booking_engine_referrals.cpp).
  if (kind == LetterKind::kDischargeToReferrer || kind == LetterKind::kReferralReturned) {
    r.recipient = {
        "Dr Priya Shah", {"Meanwood Health Centre", "548 Meanwood Road", "Leeds"}, "LS6 4JN"};
  }
  if (kind == LetterKind::kDischargeToReferrer) {
    r.reason =
        "Your patient's symptoms have settled with the treatment started in clinic, and "
        "no further hospital follow-up is needed.";
  }
  if (kind == LetterKind::kReferralReturned) {
    r.reason =
        "These features are typical of seborrhoeic keratosis, which can be managed in primary "
        "care. Please re-refer if the lesion changes in size, shape or colour.";
  }
  return r;
}

// The same letter as the booking engine sends it (schemas/letter.hpp).
hub::schemas::LetterRequested WireSample(const std::string& kind, const std::string& id) {
  hub::schemas::LetterRequested b;
  b.letter_id = id;
  b.kind = kind;
  b.recipient = kind == "DISCHARGE_TO_REFERRER" ? "REFERRER" : "PATIENT";
  b.recipient_name = kind == "DISCHARGE_TO_REFERRER" ? "Dr Priya Shah" : "Zoë Ní Bhraonáin";
  b.recipient_address = {{"12 Park Lane", "Headingley", "Leeds"}, "LS6 2AB"};
  b.letter_date = "2025-02-03";
  b.nhs_number = "9434765919";
  b.mrn = "RX1234567";
  b.patient_name = "Zoë Ní Bhraonáin";
  b.patient_birth_date = "1980-03-14";
  b.patient_address = b.recipient_address;
  b.referral_id = b.pathway_id = "000000000042";
  b.specialty = "DERMATOLOGY";
  b.referrer_name = "Dr Priya Shah";
  hub::schemas::LetterAppointmentBody a{"DERM01-20250314-0930",
                                        "DERM01",
                                        "Dermatology New Patient Clinic",
                                        "Dr Adaeze Okafor",
                                        "St James's University Hospital",
                                        "Outpatients B",
                                        "2025-03-14",
                                        "09:30",
                                        1741944600000,
                                        20};
  b.appointment = a;
  if (kind == "RESCHEDULE") {
    a.date = "2025-03-07";
    a.time = "14:15";
    b.previous = a;
  }
  b.reason = "The consultant is away at short notice.";
  return b;
}

[[noreturn]] void Fail(const hub::Status& s) {
  std::fprintf(stderr, "print_bench: %s\n", s.ToString().c_str());
  std::exit(1);
}

// Runs `one(i)` n times; returns operations per second.
double Rate(int n, const std::function<void(int)>& one) {
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) one(i);
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  return n / took.count();
}

struct Row {
  std::string what;
  double per_s;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: print_bench <results.json> [--quick] [--samples DIR]\n");
    return 2;
  }
  std::string json_path = argv[1];
  bool quick = false;
  std::string samples;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick") {
      quick = true;
    } else if (a == "--samples" && i + 1 < argc) {
      samples = argv[++i];
    } else {
      std::fprintf(stderr, "print_bench: unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  const int per_kind = quick ? 20 : 100;

  hub::testing::TempDir dir;
  auto config =
      hub::print::LoadPrintConfig(std::string(HUB_SOURCE_DIR) + "/config/print.toml", dir.path());
  if (!config.ok()) Fail(config.status());
  config->batch.max_letters = 100000;
  auto templates = hub::print::TemplateSet::Load(config->templates_dir);
  if (!templates.ok()) Fail(templates.status());
  hub::print::PdfRenderer renderer(*config);
  const auto& kinds = hub::print::AllLetterKinds();

  if (!samples.empty()) {
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      LetterKind kind = kinds[i];
      std::string name(hub::print::LetterKindName(kind));
      // Letter ids in production are ULIDs from the booking engine; these look the part.
      std::string id = fmt::format("01JKC3ZQ8V4M7T2R9X5B1N6D{:02}", i + 1);
      auto composed =
          hub::print::ComposeLetter(Sample(kind, id), *config, *templates, "2025-02-03");
      if (!composed.ok()) Fail(composed.status());
      auto pdf = renderer.Render(*composed);
      if (!pdf.ok()) Fail(pdf.status());
      std::ofstream(samples + "/" + name + ".pdf", std::ios::binary) << pdf->pdf;
    }
  }

  std::vector<Row> rows;
  // Baseline: the least a letter can cost — one line on one page, fonts embedded.
  hub::print::ComposedLetter minimal;
  minimal.letter_id = "BASELINE";
  minimal.letter_date = "2025-02-03";
  minimal.address = {"A", "B", "LS1 3EX"};
  minimal.body = "x";
  hub::print::PrintConfig bare = *config;
  bare.trust.address_lines.clear();
  bare.trust.phone.clear();
  bare.trust.website.clear();
  hub::print::PdfRenderer bare_renderer(bare);
  double baseline = Rate(per_kind * 2, [&](int) {
    if (!bare_renderer.Render(minimal).ok()) Fail(hub::Status::Internal("baseline render failed"));
  });
  rows.push_back({"baseline: one line, one page", baseline});

  for (LetterKind kind : kinds) {
    LetterRequest request = Sample(kind, "L");
    double rate = Rate(per_kind, [&](int) {
      auto composed = hub::print::ComposeLetter(request, *config, *templates, "2025-02-03");
      if (!composed.ok()) Fail(composed.status());
      auto pdf = renderer.Render(*composed);
      if (!pdf.ok()) Fail(pdf.status());
    });
    rows.push_back({fmt::format("render {}", hub::print::LetterKindName(kind)), rate});
  }
  const int mix_n = per_kind * static_cast<int>(kinds.size());
  double mix = Rate(mix_n, [&](int i) {
    LetterKind kind = kinds[static_cast<std::size_t>(i) % kinds.size()];
    auto composed = hub::print::ComposeLetter(Sample(kind, "L"), *config, *templates, "2025-02-03");
    if (!composed.ok()) Fail(composed.status());
    auto pdf = renderer.Render(*composed);
    if (!pdf.ok()) Fail(pdf.status());
  });
  rows.push_back({"render, all kinds mixed", mix});

  auto db = hub::storage::Database::Open(config->folders.database);
  if (!db.ok()) Fail(db.status());
  if (auto s = hub::storage::Migrate(**db, hub::print::PrintMigrations()); !s.ok()) Fail(s);
  hub::ManualClock clock(1738573200000);
  hub::print::PrintSpooler spooler(**db, *config, *templates, clock);
  if (auto s = spooler.Recover(); !s.ok()) Fail(s);
  double accept = Rate(mix_n, [&](int i) {
    LetterKind kind = kinds[static_cast<std::size_t>(i) % kinds.size()];
    auto r = spooler.Accept(Sample(kind, fmt::format("L-{:06}", i)));
    if (!r.ok()) Fail(r.status());
  });
  rows.push_back({"accept: render + store in print.db", accept});
  auto start = std::chrono::steady_clock::now();
  auto batches = spooler.Flush();
  if (!batches.ok()) Fail(batches.status());
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  double publish = mix_n / took.count();
  rows.push_back({fmt::format("publish one batch of {} (fsync, rename)", mix_n), publish});

  // The adapter's request path, on its own print.db.
  hub::testing::TempDir adapter_dir;
  auto adapter_config = hub::print::LoadPrintConfig(
      std::string(HUB_SOURCE_DIR) + "/config/print.toml", adapter_dir.path());
  if (!adapter_config.ok()) Fail(adapter_config.status());
  adapter_config->batch.max_letters = 100000;
  adapter_config->adapter.waiting_hard_limit = 1'000'000;
  adapter_config->adapter.waiting_soft_limit = 1'000'000;
  auto adapter_db = hub::print::OpenPrintDb(adapter_config->folders.database, true);
  if (!adapter_db.ok()) Fail(adapter_db.status());
  hub::print::PrintAdapter adapter(**adapter_db, *adapter_config, *templates, clock);
  if (auto s = adapter.Start(); !s.ok()) Fail(s);
  const std::vector<std::string> wire_kinds = {
      "ACKNOWLEDGEMENT",           "APPOINTMENT",          "RESCHEDULE", "CANCELLATION",
      "CANCELLATION_CONFIRMATION", "DISCHARGE_TO_REFERRER"};
  const int credit = 16;
  std::vector<std::vector<std::string>> groups;
  for (int i = 0; i < mix_n; i += credit) {
    std::vector<std::string> group;
    for (int j = i; j < std::min(mix_n, i + credit); ++j) {
      const std::string& kind = wire_kinds[static_cast<std::size_t>(j) % wire_kinds.size()];
      group.push_back(hub::wire::EncodeEnvelope(hub::wire::MakeEnvelope(
          "letter.requested", "booking", clock.NowMs(),
          hub::schemas::EncodeLetterRequested(WireSample(kind, fmt::format("W-{:06}", j))))));
    }
    groups.push_back(std::move(group));
  }
  auto adapter_start = std::chrono::steady_clock::now();
  for (const auto& group : groups) {
    auto replies = adapter.HandleBatch(group);
    if (!replies.ok()) Fail(replies.status());
    for (const auto& r : *replies) {
      if (r.find("letter.accepted") == std::string::npos) Fail(hub::Status::Internal(r));
    }
  }
  std::chrono::duration<double> adapter_took = std::chrono::steady_clock::now() - adapter_start;
  double adapter_rate = mix_n / adapter_took.count();
  rows.push_back({fmt::format("adapter: letter.requested handled, {} per commit (FULL)", credit),
                  adapter_rate});

  std::printf("| step | letters/s | vs baseline |\n|---|---:|---:|\n");
  for (const auto& r : rows) {
    std::printf("| %s | %.0f | %.2f |\n", r.what.c_str(), r.per_s, r.per_s / baseline);
  }
  std::printf("\nTarget: render, all kinds mixed >= 100 letters/s.\n");

  std::ofstream json(json_path);
  json << fmt::format(
      "{{\n  \"print.letters_per_s\": {:.0f},\n  \"print.accept_letters_per_s\": {:.0f},\n"
      "  \"print.publish_letters_per_s\": {:.0f},\n"
      "  \"print.adapter_letters_per_s\": {:.0f}\n}}\n",
      mix, accept, publish, adapter_rate);
  return json.good() ? 0 : 1;
}
