from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from directory.models import Postcode
from directory.postcodes import normalise_postcode

SAMPLE = Path(__file__).resolve().parents[2] / "demo" / "data" / "sample_postcodes.csv"


@pytest.mark.parametrize(
    "given,expected",
    [
        ("ss141ab", "SS14 1AB"),
        (" SS14  1AB ", "SS14 1AB"),
        ("cm12 9ab", "CM12 9AB"),
        ("W1A 0AX", "W1A 0AX"),
        ("EC1A1BB", "EC1A 1BB"),
        ("m11ae", "M1 1AE"),
    ],
)
def test_postcodes_are_normalised(given, expected):
    assert normalise_postcode(given) == expected


@pytest.mark.parametrize(
    "bad",
    ["", "SS14", "SS14 1CK", "12345", "SS14 1AB'; --", "S" * 10_000, "SS14\x001AB", "1SS 1AA"],
)
def test_invalid_postcodes_are_rejected_with_a_clear_message(bad):
    with pytest.raises(ValidationError, match="real postcode"):
        normalise_postcode(bad)


@pytest.mark.django_db
def test_import_postcodes_loads_the_sample_in_batches_with_progress():
    out = StringIO()

    call_command("import_postcodes", str(SAMPLE), batch_size=10, stdout=out)

    assert Postcode.objects.count() == 45
    pitsea = Postcode.objects.get(postcode="SS13 1AQ")
    assert float(pitsea.latitude) == pytest.approx(51.56775)
    assert pitsea.district_code == "E07000066"
    assert pitsea.ward_code.startswith("E05")
    output = out.getvalue()
    assert "100%" in output
    assert output.count("rows") >= 5  # one progress line per batch
    assert "Imported 45 postcodes; skipped 1 rows." in output
    # The row without a grid reference (99.999999) is skipped.
    assert not Postcode.objects.filter(postcode="SS14 9ZZ").exists()


@pytest.mark.django_db
def test_import_postcodes_is_safe_to_run_again_and_updates(tmp_path):
    call_command("import_postcodes", str(SAMPLE), verbosity=0)
    changed = tmp_path / "onspd.csv"
    changed.write_text("pcds,lat,long,osward,oslaua\nSS13 1AQ,51.5,0.5,E05000001,E07000066\n")

    call_command("import_postcodes", str(SAMPLE), verbosity=0)
    call_command("import_postcodes", str(changed), verbosity=0)

    assert Postcode.objects.count() == 45
    assert Postcode.objects.get(postcode="SS13 1AQ").ward_code == "E05000001"


@pytest.mark.django_db
def test_import_postcodes_skips_bad_rows_and_accepts_other_column_names(tmp_path):
    path = tmp_path / "onspd.csv"
    path.write_text(
        "PCD7,Lat,Long,WD24CD,LAD24CD\n"
        "SS141AB,51.57,0.45,E05000002,E07000066\n"
        "not a postcode,51.57,0.45,,\n"
        "SS14 1AD,north,0.45,,\n"
        "SS14 1AD,51.57,0.45,,\n"
    )
    out = StringIO()

    call_command("import_postcodes", str(path), stdout=out)

    assert set(Postcode.objects.values_list("postcode", flat=True)) == {"SS14 1AB", "SS14 1AD"}
    assert Postcode.objects.get(postcode="SS14 1AB").ward_code == "E05000002"
    assert "skipped 2 rows" in out.getvalue()


@pytest.mark.django_db
def test_import_postcodes_explains_a_wrong_file(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,email\nA,a@example.com\n")

    with pytest.raises(CommandError, match="ONS Postcode Directory"):
        call_command("import_postcodes", str(path))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_postcodes", str(tmp_path / "missing.csv"))


@pytest.mark.django_db
def test_a_postcode_moved_by_the_next_import_is_found_there_at_once(client, tmp_path):
    call_command("import_postcodes", str(SAMPLE), verbosity=0)
    client.get("/directory/", {"postcode": "SS13 1AQ"})

    moved = tmp_path / "onspd.csv"
    moved.write_text("pcds,lat,long\nSS13 1AQ,52.5,1.5\n")
    call_command("import_postcodes", str(moved), verbosity=0)

    assert Postcode.objects.coordinates("SS13 1AQ") == (52.5, 1.5)


@pytest.mark.django_db
def test_a_postcode_not_yet_imported_is_found_as_soon_as_it_is(client):
    assert Postcode.objects.coordinates("SS13 1AQ") is None
    assert "We could not find the postcode SS13 1AQ" in (
        client.get("/directory/", {"postcode": "ss131aq"}).content.decode()
    )

    call_command("import_postcodes", str(SAMPLE), verbosity=0)

    assert Postcode.objects.coordinates("SS13 1AQ") == pytest.approx((51.57, 0.49), abs=0.1)
    assert "near SS13 1AQ" in client.get("/directory/", {"postcode": "ss131aq"}).content.decode()
