"""The warm-up imports a later step's modules on its own thread, and a failure there is silent."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from orchestration.warmup import GX_MODULES, warm_imports


def test_the_modules_are_imported_on_the_warm_up_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "warm_probe.py").write_text(
        "import threading\nIMPORTED_ON = threading.current_thread().name\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "warm_probe", raising=False)
    thread = warm_imports(("warm_probe",))
    thread.join(timeout=60)
    assert not thread.is_alive()
    module = sys.modules["warm_probe"]
    assert module.IMPORTED_ON == thread.name != threading.main_thread().name


def test_a_module_that_fails_to_import_is_left_to_the_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "warm_broken.py").write_text("raise RuntimeError('broken')\n", encoding="utf-8")
    (tmp_path / "warm_after.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    thread = warm_imports(("warm_broken", "warm_after"))
    thread.join(timeout=60)
    assert "warm_broken" not in sys.modules  # the step's own import raises the error
    with pytest.raises(RuntimeError, match="broken"):
        __import__("warm_broken")


def test_the_gx_steps_entry_module_is_the_one_warmed() -> None:
    """The module warmed is the one the GX assets import (orchestration/assets/validation.py)."""
    source = (Path(__file__).parents[2] / "orchestration/assets/validation.py").read_text()
    assert all(f"from {name} import" in source for name in GX_MODULES)
