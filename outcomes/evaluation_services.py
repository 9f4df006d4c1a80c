"""Every change to the evaluation framework: measures' evidence and the commissioners' judgement.

As in `outcomes.services`: each function checks permission through `outcomes.permissions`, runs
under `transaction.atomic`, and saves through the model so django-simple-history writes the
historical row, with the acting user and reason, in the same transaction. The period row is
locked first, so closing or publishing a period cannot interleave with a change to it.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Model

from core.rag import Rag
from core.text import meaningful_text
from outcomes import permissions
from outcomes.evidence_files import UnacceptableFile, file_kind
from outcomes.exceptions import DomainError, NotAllowed, PeriodClosed
from outcomes.models import (
    NARRATIVE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    CommissionerJudgement,
    EvidenceItem,
    EvidenceStatus,
    JudgementPublication,
    Measure,
    MeasureEvidence,
    Metric,
    Outcome,
    PeriodState,
    ReportingPeriod,
)


class EvidenceRefused(DomainError):
    """The link or file cannot be kept as evidence (wrong type, too big, not a web address)."""


def _stamp(instance: Model, *, by, reason: str) -> None:
    instance._history_user = by
    instance._change_reason = reason


def _clean(text: str) -> str:
    return meaningful_text(text)


def _lock_period(period: ReportingPeriod) -> ReportingPeriod:
    return ReportingPeriod.objects.select_for_update(of=("self",)).get(pk=period.pk)


def _check_evidence_allowed(*, measure: Measure, period: ReportingPeriod, by) -> ReportingPeriod:
    if not permissions.can_record_evidence(by, measure.outcome):
        raise NotAllowed("Only the outcome's lead director or the Programme Office can record its evidence.")
    if measure.outcome.plan_id != period.plan_id:
        raise NotAllowed("That measure is not part of this period's plan.")
    locked = _lock_period(period)
    if locked.state == PeriodState.PUBLISHED:
        raise PeriodClosed("This period is published, so its evidence can no longer be changed.")
    return locked


def _evidence_row(*, measure: Measure, period: ReportingPeriod, by) -> MeasureEvidence:
    evidence = MeasureEvidence.objects.select_for_update().filter(measure=measure, period=period).first()
    if evidence is None:
        evidence = MeasureEvidence(measure=measure, period=period, updated_by=by)
        _stamp(evidence, by=by, reason="Evidence record started")
        evidence.save()
    return evidence


def evidence_record(
    *, measure: Measure, period: ReportingPeriod, by, status: str, note: str, reason: str = ""
) -> MeasureEvidence:
    """Mark how far a measure is evidenced this period, with a note."""
    if status not in EvidenceStatus.values:
        raise DomainError("Choose Evidenced, Partly evidenced or Not yet evidenced.")
    note = _clean(note)
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(f"The note must be {NOTE_MAX_LENGTH:,} characters or fewer.")
    with transaction.atomic():
        _check_evidence_allowed(measure=measure, period=period, by=by)
        evidence = _evidence_row(measure=measure, period=period, by=by)
        if evidence.status == status and evidence.note == note:
            return evidence
        evidence.status, evidence.note, evidence.updated_by = status, note, by
        _stamp(evidence, by=by, reason=_clean(reason)[:100] or "Evidence status recorded")
        evidence.save()
    return evidence


def evidence_link_add(*, measure: Measure, period: ReportingPeriod, by, title: str, url: str) -> EvidenceItem:
    url = (url or "").strip()
    if not url.lower().startswith(("https://", "http://")):
        raise EvidenceRefused("Enter a web address starting with https:// or http://")
    with transaction.atomic():
        _check_evidence_allowed(measure=measure, period=period, by=by)
        evidence = _evidence_row(measure=measure, period=period, by=by)
        item = EvidenceItem(evidence=evidence, title=_clean(title) or url[:200], url=url, added_by=by)
        _stamp(item, by=by, reason="Link added")
        item.save()
    return item


def evidence_file_add(*, measure: Measure, period: ReportingPeriod, by, title: str, upload) -> EvidenceItem:
    """Keep an uploaded file, through Django's storage, if its content is an accepted type."""
    try:
        kind = file_kind(upload)
    except UnacceptableFile as error:
        raise EvidenceRefused(str(error)) from error
    original = (getattr(upload, "name", "") or "evidence").replace("\x00", "")[-200:]
    with transaction.atomic():
        _check_evidence_allowed(measure=measure, period=period, by=by)
        evidence = _evidence_row(measure=measure, period=period, by=by)
        item = EvidenceItem(
            evidence=evidence,
            title=_clean(title) or original,
            original_name=original,
            content_type=kind.content_type,
            size=upload.size,
            added_by=by,
        )
        # The stored name's extension comes from the content, whatever the uploaded name said.
        item.file.save(f"evidence.{kind.extension}", upload, save=False)
        _stamp(item, by=by, reason="File added")
        try:
            item.save()
        except Exception:
            item.file.delete(save=False)
            raise
    return item


