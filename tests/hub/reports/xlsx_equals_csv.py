#!/usr/bin/python3
"""Opens a PTL workbook with openpyxl (a real spreadsheet reader) and checks that its PTL sheet
holds exactly the cells of the CSV export, that the header row is frozen and filtered, and that the
summary sheets exist. Usage: xlsx_equals_csv.py PTL.xlsx PTL.csv; exit 0 when equal."""
import csv
import sys

import openpyxl


def main():
    xlsx_path, csv_path = sys.argv[1], sys.argv[2]
    wb = openpyxl.load_workbook(xlsx_path, read_only=False)
    if wb.sheetnames != ["PTL", "By specialty", "By consultant"]:
        print("sheets:", wb.sheetnames)
        return 1
    ws = wb["PTL"]
    if ws.freeze_panes != "A2":
        print("freeze panes:", ws.freeze_panes)
        return 1
    if not ws.auto_filter.ref or not ws.auto_filter.ref.startswith("A1:"):
        print("autofilter:", ws.auto_filter.ref)
        return 1
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    cells = []
    for row in ws.iter_rows(values_only=True):
        out = []
        for v in row:
            if v is None:
                out.append("")
            elif isinstance(v, float) and v.is_integer():
                out.append(str(int(v)))
            else:
                out.append(str(v))
        cells.append(out)
    if cells != rows:
        for i, (a, b) in enumerate(zip(cells, rows)):
            if a != b:
                print("row", i, "xlsx", a, "csv", b)
                break
        print("rows:", len(cells), len(rows))
        return 1
    # Breached rows are highlighted: the first data row here is over 18 weeks.
    fill = ws.cell(row=2, column=1).fill.fgColor.rgb
    if not str(fill).endswith("FFC7CE"):
        print("highlight:", fill)
        return 1
    print("ok", len(rows) - 1, "rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
