"""What the demonstration's teachers write in the free-text boxes: varied, and about the need
areas they rated low or the session they came to, so the comments read like a real hub's."""

# For each need area of the demonstration's hubs, things a teacher might want help with or
# try after a session: each reads after "Help with" and after "I'll try".
TOPICS = {
    # Teaching school hub: the early-career areas.
    "High expectations": [
        "stretching the pupils who finish first without losing the rest",
        "keeping expectations high for pupils who have fallen behind",
        "challenging tasks for every group, not only the top set",
        "praising effort without lowering the bar",
        "routines that make redrafting work normal",
    ],
    "How pupils learn": [
        "retrieval practice at the start of lessons",
        "cutting down what pupils have to hold in their heads at once",
        "spacing topics out across the year",
        "worked examples that fade into independent practice",
        "checking what pupils still remember a few weeks later",
    ],
    "Subject and curriculum": [
        "sequencing units so each one builds on the last",
        "subject knowledge for topics I last studied at school",
        "the common misconceptions in my subject",
        "planning a unit back from its end point",
        "teaching subject vocabulary explicitly",
    ],
    "Classroom practice": [
        "modelling and thinking aloud in front of the class",
        "questioning that gets every pupil thinking",
        "cold calling without putting pupils on the spot",
        "short, clear explanations",
        "guided practice before pupils work alone",
    ],
    "Adaptive teaching": [
        "adapting lessons for pupils with SEND without a separate plan for each",
        "scaffolds that come away as pupils grow in confidence",
        "supporting pupils with English as an additional language",
        "grouping pupils without capping what they can reach",
        "working with teaching assistants during the lesson",
    ],
    "Assessment": [
        "hinge questions to check understanding mid-lesson",
        "marking that takes less time and helps more",
        "whole-class feedback",
        "using mini whiteboards well",
        "making sense of assessment data without drowning in it",
    ],
    "Managing behaviour": [
        "routines for the start and end of lessons",
        "low-level disruption in the afternoons",
        "consistent consequences across the school",
        "calming things down when a pupil is in crisis",
        "building relationships with the hardest-to-reach pupils",
    ],
    "Professional behaviours": [
        "managing workload and protecting planning time",
        "getting the most out of mentor meetings",
        "difficult conversations with parents and carers",
        "reflecting on my own teaching with a coach",
        "using research evidence in my teaching",
    ],
    # English hub.
    "Early language": [
        "talk-rich routines in reception",
        "teaching vocabulary through stories",
        "checking children's language when they start school",
        "small-group language interventions",
        "helping parents talk and read with their children",
    ],
    "Systematic synthetic phonics": [
        "keeping the pace up in the daily phonics lesson",
        "same-day catch-up for pupils who fall behind in phonics",
        "decodable books matched to the sounds pupils know",
        "phonics for older pupils who still struggle to decode",
        "assessing phonics every half term",
    ],
    "Reading for pleasure": [
        "reading aloud to the class every day",
        "building a reading culture across the school",
        "knowing children's books well enough to recommend them",
        "reading areas that children actually use",
        "getting reluctant readers to choose books",
    ],
    # Maths hub: the five big ideas of teaching for mastery.
    "Coherence": [
        "small steps that build across a unit",
        "a maths curriculum that builds from year to year",
        "keeping the whole class together through a unit",
        "linking new topics to what pupils already know",
        "using a textbook or scheme well",
    ],
    "Representation and structure": [
        "concrete resources with older pupils",
        "the bar model for word problems",
        "moving from pictures to abstract notation",
        "choosing the right representation for a concept",
        "part-whole models",
    ],
    "Mathematical thinking": [
        "getting pupils to explain how they know",
        "stem sentences for reasoning",
        "questions that get pupils spotting patterns",
        "reasoning problems for everyone, not just quick finishers",
        "generalising from examples",
    ],
    "Fluency": [
        "number fact fluency in key stage 2",
        "times tables practice that sticks",
        "efficient mental strategies",
        "short daily fluency sessions",
        "keeping number fluency going in secondary",
    ],
    "Variation": [
        "sequencing examples so the important thing stands out",
        "intelligent practice",
        "non-examples alongside examples",
        "practice questions that vary one thing at a time",
        "procedural variation",
    ],
    # Careers hub: the Gatsby benchmarks.
    "A stable careers programme": [
        "a careers plan that lasts beyond one person",
        "getting governors involved in careers",
        "evaluating our careers programme",
        "protected time for the careers leader",
        "publishing our programme so parents can find it",
    ],
    "Learning from career and labour market information": [
        "local labour market information pupils can understand",
        "showing parents where the jobs are locally",
        "up-to-date information about local employers",
        "careers websites pupils will actually use",
        "talking about future jobs without guessing",
    ],
    "Addressing the needs of each pupil": [
        "careers support for pupils with SEND",
        "challenging stereotypes about jobs",
        "records of each pupil's careers activities",
        "careers support for disadvantaged pupils",
        "pupils at risk of not being in education or work after 16",
    ],
    "Linking curriculum learning to careers": [
        "linking my subject to careers in lessons",
        "careers examples in our schemes of work",
        "STEM careers in science lessons",
        "showing pupils where a subject can lead",
        "careers moments that don't take over the lesson",
    ],
    "Encounters with employers and employees": [
        "finding employers willing to come into school",
        "employer talks that pupils remember",
        "mock interviews with local businesses",
        "employer encounters for younger year groups",
        "keeping in touch with employers after an event",
    ],
    "Experiences of workplaces": [
        "finding work experience placements",
        "virtual work experience",
        "workplace visits for pupils with SEND",
        "health and safety checks for placements",
        "preparing pupils for their placement",
    ],
    "Encounters with further and higher education": [
        "visits to colleges and universities",
        "talking to pupils about apprenticeships",
        "meeting the provider access requirements",
        "university visits for pupils whose families have not been",
        "T levels and other technical routes",
    ],
    "Personal guidance": [
        "finding a qualified careers adviser",
        "a guidance interview for every pupil by 16",
        "following up guidance interviews",
        "making the most of a short guidance interview",
        "personal guidance for sixth formers",
    ],
}

