#!/usr/bin/env python3
"""Random Keras 3 model sources for differential testing of kerascount.

    python tools/gen_models.py --seed S [--count N] [--out DIR]
    python tools/gen_models.py --seed S --index I    # program I of batch S

Without --out the programs are printed.  With --out, N files
``gen_S_00000.py`` ... are written into DIR (file I is program I).

Library use:

    from tools.gen_models import generate, write_files
    source = generate(seed)               # one program (str); deterministic
    paths = write_files(seed, count, dir)

Each program builds one (sometimes two) small models: Sequential (list form
or ``.add`` form; input from ``keras.Input``, ``InputLayer`` or
``input_shape=`` on the first layer) or functional (``keras.Input``, layer
calls, branches merged with merge layers or their function forms,
squeeze-excite style broadcasting merges, second inputs), and token sequences
with Keras masks (``Embedding(mask_zero=True)`` or ``Masking``, through layers
that keep, drop or join the mask, to a recurrent layer that takes it).  The source style
varies too: five import styles, module constants with arithmetic, ``for``
loops over ``range``/lists, a helper ``def block(x, filters, k=3)``, and
``def build(...)`` returning the model.

The generator tracks shapes with its own (approximate) copy of Keras's
rules so that most programs build; with a small probability per layer it
picks arguments Keras rejects (too-large kernels, mismatched merges, bad
reshapes, strides with dilation, ...).  Keras decides, not this file: its
model of Keras only steers the choices.

Only layers in kerascount's catalogue are used.  Input sides are <= 64,
filters/units <= 32, 3D volumes <= 16 per side.
"""

import argparse
import math
import os
import random
import sys

BAD = 0.02  # probability that a layer gets arguments meant to fail


class Bad(Exception):
    """The generator's model of Keras says this fails."""


# --------------------------------------------------------------------------
# Values that render as source text
# --------------------------------------------------------------------------


class T:
    """A template value: source text plus a function of the template
    environment (loop variable, helper parameters)."""

    def __init__(self, text, fn):
        self.text = text
        self.fn = fn


def P(name):
    return T(name, lambda env: env[name])


def resolve(v, env):
    if isinstance(v, T):
        return v.fn(env)
    if isinstance(v, tuple):
        return tuple(resolve(x, env) for x in v)
    if isinstance(v, list):
        return [resolve(x, env) for x in v]
    return v


class Call:
    """A layer construction: class name and ordered arguments."""

    def __init__(self, cls, args, npos=0, fn=None):
        self.cls = cls
        self.args = list(args)  # [(name, value)] in signature order
        self.npos = npos  # how many leading args to write positionally
        self.fn = fn  # merge function form (e.g. "concatenate") or None

    def get(self, name, default=None):
        for k, v in self.args:
            if k == name:
                return v
        return default

    def set(self, name, value):
        for i, (k, _) in enumerate(self.args):
            if k == name:
                self.args[i] = (name, value)
                return
        self.args.append((name, value))


# Leading arguments that may be written positionally (Keras signature order).
POSITIONAL = {
    "Dense": ["units"],
    "Activation": ["activation"],
    "Dropout": ["rate"],
    "SpatialDropout1D": ["rate"],
    "SpatialDropout2D": ["rate"],
    "SpatialDropout3D": ["rate"],
    "GaussianNoise": ["stddev"],
    "GaussianDropout": ["rate"],
    "AlphaDropout": ["rate"],
    "LeakyReLU": ["negative_slope"],
    "ELU": ["alpha"],
    "Softmax": ["axis"],
    "ReLU": ["max_value"],
    "Reshape": ["target_shape"],
    "RepeatVector": ["n"],
    "Permute": ["dims"],
    "Concatenate": ["axis"],
    "BatchNormalization": ["axis"],
}
for _r in (1, 2, 3):
    for _c in ("Conv%dD", "Conv%dDTranspose", "SeparableConv%dD"):
        POSITIONAL[_c % _r] = ["filters", "kernel_size", "strides", "padding"]
    POSITIONAL["DepthwiseConv%dD" % _r] = ["kernel_size", "strides", "padding"]
    for _p in ("MaxPooling%dD", "AveragePooling%dD"):
        POSITIONAL[_p % _r] = ["pool_size", "strides", "padding"]
    POSITIONAL["ZeroPadding%dD" % _r] = ["padding"]
    POSITIONAL["Cropping%dD" % _r] = ["cropping"]
    POSITIONAL["UpSampling%dD" % _r] = ["size"]
for _r in (1, 2):
    POSITIONAL["DepthwiseConv%dD" % _r] = ["kernel_size", "strides", "padding"]


# --------------------------------------------------------------------------
# The generator's model of Keras shapes (channels_last only)
# --------------------------------------------------------------------------


def tup(v, n):
    return (v,) * n if isinstance(v, int) else tuple(v)


def conv_len(L, k, s, pad, d=1):
    if L is None:
        return None
    if pad == "valid":
        out = (L - d * (k - 1) - 1) // s + 1
    else:
        out = (L - 1) // s + 1
    if out <= 0:
        raise Bad("non-positive")
    return out


def deconv_len(L, k, s, pad, op, d=1):
    if L is None:
        return None
    k = k + (k - 1) * (d - 1)
    if op is None:
        return L * s + max(k - s, 0) if pad == "valid" else L * s
    p = k // 2 if pad == "same" else 0
    return (L - 1) * s + k - 2 * p + op


def pairs(v, n):
    if isinstance(v, int):
        return ((v, v),) * n
    if n == 1 and len(v) == 2 and all(isinstance(x, int) for x in v):
        return (tuple(v),)
    return tuple((x, x) if isinstance(x, int) else tuple(x) for x in v)


def size_of(shape):
    n = 1
    for d in shape[1:]:
        if d is None:
            return None
        n *= d
    return n


def simulate(call, shape, env=None):
    """Output shape of `call` on `shape` (a tuple with the batch dim), as far
    as the generator knows; raises Bad where Keras (probably) raises."""
    env = env or {}
    a = {k: resolve(v, env) for k, v in call.args}
    c = call.cls
    if c in ("Activation", "ReLU", "Softmax", "LeakyReLU", "ELU", "Identity",
             "Dropout", "GaussianNoise", "GaussianDropout", "AlphaDropout"):
        return shape
    if c.startswith("SpatialDropout"):
        if len(shape) != int(c[-2]) + 2:
            raise Bad("rank")
        return shape
    if c == "Dense":
        if shape[-1] is None:
            raise Bad("dense none")
        return shape[:-1] + (a["units"],)
    if c == "BatchNormalization":
        ax = a.get("axis", -1)
        if not -len(shape) <= ax < len(shape) or shape[ax] is None:
            raise Bad("axis")
        return shape
    if c == "Flatten":
        return (None, size_of(shape)) if len(shape) > 2 else shape
    if c == "Reshape":
        tgt = list(a["target_shape"])
        n = size_of(shape)
        if n is None:
            return (None,) + tuple(None if t == -1 else t for t in tgt)
        known = math.prod(t for t in tgt if t != -1)
        if -1 in tgt:
            if n % known:
                raise Bad("reshape")
            tgt[tgt.index(-1)] = n // known
        elif known != n:
            raise Bad("reshape")
        return (None,) + tuple(tgt)
    if c == "RepeatVector":
        if len(shape) != 2:
            raise Bad("rank")
        return (None, a["n"], shape[1])
    if c == "Permute":
        return (None,) + tuple(shape[d] for d in a["dims"])
    rank = None
    for k in ("1D", "2D", "3D"):
        if k in c:
            rank = int(k[0])
    if rank is not None and len(shape) != rank + 2:
        raise Bad("rank")
    cf = a.get("data_format") == "channels_first"
    sp, ch = (shape[2:], shape[1]) if cf else (shape[1:-1], shape[-1])

    def join(out, c):
        return (None, c) + tuple(out) if cf else (None,) + tuple(out) + (c,)

    for v in a.values():
        if isinstance(v, tuple) and len(v) != rank and c != "Permute":
            if not (c == "ZeroPadding1D" or c == "Cropping1D") or len(v) != 2:
                raise Bad("tuple length")
    if c.startswith("Conv") and not c.endswith("Transpose") or c.startswith(("Separable", "Depthwise")):
        if c.startswith("SeparableConv1D") and a.get("padding") == "causal":
            raise Bad("causal")
        k = tup(a["kernel_size"], rank)
        s = tup(a.get("strides", 1), rank)
        d = tup(a.get("dilation_rate", 1), rank)
        if max(s) > 1 and max(d) > 1:
            raise Bad("strides and dilation")
        if ch is None:
            raise Bad("channels")
        pad = a.get("padding", "valid")
        out = tuple(conv_len(L, kk, ss, pad, dd) for L, kk, ss, dd in zip(sp, k, s, d))
        if c.startswith("Depthwise"):
            filters = ch * a.get("depth_multiplier", 1)
        else:
            filters = a["filters"]
            g = a.get("groups", 1)
            if filters % g or ch % g:
                raise Bad("groups")
        return join(out, filters)
    if c.startswith("Conv") and c.endswith("Transpose"):
        k = tup(a["kernel_size"], rank)
        s = tup(a.get("strides", 1), rank)
        d = tup(a.get("dilation_rate", 1), rank)
        op = a.get("output_padding")
        op = (None,) * rank if op is None else tup(op, rank)
        if any(o is not None and o >= ss for o, ss in zip(op, s)):
            raise Bad("output_padding")
        if max(s) > 1 and max(d) > 1:
            raise Bad("strides and dilation")
        pad = a.get("padding", "valid")
        out = tuple(deconv_len(L, kk, ss, pad, o, dd) for L, kk, ss, o, dd in zip(sp, k, s, op, d))
        return join(out, a["filters"])
    if "Pooling" in c and not c.startswith("Global"):
        p = tup(a.get("pool_size", 2), rank)
        st = a.get("strides")
        s = p if st is None else tup(st, rank)
        pad = a.get("padding", "valid")
        out = tuple(conv_len(L, pp, ss, pad) for L, pp, ss in zip(sp, p, s))
        return join(out, ch)
    if c.startswith("Global"):
        if a.get("keepdims"):
            return join((1,) * rank, ch)
        return (None, ch)
    if c.startswith("ZeroPadding"):
        pd = pairs(a.get("padding", 1), rank)
        return join((None if L is None else L + x + y for L, (x, y) in zip(sp, pd)), ch)
    if c.startswith("Cropping"):
        cr = pairs(a["cropping"], rank)
        out = tuple(None if L is None else L - x - y for L, (x, y) in zip(sp, cr))
        if any(o is not None and o <= 0 for o in out):
            raise Bad("cropping")
        return join(out, ch)
    if c.startswith("UpSampling"):
        sz = tup(a.get("size", 2), rank)
        return join((None if L is None else L * z for L, z in zip(sp, sz)), ch)
    raise AssertionError(c)


