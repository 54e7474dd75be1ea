// PDF rendering, checked the way the vendor's software reads a letter: poppler's pdftotext
// (-layout for content, -bbox for the address lying inside the window zone), pdfinfo for the
// page count, pdffonts for embedded fonts.
#include "adapters/print/pdf_renderer.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "adapters/print/letter_composer.hpp"
#include "tests/adapters/print/print_test_support.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::print {
namespace {

constexpr double kPtPerMm = 72.0 / 25.4;

struct Fixture {
  hub::testing::TempDir dir;
  PrintConfig config = testing::TestConfig(dir.path());
  TemplateSet templates = [this] {
    auto t = TemplateSet::Load(config.templates_dir);
    REQUIRE_MESSAGE(t.ok(), t.status().ToString());
    return std::move(t).value();
  }();
  PdfRenderer renderer{config};

  Result<RenderedLetter> Render(const LetterRequest& request) {
    HUB_ASSIGN_OR_RETURN(auto composed, ComposeLetter(request, config, templates, "2025-02-03"));
    return renderer.Render(composed);
  }

  // Renders and writes the PDF; returns its path.
  std::string RenderToFile(const LetterRequest& request, RenderedLetter* out = nullptr) {
    auto r = Render(request);
    REQUIRE_MESSAGE(r.ok(), r.status().ToString());
    std::string path = dir.File(request.letter_id + ".pdf");
    testing::WriteFile(path, r->pdf);
    if (out) *out = *r;
    return path;
  }
};

std::vector<std::string> Pages(const std::string& text) {
  std::vector<std::string> pages;
  std::stringstream ss(text);
  std::string page;
  while (std::getline(ss, page, '\f')) pages.push_back(page);
  if (!pages.empty() && pages.back().find_first_not_of(" \n") == std::string::npos)
    pages.pop_back();
  return pages;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("every letter kind renders to a PDF that poppler reads back") {
  Fixture f;
  for (LetterKind kind : AllLetterKinds()) {
    CAPTURE(LetterKindName(kind));
    LetterRequest request = testing::SampleRequest(kind);
    RenderedLetter rendered;
    std::string path = f.RenderToFile(request, &rendered);
    CHECK(rendered.pdf.rfind("%PDF-", 0) == 0);
    CHECK(testing::PdfPages(path) == rendered.page_count);
    CHECK(rendered.sheet_count == (rendered.page_count + 1) / 2);  // duplex by default

    std::string text = testing::PdfText(path);
    CHECK(Contains(text, "Example Hospitals NHS Foundation Trust"));
    CHECK(Contains(text, "943 476 5919"));  // RULES §5: 3-3-4
    CHECK(Contains(text, "3 February 2025"));
    CHECK(Contains(text, NormalisePostcode(request.recipient.postcode)));
    CHECK(Contains(text, testing::kUnicodeName));
    CHECK(Contains(text, fmt::format("Page 1 of {}", rendered.page_count)));
    CHECK(Contains(text, "0113 206 0000"));  // the booking line from [contact]
    CHECK_FALSE(Contains(text, "{"));
    CHECK_FALSE(Contains(text, "## "));
    const LetterTemplate* tmpl = f.templates.Find(kind);
    REQUIRE(tmpl != nullptr);
    if (!tmpl->appointment_heading.empty()) {
      CHECK(Contains(text, tmpl->appointment_heading));
      CHECK(Contains(text, "Dermatology New Patient Clinic"));
      CHECK(Contains(text, "Friday 14 March 2025"));
      CHECK(Contains(text, "9:30am"));
      CHECK(Contains(text, "St James's University Hospital"));
      CHECK(Contains(text, "Dr Adaeze Okafor"));
    }
  }
}

TEST_CASE("letter-specific content reaches the page") {
  Fixture f;
  std::string reschedule =
      testing::PdfText(f.RenderToFile(testing::SampleRequest(LetterKind::kReschedule)));
  CHECK(Contains(reschedule, "Friday 7 March 2025 at 2:15pm"));
  std::string cancelled =
      testing::PdfText(f.RenderToFile(testing::SampleRequest(LetterKind::kCancellationByHospital)));
  CHECK(Contains(cancelled, "The consultant is away at short notice."));
  std::string invite = testing::PdfText(
      f.RenderToFile(testing::SampleRequest(LetterKind::kPartialBookingInvitation)));
  CHECK(Contains(invite, "Please call us by Saturday 1 March 2025"));
  std::string discharge =
      testing::PdfText(f.RenderToFile(testing::SampleRequest(LetterKind::kDischargeToReferrer)));
  CHECK(Contains(discharge, "Dear Dr Priya Shah"));
  CHECK(Contains(discharge, "discharged your patient from our cardiology service"));
  std::string returned =
      testing::PdfText(f.RenderToFile(testing::SampleRequest(LetterKind::kReferralReturned)));
  CHECK(Contains(returned, "Referral returned with advice"));
  CHECK(Contains(returned, "The consultant is away at short notice."));
}

TEST_CASE("fonts are embedded") {
  Fixture f;
  std::string path = f.RenderToFile(testing::SampleRequest(LetterKind::kAppointment));
  auto r = hub::testing::RunCommand("/usr/bin/pdffonts", {path});
  REQUIRE(r.exit_code == 0);
  CHECK(Contains(r.output, "DejaVuSans"));
  std::istringstream lines(r.output);
  std::string line;
  int fonts = 0;
  while (std::getline(lines, line)) {
    if (line.find("DejaVu") == std::string::npos) continue;
    ++fonts;
    // Columns: name type encoding emb sub uni object ID; "emb" must be "yes".
    std::istringstream cols(line);
    std::vector<std::string> c;
    for (std::string w; cols >> w;) c.push_back(w);
    REQUIRE(c.size() >= 7);
    CHECK(c[c.size() - 5] == "yes");
  }
  CHECK(fonts >= 2);  // regular and bold
}

TEST_CASE("the address lies wholly inside the configured window zone") {
  Fixture f;
  for (LetterKind kind : {LetterKind::kAppointment, LetterKind::kDischargeToReferrer}) {
    CAPTURE(LetterKindName(kind));
    LetterRequest request = testing::SampleRequest(kind);
    std::string path = f.RenderToFile(request);
    const ZoneMm& z = f.config.window.zone;
    double x0 = z.x * kPtPerMm, y0 = z.y * kPtPerMm;
    double x1 = (z.x + z.width) * kPtPerMm, y1 = (z.y + z.height) * kPtPerMm;
    std::vector<std::string> inside;
    for (const auto& w : testing::PdfWords(path)) {
      if (w.page != 1) continue;
      bool overlaps = w.x_max > x0 && w.x_min < x1 && w.y_max > y0 && w.y_min < y1;
      if (!overlaps) continue;
      // Nothing straddles the window edge: every word touching it is wholly inside.
      CHECK(w.x_min >= x0);
      CHECK(w.x_max <= x1);
      CHECK(w.y_min >= y0);
      CHECK(w.y_max <= y1);
      inside.push_back(w.text);
    }
    // What shows through the window is exactly the address, in order.
    std::vector<std::string> expected;
    std::vector<std::string> lines = {request.recipient.name};
    lines.insert(lines.end(), request.recipient.lines.begin(), request.recipient.lines.end());
    lines.push_back(NormalisePostcode(request.recipient.postcode));
    for (const auto& l : lines) {
      std::istringstream words(l);
      for (std::string w; words >> w;) expected.push_back(w);
    }
    CHECK(inside == expected);
  }
}

TEST_CASE("a long letter paginates with Page N of M and loses no line at a page break") {
  Fixture f;
  LetterRequest request = testing::SampleRequest(LetterKind::kCancellationByHospital);
  std::string reason;
  for (int i = 1; i <= 60; ++i) {
    reason += fmt::format(
        "Paragraph {:03} explains, at some length and in plain words, one more "
        "part of why the clinic could not go ahead as planned.\n\n",
        i);
  }
  reason += "End of the reason.";
  request.reason = reason;
  RenderedLetter rendered;
  std::string path = f.RenderToFile(request, &rendered);
  REQUIRE(rendered.page_count >= 3);
  CHECK(testing::PdfPages(path) == rendered.page_count);
  auto pages = Pages(testing::PdfText(path));
  REQUIRE(static_cast<int>(pages.size()) == rendered.page_count);
  for (int p = 1; p <= rendered.page_count; ++p) {
    CAPTURE(p);
    const std::string& page = pages[static_cast<std::size_t>(p - 1)];
    CHECK(Contains(page, fmt::format("Page {} of {}", p, rendered.page_count)));
    CHECK(Contains(page, "Our ref. L-cancellation_by_hospital"));
    if (p > 1) CHECK(Contains(page, "Zoë Ní Bhraonáin, NHS number 943 476 5919"));
  }
  std::string all;
  for (const auto& p : pages) all += p;
  for (int i = 1; i <= 60; ++i) {
    CAPTURE(i);
    std::string marker = fmt::format("Paragraph {:03}", i);
    auto first = all.find(marker);
    CHECK(first != std::string::npos);
    CHECK(all.find(marker, first + 1) == std::string::npos);
  }
  CHECK(Contains(pages.back(), "Outpatient Booking Team"));
}

TEST_CASE("rendering is deterministic: the same letter gives the same bytes") {
  Fixture f;
  auto a = f.Render(testing::SampleRequest(LetterKind::kDna));
  auto b = f.Render(testing::SampleRequest(LetterKind::kDna));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->pdf == b->pdf);
}

TEST_CASE("an address that does not fit the window is refused, not clipped") {
  Fixture f;
  LetterRequest wide = testing::SampleRequest(LetterKind::kAppointment);
  wide.recipient.lines[0] = "Flat 14, Kirkstall Forge Riverside Apartments, 1234 Bridge Road West";
  auto r = f.Render(wide);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().field() == "recipient.lines");
  CHECK(Contains(r.status().message(), "Kirkstall Forge"));
  CHECK(Contains(r.status().message(), "90 mm wide"));

