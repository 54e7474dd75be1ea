// PDF rendering with cairo + pango. Two phases: lay everything out and paginate (where every
// error is found), then draw. Coordinates are PostScript points from the page's top-left.
#include "adapters/print/pdf_renderer.hpp"

#include <cairo-pdf.h>
#include <fmt/format.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <vector>

namespace hub::print {

namespace {

constexpr double kPtPerMm = 72.0 / 25.4;
constexpr double kPageWidthPt = 210 * kPtPerMm;
constexpr double kPageHeightPt = 297 * kPtPerMm;
constexpr double kHeaderTopMm = 15;
constexpr double kColumnGapMm = 8;  // between the window and the reference column
// The address is set this far inside the window zone on every side, so no glyph's edge (side
// bearings, accents) can touch the zone's border.
constexpr double kWindowInsetMm = 1.5;

double Mm(double mm) { return mm * kPtPerMm; }
double ToMm(double pt) { return pt / kPtPerMm; }

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

PangoRectangle LogicalExtents(PangoLayout* layout) {
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  return logical;
}

double HeightPt(PangoLayout* layout) {
  return pango_units_to_double(LogicalExtents(layout).height);
}

// A whole layout drawn with its top-left corner at (x, y).
struct PlacedLayout {
  int page;
  LayoutPtr layout;
  double x;
  double y;
  double grey;  // 0 black ... 1 white
};

// One line of the body drawn with its baseline at (x, baseline).
struct PlacedLine {
  int page;
  PangoLayoutLine* line;  // owned by the body layout
  double x;
  double baseline;
};

// The body with its "## " heading markers removed, and the byte ranges of those headings.
struct MarkedBody {
  std::string text;
  std::vector<std::pair<int, int>> headings;
};

MarkedBody MarkHeadings(std::string_view body) {
  MarkedBody out;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    std::size_t eol = body.find('\n', pos);
    if (eol == std::string_view::npos) eol = body.size();
    std::string_view line = body.substr(pos, eol - pos);
    if (line.substr(0, 3) == "## ") {
      auto start = static_cast<int>(out.text.size());
      out.text += line.substr(3);
      out.headings.emplace_back(start, static_cast<int>(out.text.size()));
    } else {
      out.text += line;
    }
    if (eol == body.size()) break;
    out.text += '\n';
    pos = eol + 1;
  }
  return out;
}

struct PlacedBox {
  int page;
  double x, y, width, height;
};

}  // namespace

int SheetCount(int pages, bool duplex) { return duplex ? (pages + 1) / 2 : pages; }

struct PdfRenderer::Impl {
  explicit Impl(const PrintConfig& c) : config(c) {
    font_map = pango_cairo_font_map_new();
    context = pango_font_map_create_context(font_map);
    // Points as layout units, and unhinted metrics so measuring and drawing agree exactly.
    pango_cairo_context_set_resolution(context, 72.0);
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(context, options);
    cairo_font_options_destroy(options);
    const LayoutConfig& l = c.layout;
    body = MakeFont(l.font, l.font_size_pt, false);
    bold = MakeFont(l.font, l.font_size_pt, true);
    small = MakeFont(l.font, l.font_size_pt - 1.5, false);
    small_bold = MakeFont(l.font, l.font_size_pt - 1.5, true);
    subject = MakeFont(l.font, l.font_size_pt + 1.5, true);
    title = MakeFont(l.font, l.font_size_pt + 4.5, true);
  }
  ~Impl() {
    g_object_unref(context);
    g_object_unref(font_map);
  }

