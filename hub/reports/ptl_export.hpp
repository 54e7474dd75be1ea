// PTL exports (RULES §1.9, issue 8): CSV (RFC 4180) and XLSX (libxlsxwriter: frozen header row,
// autofilter, breached rows red and potential breaches amber, summary sheets by specialty and
// consultant). Both take their cells from PtlCells, so the XLSX holds exactly the CSV's values
// (days waited is a number in the XLSX). Large lists are written in libxlsxwriter's constant-memory
// mode. Not thread-safe only in the sense that each call owns its output.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "hub/booking/ptl.hpp"
#include "hub/common/status.hpp"

namespace hub::reports {

// Column names of the PTL sheet, in order.
std::vector<std::string> PtlHeader(const booking::PtlReport& report);
// The cells of one row, as text, in PtlHeader order.
std::vector<std::string> PtlCells(const booking::PtlInput& input, const booking::PtlReport& report,
                                  const booking::PtlRow& row);
// The index of the "days_waited" column (numeric in the XLSX).
inline constexpr std::size_t kDaysColumn = 8;

// Summary columns: group, total, within N weeks, % within, meets the standard, potential breaches,
// the threshold band groups, then over each threshold.
std::vector<std::string> SummaryHeader(const booking::PtlReport& report);
std::vector<std::string> SummaryCells(const booking::PtlReport& report,
                                      const booking::PtlSummary& s);

// One CSV field, quoted when it holds a comma, quote or line break.
void AppendCsvField(std::string* out, std::string_view field);

Status WritePtlCsv(const booking::PtlInput& input, const booking::PtlReport& report,
                   std::ostream& out);
Status WritePtlCsvFile(const booking::PtlInput& input, const booking::PtlReport& report,
                       const std::string& path);
// Summary CSV: a "by" column (SPECIALTY, CONSULTANT, ALL) then SummaryHeader.
Status WriteSummaryCsv(const booking::PtlReport& report, std::ostream& out);

// Sheets "PTL", "By specialty", "By consultant". Errors name the path and libxlsxwriter's reason.
Status WritePtlXlsx(const booking::PtlInput& input, const booking::PtlReport& report,
                    const std::string& path);

}  // namespace hub::reports
