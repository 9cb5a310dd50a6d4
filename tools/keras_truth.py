#!/usr/bin/env python3
"""Ground truth for kerascount: run fixture files with REAL Keras and record
every model they build (shapes and parameter counts as `model.summary()`
shows them).

Usage:
    python tools/keras_truth.py [--check] [--jobs N] [--timeout S] PATH...

For each fixture `X.py` (PATH may be a file or a directory searched
recursively for `*.py`) this writes `X.keras.json` beside it.  With
`--check` nothing is written: the truth is regenerated in memory and compared
with the checked-in file; a diff is printed for every file that differs (or
is missing) and the exit status is 1 if any differ.

Library use:
    from tools.keras_truth import truth_for_file, truth_for_files

Each file runs in its own forked child of a parent that imported Keras once,
so Keras's global name counters (`conv2d`, `conv2d_1`, ...) start fresh for
every file, exactly as if the file were run alone with `python X.py`.
The backend is numpy (set below, before Keras is imported), unless the fixture
asks for another one in its header comments (before any code):

    # keras-truth: backend=jax

Those fixtures are run by a second `keras_truth` process whose Keras was
imported with that backend (BACKENDS lists the ones allowed), and their record
says so: `"backend": "jax"` (a numpy record has no "backend" key).  Use it only
for code the numpy backend cannot run although Keras builds it on the other
backends: the numpy backend runs a custom layer's `call` on `np.empty` arrays
(garbage values), so a custom layer whose `call` looks up its input ids in an
`Embedding` (a token-plus-position embedding) fails with an IndexError, while
jax traces it without values.  The jax backend keeps an unknown dimension
unknown (None) instead of filling it with placeholders, so
such files need no second run.

A fixture of layers that Keras makes only where TensorFlow is importable (TextVectorization, StringLookup,
IntegerLookup: ImportError otherwise, whatever the backend) says so in its header comments:

    # keras-truth: needs=tensorflow

(or `needs=gymnasium` for a fixture that makes gym environments: it imports gymnasium itself.)
Its truth is built as any other's (numpy backend: TensorFlow need only be importable) and records
`"needs": ["tensorflow"]`.  Where a module it needs is not importable (the test venv of `[test,truth]`, which
has no TensorFlow), keras_truth leaves its checked-in truth as it is: it is not regenerated, `--check`
does not compare it and says how many files it left out (MISSING when there is no truth file at all), and
tests/test_fixtures.py still compares kerascount with that recorded truth.

A fixture of builders that nothing in it calls may have them called after the file has run, with header
comments such as `# keras-truth: call critic(keras.Input((28, 20, 3), name="images"))` (CALL_DIRECTIVE).

A functional model's layers are its operations, as `model.summary()` lists
them: operations on tensors (`x + y`, `keras.ops.mean(x)`) are rows with 0
params (and no line) beside the layers.

Subclassed models (`class Net(keras.Model)`) are recorded with kind
"subclassed": their layers are `model.layers` (the layers tracked as
attributes), and a row's output shape is what `model.summary()` shows, or
null for "?".  The numpy backend builds them by running `call()` on arrays
whose unknown dimensions are placeholders (83, then 89), so the shapes and
any sizes it records from that run hold 83 where the TensorFlow backend shows
None.  A file where a layer was built during such a run is therefore run a
second time with other placeholders, and every number that differs between
the two runs is recorded as null: a dimension Keras does not know.
"""

import os

#: Backends a fixture may ask for with BACKEND_DIRECTIVE; the first is the default.
BACKENDS = ("numpy", "jax")
#: Environment variable by which keras_truth tells a process of its own which backend to import (internal).
BACKEND_ENV = "KERAS_TRUTH_BACKEND"
BACKEND = os.environ.get(BACKEND_ENV) or BACKENDS[0]
if BACKEND not in BACKENDS:
    raise SystemExit(f"keras_truth: {BACKEND_ENV}={BACKEND!r} is not one of {', '.join(BACKENDS)}")
# Must happen before anything imports keras.
os.environ["KERAS_BACKEND"] = BACKEND
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse
import builtins
import difflib
import itertools
import json
import math
import select
import signal
import sys
import time
import traceback
import types

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Per file: the largest fixtures build application backbones under real Keras, which on a loaded 2-core
# machine has taken more than 120 s (a timeout there is a failed check, not a stale truth file).
DEFAULT_TIMEOUT = 300.0
DEFAULT_JOBS = 2
TRUTH_SUFFIX = ".keras.json"

_keras = None  # the imported keras module, once loaded


class BackendError(RuntimeError):
    """Keras is already loaded with a backend other than this process's (BACKEND)."""


def _directives(path, directive):
    """The text after `directive` on each of a fixture's header comment lines (those before the first
    line of code) that start with it, in order; none for a file that cannot be read."""
    out = []
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                text = line.strip()
                if text.startswith(directive):
                    out.append(text[len(directive):].strip())
                elif text and not text.startswith("#"):
                    break
    except (OSError, UnicodeDecodeError):
        pass
    return out


#: Header comment by which a fixture asks for a backend other than numpy (see the module docstring).
BACKEND_DIRECTIVE = "# keras-truth: backend="


