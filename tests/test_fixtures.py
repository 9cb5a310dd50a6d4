"""kerascount against real-Keras ground truth.

Every `fixtures/**/X.py` with an `X.keras.json` beside it (written by
`tools/keras_truth.py`, which runs the file with real Keras) is analysed by
kerascount in ONE subprocess:

    python -m kerascount summary --format json fixtures/.../X.py ...

and each file is then checked in its own test (id = the fixture path):

* truth without error: kerascount's models must equal the truth's models one
  to one, in order, on the keys in MODEL_KEYS and, per layer, LAYER_KEYS.
  Not compared: model `name`, `column`, `built`, layer `line`, extra keys.
  A row kerascount names "?" (a `name=` it cannot know) matches the row Keras
  has at that place under any name: unknown, never another name.
  A `keras.applications` model's rows are its layers and operations, as Keras's
  summary lists them (and the truth script records them).
* truth with error (real Keras raised): kerascount must report a diagnostic
  with severity "error" whose line range covers the line Keras raised at
  (`error.line`: innermost frame in the fixture) or the line where the
  failing layer was constructed (`error.layer.line`; they differ when the
  layer sits inside a multi-line `Sequential([...])`), and it must not print
  numbers for the failing layer: wherever kerascount lists that layer (same
  name and type), its `output_shape` must be null, and its params must be
  null or equal to what Keras itself reports for that layer (e.g. a Reshape
  that failed is built and has 0 params).

`test_keras_truth_up_to_date` (marker `keras`) re-runs real Keras and checks
that the checked-in truth files are current.
"""

import difflib
import json
import math
import os
import posixpath
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES_DIR = REPO_ROOT / "fixtures"
TRUTH_SUFFIX = ".keras.json"

MODEL_KEYS = (
    "line",
    "kind",
    "inputs",
    "outputs",
    "total_params",
    "trainable_params",
    "non_trainable_params",
)
LAYER_KEYS = (
    "name",
    "type",
    "output_shape",
    "params",
    "trainable_params",
    "non_trainable_params",
)
_MISSING = "<missing>"


# --------------------------------------------------------------------------
# Collection
# --------------------------------------------------------------------------


def fixture_paths():
    """Repo-relative, forward-slash paths of fixtures that have a truth file."""
    out = []
    for py in sorted(FIXTURES_DIR.rglob("*.py")):
        if "__pycache__" in py.parts or py.relative_to(FIXTURES_DIR).parts[0] in ("pending", "undecided"):
            # fixtures/pending/: known disagreements, listed in its README; fixtures/undecided/: pairs
            # whose truth depends on the machine (tests/test_interpreter_effects.py checks them)
            continue
        if py.with_name(py.name[: -len(".py")] + TRUTH_SUFFIX).exists():
            out.append(py.relative_to(REPO_ROOT).as_posix())
    return out


FIXTURES = fixture_paths()


def load_truth(rel_path):
    truth_file = REPO_ROOT / (rel_path[: -len(".py")] + TRUTH_SUFFIX)
    with open(truth_file, encoding="utf-8") as f:
        return json.load(f)


def normalize_path(path):
    """Compare paths as repo-relative forward-slash strings."""
    path = str(path).replace("\\", "/")
    if os.path.isabs(path):
        try:
            path = Path(path).resolve().relative_to(REPO_ROOT).as_posix()
        except ValueError:
            pass
    path = posixpath.normpath(path)
    while path.startswith("./"):
        path = path[2:]
    return path


# --------------------------------------------------------------------------
# Formatting and comparison helpers (pure functions, unit-tested below)
# --------------------------------------------------------------------------


def fmt_shape(shape):
    if shape is _MISSING:
        return _MISSING
    if shape is None:
        return "?"
    if isinstance(shape, list) and shape and isinstance(shape[0], list):
        return "[" + ", ".join(fmt_shape(s) for s in shape) + "]"
    if isinstance(shape, list):
        return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"
    return repr(shape)


def fmt_value(key, value):
    if key in ("inputs", "outputs"):
        if isinstance(value, list):
            return "[" + ", ".join(fmt_shape(s) for s in value) + "]"
        return "null" if value is None else str(value)
    if key == "output_shape":
        return fmt_shape(value)
    return "null" if value is None else str(value)


def layer_row(layer):
    g = lambda k: layer.get(k, _MISSING)  # noqa: E731
    return (
        f"{g('name')} ({g('type')})  {fmt_value('output_shape', g('output_shape'))}"
        f"  params={fmt_value('params', g('params'))}"
        f" trainable={fmt_value('trainable_params', g('trainable_params'))}"
        f" non_trainable={fmt_value('non_trainable_params', g('non_trainable_params'))}"
    )


def model_title(model):
    return (
        f"line {model.get('line', _MISSING)} {model.get('kind', _MISSING)}"
        f" {model.get('name') or ''}".rstrip()
    )


def _layer_key(layer):
    return tuple(json.dumps(layer.get(k, _MISSING)) for k in LAYER_KEYS)


#: Models whose "Connected to" column kerascount does not show as Keras does, by fixture, with why: a functional
#: model made of `layer.output` of a Sequential's layers added one by one after its input was known. Keras
#: rebuilds the Sequential at each `add`, so each layer has a node per build, and `layer.output` is its first
#: node's: the model holds several nodes of the first layers, which kerascount's graph (one per layer) does not.
KNOWN_CONNECTIONS = {
    "fixtures/interpreter2/sequential_layer_outputs.py": {(25, "probe")},
}

def _links_agree(expected, got):
    """Each row's "Connected to" entries agree, an entry of a layer kerascount names "?" matching any name."""
    for e, a in zip(expected, got):
        if (e is None) != (a is None) or e is not None and len(e) != len(a):
            return False
        for x, y in zip(e or (), a or ()):
            xs, ys = x.replace("]", "").split("["), y.replace("]", "").split("[")
            if len(xs) != len(ys) or not all(p == q or q == "?" for p, q in zip(xs, ys)):
                return False
    return True


def compare_models(expected, got, known_connections=()):
    """Compare truth models with kerascount models; return a list of
    human-readable problems (empty when they match)."""
    problems = []
    if len(expected) != len(got):
        problems.append(
            f"expected {len(expected)} model(s), got {len(got)}:\n"
            + "".join(f"    expected: {model_title(m)}\n" for m in expected)
            + "".join(f"    got:      {model_title(m)}\n" for m in got)
        )
    for i, (exp, act) in enumerate(zip(expected, got)):
        lines = []
        for key in MODEL_KEYS:
            e, a = exp.get(key, _MISSING), act.get(key, _MISSING)
            if e != a:
                lines.append(
                    f"  {key}: expected {fmt_value(key, e)}, got {fmt_value(key, a)}"
                )
        # The name Keras gives the model (what `model.summary()` prints as `Model: "..."`), where the truth file
        # records it: kerascount's may be "?" (a counter it does not know), never another name.
        if exp.get("keras_name") is not None and act.get("keras_name") not in (None, "?") \
                and act["keras_name"] != exp["keras_name"]:
            lines.append(
                f"  keras_name: expected {exp['keras_name']}, got {act['keras_name']}"
            )
        # "Connected to", where the truth file records Keras's column (a functional model that is not a chain):
        # kerascount's rows show the same entries, and no column where Keras shows none. A name kerascount does not
        # know ("?") matches any.
        exp_links = [layer.get("connected_to") for layer in exp.get("layers") or []]
        act_links = [layer.get("connected_to") for layer in act.get("layers") or []]
        if "connections_shown" in exp and len(exp_links) == len(act_links) and exp_links != act_links \
                and not _links_agree(exp_links, act_links) \
                and (exp.get("line"), exp.get("name")) not in known_connections:
            lines.append(f"  connected_to: expected {exp_links}, got {act_links}")
        # The weights' bytes, where the truth file records them (fixtures made since the truth script did):
        # kerascount's may be null (some weights may not be float32), never another number.
        if "param_bytes" in exp and act.get("param_bytes") is not None \
                and act["param_bytes"] != exp["param_bytes"]:
            lines.append(
                f"  param_bytes: expected {exp['param_bytes']}, got {act['param_bytes']}"
            )
        exp_layers = exp.get("layers") or []
        act_layers = act.get("layers")
        if act_layers is None:
            act_layers = []
            lines.append("  layers: missing in kerascount output")
        exp_keys = [_layer_key(layer) for layer in exp_layers]
        act_keys = [
            _layer_key({**layer, "name": exp_layers[j]["name"]})
            if layer.get("name") == "?" and j < len(exp_layers) else _layer_key(layer)
            for j, layer in enumerate(act_layers)
        ]
        if exp_keys != act_keys:
            lines.append(
                "  layers (' ' same, '-' expected, '+' got):"
            )
            matcher = difflib.SequenceMatcher(a=exp_keys, b=act_keys, autojunk=False)
            for op, i1, i2, j1, j2 in matcher.get_opcodes():
                if op == "equal":
                    for layer in exp_layers[i1:i2]:
                        lines.append(f"      {layer_row(layer)}")
                    continue
                for layer in exp_layers[i1:i2]:
                    lines.append(f"    - {layer_row(layer)}")
                for layer in act_layers[j1:j2]:
                    lines.append(f"    + {layer_row(layer)}")
        if lines:
            problems.append(
                f"model #{i} ({model_title(exp)}):\n" + "\n".join(lines) + "\n"
            )
    return problems


