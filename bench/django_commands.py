"""Run the project's manage.py for the bench scripts, with the bench's environment, and
describe the machine the figures come from."""

import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv/bin/python")


def manage(env: dict, *args: str) -> None:
    """Run ``manage.py args``; stop the bench with its output if it fails."""
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")


def shell(env: dict, code: str) -> str:
    """Run ``code`` in ``manage.py shell``; stop the bench with its output if it fails."""
    done = subprocess.run(
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(done.stdout + done.stderr[-3000:])
    return done.stdout


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def machine(database_url: str) -> str:
    """Cores, processor, PostgreSQL and Python: what a figure in RESULTS.md was made on."""
    import psycopg

    cpu = cpu_name()
    with psycopg.connect(database_url) as conn:
        server = conn.execute("SHOW server_version").fetchone()[0]
    python = platform.python_version()
    return f"{os.cpu_count()} cores ({cpu}), PostgreSQL {server}, Python {python}"
