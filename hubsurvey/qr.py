"""QR codes of short links: drawn on the page as SVG, and downloaded as PNG for a slide."""

import io

import segno
from flask import Response


def svg(link: str) -> str:
    return segno.make(link, error="m").svg_inline(scale=4, dark="#0b0c0c")


def png_download(link: str, filename: str) -> Response:
    """A large PNG, sharp on a projected slide or a printed poster."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=24, border=2)
    return Response(
        buffer.getvalue(),
        mimetype="image/png",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )
