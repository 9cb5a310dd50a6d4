"""``keras.applications`` models (ResNet50, DenseNet121, ...) as data and a pure function.

The data, ``applications.json`` beside this module, is written by
``tools/gen_applications.py`` from real Keras: per model its Keras name, constructor
signature, default and minimum input size, parameter counts of the base as linear
functions of the input channels, of the classifier top as linear functions of
``classes``, the number of output features, and the spatial reductions along the
network (verified against Keras at many input sizes), from which the output shape
for any input size follows exactly.

:func:`lookup` finds a model by the name it is called with; :func:`evaluate` turns a
call's resolved arguments into an :class:`AppResult`, raising
:class:`~kerascount.catalogue.spec.ShapeError` where Keras raises and
:class:`~kerascount.catalogue.spec.Unresolved` where the arguments are not known
well enough. The input-shape logic below is a port of
``keras.src.applications.imagenet_utils.obtain_input_shape`` and of the
model-specific code around it (channels_last only; with ``input_tensor=``, the checks read the
``input_shape`` and the layers are built on the tensor, :class:`GivenTensor`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ..ir import Count, Shape, Unknown
from ..symbolic import Expr
from .errors import (ApplicationInputTooSmall, ApplicationWeightsMismatch, IncompatibleInput, InvalidArguments,
                     NonPositiveDimension, WrongRank)
from .spec import REQUIRED, Arg, ShapeError, Unresolved, arith, window_length

_DATA: Optional[Dict[str, Any]] = None
_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "applications.json")

#: Prefixes under which ``keras.applications`` is reachable.
_PREFIXES = ("tensorflow.keras.", "tf.keras.", "tf_keras.", "keras.")


def _data() -> Dict[str, Any]:
    global _DATA
    if _DATA is None:
        # The file beside this module, as an installed package has it; importlib.resources (whose import, with
        # zipfile, cost a one-file lint more than reading the table) only for a package imported from a zip.
        try:
            with open(_PATH, encoding="utf-8") as f:
                text = f.read()
        except OSError:
            from importlib.resources import files  # Python 3.9+

            text = files(__package__).joinpath("applications.json").read_text(encoding="utf-8")
        _DATA = json.loads(text)
    return _DATA


@dataclass(unsafe_hash=True, repr=False)
class AppSpec:
    """One ``keras.applications`` model: its data block from ``applications.json``."""

    name: str
    signature: Tuple[Arg, ...]
    data: Mapping[str, Any] = field(compare=False, hash=False, repr=False)

    @property
    def keras_name(self) -> str:
        return self.data["keras_name"]

    @property
    def paths(self) -> Tuple[str, ...]:
        return tuple(self.data["paths"])


@dataclass(unsafe_hash=True, repr=False)
class AppResult:
    """What the call builds.

    ``name`` is the model's name; ``None`` when Keras names it itself (``name=None``
    gives ``"functional"``, ``"functional_1"``, ...), an :class:`Unknown` when the
    source does not say. Shapes include the batch dimension (``None``).
    """

    name: Any
    input_shape: Shape
    output_shape: Shape
    trainable: Count
    non_trainable: Count
    default_size: int
    min_size: int

    @property
    def total(self) -> Count:
        return arith(lambda: self.trainable + self.non_trainable, "params")


def names() -> List[str]:
    """Every application, by class-like name."""
    return sorted(_data()["applications"])


def lookup(name: str) -> Optional[AppSpec]:
    """``"DenseNet121"`` or a dotted path such as ``"keras.applications.densenet.DenseNet121"``
    (also under ``tf.keras`` / ``tensorflow.keras`` / ``tf_keras``) → its spec, else ``None``."""
    apps = _data()["applications"]
    if "." in name:
        path = name
        for prefix in _PREFIXES:
            if path.startswith(prefix):
                path = "keras." + path[len(prefix):]
                break
        short = path.rsplit(".", 1)[1]
        if short not in apps or path not in apps[short]["paths"]:
            return None
        name = short
    block = apps.get(name)
    if block is None:
        return None
    sig = tuple(Arg(p, d) for p, d in block["signature"])
    return AppSpec(name=name, signature=sig, data=block)


# -- argument access -------------------------------------------------------------------------


class _Args:
    def __init__(self, spec: AppSpec, args: tuple, kwargs: dict) -> None:
        sig = spec.signature
        who = f"{spec.name}()"
        if len(args) > len(sig):
            raise InvalidArguments(f"{who} takes {len(sig)} positional arguments but {len(args)} were given")
        values: Dict[str, Any] = {a.name: v for a, v in zip(sig, args)}
        known = {a.name for a in sig}
        for key, value in kwargs.items():
            if key not in known:
                raise InvalidArguments(f"{who} got an unexpected keyword argument '{key}'")
            if key in values:
                raise InvalidArguments(f"{who} got multiple values for argument '{key}'")
            values[key] = value
        self.values = values
        self.defaults = {a.name: a.default for a in sig}
        self.spec = spec

    def given(self, name: str) -> bool:
        return name in self.values

    def raw(self, name: str) -> Any:
        return self.values.get(name, self.defaults.get(name))

    def get(self, name: str) -> Any:
        value = self.raw(name)
        if isinstance(value, Unknown):
            raise Unresolved(f"{self.spec.name}: `{name}` is not known ({value.reason})")
        return value

    def concrete(self, name: str) -> Any:
        """A value that must be a plain Python constant (not symbolic) to go on."""
        value = self.get(name)
        if isinstance(value, Expr) or (isinstance(value, (tuple, list))
                                       and any(isinstance(v, Expr) for v in value)):
            raise Unresolved(f"{self.spec.name}: `{name}` is symbolic ({value})")
        return value


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _dim_known(v: Any) -> bool:
    return _is_int(v)


def _show(value: Any) -> str:
    return repr(value)


def _check_shape_items(spec: AppSpec, shape: Any) -> None:
    if isinstance(shape, (tuple, list)):
        for d in shape:
            if isinstance(d, Unknown):
                raise Unresolved(f"{spec.name}: a dimension of `input_shape` is not known ({d.reason})")
            if not (d is None or _is_int(d) or isinstance(d, Expr)):
                raise InvalidArguments(f"{spec.name}: `input_shape` must contain integers or None; got {shape!r}")


def _truthy(v: Any) -> bool:
    """Python truthiness; a symbolic dimension counts as a (non-zero) size."""
    return True if isinstance(v, Expr) else bool(v)


def _lt(a: Any, b: int) -> bool:
    """``a < b`` for an int; a symbolic dimension is taken to be large enough."""
    return _is_int(a) and a < b


# Keras's errors about the imagenet weights (KC111) and the minimum input size (KC112), in words that
# say what to do.


def _too_small(name: str, min_size: int, input_shape: Any) -> ShapeError:
    rows, cols = input_shape[0], input_shape[1]
    got = f"input_shape={_show(input_shape)}"
    if _is_int(rows) and _is_int(cols):
        got = f"{rows}x{cols} ({got})"
    advice = _channels_first(input_shape) or f"resize the images to at least {min_size}x{min_size}"
    return ApplicationInputTooSmall(f"{name} needs inputs of at least {min_size}x{min_size}; got {got}; {advice}")


def _channels_first(input_shape: Any) -> Optional[str]:
    """What to write instead of an input_shape such as (3, 224, 224), which looks channels-first."""
    if len(input_shape) == 3 and input_shape[0] in (1, 3) and _is_int(input_shape[2]) and input_shape[2] > 4:
        return (f"the shape looks channels-first; Keras applications take (height, width, channels): "
                f"input_shape={_show((input_shape[1], input_shape[2], input_shape[0]))}")
    return None


def _imagenet_only(name: str, what: str, got: str, fix: str = "use one of these or weights=None") -> ShapeError:
    return ApplicationWeightsMismatch(f"{name} has imagenet weights only for {what}; got {got}; {fix}")


def _imagenet_channels(name: str, input_shape: Any) -> ShapeError:
    rgb = (input_shape[0], input_shape[1], 3)
    advice = _channels_first(input_shape) or (f"use weights=None, or build it for input_shape={rgb} and map the "
                                              "input to 3 channels (e.g. repeat a grayscale channel)")
    return ApplicationWeightsMismatch(f"{name} with weights='imagenet' needs 3 input channels; got {input_shape[2]} "
                                      f"(input_shape={_show(input_shape)}); {advice}")


# -- obtain_input_shape (imagenet_utils, channels_last) --------------------------------------


def _obtain_input_shape(name: str, input_shape: Any, default_size: int, min_size: int, require_flatten: bool,
                        weights: Any) -> Tuple[Any, ...]:
    if weights != "imagenet" and input_shape and len(input_shape) == 3:
        default_shape = (default_size, default_size, input_shape[-1])
    else:
        default_shape = (default_size, default_size, 3)
    if weights == "imagenet" and require_flatten:
        if input_shape is not None:
            if any(isinstance(d, Expr) for d in input_shape):
                raise Unresolved("`input_shape` is symbolic; with include_top=True and imagenet weights "
                                 f"Keras requires exactly {default_shape}")
            if input_shape != default_shape:
                fix = "write it as a tuple" if tuple(input_shape) == default_shape else \
                    "use include_top=False and your own classifier for other sizes"
                raise ApplicationWeightsMismatch(f"{name} with weights='imagenet' and include_top=True takes only "
                                                 f"input_shape={default_shape} (the classifier's weights fix it); got "
                                                 f"input_shape={_show(input_shape)}; {fix}")
        return default_shape
    if input_shape:
        if len(input_shape) != 3:
            raise InvalidArguments(f"`input_shape` must be a tuple of three integers; got {_show(input_shape)}")
        if weights == "imagenet" and input_shape[-1] != 3:
            if isinstance(input_shape[-1], Expr):
                raise Unresolved("the channel count of `input_shape` is symbolic; imagenet weights need 3")
            raise _imagenet_channels(name, input_shape)
        if _lt(input_shape[0], min_size) or _lt(input_shape[1], min_size):
            raise _too_small(name, min_size, input_shape)
    else:
        input_shape = default_shape if require_flatten else (None, None, 3)
    if require_flatten and None in tuple(input_shape):
        raise InvalidArguments("If `include_top` is True, you should specify a static `input_shape`; "
                               f"received input_shape={_show(input_shape)}")
    return tuple(input_shape)


# -- evaluate --------------------------------------------------------------------------------


def _weights(a: _Args) -> Any:
    weights = a.concrete("weights")
    if weights is None or weights == "imagenet":
        return weights
    if isinstance(weights, str):
        # A weights file: Keras builds the same architecture as weights=None, then loads it
        # (and raises if the file does not exist, which the source does not show).
        return weights
    raise InvalidArguments("The `weights` argument should be either `None` (random initialization), "
                           f"'imagenet' (pre-training on ImageNet), or the path to a weights file; "
                           f"received weights={weights!r}")


def _variant(spec: AppSpec, a: _Args) -> Mapping[str, Any]:
    data = spec.data
    wanted = {}
    for arg in data["variant_args"]:
        value = a.concrete(arg)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            if arg == "minimalistic":
                value = bool(value)
            else:
                raise InvalidArguments(f"{spec.name}: `{arg}` must be a number; got {value!r}")
        wanted[arg] = value
    for variant in data["variants"]:
        if all(variant["args"].get(k) == v for k, v in wanted.items()):
            return variant
    known = ", ".join(
        "(" + ", ".join(f"{k}={v!r}" for k, v in sorted(variant["args"].items())) + ")" for variant in data["variants"])
    shown = ", ".join(f"{k}={v!r}" for k, v in sorted(wanted.items()))
    raise Unresolved(f"{spec.name} with {shown} is not in kerascount's catalogue (it knows {known})")


def activation_known(name: str) -> bool:
    """Whether ``name`` is one of Keras's activations (``keras.activations.get`` takes it)."""
    return name in _data()["activations"]


