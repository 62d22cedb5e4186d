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

# hostile-sst.xlsx: a shared-string table claiming four billion strings.
# hostile-wide.xlsx: 2,000 rows of text in A plus one cell in XFD1: a 2,000 × 16,384 region.
import zipfile, re
small = openpyxl.Workbook()
small.active["A1"] = "x"
small.active["B1"] = "y"
small.save("/tmp/small.xlsx")
with zipfile.ZipFile("/tmp/small.xlsx") as zin, zipfile.ZipFile("testdata/sheet/hostile-sst.xlsx", "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "[Content_Types].xml":
            data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        if item.filename == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        if item.filename.startswith("xl/worksheets/sheet"):
            data = re.sub(rb'<c r="A1"[^>]*>.*?</c>', b'<c r="A1" t="s"><v>0</v></c>', data)
        zout.writestr(item, data)
    zout.writestr("xl/sharedStrings.xml", b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="4000000000"><si><t>x</t></si></sst>')
wide = openpyxl.Workbook()
ws = wide.active
for r in range(1, 2001):
    ws.cell(r, 1, r)
ws.cell(1, 16384, "far")
wide.save("testdata/sheet/hostile-wide.xlsx")
