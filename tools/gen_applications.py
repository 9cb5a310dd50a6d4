#!/usr/bin/env python3
"""Generate ``kerascount/catalogue/applications.json`` from REAL Keras.

Usage (one process at a time: the big models need GBs of RAM)::

    KERAS_BACKEND=numpy /work/venv/bin/python tools/gen_applications.py [--only NAME,...] [--exhaustive NAME,...]
    KERAS_BACKEND=numpy /work/venv/bin/python tools/gen_applications.py --graphs [--only NAME,...]

For every model in ``keras.applications`` this measures, with ``weights=None``:

* the base (``include_top=False``, ``pooling=None``) parameter counts with 1, 3 and 4
  input channels, stored as linear functions of the channel count (asserted linear);
* the top (``include_top=True``) as a linear function of ``classes`` (measured with 2
  and 1000 classes, checked again with 1 channel); VGG's Flatten head also depends on
  the spatial size, which is stored as ``top.flatten_units`` and checked at another size;
* the number of output channels of the base (``features``);
* that ``weights='imagenet'`` builds the same architecture (weight loading patched out);
* that ``pooling='avg'``/``'max'`` add no parameters;
* the spatial rule: a hand-written list of the spatial reductions on the main path
  (``SPATIAL`` below, read from the Keras source), verified against real Keras at a
  sample of sizes for every model (and every size from the minimum to 300 for the
  models named with ``--exhaustive``); parameter counts that depend on the spatial size
  (NASNet's adjust blocks) are recorded per size class and verified the same way.

Random initializers are replaced by zeros while measuring (shapes and counts do not
depend on values; this makes the big models fast to build). Nothing here is imported
by kerascount: it only reads the JSON this writes.
"""

import os

os.environ["KERAS_BACKEND"] = "numpy"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import argparse  # noqa: E402
import gc  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "kerascount", "catalogue", "applications.json")

# -- hand-written knowledge, read from keras/src/applications/*.py (Keras 3.15.1) ----------

def V(kernel, stride, pad=(0, 0)):
    """A valid window (conv or pool) after an optional ZeroPadding: floor((L+lo+hi-k)/s)+1."""
    return {"op": "valid", "kernel": kernel, "stride": stride, "pad": list(pad)}


def S(stride):
    """A 'same' window, or a ZeroPadding(correct_pad)+valid window (equal for known sizes): ceil(L/s)."""
    return {"op": "same", "stride": stride}


_RESNET = [V(7, 2, (3, 3)), V(3, 2, (1, 1)), V(1, 2), V(1, 2), V(1, 2)]
_RESNET_V2 = [V(7, 2, (3, 3)), V(3, 2, (1, 1)), V(3, 2, (1, 1)), V(3, 2, (1, 1)), V(3, 2, (1, 1))]
_DENSENET = [V(7, 2, (3, 3)), V(3, 2, (1, 1)), V(2, 2), V(2, 2), V(2, 2)]
_INCEPTION = [V(3, 2), V(3, 1), V(3, 2), V(3, 1), V(3, 2), V(3, 2), V(3, 2)]
_FIVE_SAME = [S(2)] * 5
SPATIAL = {
    "VGG16": [V(2, 2)] * 5,
    "VGG19": [V(2, 2)] * 5,
    "ResNet50": _RESNET, "ResNet101": _RESNET, "ResNet152": _RESNET,
    "ResNet50V2": _RESNET_V2, "ResNet101V2": _RESNET_V2, "ResNet152V2": _RESNET_V2,
    "DenseNet121": _DENSENET, "DenseNet169": _DENSENET, "DenseNet201": _DENSENET,
    "InceptionV3": _INCEPTION,
    "InceptionResNetV2": _INCEPTION,
    "Xception": [V(3, 2), V(3, 1), S(2), S(2), S(2), S(2)],
    "MobileNet": [S(2), V(3, 2, (0, 1)), V(3, 2, (0, 1)), V(3, 2, (0, 1)), V(3, 2, (0, 1))],
    "MobileNetV2": _FIVE_SAME,
    "MobileNetV3Small": _FIVE_SAME, "MobileNetV3Large": _FIVE_SAME,
    "NASNetMobile": [V(3, 2), S(2), S(2), S(2), S(2)],
    "NASNetLarge": [V(3, 2), S(2), S(2), S(2), S(2)],
}
for _n in ["B0", "B1", "B2", "B3", "B4", "B5", "B6", "B7"]:
    SPATIAL["EfficientNet" + _n] = _FIVE_SAME
for _n in ["B0", "B1", "B2", "B3", "S", "M", "L"]:
    SPATIAL["EfficientNetV2" + _n] = _FIVE_SAME
for _n in ["Tiny", "Small", "Base", "Large", "XLarge"]:
    SPATIAL["ConvNeXt" + _n] = [V(4, 4), V(2, 2), V(2, 2), V(2, 2)]

#: How each model turns its arguments into an input shape (see applications.py).
INPUT_LOGIC = {"MobileNet": "mobilenet", "MobileNetV2": "mobilenet_v2",
               "MobileNetV3Small": "mobilenet_v3", "MobileNetV3Large": "mobilenet_v3",
               "NASNetMobile": "nasnet", "NASNetLarge": "nasnet"}