def _activation_ok(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value in _data()["activations"])


def _check_top(spec: AppSpec, a: _Args, weights: Any, classes: Any) -> None:
    """The checks Keras makes while building the classifier top."""
    activation = a.raw("classifier_activation")
    if weights is not None:
        # imagenet_utils.validate_activation
        if isinstance(activation, Unknown):
            raise Unresolved(f"{spec.name}: `classifier_activation` is not known ({activation.reason}); "
                             "with pretrained weights only None and 'softmax' are allowed")
        if isinstance(activation, str) and not _activation_ok(activation):
            raise InvalidArguments(f"Could not interpret activation function identifier: {activation}")
        if activation not in (None, "softmax", "linear"):
            raise InvalidArguments("Only `None` and `softmax` activations are allowed for the "
                                   "`classifier_activation` argument when using pretrained weights, with "
                                   f"`include_top=True`; received classifier_activation={activation!r}")
    if isinstance(classes, Expr):
        pass
    elif not _is_int(classes) or classes <= 0:
        raise InvalidArguments(f"{spec.name}: `classes` must be a positive integer when include_top=True; "
                               f"received classes={classes!r}")
    if weights is None and isinstance(activation, str) and not _activation_ok(activation):
        raise InvalidArguments(f"Could not interpret activation function identifier: {activation}")


