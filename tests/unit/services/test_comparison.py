"""Comparing two walks through the services, on a real database."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from walkthrough.domain.comparison import Verdict
from walkthrough.domain.errors import NotFound
from walkthrough.domain.vocabulary import Voice
from walkthrough.services import comparison, observations, walkthroughs
from walkthrough.services.observations import NewObservation
from walkthrough.services.photo_intake import prepare_photo


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


def _walk(db, lens, service: str, day: int) -> str:
    return walkthroughs.create_walkthrough(db, lens, service=service, site="Kirkwall",
                                           visit_date=dt.date(2026, 3, day)).id


def test_compare_walkthroughs_reads_both_walks_and_applies_the_rules(db, test_lens) -> None:
    march, october = _walk(db, test_lens, "Orkney", 1), _walk(db, test_lens, "Orkney", 20)
    observations.add_observation(db, march, NewObservation(
        "entrance", "priority-concern", "entrance-clear", photos=(prepare_photo(_jpeg(), "a.jpg"),)))
    observations.add_observation(db, march, NewObservation("letters", "working-well", "letters-plain"))
    observations.add_observation(db, october, NewObservation(
        "entrance", "working-well", "entrance-clear", voice=Voice.LIVED_EXPERIENCE, note="Clear now",
        photos=(prepare_photo(_jpeg(), "b.jpg"),)))
    result = comparison.compare_walkthroughs(db, march, october)
    assert {p.prompt_id: p.verdict for p in result.prompts} == {
        "entrance-clear": Verdict.IMPROVED, "letters-plain": Verdict.NOT_REVISITED}
    assert len(result.photo_pairs) == 1 and [v.note for v in result.voices_after] == ["Clear now"]


def test_an_unknown_id_is_a_not_found_naming_it(db, test_lens) -> None:
    march = _walk(db, test_lens, "Orkney", 1)
    with pytest.raises(NotFound) as info:
        comparison.compare_walkthroughs(db, march, "no-such-walk")
    assert info.value.kind == "walkthrough" and info.value.ident == "no-such-walk"
    with pytest.raises(NotFound):
        comparison.earlier_walkthroughs(db, "no-such-walk")


def test_earlier_walks_of_the_same_service_come_first_newest_first_and_later_ones_never(db, test_lens) -> None:
    other = _walk(db, test_lens, "Shetland", 10)
    first, second = _walk(db, test_lens, "Orkney ", 1), _walk(db, test_lens, "orkney", 5)
    later, this = _walk(db, test_lens, "Orkney", 28), _walk(db, test_lens, "Orkney", 20)
    assert [w.id for w in comparison.earlier_walkthroughs(db, this)] == [second, first, other]
    assert later not in [w.id for w in comparison.earlier_walkthroughs(db, this)]  # compared from the later walk


def test_load_contents_reads_the_same_observations_as_list_observations(db, test_lens) -> None:
    wid = _walk(db, test_lens, "Orkney", 1)
    observations.add_observation(db, wid, NewObservation("letters", "working-well", "letters-plain"))
    observations.add_observation(db, wid, NewObservation(
        "entrance", None, None, principle_ids=("trust", "choice"), note="Free-standing",
        photos=(prepare_photo(_jpeg(), "a.jpg"), prepare_photo(_jpeg(), "b.jpg"))))
    observations.add_observation(db, wid, NewObservation("entrance", "could-be-better", "entrance-welcome"))
    contents = walkthroughs.load_contents(db, wid)
    assert list(contents.observations) == observations.list_observations(db, wid)
    assert [o.area_id for o in contents.observations] == ["entrance", "entrance", "letters"]
    assert [p.original_name for p in contents.observations[1].photos] == ["a.jpg", "b.jpg"]
