"""Photos for a report: fetched once each, in order; shrunk to print size, or placed as they are when small enough."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

from PIL import Image

from tests.unit.report_fixtures import PhotoStore, jpeg
from walkthrough.report.document_blocks import PhotoRef
from walkthrough.report.photo_queue import PhotoQueue, frame_size, prepare_photo
from walkthrough.report.photo_size import stored_size

BOX = (80 / 25.4 * 72, 70 / 25.4 * 72)  # 8 cm x 7 cm in points, as the reports place photos


def test_a_photo_already_at_print_size_is_placed_as_it_is_and_a_larger_one_shrunk() -> None:
    small = jpeg(400, 300)
    placed, width, height = prepare_photo(small, *BOX)
    assert placed is small and round(width) == 227 and round(height) == 170
    big = jpeg(2048, 1536)
    placed, width, height = prepare_photo(big, *BOX)
    assert placed != big and Image.open(io.BytesIO(placed)).size[0] <= 540
    assert (round(width), round(height)) == (227, 170)


def test_a_damaged_photo_is_none_even_when_its_header_reads() -> None:
    small = jpeg(400, 300)
    assert prepare_photo(small[: len(small) // 2], *BOX) is None
    assert prepare_photo(b"not a jpeg", *BOX) is None


def test_each_photo_is_fetched_once_in_order() -> None:
    store = PhotoStore()
    records = [store.add("o1", 300 + 10 * i, 200) for i in range(9)]
    refs = [PhotoRef(number=i + 1, photo=r, caption=(), alt=f"Photo {i + 1}") for i, r in enumerate(records)]
    with ThreadPoolExecutor(max_workers=2) as executor:
        queue = PhotoQueue(refs, store, executor, BOX)
        sizes = [Image.open(io.BytesIO(queue.take(i)[0])).size for i in range(len(refs))]
    assert store.fetches == [r.id for r in records]
    assert sizes == [store.sizes[r.id] for r in records]


def test_the_frame_header_gives_the_size_pillow_reads_or_none() -> None:
    for width, height in ((400, 300), (300, 400), (2048, 1536), (1, 1)):
        data = jpeg(width, height)
        assert frame_size(data) == stored_size(data) == (width, height)
    progressive = io.BytesIO()
    Image.new("RGB", (640, 480), "grey").save(progressive, "JPEG", progressive=True)
    assert frame_size(progressive.getvalue()) == (640, 480)
    for bad in (b"", b"\xff\xd8", b"\xff\xd8\xff\xe0\x00\xff", b"not a jpeg", jpeg(40, 30)[:20]):
        assert frame_size(bad) is None
