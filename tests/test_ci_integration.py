"""govern where CI runs it: `--path-prefix` for a workspace in a folder of its repository,
the pre-commit hooks (.pre-commit-hooks.yaml) and the composite GitHub Action (action.yml).

The hooks and the Action are run the way pre-commit and the Actions runner would run
them: their own command lines, taken from the files, on examples/acme and the real OPA."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from ruamel.yaml import YAML

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


# ---------------------------------------------------------------- running things the way CI tools do

REPO = EXAMPLE.parents[1]
BIN = Path(sys.executable).parent  # where this environment's `govern` console script is


def yaml_file(name: str):
    return YAML(typ="safe").load((REPO / name).read_text(encoding="utf-8"))


def repository_with_workspace(root: Path, folder: str = "") -> Path:
    """A repository checkout holding a copy of examples/acme at `folder` (its root when empty)."""
    shutil.copytree(EXAMPLE, root / folder if folder else root)
    return root


def ci_env(**extra: str) -> dict[str, str]:
    """The environment a CI tool gives a command: ours (GOVERN_OPA included), its bin folder first on PATH."""
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **extra}


# ---------------------------------------------------------------- .pre-commit-hooks.yaml

# the keys pre-commit's manifest schema knows (pre_commit/clientlib.py, MANIFEST_HOOK_DICT)
HOOK_KEYS = {"id", "name", "entry", "language", "alias", "files", "exclude", "types", "types_or", "exclude_types",
             "additional_dependencies", "args", "always_run", "fail_fast", "pass_filenames", "description",
             "language_version", "log_file", "minimum_pre_commit_version", "require_serial", "stages", "verbose"}


def hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in yaml_file(".pre-commit-hooks.yaml")}


def test_the_hooks_file_declares_both_hooks_as_pre_commit_reads_them():
    found = hooks()
    assert set(found) == {"govern-validate", "govern-check"}
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    for hook in found.values():
        assert set(hook) <= HOOK_KEYS, set(hook) - HOOK_KEYS
        assert {"id", "name", "entry", "language"} <= set(hook)
        # pre-commit pip-installs this repository into the hook's virtualenv, which then has the console script
        assert hook["language"] == "python" and shlex.split(hook["entry"])[0] in scripts
        assert hook["pass_filenames"] is False  # the whole workspace, never the staged files one by one
    assert found["govern-validate"]["entry"] == "govern validate" and found["govern-check"]["entry"] == "govern check"


def test_the_hooks_run_on_a_change_to_any_workspace_file_and_not_on_others():
    workspace_files = [p.relative_to(EXAMPLE).as_posix() for p in EXAMPLE.rglob("*") if p.is_file()]
    assert len(workspace_files) > 10
    for hook in hooks().values():
        pattern = re.compile(hook["files"])  # pre-commit: re.search on the path from the repository root
        for path in workspace_files:
            assert pattern.search(path) and pattern.search(f"governance/acme/{path}"), path
        for other in ("README.md", "src/app.py", "docs/logo.png", "Makefile"):
            assert not pattern.search(other), other


def run_hook(hook: dict, repo: Path, *args: str) -> subprocess.CompletedProcess:
    """As pre-commit runs a hook with pass_filenames false: its entry, then its args, no file names, from the repository root."""
    return subprocess.run([*shlex.split(hook["entry"]), *args], cwd=repo, env=ci_env(), capture_output=True, text=True,
                          timeout=300)


def test_each_hook_runs_on_a_workspace_at_the_repository_root(tmp_path):
    repo = repository_with_workspace(tmp_path / "repo")
    validate = run_hook(hooks()["govern-validate"], repo)
    assert validate.returncode == 0, validate.stderr
    checked = run_hook(hooks()["govern-check"], repo)
    assert checked.returncode == 1, checked.stderr  # examples/acme breaks rules on purpose: the commit is stopped
    assert "PLC-001" in checked.stdout


def test_a_hooks_args_name_the_workspace_and_options(tmp_path):
    repo = repository_with_workspace(tmp_path / "repo", "governance/acme")
    assert run_hook(hooks()["govern-validate"], repo).returncode == 2  # the root is no workspace
    checked = run_hook(hooks()["govern-check"], repo, "governance/acme", "--as-of", AS_OF, "--fail-on", "never")
    assert checked.returncode == 0, checked.stderr
    assert "PLC-001" in checked.stdout


# ---------------------------------------------------------------- action.yml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def action() -> dict:
    return yaml_file("action.yml")


def steps() -> list[dict]:
    return action()["runs"]["steps"]


def step(step_id: str) -> dict:
    return next(s for s in steps() if s.get("id") == step_id or s.get("name") == step_id)


def test_the_action_is_composite_and_every_input_is_used():
    spec = action()
    assert spec["runs"]["using"] == "composite" and spec["name"] and spec["description"]
    assert set(spec["inputs"]) == {"workspace", "formats", "fail-on", "baseline", "fail-on-new-only", "as-of",
                                   "path-prefix", "upload-sarif"}
    used = " ".join(json.dumps(s) for s in steps())
    for name in spec["inputs"]:
        assert re.search(rf"inputs\.{re.escape(name)}(?![\w-])", used), name
        assert spec["inputs"][name]["description"] and "default" in spec["inputs"][name]
    ids = {s["id"] for s in steps() if "id" in s}
    for text in [used] + [o["value"] for o in spec["outputs"].values()]:
        for ref in re.findall(r"steps\.([\w-]+)\.", text):
            assert ref in ids, ref


def test_the_actions_scripts_take_inputs_from_the_environment_only():
    """An expression written into a script is pasted in before bash reads it: an input could run as code."""
    for s in steps():
        if "run" in s:
            assert s["shell"] == "bash"
            assert not EXPRESSION.search(s["run"]), s["name"]
        else:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", s["uses"]), s["uses"]  # a published action, by major version


def test_the_actions_steps_use_files_of_this_repository():
    scripts = "\n".join(s["run"] for s in steps() if "run" in s)
    named = re.findall(r"\$GITHUB_ACTION_PATH/([\w./-]+)", scripts)
    assert "scripts/install-opa.sh" in named and "governance/engine/opa-version.txt" in named
    for path in named:
        assert (REPO / path).is_file(), path
    assert 'pip install --quiet "$GITHUB_ACTION_PATH"' in scripts and (REPO / "pyproject.toml").is_file()
    upload = next(s for s in steps() if "upload-sarif" in s.get("uses", ""))
    assert "inputs.upload-sarif == 'true'" in upload["if"]


def rendered_env(s: dict, context: dict[str, str]) -> dict[str, str]:
    """A step's `env:` with each ${{ … }} replaced as the runner would, from `context`."""
    return {key: EXPRESSION.sub(lambda m: context[m.group(1)], str(value)) for key, value in (s.get("env") or {}).items()}


