// Drawing coversheets and patch-code separator sheets as one print-ready A4 PDF (RULES §7):
// cairo PDF surface, barcodes from zint drawn as vector rectangles, text laid out by pango with
// fonts from fontconfig (embedded by cairo).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/scan/barcode_symbol.hpp"
#include "adapters/scan/coversheet.hpp"
#include "hub/common/status.hpp"

namespace hub::scan {

// Kodak patch codes (RULES §7): Patch 2 starts a new document, Patch 3 a new job or batch,
// Patch T is a separator the scanner splits on and discards.
enum class PatchCode { kNone, kPatch2, kPatch3, kPatchT };

std::string_view PatchCodeName(PatchCode p);  // "none", "PATCH_2", "PATCH_3", "PATCH_T"
// Inverse of PatchCodeName; nullopt for anything else.
std::optional<PatchCode> PatchCodeFromName(std::string_view name);

struct CoversheetLayout {
  std::string trust_name = "Example Hospitals NHS Foundation Trust";
  std::string font = "DejaVu Sans";
  Symbology symbology = Symbology::kDataMatrix;  // the 2D symbol: DataMatrix or QR
  double module_mm = 0.7;        // one module of the 2D symbol
  double code128_module_mm = 0.33;
};

// One printed sheet: a patch-code separator (`patch` set, `coversheet` null) or a coversheet.
struct Sheet {
  PatchCode patch = PatchCode::kNone;
  const Coversheet* coversheet = nullptr;  // must outlive Render()
};

// Not thread-safe: one renderer per thread (it owns its pango font map). `layout` is copied.
class CoversheetRenderer {
 public:
  explicit CoversheetRenderer(CoversheetLayout layout);
  ~CoversheetRenderer();
  CoversheetRenderer(const CoversheetRenderer&) = delete;
  CoversheetRenderer& operator=(const CoversheetRenderer&) = delete;

  // The PDF of `sheets`, one A4 page each, in order. A coversheet page: the title and trust;
  // the 2D symbol of FormatIndex(IndexOf(c)) at the right on the page's horizontal centre
  // line (where decoders that search from the centre find it); the patient's name, NHS number
  // (3-3-4), date of birth, MRN, document type, referral (UBRN 4-4-4), document date and
  // specialty in large type; the Code 128 of the coversheet id with the id under it; and the
  // instruction to scan it first. A patch sheet: the patch bars (Kodak A-61599 geometry) across
  // the top and its name in large type. `coversheet` must pass ValidateCoversheet.
  // InvalidArgument (field "patient_name" ...) for a character no installed font can draw.
  Result<std::string> Render(const std::vector<Sheet>& sheets);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hub::scan
