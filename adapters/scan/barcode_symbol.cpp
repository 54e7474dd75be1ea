// zint: data -> symbol modules as rectangles.
#include "adapters/scan/barcode_symbol.hpp"

#include <fmt/format.h>
#include <zint.h>

#include <memory>

namespace hub::scan {

namespace {
struct ZintDeleter {
  void operator()(zint_symbol* s) const { ZBarcode_Delete(s); }
};
}  // namespace

std::string_view SymbologyName(Symbology s) {
  switch (s) {
    case Symbology::kDataMatrix:
      return "datamatrix";
    case Symbology::kQrCode:
      return "qr";
    case Symbology::kCode128:
      return "code128";
  }
  return "?";
}

Result<BarcodeSymbol> EncodeSymbol(Symbology symbology, std::string_view data,
                                   double bar_height_modules) {
  std::unique_ptr<zint_symbol, ZintDeleter> sym(ZBarcode_Create());
  if (!sym) return Status::Internal("zint: cannot allocate a symbol");
  switch (symbology) {
    case Symbology::kDataMatrix:
      sym->symbology = BARCODE_DATAMATRIX;
      sym->option_3 = DM_SQUARE;
      break;
    case Symbology::kQrCode:
      sym->symbology = BARCODE_QRCODE;
      sym->option_1 = 2;  // error correction level M (15 %)
      break;
    case Symbology::kCode128:
      sym->symbology = BARCODE_CODE128;
      sym->height = static_cast<float>(bar_height_modules);
      break;
  }
  sym->input_mode = DATA_MODE;
  sym->show_hrt = 0;  // the human-readable text is ours, set in larger type
  sym->whitespace_width = 0;
  sym->whitespace_height = 0;
  sym->border_width = 0;
  sym->scale = 1;
  int rc = ZBarcode_Encode(sym.get(), reinterpret_cast<const unsigned char*>(data.data()),
                           static_cast<int>(data.size()));
  if (rc >= ZINT_ERROR) {
    return Status::InvalidArgument(
        fmt::format("cannot encode '{}' as {}: {}", data.substr(0, 40), SymbologyName(symbology),
                    sym->errtxt),
        "barcode");
  }
  rc = ZBarcode_Buffer_Vector(sym.get(), 0);
  if (rc >= ZINT_ERROR || sym->vector == nullptr || sym->width <= 0) {
    return Status::Internal(fmt::format("zint: cannot lay out the symbol: {}", sym->errtxt));
  }
  // zint's vector units are a fixed multiple of the module; normalise to modules.
  const double unit = sym->vector->width / sym->width;
  BarcodeSymbol out;
  out.width = sym->width;
  out.height = sym->vector->height / unit;
  for (const zint_vector_rect* r = sym->vector->rectangles; r != nullptr; r = r->next) {
    if (r->colour != -1) continue;  // only the foreground
    out.bars.push_back({r->x / unit, r->y / unit, r->width / unit, r->height / unit});
  }
  return out;
}

}  // namespace hub::scan
