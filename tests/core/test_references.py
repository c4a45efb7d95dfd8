import re

from core.references import new_reference
from directory.models import Suggestion
from directory.models import new_reference as suggestion_reference
from volunteering.models import new_erasure_reference
from volunteering.models import new_reference as interest_reference


def test_a_reference_is_the_prefix_and_six_characters_that_are_hard_to_misread():
    references = {new_reference("ABC") for _ in range(200)}
    assert all(re.fullmatch(r"ABC-[A-HJ-NP-Z2-9]{6}", reference) for reference in references)
    assert len(references) > 190


def test_each_app_keeps_its_prefix():
    assert re.fullmatch(r"SUG-[A-HJ-NP-Z2-9]{6}", suggestion_reference())
    assert re.fullmatch(r"SUG-[A-HJ-NP-Z2-9]{6}", Suggestion().reference)
    assert re.fullmatch(r"VOL-[A-HJ-NP-Z2-9]{6}", interest_reference())
    assert re.fullmatch(r"ERA-[A-HJ-NP-Z2-9]{6}", new_erasure_reference())
