"""Keras masks on symbolic tensors (catalogue/masks.py): made and passed on by layers, taken by others.

Each tensor's mask is a tensor (the output of the operations that made it), None, or an
:class:`~kerascount.ir.Unknown` when a layer the analysis does not follow passed it on. A layer that
takes a known mask gets it as a call argument, in the graph as Keras has it; one that would take a mask
that is not known makes what it returns unknown.
"""

from __future__ import annotations

import ast
from typing import Any, Dict, List, Optional, Tuple

from .. import catalogue
from ..catalogue.masks import COMPUTE_MASK, NOT_FOLLOWED, TAKES_MASK
from ..catalogue.errors import InvalidArguments
from ..catalogue.spec import BoundArgs, ShapeError, Unresolved
from ..ir import LayerDef, TensorRef, Unknown
from .collect import _per_node
from .values import ClassValue, DictValue, Function, LayerObj, ListValue, ModelBuilder, Tensor, tensors_in

#: ``previous_mask`` default of :meth:`MaskCalls.set_masks`: the masks of the layer's inputs.
FROM_INPUTS = object()


def flat_masks(mask: Any) -> List[Any]:
    """A mask structure (``MaskCalls.mask_of``) as a flat list: per tensor, a tensor, None or Unknown."""
    if isinstance(mask, (ListValue, tuple)):
        return [m for item in (mask.items if isinstance(mask, ListValue) else mask) for m in flat_masks(item)]
    return [mask]


def is_masked(mask: Any) -> bool:
    """Does the mask structure hold a mask (known or not)?"""
    return any(m is not None for m in flat_masks(mask))


