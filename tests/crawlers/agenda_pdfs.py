"""Agenda PDFs made by the tests with reportlab: text pages, a scan (image only), broken files.

Lines are placed exactly as given, so a test decides where a title wraps and where a word
is hyphenated across a line break, as a clerk's word processor would have done it. Leading
spaces indent a line (sub-items sit to the right of their section) instead of being printed.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

LINE_HEIGHT = 14
INDENT = 4  # points per leading space


def text_pdf(pages: list[list[str]], *, header: list[str] | None = None) -> bytes:
    """A PDF with one page per list of lines; ``header`` lines repeat atop every page,
    followed by "Page N of M"."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter, invariant=1)
    height = letter[1]
    for number, lines in enumerate(pages, start=1):
        y = height - 54
        pdf.setFont("Helvetica", 10)
        for line in [*(header or []), *([f"Page {number} of {len(pages)}"] if header else [])]:
            pdf.drawString(72, y, line)
            y -= LINE_HEIGHT
        y -= LINE_HEIGHT
        pdf.setFont("Helvetica", 11)
        for line in lines:
            text = line.lstrip(" ")
            pdf.drawString(72 + INDENT * (len(line) - len(text)), y, text)
            y -= LINE_HEIGHT
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def scanned_pdf(pages: int = 2) -> bytes:
    """Pages that are only a picture of text (no text layer), like a scanned agenda."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=letter, invariant=1)
    for number in range(pages):
        image = Image.new("L", (850, 1100), 255)
        draw = ImageDraw.Draw(image)
        for row in range(12):
            right = 700 - (row * 37 + number * 11) % 300
            draw.rectangle((80, 100 + row * 60, right, 120 + row * 60), fill=0)
        pdf.drawImage(ImageReader(image), 0, 0, width=letter[0], height=letter[1])
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def corrupt_pdf() -> bytes:
    """A file that says it is a PDF and is not one (a failed upload, a truncated copy)."""
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\n"
    return head + b"\x00\xff" * 400
