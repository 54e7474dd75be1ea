// Barcode symbols as rectangles to draw (zint): the coversheet's 2D symbol (DataMatrix ECC 200
// or QR) carrying the index string, and the Code 128 of the coversheet id (RULES §7).
// Pure apart from zint's own allocations; thread-safe (each call has its own zint symbol).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hub/common/status.hpp"

namespace hub::scan {

enum class Symbology { kDataMatrix, kQrCode, kCode128 };

std::string_view SymbologyName(Symbology s);  // "datamatrix", "qr", "code128"

// One dark rectangle, in modules (X-dimensions) from the symbol's top-left corner.
struct BarRect {
  double x = 0;
  double y = 0;
  double width = 0;
  double height = 0;
};

// A symbol without its quiet zone: `width` x `height` modules (for Code 128, `height` is
// `bar_height_modules` as asked), dark where a rectangle lies.
struct BarcodeSymbol {
  double width = 0;
  double height = 0;
  std::vector<BarRect> bars;
};

// Encodes ASCII `data`. DataMatrix is square (ECC 200); QR uses error correction level M;
// Code 128 bars are `bar_height_modules` tall. InvalidArgument (field "barcode") when zint
// refuses the data (too long, not encodable).
Result<BarcodeSymbol> EncodeSymbol(Symbology symbology, std::string_view data,
                                   double bar_height_modules = 50);

}  // namespace hub::scan