def _diag_lines(diag):
    start = diag.get("line")
    end = diag.get("end_line") or start
    if not isinstance(start, int):
        return set()
    if not isinstance(end, int) or end < start:
        end = start
    return set(range(start, end + 1))


def check_error_file(truth, got):
    """Checks for a fixture on which real Keras raised. Returns problems."""
    problems = []
    err = truth["error"]
    layer = err.get("layer") or None
    accepted = {err.get("line")}
    if layer and layer.get("line") is not None:
        accepted.add(layer["line"])
    accepted.discard(None)
    where = " or ".join(str(n) for n in sorted(accepted)) or "?"
    diags = got.get("diagnostics") or []
    errors = [d for d in diags if d.get("severity") == "error"]
    if not any(_diag_lines(d) & accepted for d in errors):
        shown = "".join(
            f"\n    {d.get('severity')} {d.get('code')} line {d.get('line')}"
            f"-{d.get('end_line')}: {d.get('message')}"
            for d in diags
        ) or " none"
        problems.append(
            f"Keras raised {err['type']}: {err['message']}\n"
            f"  expected a diagnostic with severity 'error' on line {where};"
            f" kerascount diagnostics:{shown}"
        )
    if layer:
        # What Keras itself knows about the failing layer (may be nothing).
        known = {}
        for m in truth.get("models") or []:
            for tl in m.get("layers") or []:
                if tl.get("name") == layer["name"]:
                    known = tl
        for m in got.get("models") or []:
            for gl in m.get("layers") or []:
                if gl.get("name") != layer["name"] or gl.get("type") != layer["type"]:
                    continue
                if gl.get("output_shape") is not None:
                    problems.append(
                        f"failing layer {layer['name']} ({layer['type']}) in model"
                        f" at line {m.get('line')}: output_shape must be null,"
                        f" got {fmt_shape(gl.get('output_shape'))}"
                    )
                for key in ("params", "trainable_params", "non_trainable_params"):
                    value = gl.get(key)
                    if value is not None and value != known.get(key):
                        problems.append(
                            f"failing layer {layer['name']} ({layer['type']}) in"
                            f" model at line {m.get('line')}: {key} must be null"
                            f" (Keras: {fmt_value(key, known.get(key))}), got {value}"
                        )
    return problems


# --------------------------------------------------------------------------
# Symbolic fixtures: values substituted into kerascount's expressions
# --------------------------------------------------------------------------

SYMBOLS_MARK = "# kerascount symbols:"


def fixture_symbols(rel_path):
    """``{symbol: value}`` from a fixture's ``# kerascount symbols: A=1; B.shape[1]=2`` line: the values
    its data and settings have when real Keras runs it, which kerascount cannot see (it gives symbols)."""
    text = (REPO_ROOT / rel_path).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip().startswith(SYMBOLS_MARK):
            pairs = line.strip()[len(SYMBOLS_MARK):].split(";")
            return {k.strip(): int(v) for k, v in (p.rsplit("=", 1) for p in pairs if p.strip())}
    return {}


