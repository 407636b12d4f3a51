"""QR codes for open links, as PNG (print, slides) and SVG (print shops, scaling)."""

import io

import segno

# Level M survives a little dirt or a crease on a printed table card.
ERROR_LEVEL = "m"


def qr_code(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_png(url: str, *, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(url: str, *, title: str = "") -> bytes:
    buffer = io.BytesIO()
    qr_code(url).save(buffer, kind="svg", scale=8, border=4, title=title or url, xmldecl=True, nl=True)
    return buffer.getvalue()
