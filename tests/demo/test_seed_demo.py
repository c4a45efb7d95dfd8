import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.roles import COORDINATOR, OFFICER
from directory.models import Area

pytestmark = pytest.mark.django_db


def seed(settings, **kwargs):
    settings.DEBUG = True
    from io import StringIO

    out = StringIO()
    call_command("seed_demo", stdout=out, **kwargs)
    return out.getvalue()


def test_seed_demo_creates_the_five_towns_and_prints_logins(settings, client):
    output = seed(settings)

    assert Area.objects.filter(kind=Area.Kind.WARD).count() == 15  # with made-up figures
    assert sorted(Area.objects.filter(kind=Area.Kind.TOWN).values_list("name", flat=True)) == [
        "Basildon",
        "Billericay",
        "Laindon",
        "Pitsea",
        "Wickford",
    ]
    officer = User.objects.get(username="officer")
    assert officer.groups.filter(name=OFFICER).exists()
    assert User.objects.get(username="coordinator").groups.filter(name=COORDINATOR).exists()
    assert "username 'officer', password 'demo-officer-2026'" in output
    assert "username 'coordinator'" in output
    # The printed login really works on the sign-in page.
    response = client.post(
        reverse("two_factor:login"),
        {
            "login_view-current_step": "auth",
            "auth-username": "officer",
            "auth-password": "demo-officer-2026",
        },
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_seed_demo_is_idempotent(settings):
    seed(settings)
    counts = (Area.objects.count(), User.objects.count())

    seed(settings)

    assert (Area.objects.count(), User.objects.count()) == counts


def test_seed_demo_refuses_to_run_in_production_by_default(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="published passwords"):
        call_command("seed_demo")

    assert not User.objects.filter(username="officer").exists()
