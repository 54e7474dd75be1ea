// Batch manifests in CSV and JSON, and the SHA-256 of each PDF.
#include "adapters/print/manifest.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <nlohmann/json.hpp>

#include "adapters/print/status_file.hpp"

namespace hub::print {

namespace {

// RFC 4180: quote a field holding a comma, quote or line break; double its quotes.
std::string CsvField(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string ManifestCsv(const Manifest& m) {
  std::string out = "batch_id,letter_id,file,kind,nhs_number,recipient_name";
  for (std::size_t i = 1; i <= kMaxAddressLines; ++i) out += fmt::format(",address_line_{}", i);
  out += ",postcode,page_count,sheet_count,sha256,postage,envelope,duplex,colour\n";
  for (const auto& e : m.letters) {
    std::vector<std::string> row = {m.batch_id,   e.letter_id,
                                    e.file,       std::string(LetterKindName(e.kind)),
                                    e.nhs_number, e.recipient_name};
    for (std::size_t i = 0; i < kMaxAddressLines; ++i) {
      row.push_back(i < e.address_lines.size() ? e.address_lines[i] : "");
    }
    row.push_back(e.postcode);
    row.push_back(std::to_string(e.page_count));
    row.push_back(std::to_string(e.sheet_count));
    row.push_back(e.sha256);
    row.push_back(std::string(PostageName(e.postage)));
    row.push_back(e.envelope);
    row.push_back(e.duplex ? "true" : "false");
    row.push_back(e.colour ? "true" : "false");
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      out += CsvField(row[i]);
    }
    out += '\n';
  }
  return out;
}

std::string ManifestJson(const Manifest& m) {
  nlohmann::json letters = nlohmann::json::array();
  for (const auto& e : m.letters) {
    letters.push_back({
        {"letter_id", e.letter_id},
        {"file", e.file},
        {"kind", std::string(LetterKindName(e.kind))},
        {"nhs_number", e.nhs_number},
        {"recipient",
         {{"name", e.recipient_name},
          {"address_lines", e.address_lines},
          {"postcode", e.postcode}}},
        {"page_count", e.page_count},
        {"sheet_count", e.sheet_count},
        {"sha256", e.sha256},
        {"postage", std::string(PostageName(e.postage))},
        {"envelope", e.envelope},
        {"duplex", e.duplex},
        {"colour", e.colour},
    });
  }
  nlohmann::json doc = {{"batch_id", m.batch_id},
                        {"created", FormatTimestamp(m.created_ms)},
                        {"letter_count", m.letters.size()},
                        {"letters", std::move(letters)}};
  return doc.dump(2) + "\n";
}

std::string Sha256Hex(std::string_view bytes) {
  // Idempotent and thread-safe; picks the fastest implementation for this CPU.
  [[maybe_unused]] static const int sodium = sodium_init();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  std::string hex;
  hex.reserve(2 * sizeof digest);
  for (unsigned char b : digest) hex += fmt::format("{:02x}", b);
  return hex;
}

}  // namespace hub::print
