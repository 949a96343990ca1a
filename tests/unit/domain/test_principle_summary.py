"""The summary by principle: one rule for the Review page and the report."""

from __future__ import annotations

from dataclasses import dataclass

from walkthrough.domain.not_rated import NOT_RATED_KEY
from walkthrough.domain.principle_summary import NO_PRINCIPLE, summarise_by_principle
from walkthrough.services.lens_catalog import load_catalog


@dataclass(frozen=True)
class Obs:
    rating_id: str | None
    principle_ids: tuple[str, ...]


LENS = load_catalog().get("general").lens


def test_an_observation_counts_once_under_each_of_its_principles() -> None:
    summary = summarise_by_principle(LENS, [Obs("working-well", ("safety", "trust", "safety"))])
    assert summary.count("safety", "working-well") == 1 and summary.count("trust", "working-well") == 1
    assert summary.count("choice") == 0
    assert [pid for pid, _name in summary.rows] == [p.id for p in LENS.principles]  # no "No principle" row


def test_untagged_and_not_rated_observations_have_their_own_row_and_column() -> None:
    summary = summarise_by_principle(LENS, [Obs(None, ()), Obs("could-be-better", ()), Obs(None, ("trust",))])
    assert summary.rows[-1] == (NO_PRINCIPLE, "No principle")
    assert summary.columns == (*(r.id for r in LENS.ratings), NOT_RATED_KEY)
    assert summary.count(NO_PRINCIPLE) == 2 and summary.count(NO_PRINCIPLE, NOT_RATED_KEY) == 1
    assert summary.count("trust", NOT_RATED_KEY) == 1 and summary.any_not_rated
    assert summary.as_dict() == {
        ("trust", NOT_RATED_KEY): 1, (NO_PRINCIPLE, "could-be-better"): 1, (NO_PRINCIPLE, NOT_RATED_KEY): 1}


def test_ids_the_lens_does_not_know_get_a_row_or_column_named_by_the_id() -> None:
    summary = summarise_by_principle(LENS, [Obs("retired-rating", ("old-principle",))])
    assert summary.rows[len(LENS.principles)] == ("old-principle", "old-principle")
    assert summary.columns[-2:] == ("retired-rating", NOT_RATED_KEY)
    assert summary.count("old-principle", "retired-rating") == 1 and not summary.any_not_rated
