import copy

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from outcomes import models, services
from outcomes.exceptions import DomainError

# Said once for every part of the official record the admin will not delete.
DELETION_REFUSED = (
    "{name} is part of the official record and carries history, so it cannot be deleted: "
    "correct it instead, giving a reason."
)


class ChangeReasonForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for this change",
        help_text="Kept in the history record with your name.",
        max_length=100,
    )


class ReasonRequiredHistoryAdmin(SimpleHistoryAdmin):
    """Admin edits of user content say why; the reason lands in the history record."""

    form = ChangeReasonForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # A new row explains itself; a change to an existing one must give a reason.
        # (a copy: the declared field is shared by every form class built from ChangeReasonForm)
        reason_field = copy.deepcopy(form.base_fields["change_reason"])
        reason_field.required = obj is not None
        form.base_fields["change_reason"] = reason_field
        return form

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_reason") or "Created in admin"
        super().save_model(request, obj, form, change)


class UndeletableRecordAdmin(ReasonRequiredHistoryAdmin):
    """Rows of the official record carry history: deleting one would take its history with it.

    The database refuses too (`on_delete=PROTECT`); here the admin says so in one sentence
    instead of offering a delete button that ends on a list of protected rows.
    """

    def has_delete_permission(self, request, obj=None):
        return False

    def delete_view(self, request, object_id, extra_context=None):
        name = self.model._meta.verbose_name.capitalize()
        messages.error(request, DELETION_REFUSED.format(name=name))
        opts = self.model._meta
        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]))


class FrozenWhenPeriodNotOpen(UndeletableRecordAdmin):
    """A closed or published period's record is shown read-only: it changes after re-opening only."""

    def _period_of(self, obj):
        return obj.period

    def has_change_permission(self, request, obj=None):
        if obj is not None and not self._period_of(obj).is_open:
            return False
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        # A period's rows are made when the Programme Office opens it.
        return False


class VersionedCorrectionForm(ChangeReasonForm):
    """An admin save goes through the correction service, with the version the page was loaded at.

    The write happens during validation, inside the admin's own transaction, so a refusal (someone
    saved since, the period closed) comes back as a form error with the admin's text still in the
    form, exactly as the service's sentence says it.
    """

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    acting_user = None  # set per request by the admin's get_form
    correction_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = self.instance.version
        self.saved = None

    def correct(self, cleaned: dict, reason: str):
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.saved = self.correct(cleaned, cleaned.get("change_reason", ""))
        except DomainError as error:
            raise forms.ValidationError(str(error)) from error
        return cleaned


class AssessmentCorrectionForm(VersionedCorrectionForm):
    def correct(self, cleaned, reason):
        return services.assessment_correct(
            assessment=self.instance,
            by=self.acting_user,
            expected_version=cleaned["expected_version"],
            reason=reason,
            rag=cleaned.get("rag", ""),
            narrative=cleaned.get("narrative", ""),
            status=cleaned.get("status", ""),
            return_comment=cleaned.get("return_comment", ""),
            carried_forward=cleaned.get("carried_forward", False),
            quotes_previous=cleaned.get("quotes_previous", False),
        )


class SummaryCorrectionForm(VersionedCorrectionForm):
    def correct(self, cleaned, reason):
        return services.outcome_summary_correct(
            summary=self.instance,
            by=self.acting_user,
            expected_version=cleaned["expected_version"],
            reason=reason,
            text=cleaned.get("text", ""),
        )