def _spatial(spec: AppSpec, length: Any) -> Any:
    rule = spec.data["spatial"]
    if length is None:
        return None
    if not rule.get("exact"):
        raise Unresolved(f"{spec.name}: the output size for input size {length} is not known exactly")
    for step in rule["steps"]:
        if step["op"] == "same":
            length = window_length(length, 1, step["stride"], "same")
        else:
            lo, hi = step["pad"]
            padded = arith(lambda: length + lo + hi, "padding") if isinstance(length, Expr) else length + lo + hi
            length = window_length(padded, step["kernel"], step["stride"], "valid")
        if _is_int(length) and length <= 0:
            raise NonPositiveDimension(f"{spec.name}: the input is too small; a downsampling step leaves a "
                                       f"spatial size of {length}")
    return length


@dataclass(unsafe_hash=True, repr=False)
class GivenTensor:
    """``input_tensor=t`` of an application call, where ``t`` is a Keras tensor of this shape (batch
    included): the value :func:`evaluate` reads in place of the tensor."""

    shape: Tuple[Any, ...]


def _given_tensor(spec: AppSpec, value: Any) -> Optional[Tuple[Any, ...]]:
    """The shape (without the batch) of the tensor an application is built on, None without one."""
    if value is None:
        return None
    if isinstance(value, Unknown):
        raise Unresolved(f"{spec.name}: `input_tensor` is not known ({value.reason})")
    if not isinstance(value, GivenTensor):
        raise Unresolved(f"{spec.name}: `input_tensor` is not a Keras tensor the analysis follows")
    shape = value.shape
    for d in shape:
        if isinstance(d, Unknown):
            raise Unresolved(f"{spec.name}: a dimension of `input_tensor` is not known ({d.reason})")
    if len(shape) != 4:
        raise Unresolved(f"{spec.name}: `input_tensor` has shape {_show(shape)}; its layers take images "
                         "(batch, rows, cols, channels)")
    if shape[0] is not None:
        raise Unresolved(f"{spec.name}: `input_tensor` has a fixed batch size ({shape[0]}); its layers are "
                         "listed for any batch")
    return tuple(shape[1:])


