"""The words of the DfE's register of schools (Get Information about Schools) for a school's
phase, and how a phase is worked out where it gives none."""

import re

from hubsurvey.inputs import whole_number
from hubsurvey.vocabulary import PHASES


def key(text: str) -> str:
    """Text compared with case, spaces and punctuation removed."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


PHASE_WORDS = {
    **{key(value): value for value in PHASES},
    **{key(label): value for value, label in PHASES.items()},
    # The register's own words for phases.
    "16plus": "post-16",
    "middledeemedprimary": "primary",
    "middledeemedsecondary": "secondary",
    "nursery": "primary",
    "ap": "alternative-provision",
    "pru": "alternative-provision",
}
# The register gives special schools, pupil referral units and colleges the phase "Not
# applicable"; their type ("Community special school", "Pupil referral unit", "Further
# education") says what they are. The first match in this order wins, so a "Special post 16
# institution" is special.
NO_PHASE = {"", "notapplicable", "na"}
TYPE_PHASES = (
    ("special", "special"),
    ("pupilreferralunit", "alternative-provision"),
    ("alternativeprovision", "alternative-provision"),
    ("furthereducation", "post-16"),
    ("sixthform", "post-16"),
    ("16to19", "post-16"),
    ("1619", "post-16"),
    ("post16", "post-16"),
    ("nursery", "primary"),
)
# Its type groups, for a file with the group but not the type.
GROUP_PHASES = {"specialschools": "special", "colleges": "post-16"}


def read_phase(raw: dict[str, str]) -> tuple[str | None, str, str]:
    """A row's phase, where it came from ("" when the file gives it) and, when there is none,
    why, in words for the hub lead. A phase the file gives stands; where it says "Not
    applicable" (or nothing), the phase comes from the register's type, type group or ages."""
    given = raw.get("phase", "")
    if phase := PHASE_WORDS.get(key(given)):
        return phase, "", ""
    names = ", ".join(PHASES.values())
    if key(given) not in NO_PHASE:
        return None, "", f"Phase '{given}' is not one we know. Use one of: {names}"
    school_type, group = raw.get("school_type", ""), raw.get("type_group", "")
    for words, phase in TYPE_PHASES:
        if words in key(school_type):
            return phase, f"from its type: {school_type}", ""
    if phase := GROUP_PHASES.get(key(group)):
        return phase, f"from its type: {group}", ""
    low, high = raw.get("low_age", ""), raw.get("high_age", "")
    if phase := _phase_from_ages(low, high):
        return phase, f"from its ages: {low} to {high}", ""
    choose = f"Type its phase ({names}) in the phase column"
    if not given:
        return None, "", f"The phase is missing. {choose}"
    if school_type:
        return (
            None,
            "",
            f"Its phase is '{given}', and its type, '{school_type}', does not say which phase "
            f"it is. {choose}",
        )
    return None, "", f"Its phase is '{given}'. {choose}"


def _phase_from_ages(low: str, high: str) -> str | None:
    """A phase from the register's statutory ages (independent schools often have no phase)."""
    low_age, high_age = whole_number(low), whole_number(high)
    if low_age is None or high_age is None or low_age > high_age:
        return None
    if low_age >= 16:
        return "post-16"
    if high_age <= 13:
        return "primary" if low_age < 9 else "secondary"
    return "all-through" if low_age < 9 else "secondary"
