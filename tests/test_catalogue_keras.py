"""The catalogue's data agrees with the installed Keras: signatures, build-at-init flags.

Runs only where Keras is installed (marker ``keras``); imports Keras in a subprocess so that
the rest of the test session never has Keras in ``sys.modules``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import kerascount.catalogue as catalogue

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import inspect, json, sys
import keras
out = {}
for name in json.loads(sys.argv[1]):
    # A spec is named by its class, which Keras may export under another name only (GroupQueryAttention).
    cls = getattr(keras.layers, name, None) or next((c for c in vars(keras.layers).values()
                                                     if getattr(c, "__name__", None) == name), None)
    if cls is None:
        out[name] = None
        continue
    params = []
    var_kwargs = False
    for p in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if p.kind == p.VAR_KEYWORD:
            var_kwargs = True
            continue
        if p.kind == p.VAR_POSITIONAL:
            continue
        params.append([p.name, None if p.default is p.empty else repr(p.default), p.default is p.empty])
    # (Keras builds a layer when it is made with `self._build_at_init()`, or `self.built = True` as Reshape's does)
    built = any("_build_at_init()" in inspect.getsource(k.__init__) or "self.built = True" in inspect.getsource(k.__init__)
                for k in cls.__mro__ if "__init__" in vars(k) and k.__module__.startswith("keras"))
    # (the name a call may give the tensor by keyword: the first parameter of `__call__` where the class has its own
    # (TFDataLayer's `inputs`), else of `call`)
    firsts = [next(iter(list(inspect.signature(f).parameters.values())[1:]), None) for f in (cls.__call__, cls.call)]
    call_arg = next((p.name for p in firsts if p is not None and p.kind == p.POSITIONAL_OR_KEYWORD), None)
    out[name] = {"params": params, "var_kwargs": var_kwargs, "built_at_init": built, "call_arg": call_arg}
print(json.dumps(out))
"""


#: A probe for ``keras_probe``: each payload item is a program run with ``exec``; what it gives is the class name of
#: what Keras raised, or the parameter count of the program's ``model``.
COUNT_OR_RAISED = """
import json, sys


def run(text):
    scope = {}
    try:
        exec(text, scope)
    except Exception as exc:
        return type(exc).__name__
    return scope["model"].count_params()


print(json.dumps({key: run(text) for key, text in json.loads(sys.argv[1]).items()}))
"""


def keras_probe(script: str, payload) -> dict:
    """Run ``script`` with real Keras (numpy backend) in a subprocess, ``payload`` as JSON in argv[1];
    its stdout, as JSON. Skips the test where Keras is not importable."""
    env = dict(os.environ, KERAS_BACKEND="numpy")
    r = subprocess.run([sys.executable, "-c", script, json.dumps(payload)], capture_output=True, text=True, env=env)
    if r.returncode != 0:
        pytest.skip(f"Keras is not importable here: {r.stderr.strip().splitlines()[-1:]}")
    return json.loads(r.stdout)


def assert_last_models_agree(sources, builds, raised=None) -> None:
    """Run each of ``sources`` (name: program) with Keras (``COUNT_OR_RAISED``): where ``builds[name]``, its last model's
    count is kerascount's total of the program's last model; elsewhere Keras raises (the exception named ``raised``,
    when given)."""
    from kerascount.api import analyze_source

    truth = keras_probe(COUNT_OR_RAISED, dict(sources))
    for name, text in sources.items():
        if builds[name]:
            assert truth[name] == analyze_source(text, "m.py").models[-1].total, (name, truth[name])
        else:
            assert isinstance(truth[name], str) and truth[name] == (raised or truth[name]), (name, truth[name])


@pytest.fixture(scope="module")
def keras_classes():
    return keras_probe(PROBE, sorted(s.name for s in catalogue.specs()))


@pytest.mark.keras
@pytest.mark.parametrize("spec", list(catalogue.specs()), ids=lambda s: s.name)
def test_spec_matches_keras(spec, keras_classes):
    info = keras_classes[spec.name]
    assert info is not None, f"keras.layers.{spec.name} does not exist"
    assert spec.built_at_init == info["built_at_init"], "built_at_init"
    keras_names = [p[0] for p in info["params"]]
    ours = [a.name for a in spec.signature]
    # Our positional order must be Keras's; we may list keyword-only extras Keras pops from **kwargs after.
    assert ours[: len(keras_names)] == keras_names, f"{spec.name} signature differs from Keras"
    from kerascount.catalogue.spec import REQUIRED

    for arg, (name, default, required) in zip(spec.signature, info["params"]):
        assert (arg.default is REQUIRED) == required, f"{spec.name}.{name}: required?"
        if not required:
            assert repr(arg.default) == default, f"{spec.name}.{name}: default {arg.default!r} vs Keras {default}"
    if info["var_kwargs"] is False:
        assert spec.var_kwargs is False, f"{spec.name} takes no **kwargs in Keras"
    if info["call_arg"] is not None:  # (InputLayer's call takes none)
        assert (spec.call_inputs[:1] or (spec.call_arg,)) == (info["call_arg"],), "call's first parameter"


GONE_PROBE = r"""
import json, sys
import keras
out = {}
for name in json.loads(sys.argv[1]):
    for what, obj in (("layer", keras.layers.Dense(2)), ("model", keras.Sequential())):
        try:
            getattr(obj, name)()
        except NotImplementedError:
            out[f"{name}:{what}"] = "NotImplementedError"
        except AttributeError:
            out[f"{name}:{what}"] = "AttributeError"
        except Exception as exc:  # another error: the method exists and takes arguments
            out[f"{name}:{what}"] = type(exc).__name__
        else:
            out[f"{name}:{what}"] = None
print(json.dumps(out))
"""


@pytest.mark.keras
def test_layer_methods_keras3_dropped_raise_what_the_catalogue_says():
    from kerascount.catalogue.legacy import LAYER_METHODS_GONE

    found = keras_probe(GONE_PROBE, sorted(LAYER_METHODS_GONE))
    for name, (error, _) in LAYER_METHODS_GONE.items():
        assert found[f"{name}:layer"] == found[f"{name}:model"] == error, name
