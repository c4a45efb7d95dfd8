"""gunicorn in production: `gunicorn -c config/gunicorn.py config.wsgi`.

Threaded workers: a client that sends its request slowly holds one thread, not a whole worker,
so WEB_CONCURRENCY x GUNICORN_THREADS slow clients fit before normal pages wait (4 x 8 = 32).
Behind nginx (config/nginx/) slow clients never reach gunicorn at all; .ci/smoke.py holds 20
slow connections open against each and checks a normal page still answers within a second.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# A request that takes longer than this is a bug or an attack: the worker is restarted.
timeout = 30
keepalive = 5
# The control socket is for gunicorn's own admin commands; nothing here uses it.
control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
