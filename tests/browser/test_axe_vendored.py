"""The committed axe-core is the version package-lock.json pins, with its licence beside it."""

import json
import re
from pathlib import Path

from tests.browser.axe import AXE

ROOT = Path(__file__).resolve().parents[2]


def test_the_vendored_axe_is_the_locked_version():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    locked = lock["packages"]["node_modules/axe-core"]["version"]
    assert json.loads((ROOT / "package.json").read_text())["devDependencies"]["axe-core"] == locked
    header = AXE.read_text(encoding="utf-8")[:200]
    assert re.search(r"axe v(\S+)", header).group(1) == locked
    assert "Mozilla Public" in (AXE.parent / "LICENSE").read_text()