def evidence_item_remove(*, item: EvidenceItem, by) -> None:
    """Take a link or file out of a measure's evidence while its period is not published.

    The historical row (with who and why) is written in the same transaction as the removal. A stored
    file is deleted from storage only once that transaction commits: a rolled-back removal keeps its file.
    """
    evidence = item.evidence
    with transaction.atomic():
        _check_evidence_allowed(measure=evidence.measure, period=evidence.period, by=by)
        item = EvidenceItem.objects.select_for_update().filter(pk=item.pk).first()
        if item is None:
            return  # already removed, by another tab or person: nothing left to do
        stored = item.file.name if item.file else ""
        storage = item.file.storage
        _stamp(item, by=by, reason="File removed" if stored else "Link removed")
        item.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))


# --------------------------------------------------------------------------- commissioners' judgement


def judgement_record(
    *, outcome: Outcome, period: ReportingPeriod, by, rag: str, commentary: str, reason: str = ""
) -> CommissionerJudgement:
    """The commissioners' assurance rating and commentary; nobody else may write or change it."""
    if not permissions.can_write_judgement(by):
        raise NotAllowed("Only commissioners can record the commissioners' judgement.")
    if outcome.plan_id != period.plan_id:
        raise NotAllowed("That outcome is not part of this period's plan.")
    if rag not in Rag.values:
        raise DomainError("Choose Red, Amber or Green.")
    commentary = _clean(commentary)
    if not commentary:
        raise DomainError("Enter the commentary.")
    if len(commentary) > NARRATIVE_MAX_LENGTH:
        raise DomainError(f"The commentary must be {NARRATIVE_MAX_LENGTH:,} characters or fewer.")
    with transaction.atomic():
        _lock_period(period)
        judgement = (
            CommissionerJudgement.objects.select_for_update().filter(outcome=outcome, period=period).first()
        )
        if judgement is None:
            judgement = CommissionerJudgement(outcome=outcome, period=period)
        elif judgement.rag == rag and judgement.commentary == commentary:
            return judgement
        judgement.rag, judgement.commentary, judgement.updated_by = rag, commentary, by
        _stamp(judgement, by=by, reason=_clean(reason)[:100] or "Commissioners' judgement recorded")
        judgement.save()
    return judgement


def judgement_publication_decide(
    *, period: ReportingPeriod, by, for_publication: bool
) -> JudgementPublication:
    if not permissions.can_write_judgement(by):
        raise NotAllowed("Only commissioners can decide whether their judgement is published.")
    with transaction.atomic():
        _lock_period(period)
        decision = JudgementPublication.objects.select_for_update().filter(period=period).first()
        if decision is None:
            decision = JudgementPublication(period=period)
        elif decision.for_publication == for_publication:
            return decision
        decision.for_publication, decision.decided_by = for_publication, by
        _stamp(decision, by=by, reason="For publication" if for_publication else "Not for publication")
        decision.save()
    return decision


# --------------------------------------------------------------------------- the metric library


def metric_save(*, plan, metric: Metric | None, by, fields: dict, outcome: Outcome, criteria) -> Metric:
    """Create (metric None) or change a metric's definition, with its outcome and success criteria.

    The form has checked each field; the rules that guard the library are checked again here so no
    other caller can break them: the Programme Office only, an outcome and criteria of this plan,
    criteria of that outcome. The database's constraints keep the code unique and the tolerance a fraction.
    """
    if not permissions.can_manage_metric_values(by):
        raise NotAllowed("Only the Programme Office can change the metric library.")
    criteria = list(criteria)
    if outcome.plan_id != plan.pk:
        raise NotAllowed("That outcome is not part of this plan.")
    if any(criterion.outcome_id != outcome.pk for criterion in criteria):
        raise DomainError(f"Choose only success criteria of outcome {outcome.number}.")
    with transaction.atomic():
        if metric is None:
            metric = Metric(plan=plan)
            reason = "Metric added"
        else:
            metric = Metric.objects.select_for_update().get(pk=metric.pk, plan=plan)
            reason = "Metric changed"
        for name, value in fields.items():
            setattr(metric, name, value)
        metric.outcome = outcome
        _stamp(metric, by=by, reason=reason)
        try:
            with transaction.atomic():
                metric.save()
        except IntegrityError as error:  # another metric took the code since the form checked it
            raise DomainError(f"Another metric of this plan already has the code {metric.code}.") from error
        if set(metric.criteria.values_list("pk", flat=True)) != {criterion.pk for criterion in criteria}:
            _stamp(metric, by=by, reason=reason)
            metric.criteria.set(criteria)
    return metric