class MaskCalls:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`."""

    def mask_of(self, value: Any) -> Any:
        """The mask (structure) Keras attaches to a value: per tensor, a tensor, None or Unknown (the graph
        records each tensor's, ``Graph.mask``)."""
        if isinstance(value, Tensor):
            mask = self.graph.mask(value.ref)
            return Tensor(mask) if isinstance(mask, TensorRef) else mask
        if isinstance(value, (tuple, ListValue)):
            return ListValue([self.mask_of(v) for v in (value if isinstance(value, tuple) else value.items)])
        return None

    def attach_masks(self, outputs: List[Tensor], mask: Any) -> None:
        """The masks of a call's outputs: Keras zips the outputs with the flattened masks, so the first
        output(s) get them."""
        for t, m in zip(outputs, flat_masks(mask)):
            if m is not None:
                self.graph.set_mask(t.ref, m.ref if isinstance(m, Tensor) else m)

    def mask_arguments(self, layer: LayerDef, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``{"mask": tensor}`` when the graph node of this call records the mask Keras passes (a layer
        taking ``mask``, called on one tensor alone), else ``{}``; an Unknown when that mask is not known."""
        if self.graph.tracing is not None or kwargs or len(args) != 1 or not isinstance(args[0], Tensor) or \
                not layer.known or layer.submodel is not None or layer.type not in TAKES_MASK:
            return {}
        mask = self.mask_of(args[0])
        if isinstance(mask, Unknown):
            return self.unknown(f"the mask Keras passes to {layer.name} is not known ({mask.reason})", e)
        if mask is not None and layer.kwarg("dtype") not in (None, "float32"):
            return self.unknown(f"{layer.name} with dtype {layer.kwarg('dtype')!r} on a masked tensor", e)
        return {} if mask is None else {"mask": mask}

    def custom_mask_rule(self, layer: LayerDef) -> Optional[str]:
        """What Keras 3 does with the mask of a custom layer's output, when the analysis knows it. For a subclass of
        ``keras.layers.Layer`` itself, Layer.__init__ sets ``supports_masking`` to whether a class of it defines
        ``compute_mask`` (also when ``self.supports_masking = ...`` comes before it, as Keras 2 code wrote it);
        ``self.supports_masking = True/False`` after the last ``super().__init__()``, or ``supports_masking =
        True/False`` in a class body, sets it instead (the only mention of the name). A layer that
        does not support masking drops the mask ("drop", with a warning); one that does gives its outputs what
        ``compute_mask(inputs, previous_mask)`` returns: its class's own ("compute"), or Layer's, which passes the
        mask on ("keep"). None otherwise (not followed). (What ``call`` is given: :meth:`custom_call_masks`.)"""
        b = self.graph.model(layer.submodel) if layer.submodel is not None else None
        if not isinstance(b, ModelBuilder) or not b.custom_layer or b.cls is None or not b.cls.layer or \
                b.cls.keras_layer:
            return None
        compute = self.member(b.cls, "compute_mask")
        if not isinstance(self.member(b.cls, "call"), Function) or isinstance(compute, Unknown) or \
                not isinstance(compute, Function) and any("compute_mask" in c.members for c in b.cls.mro):
            return None
        if any(c.statement is None for c in b.cls.mro):
            return None
        mentions = [n for c in b.cls.mro for n in _per_node("masking_mentions", c.statement, _masking_mentions)]
        supports: Optional[bool] = None
        if not mentions:
            supports = isinstance(compute, Function)
        elif len(mentions) == 1 and isinstance(mentions[0], ast.Name) and mentions[0].id == "supports_masking":
            # `supports_masking = True` in a class body: it hides Layer's property (Layer.__init__ sets the private
            # flag behind it), so the class attribute is what Keras reads
            supports = next((stmt.value.value for c in b.cls.mro for stmt in c.statement.body
                             if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and
                             stmt.targets[0] is mentions[0] and _bool_constant(stmt.value)), None)
        else:
            init = self.member(b.cls, "__init__")
            if len(mentions) == 1 and isinstance(init, Function):
                body = init.node.body
                # (after the last `super().__init__(...)`, which sets the flag from compute_mask: set before, undone)
                first = max((i for i, stmt in enumerate(body) if _calls_super_init(stmt)), default=None)
                if first is not None:
                    setting = [(i, stmt.value.value) for i, stmt in enumerate(body)
                               if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and
                               stmt.targets[0] is mentions[0] and _bool_constant(stmt.value) and
                               isinstance(mentions[0].value, ast.Name) and mentions[0].value.id == "self"]
                    if setting and setting[0][0] > first:
                        supports = setting[0][1]
                    elif setting and setting[0][0] < min(i for i, stmt in enumerate(body) if _calls_super_init(stmt)):
                        # set before Layer.__init__ (Keras 2 style), which sets it again from compute_mask
                        supports = isinstance(compute, Function)
        if supports is None:
            return None
        if not supports:
            return "drop"
        return "compute" if isinstance(compute, Function) else "keep"

    def custom_call_masks(self, b: ModelBuilder, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """What Keras's ``Layer.__call__`` adds to a custom layer's call on symbolic tensors (its step 6): when
        exactly one argument of ``call`` (bound, with defaults) holds tensors (a tensor, or a structure of tensors and
        None) and ``call`` has a ``mask`` parameter given nothing or None, ``mask=`` the masks of that argument (its
        structure: ``[None, None]`` for a list of two unmasked tensors); with several, ``<name>_mask=`` for each
        such parameter (not followed when a mask is there).

        Returns ``(added keywords, those Keras's node records, previous mask, first argument)``, the previous mask
        being what ``compute_mask`` is given (the ``mask`` keyword when not None, else the first argument's masks);
        None where the analysis cannot bind the call and no tensor is masked (it goes on as before); an Unknown where
        it cannot and a mask is there."""
        if self.graph.tracing is not None or not b.custom_layer or b.cls is None:
            return None
        call = self.member(b.cls, "call")
        if not isinstance(call, Function) or call.kind:
            return None
        masked = any(is_masked(self.mask_of(t)) for v in (*args, *kwargs.values()) for t in tensors_in(v))

        def undecided(what: str) -> Any:
            return self.unknown(f"the masks Keras gives `{b.cls.name}.call()` are not followed ({what})", e) \
                if masked else None

        spec = call.node.args
        params = [p.arg for p in (*spec.posonlyargs, *spec.args)][1:]
        names = [*params, *(p.arg for p in spec.kwonlyargs)]
        bound: Dict[str, Any] = dict(zip(params, args))
        if len(args) > len(params):
            if spec.vararg is None:
                return None  # (Python raises TypeError: reported where the call is run)
            bound[spec.vararg.arg] = tuple(args[len(params):])
        extra = {}
        for key, value in kwargs.items():
            if key in names:
                bound[key] = value
            elif key == "training":
                continue  # a call-context argument `call` does not take: Keras takes it out
            elif spec.kwarg is not None:
                extra[key] = value
            else:
                return None
        if extra:
            bound[spec.kwarg.arg] = DictValue(extra)
        for name in names:
            if name not in bound and name in call.defaults:
                bound[name] = call.defaults[name]
        order = [n for n in (*params, spec.vararg.arg if spec.vararg else None, *names[len(params):],
                             spec.kwarg.arg if spec.kwarg else None) if n in bound]
        holding = []
        for name in order:
            kind = _tensor_argument(bound[name])
            if kind is None and isinstance(bound[name], Unknown):
                return bound[name] if masked else None  # (what the layer returns is not known for it anyway)
            if kind is None:
                return undecided(f"what `{name}` holds")
            if kind:
                holding.append(name)
        added: Dict[str, Any] = {}
        if len(holding) == 1:
            if "mask" in names and bound.get("mask") is None:
                added["mask"] = self._mask_structure(bound[holding[0]])
        else:
            for name in holding:
                key = f"{name}_mask"
                if key in names and bound.get(key) is None:
                    structure = self._mask_structure(bound[name])
                    if is_masked(structure):
                        return undecided(f"`{key}=`")
                    added[key] = structure
        hidden = next((m for v in added.values() for m in flat_masks(v) if isinstance(m, Unknown)), None)
        if hidden is not None:
            return self.unknown(f"the mask Keras passes to `{b.cls.name}.call()` is not known ({hidden.reason})", e)
        given = added.get("mask", kwargs.get("mask"))  # (Keras reads its keywords, `**kwargs` of `call` included)
        first = bound[order[0]] if order else None
        # Keras's node records the call's arguments as given; the masks it adds land in them only when it did not
        # convert the arguments first, which it does unless the call is one tensor alone (of the layer's dtype).
        recorded = added if not kwargs and len(args) == 1 and isinstance(args[0], Tensor) else {}
        if recorded and is_masked(added.get("mask")) and \
                self.graph.layer(self.graph.model_layer(b).uid).kwarg("dtype") not in (None, "float32"):
            return undecided("a dtype of its own, to which Keras converts the input")
        return added, recorded, (given if given is not None else self._mask_structure(first)), first

    def _mask_structure(self, value: Any) -> Any:
        """``tree.map_structure(get_keras_mask, value)``: the masks of a value's tensors, in its structure."""
        if isinstance(value, tuple):
            return tuple(self._mask_structure(v) for v in value)
        if isinstance(value, ListValue):
            return ListValue([self._mask_structure(v) for v in value.items])
        return self.mask_of(value) if isinstance(value, Tensor) else None

    def _custom_compute_mask(self, layer: LayerDef, first: Any, previous: Any, e: Any) -> Any:
        """The class's own ``compute_mask(inputs, previous_mask)``, run as Keras runs it after the call: None, a
        tensor, or a list or tuple of them (an Unknown for anything else)."""
        b = self.graph.model(layer.submodel)
        out = self.call_function(self.member(b.cls, "compute_mask"), (b, first, previous), {}, e)
        if out is None or isinstance(out, Tensor):
            return out
        if type(out) is tuple or isinstance(out, ListValue) and out.tainted is None:
            items = out if type(out) is tuple else out.items
            if all(m is None or isinstance(m, (Tensor, Unknown)) for m in items):
                return ListValue(list(items))  # (an unknown item: that output's mask is not known)
        reason = out.reason if isinstance(out, Unknown) else "not a tensor, a list of them or None"
        return Unknown(f"what `{b.cls.name}.compute_mask()` returns is not known ({reason})")

    def _own_compute_mask(self, layer: LayerDef) -> bool:
        """Does a class of the file's custom layer (or model) define ``compute_mask``?"""
        b = self.graph.model(layer.submodel)
        return isinstance(b, ModelBuilder) and b.cls is not None and \
            isinstance(self.member(b.cls, "compute_mask"), Function)

    def unfollowed_mask(self, layer: LayerDef, inputs: Any, e: Any) -> Optional[Unknown]:
        """A masked input of a nested model or a layer not in the catalogue: Keras may take the mask."""
        if layer.operation or layer.type == "InputLayer" or (layer.known and layer.submodel is None) or \
                self.graph.tracing is not None or not is_masked(self.mask_of(inputs)) or \
                self.custom_mask_rule(layer) is not None:
            return None
        return self.unknown(f"{layer.name} is called on a masked tensor (Keras masks are followed only "
                            "through catalogue layers)", e)

    def set_masks(self, layer: LayerDef, inputs: Any, out: Any, e: Any, previous_mask: Any = FROM_INPUTS,
                  first: Any = FROM_INPUTS) -> None:
        """Keras's ``_set_mask_metadata``: the masks of a call's outputs, from ``compute_mask`` (given ``first``, the
        call's first argument, by default its inputs)."""
        if self.graph.tracing is not None or layer.operation or layer.type == "InputLayer":
            return
        previous = self.mask_of(inputs) if previous_mask is FROM_INPUTS else previous_mask
        outputs: List[Tensor] = list(out) if isinstance(out, tuple) else [out]
        if not all(isinstance(t, Tensor) for t in outputs):
            return
        rule = COMPUTE_MASK.get(layer.type) if layer.known and layer.submodel is None else None
        custom = self.custom_mask_rule(layer) if rule is None else None
        if custom == "compute":
            mask = self._custom_compute_mask(layer, inputs if first is FROM_INPUTS else first, previous, e)
        elif custom is not None:
            mask = previous if custom == "keep" else None
        elif rule is None and layer.submodel is not None and self._own_compute_mask(layer):
            # Keras runs the class's compute_mask, which may make a mask from none: not followed
            mask = Unknown(f"what `{layer.type}.compute_mask()` returns is not followed")
        elif rule is None:
            unfollowed = not layer.known or layer.submodel is not None or layer.type in NOT_FOLLOWED
            mask = Unknown(f"{layer.name} passes on a mask the analysis does not follow") if unfollowed and \
                is_masked(previous) else None
        else:
            mask = self._compute_mask(rule, layer, inputs, previous, e)
        if is_masked(mask) and layer.kwarg("dtype") not in (None, "float32"):
            # Another dtype makes a layer taking the mask convert its input: its node then records no mask.
            mask = Unknown(f"{layer.name} with dtype {layer.kwarg('dtype')!r} passes on a mask")
        self.attach_masks(outputs, mask)

    def _compute_mask(self, rule: str, layer: LayerDef, inputs: Any, previous: Any, e: Any) -> Any:
        if rule not in ("embedding", "masking", "lambda") and not is_masked(previous):
            return None  # the others make no mask from none
        try:
            args = BoundArgs(catalogue.lookup(layer.type), layer)
        except InvalidArguments:
            # Keras raises when the layer is made (Embedding(..., embedding_initializer=...)): its row reports
            # that (KC103) and the model is unknown for it, not for a mask no run of Keras ever makes.
            return None
        except (Unresolved, ShapeError, TypeError, AttributeError) as exc:
            return Unknown(f"the mask {layer.name} passes on is not known ({exc})")
        try:
            if rule == "keep":
                return previous
            if rule == "drop":
                return None
            if rule == "embedding":
                return self.new_operation("NotEqual", (inputs, 0), {}, e) if _flag(args.mask_zero) else None
            if rule == "masking":
                different = self.new_operation("NotEqual", (inputs, args.mask_value), {}, e)
                return self.new_operation("Any", (different,), {"axis": -1}, e)
            if rule == "merge":
                masks = previous.items if isinstance(previous, ListValue) else [previous]
                if any(m is None for m in masks):
                    return None
                hidden = next((m for m in masks if isinstance(m, Unknown)), None)
                if hidden is not None:
                    return hidden
                out = masks[0]
                for m in masks[1:]:
                    out = self.new_operation("LogicalOr", (out, m), {}, e)
                return out
            if rule == "lambda":
                # Lambda(mask=None) does not support masking: Keras drops the mask (with a warning); any other
                # `mask=` (a function of the inputs and their mask, or a tensor) makes one, which is not followed
                if args.mask is None:
                    return None
                return Unknown(f"{layer.name}'s `mask=` is not followed")
            if rule == "concatenate":
                return self._concatenate_mask(args.axis, inputs, previous, e)
            if rule == "attention":
                # Attention.compute_mask: the query's mask, through `ops.convert_to_tensor` (an operation of the
                # graph on a symbolic tensor); none when the query has none
                masks = previous.items if isinstance(previous, ListValue) else None
                if not isinstance(inputs, ListValue) or masks is None or not 2 <= len(masks) <= 3:
                    raise Unresolved("Attention's inputs are not a list of 2 or 3 tensors")
                if masks[0] is None or isinstance(masks[0], Unknown):
                    return masks[0]
                return self.new_operation("ConvertToTensor", (masks[0],), {}, e)
            first = previous.items[0] if isinstance(previous, ListValue) and previous.items else previous
            wrapped = args
            if rule == "bidirectional":
                inner = args.layer
                wrapped = BoundArgs(catalogue.lookup(inner.type), inner)
                if args.merge_mode is None or _flag(wrapped.return_state):
                    raise Unresolved("Bidirectional without merge_mode or with return_state")
            return first if _flag(wrapped.return_sequences) else None
        except (Unresolved, ShapeError, TypeError, AttributeError) as exc:
            return Unknown(f"the mask {layer.name} passes on is not known ({exc})")

    def _concatenate_mask(self, axis: Any, inputs: Any, previous: Any, e: Any) -> Any:
        """``Concatenate.compute_mask``: each input's mask as a tensor of the input's shape (``ones_like`` where it
        has none, ``logical_or(expand_dims(mask, -1), zeros_like(x))`` where the mask has fewer axes), the
        ``concatenate`` of those along the layer's axis, ``any`` over its last axis: operations of the graph, in
        that order, as Keras makes them."""
        xs = inputs.items if isinstance(inputs, ListValue) else list(inputs) if isinstance(inputs, tuple) else None
        masks = previous.items if isinstance(previous, ListValue) else None
        if xs is None or masks is None or len(xs) != len(masks) or not all(isinstance(x, Tensor) for x in xs):
            raise Unresolved("Concatenate's inputs are not a list of tensors")
        hidden = next((m for m in masks if isinstance(m, Unknown)), None)
        if hidden is not None:
            return hidden
        parts: List[Any] = []
        for x, m in zip(xs, masks):
            if m is None:
                parts.append(self.new_operation("OnesLike", (x,), {"dtype": "bool"}, e))
                continue
            mask_shape, x_shape = self.tensor_shape(m, None), self.tensor_shape(x, None)
            if not isinstance(mask_shape, tuple) or not isinstance(x_shape, tuple):
                raise Unresolved("the ranks of Concatenate's inputs or masks are not known")
            if len(mask_shape) < len(x_shape):
                wide = self.new_operation("ExpandDims", (m,), {"axis": -1}, e)
                zeros = self.new_operation("ZerosLike", (x,), {"dtype": "bool"}, e)
                m = self.new_operation("LogicalOr", (wide, zeros), {}, e)
            parts.append(m)
        joined = self.new_operation("Concatenate", (ListValue(parts),), {"axis": axis}, e)
        return self.new_operation("Any", (joined,), {"axis": -1, "keepdims": False}, e)


#: Values no Keras call converts to a tensor (besides Python's numbers and strings).
_NOT_TENSORS = (LayerObj, ModelBuilder, Function, ClassValue)


def _bool_constant(node: Any) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is bool


def _tensor_argument(value: Any) -> Optional[bool]:
    """Does Keras's CallSpec count the argument as a tensor argument: a tensor, or a non-empty structure of tensors
    and None? None when the analysis cannot tell (an unknown value, tensors mixed with other values, which Keras
    rejects)."""
    if isinstance(value, Tensor):
        return True
    if isinstance(value, Unknown):
        return None
    if isinstance(value, (tuple, ListValue, DictValue)):
        if isinstance(value, (ListValue, DictValue)) and value.tainted is not None:
            return None
        items = list(value) if isinstance(value, tuple) else value.items if isinstance(value, ListValue) else \
            list(value.items.values())
        if not items:
            return False
        kinds = [_tensor_argument(v) if not (v is None) else "none" for v in items]
        if any(k is None for k in kinds):
            return None
        if all(k in (True, "none") for k in kinds):
            return True
        return None if any(k is True for k in kinds) else False
    # Keras converts arrays given with tensors to tensors first: only plain values are surely not tensors
    return False if value is None or type(value) in (bool, int, float, str) or isinstance(value, _NOT_TENSORS) else None


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Unresolved(f"{value!r} is not known to be True or False")
    return value


def _masking_mentions(statement: Any) -> List[Any]:
    """The nodes of a class statement that name ``supports_masking`` (``_names_masking``)."""
    return [n for n in ast.walk(statement) if _names_masking(n)]


def _names_masking(node: Any) -> bool:
    """Does the node name ``supports_masking`` (``self.supports_masking = True``, ``self._supports_masking``)?"""
    return isinstance(node, ast.Attribute) and node.attr.endswith("supports_masking") or \
        isinstance(node, ast.Name) and node.id.endswith("supports_masking")


def _calls_super_init(stmt: Any) -> bool:
    """Is the statement ``super().__init__(...)`` (or ``super(Cls, self).__init__(...)``)?"""
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    return isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__" and \
        isinstance(call.func.value, ast.Call) and isinstance(call.func.value.func, ast.Name) and \
        call.func.value.func.id == "super"