  LetterRequest tall = testing::SampleRequest(LetterKind::kAppointment);
  tall.recipient.lines = {"Flat 2",      "Block C", "Riverside Court",
                          "Canal Wharf", "Holbeck", "Leeds"};
  r = f.Render(tall);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().field() == "recipient.lines");
  CHECK(Contains(r.status().message(), "the address has 8 lines"));
  CHECK(Contains(r.status().message(), "shows at most 7"));

  LetterRequest long_name = testing::SampleRequest(LetterKind::kAppointment);
  long_name.recipient.name = "Professor Maximilian Alexander Fitzgerald-Montgomery-Worthington";
  CHECK(f.Render(long_name).status().field() == "recipient.name");
}

TEST_CASE("a letter longer than max_pages is refused") {
  Fixture f;
  f.config.layout.max_pages = 1;
  PdfRenderer renderer(f.config);
  LetterRequest request = testing::SampleRequest(LetterKind::kCancellationByHospital);
  request.reason = std::string(4000, 'x');
  auto composed = ComposeLetter(request, f.config, f.templates, "2025-02-03");
  REQUIRE(composed.ok());
  auto r = renderer.Render(*composed);
  REQUIRE_FALSE(r.ok());
  CHECK(Contains(r.status().message(), "at most 1 are allowed"));
}

TEST_CASE("a character no installed font can print is refused, not printed as a box") {
  Fixture f;
  LetterRequest request = testing::SampleRequest(LetterKind::kAppointment);
  request.patient_name = "Zoë \U00010900";  // Phoenician: no font on the machine covers it
  auto r = f.Render(request);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().field() == "patient_name");
  CHECK(Contains(r.status().message(), "no installed font can print"));
}

TEST_CASE("sheet count follows duplex") {
  CHECK(SheetCount(1, true) == 1);
  CHECK(SheetCount(2, true) == 1);
  CHECK(SheetCount(3, true) == 2);
  CHECK(SheetCount(3, false) == 3);
}

}  // namespace
}  // namespace hub::print
