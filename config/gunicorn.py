"""gunicorn in production: `gunicorn -c config/gunicorn.py config.wsgi`.

Threaded workers: a client that sends its request slowly holds one thread, not a whole worker,
so WEB_CONCURRENCY x GUNICORN_THREADS slow clients fit before normal pages wait (4 x 8 = 32),
as long as a worker whose threads are all held stops accepting (worker_connections below).
Behind nginx (config/nginx/) slow clients never reach gunicorn at all; .ci/smoke.py holds 20
slow connections open against each and checks a normal page still answers within a second.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# A worker takes no more connections than it has threads: one whose threads are all held by
# slow clients stops accepting, and the others take the next connection. gthread's default
# (1,000) let a held worker keep accepting, and a page queued behind its slow clients.
worker_connections = threads
# A request that takes longer than this is a bug or an attack: the worker is restarted.
timeout = 30
# No idle keep-alive: an idle connection would count against worker_connections, so the
# connection closes after each response (nginx opens another to the local socket, which is cheap).
keepalive = 0
# The control socket is for gunicorn's own admin commands; nothing here uses it.
control_socket_disable = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
