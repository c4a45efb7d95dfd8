import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect

SESSION_KEY = "signed_in_at"


@receiver(user_logged_in)
def _remember_sign_in_time(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = int(time.time())


class AbsoluteSessionLifetimeMiddleware:
    """Signs staff out SESSION_ABSOLUTE_AGE seconds after they signed in, however active.

    The idle timeout is Django's own (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            signed_in_at = request.session.setdefault(SESSION_KEY, int(time.time()))
            if time.time() - signed_in_at > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                messages.info(request, "You have been signed out. Sign in again to continue.")
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)
