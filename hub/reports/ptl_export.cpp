// PTL to CSV and XLSX.
#include "hub/reports/ptl_export.hpp"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <fstream>

namespace hub::reports {

using booking::PtlInput;
using booking::PtlReport;
using booking::PtlRow;
using booking::PtlSummary;

namespace {
std::string Day(std::int32_t day) {
  return day == booking::kNoDay ? "" : booking::FormatIsoDate(booking::DateOfDay(day));
}

std::string BandLabel(std::int16_t band) {
  return band >= 105 ? "104+" : fmt::format(">{} to {}", band - 1, band);
}
}  // namespace

std::vector<std::string> PtlHeader(const PtlReport& report) {
  std::vector<std::string> h = {"nhs_number",     "mrn",          "patient_name",
                                "pathway_id",     "specialty",    "consultant",
                                "priority",       "clock_start",  "days_waited",
                                "week_band",      "breach_date",  "next_event_date",
                                "potential_breach", "potential_breach_reason"};
  for (int w : report.thresholds) h.push_back(fmt::format("over_{}_weeks", w));
  return h;
}

std::vector<std::string> PtlCells(const PtlInput& in, const PtlReport& report, const PtlRow& r) {
  const booking::PtlPathway& p = in.pathways[r.input];
  std::vector<std::string> c;
  c.reserve(14 + report.thresholds.size());
  c.push_back(p.nhs_number);
  c.push_back(p.mrn);
  c.push_back(p.patient_name);
  c.push_back(p.pathway_id);
  c.push_back(in.names[p.specialty]);
  c.push_back(in.names[p.consultant]);
  c.emplace_back(booking::PriorityName(p.priority));
  c.push_back(Day(p.clock_start));
  c.push_back(std::to_string(r.days));
  c.push_back(BandLabel(r.band));
  c.push_back(Day(r.breach_date));
  c.push_back(Day(p.next_event));
  c.emplace_back(r.potential == booking::PotentialBreach::kNone ? "N" : "Y");
  c.emplace_back(booking::PotentialBreachName(r.potential));
  for (std::size_t i = 0; i < report.thresholds.size(); ++i) {
    c.emplace_back((r.thresholds_passed >> i) & 1u ? "Y" : "N");
  }
  return c;
}

std::vector<std::string> SummaryHeader(const PtlReport& report) {
  std::vector<std::string> h = {"group",
                                "total",
                                fmt::format("within_{}_weeks", report.breach_weeks),
                                fmt::format("percent_within_{}_weeks", report.breach_weeks),
                                fmt::format("meets_{:g}_percent", report.standard_percent),
                                "potential_breaches"};
  for (const auto& g : booking::ThresholdBandGroups(report.thresholds)) {
    h.push_back("weeks " + g.label);
  }
  for (int w : report.thresholds) h.push_back(fmt::format("over_{}_weeks", w));
  return h;
}

std::vector<std::string> SummaryCells(const PtlReport& report, const PtlSummary& s) {
  std::vector<std::string> c = {s.group,
                                std::to_string(s.total),
                                std::to_string(s.within_standard),
                                fmt::format("{:.1f}", s.PercentWithin()),
                                s.PercentWithin() >= report.standard_percent ? "Y" : "N",
                                std::to_string(s.potential_breaches)};
  for (const auto& g : booking::ThresholdBandGroups(report.thresholds)) {
    std::int64_t n = 0;
    for (int b = g.from_band; b <= g.to_band; ++b) n += s.bands[static_cast<std::size_t>(b - 1)];
    c.push_back(std::to_string(n));
  }
  for (std::int64_t n : s.over_threshold) c.push_back(std::to_string(n));
  return c;
}

void AppendCsvField(std::string* out, std::string_view f) {
  if (f.find_first_of(",\"\r\n") == std::string_view::npos) {
    out->append(f);
    return;
  }
  out->push_back('"');
  for (char ch : f) {
    if (ch == '"') out->push_back('"');
    out->push_back(ch);
  }
  out->push_back('"');
}

namespace {
void AppendLine(std::string* buf, const std::vector<std::string>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) buf->push_back(',');
    AppendCsvField(buf, cells[i]);
  }
  buf->append("\r\n");
}
}  // namespace

Status WritePtlCsv(const PtlInput& in, const PtlReport& report, std::ostream& out) {
  std::string buf;
  buf.reserve(1 << 20);
  AppendLine(&buf, PtlHeader(report));
  for (const PtlRow& r : report.rows) {
    AppendLine(&buf, PtlCells(in, report, r));
    if (buf.size() > (1 << 20) - 4096) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
  out.flush();
  if (!out) return Status::Internal("writing the PTL CSV failed");
  return Status::Ok();
}

Status WritePtlCsvFile(const PtlInput& in, const PtlReport& report, const std::string& path) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Status::Internal(fmt::format("{}: cannot open for writing", path));
  Status s = WritePtlCsv(in, report, f);
  if (!s.ok()) return Status::Internal(fmt::format("{}: {}", path, s.message()));
  return Status::Ok();
}