# "What one thing would help you most this year?"
HELP = [
    "Help with {topic}.",
    "Time with colleagues to work on {topic}.",
    "Seeing {topic} done well in another school.",
    "A short twilight on {topic}, with something I can use the next day.",
    "Coaching in my own classroom on {topic}.",
    "Examples of {topic} from schools like ours.",
    "Practical ideas for {topic}, not more theory.",
    "Someone to talk through {topic} with once a half term.",
    "More confidence with {topic}.",
    "Honestly, time. After that, {topic}.",
    "A network with other schools working on {topic}.",
    "Clear guidance on {topic} that the whole staff can follow.",
]
HELP_IN_GENERAL = [
    "Cover, so I can get out of class for training.",
    "Fewer initiatives, done properly.",
    "Sessions that are recorded so I can watch them later.",
    "Training closer to school: travelling after 3.30 is hard.",
    "Something for teaching assistants too.",
    "Shorter sessions, more often.",
    "Knowing what's on well in advance so we can plan cover.",
    "Support that carries on after the training day.",
    "Resources I can adapt rather than starting from scratch.",
    "Someone to watch me teach and give honest feedback.",
    "Online sessions that don't start straight after the bell.",
    "Less paperwork, so there is time to plan properly.",
]

# Feedback: "What will you try as a result?"
TRY = [
    "Trying {topic} with my class next week.",
    "{Topic}, starting tomorrow.",
    "Sharing {topic} with my year group team.",
    "I'll try {topic} in my next unit.",
    "Looking again at {topic} in our planning.",
    "{Topic}: already planned in for Monday.",
    "Talking to my mentor about {topic}.",
    "Taking {topic} to our next staff meeting.",
    "Using {topic} in my lessons straight away.",
    "Planning {topic} into next half term.",
    "Showing our teaching assistants {topic}.",
    "Another go at {topic}, properly this time.",
    "Reading up on {topic} first, then trying it.",
    "Putting {topic} into our department plan.",
    "{Topic}. Will report back at the next session!",
]
# Feedback: "What would have made it better?"
BETTER = [
    "More time to try things out in the session.",
    "The slides beforehand.",
    "Fewer slides, more examples.",
    "Examples from primary classrooms as well as secondary.",
    "Starting a bit later: it's hard to get here by 4 from school.",
    "A break halfway through.",
    "Nothing, it was really useful.",
    "Smaller groups for the discussion.",
    "More time to talk with teachers from other schools.",
    "Videos of it in real lessons.",
    "A follow-up session to share how it went.",
    "The room was too warm.",
    "Clearer instructions for the group task.",
    "Less time on the research, more on the classroom.",
    "Resources to take away.",
    "Knowing the date earlier so I could arrange cover.",
    "Parking! It took 15 minutes to find a space.",
    "It was pitched a bit basic for experienced staff.",
    "Some of it went too fast for me.",
    "Handouts for the activities.",
]
BETTER_ON_TOPIC = [
    "More on {topic}.",
    "A worked example of {topic} from start to finish.",
    "Time to plan how I'll use {topic} with my class.",
    "Seeing {topic} in a real lesson.",
]

# Outcomes: "Anything that helps explain these figures"
OUTCOME_NOTES = [
    "New subject lead in post since September.",
    "Two classes had supply teachers for much of the year.",
    "A small cohort: each pupil is about 3 percentage points.",
    "More pupils than usual joined this year group mid-year.",
    "Whole-school training on the new approach finished in the spring.",
    "Attendance in this year group dipped after Christmas.",
    "From our own assessments, moderated with two other hub schools.",
    "The cohort includes our resourced provision for pupils with SEND.",
    "We changed programme at the start of last year.",
    "High staff turnover in this phase.",
    "Extra catch-up groups started after half term.",
    "Several pupils new to English this year.",
    "A larger cohort than last year.",
    "Figures before the last round of interventions.",
]

# Answers to particular questions of the shipped templates, by prompt and phase.
BY_PROMPT = {
    "Which topic do your pupils find hardest to reason about?": {
        "primary": [
            "Fractions, especially comparing them",
            "Place value with decimals",
            "Division with remainders",
            "Multiplicative reasoning",
            "Converting units of measure",
            "Telling the time",
            "Area and perimeter",
            "Equivalent fractions",
            "Two-step word problems",
            "Negative numbers",
            "Ratio in year 6",
            "Mental calculation with larger numbers",
            "Partitioning in different ways",
            "Missing number problems",
        ],
        "secondary": [
            "Algebraic notation",
            "Ratio and proportion",
            "Equations with the unknown on both sides",
            "Proof",
            "Probability",
            "Rearranging formulae",
            "Percentage change",
            "Directed numbers",
            "Angles in polygons",
            "Standard form",
            "Simultaneous equations",
            "Gradient",
            "Surds",
            "Fractions, still, in year 9",
        ],
    }
}


def said(frames: list[str], area_name: str) -> list[str]:
    """Every way of saying one of these frames about the need area (named as itself, in
    lower case, for an area a hub added)."""
    topics = TOPICS.get(area_name) or [area_name.lower()]
    return [
        frame.format(topic=topic, Topic=topic[:1].upper() + topic[1:])
        for frame in frames
        for topic in topics
    ]