def fixture_backend(path):
    """The backend a fixture's header comments ask for (BACKEND_DIRECTIVE; the first one counts), else numpy.

    Only the comment lines before the first line of code are read; a backend not in BACKENDS is a
    ValueError."""
    for name in _directives(path, BACKEND_DIRECTIVE)[:1]:
        if name not in BACKENDS:
            raise ValueError(f"{rel_path(path)}: backend {name!r} is not one of {', '.join(BACKENDS)}")
        return name
    return BACKENDS[0]


#: Header comment by which a fixture names the modules Keras needs importable to build it (see the module docstring).
NEEDS_DIRECTIVE = "# keras-truth: needs="
#: The modules a fixture may need.
NEEDABLE = ("tensorflow", "gymnasium")


def fixture_needs(path):
    """The modules a fixture's header comments (NEEDS_DIRECTIVE, comma-separated) say Keras needs, in order;
    a module not in NEEDABLE is a ValueError."""
    out = []
    for text in _directives(path, NEEDS_DIRECTIVE):
        for name in (n.strip() for n in text.split(",")):
            if name not in NEEDABLE:
                raise ValueError(f"{rel_path(path)}: needs {name!r}, which is not one of {', '.join(NEEDABLE)}")
            if name not in out:
                out.append(name)
    return out


def missing_needs(path):
    """The modules `path` needs (fixture_needs) that this interpreter cannot import."""
    import importlib.util

    return [name for name in fixture_needs(path) if importlib.util.find_spec(name) is None]


#: Header comment by which a fixture whose builders nothing in it calls (kerascount runs them with their default
#: arguments, parameters without defaults as symbols) has real Keras call one after the file has run, with the
#: values the fixture's `# kerascount symbols:` line gives those symbols:
#: `# keras-truth: call discriminator(keras.Input((28, 28, 1), name="inputs"))`. Each call starts from the
#: automatic names the file left (as if it were the only one made after the script), as kerascount's run of a
#: builder nothing calls does: `_names_after_script`.
CALL_DIRECTIVE = "# keras-truth: call "


def _names_after_script():
    """A function that puts Keras's automatic-name counters (``dense_1``...) back where the script left them."""
    import collections

    from keras.src.backend.common import global_state

    left = dict(global_state.get_global_attribute("object_name_uids", default=collections.defaultdict(int)) or {})

    def reset():
        global_state.set_global_attribute("object_name_uids", collections.defaultdict(int, left))

    return reset


def fixture_calls(path):
    """The expressions of a fixture's CALL_DIRECTIVE header comments, in order."""
    return _directives(path, CALL_DIRECTIVE)


# --------------------------------------------------------------------------
# Parent side: import keras once, fork one child per file.
# --------------------------------------------------------------------------


def _load_keras():
    global _keras
    if _keras is not None:
        return _keras
    already = "keras" in sys.modules
    import keras  # noqa: E402
    from keras.src.backend.common import global_state

    if keras.config.backend() != BACKEND:
        raise BackendError(
            f"keras_truth needs KERAS_BACKEND={BACKEND}, but keras was already "
            f"imported with backend {keras.config.backend()!r}"
        )
    uids = global_state.get_global_attribute("object_name_uids")
    if uids and not already:
        # Importing keras must not create layers (it would shift names).
        raise RuntimeError(
            f"importing keras created named objects: {dict(uids)}"
        )
    _import_what_children_import()
    _keras = keras
    return keras


def _import_what_children_import():
    """Import once, in the parent, the modules every forked child imports (the dataset table of kerascount and
    what the stubs and the summary use): each child would import them again (about 0.5 s a file, most of a
    small fixture's run). Importing them creates no Keras object (no name counter moves)."""
    import importlib

    sys.path.insert(0, REPO_ROOT)
    for module in ("kerascount.extract.arrays",  # _offline_datasets reads its DATASETS
                   "keras.src.trainers.data_adapters.array_slicing",  # _build_on_fit
                   "keras.src.trainers.epoch_iterator",
                   "keras.src.utils.file_utils",  # _offline_application_weights
                   "keras.src.utils.summary_utils"):  # model.summary() in fixtures
        importlib.import_module(module)


def rel_path(path):
    """Path relative to the repo root with forward slashes (absolute if the
    file lies outside the repo)."""
    ap = os.path.abspath(path)
    rel = os.path.relpath(ap, REPO_ROOT)
    if rel.startswith(".."):
        rel = ap
    return rel.replace(os.sep, "/")


def truth_for_file(path, timeout=DEFAULT_TIMEOUT):
    """Run one fixture file with real Keras and return its truth dict."""
    return truth_for_files([path], jobs=1, timeout=timeout)[0]


def _hash_seed_fixed():
    # Keras error messages can contain sets of strings, whose order depends
    # on the string hash seed: the truth is only stable with seed 0.
    return (
        os.environ.get("PYTHONHASHSEED") == "0"
        and not sys.flags.hash_randomization
    )


def _fixed_seed_env(backend=None):
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = "0"
    env[BACKEND_ENV] = env["KERAS_BACKEND"] = backend or BACKEND
    return env