Status WriteSummaryCsv(const PtlReport& report, std::ostream& out) {
  std::string buf;
  std::vector<std::string> h = SummaryHeader(report);
  h.insert(h.begin(), "by");
  AppendLine(&buf, h);
  auto add = [&](const char* by, const PtlSummary& s) {
    auto c = SummaryCells(report, s);
    c.insert(c.begin(), by);
    AppendLine(&buf, c);
  };
  for (const auto& s : report.by_specialty) add("SPECIALTY", s);
  for (const auto& s : report.by_consultant) add("CONSULTANT", s);
  add("ALL", report.total);
  out << buf;
  out.flush();
  return out ? Status::Ok() : Status::Internal("writing the PTL summary failed");
}

namespace {
// Writes the header and rows of one sheet; `row_format` picks a format per data row.
template <typename RowFn, typename FormatFn>
lxw_error WriteSheet(lxw_worksheet* ws, const std::vector<std::string>& header, lxw_format* bold,
                     std::size_t n, RowFn cells_of, FormatFn format_of, std::size_t numeric_col) {
  const auto last_col = static_cast<lxw_col_t>(header.size() - 1);
  worksheet_freeze_panes(ws, 1, 0);
  worksheet_set_column(ws, 0, last_col, 16, nullptr);
  lxw_error err = worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(n), last_col);
  if (err != LXW_NO_ERROR) return err;
  for (std::size_t c = 0; c < header.size(); ++c) {
    err = worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c].c_str(), bold);
    if (err != LXW_NO_ERROR) return err;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto row = static_cast<lxw_row_t>(i + 1);
    const std::vector<std::string> cells = cells_of(i);
    lxw_format* f = format_of(i);
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      if (c == numeric_col) {
        err = worksheet_write_number(ws, row, col, std::stod(cells[c]), f);
      } else if (cells[c].empty()) {
        err = f ? worksheet_write_blank(ws, row, col, f) : LXW_NO_ERROR;
      } else {
        err = worksheet_write_string(ws, row, col, cells[c].c_str(), f);
      }
      if (err != LXW_NO_ERROR) return err;
    }
  }
  return LXW_NO_ERROR;
}
}  // namespace

Status WritePtlXlsx(const PtlInput& in, const PtlReport& report, const std::string& path) {
  if (report.rows.size() >= LXW_ROW_MAX) {
    return Status::InvalidArgument(
        fmt::format("{} pathways do not fit in one XLSX sheet ({} rows): export CSV",
                    report.rows.size(), LXW_ROW_MAX - 1),
        "format");
  }
  lxw_workbook_options options = {};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (!wb) return Status::Internal(fmt::format("{}: cannot create the workbook", path));
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* breached = workbook_add_format(wb);  // over the breach weeks already
  format_set_bg_color(breached, 0xFFC7CE);
  format_set_font_color(breached, 0x9C0006);
  lxw_format* potential = workbook_add_format(wb);  // potential breach (RULES §1.9)
  format_set_bg_color(potential, 0xFFEB9C);

  const std::int32_t within = 7 * report.breach_weeks;
  lxw_error err = WriteSheet(
      workbook_add_worksheet(wb, "PTL"), PtlHeader(report), bold, report.rows.size(),
      [&](std::size_t i) { return PtlCells(in, report, report.rows[i]); },
      [&](std::size_t i) -> lxw_format* {
        const PtlRow& r = report.rows[i];
        if (r.days > within) return breached;
        if (r.potential != booking::PotentialBreach::kNone) return potential;
        return nullptr;
      },
      kDaysColumn);
  auto summary = [&](const char* name, const std::vector<PtlSummary>& groups) {
    std::vector<const PtlSummary*> all;
    for (const auto& s : groups) all.push_back(&s);
    all.push_back(&report.total);
    return WriteSheet(
        workbook_add_worksheet(wb, name), SummaryHeader(report), bold, all.size(),
        [&](std::size_t i) { return SummaryCells(report, *all[i]); },
        [&](std::size_t i) -> lxw_format* {
          return all[i]->PercentWithin() < report.standard_percent ? breached : nullptr;
        },
        static_cast<std::size_t>(-1));
  };
  if (err == LXW_NO_ERROR) err = summary("By specialty", report.by_specialty);
  if (err == LXW_NO_ERROR) err = summary("By consultant", report.by_consultant);
  lxw_error closed = workbook_close(wb);
  if (err == LXW_NO_ERROR) err = closed;
  if (err != LXW_NO_ERROR) {
    return Status::Internal(fmt::format("{}: writing the XLSX failed: {}", path, lxw_strerror(err)));
  }
  return Status::Ok();
}

}  // namespace hub::reports
