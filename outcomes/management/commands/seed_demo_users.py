"""Development only: one demo account per role, owning real criteria and outcomes.

Passwords are generated afresh on every run and printed, so nothing secret is kept in the
repository; the command refuses to run when DEBUG is off.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.roles import Role
from outcomes.models import Outcome, SuccessCriterion
from plans.models import Board, Milestone

# (username, first name, last name, role); officers and directors share the plan's work out.
DEMO_PEOPLE = [
    ("officer", "Olu", "Adeyemi", Role.OFFICER),
    ("officer2", "Priya", "Shah", Role.OFFICER),
    ("officer3", "Sam", "Okafor", Role.OFFICER),
    ("officer4", "Jo", "Whitfield", Role.OFFICER),
    ("director", "Dana", "Mitchell", Role.LEAD_DIRECTOR),
    ("director2", "Rhys", "Evans", Role.LEAD_DIRECTOR),
    ("programme", "Pat", "Morgan", Role.PROGRAMME_OFFICE),
    ("commissioner", "Chris", "Lowe", Role.COMMISSIONER),
    ("democratic", "Dee", "Harper", Role.DEMOCRATIC_SERVICES),
    ("board", "Bea", "Nolan", Role.BOARD_MEMBER),
]


class Command(BaseCommand):
    help = "Create demo users for every role (development only) and print their passwords."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo users are for development only; DJANGO_DEBUG is off.")
        User = get_user_model()
        credentials = []
        with transaction.atomic():
            users = {}
            for username, first, last, role in DEMO_PEOPLE:
                user, _ = User.objects.get_or_create(username=username)
                user.first_name, user.last_name = first, last
                user.email = f"{username}@example.invalid"
                password = secrets.token_urlsafe(9)
                user.set_password(password)
                user.save()
                user.groups.set([Group.objects.get(name=role)])
                users[username] = user
                credentials.append((username, password, role))
            admin, _ = User.objects.get_or_create(username="admin")
            admin.is_staff = admin.is_superuser = True
            admin.email = "admin@example.invalid"
            password = secrets.token_urlsafe(9)
            admin.set_password(password)
            admin.save()
            credentials.append(("admin", password, "Staff admin"))
            self._share_out_work(users)
        self.stdout.write("Demo accounts (development only; new passwords on every run):")
        for username, password, role in credentials:
            self.stdout.write(f"  {role:<22} {username:<14} {password}")

    def _share_out_work(self, users: dict) -> None:
        officers = [u for name, u in users.items() if name.startswith("officer")]
        directors = [u for name, u in users.items() if name.startswith("director")]
        for outcome in Outcome.objects.order_by("number"):
            director = directors[(outcome.number - 1) % len(directors)]
            if outcome.lead_director_id != director.pk:
                outcome.lead_director = director
                outcome._change_reason = "Demo lead director assigned"
                outcome.save()
        criteria = SuccessCriterion.objects.select_related("outcome").order_by("outcome__number", "letter")
        for criterion in criteria:
            # Whole outcomes go to one officer where possible, as in a real service.
            owner = officers[(criterion.outcome.number - 1) % len(officers)]
            if criterion.owner_id != owner.pk:
                criterion.owner = owner
                criterion._change_reason = "Demo owner assigned"
                criterion.save()
        # Delivery: the officers own the action plan's milestones; the board member sits on every board.
        for index, milestone in enumerate(Milestone.objects.filter(owner__isnull=True).order_by("pk")):
            milestone.owner = officers[index % len(officers)]
            milestone._change_reason = "Demo owner assigned"
            milestone.save()
        for board in Board.objects.all():
            board.members.add(users["board"])