def evaluate_symbolic(text, symbols):
    """A rendered expression (``64*X.shape[1] + 64``, ``ceil(H/2)``) with ``symbols`` put in (exact
    rationals: ``ceil``/``floor`` round as Keras's integer arithmetic does); None if it is not one."""
    for name in sorted(symbols, key=len, reverse=True):
        text = text.replace(name, f"F({symbols[name]})")
    if "F(" not in text:
        return None
    try:
        value = eval(text, {"__builtins__": {}, "F": Fraction, "ceil": math.ceil, "floor": math.floor})  # noqa: S307
    except Exception:  # noqa: BLE001 - a name without a value is left: not substitutable
        return None
    if isinstance(value, int) and not isinstance(value, bool):  # ceil/floor give Python ints
        return value
    return int(value) if isinstance(value, Fraction) and value.denominator == 1 else None


def substitute(value, symbols):
    """kerascount's JSON models with every symbolic number evaluated; and whether any was."""
    used = [False]

    def walk(v, key=None):
        if isinstance(v, dict):
            return {k: walk(x, k) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x, key) for x in v]
        if isinstance(v, str) and key not in ("name", "type", "kind", "caveat", "reasons", "status"):
            out = evaluate_symbolic(v, symbols)
            if out is not None:
                used[0] = True
                return out
        return v

    return walk(value), used[0]


# --------------------------------------------------------------------------
# Running kerascount once
# --------------------------------------------------------------------------


class AnalyzerRun:
    def __init__(self, files=None, failure=None):
        self.files = files or {}
        self.failure = failure


@pytest.fixture(scope="module")
def kerascount_run():
    if not FIXTURES:
        return AnalyzerRun(failure="no fixtures found")
    cmd = [sys.executable, "-m", "kerascount", "summary", "--format", "json", *FIXTURES]
    try:
        proc = subprocess.run(
            cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=900
        )
    except subprocess.TimeoutExpired:
        return AnalyzerRun(failure="kerascount timed out after 900 s")
    tail = (proc.stderr or "").strip()[-3000:]
    if proc.returncode not in (0, 1):
        return AnalyzerRun(
            failure=f"kerascount exited with {proc.returncode}; stderr:\n{tail}"
        )
    try:
        data = json.loads(proc.stdout)
        files = {normalize_path(f["path"]): f for f in data["files"]}
    except (ValueError, KeyError, TypeError) as e:
        return AnalyzerRun(
            failure=f"kerascount stdout is not the expected JSON ({e});"
            f" stdout starts: {proc.stdout[:500]!r}; stderr:\n{tail}"
        )
    return AnalyzerRun(files=files)


@pytest.mark.parametrize("fixture_path", FIXTURES, ids=FIXTURES)
def test_fixture(kerascount_run, fixture_path):
    if kerascount_run.failure:
        pytest.fail(kerascount_run.failure, pytrace=False)
    truth = load_truth(fixture_path)
    got = kerascount_run.files.get(normalize_path(fixture_path))
    if got is None:
        pytest.fail(f"kerascount output has no entry for {fixture_path}", pytrace=False)
    if truth["error"] is None:
        models = got.get("models") or []
        symbols = fixture_symbols(fixture_path)
        if symbols:
            models, used = substitute(models, symbols)
            if not used:
                pytest.fail(f"{fixture_path} declares symbols but kerascount's numbers use none", pytrace=False)
        problems = compare_models(truth["models"], models, KNOWN_CONNECTIONS.get(fixture_path, ()))
    else:
        problems = check_error_file(truth, got)
    if problems:
        pytest.fail(f"{fixture_path}:\n" + "\n".join(problems), pytrace=False)


# --------------------------------------------------------------------------
# Truth files up to date (needs real Keras)
# --------------------------------------------------------------------------


def _keras_importable():
    env = dict(os.environ, KERAS_BACKEND="numpy")
    proc = subprocess.run(
        [sys.executable, "-c", "import keras"],
        capture_output=True,
        text=True,
        env=env,
    )
    return proc.returncode == 0, (proc.stderr or "").strip().splitlines()[-1:]