def _check_tensor_width(spec: AppSpec, tensor: Tuple[Any, ...], input_shape: Any) -> None:
    """MobileNetV2/V3 given both: Keras requires ``input_tensor.shape[2] == input_shape[1]`` (only that)."""
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 2:
        raise Unresolved(f"{spec.name}: `input_shape` {_show(input_shape)} is compared with the tensor's")
    if isinstance(tensor[1], Expr) or isinstance(input_shape[1], Expr):
        if tensor[1] != input_shape[1]:
            raise Unresolved(f"{spec.name}: whether the tensor's width equals input_shape[1] is not known")
    elif tensor[1] != input_shape[1]:
        raise IncompatibleInput(f"{spec.name}: input_tensor.shape[2] must equal input_shape[1]; received "
                                f"input_tensor.shape={_show((None,) + tuple(tensor))}, "
                                f"input_shape={_show(tuple(input_shape))}")


def _built_on_tensor(spec: AppSpec, a: _Args, tensor: Tuple[Any, ...], checked: Tuple[Any, ...], weights: Any,
                     include_top: bool) -> Tuple[Any, ...]:
    """The shape the layers are built on (the tensor's), once Keras's checks of ``checked`` (the input_shape it
    obtained) passed; Unresolved where the tensor leads where the stored numbers do not (a size Keras does not
    check, weights loaded on another shape, preprocessing chosen from the other shape's channels)."""
    rows, cols, channels = tensor
    if channels is None:
        raise IncompatibleInput(f"{spec.name}: the channel dimension of the inputs must be defined, found None")
    if _lt(rows, spec.data["min_size"]) or _lt(cols, spec.data["min_size"]):
        raise Unresolved(f"{spec.name}: `input_tensor` is {rows}x{cols}, smaller than its minimum of "
                         f"{spec.data['min_size']}x{spec.data['min_size']} (which Keras checks on input_shape only); "
                         "kerascount does not follow smaller sizes")
    if weights == "imagenet" and isinstance(channels, Expr):
        raise Unresolved(f"{spec.name}: the channel count of `input_tensor` is symbolic; imagenet weights need 3")
    if weights == "imagenet" and channels != 3:
        raise Unresolved(f"{spec.name}: the pretrained weights are for 3 input channels; `input_tensor` has "
                         f"{channels} (loading them fails)")
    if include_top and spec.data.get("top_flatten_units"):
        if not _is_int(rows) or not _is_int(cols):
            raise Unresolved(f"{spec.name}: its top flattens a feature map whose size is not fixed "
                             f"(`input_tensor` is {_show(rows)}x{_show(cols)})")
        if weights == "imagenet" and (rows, cols) != (spec.data["default_size"],) * 2:
            raise Unresolved(f"{spec.name}: the top's pretrained weights are for {spec.data['default_size']}x"
                             f"{spec.data['default_size']} inputs; `input_tensor` is {rows}x{cols} (loading them "
                             "fails)")
    if spec.data["input_logic"] == "standard" and "include_preprocessing" in {x.name for x in spec.signature} and \
            a.get("include_preprocessing") and channels != checked[2]:
        raise Unresolved(f"{spec.name}: its preprocessing is chosen for {checked[2]} channels (the input_shape) "
                         f"but built on a tensor of {channels}")
    return tensor

def _square_size(spec: AppSpec, shape: Any, weights: Any, include_top: bool, default: Any) -> Any:
    """MobileNet's size for its name and default shape: the input's when square and one of its sizes."""
    rows, cols = shape[0], shape[1]
    if isinstance(rows, Expr) or isinstance(cols, Expr):
        if weights == "imagenet" and include_top:
            raise Unresolved(f"{spec.name}: the input size is symbolic; the default size follows from it")
        return default
    return rows if rows == cols and rows in spec.data["size_choices"] else default


def _correct_pads(spec: AppSpec) -> bool:
    """Whether the application pads with Keras's ``correct_pad`` (stored graph rows marked ``correct_pad``), which
    fails on a known height with an open width (raised here)."""
    from . import application_graphs

    return application_graphs.correct_pads(spec.name)


def _open_height_width(spec: AppSpec, input_shape: Shape) -> Any:
    """The output width under an open height: Keras's ``correct_pad`` then pads the width as an even one (one
    less than ``_spatial``'s "same" step for an odd size), so it is computed through the stored graph (its
    strides and paddings are those of every variant: ``alpha`` changes channels; a kernel size changes no
    width, ``correct_pad`` padding ``kernel - 2`` for a ``kernel``-wide valid window)."""
    from . import application_graphs

    rows = application_graphs.layers(spec.name, tuple(input_shape))
    if not rows:
        raise Unresolved(f"{spec.name}: the output width under an open height is not known")
    return rows[-1].output_shape[2]