def merge_shape(kind, shapes, axis=-1):
    if kind == "Concatenate":
        rk = len(shapes[0])
        if any(len(s) != rk for s in shapes):
            raise Bad("rank")
        ax = axis % rk
        for i in range(1, rk):
            if i != ax and len({s[i] for s in shapes}) > 1:
                raise Bad("concat")
        tot = None if any(s[ax] is None for s in shapes) else sum(s[ax] for s in shapes)
        return shapes[0][:ax] + (tot,) + shapes[0][ax + 1:]
    if kind == "Subtract" and len(shapes) != 2:
        raise Bad("subtract")
    out = shapes[0]
    for s in shapes[1:]:
        if len(s) != len(out):
            raise Bad("rank")  # keep it simple: Keras broadcasts, we don't generate it
        dims = []
        for x, y in zip(out, s):
            if x is None or y is None:
                dims.append(None)
            elif x == 1:
                dims.append(y)
            elif y == 1 or x == y:
                dims.append(x)
            else:
                raise Bad("elementwise")
        out = tuple(dims)
    return out


MERGE_FN = {
    "Concatenate": "concatenate",
    "Add": "add",
    "Multiply": "multiply",
    "Subtract": "subtract",
    "Average": "average",
    "Maximum": "maximum",
    "Minimum": "minimum",
}
#: Merges also written as a Python operator on tensors (Keras records `a + b` as an operation).
MERGE_OPERATOR = {"Add": "+", "Subtract": "-", "Multiply": "*"}


# --------------------------------------------------------------------------
# Naming of Keras objects per import style
# --------------------------------------------------------------------------


class Style:
    def __init__(self, rnd):
        self.r = rnd
        self.layers = rnd.choice(["keras", "layers", "names", "star", "alias"])
        # how Model/Sequential/Input are reached
        self.models = rnd.choice(["keras", "keras_models", "from_keras", "from_models", "models_mod"])
        if self.layers == "star":
            self.models = rnd.choice(["keras", "from_keras", "from_models"])
        self.imported = set()  # names for `from keras.layers import ...`
        self.need = set()  # import lines needed

    def layer(self, cls):
        s = self.layers
        if s == "keras":
            self.need.add("import keras")
            return "keras.layers." + cls
        if s == "layers":
            self.need.add("from keras import layers")
            return "layers." + cls
        if s == "alias":
            self.need.add("import keras.layers as L")
            return "L." + cls
        if s == "names":
            self.imported.add(cls)
        return cls

    def input(self):
        opts = ["model"]
        if self.layers != "names" or self.r.random() < 0.5:
            opts.append("layer")
        if self.r.choice(opts) == "layer":
            return self.layer("Input")
        return self._model_name("Input")

    def _model_name(self, name):
        m = self.models
        if name == "Input" and m in ("keras_models", "from_models", "models_mod"):
            # keras.models has no Input
            m = "keras" if m != "from_models" else "from_keras"
        if m == "keras":
            self.need.add("import keras")
            return "keras." + name
        if m == "keras_models":
            self.need.add("import keras")
            return "keras.models." + name
        if m == "models_mod":
            self.need.add("from keras import models")
            return "models." + name
        if m == "from_keras":
            self.need.add(("from keras import", name))
            return name
        self.need.add(("from keras.models import", name))
        return name

    def model(self):
        return self._model_name("Model")

    def sequential(self):
        return self._model_name("Sequential")

    def header(self):
        lines = []
        plain = sorted(x for x in self.need if isinstance(x, str))
        for x in ("import keras", "import keras.layers as L", "from keras import models", "from keras import layers"):
            if x in plain:
                lines.append(x)
        froms = {}
        for x in self.need:
            if isinstance(x, tuple):
                froms.setdefault(x[0], set()).add(x[1])
        if "from keras import layers" in plain and "from keras import" in froms:
            lines.remove("from keras import layers")
            froms["from keras import"].add("layers")
        for mod in ("from keras import", "from keras.models import"):
            if mod in froms:
                lines.append(mod + " " + ", ".join(sorted(froms[mod])))
        if self.layers == "star":
            lines.append("from keras.layers import *")
        elif self.layers == "names" and self.imported:
            names = sorted(self.imported)
            text = "from keras.layers import " + ", ".join(names)
            if len(text) > 79:
                text = "from keras.layers import (\n" + "".join(f"    {n},\n" for n in names) + ")"
            lines.append(text)
        return lines


# --------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------

CONST_NAMES = ["BASE", "WIDTH", "SIZE", "UNITS", "HIDDEN", "K", "N", "F", "DIM", "SIDE", "CH", "STEP"]
ACTIVATIONS = ["relu", "sigmoid", "tanh", "softmax", "gelu", "swish", "linear", "elu"]


#: Features that `disable=` can switch off (e.g. while a known kerascount gap
#: is open, so that a test stays about new regressions).
FEATURES = ("nested_sequential", "siamese", "channels_first", "seq_block", "helper", "loop", "branch",
            "squeeze_excite", "build_function", "second_model", "operators", "masked_sequence")