@pytest.mark.keras
def test_keras_truth_up_to_date():
    ok, why = _keras_importable()
    if not ok:
        pytest.skip(f"`import keras` fails in {sys.executable}: {' '.join(why)}")
    env = dict(os.environ, KERAS_BACKEND="numpy")
    proc = subprocess.run(
        [sys.executable, "tools/keras_truth.py", "--check", "fixtures/"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    assert proc.returncode == 0, (
        "truth files are stale; regenerate with "
        "`python tools/keras_truth.py fixtures/`\n"
        + proc.stdout[-8000:]
        + proc.stderr[-2000:]
    )


# --------------------------------------------------------------------------
# Unit tests of the helpers above (no analyzer, no Keras)
# --------------------------------------------------------------------------


def _layer(name, type_, shape, params, trainable=None, non_trainable=0, **extra):
    return dict(
        name=name,
        type=type_,
        output_shape=shape,
        params=params,
        trainable_params=params if trainable is None else trainable,
        non_trainable_params=non_trainable,
        **extra,
    )


def _model(**over):
    model = {
        "name": "model",
        "line": 18,
        "column": 9,
        "kind": "functional",
        "built": True,
        "inputs": [[None, 320, 320, 1]],
        "outputs": [[None, 100]],
        "layers": [
            _layer("input_layer", "InputLayer", [None, 320, 320, 1], 0, line=9),
            _layer("conv2d", "Conv2D", [None, 160, 160, 128], 640, line=10),
            _layer("flatten", "Flatten", [None, 3276800], 0, line=15),
            _layer("dense", "Dense", [None, 100], 327680100, line=16),
        ],
        "total_params": 327680740,
        "trainable_params": 327680740,
        "non_trainable_params": 0,
    }
    model.update(over)
    return model


def test_helper_equal_models_ignore_unchecked_keys():
    got = _model(name=None, column=1, built=False, status="ok")
    for layer in got["layers"]:
        layer["line"] = None
    assert compare_models([_model()], [got]) == []


def test_helper_reports_layer_and_total_differences():
    got = _model(total_params=327680640)
    got["layers"][3] = _layer("dense", "Dense", [None, 100], 327680000)
    problems = compare_models([_model()], [got])
    assert len(problems) == 1
    text = problems[0]
    assert "total_params: expected 327680740, got 327680640" in text
    assert "- dense (Dense)  (None, 100)  params=327680100" in text
    assert "+ dense (Dense)  (None, 100)  params=327680000" in text
    assert "  conv2d (Conv2D)  (None, 160, 160, 128)  params=640" in text


def test_helper_reports_missing_layer_and_model_count():
    got = _model()
    del got["layers"][2]
    problems = compare_models([_model(), _model(line=30)], [got])
    assert "expected 2 model(s), got 1" in problems[0]
    assert "- flatten (Flatten)  (None, 3276800)" in problems[1]
    assert not any(line.startswith("    + ") for line in problems[1].splitlines())


def test_helper_multi_output_shapes_and_missing_keys():
    exp = _model(outputs=[[None, 2], [None, 5, 4]])
    got = _model(outputs=[[None, 2], [None, 5, 3]])
    del got["kind"]
    text = "\n".join(compare_models([exp], [got]))
    assert "outputs: expected [(None, 2), (None, 5, 4)], got [(None, 2), (None, 5, 3)]" in text
    assert "kind: expected functional, got <missing>" in text


def _error_truth():
    return {
        "error": {
            "type": "ValueError",
            "message": "Computed output size would be zero or negative.",
            "line": 5,
            "layer": {"name": "conv2d_2", "type": "Conv2D", "line": 9},
        },
        "models": [],
    }


def _diag(line, end_line=None, severity="error"):
    return {
        "code": "KC100",
        "severity": severity,
        "message": "negative output size",
        "line": line,
        "column": 5,
        "end_line": end_line if end_line is not None else line,
        "end_column": 20,
    }


def test_helper_error_diagnostic_lines():
    truth = _error_truth()
    assert check_error_file(truth, {"models": [], "diagnostics": [_diag(5)]}) == []
    assert check_error_file(truth, {"models": [], "diagnostics": [_diag(9)]}) == []
    assert check_error_file(truth, {"models": [], "diagnostics": [_diag(3, 10)]}) == []
    problems = check_error_file(
        truth, {"models": [], "diagnostics": [_diag(7), _diag(5, severity="warning")]}
    )
    assert len(problems) == 1 and "severity 'error' on line 5 or 9" in problems[0]
    assert check_error_file(truth, {"models": []})


def test_helper_error_failing_layer_must_have_no_numbers():
    truth = _error_truth()
    bad = _layer("conv2d_2", "Conv2D", [None, -2, -2, 8], 1608)
    got = {"models": [_model(layers=[bad])], "diagnostics": [_diag(9)]}
    problems = check_error_file(truth, got)
    assert any("output_shape must be null" in p for p in problems)
    assert any("params must be null" in p for p in problems)
    ok = _layer("conv2d_2", "Conv2D", None, None, trainable=None)
    ok["trainable_params"] = ok["non_trainable_params"] = None
    got = {"models": [_model(layers=[ok])], "diagnostics": [_diag(9)]}
    assert check_error_file(truth, got) == []
    # params Keras itself reports for the failing layer are accepted.
    truth["models"] = [_model(layers=[_layer("conv2d_2", "Conv2D", None, 0)])]
    zero = _layer("conv2d_2", "Conv2D", None, 0)
    got = {"models": [_model(layers=[zero])], "diagnostics": [_diag(9)]}
    assert check_error_file(truth, got) == []


def test_helper_normalize_path():
    assert normalize_path("./fixtures/seeds/a.py") == "fixtures/seeds/a.py"
    assert normalize_path("fixtures\\seeds\\a.py") == "fixtures/seeds/a.py"
    assert normalize_path(str(REPO_ROOT / "fixtures/seeds/a.py")) == "fixtures/seeds/a.py"


def test_fixture_collection_is_sane():
    assert FIXTURES, "no fixtures with truth files found"
    for rel in FIXTURES:
        truth = load_truth(rel)
        assert truth["path"] == rel
        assert truth["error"] is not None or truth["models"], rel


def test_helper_compares_connected_to():
    """Keras's "Connected to" entries (truth files record them where Keras's summary has the column): a wrong node
    index is a problem, kerascount's "?" for a node index or a name it does not know is not, and a column where
    Keras shows none is."""
    exp = _model(connections_shown=True, layers=[
        {"name": "input_layer", "type": "InputLayer", "output_shape": [None, 3], "params": 0, "connected_to": []},
        {"name": "dense", "type": "Dense", "output_shape": [None, 2], "params": 8,
         "connected_to": ["input_layer[0][0]", "dense_9[1][0]"]}])

    def got(first, second):
        layers = [dict(layer) for layer in exp["layers"]]
        layers[0]["connected_to"], layers[1]["connected_to"] = first, second
        return {**exp, "layers": layers}

    assert compare_models([exp], [got([], ["input_layer[0][0]", "dense_9[1][0]"])]) == []
    assert compare_models([exp], [got([], ["input_layer[0][0]", "dense_9[?][0]"])]) == []
    assert compare_models([exp], [got([], ["?[0][0]", "dense_9[1][0]"])]) == []
    assert "connected_to" in "\n".join(compare_models([exp], [got([], ["input_layer[0][0]", "dense_9[0][0]"])]))
    assert "connected_to" in "\n".join(compare_models([exp], [got(None, None)]))
    assert compare_models([exp], [got(None, None)], {(exp["line"], exp["name"])}) == []


def test_helper_compares_model_names_and_bytes_where_recorded():
    exp = _model(keras_name="functional_2", param_bytes=4 * 327680740)
    assert compare_models([exp], [{**exp, "keras_name": "?", "param_bytes": None}]) == []
    text = "\n".join(compare_models([exp], [{**exp, "keras_name": "functional", "param_bytes": 327680740}]))
    assert "keras_name: expected functional_2, got functional" in text
    assert f"param_bytes: expected {4 * 327680740}, got 327680740" in text
    old = _model()  # a truth file written before the truth script recorded them: nothing compared
    assert compare_models([old], [{**old, "keras_name": "anything", "param_bytes": 1}]) == []