  // `bold` lists byte ranges of `text` to set in bold.
  LayoutPtr Layout(std::string_view text, const FontPtr& font, double width_pt,
                   PangoAlignment align = PANGO_ALIGN_LEFT,
                   const std::vector<std::pair<int, int>>& bold = {}) const {
    LayoutPtr l(pango_layout_new(context));
    pango_layout_set_font_description(l.get(), font.get());
    if (width_pt > 0) {
      pango_layout_set_width(l.get(), pango_units_from_double(width_pt));
      pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment(l.get(), align);
    pango_layout_set_text(l.get(), text.data(), static_cast<int>(text.size()));
    // Never invent a hyphen where a line breaks inside a word: a reference, postcode or e-mail
    // address with a hyphen that is not in it would be copied wrongly.
    PangoAttrList* attrs = pango_attr_list_new();
    pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
    for (const auto& [start, end] : bold) {
      PangoAttribute* weight = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
      weight->start_index = static_cast<guint>(start);
      weight->end_index = static_cast<guint>(end);
      pango_attr_list_insert(attrs, weight);
    }
    pango_layout_set_attributes(l.get(), attrs);
    pango_attr_list_unref(attrs);
    return l;
  }

  // A character no font can draw would print as an empty box: refuse the letter instead.
  static Status CheckGlyphs(PangoLayout* layout, const char* what, const char* field) {
    if (pango_layout_get_unknown_glyphs_count(layout) > 0) {
      return Status::InvalidArgument(
          fmt::format("{} contains a character that no installed font can print", what), field);
    }
    return Status::Ok();
  }

  Status CheckAddress(PangoLayout* address, const ComposedLetter& letter) const {
    const ZoneMm& zone = config.window.zone;
    PangoLayoutIter* it = pango_layout_get_iter(address);
    int index = 0;
    Status status;
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      double width_mm = ToMm(pango_units_to_double(logical.x + logical.width));
      if (width_mm > zone.width - 2 * kWindowInsetMm) {
        const char* field = index == 0 ? "recipient.name"
                            : index + 1 == static_cast<int>(letter.address.size())
                                ? "recipient.postcode"
                                : "recipient.lines";
        status = Status::InvalidArgument(
            fmt::format("the address line '{}' is {:.0f} mm wide; the {} envelope window "
                        "(print.toml [window]) is {:.0f} mm wide, so it would be cut off",
                        letter.address[static_cast<std::size_t>(index)], width_mm,
                        config.window.envelope, zone.width),
            field);
        break;
      }
      ++index;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    HUB_RETURN_IF_ERROR(status);
    double height_mm = ToMm(HeightPt(address));
    if (height_mm > zone.height - 2 * kWindowInsetMm) {
      int lines = pango_layout_get_line_count(address);
      int fit = static_cast<int>((zone.height - 2 * kWindowInsetMm) / (height_mm / lines));
      return Status::InvalidArgument(
          fmt::format("the address has {} lines; the {} envelope window (print.toml [window], "
                      "{:.0f} mm high) shows at most {}",
                      lines, config.window.envelope, zone.height, fit),
          "recipient.lines");
    }
    return CheckGlyphs(address, "the address", "recipient");
  }

  Result<RenderedLetter> Render(const ComposedLetter& letter) const {
    std::vector<PlacedLayout> layouts;
    std::vector<PlacedBox> boxes;
    const double margin = Mm(config.layout.margin_mm);
    const double left = margin;
    const double text_width = kPageWidthPt - 2 * margin;

    // Header: the trust's name and contact details, top right.
    double y = Mm(kHeaderTopMm);
    auto name = Layout(config.trust.name, title, text_width, PANGO_ALIGN_RIGHT);
    double name_height = HeightPt(name.get());
    layouts.push_back({0, std::move(name), left, y, 0});
    y += name_height + Mm(1);
    std::vector<std::string> details = config.trust.address_lines;
    if (!config.trust.phone.empty()) details.push_back("Telephone " + config.trust.phone);
    if (!config.trust.website.empty()) details.push_back(config.trust.website);
    if (!details.empty()) {
      std::string text;
      for (const auto& d : details) {
        if (!text.empty()) text += '\n';
        text += d;
      }
      auto l = Layout(text, small, text_width, PANGO_ALIGN_RIGHT);
      double h = HeightPt(l.get());
      layouts.push_back({0, std::move(l), left, y, 0.25});
      y += h;
    }
    const double header_bottom = y;

    // The address, wholly inside the window zone (RULES §6: the vendor reads it from there).
    const ZoneMm& zone = config.window.zone;
    std::string address_text;
    for (const auto& line : letter.address) {
      if (!address_text.empty()) address_text += '\n';
      address_text += line;
    }
    auto address = Layout(address_text, body, -1);
    HUB_RETURN_IF_ERROR(CheckAddress(address.get(), letter));
    layouts.push_back(
        {0, std::move(address), Mm(zone.x + kWindowInsetMm), Mm(zone.y + kWindowInsetMm), 0});

    // References beside the window: date, patient, NHS number 3-3-4 (RULES §5), our ref.
    const double column_x = Mm(zone.x + zone.width + kColumnGapMm);
    const double column_width = kPageWidthPt - margin - column_x;
    double label_width = 0;
    for (const auto& r : letter.references) {
      auto l = Layout(r.label, small_bold, -1);
      label_width = std::max(label_width, pango_units_to_double(LogicalExtents(l.get()).width));
    }
    label_width += Mm(2.5);
    double ry = std::max(Mm(zone.y), header_bottom + Mm(4));
    for (const auto& r : letter.references) {
      auto label = Layout(r.label, small_bold, -1);
      auto value = Layout(r.value, small, column_width - label_width);
      HUB_RETURN_IF_ERROR(
          CheckGlyphs(value.get(), "a reference beside the address", "patient_name"));
      double h = std::max(HeightPt(label.get()), HeightPt(value.get()));
      layouts.push_back({0, std::move(label), column_x, ry, 0});
      layouts.push_back({0, std::move(value), column_x + label_width, ry, 0});
      ry += h + Mm(0.8);
    }
    y = std::max(Mm(zone.y + zone.height), ry) + Mm(8);

    // Subject.
    auto subject_layout = Layout(letter.subject, subject, text_width);
    HUB_RETURN_IF_ERROR(CheckGlyphs(subject_layout.get(), "the subject line", "kind"));
    double subject_height = HeightPt(subject_layout.get());
    layouts.push_back({0, std::move(subject_layout), left, y, 0});
    y += subject_height + Mm(4);

    // Appointment box: clinic, consultant, date, time, place.
    if (!letter.appointment_heading.empty()) {
      const double pad = Mm(3);
      const double box_top = y;
      auto heading = Layout(letter.appointment_heading, bold, text_width - 2 * pad);
      double hy = box_top + pad;
      double heading_height = HeightPt(heading.get());
      layouts.push_back({0, std::move(heading), left + pad, hy, 0});
      hy += heading_height + Mm(1.5);
      const double row_label_width = Mm(26);
      for (const auto& row : letter.appointment) {
        auto label = Layout(row.label, bold, -1);
        auto value = Layout(row.value, body, text_width - 2 * pad - row_label_width);
        HUB_RETURN_IF_ERROR(CheckGlyphs(value.get(), "the appointment details", "appointment"));
        double h = std::max(HeightPt(label.get()), HeightPt(value.get()));
        layouts.push_back({0, std::move(label), left + pad, hy, 0});
        layouts.push_back({0, std::move(value), left + pad + row_label_width, hy, 0});
        hy += h + Mm(0.8);
      }
      double box_height = hy - box_top + pad - Mm(0.8);
      boxes.push_back({0, left, box_top, text_width, box_height});
      y = box_top + box_height + Mm(6);
    }

    // Body, wrapped to the text width and split into pages line by line.
    MarkedBody marked = MarkHeadings(letter.body);
    auto body_layout = Layout(marked.text, body, text_width, PANGO_ALIGN_LEFT, marked.headings);
    HUB_RETURN_IF_ERROR(CheckGlyphs(body_layout.get(), "the letter text", "reason"));
    const double body_bottom = kPageHeightPt - margin;
    auto running = Layout(letter.running_header, small, text_width);
    HUB_RETURN_IF_ERROR(CheckGlyphs(running.get(), "the patient's name", "patient_name"));
    const double running_height = HeightPt(running.get());
    const double continued_top = Mm(kHeaderTopMm) + running_height + Mm(6);

    struct BodyLine {
      PangoLayoutLine* line;
      double x, top, bottom, baseline;
      bool empty, heading;
    };
    std::vector<BodyLine> body_lines;
    PangoLayoutIter* it = pango_layout_get_iter(body_layout.get());
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it);
      bool heading =
          std::any_of(marked.headings.begin(), marked.headings.end(), [&](const auto& h) {
            return line->start_index >= h.first && line->start_index < h.second;
          });
      body_lines.push_back(
          {line, pango_units_to_double(logical.x), pango_units_to_double(logical.y),
           pango_units_to_double(logical.y + logical.height),
           pango_units_to_double(pango_layout_iter_get_baseline(it)), line->length == 0, heading});
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);

