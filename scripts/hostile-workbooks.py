#!/usr/bin/env python3
"""Writes the hostile workbooks of issue 13 into a directory, for scripts/bench-xlsx.

  xfd.xlsx         a header, one case and a cell at XFD1048576 (a few KB)
  text-bomb.xlsx   one cell of 2 GB of 'a' (compresses to a few MB)
  rows-bomb.xlsx   2 GB of tiny rows (about 40 million)
  sst-bomb.xlsx    2 GB of shared strings

Each part is written streaming, so this script needs little memory (but some minutes).
Usage: scripts/hostile-workbooks.py DIR
"""
import os
import sys
import zipfile

GB2 = 2 * 1024 * 1024 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def frame(zf, shared_strings):
    zf.writestr("[Content_Types].xml",
                '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/></Types>')
    zf.writestr("_rels/.rels",
                f'<?xml version="1.0"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" '
                f'Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    zf.writestr("xl/workbook.xml",
                f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>'
                '<sheet name="cases" sheetId="1" r:id="rId1"/></sheets></workbook>')
    rels = f'<Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared_strings:
        rels += f'<Relationship Id="rId2" Type="{DOC}/sharedStrings" Target="sharedStrings.xml"/>'
    zf.writestr("xl/_rels/workbook.xml.rels",
                f'<?xml version="1.0"?><Relationships xmlns="{RELS}">{rels}</Relationships>')


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = '<row r="1">' + inline("A1", "case_ref") + "</row>"
SHEET_START = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'
SHEET_END = "</sheetData></worksheet>"


def part(zf, name, start, middle, size, end):
    """Writes start, then middle repeated to about `size` bytes, then end."""
    with zf.open(name, "w", force_zip64=True) as out:
        out.write(start.encode())
        chunk = (middle * max(1, (1 << 20) // len(middle))).encode()
        for _ in range(size // len(chunk)):
            out.write(chunk)
        out.write(end.encode())


def workbook(path, shared_strings, write):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        frame(zf, shared_strings)
        write(zf)
    print(f"{path}: {os.path.getsize(path) // 1024} KB")


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    # The first case of the quickscan file (shared/data/quickscan-2025.csv).
    header = ("case_ref,organisation,reported_on,municipality,household,children_count,children_ages,"
              "tenancy,home_lost_on,route,main_reason,other_reasons,legal_support,default_judgment,"
              "alternative_offered,situation_after,current_situation,last_seen_on,last_seen_situation,"
              "rehoused_on,child_heard,best_interest_weighed,family_separated,shelter_refused_no_binding,"
              "school_disrupted,notes").split(",")
    case = ("QS-X,Straatalliantie,2025-04-21,Amsterdam,two_parents,2,4;9,corporation,2024-08-21,"
            "court_eviction,rent_arrears,,none,yes,none,social_network,social_network,,,,no,no,no,"
            "unknown,yes,").split(",")
    cells = "".join(inline(f"{letter(i)}1", h) for i, h in enumerate(header))
    cells2 = "".join(inline(f"{letter(i)}2", v) for i, v in enumerate(case) if v)
    sheet = (SHEET_START + f'<row r="1">{cells}</row><row r="2">{cells2}</row>'
             + '<row r="1048576">' + inline("XFD1048576", "x") + "</row>" + SHEET_END)
    workbook(f"{out}/xfd.xlsx", False, lambda zf: zf.writestr("xl/worksheets/sheet1.xml", sheet))
    workbook(f"{out}/text-bomb.xlsx", False, lambda zf: part(
        zf, "xl/worksheets/sheet1.xml", SHEET_START + HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>',
        "a", GB2, "</t></is></c></row>" + SHEET_END))
    workbook(f"{out}/rows-bomb.xlsx", False, lambda zf: part(
        zf, "xl/worksheets/sheet1.xml", SHEET_START + HEADER,
        '<row><c t="inlineStr"><is><t>x</t></is></c></row>', GB2, SHEET_END))

    def sst(zf):
        zf.writestr("xl/worksheets/sheet1.xml", SHEET_START + HEADER + SHEET_END)
        part(zf, "xl/sharedStrings.xml", f'<?xml version="1.0"?><sst xmlns="{MAIN}">',
             "<si><t>" + "a" * 1000 + "</t></si>", GB2, "</sst>")
    workbook(f"{out}/sst-bomb.xlsx", True, sst)


def letter(index):
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


if __name__ == "__main__":
    main()
