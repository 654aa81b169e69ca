"""The demonstration's resource library: for each hub, a few links and the slides of its
first activity as a small real PDF, tagged with the need areas its activities address, so
that a teacher sending the demo's needs assessment is offered something."""

import io

from hubsurvey.extensions import db
from hubsurvey.models import Activity, Hub, Resource
from hubsurvey.resources import files
from hubsurvey.resources.services import Details, add_resource

# Public pages any hub might point its teachers to, by what they are.
LINKS = [
    (
        "EEF guidance reports",
        "Summaries of the best evidence on teaching and learning, with practical "
        "recommendations for classroom teachers.",
        "https://educationendowmentfoundation.org.uk/education-evidence/guidance-reports",
    ),
    (
        "EEF Teaching and Learning Toolkit",
        "What the research says about approaches to improving attainment: impact, cost "
        "and strength of evidence.",
        "https://educationendowmentfoundation.org.uk/education-evidence/teaching-learning-toolkit",
    ),
]


def resources(hub: Hub, activities: list[Activity]) -> list[Resource]:
    """A link for each of the first two need areas the hub's activities address, and the
    slides of its first activity as a PDF file, tagged with that activity's areas."""
    areas = list(dict.fromkeys(area for a in activities for area in a.need_areas))
    made = []
    for (title, description, url), area in zip(LINKS, areas, strict=False):
        details = Details(title=title, description=description, url=url, need_areas=[area])
        made.append(add_resource(hub, details))
    if activities:
        first = activities[0]
        slides = pdf(first.title, [hub.name, f"{first.starts_at:%-d %B %Y}", "Session slides"])
        upload = files.check(f"slides-{first.code.lower()}.pdf", io.BytesIO(slides), len(slides))
        details = Details(
            title=f"Slides: {first.title}"[:200],
            description="The slides from the session, with the reading suggested on the day.",
            need_areas=list(first.need_areas),
            phases=list(hub.phases),
            activity=first,
        )
        made.append(add_resource(hub, details, upload))
    db.session.commit()
    return made


def pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF showing a title and a few lines, in Helvetica (ASCII text only)."""

    def text(value: str) -> str:
        plain = value.encode("ascii", "replace").decode("ascii")
        return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    shown = [f"BT /F1 20 Tf 56 760 Td ({text(title)}) Tj ET"]
    for n, line in enumerate(lines):
        shown.append(f"BT /F1 12 Tf 56 {720 - 20 * n} Td ({text(line)}) Tj ET")
    stream = "\n".join(shown).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        table,
    )
    return bytes(out)
