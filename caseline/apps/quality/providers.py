from caseline.apps.people.contribution import RecordContribution
from caseline.apps.quality import timescales

CONTRIBUTION = RecordContribution(app_label="quality", timescale_rules=timescales.RULES)