def _lin(coef: List[int], x: Any) -> Any:
    a, b = coef
    if b == 0:
        return a
    return arith(lambda: a + b * x, "params")


def evaluate(spec: AppSpec, args: tuple, kwargs: dict) -> AppResult:
    """The model ``keras.applications.<spec.name>(*args, **kwargs)`` builds."""
    data = spec.data
    a = _Args(spec, tuple(args), dict(kwargs))
    logic = data["input_logic"]
    default_size = data["default_size"]
    min_size = data["min_size"]

    tensor = _given_tensor(spec, a.raw("input_tensor"))

    named = a.raw("weights")
    if isinstance(named, Expr):
        # A name read from settings (`weights=self.config.model_weights`): None, "imagenet" or a file of weights
        # (built as for None, then loaded). Where both ways build the same model, that is the model; where they
        # differ (a check only imagenet's weights make, the name MobileNet takes from them), it is not known.
        values = {**{x.name: x.default for x in spec.signature}, **a.values}
        ways = []
        for choice in (None, "imagenet"):
            try:
                ways.append(evaluate(spec, (), {**values, "weights": choice}))
            except ShapeError as exc:
                raise Unresolved(f"{spec.name}: `weights` is symbolic ({named}), and with weights={choice!r} "
                                 f"Keras raises: {exc}") from None
        if ways[0] != ways[1]:
            raise Unresolved(f"{spec.name}: `weights` is symbolic ({named}); weights=None and 'imagenet' build "
                             "different models")
        return ways[0]
    weights = _weights(a)
    include_top = a.get("include_top")
    if isinstance(include_top, Expr):
        raise Unresolved(f"{spec.name}: `include_top` is symbolic")
    include_top = bool(include_top)
    if weights == "imagenet" and include_top:
        classes = a.get("classes")
        if isinstance(classes, Expr):
            raise Unresolved(f"{spec.name}: `classes` is symbolic; imagenet weights with include_top=True "
                             "need classes=1000")
        if classes != 1000:
            raise ApplicationWeightsMismatch(f"{spec.name} with weights='imagenet' and include_top=True has "
                                             f"ImageNet's 1000-class classifier; got classes={classes!r}; use "
                                             "include_top=False and your own classifier, or weights=None")

    input_shape = a.get("input_shape")
    if isinstance(input_shape, Expr):
        # a value the analysis does not know (a parameter no call gives): Keras takes three sizes
        raise Unresolved(f"{spec.name}: `input_shape` is not known ({input_shape}): Keras takes a tuple of three sizes")
    if input_shape is not None and not isinstance(input_shape, (tuple, list)):
        raise InvalidArguments(f"{spec.name}: `input_shape` must be a tuple of three integers; got {input_shape!r}")
    _check_shape_items(spec, input_shape)
    rows_for_name: Any = None

    if tensor is not None and input_shape is not None and logic in ("mobilenet_v2", "mobilenet_v3"):
        _check_tensor_width(spec, tensor, input_shape)
    if logic == "mobilenet_v3":
        if input_shape is None and tensor is not None:
            input_shape = (tensor[1], tensor[0], 3)  # (cols, rows, 3), as Keras writes it: only checked
        if input_shape is None:
            input_shape = (None, None, 3)
        if len(input_shape) != 3:
            raise WrongRank(f"{spec.name}: `input_shape` must have three entries (rows, cols, channels); "
                            f"got {_show(input_shape)}")
        rows, cols = input_shape[0], input_shape[1]
        if _truthy(rows) and _truthy(cols) and (_lt(rows, min_size) or _lt(cols, min_size)):
            raise _too_small(spec.name, min_size, input_shape)
        input_shape = tuple(input_shape)
    else:
        if logic == "nasnet":
            if not include_top and input_shape is None and data.get("default_input_without_top"):
                dflt = data["default_input_without_top"]
                if None not in dflt:
                    input_shape = tuple(dflt)
            if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
                raise _imagenet_only(spec.name, "a static input_shape (no None)", f"input_shape={_show(input_shape)}",
                                     "give every dimension or use weights=None")
        size_for_defaults = default_size
        if logic in ("mobilenet", "mobilenet_v2") and input_shape is not None:
            if len(input_shape) < 2:
                raise InvalidArguments(f"{spec.name}: `input_shape` must be a tuple of three integers; "
                                       f"got {_show(input_shape)}")
            size_for_defaults = _square_size(spec, input_shape, weights, include_top, default_size)
        elif logic == "mobilenet_v2" and tensor is not None:
            # MobileNetV2 (not MobileNet) takes the size its name and default shape follow from the tensor.
            size_for_defaults = _square_size(spec, tensor, weights, include_top, default_size)
        input_shape = _obtain_input_shape(spec.name, input_shape, size_for_defaults, min_size, include_top, weights)

    rows = input_shape[0]
    if logic in ("mobilenet", "mobilenet_v2"):
        rows_for_name = rows
        alpha = a.concrete("alpha")
        if weights == "imagenet":
            if logic == "mobilenet" and a.concrete("depth_multiplier") != 1:
                raise _imagenet_only(spec.name, "depth_multiplier=1",
                                     f"depth_multiplier={a.get('depth_multiplier')!r}")
            allowed = [0.25, 0.50, 0.75, 1.0] if logic == "mobilenet" else [0.35, 0.50, 0.75, 1.0, 1.3, 1.4]
            if alpha not in allowed:
                raise _imagenet_only(spec.name, f"alpha in {', '.join(map(str, allowed))}", f"alpha={alpha!r}")
            if rows != input_shape[1] or rows not in data["size_choices"]:
                rows_for_name = 224
    if logic == "mobilenet_v3" and weights == "imagenet":
        alpha = a.concrete("alpha")
        minimalistic = a.concrete("minimalistic")
        if (not minimalistic and alpha not in [0.75, 1.0]) or (minimalistic and alpha != 1.0):
            raise _imagenet_only(spec.name, "alpha=0.75 or 1.0 (alpha=1.0 with minimalistic=True)",
                                 f"alpha={alpha!r}, minimalistic={minimalistic!r}")

    variant = _variant(spec, a)
    # The layers are applied to the tensor given, whatever input_shape was checked above.
    built = input_shape if tensor is None else _built_on_tensor(spec, a, tensor, input_shape, weights, include_top)
    channels = built[2]
    if channels is None:
        raise IncompatibleInput(f"{spec.name}: the channel dimension of the inputs must be defined, found None")
    if weights == "imagenet" and channels != 3 and data["imagenet_requires_3_channels"] is False:
        # MobileNetV3 does not check: loading the 3-channel imagenet weights fails.
        if isinstance(channels, Expr):
            raise Unresolved("the channel count is symbolic; imagenet weights need 3")
        raise _imagenet_channels(spec.name, input_shape)
    if _is_int(channels) and channels <= 0:
        raise IncompatibleInput(f"{spec.name}: the channel dimension must be positive; got {channels}")

    out_h = _spatial(spec, built[0])
    out_w = _spatial(spec, built[1])
    if built[0] is not None and built[1] is None and _correct_pads(spec):
        raise IncompatibleInput(f"{spec.name}: Keras's correct_pad fails (TypeError: unsupported operand type(s) "
                                f"for %: 'NoneType' and 'int') on input_shape={_show(built)}, a known height "
                                "with an open width; give both sizes, or neither")
    if built[0] is None and built[1] is not None and _correct_pads(spec):
        out_w = _open_height_width(spec, built)
    features = variant["features"]

    trainable = _lin(variant["trainable"], channels)
    non_trainable = _lin(variant["non_trainable"], channels)
    size_dep = data.get("size_dependent_params")
    if size_dep:
        # NASNet: its adjust blocks compare static widths, so a model built for an unknown
        # width (None) has other weights than one built for any known width.
        width = built[1]
        deltas = size_dep["delta_by_width"]
        numbered = [k for k in deltas if k != "none"]
        if width is None:
            key: Optional[str] = "none"
        elif _is_int(width) and (not numbered or width in size_dep["checked_widths"]):
            key = str(width)
        else:
            raise Unresolved(f"{spec.name}: the parameter count depends on the input width ({width})")
        delta = deltas.get(key)
        if delta:
            trainable = arith(lambda: trainable + delta[0], "params")
            non_trainable = arith(lambda: non_trainable + delta[1], "params")

    if include_top:
        classes = a.get("classes")
        _check_top(spec, a, weights, classes)
        top = _lin(variant["top"], classes)
        units = data.get("top_flatten_units")
        if units:
            d_out = _spatial(spec, default_size)
            extra = arith(lambda: (out_h * out_w - d_out * d_out) * features * units, "params")
            top = arith(lambda: top + extra, "params")
        trainable = arith(lambda: trainable + top, "params")
        output_shape: Shape = (None, classes)
    else:
        pooling = a.get("pooling")
        if pooling in ("avg", "max"):
            output_shape = (None, features)
        else:
            # Keras ignores any other value (no pooling, no error).
            output_shape = (None, out_h, out_w, features)

    name = a.raw("name")
    if isinstance(name, Unknown):
        pass
    elif name is None:
        if logic == "mobilenet":
            name = f"mobilenet_{a.concrete('alpha'):0.2f}_{rows_for_name}"
        elif logic == "mobilenet_v2":
            name = f"mobilenetv2_{a.concrete('alpha'):0.2f}_{rows_for_name}"
        elif spec.name.startswith("ConvNeXt"):
            raise InvalidArguments(f"{spec.name}(name=None) fails: Keras names its layers after the model "
                                   "(`name + \"_stage_0_block_0\"`: TypeError)")
        elif spec.name.startswith("EfficientNetV2") and a.get("include_preprocessing"):
            raise InvalidArguments(f"{spec.name}(name=None) fails: Keras reads the model name to choose its "
                                   "preprocessing ('NoneType' object has no attribute 'split')")
    elif not isinstance(name, str):
        raise InvalidArguments(f"{spec.name}: `name` must be a string; got {name!r}")

    return AppResult(
        name=name,
        input_shape=(None,) + tuple(built),
        output_shape=output_shape,
        trainable=trainable,
        non_trainable=non_trainable,
        default_size=default_size,
        min_size=min_size,
    )


