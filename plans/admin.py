from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans import models


@admin.register(models.Direction)
class DirectionAdmin(SimpleHistoryAdmin):
    list_display = ["letter", "title", "issued_on"]


@admin.register(models.Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "organisation", "version_date", "status"]
    list_filter = ["status"]


@admin.register(models.Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "plan"]
    list_filter = ["plan"]


@admin.register(models.Workstream)
class WorkstreamAdmin(SimpleHistoryAdmin):
    list_display = ["title", "priority", "number"]
    list_filter = ["priority__plan"]


@admin.register(models.Objective)
class ObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "workstream"]
    list_filter = ["workstream__priority__plan", "directions"]
    filter_horizontal = ["directions"]


@admin.register(models.AssuranceApproach)
class AssuranceApproachAdmin(SimpleHistoryAdmin):
    list_display = ["number", "approach", "plan"]


@admin.register(models.Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "plan"]


@admin.register(models.ThemeWorkstream)
class ThemeWorkstreamAdmin(SimpleHistoryAdmin):
    list_display = ["title", "theme", "number"]


@admin.register(models.Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["objective_ref", "description", "lead_officer", "due", "status"]
    list_filter = ["status", "workstream__theme"]
    search_fields = ["description", "objective_ref"]


@admin.register(models.LeadPerson)
class LeadPersonAdmin(SimpleHistoryAdmin):
    list_display = ["initials", "name", "title", "kind", "plan"]
    list_filter = ["kind", "plan"]


@admin.register(models.Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "plan", "owner", "due_date", "status", "plan_label"]
    list_filter = ["plan", "status"]
    search_fields = ["reference", "title"]


@admin.register(models.RaidEntry)
class RaidEntryAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "plan", "kind", "likelihood", "impact", "status", "escalated_to"]
    list_filter = ["plan", "kind", "status"]


@admin.register(models.Board)
class BoardAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sees_everything"]


@admin.register(models.StatusLabel)
class StatusLabelAdmin(SimpleHistoryAdmin):
    list_display = ["label", "status"]
