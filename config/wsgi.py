"""WSGI entry point for gunicorn: `gunicorn config.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Everything loaded by now (Django, the apps, their models) lives as long as the process.
# Frozen, the collector's full passes skip it: unfrozen, each such pass paused a request
# while it walked all of it (bench/search.py shows the pauses).
gc.freeze()
