#!/usr/bin/env python3
"""A second opinion on rapport.pdf's accessibility, beside Typst's own PDF/UA-1 validation
(Typst refuses to write a PDF/UA-1 file that breaks its rules, so the test suite cannot produce
one that does). Checks the machine-checkable part of PDF/UA-1 (ISO 14289-1) and the Matterhorn
protocol that a reader's software relies on:

- the document is marked as tagged (MarkInfo /Marked true) and has a structure tree;
- it declares PDF/UA-1 in its XMP metadata (pdfuaid:part = 1) and has a dc:title;
- the viewer shows the title, not the file name (ViewerPreferences /DisplayDocTitle true);
- it has a natural language (/Lang);
- every font is embedded (a FontFile, FontFile2 or FontFile3 in its descriptor);
- every Figure structure element has a text alternative (/Alt);
- tables have header cells (TH) in the structure tree.

Usage (pikepdf from PyPI):
    python3 -m venv /tmp/pdfvenv && /tmp/pdfvenv/bin/pip install pikepdf
    /tmp/pdfvenv/bin/python scripts/check-pdf-ua.py rapport.pdf [more.pdf ...]
Prints what it found and exits 1 when any check fails.
"""

import sys

import pikepdf


def walk(node, seen):
    """Every structure element below node (depth first)."""
    if isinstance(node, pikepdf.Array):
        for child in node:
            yield from walk(child, seen)
        return
    if not isinstance(node, pikepdf.Dictionary):
        return
    key = node.objgen
    if key != (0, 0):
        if key in seen:
            return
        seen.add(key)
    if "/S" in node:
        yield node
    if "/K" in node:
        yield from walk(node.K, seen)


def check(path):
    problems = []
    pdf = pikepdf.open(path)
    root = pdf.Root
    marked = root.get("/MarkInfo", {}).get("/Marked", False)
    if not marked:
        problems.append("not marked as tagged (MarkInfo /Marked)")
    if "/StructTreeRoot" not in root:
        problems.append("no structure tree")
    lang = root.get("/Lang")
    if not lang:
        problems.append("no document language (/Lang)")
    if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False):
        problems.append("the viewer would show the file name, not the title (DisplayDocTitle)")
    with pdf.open_metadata() as meta:
        if meta.get("pdfuaid:part") != "1":
            problems.append("PDF/UA-1 not declared (pdfuaid:part)")
        title = meta.get("dc:title")
        if not title:
            problems.append("no dc:title")
    fonts = 0
    for page in pdf.pages:
        resources = page.get("/Resources", {})
        for name, font in resources.get("/Font", {}).items():
            fonts += 1
            descendants = font.get("/DescendantFonts", [font])
            for f in descendants:
                descriptor = f.get("/FontDescriptor", {})
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    problems.append(f"font {font.get('/BaseFont')} not embedded")
    elements = list(walk(root.StructTreeRoot.get("/K", pikepdf.Array()), set())) if "/StructTreeRoot" in root else []
    kinds = {}
    for element in elements:
        kind = str(element.S)
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "/Figure" and not element.get("/Alt"):
            problems.append("a Figure without /Alt")
    if kinds.get("/Table", 0) and not kinds.get("/TH", 0):
        problems.append("tables without header cells (TH)")
    summary = ", ".join(f"{k[1:]} {v}" for k, v in sorted(kinds.items()))
    print(f"{path}: lang {lang}, title {title!r}, {len(pdf.pages)} pages, {fonts} font uses")
    print(f"  structure: {summary}")
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    if not problems:
        print("  PDF/UA-1 checks passed")
    return not problems


if __name__ == "__main__":
    ok = all([check(path) for path in sys.argv[1:]])
    sys.exit(0 if ok else 1)
