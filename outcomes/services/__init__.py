"""Every change in the update cycle: periods, assessments, summaries and reminders.

Each function runs under `transaction.atomic`, checks permission through `outcomes.permissions`,
and saves through the model so django-simple-history writes the historical row, with the acting
user and reason, in the same transaction. Rows that two people may edit at once carry a `version`:
a save based on an older version raises `StaleEdit` with the row as it is now, and nothing is
overwritten.

The package, by journey: `periods` (Programme Office, including acknowledging the checks' warnings),
`updates` (officers), `signoff` (Lead Directors) and `reminders`; `_common` holds the stamp, locks and
text cleaning they share.

Locking order, to avoid deadlocks: the period row first, then the assessment or summary. Locking
the period in every write means closing a period cannot interleave with an officer's save.
"""

from outcomes.services._common import COMMENT_MAX_LENGTH, REASON_MAX_LENGTH
from outcomes.services.corrections import assessment_correct, outcome_summary_correct
from outcomes.services.periods import (
    _publication_blockers,  # noqa: F401 - the seam period_publish looks up here, so tests can replace it
    check_acknowledge,
    period_change_deadline,
    period_close,
    period_open_next,
    period_publish,
    period_reopen,
    publication_blockers,
)
from outcomes.services.reminders import (
    EMAIL_SUBJECTS,
    RemindersSent,
    chases_last_sent,
    reminder_chase,
    reminder_chase_lead_directors,
    reminder_chase_person,
    reminders_send_due,
    reminders_send_opened,
    signoffs_pending_by_lead_director,
)
from outcomes.services.signoff import (
    assessment_approve,
    assessment_return,
    assessments_approve_shown,
    outcome_summary_save,
)
from outcomes.services.updates import (
    OfficerUpdate,
    assessment_save_draft,
    assessment_submit,
    assessment_withdraw,
)

__all__ = [
    "COMMENT_MAX_LENGTH",
    "EMAIL_SUBJECTS",
    "REASON_MAX_LENGTH",
    "OfficerUpdate",
    "RemindersSent",
    "assessment_approve",
    "assessment_correct",
    "assessment_return",
    "assessment_save_draft",
    "assessment_submit",
    "assessment_withdraw",
    "assessments_approve_shown",
    "check_acknowledge",
    "outcome_summary_correct",
    "outcome_summary_save",
    "period_change_deadline",
    "period_close",
    "period_open_next",
    "period_publish",
    "period_reopen",
    "publication_blockers",
    "chases_last_sent",
    "reminder_chase",
    "reminder_chase_lead_directors",
    "reminder_chase_person",
    "reminders_send_due",
    "reminders_send_opened",
    "signoffs_pending_by_lead_director",
]
