"""What ruff users type without thinking, through the real command line: stdin, --stdin-filename,
--output-file, --statistics, --quiet/--silent, colour, --show-settings, exclusion (--extend-exclude,
--force-exclude, .gitignore), the unsafe-fixes key, --add-noqa, lint --format markdown and ruff-json,
and the progress line."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "fixtures/notebooks/bilag5.ipynb"

MODEL = textwrap.dedent(
    """\
    from keras.layers import Conv2D, Dense, Flatten, Input
    from keras.models import Model

    inputs = Input(shape=(320, 320, 1))
    x = Conv2D(128, (2, 2), strides=(2, 2), padding="same")(inputs)
    outputs = Dense(100)(Flatten()(x))
    model = Model(inputs, outputs)
    """
)
FINDING = "KC201 Flatten→Dense head adds 327.7M params"
CLEAN = "import keras\nm = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])\n"


def run(*args: str, cwd: Path, stdin: str = None, env: dict = None) -> subprocess.CompletedProcess:
    full = dict(os.environ, PYTHONPATH=str(ROOT))
    for key in ("NO_COLOR", "FORCE_COLOR"):
        full.pop(key, None)
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "kerascount", *args], cwd=cwd, input=stdin, capture_output=True,
                          text=True, timeout=120, env=full)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n")
    return tmp_path


def git_init(path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=path, check=True)


# -- stdin -----------------------------------------------------------------------------------


def test_lint_dash_reads_stdin(project):
    r = run("lint", "-", cwd=project, stdin=MODEL)
    assert r.returncode == 1, r.stderr
    assert r.stdout.startswith(f"-:6:11: {FINDING}")
    assert r.stdout.endswith("Found 1 diagnostic (1 warning).\n")
    r = run("lint", "-", cwd=project, stdin=CLEAN)
    assert (r.returncode, r.stdout, r.stderr) == (0, "All checks passed!\n", "")
    r = run("summary", "-", cwd=project, stdin=MODEL)
    assert r.returncode == 0 and '-:7: `model` (functional)\nModel: "functional"' in r.stdout
    assert " Total params: 327,680,740 (1.22 GB)" in r.stdout


def test_stdin_filename_names_it_and_chooses_settings(project):
    (project / "sub").mkdir()
    (project / "sub" / "pyproject.toml").write_text("[tool.kerascount.per-file-ignores]\n'legacy/*.py' = ['KC201']\n")
    r = run("lint", "--stdin-filename", "sub/model.py", cwd=project, stdin=MODEL)  # no path: stdin
    assert r.returncode == 1 and r.stdout.startswith(f"sub/model.py:6:11: {FINDING}")
    # The settings of the pyproject.toml nearest to the name apply, with its per-file-ignores.
    r = run("lint", "--stdin-filename", "sub/legacy/old.py", "-", cwd=project, stdin=MODEL)
    assert (r.returncode, r.stdout) == (0, "All checks passed!\n")
    # Exclusion: only with --force-exclude, as ruff (nothing is reported for an excluded name).
    (project / "pyproject.toml").write_text("[tool.kerascount]\nextend-exclude = ['generated']\n")
    r = run("lint", "--stdin-filename", "generated/m.py", "-", cwd=project, stdin=MODEL)
    assert r.returncode == 1
    r = run("lint", "--force-exclude", "--stdin-filename", "generated/m.py", "-", cwd=project, stdin=MODEL)
    assert (r.returncode, r.stdout) == (0, "All checks passed!\n")


def test_stdin_notebook(project):
    r = run("lint", "--stdin-filename", "nb.ipynb", "-", cwd=project, stdin=NOTEBOOK.read_text())
    assert r.returncode == 1 and r.stdout.startswith("nb.ipynb:cell 6:8:16: KC201 ")
    r = run("lint", "--stdin-filename", "nb.ipynb", "--format", "github", cwd=project, stdin=NOTEBOOK.read_text())
    assert r.stdout.startswith("::warning file=nb.ipynb,line=67,col=21,endLine=67,endColumn=43,"
                               "title=KC201 (cell 6%2C line 8)::KC201 ")


def test_stdin_with_other_paths_or_fix_is_a_usage_error(project):
    (project / "m.py").write_text(MODEL)
    assert run("lint", "-", "m.py", cwd=project, stdin=MODEL).returncode == 2
    r = run("lint", "--fix", "-", cwd=project, stdin=MODEL)
    assert r.returncode == 2 and "stdin" in r.stderr


def test_stdin_diff_prints_the_fixes(project):
    legacy = "from keras.layers import Convolution2D\nc = Convolution2D(32, 3, 3, border_mode='same')\n"
    r = run("lint", "--diff", "--stdin-filename", "old.py", cwd=project, stdin=legacy)
    assert r.returncode == 1, r.stderr
    assert r.stdout.splitlines()[-2:] == ["-c = Convolution2D(32, 3, 3, border_mode='same')",
                                          "+c = Convolution2D(32, (3, 3), padding='same')"]
    assert r.stderr == "Would fix 1 diagnostic.\n"


# -- output ----------------------------------------------------------------------------------


def test_output_file(project):
    (project / "m.py").write_text(MODEL)
    r = run("lint", "--output-file", "report.txt", "m.py", cwd=project)
    assert r.returncode == 1 and r.stdout == ""
    assert (project / "report.txt").read_text().startswith(f"m.py:6:11: {FINDING}")
    r = run("summary", "-o", "s.json", "--output-format", "json", "m.py", cwd=project)
    assert r.returncode == 0 and json.loads((project / "s.json").read_text())["files"][0]["path"] == "m.py"


def test_statistics(project):
    (project / "a.py").write_text(MODEL)
    (project / "b.py").write_text(MODEL + "m2 = Model(inputs, Dense(10, input_shape=(3,))(Flatten()(x)))\n")
    r = run("lint", "--statistics", ".", cwd=project)
    assert r.returncode == 1
    assert r.stdout.splitlines() == ["3\tKC201\t[ ] flatten-dense-head", "1\tKC401\t[*] input-shape-not-first",
                                     "Found 4 diagnostics (4 warnings).", "[*] 1 fixable with the `--fix` option."]
    r = run("lint", "--statistics", "--format", "json", ".", cwd=project)
    assert json.loads(r.stdout) == [{"code": "KC201", "name": "flatten-dense-head", "count": 3, "fixable": False},
                                    {"code": "KC401", "name": "input-shape-not-first", "count": 1, "fixable": True}]
    assert run("lint", "--statistics", "--format", "sarif", ".", cwd=project).returncode == 2


def test_quiet_and_silent(project):
    (project / "m.py").write_text(MODEL)
    (project / "ok.py").write_text(CLEAN)
    r = run("lint", "-q", "m.py", cwd=project)
    assert r.returncode == 1 and r.stdout.splitlines() == [r.stdout.splitlines()[0]]
    assert r.stdout.startswith("m.py:6:11: KC201")
    assert run("lint", "--quiet", "ok.py", cwd=project).stdout == ""
    for flags in (["-qq"], ["--silent"]):
        r = run("lint", *flags, "m.py", cwd=project)
        assert (r.returncode, r.stdout, r.stderr) == (1, "", "")
        assert run("lint", *flags, "ok.py", cwd=project).returncode == 0
    r = run("lint", "--silent", "missing.py", cwd=project)  # errors are still told
    assert r.returncode == 2 and "missing.py" in r.stderr


def test_colour(project):
    (project / "m.py").write_text(MODEL)
    plain = run("lint", "m.py", cwd=project).stdout  # stdout is a pipe: no colour
    assert "\x1b[" not in plain
    forced = run("lint", "m.py", cwd=project, env={"FORCE_COLOR": "1"}).stdout
    assert forced.startswith("\x1b[1mm.py\x1b[0m\x1b[36m:\x1b[0m6\x1b[36m:\x1b[0m11\x1b[36m:\x1b[0m \x1b[1;31mKC201\x1b[0m")
    assert run("lint", "--color", "always", "m.py", cwd=project).stdout == forced
    assert run("lint", "--color", "never", "m.py", cwd=project, env={"FORCE_COLOR": "1"}).stdout == plain
    assert run("lint", "m.py", cwd=project, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout == plain
    run("lint", "-o", "out.txt", "m.py", cwd=project, env={"FORCE_COLOR": "1"})  # never into a file...
    assert (project / "out.txt").read_text() == plain
    run("lint", "-o", "out.txt", "--color", "always", "m.py", cwd=project)  # ...unless asked
    assert (project / "out.txt").read_text() == forced
    # On a terminal: colour, unless NO_COLOR.
    assert "\x1b[1;31mKC201" in _on_terminal(["lint", "m.py"], project, stdout=True)
    assert "\x1b[1;31mKC201" not in _on_terminal(["lint", "m.py"], project, stdout=True, env={"NO_COLOR": "1"})


def _on_terminal(args, cwd: Path, stdout: bool = False, env: dict = None) -> str:
    """Run kerascount with stdout (or stderr) on a pseudo-terminal; returns what it wrote there."""
    master, slave = pty.openpty()
    full = dict(os.environ, PYTHONPATH=str(ROOT), TERM="xterm", **(env or {}))
    full.pop("FORCE_COLOR", None)
    if not env or "NO_COLOR" not in env:
        full.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "kerascount", *args], cwd=cwd, env=full,
                            stdout=slave if stdout else subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL if stdout else slave)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 4096)
        except OSError:  # the other side closed
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(60)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_line_on_a_terminal_only(project):
    for i in range(3):
        (project / f"m{i}.py").write_text(MODEL)
    env = {"KERASCOUNT_PROGRESS_AFTER": "0"}
    shown = _on_terminal(["lint", "--no-cache", "."], project, env=env)
    assert "\rkerascount: checking 3 files\u2026 0 s" in shown
    assert shown.endswith("\r\x1b[K")  # erased at the end
    r = run("lint", "--no-cache", ".", cwd=project, env=env)  # stderr is a pipe: nothing
    assert r.stderr == ""


def test_show_settings(project):
    (project / "pyproject.toml").write_text("[tool.kerascount]\nignore = ['KC403']\nmax-params = 1000\n"
                                            "[tool.kerascount.per-file-ignores]\n'legacy/*.py' = ['KC201']\n")
    (project / "legacy").mkdir()
    r = run("lint", "--show-settings", "--extend-select", "KC405", "legacy/x.py", cwd=project)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("# Resolved settings for: legacy/x.py\n")
    assert f"# Settings path: {project / 'pyproject.toml'}" in out
    for line in ('ignore = ["KC403"]', 'extend-select = ["KC405"]', "max-params = 1000", "respect-gitignore = true",
                 "force-exclude = false", "unsafe-fixes = false", '"legacy/*.py" = ["KC201"]', "#   KC405 unused-noqa"):
        assert line in out.splitlines(), line
    assert "KC201 flatten-dense-head" not in out and "KC403" not in out.split("# Enabled rules")[1]


# -- exclusion -------------------------------------------------------------------------------


def test_extend_exclude_and_force_exclude(project):
    (project / "gen").mkdir()
    (project / "gen" / "m.py").write_text(MODEL)
    (project / "src").mkdir()
    (project / "src" / "m.py").write_text(MODEL)
    r = run("lint", "--extend-exclude", "gen", ".", cwd=project)
    assert "src/m.py" in r.stdout and "gen/m.py" not in r.stdout
    # A file named explicitly is checked, as ruff does, unless --force-exclude (pre-commit names files).
    assert "gen/m.py" in run("lint", "--extend-exclude", "gen", "gen/m.py", cwd=project).stdout
    r = run("lint", "--extend-exclude", "gen", "--force-exclude", "gen/m.py", "src/m.py", cwd=project)
    assert r.returncode == 1 and "gen/m.py" not in r.stdout and "src/m.py" in r.stdout
    (project / "pyproject.toml").write_text("[tool.kerascount]\nextend-exclude = ['gen']\nforce-exclude = true\n")
    r = run("lint", "gen/m.py", cwd=project)
    assert (r.returncode, r.stdout) == (0, "All checks passed!\n")
    assert run("lint", "--no-force-exclude", "gen/m.py", cwd=project).returncode == 1
    (project / "pyproject.toml").write_text("[tool.kerascount]\nforce-exclude = 'yes'\n")
    r = run("lint", "gen/m.py", cwd=project)
    assert r.returncode == 2 and "`force-exclude` must be true or false" in r.stderr
    (project / "pyproject.toml").write_text("[tool.kerascount]\nextend-exclude = 'gen'\n")
    r = run("lint", "gen/m.py", cwd=project)
    assert r.returncode == 2 and "`extend-exclude` must be a list of glob patterns" in r.stderr


def test_gitignore_is_respected(project):
    git_init(project)
    layout = {
        "keep.py": MODEL, "ignored.py": MODEL, "out/m.py": MODEL, "notes/ignored.py": MODEL,
        "notes/important.py": MODEL, "pkg/deep/gen_x.py": MODEL, "pkg/main.py": MODEL, "pkg/local.py": MODEL,
        "top_only.py": MODEL, "pkg/top_only.py": MODEL, "data/cache/m.py": MODEL,
    }
    for name, text in layout.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    (project / ".gitignore").write_text(
        "# generated\nignored.py\n!notes/important.py\nout/\n**/gen_*.py\n/top_only.py\ndata/**\n")
    (project / "notes" / ".gitignore").write_text("*.py\n!important.py\n")
    (project / "pkg" / ".gitignore").write_text("local.py\n")
    r = run("lint", "--format", "json", ".", cwd=project)
    paths = sorted(f["path"] for f in json.loads(r.stdout)["files"])
    assert paths == ["keep.py", "notes/important.py", "pkg/main.py", "pkg/top_only.py"], paths
    r = run("lint", "--no-respect-gitignore", "--format", "json", ".", cwd=project)
    assert len(json.loads(r.stdout)["files"]) == len(layout)
    # Named explicitly: checked; with --force-exclude, skipped as a walk skips it.
    assert run("lint", "ignored.py", cwd=project).returncode == 1
    r = run("lint", "--force-exclude", "ignored.py", "out/m.py", "keep.py", cwd=project)
    assert "ignored.py" not in r.stdout and "out/m.py" not in r.stdout and "keep.py:6" in r.stdout
    (project / "pyproject.toml").write_text("[tool.kerascount]\nrespect-gitignore = false\n")
    r = run("lint", "--format", "json", ".", cwd=project)
    assert len(json.loads(r.stdout)["files"]) == len(layout)


def test_force_exclude_never_skips_the_project_itself(tmp_path):
    for name in (".hidden_project", "build"):  # a hidden name, and a name in the default exclude
        project = tmp_path / name
        (project / "gen").mkdir(parents=True)
        (project / "pyproject.toml").write_text("[tool.kerascount]\nextend-exclude = ['gen']\nforce-exclude = true\n")
        (project / "m.py").write_text(MODEL)
        (project / "gen" / "m.py").write_text(MODEL)
        r = run("lint", ".", cwd=project)
        assert r.returncode == 1 and "m.py:6:11" in r.stdout and "gen/" not in r.stdout, r.stdout
        assert run("lint", str(project), cwd=tmp_path).returncode == 1
        assert "gen/m.py" not in run("lint", "gen", cwd=project).stdout  # an excluded folder named explicitly


def test_gitignore_outside_a_repository_is_not_read(project):
    (project / ".gitignore").write_text("m.py\n")
    (project / "m.py").write_text(MODEL)
    assert "m.py:6" in run("lint", ".", cwd=project).stdout  # git itself reads no .gitignore here


# -- fixes and noqa ---------------------------------------------------------------------------


def test_unsafe_fixes_config_key(project):
    (project / "m.py").write_text(MODEL)
    assert "[*]" not in run("lint", "m.py", cwd=project).stdout
    (project / "pyproject.toml").write_text("[tool.kerascount]\nunsafe-fixes = true\n")
    r = run("lint", "m.py", cwd=project)
    assert "KC201 [*] Flatten→Dense" in r.stdout and "[*] 1 fixable with the `--fix` option." in r.stdout
    assert "[*]" not in run("lint", "--no-unsafe-fixes", "m.py", cwd=project).stdout
    r = run("lint", "--fix", "m.py", cwd=project)
    assert r.returncode == 0 and "GlobalAveragePooling2D()" in (project / "m.py").read_text()


def test_add_noqa(project):
    src = MODEL.replace("outputs = Dense(100)(Flatten()(x))", "outputs = Dense(100)(Flatten()(x))  # head")
    src += "m2 = Model(inputs, Dense(\n    10,\n)(Flatten()(x)))  # noqa: KC999\n"
    (project / "m.py").write_text(src)
    (project / "ok.py").write_text(CLEAN)
    r = run("lint", "--add-noqa", ".", cwd=project)
    assert r.returncode == 0 and r.stderr == "Added 2 noqa directives.\n", r.stderr
    text = (project / "m.py").read_text()
    assert "outputs = Dense(100)(Flatten()(x))  # head  # noqa: KC201\n" in text
    assert "m2 = Model(inputs, Dense(  # noqa: KC201\n" in text
    assert (project / "ok.py").read_text() == CLEAN
    r = run("lint", ".", cwd=project)
    assert (r.returncode, r.stdout) == (0, "All checks passed!\n")
    r = run("lint", "--add-noqa", ".", cwd=project)
    assert r.stderr == "Added 0 noqa directives.\n"
    # Existing codes are kept: a new code joins them.
    (project / "n.py").write_text(MODEL.replace("(Flatten()(x))", "(Flatten()(x))  # noqa: KC101"))
    run("lint", "--add-noqa", "n.py", cwd=project)
    assert "(Flatten()(x))  # noqa: KC101, KC201\n" in (project / "n.py").read_text()


def test_lint_markdown(project):
    (project / "m.py").write_text(MODEL)
    r = run("lint", "--format", "markdown", "m.py", cwd=project)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    assert lines[:4] == ["### kerascount: 1 diagnostic (1 warning)", "", "| Severity | Location | Code | Message |",
                         "|---|---|---|---|"]
    assert lines[4].startswith("| warning | `m.py:6:11` | `KC201` | Flatten→Dense head adds 327.7M params")
    (project / "ok.py").write_text(CLEAN)
    assert run("lint", "--format", "markdown", "ok.py", cwd=project).stdout == "### kerascount: all checks passed\n"


def test_ruff_json(project):
    (project / "m.py").write_text(MODEL)
    r = run("lint", "--format", "ruff-json", "m.py", cwd=project)
    assert r.returncode == 1
    (d,) = json.loads(r.stdout)
    assert set(d) == {"cell", "code", "end_location", "filename", "fix", "location", "message", "noqa_row", "url"}
    assert d["code"] == "KC201" and d["filename"] == str(project / "m.py") and d["cell"] is None
    assert d["location"] == {"row": 6, "column": 11} and d["end_location"]["row"] == 6 and d["noqa_row"] == 6
    assert d["fix"]["applicability"] == "unsafe" and d["fix"]["message"] == "replace Flatten with GlobalAveragePooling2D"
    # Applying the edits (from the last, as ruff's consumers do) gives what --fix --unsafe-fixes writes.
    lines = MODEL.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    text = MODEL
    for edit in sorted(d["fix"]["edits"], key=lambda e: (e["location"]["row"], e["location"]["column"]), reverse=True):
        start = offsets[edit["location"]["row"] - 1] + edit["location"]["column"] - 1
        end = offsets[edit["end_location"]["row"] - 1] + edit["end_location"]["column"] - 1
        text = text[:start] + edit["content"] + text[end:]
    run("lint", "--fix", "--unsafe-fixes", "m.py", cwd=project)
    assert text == (project / "m.py").read_text() != MODEL
    # A notebook: rows count in the cell, as ruff's; no fix (notebooks are not fixed).
    (project / "nb.ipynb").write_text(NOTEBOOK.read_text())
    (d,) = json.loads(run("lint", "--format", "ruff-json", "nb.ipynb", cwd=project).stdout)
    assert (d["cell"], d["location"], d["fix"]) == (6, {"row": 8, "column": 16}, None)
    assert run("summary", "--format", "ruff-json", "nb.ipynb", cwd=project).returncode == 2


def test_analyze_source_reads_notebook_text():
    from kerascount import analyze_source

    report = analyze_source(NOTEBOOK.read_text(), "nb.ipynb")
    assert report.models[0].total == 327680740
    (d,) = report.diagnostics
    assert d.code == "KC201" and report.locate(d.span.line) == (6, 8)


def test_readme_usage_examples_are_real(tmp_path):
    """The console block of the README's Usage section: each command's output, run in a folder with the model."""
    import re

    readme = (ROOT / "README.md").read_text()
    code = re.search(r"In a file `model\.py`:\n\n```python\n(.*?)```", readme, re.S).group(1)
    (tmp_path / "model.py").write_text(code)
    usage = readme[readme.index("## Usage"):readme.index("### What it understands")]
    console = re.search(r"```console\n(.*?)```", usage, re.S).group(1)
    blocks = re.split(r"^\$ ", console, flags=re.M)[1:]
    assert len(blocks) >= 5
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("FORCE_COLOR", None)
    for block in blocks:
        command, _, expected = block.partition("\n")
        shell = command.replace("kerascount ", f"{sys.executable} -m kerascount ")
        out = subprocess.run(shell, shell=True, cwd=tmp_path, capture_output=True, text=True, env=env).stdout
        assert out.strip() == expected.strip(), command
