"""The words a hub's memorandum of understanding starts from, per kind of hub, and the emails
that take it, and the school's view, to a headteacher.

A memorandum is plain text: paragraphs separated by a blank line, and lines starting "- " as
bullet points (see `blocks`). The lead edits it before saving the first version."""

from dataclasses import dataclass

from hubsurvey.models import Hub

# What every kind of hub offers and asks, whatever its focus: a starting point to edit.
_OFFERS_COMMON = [
    "Network meetings for the school's leaders each term, to share practice with the other "
    "partner schools.",
    "Support from the hub's team when the school asks for it, by email, phone or a visit.",
    "A summary each term of what the school's staff said they need, and of how the hub's "
    "activities were rated across the network. Figures for groups of fewer than {smallest} "
    "people are never shown.",
]
_COMMITS_COMMON = [
    "A senior leader attends the hub's network meetings, or sends a colleague in their place.",
    "The school names a main contact for the hub (often the CPD lead), who shares the hub's "
    "surveys and news with staff.",
    "Staff are asked to answer the hub's short surveys of their training needs, and to give "
    "feedback after each activity.",
    "The school shares a few pupil outcome figures with the hub each term, for the year groups "
    "the hub works with. No figures about individual pupils are asked for.",
    "The school tells the hub if its plans change, or if it wants to stop working with the hub.",
]

# The hub's focus, per kind of hub (the hub type's category): what it offers first, and the
# release of staff it asks for.
_FOCUS = {
    "teaching": (
        "Training and support for teachers at every stage of their career: early career "
        "teachers and their mentors, national professional qualifications, and continuing "
        "professional development (CPD) for teachers and leaders.",
        "The school releases early career teachers, their mentors and the staff taking part in "
        "the hub's programmes for the sessions they attend.",
    ),
    "subject": (
        "Professional development in {subject}: work groups, training for subject leaders and "
        "teachers, and support in the classroom.",
        "The school releases the teachers and subject leaders taking part for the hub's work "
        "groups and training, usually a few half days a year.",
    ),
    "behaviour": (
        "Support to build a calm, safe and supportive culture: training on routines and "
        "expectations, open days at the hub's lead schools, and advice for leaders on "
        "behaviour policy and its consistent use.",
        "The school releases leaders and staff for the hub's training and open days, and shares "
        "its behaviour policy and the changes it makes with the hub.",
    ),
    "careers": (
        "Support to meet the eight Gatsby benchmarks of good career guidance: training for the "
        "careers leader, an enterprise adviser from local business, and help to plan "
        "encounters with employers and providers.",
        "The school releases the careers leader for the hub's training and network meetings, "
        "and reviews its careers programme against the benchmarks each year.",
    ),
}


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


@dataclass
class Starting:
    hub_offers: str
    school_commits: str


def starting_text(hub: Hub) -> Starting:
    """The first version's text for this hub: its kind's focus, then what every hub offers
    and asks. Only the hub's own facts are put in; the lead edits the rest."""
    focus, release = _FOCUS.get(hub.hub_type.category, _FOCUS["teaching"])
    subject = hub.subject or hub.hub_type.subject or "the hub's subject"
    offers = [focus.format(subject=subject)] + [
        line.format(smallest=hub.smallest_group) for line in _OFFERS_COMMON
    ]
    commits = [release, *_COMMITS_COMMON]
    return Starting(
        hub_offers=f"{hub.name} works with its partner schools for the school year named in "
        f"this memorandum. It offers:\n\n{_bullets(offers)}",
        school_commits=f"While it works with {hub.name}:\n\n{_bullets(commits)}",
    )


# Paragraphs and bullet points: how the text is shown


@dataclass
class Block:
    kind: str  # 'p': a paragraph, its lines; 'ul': a list, its items
    lines: list[str]


BULLETS = ("- ", "* ", "• ")


def blocks(text: str) -> list[Block]:
    """The text as paragraphs and lists, to be shown escaped: a blank line ends a paragraph;
    a line starting "- " (or "* ", "• ") is a bullet point."""
    found: list[Block] = []
    current: Block | None = None
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            current = None
            continue
        bullet = line.startswith(BULLETS)
        kind = "ul" if bullet else "p"
        if current is None or current.kind != kind:
            current = Block(kind, [])
            found.append(current)
        current.lines.append(line[2:].strip() if bullet else line)
    return found


# The emails to a headteacher


@dataclass
class Email:
    subject: str
    body: str


def mou_email(hub: Hub, school: str, name: str, year: str, ends: str, link: str) -> Email:
    return Email(
        subject=f"{hub.name}: please read and sign our memorandum of understanding",
        body=(
            f"Dear {name},\n\n"
            f"{hub.name} works with {school} to support your staff's training. Our memorandum "
            "of understanding says what the hub offers and what the school commits to, for "
            f"the school year {year}.\n\n"
            "Please read it and, if you agree, sign it on your phone or computer through this "
            f"private link:\n{link}\n\n"
            f"The link is for you: through it you can also see {school}'s own view of its work "
            f"with the hub. Please do not forward it. It works until {ends}.\n\n"
            f"Thank you,\n{hub.name}\n"
        ),
    )


def view_email(hub: Hub, school: str, name: str, ends: str, link: str) -> Email:
    return Email(
        subject=f"{school}'s view of its work with {hub.name}",
        body=(
            f"Dear {name},\n\n"
            f"You can now see how {school} is taking part in {hub.name}'s programme: your "
            "staff's answers to the hub's surveys against the network's, their top training "
            "needs, the activities they attended and how those were rated, and the outcome "
            "figures your school sent. No one's own answers are shown.\n\n"
            f"Open your school's view through this private link:\n{link}\n\n"
            f"The link is for you: please do not forward it. It works until {ends}.\n\n"
            f"Thank you,\n{hub.name}\n"
        ),
    )
