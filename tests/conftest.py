"""Shared fixtures: Thurrock's real data, people in each role, synthetic plans at scale."""
import pytest
from django.core.management import call_command

from accounts.roles import Role
from tests.delivery_world import DeliveryWorld
from tests.evaluation_fixtures import Evaluation
from tests.exports import tasks_setting
from tests.factories import UserFactory
from tests.scenarios import Cycle


@pytest.fixture(autouse=True)
def _no_signin_throttling_unless_asked(settings):
    # django-axes needs a request on every authenticate(); the test client's force_login
    # skips it. The throttling test turns it back on.
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Tests create many people, and sign-in tests hash on every attempt; PBKDF2 at full strength
    # would dominate the run time. Set here once, for every test module and the browser journeys.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_in_process(settings):
    # Exports are rendered by a background worker in production; a test runs each task as it
    # is queued (after the commit), in its own process. tests/test_faults.py uses a real one.
    settings.TASKS = tasks_setting("django_tasks.backends.immediate.ImmediateBackend")


@pytest.fixture
def queued_only(settings):
    """Tasks are queued and wait, as they do for a busy worker, until `tests.exports.run_queued_tasks`."""
    from django_tasks import default_task_backend

    settings.TASKS = tasks_setting("django_tasks.backends.dummy.DummyBackend")
    default_task_backend.clear()
    yield
    default_task_backend.clear()


@pytest.fixture(autouse=True)
def _stored_files_in_a_temporary_folder(settings, tmp_path):
    # Stored exports (and evidence) go through default storage: never into the developer's var/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    # Each test's database starts afresh, and so does the data generation cached pages key on.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def thurrock(db):
    """Thurrock's plans, outcome framework and two reported periods, as `make run` loads them."""
    call_command("seed_thurrock", stdout=open("/dev/null", "w"))
    from plans.models import Plan

    return Plan.objects.get(slug="irp-2023-10")


@pytest.fixture
def make_user(db):
    def make(role: str | None = None, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER, username="officer")


@pytest.fixture
def lead_director(make_user):
    return make_user(Role.LEAD_DIRECTOR, username="director")


@pytest.fixture
def programme_office(make_user):
    return make_user(Role.PROGRAMME_OFFICE, username="programme")


@pytest.fixture
def commissioner(make_user):
    return make_user(Role.COMMISSIONER, username="commissioner")


@pytest.fixture
def democratic_services(make_user):
    return make_user(Role.DEMOCRATIC_SERVICES, username="democratic")


@pytest.fixture
def cycle(officer, lead_director):
    """The update cycle of tests.scenarios.Cycle: December 2024 published, March 2025 open."""
    return Cycle(officer=officer, director=lead_director)


@pytest.fixture
def evaluation(officer, lead_director):
    """The evaluation framework of tests.evaluation_fixtures.Evaluation, on top of that cycle."""
    return Evaluation(officer=officer, director=lead_director)


@pytest.fixture
def world(officer, programme_office, commissioner, democratic_services):
    """A small plan with milestones, a RAID log and two boards (tests/delivery_world.py).

    Modules with a world of their own (the hostile-input ones) define their own `world`.
    """
    return DeliveryWorld(
        officer=officer,
        programme_office=programme_office,
        commissioner=commissioner,
        democratic_services=democratic_services,
    )
