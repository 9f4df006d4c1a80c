import copy

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from outcomes import models


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


@admin.register(models.Outcome)
class OutcomeAdmin(ReasonRequiredHistoryAdmin):
    list_display = ["number", "title", "lead_title", "lead_director", "plan"]
    list_filter = ["plan"]
    # The objectives claiming an outcome and the approaches testing it are set here, where the
    # links live (outcomes sit above plans).
    filter_horizontal = ["claimed_by_objectives", "assurance_approaches"]


@admin.register(models.SuccessCriterion)
class SuccessCriterionAdmin(ReasonRequiredHistoryAdmin):
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
class ReportingPeriodAdmin(ReasonRequiredHistoryAdmin):
    list_display = ["title", "slug", "start", "end", "deadline", "state", "is_baseline"]
    list_filter = ["plan", "state"]
    readonly_fields = ["movers_since_last_period"]

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
class AssessmentAdmin(ReasonRequiredHistoryAdmin):
    list_display = ["criterion", "period", "rag", "status", "carried_forward", "version"]
    list_filter = ["period", "status", "rag"]
    list_select_related = ["criterion__outcome", "period"]
    readonly_fields = ["version", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        # Admin edits take part in the same optimistic-concurrency count as the UI's.
        if change:
            obj.version += 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(models.OutcomeSummary)
class OutcomeSummaryAdmin(ReasonRequiredHistoryAdmin):
    list_display = ["outcome", "period", "updated_at"]
    list_filter = ["period"]
    readonly_fields = ["version", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


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