class Gen:
    def __init__(self, seed, disable=()):
        unknown = set(disable) - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown features: {sorted(unknown)}")
        self.off = frozenset(disable)
        self.r = random.Random(seed)
        self.style = Style(self.r)
        self.consts = []  # (name, text, value) in definition order
        self.const_names = set()
        self.defs = []  # helper function source blocks
        self.body = []  # top-level body lines
        self.out = self.body  # where emit() writes
        self.indent = ""
        self.local = {}  # function-local int names -> value (only inside build())
        self.n_names = 0
        self.failed = False  # a (probable) Keras error was emitted
        self.layer_names = set()
        self.helper = None  # (name, params, template, rank) of the helper block
        self.cf = False  # channels_first for the current model

    # -- emission / rendering ---------------------------------------------
    def emit(self, line):
        self.out.append(self.indent + line)

    def fresh(self, base):
        self.n_names += 1
        return f"{base}{self.n_names}"

    def const(self, value, role=None):
        """Define (or reuse) a module constant with `value`; return its name."""
        for name, _, v in self.consts:
            if v == value and type(v) is type(value) and (role is None or name.startswith(role)):
                return name
        base = role or self.r.choice(CONST_NAMES)
        name = base
        i = 1
        while name in self.const_names:
            i += 1
            name = f"{base}{i}"
        text = None
        if isinstance(value, int) and not isinstance(value, bool):
            ints = [(n, v) for n, _, v in self.consts if isinstance(v, int) and not isinstance(v, bool) and v > 0]
            opts = []
            for n, v in ints:
                if v * 2 == value:
                    opts.append(f"{n} * 2")
                if v // 2 == value and v % 2 == 0:
                    opts.append(f"{n} // 2")
                if v + 1 == value:
                    opts.append(f"{n} + 1")
                if v - 1 == value:
                    opts.append(f"{n} - 1")
                if v * 4 == value:
                    opts.append(f"4 * {n}")
                if value > 0 and v % value == 0 and v != value and v // value <= 8:
                    opts.append(f"{n} // {v // value}")
            if value in (8, 16, 32, 64) and self.r.random() < 0.3:
                opts.append(f"2 ** {value.bit_length() - 1}")
            if opts and self.r.random() < 0.8:
                text = self.r.choice(opts)
        if text is None:
            text = self.render(value, allow_const=isinstance(value, tuple))
        self.consts.append((name, text, value))
        self.const_names.add(name)
        return name

    def render(self, v, allow_const=True, env=None):
        if isinstance(v, T):
            return v.text
        if isinstance(v, bool) or v is None or isinstance(v, float):
            return repr(v)
        if isinstance(v, str):
            return '"' + v + '"' if self.r.random() < 0.7 else repr(v)
        if isinstance(v, int):
            if allow_const:
                for n, val in self.local.items():
                    if n != "num_classes" and val == v and self.r.random() < 0.5:
                        return n
                x = self.r.random()
                if x < 0.1:
                    return self.const(v)
                if x < 0.2:
                    for name, _, val in self.consts:
                        if val == v and type(val) is int:
                            return name
            return str(v)
        if isinstance(v, (tuple, list)):
            items = [self.render(x, allow_const, env) for x in v]
            if isinstance(v, list):
                return "[" + ", ".join(items) + "]"
            return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
        raise TypeError(v)

    def render_call(self, call):
        if call.fn:
            return self.style.layer(call.fn)
        pos = POSITIONAL.get(call.cls, [])
        parts = []
        npos = 0
        for i, (k, v) in enumerate(call.args):
            if isinstance(v, tuple) and self.r.random() < 0.08:
                text = self.render(list(v))  # Keras takes lists too
            elif k == "padding" and isinstance(v, str) and self.r.random() < 0.03:
                text = repr(v.upper())  # Keras lower-cases padding
            else:
                text = self.render(v)
            if i < call.npos and i < len(pos) and pos[i] == k:
                parts.append(text)
                npos += 1
            else:
                parts.append(f"{k}={text}")
        return f"{self.style.layer(call.cls)}({', '.join(parts)})"

    def mk(self, cls, *args):
        """A Call with args [(name, value)]; positional count chosen randomly."""
        args = [(k, v) for k, v in args]
        pos = POSITIONAL.get(cls, [])
        n = 0
        while n < len(args) and n < len(pos) and args[n][0] == pos[n]:
            n += 1
        npos = self.r.randint(0, n) if n else 0
        if n and self.r.random() < 0.6:
            npos = max(npos, 1)
        if self.r.random() < 0.06:
            name = self.fresh(cls.lower()[:4] + "_")
            args.append(("name", name))
        if self.r.random() < 0.04 and cls.startswith(("Conv", "Dense", "Separable", "Depthwise", "Batch")):
            args.append(("trainable", False))
        return Call(cls, args, npos)

    # -- choosing layers ------------------------------------------------------
    def bad(self):
        return self.r.random() < BAD

    def ch(self, shape):
        return shape[1] if self.cf and len(shape) > 2 else shape[-1]

    def sp(self, shape):
        return shape[2:] if self.cf and len(shape) > 2 else shape[1:-1]

    def df(self):
        """data_format argument for a layer that has one."""
        if self.cf:
            return [("data_format", "channels_first")]
        if self.r.random() < 0.03:
            return [("data_format", "channels_last")]
        return []

    def set_format(self, shape):
        """Maybe switch the model to channels_first; returns the input shape."""
        self.cf = len(shape) > 2 and self.r.random() < 0.12 and "channels_first" not in self.off
        if self.cf:
            return (shape[0], shape[-1]) + tuple(shape[1:-1])
        return shape

    def ksize(self, sp, rank, dil=1, allow_tuple=True):
        """A kernel size that fits spatial dims `sp` (valid padding)."""
        cands = [1, 2, 3, 3, 3, 5, 7]
        fits = lambda k: all(L is None or L - dil * (k - 1) >= 1 for L in sp)
        ok = [k for k in cands if fits(k)] or [1]
        if self.bad():
            lim = min([L for L in sp if L is not None] or [8])
            return lim + self.r.randint(1, 3), True
        if allow_tuple and rank > 1 and self.r.random() < 0.3:
            return tuple(self.r.choice([k for k in cands if all(L is None or L - dil * (k - 1) >= 1 for L in [Ld])] or [1])
                         for Ld in sp), False
        k = self.r.choice(ok)
        if rank > 1 and self.r.random() < 0.15:
            return (k,) * rank, False
        return k, False

    def filters(self):
        return self.r.choice([1, 2, 3, 4, 6, 8, 8, 12, 16, 16, 24, 32])

    def strides(self, rank, sp):
        if self.r.random() < 0.65:
            return None
        s = self.r.choice([1, 2, 2, 3])
        if rank > 1 and self.r.random() < 0.25:
            return tuple(self.r.choice([1, 2]) for _ in range(rank))
        return s

    def conv_call(self, cls, rank, shape, kind):
        sp, ch = self.sp(shape), self.ch(shape)
        args = []
        if kind != "depthwise":
            f = self.filters()
            args.append(("filters", f))
        pads = ["valid", "same"]
        if cls == "Conv1D" or (cls == "SeparableConv1D" and self.bad()):
            pads.append("causal")
        pad = self.r.choice(pads) if self.r.random() < 0.7 else None
        dil = 1
        if self.r.random() < 0.15 and kind != "transpose":
            dil = self.r.choice([2, 3])
        k, _ = self.ksize(sp if pad in (None, "valid") else [None] * rank, rank, dil)
        args.append(("kernel_size", k))
        st = None
        if dil == 1 or self.bad():
            st = self.strides(rank, sp)
        if st is not None:
            args.append(("strides", st))
        if pad is not None:
            args.append(("padding", pad))
        if kind == "transpose" and st is not None and self.r.random() < 0.3:
            smax = min(tup(st, rank))
            op = self.r.randint(0, max(0, smax - 1)) if not self.bad() else smax
            args.append(("output_padding", op))
        if dil != 1:
            args.append(("dilation_rate", dil if self.r.random() < 0.7 else (dil,) * rank))
        if kind in ("depthwise", "separable") and self.r.random() < 0.5:
            args.append(("depth_multiplier", self.r.choice([1, 2, 3])))
        if kind == "conv" and ch and self.r.random() < 0.15:
            gs = [g for g in (2, 3, 4) if ch % g == 0]
            if gs:
                g = self.r.choice(gs)
                f = self.r.choice([g, 2 * g, 4 * g])
                if self.bad():
                    f += 1
                args[0] = ("filters", min(f, 32) // g * g or g)
                args.append(("groups", g))
        args += self.df()
        if self.r.random() < 0.3:
            args.append(("activation", self.r.choice(ACTIVATIONS)))
        if self.r.random() < 0.2:
            args.append(("use_bias", False))
        return self.mk(cls, *args)

    def pool_call(self, cls, rank, shape):
        sp = self.sp(shape)
        args = []
        pad = self.r.choice(["valid", "same"]) if self.r.random() < 0.5 else None
        need = cls.startswith("Average") or self.r.random() < 0.6
        p = 2
        if need or self.bad():
            p, _ = self.ksize(sp if pad != "same" else [None] * rank, rank)
            p = p if p != 1 or self.r.random() < 0.3 else 2
            if isinstance(p, int) and pad != "same" and any(L is not None and L < p for L in sp):
                p = 1
            args.append(("pool_size", p))
        if self.r.random() < 0.3:
            s = self.r.choice([1, 2, 3])
            args.append(("strides", s if rank == 1 or self.r.random() < 0.6 else (s,) * rank))
        if pad:
            args.append(("padding", pad))
        args += self.df()
        return self.mk(cls, *args)

    def choose_layer(self, shape):
        """A random layer applicable to `shape` (probably)."""
        r = self.r
        rank = len(shape) - 2
        sp = self.sp(shape)
        D = "%dD" % rank if 1 <= rank <= 3 else None
        opts = []  # (weight, fn)
        small = all(L is None or L <= 48 for L in sp)

        def act():
            c = r.choice(["Activation", "ReLU", "Softmax", "LeakyReLU", "ELU", "Identity"])
            if c == "Activation":
                return self.mk(c, ("activation", r.choice(ACTIVATIONS)))
            if c == "ReLU":
                return self.mk(c, *([("max_value", 6.0)] if r.random() < 0.4 else []))
            if c == "LeakyReLU":
                return self.mk(c, *([("negative_slope", 0.1)] if r.random() < 0.5 else []))
            if c == "ELU":
                return self.mk(c, *([("alpha", 0.5)] if r.random() < 0.3 else []))
            if c == "Softmax":
                return self.mk(c, *([("axis", -1)] if r.random() < 0.3 else []))
            return self.mk(c)

        def drop():
            c = r.choice(["Dropout", "GaussianNoise", "GaussianDropout", "AlphaDropout"]
                         + (["SpatialDropout" + D] * 2 if D else []))
            if self.bad():
                c = "SpatialDropout%dD" % r.choice([1, 2, 3])
            if c == "GaussianNoise":
                return self.mk(c, ("stddev", 0.1))
            extra = self.df() if c in ("SpatialDropout2D", "SpatialDropout3D") else []
            return self.mk(c, ("rate", r.choice([0.1, 0.25, 0.5])), *extra)

        def bn():
            args = []
            if r.random() < 0.2:
                ax = r.choice([-1, len(shape) - 1] + list(range(1, len(shape))) + ([1, 1] if self.cf else []))
                if self.bad():
                    ax = len(shape)
                args.append(("axis", ax))
            if r.random() < 0.3:
                args.append(("center", False))
            if r.random() < 0.3:
                args.append(("scale", r.random() < 0.3))
            if r.random() < 0.1:
                args.append(("momentum", 0.9))
            return self.mk("BatchNormalization", *args)

        def dense():
            args = [("units", r.choice([1, 2, 4, 8, 10, 16, 32]))]
            if r.random() < 0.3:
                args.append(("activation", r.choice(ACTIVATIONS)))
            if r.random() < 0.15:
                args.append(("use_bias", False))
            return self.mk("Dense", *args)

        opts += [(2, act), (1.5, drop), (1.5, bn), (1 if rank <= 0 else 0.4, dense)]
        if rank >= 1:
            opts += [(6, lambda: self.conv_call("Conv" + D, rank, shape, "conv"))]
            if small:
                opts += [(1, lambda: self.conv_call("Conv%sTranspose" % D, rank, shape, "transpose"))]
            if rank <= 2:
                opts += [(1, lambda: self.conv_call("DepthwiseConv" + D, rank, shape, "depthwise")),
                         (1, lambda: self.conv_call("SeparableConv" + D, rank, shape, "separable"))]
            opts += [(2.5, lambda: self.pool_call(r.choice(["MaxPooling", "AveragePooling"]) + D, rank, shape))]

            def pad():
                v = r.choice([1, 2, 3])
                if rank == 1:
                    val = r.choice([v, (v, r.randint(0, 3))])
                elif r.random() < 0.4:
                    val = v
                elif r.random() < 0.5:
                    val = tuple(r.randint(0, 3) for _ in range(rank))
                else:
                    val = tuple((r.randint(0, 2), r.randint(0, 2)) for _ in range(rank))
                return self.mk("ZeroPadding" + D, *([("padding", val)] if r.random() < 0.85 else []),
                               *(self.df() if rank > 1 else []))

            def crop():
                mins = [L for L in sp if L is not None] or [8]
                m = max(0, (min(mins) - 1) // 2)
                if self.bad():
                    m = min(mins)
                c = lambda: r.randint(0, min(m, 4))  # noqa: E731
                if rank == 1:
                    val = r.choice([c(), (c(), c())])
                elif r.random() < 0.4:
                    val = c()
                elif r.random() < 0.5:
                    val = tuple(c() for _ in range(rank))
                else:
                    val = tuple((c(), c()) for _ in range(rank))
                return self.mk("Cropping" + D, ("cropping", val), *(self.df() if rank > 1 else []))

            def up():
                if rank == 1 or r.random() < 0.6:
                    val = r.choice([2, 2, 3])
                else:
                    val = tuple(r.choice([1, 2]) for _ in range(rank))
                args = [("size", val)] if r.random() < 0.8 else []
                if rank > 1:
                    args += self.df()
                if rank == 2 and r.random() < 0.3:
                    args.append(("interpolation", "bilinear"))
                return self.mk("UpSampling" + D, *args)

            opts += [(1, pad), (1 if all(L is None or L >= 3 for L in sp) else 0.1, crop)]
            if all(L is not None and L <= 24 for L in sp):
                opts += [(1, up)]
        if rank == 1 or (rank == 2 and r.random() < 0.5):
            def perm():
                dims = list(range(1, len(shape)))
                r.shuffle(dims)
                return self.mk("Permute", ("dims", tuple(dims)))
            opts += [(0.5, perm)]
        if rank == 0 and shape[-1] is not None:
            opts += [(0.7, lambda: self.mk("RepeatVector", ("n", r.choice([2, 3, 4, 8]))))]
        total = sum(w for w, _ in opts)
        x = r.random() * total
        for w, fn in opts:
            x -= w
            if x <= 0:
                return fn()
        return opts[-1][1]()

    def reshape_call(self, shape):
        """A Reshape to another rank (with -1 sometimes)."""
        r = self.r
        n = size_of(shape)
        if n is None or n <= 0:
            return self.mk("Reshape", ("target_shape", (-1,)))
        divs = [d for d in range(1, min(n, 64) + 1) if n % d == 0]
        choice = r.random()
        if choice < 0.25:
            tgt = (-1,) if r.random() < 0.5 else (n,)
        elif choice < 0.6:
            c = r.choice(divs)
            tgt = (-1, c) if r.random() < 0.6 else (n // c, c)
        else:
            c = r.choice([d for d in divs if d <= 8] or [1])
            rest = n // c
            hs = [d for d in range(1, min(rest, 64) + 1) if rest % d == 0 and rest // d <= 64]
            if not hs:
                tgt = (-1, c)
            else:
                h = r.choice(hs)
                tgt = (h, rest // h, c)
                if r.random() < 0.5:
                    tgt = tuple(-1 if i == r.randrange(3) else t for i, t in enumerate(tgt))
                    if tgt.count(-1) == 0:
                        tgt = (-1,) + tgt[1:]
        if self.bad():
            tgt = tuple(t + 1 if t > 0 else t for t in tgt) if r.random() < 0.7 else (-1, -1)
        return self.mk("Reshape", ("target_shape", tgt))

    def to_vector(self, shape):
        """Layers taking `shape` down to (None, n)."""
        rank = len(shape) - 2
        if rank == 0:
            return []
        if self.r.random() < 0.5 and size_of(shape) is not None and size_of(shape) <= 16384 or rank > 3:
            return [self.mk("Flatten")]
        c = self.r.choice(["GlobalAveragePooling", "GlobalMaxPooling"]) + "%dD" % rank
        return [self.mk(c, *self.df())]

    def input_shape(self):
        r = self.r
        x = r.random()
        if x < 0.2:
            return (None, r.choice([4, 8, 10, 16, 20, 32, 64]))
        if x < 0.45:
            L = r.choice([8, 10, 16, 20, 28, 32, 50, 64, None] if r.random() < 0.1 else [8, 10, 16, 20, 28, 32, 50, 64])
            return (None, L, r.choice([1, 2, 3, 4, 8]))
        if x < 0.92:
            h = r.choice([8, 12, 16, 28, 32, 48, 64])
            w = h if r.random() < 0.7 else r.choice([8, 16, 24, 32])
            if r.random() < 0.04:
                h = w = None
            return (None, h, w, r.choice([1, 3, 3, 4, 8]))
        return (None, r.choice([4, 6, 8, 12, 16]), r.choice([4, 8, 16]), r.choice([4, 8, 16]), r.choice([1, 2, 3]))

    # -- model bodies -----------------------------------------------------------
    def shape_text(self, dims):
        """Source of an Input `shape=`: literal, constants, or a constant tuple."""
        x = self.r.random()
        if x < 0.25 and all(d is not None for d in dims) and len(dims) >= 2:
            names = ["H", "W", "C"] if len(dims) == 3 else (["STEPS", "FEATURES"] if len(dims) == 2
                                                               else ["D", "H", "W", "C"][: len(dims)])
            parts = [self.const(d, role=n) for d, n in zip(dims, names)]
            if self.r.random() < 0.4:
                name = self.const_tuple(parts, dims)
                return name
            return "(" + ", ".join(parts) + ")"
        if x < 0.35 and len(dims) == 1:
            return "[" + self.render(dims[0]) + "]" if self.r.random() < 0.3 else "(" + self.render(dims[0]) + ",)"
        return self.render(tuple(dims))

    def const_tuple(self, parts, dims):
        name = "INPUT_SHAPE"
        i = 1
        while name in self.const_names:
            i += 1
            name = f"INPUT_SHAPE{i}"
        self.consts.append((name, "(" + ", ".join(parts) + ")", tuple(dims)))
        self.const_names.add(name)
        return name

    def apply(self, call, shape, env=None):
        """Simulate; on a (probable) Keras error mark the program failed."""
        try:
            return simulate(call, shape, env)
        except Bad:
            self.failed = True
            return shape
        except (KeyError, TypeError, ValueError, ZeroDivisionError):
            self.failed = True
            return shape

    def functional(self, shape_arg=None):
        r = self.r
        st = self.style
        shape = self.set_format(self.input_shape())
        inp = r.choice(["inputs", "inp", "x_in", "image", "input_tensor"])
        text = shape_arg or self.shape_text(shape[1:])
        kw = r.random()
        if kw < 0.05:
            arg = f"batch_shape={self.render(shape)}"
        elif kw < 0.7:
            arg = f"shape={text}"
        else:
            arg = text
        if r.random() < 0.1:
            arg += f', name="{self.fresh("in_")}"'
        if r.random() < 0.05:
            arg += ", batch_size=" + str(r.choice([1, 8]))
            shape = (None,) + shape[1:]
        self.emit(f"{inp} = {st.input()}({arg})")
        if "batch_size=" in arg:
            shape = (int(arg.split("batch_size=")[1]),) + shape[1:]
        inputs = [inp]
        x = inp
        var = "x"
        steps = r.randint(1, 7)
        for _ in range(steps):
            if self.failed:
                break
            a = r.random()
            if a < 0.5:
                call = self.choose_layer(shape)
                shape2 = self.apply(call, shape)
                if self.failed or r.random() < 0.85 or call.cls in ("Flatten",):
                    self.emit(f"{var} = {self.render_call(call)}({x})")
                    x = var
                else:
                    # nest the next layer call
                    c2 = self.choose_layer(shape2)
                    shape3 = self.apply(c2, shape2)
                    self.emit(f"{var} = {self.render_call(c2)}({self.render_call(call)}({x}))")
                    x, shape2 = var, shape3
                shape = shape2
            elif a < 0.63:
                if "branch" not in self.off:
                    x, shape = self.branch(x, shape)
            elif a < 0.72:
                if "loop" not in self.off:
                    x, shape = self.loop_functional(x, shape)
            elif a < 0.81:
                if "helper" not in self.off:
                    x, shape = self.helper_call(x, shape)
            elif a < 0.87 and len(shape) >= 3 and not self.cf:
                if "squeeze_excite" not in self.off:
                    x, shape = self.squeeze_excite(x, shape)
            elif a < 0.93:
                if "nested_sequential" not in self.off:
                    x, shape = self.nested_sequential(x, shape)
            else:
                call = self.reshape_call(shape)
                shape = self.apply(call, shape)
                self.emit(f"{var} = {self.render_call(call)}({x})")
                x = var
        outputs = [x]
        if not self.failed and r.random() < 0.6:
            # a classification head
            for c in self.to_vector(shape):
                shape = self.apply(c, shape)
                self.emit(f"{var} = {self.render_call(c)}({x})")
                x = var
            if r.random() < 0.2 and not self.failed:
                # second input, merged into the head
                n = r.choice([3, 4, 8])
                inp2 = r.choice(["meta", "aux", "extra"])
                self.emit(f"{inp2} = {st.input()}(shape=({self.render(n)},))")
                inputs.append(inp2)
                y = self.mk("Dense", ("units", r.choice([4, 8])))
                ys = self.apply(y, (None, n))
                self.emit(f"h = {self.render_call(y)}({inp2})")
                fn = r.random() < 0.5
                cls = "Concatenate"
                merged = "[" + f"{x}, h" + "]"
                shape = self.apply_merge(cls, [shape, ys])
                if fn:
                    self.emit(f"{var} = {st.layer('concatenate')}({merged})")
                else:
                    self.emit(f"{var} = {st.layer('Concatenate')}()({merged})")
                x = var
            units = r.choice([1, 2, 3, 5, 10])
            head = self.mk("Dense", ("units", T("num_classes", None) if "num_classes" in self.local else units),
                           *([("activation", "softmax")] if r.random() < 0.5 else []))
            if "num_classes" in self.local:
                units = self.local["num_classes"]
            shape = self.apply(Call("Dense", [("units", units)]), shape)
            out = r.choice(["outputs", "out", "logits", "y"])
            self.emit(f"{out} = {self.render_call(head)}({x})")
            outputs = [out]
            if r.random() < 0.1:
                aux = self.mk("Dense", ("units", 1))
                self.emit(f"aux_out = {self.render_call(aux)}({x})")
                outputs.append("aux_out")
        return inputs, outputs

    def model_call(self, inputs, outputs):
        r = self.r
        ins = inputs[0] if len(inputs) == 1 and r.random() < 0.8 else "[" + ", ".join(inputs) + "]"
        outs = outputs[0] if len(outputs) == 1 and r.random() < 0.8 else "[" + ", ".join(outputs) + "]"
        if r.random() < 0.4:
            text = f"{self.style.model()}(inputs={ins}, outputs={outs}"
        else:
            text = f"{self.style.model()}({ins}, {outs}"
        if r.random() < 0.3:
            text += f', name="{self.fresh("net_")}"'
        return text + ")"

    def apply_merge(self, cls, shapes, axis=-1):
        try:
            return merge_shape(cls, shapes, axis)
        except Bad:
            self.failed = True
            return shapes[0]

    def branch_layer(self, shape, filters):
        """A layer preserving the spatial dims, with `filters` channels."""
        rank = len(shape) - 2
        r = self.r
        if rank == 0:
            return self.mk("Dense", ("units", filters))
        D = "%dD" % rank
        k = r.choice([1, 3, 3, 5]) if rank < 3 else r.choice([1, 3])
        kind = r.choice(["Conv", "Conv", "Separable"] if rank < 3 else ["Conv"])
        cls = ("SeparableConv" if kind == "Separable" else "Conv") + D
        args = [("filters", filters), ("kernel_size", k), ("padding", "same")] + self.df()
        if r.random() < 0.3:
            args.append(("activation", "relu"))
        return self.mk(cls, *args)

    def branch(self, x, shape):
        r = self.r
        st = self.style
        cls = r.choice(["Concatenate", "Concatenate", "Add", "Add", "Multiply", "Subtract", "Average",
                        "Maximum", "Minimum"])
        nb = 2 if cls == "Subtract" else r.choice([2, 2, 3])
        rank = len(shape) - 2
        elementwise = cls != "Concatenate"
        axis = -1
        if not elementwise and r.random() < 0.25:
            axis = r.randrange(1, len(shape))
            if r.random() < 0.3:
                axis = axis - len(shape)
        chan_axis = 1 if self.cf and rank > 0 else len(shape) - 1
        same_f = elementwise or axis % len(shape) != chan_axis
        f0 = self.ch(shape) if (self.ch(shape) and r.random() < 0.4) else self.filters()
        names, shapes = [], []
        for i in range(nb):
            f = f0 if same_f else self.filters()
            if same_f and self.bad():
                f = f0 + 1
            depth = r.choice([0, 1, 1, 2]) if f == self.ch(shape) else r.choice([1, 1, 2])
            b = self.fresh("b")
            cur, s = x, shape
            for j in range(depth):
                c = self.branch_layer(s, f) if j == depth - 1 else \
                    r.choice([self.branch_layer(s, self.filters()), self.mk("BatchNormalization"),
                              self.mk("Activation", ("activation", "relu"))])
                s = self.apply(c, s)
                self.emit(f"{b} = {self.render_call(c)}({cur})")
                cur = b
            if rank >= 1 and not same_f and r.random() < 0.1:
                # a strided branch: concatenation on channels then mismatches
                c = self.mk("MaxPooling%dD" % rank, ("pool_size", 2), *self.df())
                s = self.apply(c, s)
                self.emit(f"{b} = {self.render_call(c)}({cur})")
                cur = b
            names.append(cur)
            shapes.append(s)
        shape = self.apply_merge(cls, shapes, axis)
        lst = "[" + ", ".join(names) + "]"
        axis_txt = ""
        if not elementwise and (axis != -1 or r.random() < 0.1):
            axis_txt = f"axis={axis}" if r.random() < 0.7 or r.random() < 0.5 else str(axis)
        if cls in MERGE_OPERATOR and "operators" not in self.off and r.random() < 0.3:
            self.emit(f"x = {f' {MERGE_OPERATOR[cls]} '.join(names)}")
        elif r.random() < 0.4:
            self.emit(f"x = {st.layer(MERGE_FN[cls])}({lst}{', ' + axis_txt if axis_txt else ''})")
        else:
            self.emit(f"x = {st.layer(cls)}({axis_txt})({lst})")
        return "x", shape

    def nested_sequential(self, x, shape):
        """A Sequential without an input, used as a layer: `x = sub(x)`."""
        r = self.r
        calls = []
        for _ in range(r.randint(1, 3)):
            c = self.choose_layer(shape)
            shape = self.apply(c, shape)
            calls.append(c)
            if self.failed:
                break
        name = self.fresh("sub")
        items = ", ".join(self.render_call(c) for c in calls)
        extra = f', name="{self.fresh("block_")}"' if r.random() < 0.3 else ""
        self.emit(f"{name} = {self.style.sequential()}([{items}]{extra})")
        self.emit(f"x = {name}({x})")
        return "x", shape

    def siamese(self):
        """Two inputs of one shape through the same layer objects, merged."""
        r = self.r
        st = self.style
        shape = self.set_format(self.input_shape())
        text = self.shape_text(shape[1:])
        self.emit(f"left = {st.input()}(shape={text})")
        self.emit(f"right = {st.input()}(shape={text})")
        calls = []
        s = shape
        for _ in range(r.randint(1, 3)):
            c = self.choose_layer(s)
            s2 = self.apply(c, s)
            if self.failed:
                break
            calls.append(c)
            s = s2
        if not self.failed and r.random() < 0.5:
            calls += self.to_vector(s)
            for c in calls[-1:]:
                s = self.apply(c, s)
        names = []
        for c in calls:
            n = self.fresh("shared")
            self.emit(f"{n} = {self.render_call(c)}")
            names.append(n)
        for side in ("left", "right"):
            cur = side
            for n in names:
                self.emit(f"{side[0]} = {n}({cur})")
                cur = side[0]
        a, b = ("l", "r") if names else ("left", "right")
        cls = r.choice(["Concatenate", "Add", "Subtract", "Average", "Maximum", "Multiply"])
        if r.random() < 0.5:
            self.emit(f"x = {st.layer(MERGE_FN[cls])}([{a}, {b}])")
        else:
            self.emit(f"x = {st.layer(cls)}()([{a}, {b}])")
        s = self.apply_merge(cls, [s, s])
        out = "x"
        if not self.failed and r.random() < 0.6:
            for c in self.to_vector(s) + [self.mk("Dense", ("units", 1))]:
                s = self.apply(c, s)
                self.emit(f"x = {self.render_call(c)}(x)")
        return ["left", "right"], [out]

    def masked_sequence(self):
        """Token sequences with Keras masks: an Embedding (with `mask_zero` or not) or a Masking layer, then
        layers that keep, drop or join the mask (Dense, Dropout, LayerNormalization, Conv1D, recurrent layers
        returning sequences, Bidirectional, TimeDistributed, Lambda, merges along the features or along time,
        Attention), and a last recurrent layer or pooling that takes it (called alone or with `training=`)."""
        r = self.r
        st = self.style
        steps, vocab, width = r.choice([4, 6, 9]), r.choice([20, 50]), r.choice([4, 6, 8])
        tokens = self.fresh("tokens")
        self.emit(f"{tokens} = {st.input()}(shape=({steps},), dtype=\"int32\")")
        inputs = [tokens]

        def embedded(dim):
            mask = r.choice(["True", "True", "False"])
            name = self.fresh("e")
            self.emit(f"{name} = {st.layer('Embedding')}({vocab}, {dim}, mask_zero={mask})({tokens})")
            return name

        def rnn(units, sequences=True):
            cls = r.choice(["LSTM", "GRU", "SimpleRNN"])
            return f"{st.layer(cls)}({units}" + (", return_sequences=True)" if sequences else ")")

        if r.random() < 0.2:
            frames = self.fresh("frames")
            self.emit(f"{frames} = {st.input()}(shape=({steps}, {width}))")
            inputs.append(frames)
            x = self.fresh("m")
            self.emit(f"{x} = {st.layer('Masking')}(mask_value=0.0)({frames})")
        else:
            x = embedded(width)
        length = steps
        for _ in range(r.randint(1, 4)):
            kind = r.choice(["dense", "dropout", "norm", "conv", "rnn", "bidirectional", "time", "lambda",
                             "concat", "concat_time", "add", "attention"])
            y = self.fresh("h")
            if kind == "dense":
                width = r.choice([3, 5, 8])
                self.emit(f"{y} = {st.layer('Dense')}({width}, activation=\"relu\")({x})")
            elif kind == "dropout":
                self.emit(f"{y} = {st.layer('Dropout')}(0.2)({x})")
            elif kind == "norm":
                self.emit(f"{y} = {st.layer('LayerNormalization')}()({x})")
            elif kind == "conv":
                width = r.choice([3, 4])
                self.emit(f"{y} = {st.layer('Conv1D')}({width}, 3, padding=\"same\")({x})")
            elif kind == "rnn":
                width = r.choice([3, 5])
                self.emit(f"{y} = {rnn(width)}({x})")
            elif kind == "bidirectional":
                units = r.choice([2, 3])
                merge = r.choice(["concat", "sum"])
                width = 2 * units if merge == "concat" else units
                self.emit(f"{y} = {st.layer('Bidirectional')}({rnn(units)}, merge_mode=\"{merge}\")({x})")
            elif kind == "time":
                width = r.choice([2, 4])
                self.emit(f"{y} = {st.layer('TimeDistributed')}({st.layer('Dense')}({width}))({x})")
            elif kind == "lambda":
                self.emit(f"{y} = {st.layer('Lambda')}(lambda t: t * 2.0)({x})")
            elif kind in ("concat", "add", "attention") and length == steps:
                other = embedded(width) if r.random() < 0.6 else None
                if other is None:
                    other = self.fresh("dense")
                    self.emit(f"{other} = {st.layer('Dense')}({width})({x})")
                if kind == "concat":
                    width *= 2
                    self.emit(f"{y} = {st.layer('Concatenate')}()([{x}, {other}])")
                elif kind == "add":
                    merge = r.choice(["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"])
                    self.emit(f"{y} = {st.layer(merge)}()([{x}, {other}])")
                else:
                    cls = r.choice(["Attention", "AdditiveAttention"])
                    self.emit(f"{y} = {st.layer(cls)}()([{x}, {other}])")
            elif kind == "concat_time":
                other = self.fresh("dense")
                self.emit(f"{other} = {st.layer('Dense')}({width})({x})")
                length *= 2
                self.emit(f"{y} = {st.layer('Concatenate')}(axis=1)([{x}, {other}])")
            else:
                continue
            x = y
        out = self.fresh("out")
        last = r.random()
        keyword = ", training=False" if r.random() < 0.15 else ""  # (then the node records no mask)
        if last < 0.6:
            self.emit(f"{out} = {rnn(r.choice([2, 4]), sequences=False)}({x}{keyword})")
        elif last < 0.8:
            self.emit(f"{out} = {st.layer('GlobalAveragePooling1D')}()({x})")
        else:
            self.emit(f"{out} = {st.layer('Bidirectional')}({rnn(2, sequences=False)})({x})")
        if r.random() < 0.5:
            final = self.fresh("out")
            self.emit(f"{final} = {st.layer('Dense')}({r.choice([1, 3])})({out})")
            out = final
        return inputs, [out]

    def squeeze_excite(self, x, shape):
        r = self.r
        rank = len(shape) - 2
        ch = shape[-1]
        g = self.mk(r.choice(["GlobalAveragePooling", "GlobalMaxPooling"]) + "%dD" % rank, ("keepdims", True))
        s = self.apply(g, shape)
        self.emit(f"s = {self.render_call(g)}({x})")
        d1 = self.mk("Dense", ("units", max(1, (ch or 4) // 2)), ("activation", "relu"))
        s = self.apply(d1, s)
        self.emit(f"s = {self.render_call(d1)}(s)")
        units = ch or 4
        if self.bad():
            units += 1
        d2 = self.mk("Dense", ("units", units), ("activation", "sigmoid"))
        s = self.apply(d2, s)
        self.emit(f"s = {self.render_call(d2)}(s)")
        cls = r.choice(["Multiply", "Add"])
        out = self.apply_merge(cls, [shape, s])
        if "operators" not in self.off and r.random() < 0.25:
            self.emit(f"x = {x} {MERGE_OPERATOR[cls]} s")
        elif r.random() < 0.5:
            self.emit(f"x = {self.style.layer(MERGE_FN[cls])}([{x}, s])")
        else:
            self.emit(f"x = {self.style.layer(cls)}()([{x}, s])")
        return "x", out

    # -- templates (loops, helper) --------------------------------------------
    def template(self, shape, fparam, kparam=None):
        """1-3 layer calls whose filters/kernel are template values."""
        r = self.r
        rank = len(shape) - 2
        out = []
        if rank == 0:
            out.append(self.mk("Dense", ("units", fparam), *([("activation", "relu")] if r.random() < 0.5 else [])))
            if r.random() < 0.4:
                out.append(self.mk("Dropout", ("rate", 0.1)))
            for c in out:
                c.args = [(k, v) for k, v in c.args if k != "name"]
            return out
        D = "%dD" % rank
        pad = r.choice(["same", "same", "valid"])
        args = [("filters", fparam), ("kernel_size", kparam if kparam is not None else r.choice([1, 3]))]
        if pad == "valid" and r.random() < 0.3:
            args.append(("strides", 2 if rank > 1 or r.random() < 0.5 else 1))
        if pad == "same" or r.random() < 0.5:
            args.append(("padding", pad))
        if r.random() < 0.3:
            args.append(("use_bias", False))
        args += self.df()
        out.append(self.mk(r.choice(["Conv", "Conv", "SeparableConv"] if rank < 3 else ["Conv"]) + D, *args))
        if r.random() < 0.4:
            out.append(self.mk("BatchNormalization"))
        if r.random() < 0.4:
            c = r.choice(["ReLU", "Activation"])
            out.append(self.mk(c, *([("activation", "relu")] if c == "Activation" else [])))
        if r.random() < 0.4:
            out.append(self.mk("MaxPooling" + D, *([("padding", "same")] if r.random() < 0.5 else []), *self.df()))
        for c in out:
            # a template runs several times: explicit names would clash
            c.args = [(k, v) for k, v in c.args if k != "name"]
        return out

    def sim_template(self, calls, shape, env):
        for c in calls:
            try:
                shape = simulate(c, shape, env)
            except Bad:
                self.failed = True
                return shape
        return shape

    def loop_values(self, shape, calls, values, var, base=None):
        """Drop iterations that the generator's model says fail (mostly)."""
        ok = []
        s = shape
        for v in values:
            try:
                s2 = s
                for c in calls:
                    s2 = simulate(c, s2, dict(base or {}, **{var: v}))
            except Bad:
                if self.bad():
                    ok.append(v)
                break
            ok.append(v)
            s = s2
        return ok

    def loop_functional(self, x, shape):
        r = self.r
        how = r.choice(["list", "const", "range"])
        if how == "range":
            base = r.choice([4, 8, 16])
            mult = r.choice(["mul", "pow", "plain"])
            expr = {"mul": T(f"{base} * (i + 1)", lambda e: base * (e["i"] + 1)),
                    "pow": T(f"{base} * 2 ** i", lambda e: base * 2 ** e["i"]),
                    "plain": T("i + 1", lambda e: e["i"] + 1) if r.random() < 0.5 else T(str(base), lambda e: base)}[mult]
            calls = self.template(shape, expr)
            n = self.loop_values(shape, calls, list(range(r.randint(1, 3))), "i")
            n = len(n) or 1
            if base * 2 ** (n - 1) > 32:
                n = 1
            self.emit(f"for i in range({self.render(n)}):")
            envs = [{"i": i} for i in range(n)]
        else:
            vals = sorted(r.sample([4, 8, 8, 12, 16, 24, 32], r.randint(1, 3)))
            calls = self.template(shape, P("f"))
            vals = self.loop_values(shape, calls, vals, "f") or vals[:1]
            if how == "const":
                name = self.const(list(vals), role="FILTERS")
                self.emit(f"for f in {name}:")
            else:
                self.emit(f"for f in {self.render(list(vals))}:")
            envs = [{"f": v} for v in vals]
        if x != "x":
            self.out.insert(len(self.out) - 1, f"{self.indent}x = {x}")
            x = "x"
        for c in calls:
            self.emit(f"    x = {self.render_call(c)}(x)")
        for env in envs:
            shape = self.sim_template(calls, shape, env)
        return "x", shape

    def helper_call(self, x, shape):
        r = self.r
        if self.helper is None:
            rank = len(shape) - 2
            kdef = r.choice([1, 3, 3, 5]) if rank > 0 else None
            calls = self.template(shape, P("filters"), P("k") if rank > 0 else None)
            name = r.choice(["block", "conv_block", "stage", "unit"])
            params = "x, filters" + (f", k={kdef}" if rank > 0 else "")
            lines = [f"def {name}({params}):"]
            for c in calls:
                lines.append(f"    x = {self.render_call(c)}(x)")
            lines.append("    return x")
            self.defs.append(lines)
            self.helper = (name, kdef, calls, rank)
        name, kdef, calls, rank = self.helper
        if len(shape) - 2 != rank:
            return x, shape
        for _ in range(r.randint(1, 2)):
            f = self.filters()
            env = {"filters": f, "k": kdef}
            kw = r.random() < 0.2
            args = [f"filters={self.render(f)}" if kw or r.random() < 0.3 else self.render(f)]
            if kdef is not None and r.random() < 0.5:
                k = r.choice([1, 3, 5])
                env["k"] = k
                args.append(f"k={k}" if kw or "=" in args[0] or r.random() < 0.6 else str(k))
            xa = f"x={x}" if kw else x
            self.emit(f"x = {name}({xa}, {', '.join(args)})")
            x = "x"
            shape = self.sim_template(calls, shape, env)
            if self.failed:
                break
        return x, shape

    # -- Sequential ---------------------------------------------------------------
    def seq_layers(self, shape):
        """A list of items: Call or ('loop', header, calls)."""
        r = self.r
        items = []
        for _ in range(r.randint(1, 7)):
            if self.failed:
                break
            if r.random() < 0.1:
                call = self.reshape_call(shape)
            else:
                call = self.choose_layer(shape)
            shape = self.apply(call, shape)
            items.append(call)
        if not self.failed and r.random() < 0.15 and "seq_block" not in self.off:
            shape = self.seq_block(shape, items)
        if not self.failed and r.random() < 0.6:
            for c in self.to_vector(shape):
                shape = self.apply(c, shape)
                items.append(c)
            items.append(self.mk("Dense", ("units", r.choice([1, 2, 10])),
                                 *([("activation", "softmax")] if r.random() < 0.4 else [])))
            shape = self.apply(items[-1], shape)
        return items, shape

    def seq_block(self, shape, items):
        """`def block(filters, k=3): return [...]` used as `*block(8)`."""
        r = self.r
        rank = len(shape) - 2
        kdef = r.choice([1, 3]) if rank > 0 else None
        calls = self.template(shape, P("filters"), P("k") if rank > 0 else None)
        name = self.fresh("block")
        params = "filters" + (f", k={kdef}" if rank > 0 else "")
        body = ", ".join(self.render_call(c) for c in calls)
        self.defs.append([f"def {name}({params}):", f"    return [{body}]"])
        vals = sorted(r.sample([4, 8, 8, 16, 32], r.randint(1, 2)))
        vals = self.loop_values(shape, calls, vals, "filters", {"k": kdef}) or vals[:1]
        for v in vals:
            items.append(("block", name, v))
            shape = self.sim_template(calls, shape, {"filters": v, "k": kdef})
        return shape

    def sequential(self):
        r = self.r
        st = self.style
        shape = self.set_format(self.input_shape())
        form = r.choice(["list", "list", "add"])
        how_in = r.choice(["Input", "Input", "input_shape", "InputLayer"])
        items, _ = self.seq_layers(shape)
        if not items:
            items = [self.mk("Dense", ("units", 4))]
        dims = shape[1:]
        first_extra = None
        entries = []
        if how_in == "Input":
            entries.append(f"{st.input()}(shape={self.shape_text(dims)})")
        elif how_in == "InputLayer":
            kw = "shape" if r.random() < 0.7 else "input_shape"
            entries.append(f"{st.layer('InputLayer')}({kw}={self.shape_text(dims)})")
        elif len(dims) == 1 and items[0].cls == "Dense" and r.random() < 0.5:
            first_extra = f"input_dim={self.render(dims[0])}"
        else:
            first_extra = f"input_shape={self.shape_text(dims)}"
        for i, c in enumerate(items):
            if isinstance(c, tuple):
                entries.append(c)
                continue
            text = self.render_call(c)
            if i == 0 and first_extra:
                text = text[:-1] + ("" if text.endswith("()") else ", ") + first_extra + ")"
            entries.append(text)
        var = r.choice(["model", "net", "clf", "seq"])
        name = f'name="{self.fresh("seq_")}"' if r.random() < 0.2 else ""
        if form == "list":
            kw = "layers=" if r.random() < 0.15 else ""
            if r.random() < 0.5:
                self.emit(f"{var} = {st.sequential()}({kw}[")
                for e in entries:
                    self.emit(f"    {self.entry(e)},")
                self.emit("]" + (", " + name if name else "") + ")")
            else:
                self.emit(f"{var} = {st.sequential()}({kw}[{', '.join(self.entry(e) for e in entries)}]"
                          + (", " + name if name else "") + ")")
        else:
            self.emit(f"{var} = {st.sequential()}({name})")
            for e in entries:
                if isinstance(e, tuple):
                    lv = self.fresh("layer")
                    self.emit(f"for {lv} in {e[1]}({self.render(e[2])}):")
                    self.emit(f"    {var}.add({lv})")
                else:
                    self.emit(f"{var}.add({e})")
        return var

    def entry(self, e):
        if isinstance(e, tuple):
            return f"*{e[1]}({self.render(e[2])})"
        return e

    def sequential_loop(self):
        """`.add` form with a for loop (template) in the middle."""
        r = self.r
        st = self.style
        shape = self.set_format(self.input_shape())
        var = r.choice(["model", "net"])
        self.emit(f"{var} = {st.sequential()}()")
        self.emit(f"{var}.add({st.input()}(shape={self.shape_text(shape[1:])}))")
        for _ in range(r.randint(0, 2)):
            c = self.choose_layer(shape)
            shape = self.apply(c, shape)
            self.emit(f"{var}.add({self.render_call(c)})")
        if not self.failed:
            vals = sorted(r.sample([4, 8, 8, 16, 32], r.randint(1, 3)))
            calls = self.template(shape, P("f"))
            vals = self.loop_values(shape, calls, vals, "f") or vals[:1]
            if r.random() < 0.5:
                self.emit(f"for f in {self.render(list(vals))}:")
            else:
                self.emit(f"for f in {self.const(list(vals), role='FILTERS')}:")
            for c in calls:
                self.emit(f"    {var}.add({self.render_call(c)})")
            for v in vals:
                shape = self.sim_template(calls, shape, {"f": v})
        if not self.failed:
            for c in self.to_vector(shape) + [self.mk("Dense", ("units", r.choice([1, 10])))]:
                shape = self.apply(c, shape)
                self.emit(f"{var}.add({self.render_call(c)})")
        return var

    # -- whole program --------------------------------------------------------------
    def one_model(self):
        r = self.r
        x = r.random()
        if x < 0.5:
            if r.random() < 0.35 and "build_function" not in self.off:
                # def build(...) returning the model
                self.out = []
                self.indent = "    "
                params = []
                use_nc = r.random() < 0.6
                width = None
                if use_nc:
                    nc = r.choice([2, 3, 10])
                    self.local["num_classes"] = nc
                    params.append("num_classes")
                if r.random() < 0.4:
                    width = r.choice([8, 16])
                    self.local["width"] = width
                    params.append(f"width={width}")
                ins, outs = self.functional()
                self.emit(f"return {self.model_call(ins, outs)}")
                block = self.out
                self.out = self.body
                self.indent = ""
                fname = r.choice(["build", "build_model", "make_model", "get_model"])
                while any(d[0].startswith(f"def {fname}(") for d in self.defs):
                    fname += "_2"
                self.defs.append([f"def {fname}({', '.join(params)}):"] + block)
                self.local.pop("width", None)
                nc = self.local.pop("num_classes", None)
                var = r.choice(["model", "net"])
                args = []
                if nc is not None:
                    args.append(str(nc) if r.random() < 0.5 else f"num_classes={nc}")
                self.emit(f"{var} = {fname}({', '.join(args)})")
                if nc is not None and r.random() < 0.25 and not self.failed:
                    self.emit(f"{var}2 = {fname}({r.choice([1, 4, 7])})")
                return var
            siamese = r.random() < 0.08 and "siamese" not in self.off
            masked = not siamese and r.random() < 0.1 and "masked_sequence" not in self.off
            ins, outs = self.siamese() if siamese else self.masked_sequence() if masked else self.functional()
            var = r.choice(["model", "net", "encoder"])
            self.emit(f"{var} = {self.model_call(ins, outs)}")
            return var
        if x < 0.85 or "loop" in self.off:
            return self.sequential()
        return self.sequential_loop()

    def program(self):
        r = self.r
        var = self.one_model()
        if not self.failed and r.random() < 0.12 and "second_model" not in self.off:
            self.emit("")
            self.helper = None if r.random() < 0.5 else self.helper
            self.one_model()
        if r.random() < 0.2:
            self.emit(f"{var}.summary()")
        lines = ["# Generated by tools/gen_models.py"]
        lines += self.style.header()
        if self.consts:
            lines.append("")
            for name, text, _ in self.consts:
                lines.append(f"{name} = {text}")
        for d in self.defs:
            lines += ["", ""] + d
        lines += ["", ""] if self.defs else [""]
        lines += self.body
        return "\n".join(lines) + "\n"


def generate(seed, disable=()):
    """One random program (deterministic in `seed` and `disable`)."""
    return Gen(seed, disable).program()


def file_seed(seed, i):
    return f"{seed}-{i}"


def write_files(seed, count, out_dir, disable=()):
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for i in range(count):
        path = os.path.join(out_dir, f"gen_{seed}_{i:05d}.py")
        with open(path, "w", encoding="utf-8") as f:
            f.write(generate(file_seed(seed, i), disable))
        paths.append(path)
    return paths


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", default="0")
    p.add_argument("--count", type=int, default=1)
    p.add_argument("--index", type=int, help="print only program INDEX of the batch")
    p.add_argument("--out", help="directory to write files into")
    p.add_argument("--disable", default="", help="comma-separated features to leave out: " + ", ".join(FEATURES))
    args = p.parse_args(argv)
    off = tuple(x for x in args.disable.split(",") if x)
    if args.index is not None:
        sys.stdout.write(generate(file_seed(args.seed, args.index), off))
    elif args.out:
        for path in write_files(args.seed, args.count, args.out, off):
            print(path)
    else:
        for i in range(args.count):
            if args.count > 1:
                print(f"# ---- {file_seed(args.seed, i)}")
            sys.stdout.write(generate(file_seed(args.seed, i), off))
    return 0


if __name__ == "__main__":
    sys.exit(main())