__all__ = ["AppSpec", "AppResult", "GivenTensor", "lookup", "evaluate", "names", "REQUIRED"]


def consumed_names(spec: AppSpec, args: tuple, kwargs: dict) -> Optional[Dict[str, int]]:
    """Automatic-name counters the application uses up (its unnamed internal layers).

    Measured by ``tools/gen_applications.py`` per include_top / pooling. None when the data does not say or
    the arguments are not known (:func:`possible_names`: the counters it may use up). ``include_top`` is read
    as Keras reads it, by its truth (``include_top='False'``, a string, builds the classifier).
    """
    from . import application_graphs

    table = spec.data.get("auto_names") or {}
    try:
        a = _Args(spec, args, kwargs)
        top = a.get("include_top")
        pooling = a.get("pooling") if "pooling" in {x.name for x in spec.signature} else None
    except (ShapeError, Unresolved):
        return None
    if type(top) in (int, float, str, type(None)):
        top = bool(top)  # (Keras: `if include_top:`; evaluate() reads it so too)
    if top is True or top is False:
        key = "top" if top else str(pooling).lower() if pooling in (None, "avg", "max") else "none"
        counters = dict(table.get(key) or {})
        try:
            if _imagenet(a, spec):  # measured with weights=None: the layers imagenet weights add take names too
                for prefix in _automatic_names(application_graphs.imagenet_layers(spec.name)):
                    counters[prefix] = counters.get(prefix, 0) + 1
            if not _preprocessing(a, spec):
                if not application_graphs.preprocessing_layers(spec.name):
                    return None  # which layers it leaves out is not stored
                for prefix in _preprocessing_names(spec):  # measured with it: what its layers took is not taken
                    if counters.get(prefix, 0) <= 0:
                        return None
                    counters[prefix] -= 1
        except Unresolved:
            return None
        return counters
    return None


