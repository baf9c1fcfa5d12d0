"""docs/ODD.md parameter table is generated from the schemas; bnpl-stress-validate passes."""

import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from simulator.apps.odd import BEGIN, END, SOURCE_FILES, parameter_tables, yaml_comments
from simulator.config import Config

ROOT = Path(__file__).resolve().parents[1]


def test_odd_parameter_table_is_up_to_date():
    text = (ROOT / "docs" / "ODD.md").read_text()
    section = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert section == parameter_tables().strip(), "run: python -m simulator.apps.odd"


def test_odd_table_lists_every_parameter_with_unit_or_source():
    table = parameter_tables()
    for group in ("population", "platform", "economy", "run"):
        for f in fields(getattr(Config(), group)):
            assert f"| `{f.name}` |" in table, f"{group}.{f.name} missing from the ODD table"
    # every population and platform number has a unit/source comment in its default YAML
    for group in ("population", "platform"):
        comments = yaml_comments(SOURCE_FILES[group])
        for f in fields(getattr(Config(), group)):
            if f.name != "name":
                assert comments.get(f.name), f"{group}.{f.name}: no comment in conf/{SOURCE_FILES[group]}"


@pytest.mark.slow
def test_validate_command_prints_its_table_and_passes(tmp_path):
    md = tmp_path / "validation.md"
    proc = subprocess.run([sys.executable, "-m", "simulator.apps.validate_cli", "--markdown", str(md)],
                          capture_output=True, text=True, timeout=1500)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "FAIL" not in proc.stdout
    text = md.read_text()
    assert "| check | expected | model | result |" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| check |")]
    # 7 limit checks + 4 unemployment paths + the seasoned start + 4 calibration targets + 5
    # score-ranking checks + the stationary baseline's 10 ratios (8 banded, 2 reported)
    assert len(rows) == 31, rows
    assert all(row.endswith("| pass |") for row in rows), rows
