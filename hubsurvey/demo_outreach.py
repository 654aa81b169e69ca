"""The demo's reaching out to schools, done with the app's own services: each school's head
and main contact (one of whom asked the hub to stop emailing), the needs assessment's
invitations in the outbox (no mail server in the demo), the hub's MoU with one head's
signature and one still to come, and a head's private link to print."""

import random
from datetime import datetime

from hubsurvey.contacts.links import new_public_id
from hubsurvey.extensions import db
from hubsurvey.heads.services import sign
from hubsurvey.invitations import services as invitations
from hubsurvey.invitations import texts
from hubsurvey.models import Contact, Hub, School, Survey, utcnow
from hubsurvey.mou import services as mou
from hubsurvey.mou.texts import starting_text
from hubsurvey.surveys.services import school_statuses

HEADS = [
    ("Mrs", "Anna", "Clarke"),
    ("Mr", "David", "Okafor"),
    ("Ms", "Priya", "Shah"),
    ("Dr", "Helen", "Brooks"),
    ("Mr", "Tom", "Whitaker"),
    ("Mrs", "Grace", "Mensah"),
    ("Ms", "Rachel", "Lindqvist"),
    ("Mr", "Imran", "Hussain"),
]
LEADS = [
    "Jo Fletcher",
    "Sam Ward",
    "Aisha Begum",
    "Chris Dale",
    "Beth Hughes",
    "Owen Price",
    "Nadia Karim",
    "Luke Barraclough",
]


def reach_out(hub: Hub, survey: Survey, rng: random.Random) -> str:
    """Contacts, invitations, the MoU; returns the secret of a head's private link. Needs a
    request context: the messages hold full links."""
    schools = [p.school for p in hub.partnerships]
    for number, school in enumerate(schools):
        _contacts(school, number, rng)
    db.session.commit()
    statuses = school_statuses(survey)
    today = datetime.now().date()
    template = texts.template_for(survey.kind)
    invitations.send(survey, statuses[:-2], template, "main", "invite", None, today)

    text = starting_text(hub)
    mou.save_mou(hub, text.hub_offers, text.school_commits, None, None)
    signer, waiting = schools[0], schools[1]
    now = utcnow()
    link, _secret = mou.new_head_link(signer, None, now)
    head = db.session.scalar(
        db.select(Contact).where(Contact.school_id == signer.id, Contact.kind == "head")
    )
    sign(link, mou.current_mou(hub).version, head.name, head.role, "192.0.2.10", now)
    mou.send_mou(hub, [waiting], None, now)  # its head has not signed yet
    _view, secret = mou.new_head_link(signer, None, now)
    db.session.commit()
    return secret


def _contacts(school: School, number: int, rng: random.Random) -> None:
    title, first, last = HEADS[number % len(HEADS)]
    domain = school.name.lower().replace("'", "").replace(" ", "") + ".example"
    head = Contact(
        hub_id=school.hub_id,
        school_id=school.id,
        kind="head",
        name=f"{title} {first} {last}",
        role="Headteacher",
        email=f"head@{domain}",
        phone=f"0113 496 {rng.randint(1000, 9999)}",
        public_id=new_public_id(),
    )
    lead = LEADS[(number + school.hub_id) % len(LEADS)]  # one person, one school
    main = Contact(
        hub_id=school.hub_id,
        school_id=school.id,
        kind="main",
        name=lead,
        role="CPD lead",
        email=f"{lead.split()[0].lower()}.{lead.split()[1].lower()}@{domain}",
        public_id=new_public_id(),
        # One school's CPD lead asked the hub to stop emailing them.
        opted_out_at=utcnow() if number == 3 else None,
    )
    db.session.add_all([head, main])
