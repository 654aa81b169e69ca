"""Response-level exports of anonymous surveys single no one out.

Every combination of the profile columns present in such a file is shared by at least k of the
file's responses, where k is the hub's smallest group (k-anonymity). The activity a response
was given for counts as a profile column: a hub knows who attended a session of three. Values
are blanked, never changed: first the school (with its URN), then the activity, the subject,
career stage, role and phase, and each time only for the responses whose combination is still
shared by fewer than k.
The columns are described in docs/exports.md."""

# school, school_urn, phase, role, career_stage, subject, activity: the words in the file.
Profile = tuple[str, str, str, str, str, str, str]
PROFILE_COLUMNS = (
    "school", "school_urn", "phase", "role", "career_stage", "subject", "activity",
)  # fmt: skip
# The school says the most about a person, and the phase the least: blanked first and last.
BLANKING_ORDER = (
    ("school", "school_urn"), ("activity",), ("subject",), ("career_stage",), ("role",),
    ("phase",),
)  # fmt: skip
BLANK: Profile = ("",) * len(PROFILE_COLUMNS)


def generalise(counts: dict[Profile, int], k: int) -> dict[Profile, Profile | None]:
    """For each profile and how many responses have it, the profile to write instead, so that
    every profile written is shared by at least k responses. None means: leave the responses
    out, which happens only when the file would hold fewer than k responses in all."""
    written = dict(zip(counts, counts, strict=True))
    shared = dict(counts)  # responses per profile written

    def write(profile: Profile, values: Profile) -> None:
        shared[written[profile]] -= counts[profile]
        shared[values] = shared.get(values, 0) + counts[profile]
        written[profile] = values

    for columns in BLANKING_ORDER:
        blanked = [PROFILE_COLUMNS.index(column) for column in columns]
        # Decided on the groups as they stand before this step, then blanked.
        for profile in [p for p, values in written.items() if shared[values] < k]:
            values = list(written[profile])
            for i in blanked:
                values[i] = ""
            write(profile, tuple(values))
    # With every column blanked, whoever is still in too small a group has no profile left:
    # they are the blank group. Joined by the smallest other group (k or more, so never too
    # small), they hide among its members.
    if 0 < shared.get(BLANK, 0) < k:
        others = sorted((n, values) for values, n in shared.items() if n and values != BLANK)
        if others:
            smallest = others[0][1]
            for profile in [p for p, values in written.items() if values == smallest]:
                write(profile, BLANK)
    if 0 < shared.get(BLANK, 0) < k:  # fewer than k responses in all: no file can hide them
        return dict.fromkeys(counts)
    return written
