"""Screenshot of an HTML screening report, for a person to look at.

Screens two small sample documents (one spun, one clean; a sample dictionary
plus the built-in ones), writes the report and takes a headless Chromium
screenshot of it, once as loaded and once with a finding selected (hover/select
shows the standard phrase).  Output goes to ``bench/out/`` (git-ignored).

Usage::

    python bench/screen_report_screenshot.py [--out bench/out]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from chromium import Browser, find_chromium, screenshot  # noqa: E402

SAMPLE_DICTIONARY = (
    "profound learning\tdeep learning\n"
    "counterfeit consciousness\tartificial intelligence\n"
    "irregular backwoods\trandom forest\n"
    "colossal information\tbig data\n"
    "bosom malignant growth\tbreast cancer\n"
)
SPUN = """Detection of bosom malignant growth with profound learning

Counterfeit consciousness is changing medical imaging. In this study we train a profound learning
model on colossal information gathered from three hospitals, and we compare it with an irregular
backwoods classifier built on hand-made features.

The profound learning model finds bosom malignant growth earlier than the baseline. <script>alert(1)</script>
"""
CLEAN = "Deep learning and random forests are both used in medical imaging.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit("chromium is not installed (apt-get install chromium)")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "sample-dictionary.tsv").write_text(SAMPLE_DICTIONARY, encoding="utf-8")
    (out / "spun-manuscript.txt").write_text(SPUN, encoding="utf-8")
    (out / "clean-manuscript.txt").write_text(CLEAN, encoding="utf-8")
    report = out / "report.html"
    subprocess.run(
        [sys.executable, "-m", "degarble.cli", "screen", "-q", "-d", str(out / "sample-dictionary.tsv"),
         str(out / "spun-manuscript.txt"), str(out / "clean-manuscript.txt"), "--report", str(report)],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    png = out / "report.png"
    screenshot(chromium, report, png)
    print(f"report: {report}\nscreenshot: {png}")
    with Browser(chromium) as browser:
        browser.open(report.as_uri())
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        browser.evaluate("document.querySelectorAll('mark.tp')[3].click()")
        data = browser.send("Page.captureScreenshot", {"format": "png"})["data"]
        import base64

        selected = out / "report-selected.png"
        selected.write_bytes(base64.b64decode(data))
        print(f"with a finding selected: {selected}; console errors: {browser.errors() or 'none'}")


if __name__ == "__main__":
    main()
