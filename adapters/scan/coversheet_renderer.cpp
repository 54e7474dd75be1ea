// Coversheet and patch-sheet drawing with cairo, pango and zint. Coordinates are PostScript
// points from the page's top-left.
#include "adapters/scan/coversheet_renderer.hpp"

#include <cairo-pdf.h>
#include <fmt/format.h>
#include <pango/pangocairo.h>

#include <array>

#include "hub/booking/nhs_number.hpp"

namespace hub::scan {

namespace {

constexpr double kPtPerMm = 72.0 / 25.4;
constexpr double kPageWidthPt = 210 * kPtPerMm;
constexpr double kPageHeightPt = 297 * kPtPerMm;
constexpr double kMarginMm = 20;
// The 2D symbol needs a quiet zone of at least one module (DataMatrix) or four (QR).
constexpr double kQuietZoneModules = 4;

// Kodak patch codes (Patch Code Information, A-61599): bars 2.03 mm (narrow) or 5.08 mm (wide),
// spaces 2.03 mm, at least 50 mm long, parallel to the leading edge and within 94 mm of it.
constexpr double kNarrowMm = 2.03;
constexpr double kWideMm = 5.08;
constexpr double kPatchTopMm = 12;

double Mm(double mm) { return mm * kPtPerMm; }

struct GObjectUnref {
  void operator()(gpointer p) const { g_object_unref(p); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectUnref>;
struct FontFree {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
using FontPtr = std::unique_ptr<PangoFontDescription, FontFree>;

FontPtr MakeFont(const std::string& family, double size_pt, bool bold) {
  FontPtr f(pango_font_description_new());
  pango_font_description_set_family(f.get(), family.c_str());
  pango_font_description_set_size(f.get(), static_cast<gint>(size_pt * PANGO_SCALE));
  pango_font_description_set_weight(f.get(), bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  return f;
}

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// The bar pattern of a patch code, top to bottom: wide (true) or narrow (false) bars.
std::array<bool, 4> PatchBars(PatchCode p) {
  switch (p) {
    case PatchCode::kPatch2:
      return {true, false, false, true};
    case PatchCode::kPatch3:
      return {true, false, true, false};
    case PatchCode::kPatchT:
      return {false, true, false, true};
    case PatchCode::kNone:
      break;
  }
  return {false, false, false, false};
}

std::string_view PatchMeaning(PatchCode p) {
  switch (p) {
    case PatchCode::kPatch2:
      return "New document";
    case PatchCode::kPatch3:
      return "New batch";
    case PatchCode::kPatchT:
      return "Separator: split here, do not keep this page";
    case PatchCode::kNone:
      break;
  }
  return "";
}

}  // namespace

std::string_view PatchCodeName(PatchCode p) {
  switch (p) {
    case PatchCode::kNone:
      return "none";
    case PatchCode::kPatch2:
      return "PATCH_2";
    case PatchCode::kPatch3:
      return "PATCH_3";
    case PatchCode::kPatchT:
      return "PATCH_T";
  }
  return "?";
}

std::optional<PatchCode> PatchCodeFromName(std::string_view name) {
  for (PatchCode p : {PatchCode::kNone, PatchCode::kPatch2, PatchCode::kPatch3, PatchCode::kPatchT}) {
    if (PatchCodeName(p) == name) return p;
  }
  return std::nullopt;
}

struct CoversheetRenderer::Impl {
  explicit Impl(CoversheetLayout l) : layout(std::move(l)) {
    font_map = pango_cairo_font_map_new();
    context = pango_font_map_create_context(font_map);
    pango_cairo_context_set_resolution(context, 72.0);
    label = MakeFont(layout.font, 10, false);
    value = MakeFont(layout.font, 16, true);
    big = MakeFont(layout.font, 26, true);
    title = MakeFont(layout.font, 22, true);
    small = MakeFont(layout.font, 9, false);
  }
  ~Impl() {
    g_object_unref(context);
    g_object_unref(font_map);
  }

  // A layout of `text` in `font`, wrapped at `width_pt` when positive. Sets *unknown when a
  // character has no glyph in any installed font.
  LayoutPtr Text(std::string_view text, const FontPtr& font, double width_pt, bool* unknown) {
    LayoutPtr l(pango_layout_new(context));
    pango_layout_set_font_description(l.get(), font.get());
    if (width_pt > 0) {
      pango_layout_set_width(l.get(), pango_units_from_double(width_pt));
      pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_text(l.get(), text.data(), static_cast<int>(text.size()));
    if (pango_layout_get_unknown_glyphs_count(l.get()) > 0) *unknown = true;
    return l;
  }

  double Height(PangoLayout* l) {
    PangoRectangle logical;
    pango_layout_get_extents(l, nullptr, &logical);
    return pango_units_to_double(logical.height);
  }
  double Width(PangoLayout* l) {
    PangoRectangle logical;
    pango_layout_get_extents(l, nullptr, &logical);
    return pango_units_to_double(logical.width);
  }

  void Show(cairo_t* cr, PangoLayout* l, double x, double y) {
    cairo_move_to(cr, x, y);
    pango_cairo_update_layout(cr, l);
    pango_cairo_show_layout(cr, l);
  }

  void DrawSymbol(cairo_t* cr, const BarcodeSymbol& s, double x, double y, double module_pt) {
    for (const auto& r : s.bars) {
      cairo_rectangle(cr, x + r.x * module_pt, y + r.y * module_pt, r.width * module_pt,
                      r.height * module_pt);
    }
    cairo_fill(cr);
  }

  Status DrawCoversheet(cairo_t* cr, const Coversheet& c) {
    const std::string index = FormatIndex(IndexOf(c));
    HUB_ASSIGN_OR_RETURN(BarcodeSymbol matrix, EncodeSymbol(layout.symbology, index));
    const double code_height_mm = 15;
    HUB_ASSIGN_OR_RETURN(
        BarcodeSymbol code128,
        EncodeSymbol(Symbology::kCode128, c.coversheet_id, code_height_mm / layout.code128_module_mm));
    bool unknown = false;
    const double left = Mm(kMarginMm);
    const double right = kPageWidthPt - Mm(kMarginMm);
    const double module = Mm(layout.module_mm);
    const double matrix_size = matrix.width * module;
    // The 2D symbol sits at the right, centred on the page's horizontal centre line: the
    // DataMatrix detector of ZXing-C++ as Debian 12 ships it (1.4, built as C++17) only finds
    // symbols that cross the centre line of the image (or, trying rotations, the vertical one),
    // and scanning bureaus' decoders commonly search from the centre too. The reader still
    // searches the whole page in bands when the centre fails (barcode_reader.cpp).
    const double matrix_x = right - matrix_size;
    const double matrix_y = (kPageHeightPt - matrix_size) / 2;
    const double text_width = matrix_x - left - kQuietZoneModules * module - Mm(4);

    cairo_set_source_rgb(cr, 0, 0, 0);
    auto heading = Text("SCANNING COVERSHEET", title, right - left, &unknown);
    Show(cr, heading.get(), left, Mm(kMarginMm));
    double y = Mm(kMarginMm) + Height(heading.get()) + Mm(2);
    auto trust = Text(layout.trust_name, label, right - left, &unknown);
    Show(cr, trust.get(), left, y);
    y += Height(trust.get()) + Mm(2);
    auto how = Text("Place this sheet on top of the document and scan it first. "
                    "Do not separate it from the pages that follow.",
                    label, right - left, &unknown);
    Show(cr, how.get(), left, y);
    DrawSymbol(cr, matrix, matrix_x, matrix_y, module);

    y += Height(how.get()) + Mm(10);
    struct Row {
      const char* label;
      std::string value;
      const FontPtr* font;
      const char* field;
    };
    const std::vector<Row> rows = {
        {"Patient", c.patient_name, &big, "patient_name"},
        {"NHS number", booking::FormatNhsNumber(c.nhs_number), &big, "nhs_number"},
        {"Date of birth", c.patient_birth_date, &value, "patient_birth_date"},
        {"Hospital number (MRN)", c.mrn.empty() ? "-" : c.mrn, &value, "mrn"},
        {"Document type", c.document_type, &value, "document_type"},
        {"Referral", c.ubrn.empty() ? c.referral_id : FormatUbrn(c.ubrn), &value, "referral_id"},
        {"Document date", c.document_date, &value, "document_date"},
        {"Specialty", c.specialty, &value, "specialty"},
    };
    for (const auto& row : rows) {
      auto l = Text(row.label, label, 0, &unknown);
      Show(cr, l.get(), left, y);
      y += Height(l.get());
      bool bad = false;
      auto v = Text(row.value, *row.font, text_width, &bad);  // clear of the 2D symbol
      if (bad) {
        return Status::InvalidArgument(
            fmt::format("{} has a character no installed font can print", row.field), row.field);
      }
      Show(cr, v.get(), left, y);
      y += Height(v.get()) + Mm(3);
    }

    const double bar_module = Mm(layout.code128_module_mm);
    const double code_width = code128.width * bar_module;
    const double code_y = kPageHeightPt - Mm(kMarginMm) - Mm(code_height_mm) - Mm(12);
    DrawSymbol(cr, code128, (kPageWidthPt - code_width) / 2, code_y, bar_module);
    auto id = Text(c.coversheet_id, value, 0, &unknown);
    Show(cr, id.get(), (kPageWidthPt - Width(id.get())) / 2, code_y + Mm(code_height_mm) + Mm(2));
    if (unknown) {
      return Status::InvalidArgument("the coversheet has a character no installed font can print",
                                     "coversheet_id");
    }
    return Status::Ok();
  }

  void DrawPatch(cairo_t* cr, PatchCode patch) {
    cairo_set_source_rgb(cr, 0, 0, 0);
    double y = Mm(kPatchTopMm);
    const double x = Mm(kMarginMm);
    const double length = kPageWidthPt - 2 * Mm(kMarginMm);
    for (bool wide : PatchBars(patch)) {
      double h = Mm(wide ? kWideMm : kNarrowMm);
      cairo_rectangle(cr, x, y, length, h);
      y += h + Mm(kNarrowMm);
    }
    cairo_fill(cr);
    bool unknown = false;
    std::string name(PatchCodeName(patch));
    for (char& ch : name) {
      if (ch == '_') ch = ' ';
    }
    auto l = Text(name, title, 0, &unknown);
    Show(cr, l.get(), (kPageWidthPt - Width(l.get())) / 2, Mm(120));
    auto m = Text(PatchMeaning(patch), value, 0, &unknown);
    Show(cr, m.get(), (kPageWidthPt - Width(m.get())) / 2, Mm(120) + Height(l.get()) + Mm(4));
  }

  CoversheetLayout layout;
  PangoFontMap* font_map = nullptr;
  PangoContext* context = nullptr;
  FontPtr label, value, big, title, small;
};

CoversheetRenderer::CoversheetRenderer(CoversheetLayout layout)
    : impl_(std::make_unique<Impl>(std::move(layout))) {}
CoversheetRenderer::~CoversheetRenderer() = default;

Result<std::string> CoversheetRenderer::Render(const std::vector<Sheet>& sheets) {
  std::string pdf;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(AppendToString, &pdf, kPageWidthPt, kPageHeightPt);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, "Scanning coversheets");
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Booking Hub");
  cairo_t* cr = cairo_create(surface);
  Status status;
  for (const Sheet& sheet : sheets) {
    if (sheet.coversheet != nullptr) {
      status = impl_->DrawCoversheet(cr, *sheet.coversheet);
    } else {
      impl_->DrawPatch(cr, sheet.patch);
    }
    if (!status.ok()) break;
    cairo_show_page(cr);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  cairo_status_t cs = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (!status.ok()) return status;
  if (cs != CAIRO_STATUS_SUCCESS) {
    return Status::Internal(fmt::format("cairo: {}", cairo_status_to_string(cs)));
  }
  return pdf;
}

}  // namespace hub::scan