#: Minimum size and default size passed to obtain_input_shape.
MIN_SIZE = {"InceptionV3": 75, "InceptionResNetV2": 75, "Xception": 71}
DEFAULT_SIZE = {"InceptionV3": 299, "InceptionResNetV2": 299, "Xception": 299, "NASNetLarge": 331,
                "EfficientNetB1": 240, "EfficientNetB2": 260, "EfficientNetB3": 300, "EfficientNetB4": 380,
                "EfficientNetB5": 456, "EfficientNetB6": 528, "EfficientNetB7": 600,
                "EfficientNetV2B1": 240, "EfficientNetV2B2": 260, "EfficientNetV2B3": 300,
                "EfficientNetV2S": 384, "EfficientNetV2M": 480, "EfficientNetV2L": 480}
#: MobileNet / MobileNetV2 take their default size from a square input of one of these sizes.
SIZE_CHOICES = {"MobileNet": [128, 160, 192, 224], "MobileNetV2": [96, 128, 160, 192, 224]}
#: Arguments whose values change the architecture: the values measured (imagenet-valid ones).
VARIANTS = {
    "MobileNet": {"alpha": [0.25, 0.5, 0.75, 1.0], "depth_multiplier": [1]},
    "MobileNetV2": {"alpha": [0.35, 0.5, 0.75, 1.0, 1.3, 1.4]},
    "MobileNetV3Small": {"alpha": [0.75, 1.0], "minimalistic": [False, True]},
    "MobileNetV3Large": {"alpha": [0.75, 1.0], "minimalistic": [False, True]},
}
#: Arguments that change neither shapes nor parameter counts (verified for include_preprocessing).
INERT = {"dropout", "dropout_rate", "include_preprocessing"}
#: Models whose include_top head is Flatten → Dense(4096) (params depend on the spatial size).
FLATTEN_TOP = {"VGG16": 4096, "VGG19": 4096}
#: Models exhaustively verified (every size from the minimum to 300) by default.
EXHAUSTIVE_DEFAULT = ["DenseNet121", "MobileNetV2", "NASNetMobile", "MobileNet"]

# ------------------------------------------------------------------------------------------