def outputs_of(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if line)


def run_step(s: dict, repo: Path, runner: Path, context: dict[str, str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """A `run:` step as the runner runs it: `bash -e {0}`, in the job's working directory (the checkout)."""
    (runner / "output").write_text("", encoding="utf-8")
    script = runner / "step.sh"
    script.write_text(s["run"], encoding="utf-8")
    env = {**env, **rendered_env(s, context), "GITHUB_OUTPUT": str(runner / "output")}
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=repo, capture_output=True,
                          text=True, timeout=300, env=env)


def action_run(tmp_path: Path, **inputs: str) -> tuple[Path, Path, dict[str, str], subprocess.CompletedProcess, dict[str, str]]:
    """Install OPA and run `govern check` as the action's own steps do, on examples/acme in governance/acme of a
    checkout (govern itself as the install step leaves it: on PATH). Returns the checkout, the runner's
    temp folder, the context, the check step's run and outputs."""
    repo = repository_with_workspace(tmp_path / "repo", "governance/acme")
    runner = tmp_path / "runner"
    runner.mkdir()
    defaults = {name: str(spec["default"]) for name, spec in action()["inputs"].items()}
    context = {f"inputs.{k}": v for k, v in {**defaults, **inputs}.items()}
    env = ci_env(GITHUB_ACTION_PATH=str(REPO), GITHUB_WORKSPACE=str(repo), RUNNER_TEMP=str(runner),
                 GITHUB_ENV=str(runner / "env"))
    env.pop("GOVERN_OPA", None)  # the install step must find it
    installed = run_step(step("Install OPA"), repo, runner, context, env)
    assert installed.returncode == 0, installed.stderr
    env.update(outputs_of(runner / "env"))
    assert env["GOVERN_OPA"] and Path(env["GOVERN_OPA"]).is_file()
    ran = run_step(step("check"), repo, runner, context, env)
    assert ran.returncode == 0, ran.stderr  # the step records the verdict; the last step gives it
    return repo, runner, context, ran, outputs_of(runner / "output")


def test_the_actions_check_step_is_a_govern_check_whose_reports_land_in_the_repository(tmp_path):
    repo, runner, context, ran, outputs = action_run(
        tmp_path, workspace="governance/acme", formats="github\njunit=reports/govern.xml", **{"as-of": AS_OF})
    assert outputs["exit-code"] == "1", ran.stderr  # findings at or above the default fail-on, low
    annotations = re.findall(r"^::(?:error|warning|notice) file=([^,]*),", ran.stdout, flags=re.M)
    assert annotations and all((repo / path).is_file() for path in annotations)  # the prefix came from `workspace`
    assert all(path.startswith("governance/acme/") for path in annotations)
    assert ET.parse(repo / "reports" / "govern.xml").getroot().get("failures") != "0"
    sarif = Path(outputs["sarif-file"])
    assert sarif.is_file() and sarif.is_relative_to(runner)
    log = json.loads(sarif.read_text(encoding="utf-8"))
    assert log["runs"][0]["automationDetails"] == {"id": "govern/governance/acme/"}
    assert log["runs"][0]["properties"]["asOf"] == AS_OF
    verdict = step("Verdict")
    assert "exit-code != '0'" in verdict["if"]
    ended = run_step(verdict, repo, runner, {"steps.check.outputs.exit-code": outputs["exit-code"]}, ci_env())
    assert ended.returncode == 1


def test_the_actions_baseline_inputs_reach_govern(tmp_path):
    baseline = saved("acme", tmp_path)  # examples/acme's own result at AS_OF: nothing is new against it
    _, _, _, ran, outputs = action_run(tmp_path, workspace="governance/acme", formats="json=result.json",
                                       baseline=str(baseline), **{"fail-on-new-only": "true", "as-of": AS_OF,
                                                                  "fail-on": "info", "path-prefix": "ops/gov"})
    assert outputs["exit-code"] == "0", ran.stderr
    result = json.loads((tmp_path / "repo" / "result.json").read_text(encoding="utf-8"))
    assert result["findings"] and {f["baseline"] for f in result["findings"]} == {"existing"}
    assert result["fail_on"] == "info"
    log = json.loads(Path(outputs["sarif-file"]).read_text(encoding="utf-8"))
    assert log["runs"][0]["automationDetails"] == {"id": "govern/ops/gov/"}  # the input beats the workspace


def test_the_actions_check_step_reports_an_invalid_input_as_govern_does(tmp_path):
    _, _, _, ran, outputs = action_run(tmp_path, workspace="governance/acme", **{"fail-on": "sometimes"})
    assert outputs["exit-code"] == "2" and "sarif-file" not in outputs
    assert "--fail-on" in ran.stderr
