"""govern where CI runs it: `--path-prefix` for a workspace in a folder of its repository,
the pre-commit hooks (.pre-commit-hooks.yaml) and the composite GitHub Action (action.yml).

The hooks and the Action are run the way pre-commit and the Actions runner would run
them: their own command lines, taken from the files, on examples/acme and the real OPA."""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from governance.report import RenderOptions
from tests.conftest import AS_OF, EXAMPLE, check, govern
from tests.reports_support import saved

# ---------------------------------------------------------------- --path-prefix


@pytest.mark.parametrize(("given", "normalised"), [
    ("", ""), (".", ""), ("./", ""), ("governance", "governance"), ("./governance/acme/", "governance/acme"),
    ("governance//acme", "governance/acme"), ("a/./b", "a/b"), ("团队/治理", "团队/治理"), ("with space/x", "with space/x"),
])
def test_a_prefix_is_a_clean_relative_folder(given, normalised):
    assert RenderOptions(path_prefix=given).path_prefix == normalised


@pytest.mark.parametrize(("given", "why"), [
    ("/srv/repo/governance", "absolute"), ("C:/repo", "absolute"), ("../elsewhere", "leaves the repository"),
    ("governance/../../x", "leaves the repository"), ("governance\\acme", "write folders with /"),
    ("gov\nerror", "control character"),
])
def test_a_prefix_outside_the_repository_is_refused(given, why):
    with pytest.raises(ValueError, match=re.escape(why)):
        RenderOptions(path_prefix=given)


def repository_paths(folder: Path) -> dict[str, list[str]]:
    """Every path the CI-facing reports in `folder` name: SARIF uris, annotation files, JUnit testcase files."""
    log = json.loads((folder / "g.sarif").read_text(encoding="utf-8"))
    run = log["runs"][0]
    sarif = [a["location"]["uri"] for a in run["artifacts"]]
    sarif += [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    github = re.findall(r"file=([^,]*),", (folder / "g.txt").read_text(encoding="utf-8"))
    junit = [c.get("file") for c in ET.parse(folder / "g.xml").iter("testcase") if c.get("file")]
    return {"sarif": sarif, "github": github, "junit": junit, "automation": [run["automationDetails"]["id"]]}


def ci_formats(folder: Path) -> list[str]:
    return ["--format", f"sarif={folder / 'g.sarif'}", "--format", f"github={folder / 'g.txt'}",
            "--format", f"junit={folder / 'g.xml'}"]


def test_check_with_a_prefix_points_every_ci_report_at_files_of_the_repository(tmp_path):
    """The workspace is a folder of the repository: annotations land only if each path is from the repository root."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo / "governance" / "acme")
    out = tmp_path / "out"
    proc = check(repo / "governance" / "acme", "--path-prefix", "governance/acme", *ci_formats(out))
    assert proc.returncode == 1, proc.stderr  # acme breaks rules on purpose
    paths = repository_paths(out)
    assert paths["automation"] == ["govern/governance/acme/"]
    for kind in ("sarif", "github", "junit"):
        assert paths[kind], kind
        for path in paths[kind]:
            assert path.startswith("governance/acme/") and (repo / path).is_file(), (kind, path)


def test_report_takes_the_prefix_from_the_environment_and_the_command_line_wins(tmp_path):
    result = saved("acme", tmp_path)
    env = {**os.environ, "GOVERN_PATH_PREFIX": "from/env"}
    assert govern("report", str(result), *ci_formats(tmp_path / "env"), env=env).returncode == 0
    assert govern("report", str(result), *ci_formats(tmp_path / "cli"), "--path-prefix", "./from/cli/", env=env).returncode == 0
    unset = {k: v for k, v in os.environ.items() if k != "GOVERN_PATH_PREFIX"}
    assert govern("report", str(result), *ci_formats(tmp_path / "none"), env=unset).returncode == 0
    for folder, lead in (("env", "from/env/"), ("cli", "from/cli/"), ("none", "")):
        paths = repository_paths(tmp_path / folder)
        assert paths["automation"] == [f"govern/{lead}"]
        for kind in ("sarif", "github", "junit"):
            assert paths[kind] and all(p.startswith(lead) and not p.startswith(f"{lead}/") for p in paths[kind]), (folder, kind)
        if lead:
            assert {p.removeprefix(lead) for p in paths["sarif"]} == set(repository_paths(tmp_path / "none")["sarif"])


@pytest.mark.parametrize("prefix", ["/abs/governance", "../up", "governance\\acme"])
def test_a_bad_prefix_is_a_usage_error_before_anything_is_written(tmp_path, prefix):
    result = saved("acme", tmp_path)
    for args, env in ((["--path-prefix", prefix], None), ([], {**os.environ, "GOVERN_PATH_PREFIX": prefix})):
        proc = govern("report", str(result), *ci_formats(tmp_path / "out"), *args, env=env)
        assert proc.returncode == 2 and "--path-prefix" in proc.stderr and "Traceback" not in proc.stderr
        assert not (tmp_path / "out").exists()
    proc = govern("check", str(EXAMPLE), "--as-of", AS_OF, "--path-prefix", prefix, *ci_formats(tmp_path / "out"))
    assert proc.returncode == 2 and "--path-prefix" in proc.stderr and not (tmp_path / "out").exists()
