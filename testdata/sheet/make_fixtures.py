"""Builds the spreadsheet fixtures of tests/sheet.rs (run from the repository root).

one-sheet.xlsx: corpus 021 with every table stacked on one sheet under its narrative:
headings as lone cells (merged across the width or not), blank rows between, and one
heading directly above its table; plus a few typed values.
The .xls/.ods files of 021 and 029 were converted from the corpus .xlsx by LibreOffice
(`soffice --headless --convert-to xls|ods`).
"""
import datetime
import openpyxl
from openpyxl.utils import get_column_letter

src = openpyxl.load_workbook("../shared/corpus/xlsx-sheets/021.xlsx")
out = openpyxl.Workbook()
ws = out.active
ws.title = "报告"
row = 1
for r in src["正文"].iter_rows(values_only=True):
    if r[0] is not None and r[1] is None:
        ws.cell(row, 1, r[0])
        row += 1
headings = {"表二": ("二、主动公开政府信息情况", "merged", True),
            "表三": ("三、收到和处理政府信息公开申请情况", "plain", True),
            "表四": ("四、政府信息公开行政复议与行政诉讼情况", "merged", False)}
starts = {}
for name in ["表二", "表三", "表四"]:
    sheet = src[name]
    text, style, blank = headings[name]
    row += 1  # blank row
    ws.cell(row, 1, text)
    if style == "merged":
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=sheet.max_column)
    row += 1
    if blank:
        row += 1
    starts[name] = row
    for r in sheet.iter_rows():
        for c in r:
            if c.value is not None:
                ws.cell(row + c.row - 1, c.column, c.value)
    for m in sheet.merged_cells.ranges:
        ws.merge_cells(start_row=row + m.min_row - 1, start_column=m.min_col,
                       end_row=row + m.max_row - 1, end_column=m.max_col)
    row += sheet.max_row
row += 1
ws.cell(row, 1, "金额")
ws.cell(row, 2, 7730.28)
ws.cell(row, 3, "0012")
ws.cell(row, 4, datetime.date(2024, 1, 23))
ws.cell(row, 5, True)
ws.cell(row, 6, 0.1 + 0.2)
out.save("testdata/sheet/one-sheet.xlsx")
print(starts, "values row", row)
