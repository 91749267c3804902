"""CI: `pip install .` gives a complete Pressdesk that runs outside the checkout.

1. Builds the wheel from a copy of the checkout's files (tracked and new, not ignored), so a
   stale build/ or an untracked file cannot make it pass.
2. The wheel holds exactly the files of pressdesk/ and enquiries/ (modules, templates, static
   files, the compiled catalogue; not the .po source) and nothing from tests/, bench/ or docs/.
3. Installs it with the pinned requirements into a fresh virtual environment and, from an empty
   directory with none of this process's configuration, runs `pressdesk check --deploy`,
   `migrate` and `collectstatic` on the laptop default with production settings, then renders
   pages through the whole middleware stack: Bokmål from the catalogue, templates of both
   packages, the collected CSS served by whitenoise. The SQLite file and the collected static
   files must land in the default VAR_DIR for an installed wheel, $XDG_DATA_HOME/pressdesk.

Run with the project's interpreter: `.venv/bin/python .ci/check_wheel.py`.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pressdesk", "enquiries")
MUST_HOLD = {  # a few by name, so an empty checkout cannot pass the comparison
    "pressdesk/templates/base.html",
    "pressdesk/templates/account/login.html",
    "pressdesk/static/pressdesk/site.css",
    "pressdesk/static/vendor/bootstrap/bootstrap.min.css",
    "enquiries/templates/enquiries/public/press_page.html",
    "enquiries/locale/nb/LC_MESSAGES/django.mo",
}

# Runs inside the installed environment, from the empty directory.
RENDER = r"""
import re, sys
from pathlib import Path

import django
import pressdesk

assert Path(pressdesk.__file__).is_relative_to(sys.prefix), f"imported {pressdesk.__file__}"
django.setup()
from django.test import Client

client = Client(headers={"host": "localhost"})


def page(path, *texts):
    response = client.get(path, secure=True)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    chunks = response.streaming_content if response.streaming else [response.content]
    body = b"".join(chunks).decode()
    for text in texts:
        assert text in body, f"{path} lacks {text!r}"
    return body


press = page("/", "Journalister når pressevakten", "Hopp til innholdet")  # catalogue, base.html
page("/enquiry/", 'name="topic"')
page("/accounts/login/", "Logg inn på pressevakten")  # pressdesk/templates/account
sheets = re.findall(r'href="(/static/[^"]+\.css)"', press)
assert any("/pressdesk/site." in s for s in sheets), sheets  # hashed names: the manifest
for sheet in sheets:
    page(sheet)
print("rendered /, /enquiry/, /accounts/login/ and", len(sheets), "stylesheets")
"""


def run(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        command = " ".join(str(a) if len(str(a)) < 80 else "…" for a in args)
        sys.exit(f"FAILED: {command}\n{result.stdout}{result.stderr}")
    return result.stdout


def copy_checkout(to: Path) -> None:
    listed = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the work tree is left out
            (to / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, to / name)


def expected_files(src: Path) -> set[str]:
    return {
        path.relative_to(src).as_posix()
        for package in PACKAGES
        for path in (src / package).rglob("*")
        if path.is_file() and path.suffix != ".po"
    }


def check_contents(wheel: Path, src: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        held = {n for n in archive.namelist() if ".dist-info/" not in n and not n.endswith("/")}
    expected = expected_files(src)
    missing, extra = sorted((expected | MUST_HOLD) - held), sorted(held - expected)
    if missing or extra:
        sys.exit(f"FAILED: {wheel.name}\nmissing: {missing}\nunexpected: {extra}")
    print(f"{wheel.name}: {len(held)} files, as in pressdesk/ and enquiries/")


def installed_env(tmp: Path) -> dict[str, str]:
    """Production settings and nothing of this process's configuration (CI exports some)."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    return env | {
        "DJANGO_SETTINGS_MODULE": "pressdesk.settings",
        "SECRET_KEY": "ci-wheel-check-" + "only-not-secret" * 4,
        "XDG_DATA_HOME": str(tmp / "data"),
        "EMAIL_URL": "smtp://127.0.0.1:25",  # check --deploy refuses the console backend
    }


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="pressdesk-wheel-"))
    try:
        src, dist, venv, work = tmp / "src", tmp / "dist", tmp / "venv", tmp / "work"
        work.mkdir()
        copy_checkout(src)
        run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, src)
        (wheel,) = dist.glob("pressdesk-*.whl")
        check_contents(wheel, src)

        run(sys.executable, "-m", "venv", venv)
        run(
            venv / "bin/python", "-m", "pip", "install", "-q", "-r", src / "requirements.txt", wheel
        )
        env = installed_env(tmp)
        pressdesk = venv / "bin/pressdesk"
        print(run(pressdesk, "check", "--deploy", cwd=work, env=env).strip())
        run(pressdesk, "migrate", "--no-input", "-v0", cwd=work, env=env)
        run(pressdesk, "collectstatic", "--no-input", "-v0", cwd=work, env=env)
        var = tmp / "data" / "pressdesk"
        for made in (var / "pressdesk.sqlite3", var / "static" / "staticfiles.json"):
            if not made.is_file():
                sys.exit(f"FAILED: {made} was not written (VAR_DIR default)")
        if any(work.iterdir()):
            sys.exit(f"FAILED: wrote into the working directory: {list(work.iterdir())}")
        print(run(venv / "bin/python", "-c", RENDER, cwd=work, env=env).strip())
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
