"""Cache generations: a cached figure's key carries a generation id, and a change to the
records behind it starts a new generation, so an old figure is never read again (it expires
unseen). Used by the directory's search cache and the hubs' engagement figures."""

import uuid

from django.core.cache import cache
from django.db import transaction


class Generation:
    def __init__(self, prefix: str):
        self.prefix = prefix
        self.generation_key = f"{prefix}:generation"

    def current(self) -> str:
        generation = cache.get(self.generation_key)
        if generation is None:
            cache.add(self.generation_key, uuid.uuid4().hex, None)
            generation = cache.get(self.generation_key)
        return generation

    def key(self, name: str) -> str:
        """A cache key for `name` in the current generation. Take it before reading the
        records: a value computed while a change lands is then stored under the old one."""
        return f"{self.prefix}:{self.current()}:{name}"

    def bump(self, **kwargs) -> None:
        """Start a new generation (usable as a signal receiver)."""
        cache.set(self.generation_key, uuid.uuid4().hex, None)

    def changed(self, **kwargs) -> None:
        """The records changed: a new generation now, and again when the transaction commits,
        since a page that read the records in between may have cached them under the first
        (usable as a signal receiver)."""
        self.bump()
        transaction.on_commit(self.bump)
