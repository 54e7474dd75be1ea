// Reading a coversheet's barcodes back from a page image (ZXing-C++), the way the intake does
// when the bureau's index lacks the barcode value (RULES §7). Thread-safe (no shared state).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/scan/coversheet_index.hpp"
#include "adapters/scan/page_image.hpp"

namespace hub::scan {

struct DecodedBarcode {
  std::string format;  // ZXing's name: "DataMatrix", "QRCode", "Code128"
  std::string text;    // the bytes the symbol carries
};

// Every DataMatrix, QR and Code 128 symbol ZXing finds in `image` searched whole, trying
// rotations and harder; empty when none is readable.
std::vector<DecodedBarcode> ReadBarcodes(const GrayImage& image);

// What a coversheet page yields: the 2D symbol's text when one reads as an index string
// (ParseIndex), and the Code 128 text (the coversheet id) when one reads. The whole page is
// searched first; when something is missing, the page despeckled (3x3 median), then (no index
// yet) its overlapping horizontal bands, since ZXing-C++ 1.4 finds a DataMatrix only where it
// crosses the searched image's centre line.
struct CoversheetReading {
  std::optional<std::string> index_text;      // raw text of the first 2D symbol starting "v"
  std::optional<CoversheetIndex> index;       // set when index_text parses
  std::optional<std::string> coversheet_id;   // from the Code 128
};
CoversheetReading ReadCoversheet(const GrayImage& image);

}  // namespace hub::scan
