// Drawing a composed letter as a print-ready PDF (RULES §6: the vendor takes fully merged PDFs
// and reads the address from a fixed window zone): cairo PDF surface, A4, text laid out by pango
// with fonts from fontconfig, embedded by cairo.
#pragma once

#include <memory>
#include <string>

#include "adapters/print/letter_composer.hpp"
#include "adapters/print/print_config.hpp"
#include "hub/common/status.hpp"

namespace hub::print {

struct RenderedLetter {
  std::string pdf;  // the whole PDF file
  int page_count = 0;
  int sheet_count = 0;  // sheets of paper: pages / 2 rounded up when duplex
};

// Sheets of paper for `pages` pages, printed on both sides when `duplex`.
int SheetCount(int pages, bool duplex);

// Not thread-safe: use one renderer per thread (each owns its pango font map and caches).
// `config` must outlive the renderer.
class PdfRenderer {
 public:
  explicit PdfRenderer(const PrintConfig& config);
  ~PdfRenderer();
  PdfRenderer(const PdfRenderer&) = delete;
  PdfRenderer& operator=(const PdfRenderer&) = delete;

  // Page one: the trust's header; the address wholly inside the configured window zone; the
  // date and references beside it; the subject; the appointment box; the body. The body wraps
  // to the page width and runs onto as many pages as it needs, each later page headed with the
  // patient's name and NHS number; every page carries "Page N of M" and the letter id.
  // Errors (InvalidArgument, nothing drawn is returned): an address line wider than the window
  // or more lines than it holds (field "recipient"), a character no installed font can print,
  // more pages than [layout] max_pages.
  Result<RenderedLetter> Render(const ComposedLetter& letter);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hub::print
