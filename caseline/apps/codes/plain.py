"""The codes of the DfE's lists in words a family or a court understands, for documents
such as the chronology: "the police", not "Police (source 6)"; "foster care with relatives
or friends", not "Foster placement with relative(s) or friend(s) - not long-term or fostering
for adoption/concurrent planning (U3)".

Each phrase reads in the middle of a sentence (it starts with a small letter unless it is a
name) and says what the code means, not how the return counts it. The codes themselves
stay on the records, where professionals and the returns need them.

Plain Python: importing this module needs neither Django nor its settings.
"""

from __future__ import annotations

from caseline.apps.codes.lists import CodeListName, code_list

# Who a contact or referral came from: "Contact from <this>", "Referral ... from <this>".
REFERRAL_SOURCE = {
    "1A": "a family member, relative or carer",
    "1B": "someone who knows the family, such as a neighbour or childminder",
    "1C": "the child themselves",
    "1D": "a member of the public",
    "2A": "a school",
    "2B": "education services",
    "3A": "a GP",
    "3B": "a health visitor",
    "3C": "a school nurse",
    "3D": "a community health service",
    "3E": "a hospital emergency department",
    "3F": "another health service",
    "4": "housing services",
    "5A": "another social care service of the council, such as adult social care",
    "5B": "another service of the council",
    "5C": "another council",
    "5D": "the council's early help service",
    "6": "the police",
    "7": "a court, probation, immigration, Cafcass or a prison",
    "8": "another organisation, such as a children's centre or a charity",
    "9": "someone who did not give their name",
    "10": "someone not recorded",
}

# The main reason the child needs help: "Main need: <this>".
PRIMARY_NEED = {
    "N1": "abuse or neglect",
    "N2": "the child's disability",
    "N3": "a parent's disability or illness",
    "N4": "the family is under great stress",
    "N5": "problems in how the family gets on",
    "N6": "the child's behaviour",
    "N7": "low income",
    "N8": "a parent is absent",
    "N9": "not a child in need",
    "N0": "not recorded",
}

# Why social care's work with the child ended: "... closed: <this>".
CIN_CLOSURE_REASON = {
    "RC1": "the child was adopted",
    "RC2": "the child died",
    "RC3": "a court made a child arrangements order",
    "RC4": "a court made a special guardianship order",
    "RC5": "the child's case moved to another council",
    "RC6": "support moved to adult social care",
    "RC7": "help was no longer needed, or ended for another reason",
    "RC8": "no further help was needed after the assessment",
    "RC9": "after the assessment, the family was offered early help",
}

# The kind of harm a child protection plan is about: "under the category of <this>".
CP_CATEGORY = {
    "NEG": "neglect",
    "PHY": "physical abuse",
    "SAB": "sexual abuse",
    "EMO": "emotional abuse",
    "MUL": "more than one kind of abuse or neglect",
}

# The legal basis of a child's care: "Legal status: <this>".
LEGAL_STATUS = {
    "C1": "interim care order",
    "C2": "care order",
    "D1": "freeing order for adoption",
    "E1": "placement order for adoption",
    "V2": "accommodated with the parents' agreement (section 20)",
    "V3": "a series of short breaks",
    "V4": "a series of short breaks",
    "L1": "police protection",
    "L2": "emergency protection order",
    "L3": "child assessment order",
    "J1": "remanded by a court",
    "J2": "held by the council after arrest",
    "J3": "a youth rehabilitation order to live in foster care or another place",
}

# Where a child in care lives: "Placed in <this>", "moved placement to <this>".
PLACEMENT_TYPE = {
    "A3": "an adoptive home with their foster carers, with their parents' consent",
    "A4": "an adoptive home with new carers, with their parents' consent",
    "A5": "an adoptive home with their foster carers, under a placement order",
    "A6": "an adoptive home with new carers, under a placement order",
    "H5": "semi-independent accommodation",
    "K1": "a secure children's home",
    "K2": "a children's home",
    "K3": "supported accommodation",
    "P1": "the home of a parent or someone with parental responsibility",
    "P2": "independent living",
    "P3": "accommodation that comes with a job",
    "R1": "a residential care home",
    "R2": "a hospital or nursing care",
    "R3": "a family centre or mother and baby unit",
    "R5": "a young offender institution",
    "S1": "a residential school",
    "T0": "a temporary placement",
    "T1": "hospital, for a short time",
    "T2": "a temporary placement, on holiday",
    "T3": "a temporary placement while their foster carers are on holiday",
    "T4": "a temporary placement of 7 days or less",
    "U1": "long-term foster care with relatives or friends",
    "U2": "foster care with relatives or friends who may adopt them",
    "U3": "foster care with relatives or friends",
    "U4": "long-term foster care",
    "U5": "foster care with carers who may adopt them",
    "U6": "foster care",
    "Z1": "another kind of placement",
    "Z11": "another kind of placement",
    "Z12": "another kind of placement",
    "Z13": "another kind of placement",
    "Z14": "another kind of placement",
}

# Why a placement ended: "Reason: <this>".
REASON_PLACEMENT_CHANGE = {
    "CARPL": "a change to the care plan",
    "CLOSE": "the carers stopped caring for children or the home closed",
    "ALLEG": "an allegation of harm in the placement",
    "STAND": "concerns about the standard of care",
    "APPRR": "the carers' approval was withdrawn",
    "CREQB": "the carers asked for the placement to end because of the child's behaviour",
    "CREQO": "the carers asked for the placement to end for another reason",
    "CHILD": "the child asked for the placement to end",
    "LAREQ": "the council asked for the placement to end",
    "PLACE": "a change in the status of the placement only",
    "CUSTOD": "a custody arrangement",
    "OTHER": "another reason",
}

