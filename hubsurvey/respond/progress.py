"""'Step n of m' on every screen of a respondent's way through a survey: "about you" is step 1
(when the survey asks it), then each section shown to them, then "check your answers" as the
last step. Quick feedback has neither, and counts its sections only."""

from itertools import product

from hubsurvey.models import Response, Section, Survey
from hubsurvey.respond.services import steps, steps_for
from hubsurvey.surveys import audience
from hubsurvey.vocabulary import AUDIENCE_FACTS


def screen(survey: Survey, response: Response | None, number: int) -> dict[str, int]:
    """The step and the total for a screen: 0 is "about you", 1.. the sections, and one past
    the last section "check your answers"."""
    if not survey.asks_profile:
        return {"step": number, "total": len(steps_for(survey, {}))}
    return {"step": number + 1, "total": section_count(survey, response) + 2}


def section_count(survey: Survey, response: Response | None = None) -> int:
    """How many sections this respondent is shown. Before "about you" is answered that is not
    known yet: then the sections most people are shown are counted, so that for most
    respondents the total on "about you" is the total they then see."""
    if response is not None and response.profile_saved:
        return len(steps(response))
    # A hub serving some phases only hears from people in those phases.
    possible = {fact: list(codes) for fact, (_label, codes) in AUDIENCE_FACTS.items()}
    if survey.hub.phases:
        possible["phase"] = list(survey.hub.phases)
    return sum(1 for section in survey.sections if _shown_to_most(section, possible))


def _shown_to_most(section: Section, possible: dict[str, list[str]]) -> bool:
    """Whether at least half of the possible profiles (each code of each fact the section's
    audiences name counted once) are shown the section."""
    rules = [section.audience, *(question.audience for question in section.questions)]
    facts = sorted({fact for rule in rules for fact in audience.clean(rule)})
    profiles = [
        dict(zip(facts, codes, strict=True))
        for codes in product(*(possible[fact] for fact in facts))
    ]
    shown = sum(
        1
        for profile in profiles
        if audience.applies(section.audience, profile)
        and any(audience.applies(question.audience, profile) for question in section.questions)
    )
    return 2 * shown >= len(profiles)
