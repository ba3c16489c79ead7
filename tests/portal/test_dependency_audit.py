"""The dependency audit never says "all clear" when it could not check."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_an_unreachable_vulnerability_database_fails_loudly():
    # A proxy that answers nothing: the same as this machine's lack of network, and
    # deterministic on a machine that has one.
    env = {
        **os.environ,
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "VENV_BIN": str(Path(sys.executable).parent),
    }
    result = subprocess.run(
        [str(ROOT / "bin" / "audit-dependencies")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 2, output[-2000:]
    assert "dependency audit NOT done" in output
    assert "Nothing was checked" in output
    assert "No known vulnerabilities found" not in output