class CorrectedThroughServiceAdmin(FrozenWhenPeriodNotOpen):
    readonly_fields = ["period", "version", "updated_at", "updated_by"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.acting_user = request.user  # a fresh class per request: modelform_factory builds one
        return form

    def save_model(self, request, obj, form, change):
        # The correction service saved the row (and its history) while validating the form.
        saved = form.saved
        obj.pk, obj.version = saved.pk, saved.version


@admin.register(models.Outcome)
class OutcomeAdmin(UndeletableRecordAdmin):
    list_display = ["number", "title", "lead_title", "lead_director", "plan"]
    list_filter = ["plan"]
    # The objectives claiming an outcome and the approaches testing it are set here, where the
    # links live (outcomes sit above plans).
    filter_horizontal = ["claimed_by_objectives", "assurance_approaches"]


@admin.register(models.SuccessCriterion)
class SuccessCriterionAdmin(UndeletableRecordAdmin):
    list_display = ["reference", "text", "owner"]
    list_filter = ["outcome"]
    list_select_related = ["outcome", "owner"]


@admin.register(models.Measure)
class MeasureAdmin(ReasonRequiredHistoryAdmin):
    list_display = ["outcome", "number", "text"]
    list_filter = ["outcome"]


@admin.register(models.RagDefinition)
class RagDefinitionAdmin(ReasonRequiredHistoryAdmin):
    list_display = ["rating", "definition", "plan"]


@admin.register(models.ReportingPeriod)
class ReportingPeriodAdmin(FrozenWhenPeriodNotOpen):
    """A period's state changes on the Programme Office pages only, where the checks run."""

    list_display = ["title", "slug", "start", "end", "deadline", "state", "is_baseline"]
    list_filter = ["plan", "state"]
    readonly_fields = ["state", "movers_since_last_period"]

    def _period_of(self, obj):
        return obj

    def get_fields(self, request, obj=None):
        # The movers sit right under the Summary they should be described in (issue 17).
        fields = [f for f in super().get_fields(request, obj) if f != "movers_since_last_period"]
        at = fields.index("report_summary") + 1 if "report_summary" in fields else len(fields)
        return [*fields[:at], "movers_since_last_period", *fields[at:]]

    @admin.display(description="Criteria that moved since last period (the Summary should say so)")
    def movers_since_last_period(self, obj) -> str:
        from core.rag import Movement, movement, rag_style
        from outcomes.checks import period_rows

        if obj is None or obj.pk is None:
            return "–"
        movers = [
            f"{row.reference} ({rag_style(row.previous_rag).label} to {rag_style(row.rag).label}): {row.text}"
            for row in period_rows(period=obj).criteria
            if movement(row.previous_rag, row.rag) in (Movement.UP, Movement.DOWN)
        ]
        return "; ".join(movers) or "No criterion's rating moved since last period."


@admin.register(models.Assessment)
class AssessmentAdmin(CorrectedThroughServiceAdmin):
    form = AssessmentCorrectionForm
    list_display = ["criterion", "period", "rag", "status", "carried_forward", "version"]
    list_filter = ["period", "status", "rag"]
    list_select_related = ["criterion__outcome", "period"]
    readonly_fields = ["period", "criterion", "version", "updated_at", "updated_by"]


@admin.register(models.OutcomeSummary)
class OutcomeSummaryAdmin(CorrectedThroughServiceAdmin):
    form = SummaryCorrectionForm
    list_display = ["outcome", "period", "updated_at"]
    list_filter = ["period"]
    readonly_fields = ["period", "outcome", "version", "updated_at", "updated_by"]


@admin.register(models.ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["period", "recipient", "kind", "sent_at"]
    list_filter = ["kind", "period"]


@admin.register(models.CheckAcknowledgement)
class CheckAcknowledgementAdmin(SimpleHistoryAdmin):
    """Acknowledgements are made on the period's checks page, where the finding is shown."""

    list_display = ["finding_key", "period", "acknowledged_by", "acknowledged_at"]
    list_filter = ["period"]
    list_select_related = ["period", "acknowledged_by"]
    search_fields = ["finding_key", "reason"]
    readonly_fields = ["period", "finding_key", "acknowledged_by", "acknowledged_at"]

    def has_add_permission(self, request):
        return False


@admin.register(models.Metric)
class MetricAdmin(ReasonRequiredHistoryAdmin):
    """The metric library's definitions; figures arrive through import_metric_values or its page."""

    list_display = ["code", "name", "outcome", "frequency", "unit", "polarity", "tolerance"]
    list_filter = ["plan", "frequency", "polarity"]
    list_select_related = ["outcome"]
    search_fields = ["code", "name"]
    filter_horizontal = ["criteria"]