def window(length, step):
    if length is None:
        return None
    if step["op"] == "same":
        return -(-length // step["stride"])
    lo, hi = step["pad"]
    return (length + lo + hi - step["kernel"]) // step["stride"] + 1


def spatial_out(length, steps):
    for step in steps:
        length = window(length, step)
        if length is not None and length <= 0:
            return "error"
    return length


def count(weights):
    return int(sum(math.prod(w.shape) for w in weights))


_keras = None


def keras():
    global _keras
    if _keras is None:
        import keras as k
        from keras.src.backend.numpy import random as nprandom
        from keras.src.utils import file_utils
        from keras.src.models import Model

        # Zeros instead of random draws: only shapes matter here.
        def zeros(shape, *a, dtype=None, **kw):
            return np.zeros(shape, dtype=dtype or "float32")

        for fn in ("normal", "uniform", "truncated_normal"):
            setattr(nprandom, fn, zeros)
        # Each variable a read-only view of one zero: the shapes without the memory (ConvNeXtXLarge's 350M
        # weights, built ten times, were killed for memory).
        from keras.src.backend.numpy.core import Variable

        def initialize(self, value):
            value = np.asarray(value)
            self._value = np.broadcast_to(np.zeros((), dtype=value.dtype), value.shape)

        Variable._initialize = initialize
        # weights='imagenet' without a download: fake file, no loading.
        file_utils.get_file = lambda *a, **kw: "/nonexistent/weights.h5"
        Model.load_weights = lambda self, *a, **kw: None
        warnings.simplefilter("ignore")
        _keras = k
    return _keras


def build(name, **kwargs):
    k = keras()
    kwargs.setdefault("weights", None)
    try:
        model = getattr(k.applications, name)(**kwargs)
        out = {
            "trainable": count(model.trainable_weights),
            "non_trainable": count(model.non_trainable_weights),
            "input": [None if d is None else int(d) for d in model.inputs[0].shape],
            "output": [None if d is None else int(d) for d in model.outputs[0].shape],
            "name": model.name,
            # Keras's automatic-name counters this build used up (clear_session resets them).
            "uids": {p: n for p, n in sorted(_uids().items()) if p not in NOT_LAYER_UIDS},
        }
    except Exception as exc:  # noqa: BLE001
        out = {"error": f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"}
    k.backend.clear_session()
    gc.collect()
    return out


#: Name counters that are not layer names.
NOT_LAYER_UIDS = {"keras_tensor", "seed_generator"}


def _uids():
    from keras.src.backend.common import global_state

    return dict(global_state.get_global_attribute("object_name_uids", default={}) or {})


def linear(points, what):
    """points: {x: y}; fit y = a + b*x through the first two, assert the rest."""
    xs = sorted(points)
    x0, x1 = xs[0], xs[1]
    b = (points[x1] - points[x0]) // (x1 - x0)
    a = points[x0] - b * x0
    for x in xs:
        assert a + b * x == points[x], (what, points)
    return [a, b]


def export_paths(k, name):
    paths = []
    for mod in sorted(dir(k.applications)):
        sub = getattr(k.applications, mod)
        if inspect.ismodule(sub) and getattr(sub, name, None) is getattr(k.applications, name):
            paths.append(f"keras.applications.{mod}.{name}")
    return ["keras.applications." + name] + paths


def signature(fn):
    out = []
    for p in inspect.signature(fn).parameters.values():
        assert p.kind == p.POSITIONAL_OR_KEYWORD, (fn, p)
        out.append([p.name, p.default])
    return out


def measure_variant(name, extra, default_size, min_size, log):
    """Param data of one variant (extra = architecture-changing arguments)."""
    d = default_size
    base = {}
    feats = None
    for c in (1, 3, 4):
        r = build(name, include_top=False, input_shape=(d, d, c), **extra)
        assert "error" not in r, (name, extra, c, r)
        base[c] = r
        feats = r["output"][-1]
    trainable = linear({c: base[c]["trainable"] for c in base}, (name, "trainable"))
    non_trainable = linear({c: base[c]["non_trainable"] for c in base}, (name, "non_trainable"))
    # pooling adds nothing
    for pooling in ("avg", "max"):
        r = build(name, include_top=False, input_shape=(d, d, 3), pooling=pooling, **extra)
        assert r["trainable"] == base[3]["trainable"] and r["non_trainable"] == base[3]["non_trainable"], r
        assert r["output"] == [None, feats], r
    # top
    top = {}
    for classes in (2, 1000):
        r = build(name, include_top=True, input_shape=(d, d, 3), classes=classes, **extra)
        assert "error" not in r, (name, r)
        assert r["output"] == [None, classes], r
        assert r["non_trainable"] == base[3]["non_trainable"], (name, r)
        top[classes] = r["trainable"] - base[3]["trainable"]
    top_lin = linear(top, (name, "top"))
    r = build(name, include_top=True, input_shape=(d, d, 1), classes=2, **extra)
    assert r["trainable"] - base[1]["trainable"] == top[2], (name, "top with 1 channel", r)
    # imagenet weights build the same architecture (loading patched out)
    for include_top in (False, True):
        r = build(name, include_top=include_top, weights="imagenet", **extra)
        if "error" in r and "imagenet weights are being loaded" in r["error"]:
            continue  # a variant imagenet has no weights for (weights=None only)
        if r.get("input", [None, 0])[1] is None:
            continue  # built at a None size (NASNetLarge): counts for None sizes are measured separately
        exp_t = base[3]["trainable"] + (top[1000] if include_top else 0)
        assert r.get("trainable") == exp_t and r["non_trainable"] == base[3]["non_trainable"], (name, r)
    log(f"  {name} {extra}: trainable {trainable} non-trainable {non_trainable} top {top_lin} features {feats}")
    return {
        "args": extra,
        "features": feats,
        "trainable": trainable,
        "non_trainable": non_trainable,
        "top": top_lin,
    }


def sizes_to_check(name, min_size, exhaustive, big=False):
    if big:
        # Models over 30M parameters take seconds per build: a smaller sample.
        return sorted({min_size, min_size + 1, 97, 129, 225, 301})
    if exhaustive:
        sizes = list(range(min_size, 301))
    else:
        sizes = sorted({min_size, min_size + 1, min_size + 2, min_size + 3, 63, 64, 65, 97, 127, 128, 129,
                        191, 223, 225, 255, 257, 299, 301, 333})
        sizes = [s for s in sizes if s >= min_size]
    return sizes


def verify_spatial(name, app, min_size, exhaustive, log):
    """Build at many sizes; pairs (H, W) = (s, s+1) check two sizes per build."""
    steps = app["spatial"]["steps"]
    v0 = app["variants"][0]
    big = v0["trainable"][0] > 30_000_000
    sizes = sizes_to_check(name, min_size, exhaustive, big)
    checked = 0
    by_w = {}
    step = 2 if exhaustive else 1
    for i in range(0, len(sizes), step):
        h = sizes[i]
        w = sizes[i + 1] if i + 1 < len(sizes) else sizes[i]
        if not exhaustive:
            w = h + 1 if i % 2 else h
        r = build(name, include_top=False, input_shape=(h, w, 3))
        exp = [None, spatial_out(h, steps), spatial_out(w, steps), v0["features"]]
        if "error" in r:
            raise AssertionError(f"{name} at {(h, w)}: Keras raised {r['error']}; rule says {exp}")
        assert r["output"] == exp, (name, (h, w), r["output"], exp)
        by_w[w] = (r["trainable"], r["non_trainable"])
        checked += 2
    # sizes below the minimum are rejected
    r = build(name, include_top=False, input_shape=(min_size - 1, min_size, 3))
    assert "error" in r and "at least" in r["error"], (name, r)
    r = build(name, include_top=False, input_shape=(min_size, min_size - 1, 3))
    assert "error" in r and "at least" in r["error"], (name, r)
    log(f"  {name}: spatial rule verified at {checked} sizes ({'exhaustive' if exhaustive else 'sample'})")
    return by_w, sorted(set(sizes))


def generate(names, exhaustive, log, save=None):
    k = keras()
    apps = {}
    for name in names:
        t0 = time.time()
        fn = getattr(k.applications, name)
        sig = signature(fn)
        sigd = dict(sig)
        default_size = DEFAULT_SIZE.get(name, 224)
        min_size = MIN_SIZE.get(name, 32)
        variant_space = VARIANTS.get(name, {})
        combos = [{}]
        for arg, values in variant_space.items():
            combos = [dict(c, **{arg: v}) for c in combos for v in values]
        default_args = {a: sigd[a] for a in variant_space}
        combos.sort(key=lambda c: c != default_args)  # the default variant first
        variants = [measure_variant(name, c, default_size, min_size, log) for c in combos]
        app = {
            "keras_name": sigd["name"],
            "paths": export_paths(k, name),
            "signature": sig,
            "default_size": default_size,
            "min_size": min_size,
            "input_logic": INPUT_LOGIC.get(name, "standard"),
            "size_choices": SIZE_CHOICES.get(name),
            "imagenet_requires_3_channels": True,
            "variant_args": sorted(variant_space),
            "inert_args": sorted(a for a in sigd if a in INERT),
            "variants": variants,
            "spatial": {"exact": True, "steps": SPATIAL[name]},
            "top_flatten_units": FLATTEN_TOP.get(name),
            "size_dependent_params": None,
        }
        # include_preprocessing changes no counts
        if "include_preprocessing" in sigd:
            for c in (1, 3):
                r = build(name, include_top=False, input_shape=(default_size, default_size, c),
                          include_preprocessing=False)
                v = variants[0]
                assert r["trainable"] == v["trainable"][0] + v["trainable"][1] * c, (name, r)
                assert r["non_trainable"] == v["non_trainable"][0] + v["non_trainable"][1] * c, (name, r)
        # imagenet with channels != 3 raises (before any download)
        r = build(name, include_top=False, weights="imagenet", input_shape=(default_size, default_size, 1))
        app["imagenet_requires_3_channels"] = "error" in r
        app["imagenet_1_channel_error"] = r.get("error")
        # spatial rule and size-dependent params
        by_w, sizes = verify_spatial(name, app, min_size, name in exhaustive, log)
        v0 = variants[0]
        base3 = (v0["trainable"][0] + 3 * v0["trainable"][1], v0["non_trainable"][0] + 3 * v0["non_trainable"][1])
        odd = {w: (t - base3[0], n - base3[1]) for w, (t, n) in by_w.items() if (t, n) != base3}
        none = build(name, include_top=False, input_shape=(None, None, 3))
        if "error" not in none and (none["trainable"], none["non_trainable"]) != base3:
            odd[None] = (none["trainable"] - base3[0], none["non_trainable"] - base3[1])
        if odd:
            app["size_dependent_params"] = {
                "axis": "width",
                "checked_widths": sorted({w for w in by_w}),
                "delta_by_width": {("none" if w is None else str(w)): list(d) for w, d in sorted(
                    odd.items(), key=lambda kv: -1 if kv[0] is None else kv[0])},
            }
            log(f"  {name}: params depend on the input width: {app['size_dependent_params']['delta_by_width']}")
        # VGG: Flatten head depends on the spatial size
        if name in FLATTEN_TOP:
            s = default_size + 33
            r = build(name, include_top=True, input_shape=(s, s, 3), classes=10)
            o = spatial_out(s, SPATIAL[name])
            od = spatial_out(default_size, SPATIAL[name])
            exp = (v0["trainable"][0] + 3 * v0["trainable"][1] + v0["top"][0] + 10 * v0["top"][1]
                   + (o * o - od * od) * v0["features"] * FLATTEN_TOP[name])
            assert r["trainable"] == exp, (name, r, exp)
        # without input_shape: the input Keras uses (include_top forces the default size,
        # except MobileNetV3; NASNetMobile without top defaults to 224x224)
        r = build(name, include_top=True)
        app["default_input_with_top"] = r.get("input")[1:]
        auto_names = {"top": r.get("uids")}
        r = build(name, include_top=False)
        app["default_input_without_top"] = r.get("input")[1:]
        # Unnamed layers inside the application take Keras's automatic names (input_layer,
        # zero_padding2d, ...), shifting the names of the user's layers built after it.
        shape = (default_size, default_size, 3)
        for pooling in (None, "avg", "max"):
            auto_names[str(pooling).lower()] = build(name, include_top=False, input_shape=shape,
                                                     pooling=pooling).get("uids")
        app["auto_names"] = auto_names
        log(f"{name}: done in {time.time() - t0:.0f}s")
        apps[name] = app
        if save is not None:
            save(apps)  # after each model, so an interrupted run keeps what it measured
    return apps


def render(doc):
    """Sorted keys; one application per block."""
    lines = ["{"]
    lines.append(f' "activations": {json.dumps(doc["activations"])},')
    lines.append(' "applications": {')
    names = sorted(doc["applications"])
    for i, name in enumerate(names):
        body = json.dumps(doc["applications"][name], sort_keys=True, indent=1)
        body = "\n".join("  " + ln for ln in body.splitlines()).lstrip()
        lines.append(f"  {json.dumps(name)}: {body}{',' if i < len(names) - 1 else ''}")
    lines.append(" },")
    lines.append(f' "keras_version": {json.dumps(doc["keras_version"])}')
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- layer graphs (kerascount/catalogue/application_graphs.json.gz) ----------------------------------

GRAPHS_OUT = os.path.join(REPO, "kerascount", "catalogue", "application_graphs.json.gz")


def _arguments(layer_config, spec):
    """The constructor arguments the catalogue reads that differ from its defaults (JSON values only)."""
    out = {}
    for key, value in layer_config.items():
        if key in ("name", "trainable", "dtype") or key not in spec.defaults or isinstance(value, dict):
            continue
        default = spec.defaults[key]
        if isinstance(default, tuple):
            default = json.loads(json.dumps(default))
        if value != default:
            out[key] = value
    return out


def _rows(name, **kwargs):
    """``name`` built with ``kwargs`` (default: its base), as rows ``[class, name, arguments, inputs]``."""
    sys.path.insert(0, REPO)
    from kerascount import catalogue

    k = keras()
    kwargs.setdefault("include_top", False)
    kwargs.setdefault("weights", None)  # (weights="imagenet" builds without a download: see keras())
    try:
        model = getattr(k.applications, name)(**kwargs)
        config = json.loads(model.to_json())["config"]["layers"]  # as saved: tensors as keras_history
    finally:  # (a failed build too: its automatic names would shift the next build's)
        k.backend.clear_session()
        gc.collect()
    index = {layer["name"]: i for i, layer in enumerate(config)}
    rows = []
    for layer in config:
        kind = layer["class_name"]
        inputs = []

        def walk(value):
            if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
                history = value["config"]["keras_history"]
                if history[1] or history[2]:
                    raise LookupError(f"{layer['name']} uses a node or output other than the first")
                inputs.append(index[history[0]])
            elif isinstance(value, dict):
                for item in value.values():
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        if len(layer["inbound_nodes"]) > 1:
            raise LookupError(f"{layer['name']} is shared")
        for node in layer["inbound_nodes"]:
            walk(node["args"])
            walk(node["kwargs"])
        if kind == "InputLayer":
            rows.append([kind, layer["name"], {}, []])
            continue
        if layer["module"].startswith("keras.src.ops.") and catalogue.operation(kind) is not None:
            # An operation on tensors (MobileNetV3's x + 3.0): its positional operands, a tensor as "$k"
            # (the k-th of its inputs).
            (node,) = layer["inbound_nodes"]
            if node["kwargs"]:
                raise LookupError(f"{layer['name']} has keyword operands")
            operands, k = [], 0
            for arg in node["args"]:
                if isinstance(arg, dict) and arg.get("class_name") == "__keras_tensor__":
                    operands.append(f"${k}")
                    k += 1
                elif isinstance(arg, (int, float)) and not isinstance(arg, bool):
                    operands.append(arg)
                else:
                    raise LookupError(f"{layer['name']} has an operand that is neither a tensor nor a number")
            rows.append([kind, layer["name"], {"$operation": operands}, inputs])
            continue
        if kind == "Sequential" and layer["module"] == "keras":
            # A nested Sequential (ConvNeXt's stem and downsampling blocks): one row, its layers (without the
            # InputLayer Keras makes when it is built) under it.
            inner = [[sub["class_name"], sub["config"]["name"], _arguments(sub["config"], _spec(catalogue, sub))]
                     for sub in layer["config"]["layers"] if sub["class_name"] != "InputLayer"]
            if any(sub[0] == "Sequential" for sub in inner):
                raise LookupError(f"{layer['name']} nests a model in a nested model")
            rows.append([kind, layer["name"], {"$layers": inner}, inputs])
            continue
        rows.append([kind, layer["name"], _arguments(layer["config"], _spec(catalogue, layer)), inputs])
    return rows


def _spec(catalogue, layer):
    """The catalogue's spec of a saved layer: a ``keras.layers`` class or one only the applications build."""
    kind = layer["class_name"]
    if layer["module"] == "keras.layers":
        spec = catalogue.lookup(kind)
    elif layer["module"].startswith("keras.src.applications."):  # CustomScaleLayer, LayerScale
        spec = catalogue.application_layer(kind) if catalogue.lookup(kind) is None else None
    else:
        spec = None
    if spec is None:
        raise LookupError(f"{layer['module']}.{kind} is not in the catalogue")
    return spec


#: Input shapes the graphs are generated from: a known even size, odd sizes (257 and 513 stay odd through every
#: halving: 129, 65, 33, 17, 9, 5, 3, so each correct_pad differs; 259 and 515 after NASNet's valid 3x3 stride-2
#: stem: 129 and 257) and open sizes.
EVEN, ODD, OPEN = (256, 256, 3), [(257, 513, 3), (259, 515, 3)], (None, None, 3)


def graph(name):
    """The base of ``name`` (include_top=False, pooling=None) as rows ``[class, name, arguments, inputs]`` in
    ``model.layers`` order, and the layers its top and poolings add, or None when a layer is not
    in the catalogue or is shared (see :func:`_split` for the parts).

    Built at several sizes: a ZeroPadding2D whose padding differs between even and odd sizes is Keras's
    ``correct_pad``, marked ``"correct_pad": true`` for kerascount to compute from the size it gets; a layer
    Keras builds only for 3 channels (ConvNeXt's PreStem) is marked ``"$channels": 3``. Where the layers differ
    between a known and an open width (NASNet's ``_adjust_block`` compares ``p.shape[-2] != ip.shape[-2]``,
    which ``None != None`` makes false), the open-width graph is stored as ``"open_width"``, after checking
    that only the width decides and that every known width from the minimum on gives the same layers."""
    try:
        rows = _marked(_rows(name, input_shape=EVEN), *(_rows(name, input_shape=shape) for shape in ODD))
        _mark_channels(name, rows)
        _mark_preprocessing(name, rows)
        out = _split(name, rows, EVEN)
        open_rows = _rows(name, input_shape=OPEN)
        if _layout(open_rows) == _layout(rows):
            for row, other in zip(rows, open_rows):  # an open size pads as an even one
                if {k: v for k, v in row[2].items() if k not in ("correct_pad", "$channels", "$preprocessing")} != other[2]:
                    raise LookupError(f"{row[1]}'s arguments change with an open size")
            _insert_imagenet(name, out)
            return out
        # Keras's correct_pad fails (TypeError) on a known height with an open width: an open width is built with
        # an open height only, where every correct_pad pads as for even sizes (the stored padding). Its
        # ZeroPadding2D layers are the known-width graph's correct_pad layers of the same name.
        pads = {r[1] for r in rows if r[2].get("correct_pad")}
        for row in open_rows:
            if row[1] in pads:
                row[2] = {**row[2], "correct_pad": True}
        _mark_channels(name, open_rows, OPEN)
        _mark_preprocessing(name, open_rows, OPEN)
        # Only the width decides: an open height with a known width builds the known-width layers.
        for width in (32, 33, 34, 63, 100, 331):
            for height in (None, 64):
                try:
                    built = _rows(name, input_shape=(height, width, 3))
                except ValueError as exc:  # an odd width under an open height: the cell's branches disagree
                    print(f"{name}: Keras fails at {(height, width, 3)} ({str(exc).splitlines()[0]})", flush=True)
                    continue
                if _layout(built) != _layout(rows):
                    raise LookupError(f"its layers change at width {width}")
        out["open_width"] = _split(name, open_rows, OPEN, top=False)
        print(f"{name}: {len(open_rows)} layers for an open width", flush=True)
        if _imagenet_only(name):
            raise LookupError("weights='imagenet' adds layers, and its graph for an open width is stored apart")
    except LookupError as exc:
        print(f"{name}: not stored ({exc})", flush=True)
        return None
    return out


def _layout(rows):
    """What must agree between two builds for one stored graph: classes, names and connections."""
    return [r[:2] + r[3:] for r in rows]


def _marked(rows, *odds):
    """``rows`` with each ZeroPadding2D whose padding differs in any of ``odds`` (built at odd sizes) marked
    ``"correct_pad": true``; raises LookupError where the builds differ otherwise."""
    for odd in odds:
        if _layout(rows) != _layout(odd):
            raise LookupError("its layers change with the input size")
        for row, other in zip(rows, odd):
            if {k: v for k, v in row[2].items() if k != "correct_pad"} == other[2]:
                continue
            if row[0] != "ZeroPadding2D" or set(row[2]) - {"padding", "correct_pad"} != set(other[2]) - {"padding"}:
                raise LookupError(f"{row[1]}'s arguments change with the input size")
            row[2] = {**row[2], "correct_pad": True}
    return rows


def _mark_preprocessing(name, rows, shape=EVEN):
    """Mark ``"$preprocessing": true`` on the layers a build with ``include_preprocessing=False`` leaves out
    (ConvNeXt's PreStem normalization, MobileNetV3's and EfficientNetV2's Rescaling...), for an application that
    takes the argument; raises LookupError where that build differs otherwise (arguments too)."""
    import inspect

    if "include_preprocessing" in inspect.signature(getattr(keras().applications, name)).parameters:
        _mark_left_out(rows, _rows(name, input_shape=shape, include_preprocessing=False), "$preprocessing", True,
                       "without preprocessing", arguments=True)


def _imagenet_only(name, shape=EVEN):
    """The rows of ``name``'s base built with ``weights="imagenet"`` (loading patched out) when they are not those
    of ``weights=None`` (EfficientNet B0-B7 rescale by ImageNet's standard deviations after their Normalization);
    None when they are the same, or when imagenet has no weights for it."""
    try:
        pretrained = _rows(name, input_shape=shape, weights="imagenet")
    except ValueError:
        return None
    plain = _rows(name, input_shape=shape)
    same = _layout(plain) == _layout(pretrained) and [r[2] for r in plain] == [r[2] for r in pretrained]
    return None if same else (plain, pretrained)


def _insert_imagenet(name, out, shape=EVEN):
    """Insert into the stored graph ``out`` the layers Keras builds only with ``weights="imagenet"``, marked
    ``"$imagenet": true`` (kerascount leaves them out for ``weights=None`` or a file, as ``$preprocessing``), at
    their place in its base; the inputs of the rows after them (in the base and in every part) move on with them.
    Raises LookupError where the imagenet build differs otherwise, or adds a layer outside the base."""
    found = _imagenet_only(name, shape)
    if found is None:
        return
    plain, pretrained = found
    _mark_left_out(pretrained, plain, "$imagenet", True, "without imagenet weights", arguments=True)
    added = [i for i, r in enumerate(pretrained) if "$imagenet" in r[2]]
    n = len(out["base"])
    if any(i >= n + len(added) for i in added):
        raise LookupError("weights='imagenet' adds a layer after the layers every variant starts with")
    position = [i for i in range(len(pretrained)) if i not in added]  # plain row k is pretrained row position[k]
    # What a reader of plain row k reads in the imagenet build: the layers added after k, when they follow it
    # (x = Rescaling(...)(x) rebinds x), else row k itself.
    read = []
    for k in range(len(plain)):
        at = position[k]
        nxt = [i for i in added if pretrained[i][3] == [at]]
        while nxt:
            at = nxt[0]
            nxt = [i for i in added if pretrained[i][3] == [at]]
        read.append(at)
    for k, i in enumerate(position):
        if pretrained[i][3] != [read[j] for j in plain[k][3]]:
            raise LookupError(f"{pretrained[i][1]} reads other layers with imagenet weights")

    def moved(index):
        return read[index] if index < n else index + len(added)
    base, kept = [], iter(out["base"])
    for i, row in enumerate(pretrained[:n + len(added)]):
        if i in added:
            base.append(row)
        else:
            cls, layer, arguments, inputs = next(kept)
            base.append([cls, layer, arguments, [moved(j) for j in inputs]])
    out["base"] = base
    for part, rows in out.items():
        if part != "base":
            out[part] = [[cls, layer, arguments, [moved(j) for j in inputs]] for cls, layer, arguments, inputs in rows]
    print(f"{name}: weights='imagenet' adds " + ", ".join(pretrained[i][1] for i in added), flush=True)


def _mark_channels(name, rows, shape=EVEN):
    """Mark ``"$channels": 3`` on the layers a 1-channel build (and a 4-channel one) leaves out; raises
    LookupError where they differ otherwise."""
    for channels in (1, 4):
        _mark_left_out(rows, _rows(name, input_shape=shape[:2] + (channels,)), "$channels", 3,
                       f"with {channels} channel(s)")


def _mark_left_out(rows, other, marker, value, why, arguments=False):
    """Mark ``marker: value`` on the layers of ``rows`` the build ``other`` leaves out; raises LookupError where it
    differs otherwise (in classes, names, connections, and with ``arguments`` their arguments). A layer left out
    passes its input on: its readers read that."""
    names = [r[1] for r in rows]
    kept = {r[1] for r in other}
    alias = {}
    for i, row in enumerate(rows):
        if row[1] not in kept:
            if len(row[3]) != 1:
                raise LookupError(f"{row[1]} is left out {why} but has several inputs")
            alias[i] = alias.get(row[3][0], row[3][0])

    def args(r):
        return [{k: v for k, v in r[2].items() if k not in ("correct_pad", "$channels")}] if arguments else []

    expected = [[r[0], r[1], *args(r), [names[alias.get(j, j)] for j in r[3]]]
                for i, r in enumerate(rows) if i not in alias]
    got = [[r[0], r[1], *([r[2]] if arguments else []), [other[j][1] for j in r[3]]] for r in other]
    if expected != got:
        raise LookupError(f"its layers change {why} otherwise")
    for i in alias:
        rows[i][2] = {**rows[i][2], marker: value}


def _split(name, rows, shape, top=True):
    """``rows`` (the layers of ``include_top=False, pooling=None``, built at ``shape``) as ``base``, the layers
    every variant starts with, and the layers after it: ``none`` (ConvNeXt's final LayerNormalization; left out
    where empty), ``top`` (``include_top=True``, its ``classes`` marked ``"$classes"``; not for an open width,
    which a top does not take), ``avg`` and ``max`` (the poolings). A part that cannot be stored is left out
    (the table still has its numbers)."""
    builds = {}
    try:
        if top:
            top_rows = _rows(name, include_top=True, classes=1000)
            other = _rows(name, include_top=True, classes=7)
            if _layout(top_rows) != _layout(other):
                raise LookupError("the top's layers change with classes")
            for row, changed in zip(top_rows, other):
                for key, value in row[2].items():
                    if changed[2].get(key) != value:
                        row[2][key] = _classes_marker(value, changed[2].get(key))
            builds["top"] = top_rows
    except (LookupError, ValueError) as exc:
        print(f"{name}: include_top not stored ({exc})", flush=True)
    for pooling in ("avg", "max"):
        builds[pooling] = _rows(name, pooling=pooling, input_shape=shape)
    n = 0
    while n < len(rows) and all(n < len(b) and _layout(b[n:n + 1]) == _layout(rows[n:n + 1]) for b in builds.values()):
        n += 1
    out = {"base": rows[:n], **{part: built[n:] for part, built in builds.items()}}
    if rows[n:]:
        out["none"] = rows[n:]
    return out


def _classes_marker(value, other):
    """``"$classes"`` where an argument is 1000 with classes=1000 and 7 with classes=7 (inside a list too)."""
    if value == 1000 and other == 7:
        return "$classes"
    if isinstance(value, list) and isinstance(other, list) and len(value) == len(other):
        return [_classes_marker(v, o) if v != o else v for v, o in zip(value, other)]
    raise LookupError(f"an argument changes with classes in another way ({value!r} vs {other!r})")


def write_graphs(names, out=GRAPHS_OUT):
    import gzip

    doc = {"keras_version": keras().__version__, "applications": {}}
    if os.path.exists(out):  # --only NAME,...: the other applications stay as stored
        with open(out, "rb") as f:
            stored = json.loads(gzip.decompress(f.read()).decode("utf-8"))
        if stored.get("keras_version") == doc["keras_version"]:
            doc["applications"] = stored["applications"]
    with open(OUT, encoding="utf-8") as f:
        table = json.load(f)["applications"]
    for name in names:
        rows = graph(name)
        doc["applications"].pop(name, None)
        if rows is not None and name in ALPHA_GRAPHS:
            rows["alpha"] = alpha_changes(name)
        if rows is not None:
            doc["applications"][name] = rows
            print(f"{name}: {len(rows['base'])} layers; " + ", ".join(f"{k} +{len(v)}" for k, v in rows.items()
                                                                 if k not in ("base", "open_width", "alpha")),
                  flush=True)
        raw = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8")
        with open(out, "wb") as f:  # after each application, so an interrupted run keeps what it built
            f.write(gzip.compress(raw, mtime=0))
    print(f"wrote {os.path.relpath(out, REPO)}: {len(doc['applications'])} applications, {len(raw):,} bytes of "
          f"JSON, {os.path.getsize(out):,} compressed")


#: The applications whose layers are stored for other widths than the default (``alpha=0.35``): the same layers,
#: some of them given other arguments (their filters), stored as changes to the base rows (``"alpha"``).
ALPHA_GRAPHS = ("MobileNet", "MobileNetV2", "MobileNetV3Small", "MobileNetV3Large")


def alpha_changes(name):
    """``{repr(alpha): {row index: {argument: value}}}``: for each of VARIANTS' other ``alpha`` values, the
    arguments of the base rows (include_top=False) that differ from the default width's, built at the even size.
    Raises LookupError where the layers themselves (classes, names, inputs) differ."""
    base = _rows(name, input_shape=EVEN)
    default = 1.0
    out = {}
    for alpha in VARIANTS[name]["alpha"]:
        if alpha == default:
            continue
        rows = _rows(name, input_shape=EVEN, alpha=alpha)
        if _layout(rows) != _layout(base):
            raise LookupError(f"{name}: alpha={alpha} changes the layers")
        changes = {}
        for index, (row, other) in enumerate(zip(base, rows)):
            if row[2] == other[2]:
                continue
            if set(row[2]) - set(other[2]) or any(isinstance(v, dict) for v in other[2].values()):
                raise LookupError(f"{name}: alpha={alpha} drops an argument of {row[1]}")
            changes[str(index)] = {k: v for k, v in other[2].items() if row[2].get(k) != v}
        out[repr(float(alpha))] = changes
    return out


def write_alpha_graphs(names, out=GRAPHS_OUT):
    """Add ``"alpha"`` (:func:`alpha_changes`) to the stored graphs of ``names``, the rest as stored (the stored
    graphs must come from the Keras installed)."""
    import gzip

    with open(out, "rb") as f:
        doc = json.loads(gzip.decompress(f.read()).decode("utf-8"))
    if doc.get("keras_version") != keras().__version__:
        raise SystemExit(f"the stored graphs come from Keras {doc.get('keras_version')}, not {keras().__version__}")
    for name in names:
        graph_doc = doc["applications"][name]
        stored = [(r[0], r[1], r[3]) for r in graph_doc["base"] if "$imagenet" not in r[2]]
        if stored != [(r[0], r[1], r[3]) for r in _rows(name, input_shape=EVEN)]:
            raise SystemExit(f"{name}: the stored base rows are not the rows built now")
        graph_doc["alpha"] = alpha_changes(name)
        print(f"{name}: " + ", ".join(f"alpha={a} changes {len(c)} rows" for a, c in graph_doc["alpha"].items()),
              flush=True)
    raw = json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("utf-8")
    with open(out, "wb") as f:
        f.write(gzip.compress(raw, mtime=0))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="comma-separated names; merges into the existing JSON")
    ap.add_argument("--exhaustive", default=",".join(EXHAUSTIVE_DEFAULT),
                    help="models verified at every size from the minimum to 300")
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--merge", nargs="*", default=None,
                    help="only merge these generated JSON files into --out (for runs split over processes)")
    ap.add_argument("--graphs", action="store_true",
                    help="write the layer graphs (application_graphs.json.gz) of --only or every application")
    ap.add_argument("--alpha-graphs", action="store_true",
                    help="add to the stored layer graphs the rows other widths (alpha=) change (ALPHA_GRAPHS)")
    args = ap.parse_args(argv)
    if args.alpha_graphs:
        write_alpha_graphs([n for n in args.only.split(",") if n] or list(ALPHA_GRAPHS))
        return 0
    if args.graphs:
        with open(OUT, encoding="utf-8") as f:
            stored = sorted(json.load(f)["applications"])
        write_graphs([n for n in args.only.split(",") if n] or stored)
        return 0
    if args.merge is not None:
        doc = {"applications": {}}
        for path in args.merge:
            with open(path, encoding="utf-8") as f:
                part = json.load(f)
            doc["applications"].update(part["applications"])
            doc["keras_version"] = part["keras_version"]
            doc["activations"] = part["activations"]
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(render(doc))
        print(f"wrote {os.path.relpath(args.out, REPO)} ({len(doc['applications'])} applications)")
        return 0
    k = keras()
    from keras.src import activations

    all_names = sorted(n for n in dir(k.applications)
                       if not n.startswith("_") and callable(getattr(k.applications, n))
                       and n[0].isupper())
    missing = sorted(set(all_names) - set(SPATIAL))
    assert not missing, f"no spatial rule written for {missing}"
    names = [n for n in args.only.split(",") if n] or all_names
    exhaustive = {n for n in args.exhaustive.split(",") if n}

    def log(msg):
        print(msg, flush=True)

    doc = {"applications": {}}
    if args.only and os.path.exists(args.out):
        with open(args.out, encoding="utf-8") as f:
            doc = json.load(f)
    doc["keras_version"] = k.__version__
    doc["activations"] = sorted(activations.ALL_OBJECTS_DICT)

    def save(measured):
        doc["applications"].update(measured)
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(render(doc))

    generate(names, exhaustive, log, save)
    print(f"wrote {os.path.relpath(args.out, REPO)} ({len(doc['applications'])} applications)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
