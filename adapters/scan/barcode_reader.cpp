// ZXing-C++ decoding of page images.
#include "adapters/scan/barcode_reader.hpp"

#include <ZXing/ReadBarcode.h>

namespace hub::scan {

std::vector<DecodedBarcode> ReadBarcodes(const GrayImage& image) {
  std::vector<DecodedBarcode> out;
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height) {
    return out;
  }
  ZXing::ImageView view(image.pixels.data(), image.width, image.height, ZXing::ImageFormat::Lum);
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::DataMatrix | ZXing::BarcodeFormat::QRCode |
                   ZXing::BarcodeFormat::Code128);
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

CoversheetReading ReadCoversheet(const GrayImage& image) {
  CoversheetReading reading;
  for (auto& b : ReadBarcodes(image)) {
    if (b.format == "Code128") {
      if (!reading.coversheet_id) reading.coversheet_id = b.text;
      continue;
    }
    if (reading.index || b.text.empty() || b.text[0] != 'v') continue;
    auto parsed = ParseIndex(b.text);
    if (parsed.ok() || !reading.index_text) reading.index_text = b.text;
    if (parsed.ok()) reading.index = *parsed;
  }
  return reading;
}

}  // namespace hub::scan
