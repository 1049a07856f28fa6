"""``deploy/compose.scale.yml`` says what the README's "Scaling out" says (read as text: no YAML
parser is a dependency): PostgreSQL, nirn-proxy, and two bot processes with one shard each."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_scale_out_compose_file_runs_two_shards_on_postgresql_behind_nirn_proxy() -> None:
    """Every bot process gets the same SHARD_COUNT, its own SHARD_IDS, PostgreSQL and the proxy."""
    text = (ROOT / "deploy" / "compose.scale.yml").read_text()
    assert re.search(r"^  postgres:\n    image: postgres:", text, re.M)
    assert re.search(r"^  nirn-proxy:\n    image: ghcr.io/germanoeich/nirn-proxy", text, re.M)
    assert "DATABASE_URL: postgresql://imagebot:${POSTGRES_PASSWORD}@postgres:5432/imagebot" in text
    assert "DISCORD_API_BASE_URL: http://nirn-proxy:8080/api/v10" in text
    assert re.findall(r'SHARD_IDS: "(\d+)"', text) == ["0", "1"]
    assert re.findall(r'SHARD_COUNT: "(\d+)"', text) == ["2"]  # one anchor, shared by both processes
    assert "<<: *bot" in text and "<<: *bot-env" in text
    readme = (ROOT / "README.md").read_text()
    assert "deploy/compose.scale.yml" in readme and "## Scaling out" in readme
