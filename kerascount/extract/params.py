"""Tensors and shapes that a builder nothing calls takes as parameters.

A function that builds a model and that no code of the file calls is run with its default arguments
(``Interpreter.run``); a parameter without a default is a symbol named after it. When that parameter is
the model's input tensor (``def generator(inputs, ...)``) or its input shape (``Input(shape=input_shape)``),
the symbol alone says nothing of the tensor's rank, and the model was unknown.

The rank is taken only from what Keras itself enforces: the first layer the tensor is given to, when its
input spec accepts exactly one rank (``Conv2D``: 4, ``LSTM``: 3; layers that keep the rank, such as
``LeakyReLU`` or ``BatchNormalization``, pass the question on to the next one), or a ``keras.applications``
model built on it (``input_tensor=``, images of rank 4, and of 3 channels for its imagenet weights, which Keras
loads on nothing else). The function is run once to find that out (the
*probe*); if every use asks for the same rank, and one of them is on every way through the function (not
under a condition the probe could not decide and ran both ways of, which may be a test of that rank: `if
len(input_shape) == 3:` with a Conv2D one way and a Dense the other; nor in a ``try`` body whose handler may
build something else when the layer rejects another rank), its results are undone and it is run again with the
parameter bound to a tensor of that rank whose sizes are symbols named after it (``inputs.shape[1]``), or
to a tuple of symbols (``input_shape[0]``, ...). Where no use fixes the rank (a ``Dense`` first, which
takes any rank from 2), the model stays unknown and its reason says so.

A parameter the probe compared with None (``if input_tensor is None: img = Input(shape) else: img =
input_tensor``, as keras.applications and their copies do) may be None for all the probe knows: both ways run,
and the layer after them is given neither the parameter nor a default ``Input`` but what the two ways merge to.
Such a builder is probed once more with those parameters taken as not None (``x is None`` is False); if that
probe binds each of them, its bindings are used (the tensor or tuple bound is not None either, so the run that
follows takes the same ways); else the builder is run as the first probe left it. The uses of a parameter in
that second probe follow the same rules (under another undecided condition or in a ``try`` body, they bind
nothing).

The tensor is shown as the caller's ``keras.Input`` named after the parameter, with Keras's ``None``
batch axis; a symbol stands for a size (an int).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Set, Tuple

from .. import catalogue
from ..catalogue.errors import WrongRank
from ..catalogue.spec import config
from ..ir import Unknown
from ..symbolic import Expr, render, symbol, symbol_names
from .values import Tensor

#: Ranks tried on a layer's spec to find the ones its input spec accepts.
_RANKS = range(1, 8)


@dataclass(unsafe_hash=True)
class OpenTensor(Unknown):
    """The probe's stand-in for a tensor whose rank is not known yet: a tensor parameter after layers that
    keep the rank of what they are given. Unknown to everything else (its reason says why)."""

    param: str = ""


@dataclass
class ParamProbe:
    """What one run of an uncalled builder learns about its parameters without defaults."""

    #: The symbol each parameter without a default has in the run, by name (a symbol that is used as a
    #: tensor or a shape is that parameter).
    names: Dict[str, Expr]
    #: Nodes (by id) whose output is ``Input(shape=P)``, or comes from it through layers that keep the rank:
    #: the parameter ``P`` they stand for.
    nodes: Dict[int, str] = field(default_factory=dict)
    #: The ranks each use asks of a parameter: (name, "tensor" or "shape") -> {rank of the tensor}.
    ranks: Dict[Tuple[str, str], Set[int]] = field(default_factory=dict)
    #: The first use that fixed each parameter's rank, in words.
    why: Dict[Tuple[str, str], str] = field(default_factory=dict)
    #: Why a tensor parameter's rank is not fixed: its first use that keeps every rank open.
    open: Dict[str, str] = field(default_factory=dict)
    #: Sizes of a tensor parameter's axes that its uses fix: name -> axis -> {size}.
    sizes: Dict[str, Dict[int, Set[int]]] = field(default_factory=dict)
    #: The (name, kind) asked by a use that is not under an undecided condition nor in a ``try`` body with handlers
    #: (ParamCalls.off_every_way): every way through the function that does not raise before it reaches it (one
    #: that goes on after a way that returns is not run at all).
    settled: Set[Tuple[str, str]] = field(default_factory=set)
    #: The first use under an undecided condition that asked a rank, in words (for a (name, kind) not settled).
    maybe: Dict[Tuple[str, str], str] = field(default_factory=dict)
    #: Parameters the run compared with None (``if input_tensor is None:``), a test it could not decide.
    none_tests: Set[str] = field(default_factory=set)
    #: Parameters this run takes as not None (``x is None`` is False): the second probe of a parameter whose rank
    #: was asked only under such tests (``ParamProbe.none_guarded``).
    not_none: Set[str] = field(default_factory=set)
    #: Those of them this run took as Keras tensors (``K.is_keras_tensor(input_tensor)``): bound only as tensors.
    tensors: Set[str] = field(default_factory=set)

    def tensor_param(self, value: Any) -> Optional[str]:
        """The parameter ``value`` stands for as a tensor (the bare symbol, or the probe's stand-in)."""
        if isinstance(value, OpenTensor):
            return value.param
        return self.shape_param(value)

    def shape_param(self, value: Any) -> Optional[str]:
        """The parameter ``value`` is, when it is the bare symbol of one (``Input(shape=input_shape)``)."""
        if isinstance(value, Expr):
            for name, sym in self.names.items():
                if value == sym:
                    return name
        return None

    def ask(self, name: str, kind: str, rank: int, why: str, fixed: Tuple[Tuple[int, int], ...] = (),
            conditional: bool = False) -> None:
        """A use of parameter ``name`` that Keras accepts only on a tensor of ``rank`` (and, on each axis of
        ``fixed``, of that size); ``conditional``: the use is under a condition the run could not decide, so it may
        not be reached (its rank still counts against the others' ranks; its sizes do not)."""
        key = (name, kind)
        ranks = self.ranks.setdefault(key, set())
        ranks.add(rank)
        if not conditional:
            self.settled.add(key)
            self.why.setdefault(key, why)
            for axis, size in fixed:
                self.sizes.setdefault(name, {}).setdefault(axis, set()).add(size)
        first = self.why.get(key) or self.maybe.setdefault(key, why)
        if len(ranks) > 1:
            self.open[name] = f"its uses take different ranks ({first}; {why})"

    def none_guarded(self, bound: Dict[str, Any]) -> Set[str]:
        """The parameters not in ``bound`` that the run compared with None, a test it could not decide: their uses
        may be under it (``if input_tensor is None: x = Input(shape) else: x = input_tensor``, then a Conv2D of
        ``x``, which is neither); run again with them taken as not None, those uses may fix their rank."""
        return self.none_tests - set(bound)

    def none_test(self, value: Any) -> Optional[bool]:
        """``value is None`` for a parameter this run takes as not None (False); None (not decided) for any other
        value, and a parameter's test is recorded."""
        name = self.tensor_param(value)
        if name is None:
            return None
        if name in self.not_none:
            return False
        self.none_tests.add(name)
        return None

    def keras_tensor(self, value: Any) -> bool:
        """``is_keras_tensor(value)`` for a parameter this run takes as not None: True (recorded: it may then be
        bound only to a tensor, which is one); False for any other value (not decided)."""
        name = self.tensor_param(value)
        if name is None or name not in self.not_none:
            return False
        self.tensors.add(name)
        return True

    def fixed(self, name: str) -> Tuple[Tuple[int, int], ...]:
        """The sizes of a tensor parameter's axes that its uses fix, each to one value."""
        return tuple((axis, next(iter(v))) for axis, v in sorted(self.sizes.get(name, {}).items()) if len(v) == 1)

    def bindings(self) -> Dict[str, Tuple[str, int, str, Tuple[Tuple[int, int], ...]]]:
        """``{name: (kind, rank of the tensor, why, fixed sizes)}`` for each parameter every use of which asks one
        rank of one kind, one of them on every way through the function (a parameter asked as a tensor and as a
        shape, or with two ranks, or only under undecided conditions, is not bound)."""
        out: Dict[str, Tuple[str, int, str, Tuple[Tuple[int, int], ...]]] = {}
        kinds: Dict[str, List[str]] = {}
        for name, kind in self.ranks:
            kinds.setdefault(name, []).append(kind)
        for (name, kind), ranks in self.ranks.items():
            if len(kinds[name]) == 1 and len(ranks) == 1 and (name, kind) in self.settled:
                rank = next(iter(ranks))
                fixed = tuple((a, v) for a, v in self.fixed(name) if 0 < a < rank)
                out[name] = (kind, rank, self.why[(name, kind)], fixed)
        return out


def layer_ranks(spec: Any, layer: Any, call_kwargs: Tuple[Tuple[str, Any], ...]) -> Tuple[List[int], bool]:
    """The input ranks (batch axis included) the spec of ``layer`` accepts, as far as its input spec says
    (a rank it rejects raises WrongRank; any other outcome counts as accepted), and whether it keeps the rank
    of every input it accepts."""
    accepted: List[int] = []
    keeps = True
    try:
        args = config(spec, layer).with_call(call_kwargs)
    except Exception:  # noqa: BLE001 - a layer the catalogue rejects: nothing is learnt from it
        return list(_RANKS), False
    for rank in _RANKS:
        shape = (None, *(symbol(f"__rank_probe_{i}") for i in range(1, rank)))
        try:
            out = spec.output_shape(args, shape)
        except WrongRank:
            continue
        except Exception:  # noqa: BLE001 - not about the rank: the rank may be right
            accepted.append(rank)
            keeps = False
            continue
        accepted.append(rank)
        if not (isinstance(out, tuple) and len(out) == rank and not any(isinstance(d, tuple) for d in out)):
            keeps = False
    return accepted, keeps and len(accepted) > 1


def tensor_dims(name: str, rank: int, fixed: Tuple[Tuple[int, int], ...] = ()) -> Tuple[Any, ...]:
    """The shape (without batch) of a tensor parameter of ``rank``: ``inputs.shape[1]``, ..., or the size its uses
    fix on an axis."""
    sizes = dict(fixed)
    return tuple(sizes.get(i, symbol(f"{name}.shape[{i}]")) for i in range(1, rank))


def shape_dims(name: str, rank: int, fixed: Tuple[Tuple[int, int], ...] = ()) -> Tuple[Any, ...]:
    """A shape parameter of a tensor of ``rank``: ``(input_shape[0], ...)``, or the size its uses fix on an axis
    (``fixed`` counts the tensor's axes, as ``tensor_dims``: the shape's entry ``i`` is the tensor's axis ``i + 1``)."""
    sizes = dict(fixed)
    return tuple(sizes.get(i + 1, symbol(f"{name}[{i}]")) for i in range(rank - 1))


def describe(name: str, kind: str, rank: int, why: str, fixed: Tuple[Tuple[int, int], ...] = ()) -> str:
    """Where the symbols of a bound parameter come from, for the model's caveat."""
    if kind == "tensor":
        dims = ", ".join(render(d) for d in tensor_dims(name, rank, fixed))
        return (f"`{name}`, which no call gives, is taken as keras.Input(shape=({dims}{',' if rank == 2 else ''}), "
                f"name=\"{name}\"): {why}")
    dims = ", ".join(render(d) for d in shape_dims(name, rank, fixed))
    return f"`{name}`, which no call gives, is taken as ({dims}{',' if rank == 2 else ''}): {why}"


class ParamCalls:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`: parameters of an uncalled builder used as
    tensors or shapes (``param_probe`` while it runs; ``param_bindings`` in its second run)."""

    def parameter_value(self: Any, p: Any) -> Any:
        """The value of parameter ``p`` (an ``ast.arg`` without a default) of a function nothing calls."""
        name = p.arg
        bound = self.param_bindings.get(name)
        origin = f"a parameter of `{self.uncalled}`, which nothing calls" if self.uncalled else \
            "a parameter nothing gives"
        if bound is None:
            return self.made_symbol(name, origin, p)
        kind, rank, _, fixed = bound
        dims = shape_dims(name, rank, fixed) if kind == "shape" else tensor_dims(name, rank, fixed)
        for d in dims:
            for made in symbol_names(d):
                self.made_symbol(made, origin, p)
        if kind == "shape":
            return dims
        out = self.new_input((), {"shape": dims, "name": name}, p, None)
        if isinstance(out, Tensor):
            self.param_inputs[out.ref.node] = name
        return out

    def check_parameter_inputs(self: Any, b: Any, inputs: Any, outputs: Any) -> None:
        """A functional model whose outputs are computed from a tensor parameter that is not among its inputs: the
        caller's tensor may come from them (Keras raises only if it does not), so the model is unknown."""
        if not self.param_inputs:
            return
        given = {r.node for r in inputs}
        stack, seen = [r.node for r in outputs], set()
        while stack:
            nid = stack.pop()
            if nid in seen or nid in given:
                continue
            seen.add(nid)
            name = self.param_inputs.get(nid)
            if name is not None:
                b.taint(Unknown(f"the model's outputs are computed from `{name}`, a tensor parameter no call in this "
                                "file gives, which is not among its inputs (the caller's tensor may come from them)"))
                return
            stack.extend(r.node for r in self.graph.node(nid).parents)

    def probe_layer_input(self: Any, layer: Any, inputs: Any, call_kwargs: Tuple[Tuple[str, Any], ...],
                          e: Any) -> Tuple[Any, Optional[str]]:
        """A layer called on a parameter (or on what stands for one) while the probe runs: the rank its input
        spec fixes is recorded. Returns (what the call gives instead of a node, or None to make the node as
        usual; the parameter the node's output stands for when the layer keeps the rank of a node that does)."""
        probe: ParamProbe = self.param_probe
        tensor = probe.tensor_param(inputs)
        shape = probe.nodes.get(inputs.ref.node) if tensor is None and isinstance(inputs, Tensor) else None
        name = tensor or shape
        if name is None:
            return None, None
        spec = catalogue.lookup(layer.type) if layer.known and layer.submodel is None else None
        if spec is None:
            accepted, keeps = [], False
        else:
            accepted, keeps = layer_ranks(spec, layer, call_kwargs)
        kind = "tensor" if tensor is not None else "shape"
        if len(accepted) == 1:
            probe.ask(name, kind, accepted[0], f"{layer.name} takes input of rank {accepted[0]} only",
                      conditional=self.off_every_way())
        elif not keeps and kind == "tensor":
            probe.open.setdefault(name, _open_reason(layer.name, accepted))
        if kind == "shape":
            return None, (name if keeps else None)
        if keeps:
            return OpenTensor(f"`{name}` is a parameter no call in this file gives (a tensor whose rank is not "
                              "known yet)", param=name), None
        return Unknown(self.parameter_reason(name)), None

    def off_every_way(self: Any) -> bool:
        """Whether the code being run may not be reached on every way through the builder: under a condition the
        analysis could not decide (it runs both ways), or in a ``try`` body with handlers (a layer that rejects the
        caller's rank raises, and a handler may build something else instead)."""
        return self.undecided > 0 or self.guarded > 0

    def parameter_reason(self: Any, name: str) -> str:
        """Why a tensor parameter of the function being run with its defaults is not a known tensor."""
        probe = self.param_probe
        why = probe.open.get(name) if probe is not None else None
        if why is None:
            return (f"`{name}` is a value the analysis does not know: a parameter no call in this file gives, or a "
                    "name from code it does not see")
        return f"`{name}` is a tensor parameter no call in this file gives, and its rank is not known: {why}"

    def probe_input_shape(self: Any, shape: Any, out: Any) -> None:
        """``Input(shape=P)`` of a parameter ``P``: its tensor stands for ``P`` while the probe runs."""
        probe = self.param_probe
        name = probe.shape_param(shape) if probe is not None else None
        if name is not None and isinstance(out, Tensor):
            probe.nodes[out.ref.node] = name

    def probe_layer_shape(self: Any, layer: Any) -> None:
        """A layer made with ``input_shape=P`` of a parameter ``P``: the rank its input spec fixes is P's length."""
        if self.param_probe is not None and layer.known:
            self._ask_shape_rank(dict(layer.kwargs).get("input_shape"), layer)

    def probe_sequential_layer(self: Any, input_uid: int, layer: Any) -> None:
        """A layer added to a Sequential that starts with ``Input(shape=P)`` of a parameter ``P``, after nothing or
        layers that keep the rank: Keras calls it on that input, so the rank its input spec fixes is P's length (and
        the batch axis), as for the same layer called on ``Input(shape=P)`` in a functional model."""
        if self.param_probe is None or not layer.known or layer.submodel is not None or layer.operation:
            return
        given = dict(self.graph.layer(input_uid).kwargs)
        if given.get("batch_shape") is None:
            self._ask_shape_rank(given.get("shape", given.get("input_shape")), layer)

    def _ask_shape_rank(self: Any, shape: Any, layer: Any) -> None:
        """``shape`` the bare symbol of a parameter ``P``, the shape of what ``layer`` is given: the rank the layer's
        input spec fixes, if one, is asked of ``P``."""
        probe = self.param_probe
        name = probe.shape_param(shape)
        spec = catalogue.lookup(layer.type) if name is not None else None
        if spec is None:
            return
        accepted, _ = layer_ranks(spec, layer, ())
        if len(accepted) == 1:
            probe.ask(name, "shape", accepted[0], f"{layer.name} takes input of rank {accepted[0]} only",
                      conditional=self.off_every_way())

    def probe_application(self: Any, tensor: Any, application: str, weights: Any, shape: Any = None) -> None:
        """``input_tensor=P`` of a ``keras.applications`` model: its layers take images, a tensor of rank 4, and its
        imagenet weights load only on 3 channels (channels_last: the last axis), else Keras raises. Likewise
        ``input_shape=P``: Keras takes three sizes (rows, cols, channels), and 3 channels for its imagenet weights."""
        probe = self.param_probe
        if probe is None:
            return
        name = probe.shape_param(shape)
        if name is not None:
            if weights == "imagenet" and self.data_format == "channels_last":
                probe.ask(name, "shape", 4, f"{application} takes an input_shape of three sizes, of 3 channels for "
                          "its imagenet weights", fixed=((3, 3),), conditional=self.off_every_way())
            else:
                probe.ask(name, "shape", 4, f"{application} takes an input_shape of three sizes",
                          conditional=self.off_every_way())
        name = probe.tensor_param(tensor)
        if name is None:
            return
        if weights == "imagenet" and self.data_format == "channels_last":
            probe.ask(name, "tensor", 4, f"{application} takes images of rank 4, of 3 channels for its imagenet "
                      "weights", fixed=((3, 3),), conditional=self.off_every_way())
        else:
            probe.ask(name, "tensor", 4, f"{application} takes images of rank 4", conditional=self.off_every_way())


def _open_reason(layer: str, accepted: List[int]) -> str:
    if not accepted:
        return f"no layer it goes through fixes it ({layer} is not a layer whose input rank the analysis knows)"
    if accepted == list(range(accepted[0], _RANKS[-1] + 1)):
        return f"no layer it goes through fixes it ({layer} takes input of any rank from {accepted[0]})"
    return f"no layer it goes through fixes it ({layer} takes input of rank {' or '.join(map(str, accepted))})"