def possible_names(spec: AppSpec) -> List[str]:
    """The automatic-name prefixes an application may use up, whatever its arguments (those of every top and
    pooling measured, and of the layers imagenet weights add): where :func:`consumed_names` cannot say how many
    it takes, the names of these prefixes made afterwards are not known."""
    from . import application_graphs

    prefixes = {p for counters in (spec.data.get("auto_names") or {}).values() for p in counters}
    prefixes.update(_automatic_names(application_graphs.imagenet_layers(spec.name)))
    return sorted(prefixes)


def _preprocessing_names(spec: AppSpec) -> List[str]:
    """The automatic-name prefixes of the layers ``include_preprocessing=True`` adds (MobileNetV3's unnamed
    ``Rescaling`` takes ``rescaling``), one per layer; ConvNeXt names its own (``convnext_tiny_prestem_...``)."""
    from . import application_graphs

    return _automatic_names(application_graphs.preprocessing_layers(spec.name))


def _automatic_names(layers: List[Tuple[str, str]]) -> List[str]:
    """The automatic-name prefix of each of ``layers`` ((class, stored name)) that Keras named itself."""
    from . import snake_case

    out = []
    for type_name, name in layers:
        prefix = snake_case(type_name)
        if name == prefix or (name.startswith(prefix + "_") and name[len(prefix) + 1:].isdigit()):
            out.append(prefix)
    return out


def _imagenet(a: "_Args", spec: AppSpec) -> bool:
    """Whether the application is built with ``weights="imagenet"`` (its default), for one with layers only those
    weights add (EfficientNet B0-B7's Rescaling by ImageNet's deviations); False for the others, where it changes
    no layer. Raises Unresolved where that matters and the weights are not known."""
    from . import application_graphs

    if not application_graphs.imagenet_layers(spec.name):
        return False
    value = a.raw("weights")
    if value is None or isinstance(value, str):
        return value == "imagenet"
    raise Unresolved(f"{spec.name}: whether its weights are imagenet's (which adds a layer) is not known")


#: Arguments that change no layer of the stored graph (``classes``, ``pooling`` and the input shape choose its
#: variant and sizes; ``include_preprocessing=False`` leaves out the rows marked ``$preprocessing``): an
#: application given any other argument with a value other than its default (``alpha``, ``dropout_rate``...) is
#: not listed layer by layer.
_ROWLESS_ARGS = {"include_top", "weights", "input_tensor", "input_shape", "pooling", "classes",
                 "classifier_activation", "name", "include_preprocessing"}


def _preprocessing(a: "_Args", spec: AppSpec) -> bool:
    """``include_preprocessing`` as Keras reads it (``if include_preprocessing:``), True where the application
    has no such argument; raises Unresolved where it is not a known bool."""
    if "include_preprocessing" not in {x.name for x in spec.signature} or not a.given("include_preprocessing"):
        return True
    value = a.raw("include_preprocessing")
    if not isinstance(value, bool):
        raise Unresolved(f"{spec.name}: whether it preprocesses its inputs is not known")
    return value


