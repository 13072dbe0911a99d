"""The built wheel carries the dictionaries inside the package, and restore works from it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Build a non-editable wheel from this source tree and install it with --target."""
    work = tmp_path_factory.mktemp("wheel")
    wheels, target = work / "dist", work / "site"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(wheels), str(ROOT)]
    build = subprocess.run(
        [*pip_wheel, "--no-build-isolation"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if build.returncode != 0:
        # No build backend in this environment without isolation: let pip fetch hatchling itself.
        build = subprocess.run(
            pip_wheel,
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = wheels.glob("degarble-*.whl")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    return wheel, target


def test_wheel_contains_the_dictionaries(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n for n in names if n.startswith("degarble/dictionaries/") and n.endswith(".tsv"))
    expected = sorted(f"degarble/dictionaries/{p.name}" for p in (ROOT / "dictionaries").glob("*.tsv"))
    assert shipped == expected
    assert "degarble/dictionaries/README.md" in names


def test_installed_package_reads_its_own_dictionaries(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, target = installed
    (tmp_path / "mine.tsv").write_text("law requirement\tlaw enforcement\n")
    script = textwrap.dedent(
        """
        import json, sys
        import degarble
        from degarble.dictionary import builtin_dictionary_paths
        from degarble.restorer import Restorer
        paths = builtin_dictionary_paths()
        restorer = Restorer(extra_dictionaries=[sys.argv[1]])
        print(json.dumps({
            "module": degarble.__file__,
            "paths": [str(p) for p in paths],
            "folder": str(paths[0].parent) if paths else None,
            "restored": restorer.restore("The law requirement agencies."),
            "builtin_entries": len(Restorer().entries),
        }))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "mine.tsv")],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # not the source tree, so nothing can fall back to it
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    import json

    found = json.loads(proc.stdout)
    package = (target / "degarble").resolve()
    assert Path(found["module"]).resolve().parent == package
    assert len(found["paths"]) == len(list((ROOT / "dictionaries").glob("*.tsv")))
    for path in found["paths"]:
        assert Path(path).resolve().is_relative_to(package), path
    assert found["restored"] == "The law enforcement agencies."
    if found["paths"]:
        assert found["builtin_entries"] > 0