def _emit_json_run(paths, jobs, timeout, backend=None):
    """Truth of `paths` from a fresh keras_truth process (fixed hash seed, `backend` or this one's)."""
    import subprocess

    cmd = [
        sys.executable,
        os.path.abspath(__file__),
        "--emit-json",
        "--jobs",
        str(jobs),
        "--timeout",
        str(timeout),
        *[os.path.abspath(p) for p in paths],
    ]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, env=_fixed_seed_env(backend)
    )
    if proc.returncode != 0:
        if proc.returncode == 2:
            raise BackendError(proc.stderr.strip())
        raise RuntimeError(
            f"keras_truth subprocess failed ({proc.returncode}): "
            + proc.stderr.strip()[-2000:]
        )
    return json.loads(proc.stdout)


def truth_for_files(paths, jobs=DEFAULT_JOBS, timeout=DEFAULT_TIMEOUT):
    """Run fixture files (each in its own forked child, up to `jobs` at a
    time) and return their truth dicts in the order of `paths`."""
    if not _hash_seed_fixed():
        # Re-run in a fresh interpreter with PYTHONHASHSEED=0.
        return _emit_json_run(paths, jobs, timeout)
    paths = [os.path.abspath(p) for p in paths]
    backends = [fixture_backend(p) for p in paths]
    if any(b != BACKEND for b in backends):
        # Files for another backend run in a keras_truth process of that backend (Keras's backend is
        # chosen once per process); the rest here.
        results = [None] * len(paths)
        for backend in sorted(set(backends)):
            idxs = [i for i, b in enumerate(backends) if b == backend]
            group = [paths[i] for i in idxs]
            if backend == BACKEND:
                got = truth_for_files(group, jobs=jobs, timeout=timeout)
            else:
                got = _emit_json_run(group, jobs, timeout, backend=backend)
            for i, truth in zip(idxs, got):
                results[i] = truth
        return results
    keras = _load_keras()
    results = [None] * len(paths)
    # (index, path, second run with other placeholders?)
    pending = [(idx, path, False) for idx, path in enumerate(paths)]
    first_runs = {}  # index -> truth of the first run, while the second runs
    running = {}  # read fd -> dict(index, pid, start, chunks, second)
    jobs = max(1, int(jobs))

    def finish(fd, info, error=None):
        os.close(fd)
        del running[fd]
        try:
            _, status = os.waitpid(info["pid"], 0)
        except ChildProcessError:
            status = 0
        idx = info["index"]
        data = b"".join(info["chunks"])
        result = None
        if error is None and data:
            try:
                result = json.loads(data.decode("utf-8"))
            except ValueError as e:
                error = f"child sent invalid JSON: {e}"
        if result is None:
            if error is None:
                error = f"child process died (wait status {status})"
            result = _file_record(
                keras,
                paths[idx],
                {
                    "type": "KerasTruthError",
                    "message": error,
                    "line": None,
                    "layer": None,
                },
                [],
            )
        placeholder_builds = result.pop(_PLACEHOLDER_BUILDS, 0)
        if info["second"]:
            failed = (result["error"] or {}).get("type") == "KerasTruthError"
            first = first_runs.pop(idx)
            results[idx] = result if failed else _merge_runs(first, result)
        elif placeholder_builds and BACKEND == "numpy":
            # (the other backends keep unknown dimensions unknown: one run is enough)
            first_runs[idx] = result
            pending.append((idx, paths[idx], True))
        else:
            results[idx] = result

    while pending or running:
        while pending and len(running) < jobs:
            idx, path, second = pending.pop(0)
            r, w = os.pipe()
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:  # child
                try:
                    os.close(r)
                    _child_main(path, w, other_placeholders=second)
                finally:
                    os._exit(3)
            os.close(w)
            running[r] = {
                "index": idx,
                "pid": pid,
                "start": time.monotonic(),
                "chunks": [],
                "second": second,
            }
        ready, _, _ = select.select(list(running), [], [], 0.25)
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if chunk:
                running[fd]["chunks"].append(chunk)
            else:
                finish(fd, running[fd])
        now = time.monotonic()
        for fd, info in list(running.items()):
            if now - info["start"] > timeout:
                try:
                    os.kill(info["pid"], signal.SIGKILL)
                except ProcessLookupError:
                    pass
                finish(fd, info, error=f"timed out after {timeout:g} s")
    return results


# --------------------------------------------------------------------------
# Child side: patch keras, execute the fixture, serialize what it built.
# --------------------------------------------------------------------------