def _rowless(a: "_Args") -> Optional[Tuple[Arg, Any]]:
    """The argument given a value other than its default, for which no layers are stored (``alpha=0.5``), and that
    value; None when there is none."""
    from . import application_graphs

    for arg in a.spec.signature:
        if arg.name not in _ROWLESS_ARGS and a.given(arg.name):
            value = a.raw(arg.name)
            if arg.name == "alpha" and a.get("include_top") is False and \
                    application_graphs.alpha_stored(a.spec.name, value):
                continue  # (another width, whose rows are stored)
            if arg.name == "alpha" and type(value) is int and value == arg.default:
                continue  # (alpha=1: Keras's arithmetic and names give the default width's model, 1.00)
            if isinstance(value, (Unknown, Expr)) or type(value) is not type(arg.default) or value != arg.default:
                return arg, value
    return None


def rowless_reason(spec: AppSpec, args: tuple, kwargs: dict) -> Optional[str]:
    """Why the layers of an application call are not stored, when an argument other than its default is the
    cause; else None."""
    try:
        found = _rowless(_Args(spec, tuple(args), dict(kwargs)))
    except (InvalidArguments, TypeError, ValueError):
        return None
    if found is None:
        return None
    arg, value = found
    from . import application_graphs

    if arg.name == "alpha" and application_graphs.alpha_stored(spec.name, value):
        return f"kerascount lists {spec.name}'s layers for `alpha={value!r}` without the top only (include_top=False)"
    stored = f"kerascount lists {spec.name}'s layers for the default `{arg.name}={arg.default!r}` only"
    if isinstance(value, (Unknown, Expr)):
        return f"{stored}, and `{arg.name}` is not a known value"
    return f"{stored}, not for `{arg.name}={value!r}`"


def graph_rows(spec: AppSpec, args: tuple, kwargs: dict, result: AppResult) -> Optional[Tuple[Any, ...]]:
    """The application's layers as ``model.summary()`` lists them (application_graphs.py), for the model
    :func:`evaluate` gave ``result`` for; None when they are not stored for these arguments, or do not add up
    to the verified totals (never a row that could be wrong)."""
    from . import application_graphs

    try:
        a = _Args(spec, tuple(args), dict(kwargs))
        if _rowless(a) is not None:
            return None
        include_top = bool(a.get("include_top"))
        pooling = None if include_top else a.get("pooling")
        # another width whose rows are stored (_rowless let it through), or the default one given (alpha=1.0)
        alpha = a.raw("alpha") if a.given("alpha") else None
        alpha = alpha if application_graphs.alpha_stored(spec.name, alpha) else None
        rows = application_graphs.layers(spec.name, result.input_shape[1:], include_top,
                                         pooling if pooling in ("avg", "max") else None,
                                         a.get("classes") if include_top else 1000,
                                         a.raw("name") if a.given("name") else None, _preprocessing(a, spec),
                                         _imagenet(a, spec), alpha)
    except (ShapeError, Unresolved, TypeError, ValueError):
        return None
    if not rows or rows[-1].output_shape != result.output_shape:
        return None
    try:
        trainable = sum(r.trainable for r in rows)
        non_trainable = sum(r.non_trainable for r in rows)
    except TypeError:
        return None
    if trainable != result.trainable or non_trainable != result.non_trainable:
        return None
    return rows


# -- an application called on inputs of another size (KC113) ---------------------------------------


def incompatible_inputs(declared: List[Any], given: List[Any]) -> bool:
    """Keras's input check of a functional model: an input of the same rank with a known size where
    the model's input has another known size (None fits any size)."""
    if len(declared) != len(given):
        return False
    for want, got in zip(declared, given):
        if not isinstance(want, tuple) or not isinstance(got, tuple) or len(want) != len(got):
            return False
    return any(isinstance(w, int) and isinstance(g, int) and w != g
               for want, got in zip(declared, given) for w, g in zip(want[1:], got[1:]))


def input_mismatch(application: Any, layer: Any, declared: List[Any], given: List[Any]) -> str:
    """What KC113 says of an application (``ModelDef.application``) called as ``layer`` on ``given`` inputs
    when it was built for ``declared``, and what to change."""
    want, got = declared[0], given[0]
    name = application[0] if application else layer.type
    kwargs = dict(application[2]) if application else {}
    if kwargs.get("include_top") is False:
        advice = (f"give {name} input_shape={tuple(got[1:])} (without its top it takes any size above its "
                  "minimum), or resize the inputs")
    else:
        advice = f"resize the inputs to {want[1:-1]}: with include_top=True the classifier fixes the size"
    if len(got) == 4 and got[1] in (1, 3) and got[-1] not in (1, 3) and want[-1] == 3:
        advice = "the inputs look channels-first; Keras applications take (height, width, channels)"
    return (f"{layer.name} ({name}) was built for inputs {want} but is called on {got}: Keras raises ValueError "
            f"(the input is incompatible with the layer); {advice}")