# Why a child left care: "left care ... Reason: <this>".
REASON_EPISODE_CEASED = {
    "X1": "a new period of care began the same day",
    "E11": "adopted, with no one opposing the adoption",
    "E12": "adopted, with the court deciding without a parent's consent",
    "E2": "died",
    "E3": "another council took over their care",
    "E4A": "went home to their family, as planned",
    "E4B": "went home to their family, not as planned",
    "E13": "went to live with relatives or friends",
    "E41": "a court made an order saying who they live with",
    "E43": "a special guardianship order to their foster carers",
    "E44": "a special guardianship order to other carers",
    "E45": "a special guardianship order to their foster carers, who are relatives or friends",
    "E46": "a special guardianship order to their foster carers",
    "E47": "a special guardianship order to relatives or friends",
    "E48": "a special guardianship order to other carers",
    "E5": "moved to live independently, with support",
    "E6": "moved to live independently, without support",
    "E7": "moved to residential care paid for by adult social care",
    "E9": "sentenced to custody",
    "E14": "their remand ended",
    "E15": "an age assessment found they are 18 or over",
    "E16": "moved abroad",
    "E17": "turned 18 and stayed with their carers",
    "E8": "another reason",
}

# How a child took part in their review: "How Ada took part: <this>".
REVIEW_PARTICIPATION = {
    "PN0": "too young (under 4)",
    "PN1": "came and spoke for themselves",
    "PN2": "came, and an advocate spoke for them",
    "PN3": "came and showed their views without words",
    "PN4": "came, but did not give their views",
    "PN5": "did not come, but an advocate spoke for them",
    "PN6": "did not come, but shared their views another way",
    "PN7": "did not come, and their views were not shared",
}

# Whether the council is in touch with a care leaver: "Keeping in touch with Cal: <this>".
CARE_LEAVER_IN_TOUCH = {
    "YES": "in touch",
    "NO": "not in touch",
    "DIED": "died after leaving care",
    "REFU": "does not want contact",
    "NREQ": "no longer needs support from children's social care",
    "RHOM": "has lived with their parents for 6 months or more",
}

# What a care leaver does: "Activity: <this>".
CARE_LEAVER_ACTIVITY = {
    "F1": "full-time at university or college (higher education)",
    "P1": "part-time at university or college (higher education)",
    "F2": "full-time at school or college",
    "P2": "part-time at school or college",
    "F3": "full-time training or work",
    "P3": "part-time training or work",
    "F4": "a full-time apprenticeship",
    "P4": "a part-time apprenticeship",
    "F5": "full-time training or work",
    "P5": "part-time training or work",
    "G4": "not in education, work or training because of illness or disability",
    "G5": "not in education, work or training",
    "G6": "not in education, work or training because of pregnancy or parenting",
}

# Where a care leaver lives: "Living: <this>".
CARE_LEAVER_ACCOMMODATION = {
    "B": "with parents or relatives",
    "C": "in residential care",
    "D": "in semi-independent accommodation, with support",
    "E": "in supported lodgings with a host family",
    "G": "abroad",
    "H": "abroad, after being deported",
    "K": "in lodgings, without support",
    "R": "address not known",
    "S": "homeless",
    "T": "in a foyer, with education or training",
    "U": "independently, in their own home",
    "V": "in emergency accommodation, such as a night shelter",
    "W": "in bed and breakfast",
    "X": "in custody",
    "Y": "somewhere else",
    "Z": "with their former foster carers, after turning 18",
}

PLAIN: dict[CodeListName, dict[str, str]] = {
    CodeListName.REFERRAL_SOURCE: REFERRAL_SOURCE,
    CodeListName.PRIMARY_NEED: PRIMARY_NEED,
    CodeListName.CIN_CLOSURE_REASON: CIN_CLOSURE_REASON,
    CodeListName.CP_CATEGORY: CP_CATEGORY,
    CodeListName.LEGAL_STATUS: LEGAL_STATUS,
    CodeListName.PLACEMENT_TYPE: PLACEMENT_TYPE,
    CodeListName.REASON_PLACEMENT_CHANGE: REASON_PLACEMENT_CHANGE,
    CodeListName.REASON_EPISODE_CEASED: REASON_EPISODE_CEASED,
    CodeListName.REVIEW_PARTICIPATION: REVIEW_PARTICIPATION,
    CodeListName.CARE_LEAVER_IN_TOUCH: CARE_LEAVER_IN_TOUCH,
    CodeListName.CARE_LEAVER_ACTIVITY: CARE_LEAVER_ACTIVITY,
    CodeListName.CARE_LEAVER_ACCOMMODATION: CARE_LEAVER_ACCOMMODATION,
}


def plain(name: CodeListName, code: str) -> str:
    """The code in plain words, for the middle of a sentence. A code without them (from a
    list not given plain words here, or one the list does not know, from an old import)
    keeps its code beside the list's label, so a professional can look it up."""
    words = PLAIN.get(name, {}).get(code)
    if words is not None:
        return words
    found = code_list(name).get(code)
    return f"{found.label} ({code})" if found else f"code {code}"