    std::vector<PlacedLine> lines;
    int page = 0;
    bool page_has_lines = false;
    double offset = y - body_lines.front().top;
    for (std::size_t i = 0; i < body_lines.size(); ++i) {
      const BodyLine& l = body_lines[i];
      // A paragraph gap falling at the top of a continued page is dropped.
      if (l.empty && !page_has_lines && page > 0) continue;
      // A heading moves to the next page with the line it introduces.
      double needed = l.bottom;
      if (l.heading && i + 1 < body_lines.size()) needed = body_lines[i + 1].bottom;
      // An empty continued page takes the line whatever happens, so this always advances.
      if (needed + offset > body_bottom && (page_has_lines || page == 0)) {
        ++page;
        offset = continued_top - l.top;
        page_has_lines = false;
        if (l.empty) continue;
      }
      lines.push_back({page, l.line, left + l.x, l.baseline + offset});
      page_has_lines = true;
    }
    const int pages = page + 1;
    if (pages > config.layout.max_pages) {
      return Status::InvalidArgument(
          fmt::format("the letter runs to {} pages; at most {} are allowed (print.toml [layout] "
                      "max_pages)",
                      pages, config.layout.max_pages),
          "reason");
    }
    for (int p = 1; p < pages; ++p) {
      layouts.push_back(
          {p, Layout(letter.running_header, small, text_width), left, Mm(kHeaderTopMm), 0.25});
    }
    // Footer: the page number, and our reference so every page can be traced to its letter.
    for (int p = 0; p < pages; ++p) {
      auto footer =
          Layout(fmt::format("Page {} of {}", p + 1, pages), small, text_width, PANGO_ALIGN_CENTER);
      double h = HeightPt(footer.get());
      double footer_y = kPageHeightPt - margin / 2 - h / 2;
      layouts.push_back({p, std::move(footer), left, footer_y, 0});
      layouts.push_back(
          {p, Layout("Our ref. " + letter.letter_id, small, text_width, PANGO_ALIGN_RIGHT), left,
           footer_y, 0.25});
    }
    return Draw(letter, pages, layouts, boxes, lines);
  }

  Result<RenderedLetter> Draw(const ComposedLetter& letter, int pages,
                              const std::vector<PlacedLayout>& layouts,
                              const std::vector<PlacedBox>& boxes,
                              const std::vector<PlacedLine>& lines) const {
    RenderedLetter out;
    cairo_surface_t* surface =
        cairo_pdf_surface_create_for_stream(AppendToString, &out.pdf, kPageWidthPt, kPageHeightPt);
    // Fixed metadata (no personal data; the letter date as creation date) so the same letter
    // renders to the same bytes.
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                   ("Letter " + letter.letter_id).c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Booking Hub");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   (letter.letter_date + "T00:00:00Z").c_str());
    cairo_t* cr = cairo_create(surface);
    for (int p = 0; p < pages; ++p) {
      for (const auto& l : layouts) {
        if (l.page != p) continue;
        cairo_set_source_rgb(cr, l.grey, l.grey, l.grey);
        cairo_move_to(cr, l.x, l.y);
        pango_cairo_show_layout(cr, l.layout.get());
      }
      cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
      cairo_set_line_width(cr, 0.75);
      for (const auto& b : boxes) {
        if (b.page != p) continue;
        cairo_rectangle(cr, b.x, b.y, b.width, b.height);
        cairo_stroke(cr);
      }
      cairo_set_source_rgb(cr, 0, 0, 0);
      for (const auto& l : lines) {
        if (l.page != p) continue;
        cairo_move_to(cr, l.x, l.baseline);
        pango_cairo_show_layout_line(cr, l.line);
      }
      cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
      return Status::Internal(fmt::format("cairo could not write the PDF of letter {}: {}",
                                          letter.letter_id, cairo_status_to_string(status)));
    }
    out.page_count = pages;
    out.sheet_count = SheetCount(pages, letter.duplex);
    return out;
  }

  const PrintConfig& config;
  PangoFontMap* font_map;
  PangoContext* context;
  FontPtr body, bold, small, small_bold, subject, title;
};

PdfRenderer::PdfRenderer(const PrintConfig& config) : impl_(std::make_unique<Impl>(config)) {}
PdfRenderer::~PdfRenderer() = default;

Result<RenderedLetter> PdfRenderer::Render(const ComposedLetter& letter) {
  return impl_->Render(letter);
}

}  // namespace hub::print
