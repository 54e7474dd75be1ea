// ZXing-C++ decoding of page images.
#include "adapters/scan/barcode_reader.hpp"

#include <ZXing/ReadBarcode.h>

#include <algorithm>

namespace hub::scan {

namespace {

bool Usable(const GrayImage& image) {
  return image.width > 0 && image.height > 0 &&
         image.pixels.size() == static_cast<std::size_t>(image.width) * image.height;
}

// Rows [top, top + height) of `image` (no copy).
std::vector<DecodedBarcode> Read(const GrayImage& image, int top, int height,
                                 ZXing::BarcodeFormats formats) {
  std::vector<DecodedBarcode> out;
  ZXing::ImageView view(image.pixels.data() + static_cast<std::size_t>(top) * image.width,
                        image.width, height, ZXing::ImageFormat::Lum, image.width);
  ZXing::DecodeHints hints;
  hints.setFormats(formats);
  hints.setTryHarder(true);
  hints.setTryRotate(true);
  hints.setMaxNumberOfSymbols(8);
  for (const auto& r : ZXing::ReadBarcodes(view, hints)) {
    if (!r.isValid()) continue;
    const auto& bytes = r.bytes();
    out.push_back({ZXing::ToString(r.format()), std::string(bytes.begin(), bytes.end())});
  }
  return out;
}

constexpr auto kAllFormats =
    ZXing::BarcodeFormat::DataMatrix | ZXing::BarcodeFormat::QRCode | ZXing::BarcodeFormat::Code128;
constexpr auto k2dFormats = ZXing::BarcodeFormat::DataMatrix | ZXing::BarcodeFormat::QRCode;

// Folds `found` into `reading`: the first Code 128 is the coversheet id; the first 2D symbol
// whose text parses as an index is the index (else the first starting "v" is kept as text).
void Take(std::vector<DecodedBarcode> found, CoversheetReading* reading) {
  for (auto& b : found) {
    if (b.format == "Code128") {
      if (!reading->coversheet_id) reading->coversheet_id = b.text;
      continue;
    }
    if (reading->index || b.text.empty() || b.text[0] != 'v') continue;
    auto parsed = ParseIndex(b.text);
    if (parsed.ok() || !reading->index_text) reading->index_text = b.text;
    if (parsed.ok()) reading->index = *parsed;
  }
}

// Overlapping horizontal bands of the page, for the 2D symbol only.
void SearchBands(const GrayImage& image, CoversheetReading* reading) {
  // The DataMatrix detector of ZXing-C++ 1.4 (Debian 12) only finds a symbol crossing the
  // image's centre lines. A coversheet's symbol is on the horizontal one, but a page scanned
  // short or offset moves it: search again in overlapping horizontal bands, a quarter of the
  // page high, whose centre lines are 1/12 of the page apart — closer than the smallest
  // symbol (28 mm of 297 mm at the default module size), so every symbol crosses one; and
  // an eighth of the page high at the top and bottom edges, whose centre lines are nearer
  // the edge than a quarter-page band's can be. Only pages whose symbol the whole-page search
  // missed pay for this (above all a page with no coversheet on it); bench/scan_bench.cpp
  // measures that as its decoding baseline.
  const int h = image.height;
  const int band = std::max(1, h / 4);
  const int step = std::max(1, h / 12);
  std::vector<std::pair<int, int>> windows;  // top, height
  windows.emplace_back(0, std::max(1, h / 8));
  for (int top = 0; top + band <= h; top += step) windows.emplace_back(top, band);
  windows.emplace_back(h - band, band);
  windows.emplace_back(h - std::max(1, h / 8), std::max(1, h / 8));
  for (const auto& [top, height] : windows) {
    if (reading->index) break;
    Take(Read(image, top, height, k2dFormats), reading);
  }
}

}  // namespace

std::vector<DecodedBarcode> ReadBarcodes(const GrayImage& image) {
  if (!Usable(image)) return {};
  return Read(image, 0, image.height, kAllFormats);
}

CoversheetReading ReadCoversheet(const GrayImage& image) {
  CoversheetReading reading;
  if (!Usable(image)) return reading;
  Take(Read(image, 0, image.height, kAllFormats), &reading);
  if (reading.index && reading.coversheet_id) return reading;
  // Speckle (isolated dark and light pixels from dust or a noisy sensor) breaks the edge
  // tracing of the 2D detectors and the scan lines of Code 128: the whole page once more after
  // a 3x3 median filter (which keeps modules two or more pixels wide), then its bands.
  const GrayImage clean = Despeckle(image);
  Take(Read(clean, 0, clean.height, kAllFormats), &reading);
  if (!reading.index) SearchBands(clean, &reading);
  return reading;
}

}  // namespace hub::scan