def _code_position(code, lasti, fallback_line=None):
    """(line, column 1-based) of the instruction at `lasti` in `code`
    (Python >= 3.11 positions; older Pythons give only the line)."""
    if lasti is None or lasti < 0 or not hasattr(code, "co_positions"):
        return fallback_line, None
    try:
        pos = next(itertools.islice(code.co_positions(), lasti // 2, None))
    except StopIteration:
        return fallback_line, None
    line, _end_line, col, _end_col = pos
    if line is None:
        return fallback_line, None
    return line, (col + 1 if col is not None else None)


class _Recorder:
    def __init__(self, keras, fixture_path):
        self.keras = keras
        self.fixture = fixture_path
        from keras.src import applications

        self.app_dir = os.path.dirname(os.path.abspath(applications.__file__))
        self.app_prefix = self.app_dir + os.sep
        self.created = {}  # id(layer) -> info dict (keeps layer alive)
        self.models = []  # records, construction order
        self.placeholder_runs = 0  # nesting of runs on placeholder arrays
        self.placeholder_builds = 0  # layers built during such a run

    # -- stack inspection ------------------------------------------------
    def _stack_info(self, skip_self=None):
        """Innermost fixture frame position and outermost applications
        frame of the current stack."""
        frame = sys._getframe(2)
        fixture_pos = None
        app_frame = None
        while frame is not None:
            fn = frame.f_code.co_filename
            if fixture_pos is None and fn == self.fixture:
                # A Model subclass defined in the fixture calls
                # super().__init__ from its own __init__: skip that frame,
                # the construction site is further out.
                if not (
                    skip_self is not None
                    and frame.f_code.co_name in ("__init__", "__new__")
                    and frame.f_locals.get("self") is skip_self
                ):
                    fixture_pos = _code_position(
                        frame.f_code, frame.f_lasti, frame.f_lineno
                    )
            if fn.startswith(self.app_prefix):
                app_frame = frame
            frame = frame.f_back
        return fixture_pos, app_frame

    # -- patches -----------------------------------------------------------
    def install(self):
        from keras.src import backend, tree
        from keras.src.layers.layer import Layer
        from keras.src.models.functional import Functional
        from keras.src.models.model import Model
        from keras.src.models.sequential import Sequential
        from keras.src.ops.operation import Operation

        rec = self
        orig_new = Layer.__new__
        orig_call = Layer.__call__
        orig_functional_init = Functional.__init__
        orig_sequential_init = Sequential.__init__
        orig_model_init = Model.__init__
        orig_output_spec = backend.compute_output_spec
        orig_post_build = Operation._post_build
        sequential_build_code = Sequential.build.__code__

        def new(cls, *args, **kwargs):
            obj = orig_new(cls, *args, **kwargs)
            pos, app_frame = rec._stack_info()
            rec.created[id(obj)] = {
                "obj": obj,
                "pos": pos,
                "app_frame": app_frame,
            }
            return obj

        def call(self, *args, **kwargs):
            try:
                return orig_call(self, *args, **kwargs)
            except BaseException as e:
                if getattr(e, "_kt_layer", None) is None:
                    try:
                        e._kt_layer = self
                    except Exception:
                        pass
                raise

        def functional_init(self, *args, **kwargs):
            caller = sys._getframe(1)
            orig_functional_init(self, *args, **kwargs)
            if caller.f_code is sequential_build_code:
                return  # Sequential's inner Functional: not a user model
            rec._record(self, "functional")

        def sequential_init(self, *args, **kwargs):
            orig_sequential_init(self, *args, **kwargs)
            rec._record(self, "sequential")

        def model_init(self, *args, **kwargs):
            orig_model_init(self, *args, **kwargs)
            if not isinstance(self, (Functional, Sequential)):
                rec._record(self, "subclassed")

        def output_spec(fn, *args, **kwargs):
            # A run of `fn` on placeholder arrays when some dimension is None.
            placeholders = any(
                isinstance(x, backend.KerasTensor) and None in x.shape
                for x in tree.flatten((args, kwargs))
            )
            rec.placeholder_runs += placeholders
            try:
                return orig_output_spec(fn, *args, **kwargs)
            finally:
                rec.placeholder_runs -= placeholders

        def post_build(self):
            rec.placeholder_builds += rec.placeholder_runs > 0
            return orig_post_build(self)

        Layer.__new__ = staticmethod(new)
        Layer.__call__ = call
        Functional.__init__ = functional_init
        Sequential.__init__ = sequential_init
        Model.__init__ = model_init
        backend.compute_output_spec = output_spec
        Operation._post_build = post_build

    def _record(self, model, kind):
        if any(r["obj"] is model for r in self.models):
            return
        info = self.created.get(id(model)) or {}
        pos = info.get("pos")
        app_frame = info.get("app_frame")
        if pos is None or pos[0] is None:
            pos, app_frame2 = self._stack_info(skip_self=model)
            app_frame = app_frame or app_frame2
        if app_frame is not None:
            kind = "application"
            # Models an application builds internally come first; the last
            # one built under the same application call is the result.
            self.models = [
                r for r in self.models if r.get("app_frame") is not app_frame
            ]
        self.models.append(
            {
                "obj": model,
                "kind": kind,
                "line": pos[0] if pos else None,
                "column": pos[1] if pos else None,
                "app_frame": app_frame,
            }
        )

    def layer_line(self, layer):
        info = self.created.get(id(layer))
        if info and info["obj"] is layer and info["pos"]:
            return info["pos"][0]
        return None


def _shape(shape):
    return [None if d is None else int(d) for d in shape]


def _layer_output_shape(layer):
    """What summary_utils.format_layer_shape shows, as JSON data: one shape
    (list) or a list of shapes; None when it would show '?'."""
    from keras.src import tree

    if not layer._inbound_nodes and not layer._build_shapes_dict:
        return None
    try:
        if len(layer._inbound_nodes) > 0:
            outputs = layer._inbound_nodes[-1].output_tensors
            shapes = [_shape(x.shape) for x in tree.flatten(outputs)]
        else:
            if hasattr(layer, "output_shape"):
                out = layer.output_shape
            else:
                out = layer.compute_output_shape(**layer._build_shapes_dict)
            shapes = [_shape(s) for s in _flatten_shapes(out)]
    except Exception:
        return None
    if len(shapes) == 1:
        return shapes[0]
    return shapes


def _is_shape(x):
    return isinstance(x, (tuple, list)) and all(
        d is None or isinstance(d, int) for d in x
    )


def _flatten_shapes(x):
    if _is_shape(x):
        return [x]
    if isinstance(x, dict):
        x = [x[k] for k in sorted(x)]
    out = []
    for item in x:
        out.extend(_flatten_shapes(item))
    return out


def _count(weights):
    return int(sum(math.prod(w.shape) for w in weights))


def _layer_record(rec, layer):
    built = bool(getattr(layer, "built", False))
    params = trainable = non_trainable = None
    if not hasattr(layer, "built"):
        # An operation (`x + y`, `ops.mean(x)`), not a layer: model.summary() shows 0 params.
        params = trainable = non_trainable = 0
    elif built:
        try:
            params = int(layer.count_params())
            trainable = _count(layer.trainable_weights)
            non_trainable = _count(layer.non_trainable_weights)
        except Exception:
            params = trainable = non_trainable = None
    return {
        "name": layer.name,
        "type": layer.__class__.__name__,
        "line": rec.layer_line(layer),
        "output_shape": _layer_output_shape(layer),
        "params": params,
        "trainable_params": trainable,
        "non_trainable_params": non_trainable,
    }


def _with_connections(model, records, layers, kind):
    """``(records, shown)``: ``records`` with each one's "Connected to" entries (``connected_to``) as
    ``model.summary()`` shows them, for a functional model whose summary has that column (keras/src/utils/
    summary_utils.py ``print_summary``: not a chain, or a layer called twice in it), and whether it has it; for
    other models, or when Keras's own tables cannot be read, ``records`` unchanged and None."""
    if kind not in ("functional", "application"):
        return records, None
    try:
        from keras.src import tree

        nodes_by_depth = list(model._nodes_by_depth.values())
        chain = True
        nodes = []
        for v in nodes_by_depth:
            if len(v) > 1 or (len(v) == 1 and len(tree.flatten(v[0].input_tensors)) > 1):
                chain = False
                break
            nodes += v
        if chain:
            for layer in model.layers:
                seen = False
                for node in layer._inbound_nodes:
                    if node in nodes:
                        if seen:
                            chain = False
                            break
                        seen = True
                if not chain:
                    break
        if chain:
            return records, False
        relevant = [n for v in nodes_by_depth for n in v]
        out = []
        for record, layer in zip(records, layers):
            links = []
            for node in layer._inbound_nodes:
                if relevant and node not in relevant:
                    continue
                for kt in node.input_tensors:
                    history = kt._keras_history
                    links.append(f"{history.operation.name}[{history.node_index}][{history.tensor_index}]")
            out.append({**record, "connected_to": links})
        return out, True
    except Exception:
        return records, None


def _model_tensors(model, attr):
    from keras.src import tree

    try:
        tensors = getattr(model, attr)
    except Exception:
        return None
    if tensors is None:
        return None
    return [_shape(t.shape) for t in tree.flatten(tensors)]


def _model_record(rec, r, module_globals):
    model = r["obj"]
    name = None
    for k, v in module_globals.items():
        if v is model and not (k.startswith("__") and k.endswith("__")):
            name = k
            break
    built = bool(getattr(model, "built", False))
    try:
        # A functional model's summary lists its operations (`x + y`), not only model.layers; so does
        # an application's (MobileNetV3's hard-swish `x + 3.0`): it is a functional model.
        layers = list(model._operations if r["kind"] in ("functional", "application") else model.layers)
    except Exception:
        layers = []
    total = trainable = non_trainable = None
    if built:
        weights = getattr(model, "_collected_trainable_weights", None)
        if weights is None:
            weights = model.trainable_weights
        trainable = _count(weights)
        non_trainable = _count(model.non_trainable_weights)
        total = trainable + non_trainable
    param_bytes = _param_bytes(model) if built else None
    records, shown = _with_connections(model, [_layer_record(rec, layer) for layer in layers], layers, r["kind"])
    return {
        "name": name,
        "keras_name": getattr(model, "name", None),
        "line": r["line"],
        "column": r["column"],
        "kind": r["kind"],
        "built": built,
        "inputs": _model_tensors(model, "inputs") if built else None,
        "outputs": _model_tensors(model, "outputs") if built else None,
        "layers": records,
        **({"connections_shown": shown} if shown is not None else {}),
        "total_params": total,
        "trainable_params": trainable,
        "non_trainable_params": non_trainable,
        **({"param_bytes": param_bytes} if param_bytes is not None else {}),
    }


def _param_bytes(model):
    """The bytes of the model's weights as ``model.summary()`` adds them (each variable by its own dtype), or
    None where Keras cannot say."""
    try:
        from keras.src.utils.summary_utils import weight_memory_size

        size = weight_memory_size(model.trainable_weights) + weight_memory_size(model.non_trainable_weights)
    except Exception:
        return None
    return int(size) if float(size).is_integer() else size


_ANSI = None


def _first_line(message):
    """First line of an exception message.  Keras wraps errors raised inside
    a layer call as "Exception encountered when calling X.call().\n\n<bold
    real message>..."; for those the real message line is used."""
    global _ANSI
    import re

    if _ANSI is None:
        _ANSI = re.compile(r"\x1b\[[0-9;]*m")
    lines = [
        _ANSI.sub("", ln).strip() for ln in message.strip().splitlines()
    ]
    lines = [ln for ln in lines if ln]
    if not lines:
        return ""
    if lines[0].startswith("Exception encountered when calling") and len(
        lines
    ) > 1:
        return lines[1]
    return lines[0]


def _error_record(rec, exc, fixture):
    record = {
        "type": type(exc).__name__,
        "message": _first_line(str(exc)),
        "line": None,
    }
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == fixture:
            line, _ = _code_position(
                tb.tb_frame.f_code, tb.tb_lasti, tb.tb_lineno
            )
            record["line"] = line
        tb = tb.tb_next
    if record["line"] is None and isinstance(exc, SyntaxError):
        record["line"] = exc.lineno
    layer = getattr(exc, "_kt_layer", None)
    record["layer"] = (
        None
        if layer is None
        else {
            "name": layer.name,
            "type": layer.__class__.__name__,
            "line": rec.layer_line(layer),
        }
    )
    return record


def _file_record(keras, path, error, models):
    record = {
        "keras_version": keras.__version__,
        "path": rel_path(path),
        "error": error,
        "models": models,
    }
    if BACKEND != BACKENDS[0]:
        record["backend"] = BACKEND  # asked for by the fixture's BACKEND_DIRECTIVE
    needs = fixture_needs(path)
    if needs:
        record["needs"] = needs  # the fixture's NEEDS_DIRECTIVE
    return record


#: Internal key of a child's record: how many layers were built on placeholder arrays.
_PLACEHOLDER_BUILDS = "_placeholder_builds"
#: The numpy backend's placeholders for unknown dimensions, and the ones of the second run.
PLACEHOLDERS = {83: 97, 89: 101}


def _replace_int_consts(code, mapping, seen):
    consts = []
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            c = _replace_int_consts(c, mapping, seen)
        elif type(c) is int and c in mapping:
            seen.append(c)
            c = mapping[c]
        consts.append(c)
    return code.replace(co_consts=tuple(consts))


#: Samples in each split of a stubbed dataset (fixtures never depend on the count).
_STUB_SAMPLES = 64


#: The path a keras.applications model is given for its pretrained weights in a truth run (never read).
_WEIGHTS_NOT_DOWNLOADED = "/keras_truth/application_weights_not_downloaded.h5"


def _offline_application_weights(keras):
    """`weights="imagenet"` without a download: a keras.applications builder gets a path that is never read (its
    `load_weights` of that path does nothing), so the model is built as it is for those weights (EfficientNet
    B0-B7 add a Rescaling layer for them) with its initial values. Any other download or load still runs."""
    from keras.src.utils import file_utils

    real_get_file, real_load = file_utils.get_file, keras.Model.load_weights

    def get_file(*args, **kwargs):
        if sys._getframe(1).f_globals.get("__name__", "").startswith("keras.src.applications."):
            return _WEIGHTS_NOT_DOWNLOADED
        return real_get_file(*args, **kwargs)

    def load_weights(self, filepath, *args, **kwargs):
        if filepath == _WEIGHTS_NOT_DOWNLOADED:
            return None
        return real_load(self, filepath, *args, **kwargs)

    file_utils.get_file = get_file
    keras.Model.load_weights = load_weights


def _offline_datasets(keras):
    """`keras.datasets.*.load_data()` without a download: zero arrays of the documented shapes.

    The shapes are kerascount's dataset table (tests/test_datasets.py checks it against the
    docstrings of the installed Keras); labels cycle through every class, so that
    `to_categorical(y)` counts them all as it would on the real data.
    """
    import numpy as np

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from kerascount.extract.arrays import DATASETS

    def stub(name, data):
        def load_data(*args, **kwargs):
            label_mode = args[0] if name == "cifar100" and args else kwargs.get("label_mode", "fine")
            classes = 20 if name == "cifar100" and label_mode == "coarse" else data.classes or 2

            def split(n):
                if data.ragged:
                    x = np.empty(n, dtype=object)
                    for i in range(n):
                        x[i] = list(range(1, 2 + i % 7))
                else:
                    x = np.zeros((n, *data.x), dtype="uint8")
                    if name in ("cifar10", "cifar100") and keras.backend.image_data_format() == "channels_first":
                        # Keras stores these images channels first and transposes them only for channels_last
                        # (keras/src/datasets/cifar10.py, cifar100.py).
                        x = x.transpose(0, 3, 1, 2)
                y = (np.arange(n) % classes).reshape((n, *data.y)).astype("int64")
                return x, y

            return split(_STUB_SAMPLES), split(_STUB_SAMPLES // 4)

        return load_data

    for name, data in DATASETS.items():
        module = getattr(keras.datasets, name, None)
        if module is not None:
            module.load_data = stub(name, data)


def _build_on_fit(keras):
    """`fit` and `train_on_batch`, which the numpy backend does not implement, build the model as the jax
    backend's do before their first step (the model is built on the first batch; no training)."""
    from keras.src.trainers.data_adapters import array_slicing
    from keras.src.trainers.epoch_iterator import EpochIterator

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None, sample_weight=None,
            initial_epoch=0, steps_per_epoch=None, **kwargs):
        if validation_split and validation_data is None:
            (x, y, sample_weight), _ = array_slicing.train_validation_split(
                (x, y, sample_weight), validation_split=validation_split)
        iterator = EpochIterator(x=x, y=y, sample_weight=sample_weight, batch_size=batch_size,
                                 steps_per_epoch=steps_per_epoch, shuffle=shuffle, class_weight=class_weight,
                                 steps_per_execution=self.steps_per_execution)
        for _, _, data in iterator:  # the numpy trainer's _symbolic_build takes one batch (as its evaluate does)
            self._symbolic_build(data[0])
            break
        return None

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        self._symbolic_build((x, y, sample_weight))
        return None

    keras.Model.fit, keras.Model.train_on_batch = fit, train_on_batch


def _use_other_placeholders():
    """Make the numpy backend fill unknown dimensions with other placeholders (this child only)."""
    from keras.src.backend.numpy import core

    seen = []
    code = _replace_int_consts(core.compute_output_spec.__code__, PLACEHOLDERS, seen)
    if sorted(seen) != sorted(PLACEHOLDERS):
        raise RuntimeError(
            "the numpy backend's compute_output_spec does not use the placeholders "
            f"{sorted(PLACEHOLDERS)} as expected (found {sorted(seen)})"
        )
    core.compute_output_spec.__code__ = code


def _merge_runs(first, second):
    """The truth of two runs with different placeholders: numbers that differ are unknown (null)."""
    if isinstance(first, str):
        return first  # messages quote the placeholder shapes; keep the first run's text
    if type(first) is not type(second):
        return None
    if isinstance(first, dict):
        if first.keys() != second.keys():
            return None
        return {k: _merge_runs(first[k], second[k]) for k in first}
    if isinstance(first, list):
        if len(first) != len(second):
            return None
        return [_merge_runs(a, b) for a, b in zip(first, second)]
    return first if first == second else None


def _child_main(path, wfd, other_placeholders=False):
    keras = _keras
    from keras.src.backend.common import global_state
    from keras.src.utils import naming

    # Fresh name counters even if the parent (library use) made layers.
    if global_state.get_global_attribute("object_name_uids"):
        naming.reset_uids()

    # Silence the fixture (model.summary(), warnings, prints).
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)

    folder = os.path.dirname(path)
    os.chdir(folder)
    sys.path.insert(0, folder)
    sys.argv = [path]

    rec = _Recorder(keras, path)
    rec.install()
    _offline_datasets(keras)
    _offline_application_weights(keras)
    _build_on_fit(keras)
    setup_error = None
    if other_placeholders:
        try:
            _use_other_placeholders()
        except RuntimeError as e:
            setup_error = {"type": "KerasTruthError", "message": str(e), "line": None, "layer": None}

    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__builtins__ = builtins
    sys.modules["__main__"] = module
    g = module.__dict__
    error = setup_error
    try:
        if setup_error is None:
            with open(path, "rb") as f:
                source = f.read()
            code = compile(source, path, "exec")
            exec(code, g)
            calls = fixture_calls(path)
            reset_names = _names_after_script() if calls else None
            for call in calls:
                reset_names()
                eval(compile(call, path, "eval"), g)  # noqa: S307 - the fixture's own header says what to call
    except SystemExit as e:
        if e.code not in (None, 0):
            error = _error_record(rec, e, path)
    except BaseException as e:  # noqa: BLE001 - anything the fixture raises
        error = _error_record(rec, e, path)

    try:
        models = [_model_record(rec, r, g) for r in rec.models]
        out = _file_record(keras, path, error, models)
        out[_PLACEHOLDER_BUILDS] = rec.placeholder_builds
    except BaseException as e:  # noqa: BLE001
        out = _file_record(
            keras,
            path,
            {
                "type": "KerasTruthError",
                "message": "recording failed: "
                + "".join(traceback.format_exception_only(e)).strip(),
                "line": None,
                "layer": None,
            },
            [],
        )
    data = json.dumps(out).encode("utf-8")
    view = memoryview(data)
    while view:
        n = os.write(wfd, view)
        view = view[n:]
    os.close(wfd)
    os._exit(0)


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------


def render(truth):
    return json.dumps(truth, indent=1) + "\n"


def truth_path(py_path):
    assert py_path.endswith(".py")
    return py_path[: -len(".py")] + TRUTH_SUFFIX


#: First-line marker of a fixture that real Keras 3 cannot run (Keras 1 code, compared
#: instead with the truth of its Keras 3 rewrite); directory walks skip it.
NO_TRUTH = "# keras-truth: none"

#: Fixture folders whose files test findings, not numbers (fixtures/faults: buggy programs and
#: their fixed twins, many written as tf.keras snippets; fixtures/datafaults: crash-then-fix pairs on data,
#: checked with real Keras by tools/fault_truth.py); directory walks skip them.
NO_TRUTH_DIRS = {"faults", "datafaults"}


def _no_truth(path):
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.readline().startswith(NO_TRUTH)
    except OSError:
        return False


def collect_paths(args):
    out = []
    for p in args:
        if os.path.isdir(p):
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(
                    d for d in dirs
                    if d != "__pycache__" and not d.startswith(".") and d not in NO_TRUTH_DIRS
                )
                found.extend(
                    os.path.join(root, f) for f in files if f.endswith(".py")
                )
            # A directory walk leaves out files marked as having no Keras 3 truth (see NO_TRUTH).
            out.extend(sorted(f for f in found if not _no_truth(f)))
        elif os.path.isfile(p) and p.endswith(".py"):
            out.append(p)
        else:
            raise FileNotFoundError(f"not a .py file or directory: {p}")
    seen = set()
    uniq = []
    for p in out:
        ap = os.path.abspath(p)
        if ap not in seen:
            seen.add(ap)
            uniq.append(ap)
    return uniq


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Write (or --check) X.keras.json ground truth for "
        "fixture files by running them with real Keras (numpy backend, or the one "
        "a fixture's '# keras-truth: backend=NAME' header comment asks for)."
    )
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if any checked-in truth differs",
    )
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS)
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help="seconds per file (default %(default)s)",
    )
    parser.add_argument("--emit-json", action="store_true", help=argparse.SUPPRESS)
    if argv is None:
        argv = sys.argv[1:]
    args = parser.parse_args(argv)
    if not _hash_seed_fixed():
        # Same hash seed on every run (see _hash_seed_fixed); re-exec.
        sys.stdout.flush()
        os.execve(
            sys.executable,
            [sys.executable, os.path.abspath(__file__), *argv],
            _fixed_seed_env(),
        )

    try:
        paths = collect_paths(args.paths)
        for p in paths:
            fixture_backend(p)  # a ValueError for a backend keras_truth does not run
            fixture_needs(p)  # a ValueError for a module it does not know
    except (FileNotFoundError, ValueError) as e:
        print(f"keras_truth: {e}", file=sys.stderr)
        return 2
    if not paths:
        print("keras_truth: no .py files found", file=sys.stderr)
        return 2
    # Fixtures that need a module not importable here keep their checked-in truth (see NEEDS_DIRECTIVE).
    kept = {p: missing_needs(p) for p in paths}
    kept = {p: m for p, m in kept.items() if m}
    if kept and not args.emit_json:
        absent = sorted({m for ms in kept.values() for m in ms})
        print(f"keras_truth: {len(kept)} file{'s' if len(kept) != 1 else ''} need{'s' if len(kept) == 1 else ''} "
              f"{', '.join(absent)}, which is not importable here: truth left as checked in"
              + (" and not compared" if args.check else ""), file=sys.stderr)
    run = [p for p in paths if p not in kept]
    missing = [p for p in kept if not os.path.exists(truth_path(p))]
    try:
        truths = truth_for_files(run, jobs=args.jobs, timeout=args.timeout) if run else []
    except BackendError as e:
        print(f"keras_truth: {e}", file=sys.stderr)
        return 2

    if args.emit_json:
        json.dump(truths, sys.stdout)
        return 0

    differing = 0
    if args.check:
        for path in missing:
            differing += 1
            print(f"MISSING {rel_path(truth_path(path))} (its fixture needs {', '.join(kept[path])})")
    for path, truth in zip(run, truths):
        new = render(truth)
        tpath = truth_path(path)
        shown = rel_path(tpath)
        if args.check:
            if not os.path.exists(tpath):
                differing += 1
                print(f"MISSING {shown}")
                continue
            with open(tpath, encoding="utf-8") as f:
                old = f.read()
            if old != new:
                differing += 1
                print(f"DIFFERS {shown}")
                sys.stdout.writelines(
                    difflib.unified_diff(
                        old.splitlines(keepends=True),
                        new.splitlines(keepends=True),
                        fromfile=f"{shown} (checked in)",
                        tofile=f"{shown} (keras {truth['keras_version']})",
                        n=4,
                    )
                )
        else:
            old = None
            if os.path.exists(tpath):
                with open(tpath, encoding="utf-8") as f:
                    old = f.read()
            if old != new:
                with open(tpath, "w", encoding="utf-8") as f:
                    f.write(new)
                print(f"wrote {shown}")
            err = truth["error"]
            if err and err["type"] == "KerasTruthError":
                print(f"  !! {shown}: {err['message']}", file=sys.stderr)
    if args.check:
        # Truth files whose fixture is gone (only for directory arguments).
        orphans = 0
        wanted = {truth_path(p) for p in paths}
        for d in args.paths:
            if not os.path.isdir(d):
                continue
            for root, dirs, files in os.walk(d):
                dirs[:] = sorted(x for x in dirs if not x.startswith("."))
                for f in sorted(files):
                    full = os.path.abspath(os.path.join(root, f))
                    if f.endswith(TRUTH_SUFFIX) and full not in wanted:
                        orphans += 1
                        print(f"ORPHAN {rel_path(full)} (no matching .py)")
        print(
            f"{len(run) + len(missing) - differing} of {len(run) + len(missing)} truth files up to date"
            + (f", {differing} differ" if differing else "")
            + (f", {len(kept) - len(missing)} not compared (a module they need is not importable)"
               if len(kept) > len(missing) else "")
            + (f", {orphans} orphaned" if orphans else "")
        )
        return 1 if differing or orphans else 0
    print(f"{len(run)} files processed" + (f", {len(kept)} left as they are" if kept else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
