"""Sign-in lockout locks a username from one IP, never the username everywhere; officers see
current locks and lift one (/staff/accounts/locks/)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.views import sign_in_locks
from core.roles import PARTNER_CONTACT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
LOCKS = reverse("accounts:locks")
LIFT = reverse("accounts:lift_lock")
ATTACKER = "10.9.9.9"
HOME = "10.1.1.1"


def sign_in(username, password=PASSWORD, ip=HOME, client=None):
    """The password step of the staff sign-in from `ip`, in a fresh browser unless given one."""
    return (client or Client()).post(
        reverse("two_factor:login"),
        {"login_view-current_step": "auth", "auth-username": username, "auth-password": password},
        REMOTE_ADDR=ip,
    )


def fail(username, times, ip=ATTACKER):
    return [sign_in(username, "wrong-password", ip).status_code for _ in range(times)]


def minutes_pass(minutes):
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


@pytest.fixture
def victim(db):
    return UserFactory(username="victim", groups=[PARTNER_CONTACT])


def test_failures_from_five_addresses_do_not_lock_the_right_password_from_a_sixth(victim):
    for n in range(5):
        assert fail("victim", 1, ip=f"10.0.0.{n + 1}") == [200]

    response = sign_in("victim", ip="10.0.0.6")

    assert response.status_code == 302
    assert sign_in_locks() == []


def test_five_failures_from_one_address_lock_that_username_from_there_only(victim):
    UserFactory(username="neighbour", groups=[PARTNER_CONTACT])

    assert fail("victim", 5) == [200, 200, 200, 200, 429]

    locked = sign_in("victim", ip=ATTACKER)  # even the right password
    assert locked.status_code == 429
    assert "Sign-in is locked for 15 minutes" in locked.content.decode()
    assert sign_in("victim", ip=HOME).status_code == 302
    assert sign_in("neighbour", ip=ATTACKER).status_code == 302
    [lock] = sign_in_locks()
    assert (lock.username, lock.ip_address, lock.failures) == ("victim", ATTACKER, 5)


def test_an_attempt_while_locked_does_not_push_the_unlock_time_later(victim):
    fail("victim", 5)
    minutes_pass(14)
    [before] = sign_in_locks()
    attempt = AccessAttempt.objects.get()

    assert fail("victim", 1) == [429]
    assert sign_in("victim", ip=ATTACKER).status_code == 429

    [after] = sign_in_locks()
    assert after.unlocks_at == before.unlocks_at
    assert after.unlocks_at - timezone.now() < timedelta(minutes=1, seconds=5)
    attempt_now = AccessAttempt.objects.get()
    assert attempt_now.attempt_time == attempt.attempt_time
    assert attempt_now.failures_since_start == 5
    minutes_pass(2)  # 16 minutes after the fifth failure
    assert sign_in("victim", ip=ATTACKER).status_code == 302


def test_a_lock_ends_when_the_failures_within_the_cool_off_drop_below_the_limit():
    now = timezone.now()
    for agent, failures, minutes_ago in [("phone", 3, 10), ("laptop", 2, 2), ("old", 4, 20)]:
        attempt = AccessAttempt.objects.create(
            username="victim",
            ip_address=ATTACKER,
            user_agent=agent,
            failures_since_start=failures,
        )
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=now - timedelta(minutes=minutes_ago)
        )

    [lock] = sign_in_locks(now)

    # 2 + 3 failures in the last 15 minutes; the older three drop out 5 minutes from now.
    assert lock.failures == 5
    assert lock.unlocks_at == now + timedelta(minutes=5)


def test_officer_sees_a_lock_and_lifts_it_then_the_person_signs_in(officer_client, victim):
    fail("victim", 5)
    fail("victim", 5, ip="10.7.7.7")  # a second lock, which stays
    [first, _second] = sign_in_locks()

    page = officer_client.get(LOCKS)

    html = page.content.decode()
    assert page.status_code == 200
    assert "2 locked sign-ins" in html
    assert "victim" in html and ATTACKER in html and "10.7.7.7" in html
    assert timezone.localtime(first.unlocks_at).strftime("%H:%M") in html
    assert f'action="{LIFT}"' in html and "csrfmiddlewaretoken" in html

    response = officer_client.post(LIFT, {"username": "victim", "ip_address": ATTACKER})

    assert response.status_code == 302
    assert response["Location"] == LOCKS
    after = officer_client.get(LOCKS).content.decode()
    assert "Sign-in unlocked for victim from 10.9.9.9." in after
    assert [(lock.username, lock.ip_address) for lock in sign_in_locks()] == [
        ("victim", "10.7.7.7")
    ]
    assert LogEntry.objects.filter(object_id=str(victim.pk), change_message__contains="lifted")
    assert sign_in("victim", ip=ATTACKER).status_code == 302
    assert sign_in("victim", ip="10.7.7.7").status_code == 429


def test_the_staff_accounts_page_links_to_the_locks(officer_client):
    assert f'href="{LOCKS}"' in officer_client.get(reverse("accounts:list")).content.decode()


def test_lifting_needs_a_post_and_a_real_address(officer_client, victim):
    fail("victim", 5)

    assert officer_client.get(LIFT).status_code == 405
    response = officer_client.post(LIFT, {"username": "victim", "ip_address": "not-an-ip"})

    assert response.status_code == 302
    assert "That is not a sign-in lock." in officer_client.get(LOCKS).content.decode()
    assert len(sign_in_locks()) == 1


def test_lifting_a_lock_that_has_ended_says_so(officer_client):
    data = {"username": "nobody", "ip_address": ATTACKER}

    response = officer_client.post(LIFT, data, follow=True)

    assert "Sign-in for nobody from 10.9.9.9 was not locked." in response.content.decode()


def test_lifting_a_lock_needs_the_csrf_token(officer, victim):
    fail("victim", 5)
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)

    response = client.post(LIFT, {"username": "victim", "ip_address": ATTACKER})

    assert response.status_code == 403
    assert len(sign_in_locks()) == 1


@pytest.mark.parametrize("who", ["coordinator_a", "partner_contact"])
def test_only_officers_see_and_lift_locks(client, request, victim, who):
    fail("victim", 5)
    client.force_login(request.getfixturevalue(who))

    assert client.get(LOCKS).status_code == 403
    response = client.post(LIFT, {"username": "victim", "ip_address": ATTACKER})

    assert response.status_code == 403
    assert len(sign_in_locks()) == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, victim):
    fail("victim", 5)

    for response in (client.get(LOCKS), client.post(LIFT, {"username": "victim"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor:login"))
    assert len(sign_in_locks()) == 1
