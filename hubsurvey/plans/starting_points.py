"""Where a new plan starts when there is no plan from last year to copy: per kind of hub
(teaching, subject, behaviour, careers), suggested aims, the usual key roles with no names yet,
and prompts for the SWOT. Objectives are made from the hub's own top needs (or, before anyone
has answered, the first need areas of its framework), in the words this kind of hub uses.

The prompts are shown beside the SWOT's lists, not stored in them: a plan's SWOT holds only
what the lead wrote, so nothing suggested is ever mistaken for the hub's own analysis."""

from dataclasses import dataclass


@dataclass(frozen=True)
class StartingPoint:
    aims: str
    # How an objective is worded for a need area: "{area}" is replaced by its name.
    objective: str
    roles: tuple[str, ...]
    # Per SWOT quadrant (keys of SWOT_QUADRANTS), questions to think about.
    swot: dict[str, tuple[str, ...]]


# Objectives a new plan starts with, from the hub's top needs.
OBJECTIVES = 3

_SWOT_COMMON = {
    "strength": (
        "What do partner schools and teachers value most in what the hub offers?",
        "Which activities have the best feedback?",
    ),
    "weakness": (
        "Which needs have no activity planned?",
        "Where does the hub rely on one or two people?",
    ),
    "opportunity": (
        "Which schools, universities, employers or networks could the hub work with?",
        "What funding could the hub apply for?",
    ),
    "threat": (
        "Which funding ends, and when?",
        "What happens when a participant teacher or a key member of staff leaves?",
    ),
}

POINTS = {
    "teaching": StartingPoint(
        aims=(
            "Every teacher in our partner schools gets high-quality professional development "
            "from training to leadership: the early career framework, the national professional "
            "qualifications and appropriate body support, shaped by what our teachers tell us "
            "they need."
        ),
        objective="Raise early career teachers' confidence in {area}",
        roles=(
            "Hub lead",
            "Hub administrator",
            "Early career framework lead",
            "National professional qualifications lead",
            "Appropriate body lead",
            "Finance lead",
        ),
        swot=_SWOT_COMMON
        | {
            "opportunity": (
                *_SWOT_COMMON["opportunity"],
                "Which schools have early career teachers but take part in nothing yet?",
            )
        },
    ),
    "subject": StartingPoint(
        aims=(
            "Teachers of our subject in every partner school feel confident and supported: "
            "better subject knowledge and teaching, shared through work groups and networks "
            "led by teachers, so that more pupils achieve well."
        ),
        objective="Develop teaching of {area} across partner schools",
        roles=(
            "Hub lead",
            "Hub administrator",
            "Work group lead",
            "Subject specialist lead teacher",
            "Finance lead",
        ),
        swot=_SWOT_COMMON
        | {
            "strength": (
                *_SWOT_COMMON["strength"],
                "Which lead teachers could lead a work group next year?",
            )
        },
    ),
    "behaviour": StartingPoint(
        aims=(
            "Partner schools build calm, safe and supportive cultures where pupils behave well "
            "and learn, with leaders and staff who share routines and expectations that last "
            "after the programme."
        ),
        objective="Embed {area} in partner schools",
        roles=(
            "Hub lead",
            "Hub administrator",
            "Behaviour adviser",
            "Lead school's senior leader for behaviour",
            "Finance lead",
        ),
        swot=_SWOT_COMMON
        | {
            "threat": (
                *_SWOT_COMMON["threat"],
                "What happens when a partner school's headteacher changes?",
            )
        },
    ),
    "careers": StartingPoint(
        aims=(
            "Every young person in our partner schools and colleges gets good careers "
            "education, information, advice and guidance, with each school meeting more of "
            "the Gatsby benchmarks each year."
        ),
        objective="Meet the benchmark in every partner school: {area}",
        roles=(
            "Hub lead",
            "Hub administrator",
            "Enterprise coordinator",
            "Careers leaders' network lead",
            "Employer engagement lead",
            "Finance lead",
        ),
        swot=_SWOT_COMMON
        | {
            "opportunity": (
                *_SWOT_COMMON["opportunity"],
                "Which employers, colleges and universities could offer encounters?",
            )
        },
    ),
}


def for_category(category: str) -> StartingPoint:
    """The starting point for a kind of hub; a teaching school hub's for any other kind."""
    return POINTS.get(category, POINTS["teaching"])


def objective_title(category: str, area_name: str) -> str:
    """An objective's title for a need area, in this kind of hub's words."""
    return for_category(category).objective.replace("{area}", area_name)[:300]
