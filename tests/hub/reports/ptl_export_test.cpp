// PTL exports: CSV quoting and columns, and an XLSX that a real spreadsheet reader (openpyxl, run
// by /usr/bin/python3) opens with exactly the CSV's cells, frozen header, filter and highlights.
#include "hub/reports/ptl_export.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "hub/reports/report_text.hpp"
#include "tests/support/temp_dir.hpp"

namespace hub::reports {
namespace {


booking::Date Day(const char* iso) { return *booking::ParseIsoDate(iso); }

booking::PtlInput Input() {
  booking::PtlInput in;
  auto add = [&](const char* id, const char* name, const char* start, const char* next,
                 const char* consultant) {
    booking::PtlPathway p;
    p.pathway_id = id;
    p.nhs_number = "9990000018";
    p.mrn = "RX1234";
    p.patient_name = name;
    p.specialty = in.Intern("CARDIOLOGY");
    p.consultant = in.Intern(consultant);
    p.clock_start = booking::DayNumber(Day(start));
    if (*next) p.next_event = booking::DayNumber(Day(next));
    in.pathways.push_back(p);
  };
  add("P1", "Ms Jane \"JJ\" Smith, Jr", "2024-01-01", "", "Dr R Patel");
  add("P2", "Mr Bo Li", "2025-05-01", "2025-07-01", "");
  add("P3", "Mrs Ann Ode", "2025-02-23", "", "Dr R Patel");
  return in;
}

TEST_CASE("PTL CSV: header, cells and RFC 4180 quoting") {
  auto in = Input();
  auto report = booking::ComputePtl(in, Day("2025-06-02"), booking::BookingRules{});
  std::ostringstream out;
  REQUIRE(WritePtlCsv(in, report, out).ok());
  std::istringstream lines(out.str());
  std::string header, first, second;
  std::getline(lines, header);
  std::getline(lines, first);
  std::getline(lines, second);
  CHECK(header ==
        "nhs_number,mrn,patient_name,pathway_id,specialty,consultant,priority,clock_start,"
        "days_waited,week_band,breach_date,next_event_date,potential_breach,"
        "potential_breach_reason,over_18_weeks,over_52_weeks,over_65_weeks,over_78_weeks,"
        "over_104_weeks\r");
  CHECK(first ==
        "9990000018,RX1234,\"Ms Jane \"\"JJ\"\" Smith, Jr\",P1,CARDIOLOGY,Dr R Patel,ROUTINE,"
        "2024-01-01,518,>73 to 74,2024-05-07,,Y,NO_DATE,Y,Y,Y,N,N\r");  // 2024 is a leap year
  CHECK(second ==
        "9990000018,RX1234,Mrs Ann Ode,P3,CARDIOLOGY,Dr R Patel,ROUTINE,2025-02-23,99,>14 to 15,"
        "2025-06-30,,Y,NO_DATE,N,N,N,N,N\r");
  CHECK(PtlHeader(report)[kDaysColumn] == "days_waited");

  std::ostringstream summary;
  REQUIRE(WriteSummaryCsv(report, summary).ok());
  CHECK(summary.str().find("SPECIALTY,CARDIOLOGY,3,2,66.7,N,2,") != std::string::npos);
}

TEST_CASE("PTL XLSX opens in openpyxl with the CSV's cells") {
  testing::TempDir dir;
  auto in = Input();
  auto report = booking::ComputePtl(in, Day("2025-06-02"), booking::BookingRules{});
  REQUIRE(WritePtlCsvFile(in, report, dir.File("ptl.csv")).ok());
  REQUIRE(WritePtlXlsx(in, report, dir.File("ptl.xlsx")).ok());
  const std::string cmd = "/usr/bin/python3 " + std::string(HUB_SOURCE_DIR) +
                          "/tests/hub/reports/xlsx_equals_csv.py " + dir.File("ptl.xlsx") + " " +
                          dir.File("ptl.csv");
  CHECK(std::system(cmd.c_str()) == 0);

  Status bad = WritePtlXlsx(in, report, dir.File("no/such/dir/ptl.xlsx"));
  CHECK_FALSE(bad.ok());
  CHECK(bad.message().find("no/such/dir") != std::string::npos);
}

TEST_CASE("text tables name their columns") {
  CHECK(ValidationText({}).find("LAST_ACTIVITY") != std::string::npos);
  CHECK(PbListText({}, Day("2025-06-02")).find("0 item(s)") != std::string::npos);
}

}  // namespace
}  // namespace hub::reports
