"""Data migrations run against rows made by today's models, then checked."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import OrganisationFactory, RoleFactory, SkillFactory
from volunteering.models import Role


@pytest.mark.django_db(transaction=True)
def test_roles_already_there_are_found_by_every_word_once_search_text_exists():
    RoleFactory(
        title="Shift",
        description="Sorting parcels",
        organisation=OrganisationFactory(name="Pitsea Pantry"),
        skills=[SkillFactory(name="Lifting")],
    )

    executor = MigrationExecutor(connection)
    executor.migrate([("volunteering", "0002_erasure_suggestion_senders")])  # no column
    executor.loader.build_graph()
    executor.migrate([("volunteering", "0003_role_search_text")])

    assert Role.objects.matching("shift parcels pantry lifting").count() == 1
