"""Public reads on a PostgreSQL read replica (DATABASE_REPLICA_URL): a database router and the
middleware that says which requests may use it.

A request may read from the replica when it is a GET or HEAD from a visitor with no session
(no cookie but the CSRF one): the public search, listings and the ORUK API, the pages that
are the same for everyone. Everything else reads from the primary: staff pages (signed in),
every write, and anyone with a session, so someone who has just sent a form (which starts a
session: a suggestion's reference, a sign-in) sees what they wrote at once, however far the
replica lags. Commands, migrations and tests outside a request use the primary.
"""

from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_public_read = ContextVar("public_read", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads of a public request go to the replica; writes and the rest to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _public_read.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database and its copy

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"  # the replica follows the primary's schema


def may_use_replica(request) -> bool:
    return request.method in ("GET", "HEAD") and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}


class ReplicaMiddleware:
    """Marks a request that may read from the replica (see may_use_replica)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured() or not may_use_replica(request):
            return self.get_response(request)
        token = _public_read.set(True)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)
