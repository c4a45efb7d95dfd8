import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from directory.models import Area


@pytest.mark.django_db(transaction=True)
def test_backup_restores_with_every_table_count_matching(settings, capsys):
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            call_command("backup_roundtrip")
        return
    settings.DEBUG = True
    call_command("seed_demo")

    call_command("backup_roundtrip")

    out = capsys.readouterr().out
    assert "every count matches" in out
    area_line = next(line for line in out.splitlines() if line.startswith("directory_area "))
    assert area_line.split()[1:] == [str(Area.objects.count())] * 2
