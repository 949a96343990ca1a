"""The sample walkthrough's HTML report in a real browser: axe-core in headless Chromium finds no violation.

Chromium is Debian's ``chromium`` package (``/usr/bin/chromium``); axe-core is
the npm package, installed by ``npm ci`` in ``tests/a11y`` (``.ci/run`` does
both).  Without either the test is skipped, saying which is missing.

How it runs, with no Python package beyond the standard library: the report
is copied with axe.min.js and a few lines that run it inlined before
``</body>``; the copy leaves out the report's Content-Security-Policy line
(which forbids every script, axe's too) and nothing else.  Chromium opens the
copy from a file, ``--dump-dom`` prints the page once axe has written its
results into it as JSON, and every host name resolves to nothing, so the
browser reaches no network.  The run is bounded (``_TIMEOUT``).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from walkthrough.cli import main
from walkthrough.report.html_writer import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.slow

AXE = PROJECT_ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
_TIMEOUT = 180
_RESULTS = re.compile(r'<pre id="axe-results">(.*?)</pre>', re.S)
#: Rules that must have run and passed on the report, so a page axe could not see is not taken as clean.
_MUST_PASS = {"document-title", "html-has-lang", "html-lang-valid", "image-alt", "color-contrast",
              "heading-order", "landmark-one-main", "page-has-heading-one", "region", "th-has-data-cells",
              "td-headers-attr", "svg-img-alt", "list", "listitem", "link-name", "duplicate-id-aria"}

_RUNNER = """<script>
(function () {
  function done(result) {
    var pre = document.createElement('pre');
    pre.id = 'axe-results';
    pre.textContent = JSON.stringify(result);
    document.body.appendChild(pre);
  }
  axe.run(document, {resultTypes: ['violations', 'passes']}).then(function (r) {
    done({version: axe.version,
          violations: r.violations.map(function (v) {
            return {id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(function (n) { return n.target.join(' '); })};
          }),
          passes: r.passes.map(function (p) { return p.id; }),
          incomplete: r.incomplete.map(function (p) { return p.id; })});
  }, function (e) { done({error: String(e)}); });
})();
</script>"""


def _chromium() -> str | None:
    return os.environ.get("WALKTHROUGH_CHROMIUM") or shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def _with_axe(page: str) -> str:
    policy = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
    assert page.count(policy) == 1
    axe = AXE.read_text(encoding="utf-8").replace("</script", "<\\/script")
    return page.replace(policy, "", 1).replace("</body>", f"<script>{axe}</script>\n{_RUNNER}\n</body>", 1)


def _run_axe(chromium: str, page: Path, profile: Path) -> dict:
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio",
        "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}",
        "--virtual-time-budget=60000", "--dump-dom", page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT,
                          env={**os.environ, "HOME": str(profile)})
    found = _RESULTS.search(done.stdout)
    assert found, f"axe wrote no results (exit {done.returncode}): {done.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))


def test_the_sample_reports_html_has_no_axe_violations_in_headless_chromium(
    sample_database: tuple[Path, str], tmp_path: Path
) -> None:
    chromium = _chromium()
    if chromium is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE} is missing: run `npm ci` in tests/a11y)")
    db_path, walkthrough_id = sample_database
    report = tmp_path / "sample.html"
    assert main(["--db", str(db_path), "report", walkthrough_id, "-o", str(report)]) == 0
    checked = tmp_path / "sample-with-axe.html"
    checked.write_text(_with_axe(report.read_text(encoding="utf-8")), encoding="utf-8")

    result = _run_axe(chromium, checked, tmp_path / "chromium-profile")

    assert "error" not in result, result
    violations = [f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}" for v in result["violations"]]
    assert violations == []
    assert _MUST_PASS <= set(result["passes"]), f"not checked: {sorted(_MUST_PASS - set(result['passes']))}"
