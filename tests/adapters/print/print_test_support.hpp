// Shared fixtures for the print adapter's tests: a complete sample request of each kind, a
// configuration whose folders live in a temporary directory, and poppler helpers that read a
// PDF back (pdftotext, pdfinfo) the way the print vendor's software would.
#pragma once

#include <string>
#include <vector>

#include "adapters/print/letter.hpp"
#include "adapters/print/print_config.hpp"
#include "schemas/letter.hpp"

namespace hub::print::testing {

// The patient whose name must survive every step intact.
inline constexpr const char* kUnicodeName = "Zoë Ní Bhraonáin";

// A request carrying every field any template uses; letter id "L-<kind>" unless given.
LetterRequest SampleRequest(LetterKind kind, std::string letter_id = "");

// A `letter.requested` body with every field, as the booking engine sends it: to the patient,
// or to the referrer for DISCHARGE_TO_REFERRER; with the appointment (and for RESCHEDULE the
// previous one).
schemas::LetterRequested SampleWireLetter(const std::string& wire_kind = "APPOINTMENT",
                                          const std::string& letter_id = "L-1");
// The encoded body without `key`; "recipient_address.postcode" reaches into a nested map.
std::string EncodedWithout(const schemas::LetterRequested& body, const std::string& key);

// config/print.toml of the source tree, with every folder moved under `data_dir`.
PrintConfig TestConfig(const std::string& data_dir);

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& bytes);

// `pdftotext -layout` of a PDF file, all pages; pages are separated by form feeds.
std::string PdfText(const std::string& pdf_path);
// The page count pdfinfo reports.
int PdfPages(const std::string& pdf_path);

// A word from `pdftotext -bbox`, coordinates in points from the page's top-left.
struct PdfWord {
  int page;
  double x_min, y_min, x_max, y_max;
  std::string text;
};
std::vector<PdfWord> PdfWords(const std::string& pdf_path);

}  // namespace hub::print::testing
