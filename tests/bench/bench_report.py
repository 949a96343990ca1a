"""Report: ``walkthrough report`` on 300 observations and 100 photos, against bare ReportLab, python-docx and HTML.

Ours is the real command in a child process (start-up, reading the database
and each photo's print rendition, made at intake, multi-pass layout for the
contents page and "page x of y").  The baseline (``baseline_report.py``)
lays out the same text in the same font with the same photos, which it gets
already scaled to their placed size, in one pass.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.bench import datasets
from tests.bench.harness import (
    BENCH_DIR,
    PROJECT_ROOT,
    PYTHON,
    WALKTHROUGH,
    Row,
    alternate,
    bench_env,
    fresh_dir,
    progress,
    run,
)


def _spec(db_path: Path, walkthrough_id: str, folder: Path) -> Path:
    """The baseline's input: the report's text and its photos pre-scaled to their placed size."""
    from walkthrough.bundled import resources_dir
    from walkthrough.report.findings import NO_PRINCIPLE, gather_findings
    from walkthrough.report.photo_flowable import fit_size, shrink_jpeg
    from walkthrough.report.report_options import ReportOptions
    from walkthrough.report.styles import PHOTO_MAX_HEIGHT, PHOTO_MAX_WIDTH
    from walkthrough.report.wording import VOICE_WORDS
    from walkthrough.services.photos import photo_jpeg
    from walkthrough.services.walkthroughs import load_contents
    from walkthrough.storage.database import open_database

    fonts = resources_dir() / "fonts"
    with open_database(db_path) as db:
        contents = load_contents(db, walkthrough_id)
        findings = gather_findings(contents, ReportOptions())
        record = contents.walkthrough

        def brief(e) -> str:
            first = e.record.note.split(".")[0]
            return f"{e.ref} {e.area_title} — {e.prompt.question if e.prompt else 'Other observation'} — {first}."

        areas = []
        for area in findings.areas:
            groups = []
            for group in area.groups:
                entries = []
                for e in group.entries:
                    photos = []
                    for number, photo in zip(e.photo_numbers, e.record.photos):
                        width, height = fit_size(photo.width, photo.height, PHOTO_MAX_WIDTH, PHOTO_MAX_HEIGHT)
                        path = folder / f"photo-{number:03d}.jpg"
                        path.write_bytes(shrink_jpeg(photo_jpeg(db, photo.id), width, height))
                        photos.append({"path": str(path), "width": width, "height": height,
                                       "caption": f"Photo {number}. {photo.caption}".strip()})
                    entries.append({
                        "ref": e.ref,
                        "rating": f"{e.rating.symbol} {e.rating.label}",
                        "details": " · ".join(e.principle_names) + f" · Voice: {VOICE_WORDS[e.record.voice]}",
                        "notes": [p.strip() for p in e.record.note.split("\n\n") if p.strip()],
                        "photos": photos,
                    })
                groups.append({"question": group.prompt.question if group.prompt else "Other observations in this area",
                               "entries": entries})
            areas.append({"title": f"{area.number}. {area.title}", "groups": groups})

        principles = []
        for pid, name in findings.principle_rows:
            entries = (findings.entries_with_principle(pid) if pid != NO_PRINCIPLE
                       else [e for e in findings.entries if not e.record.principle_ids])
            principle = findings.lens.principle(pid)
            principles.append({
                "name": name, "meaning": principle.meaning if principle else "",
                "rows": [["Ref", "Area", "Rating", "Note"]] + [
                    [e.ref, e.area_title, f"{e.rating.symbol} {e.rating.label}", " ".join(e.record.note.split())[:120]]
                    for e in entries],
            })
        spec = {
            "fonts": {"DejaVu": str(fonts / "DejaVuSans.ttf"), "DejaVu-Bold": str(fonts / "DejaVuSans-Bold.ttf"),
                      "DejaVu-Oblique": str(fonts / "DejaVuSans-Oblique.ttf"),
                      "DejaVu-BoldOblique": str(fonts / "DejaVuSans-BoldOblique.ttf")},
            "title": "Trauma-informed walkthrough: findings",
            "service": record.service,
            "site": record.site,
            "cover": [f"Date of walkthrough: {record.visit_date}", f"Lens: {record.lens.title}",
                      "Facilitated by " + ", ".join(record.facilitators)],
            "summary": [["Principle", *(f"{r.symbol} {r.label}" for r in findings.ratings), "Total"]] + [
                [name, *(str(findings.counts.get((pid, r.id), 0)) for r in findings.ratings),
                 str(sum(findings.counts.get((pid, r.id), 0) for r in findings.ratings))]
                for pid, name in findings.principle_rows],
            "strengths": [brief(e) for e in findings.entries if e.rating.finding.value == "strength"],
            "concerns": [brief(e) for e in findings.entries if e.rating.finding.value == "priority-concern"],
            "areas": areas,
            "principles": principles,
            "actions": [{"name": g.name, "rows": [["Action", "Principles", "Owner", "Due", "Priority", "Status"]] + [
                [a.text, ", ".join(a.principle_ids), a.owner, str(a.due_date), a.priority.value, a.status.value]
                for a in g.actions]} for g in findings.action_groups],
            "appendix": [{"title": a.title, "rows": [["Prompt", "Principles"]] + [
                [p.question + (f" {p.guidance}" if p.guidance else ""), ", ".join(p.principles)] for p in a.prompts]}
                for a in findings.lens.areas],
        }
    path = folder / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def bench_report(rounds: int, work: Path) -> list[Row]:
    source, manifest = datasets.report_database()
    folder = fresh_dir(work, "report")
    db = datasets.copy_database(source, folder / "report.sqlite3")
    spec = _spec(db, manifest["walkthrough"], fresh_dir(folder, "prescaled"))
    env = bench_env(fresh_dir(folder, "home"))
    ours_pdf, base_pdf = folder / "ours.pdf", folder / "baseline.pdf"

    def ours():
        r = run([WALKTHROUGH, "--db", str(db), "report", manifest["walkthrough"], "-o", str(ours_pdf)], env=env)
        return r.seconds, r.peak_mb

    def baseline():
        r = run([PYTHON, str(BENCH_DIR / "baseline_report.py"), str(spec), str(base_pdf)], env=env)
        return r.seconds, r.peak_mb

    progress(f"report: {manifest['observations']} observations, {manifest['photos']} photos, "
             f"{manifest['actions']} actions")
    samples = alternate(rounds, {"ours": ours, "baseline": baseline}, label="report")
    ours_mb, base_mb = samples.peak("ours"), samples.peak("baseline")
    size_mb = ours_pdf.stat().st_size / 1e6
    base_size = base_pdf.stat().st_size / 1e6
    ratio = samples.median("ours") / samples.median("baseline")
    pages = _pages(ours_pdf), _pages(base_pdf)
    return [
        Row("report: 300 observations, 100 photos → PDF (`walkthrough report`)",
            samples.median("ours"), samples.median("baseline"), ours_mb, base_mb,
            target="ratio ≤ 1.5; < 400 MB; file < 25 MB",
            met=ratio <= 1.5 and (ours_mb or 0) < 400 and size_mb < 25,
            note=f"file {size_mb:.1f} MB, {pages[0]} pages (baseline {base_size:.1f} MB, {pages[1]} pages); "
                 f"photos from the corpus phone photo: {manifest['corpus_photos']}"),
    ]


def bench_report_docx(rounds: int, work: Path) -> list[Row]:
    """``walkthrough report --format docx`` against a bare python-docx script writing the same content."""
    source, manifest = datasets.report_database()
    folder = fresh_dir(work, "report-docx")
    db = datasets.copy_database(source, folder / "report.sqlite3")
    spec = _spec(db, manifest["walkthrough"], fresh_dir(folder, "prescaled"))
    env = bench_env(fresh_dir(folder, "home"))
    ours_docx, base_docx = folder / "ours.docx", folder / "baseline.docx"

    def ours():
        r = run([WALKTHROUGH, "--db", str(db), "report", manifest["walkthrough"], "-o", str(ours_docx)], env=env)
        return r.seconds, r.peak_mb

    def baseline():
        r = run([PYTHON, str(BENCH_DIR / "baseline_report_docx.py"), str(spec), str(base_docx)], env=env)
        return r.seconds, r.peak_mb

    progress(f"report (Word): {manifest['observations']} observations, {manifest['photos']} photos")
    samples = alternate(rounds, {"ours": ours, "baseline": baseline}, label="report-docx")
    ours_mb, base_mb = samples.peak("ours"), samples.peak("baseline")
    ratio = samples.median("ours") / samples.median("baseline")
    size_mb, base_size = ours_docx.stat().st_size / 1e6, base_docx.stat().st_size / 1e6
    return [
        Row("report: 300 observations, 100 photos → DOCX (`walkthrough report --format docx`)",
            samples.median("ours"), samples.median("baseline"), ours_mb, base_mb,
            target="ratio ≤ 1.5; < 400 MB; file < 25 MB",
            met=ratio <= 1.5 and (ours_mb or 0) < 400 and size_mb < 25,
            note=f"file {size_mb:.1f} MB (baseline {base_size:.1f} MB); ours embeds each photo's print rendition "
                 "(made at intake), the baseline gets them prescaled"),
    ]


def bench_report_html(rounds: int, work: Path) -> list[Row]:
    """The HTML report: its writing in one process against the standard library, then the whole command.

    The target row times the HTML writing (``report_html_worker.py``): the
    report's outline laid out as HTML against a bare standard-library writer
    of the same content, both given the text arranged and the photos at print
    size.  The next row adds the findings and the outline, which every format
    shares.  The last is the docx benchmark's measure, the real command in a
    child against a bare script given prescaled photos: it has no target, as
    the bare script takes tens of milliseconds and the command's time is
    start-up and the database.
    """
    import statistics

    source, manifest = datasets.report_database()
    folder = fresh_dir(work, "report-html")
    db = datasets.copy_database(source, folder / "report.sqlite3")
    spec = _spec(db, manifest["walkthrough"], fresh_dir(folder, "prescaled"))
    env = bench_env(fresh_dir(folder, "home"))
    ours_html, base_html = folder / "ours.html", folder / "baseline.html"

    inside_rounds = rounds * 6
    progress(f"report (HTML), in one process: {manifest['observations']} observations, {manifest['photos']} "
             f"photos, {inside_rounds} rounds a side")
    r = run([PYTHON, "-m", "tests.bench.report_html_worker", str(db), manifest["walkthrough"], str(spec),
             str(folder), str(inside_rounds)], env=env, cwd=PROJECT_ROOT)
    inside = json.loads(r.stdout.strip().splitlines()[-1])
    html, report, base = (statistics.median(inside[side]) for side in ("html", "report", "baseline"))
    sizes = inside["sizes_mb"]

    def ours():
        r = run([WALKTHROUGH, "--db", str(db), "report", manifest["walkthrough"], "-o", str(ours_html)], env=env)
        return r.seconds, r.peak_mb

    def baseline():
        r = run([PYTHON, str(BENCH_DIR / "baseline_report_html.py"), str(spec), str(base_html)], env=env)
        return r.seconds, r.peak_mb

    progress(f"report (HTML), the command: {manifest['observations']} observations, {manifest['photos']} photos")
    samples = alternate(rounds, {"ours": ours, "baseline": baseline}, label="report-html")
    ours_mb, base_mb = samples.peak("ours"), samples.peak("baseline")
    command_size = ours_html.stat().st_size / 1e6
    return [
        Row("report: 300 observations, 100 photos → HTML, the writing (`html_writer.write_outline`)",
            html, base, target="ratio ≤ 1.5; file < 25 MB", met=html / base <= 1.5 and sizes["html"] < 25,
            note=f"in one process, {inside_rounds} rounds a side in rotation after a warm-up, photos at print size "
                 f"in memory on both sides, each file written and flushed the same way; {sizes['html']:.1f} MB "
                 f"(baseline {sizes['baseline']:.1f} MB)"),
        Row("report: the same, findings, outline and atomic write included (`build_report`)",
            report, base, target="none (context)", met=None,
            note="the findings and the outline are shared by the PDF, the Word document and the HTML; "
                 "`atomic_output` adds a hidden file, a rename and flushing the folder"),
        Row("report: 300 observations, 100 photos → HTML (`walkthrough report -o FILE.html`)",
            samples.median("ours"), samples.median("baseline"), ours_mb, base_mb,
            target="none (context); < 400 MB; file < 25 MB", met=None,
            note=f"file {command_size:.1f} MB (baseline {base_html.stat().st_size / 1e6:.1f} MB); ours starts the "
                 "app's Python, reads the database and each photo's print rendition, the bare script gets "
                 "them prescaled"),
    ]
