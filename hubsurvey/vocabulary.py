"""The app's fixed lists: each stored value with the words shown for it, in display order."""

PHASES = {
    "primary": "Primary",
    "secondary": "Secondary",
    "all-through": "All-through",
    "special": "Special",
    "alternative-provision": "Alternative provision",
    "post-16": "Post-16",
}
HUB_CATEGORIES = {
    "teaching": "Teaching school hub",
    "subject": "Subject hub",
    "behaviour": "Behaviour hub",
    "careers": "Careers hub",
}
PARTNER_STATUSES = {
    "invited": "Invited",
    "mou-signed": "Memorandum of understanding signed",
    "active": "Active",
    "left": "Left",
}
# The people at a partner school the hub writes to.
CONTACT_KINDS = {"head": "Headteacher", "main": "Main contact for the hub"}
# What the hub's outbox sends.
MESSAGE_KINDS = {
    "invitation": "Survey invitation",
    "reminder": "Survey reminder",
    "outcomes": "Outcome figures request",
    "mou": "Memorandum of understanding",
    "head-view": "Headteacher's view",
    "account": "Account link",
    "feedback": "Activity feedback request",
    "personal": "Personal survey invitation",
}
# Where a message is: without a mail server it waits for the lead to send it by hand.
MESSAGE_STATES = {
    "waiting": "Waiting: no mail server",
    "queued": "Queued",
    "sending": "Sending",
    "sent": "Sent",
    "failed": "Failed",
}
# Accounts: who may sign in, and to do what.
# A viewer reads their hubs' reports (the board report, needs, feedback, planning) and nothing else.
ACCOUNT_ROLES = {"admin": "Administrator", "staff": "Hub staff", "viewer": "Viewer (reports only)"}

# The respondent profile every survey asks first, so that summaries can be broken down.
RESPONDENT_ROLES = {
    "trainee": "Trainee teacher",
    "ect": "Early career teacher",
    "teacher": "Teacher",
    "mentor": "Mentor",
    "middle-leader": "Subject or middle leader",
    "senior-leader": "Senior leader",
    "headteacher": "Headteacher",
    "senco": "SENCO",
    "careers-leader": "Careers leader",
    "teaching-assistant": "Teaching assistant",
    "other": "Other",
}
CAREER_STAGES = {
    "trainee": "In training",
    "ect-1": "Early career, year 1",
    "ect-2": "Early career, year 2",
    "years-3-5": "3 to 5 years",
    "years-6-10": "6 to 10 years",
    "years-11-plus": "More than 10 years",
}
SUBJECTS = {
    "all-primary": "All subjects (primary)",
    "english": "English",
    "maths": "Mathematics",
    "science": "Science",
    "computing": "Computing",
    "music": "Music",
    "languages": "Modern foreign languages",
    "history": "History",
    "geography": "Geography",
    "art": "Art and design",
    "design-technology": "Design and technology",
    "pe": "Physical education",
    "re": "Religious education",
    "pshe": "PSHE and citizenship",
    "other": "Another subject",
    "none": "I do not teach a subject",
}
# Which profile facts a section or question can be shown to, and their lists.
AUDIENCE_FACTS = {
    "role": ("Role", RESPONDENT_ROLES),
    "phase": ("Phase", PHASES),
    "career_stage": ("Career stage", CAREER_STAGES),
    "subject": ("Subject", SUBJECTS),
}

QUESTION_KINDS = {
    "single": "Single choice",
    "multiple": "Multiple choice",
    "scale": "Scale of 1 to 5, with labels",
    "rating": "Rating from 0 to 10",
    "number": "Number",
    "short_text": "Short text",
    "long_text": "Long text",
    "needs_grid": "Needs grid: confidence and priority for each need area",
}
SURVEY_KINDS = {"needs": "Needs assessment", "feedback": "Feedback", "outcomes": "Outcomes"}
SURVEY_STATUSES = {"draft": "Draft", "open": "Open", "closed": "Closed"}

# How a survey recurs: each wave is a dated set of responses to the same questions.
CYCLES = {
    "none": "Does not recur",
    "termly": "Each term (autumn, spring, summer)",
    "weeks": "Every few weeks",
}
ACTIVITY_KINDS = {
    "training": "Training session",
    "mentoring": "Mentoring",
    "network": "Network meeting",
    "co-delivered": "Co-delivered lesson",
    "open-day": "Open day",
}

# Activities that run as a series of sessions, with mentoring or follow-up between them.
SERIES_KINDS = {
    "work-group": "Work group",
    "lesson-study": "Lesson study",
    "npq-cohort": "NPQ cohort",
    "course": "Course of sessions",
    "network": "Network",
    "other": "Other series",
}

# The sustainability and impact plan.
TERMS = {"autumn": "Autumn term", "spring": "Spring term", "summer": "Summer term"}
# How a measure gets its current value: typed in by staff, or read from live evidence.
MEASURE_KINDS = {
    "typed": "Typed in",
    "need-score": "Need score of a need area, in a survey's wave",
    "confidence-change": "Change in confidence of linked participants",
    "feedback-rating": "Mean feedback rating of the objective's activities",
    "outcome": "Outcome figure across partner schools",
    "schools-active": "Participation: schools active",
    "teachers-attending": "Participation: teachers attending",
}
MEASURE_STATES = {"on-track": "On track", "at-risk": "At risk", "off-track": "Off track"}
SWOT_QUADRANTS = {
    "strength": "Strengths",
    "weakness": "Weaknesses",
    "opportunity": "Opportunities",
    "threat": "Threats",
}
COST_KINDS = {
    "staff-time": "Staff time",
    "supply-cover": "Supply cover",
    "venue": "Venues",
    "materials": "Materials",
    "other": "Other",
}
