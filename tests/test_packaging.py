"""A non-editable install ships the top-level templates/ inside the package and finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_every_builtin_template_and_renders_from_it(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
         "-q", "-w", str(tmp_path / "dist")],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    wheel = next((tmp_path / "dist").glob("netvault-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(site)
    for template in (ROOT / "templates").iterdir():
        assert f"netvault/templates/{template.name}" in names
    probe = (
        "from netvault.render import builtin_templates, render;"
        "print(builtin_templates());"
        "print(render('contact.md.j2', None, name='Ada', aliases=[], tags=[], tie=2,"
        " first_met=None, last_met=None, met_in_person=False, company=None, role=None,"
        " location=None, email=None, phone=None, links=[], extra={}, note=None, log=[]))"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {probe}"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert out.splitlines()[0] == str(site / "netvault" / "templates")
    assert "name: Ada\n" in out and "tie: 2\n" in out
