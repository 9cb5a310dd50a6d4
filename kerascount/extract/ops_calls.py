"""Operations on tensors: Python operators (``x + y``, ``-x``, ``x > 0``) and ``keras.ops`` calls.

Keras 3 records each as an operation of the functional graph (catalogue/ops.py): the interpreter
makes a :class:`~kerascount.ir.LayerDef` with ``operation=True``, named from the layers' counters,
and one :class:`~kerascount.ir.Node` on its tensor operands.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from .. import catalogue
from ..catalogue.ops import OPERATORS, REFLECTED
from ..ir import LayerDef, SliceKey, Span, Unknown
from .values import AnalysisLimit, ExternalRef, LayerObj, ListValue, Tensor, tensors_in

#: Comparisons a tensor overloads (``x == y`` and ``x is y`` compare the objects).
TENSOR_COMPARISONS = frozenset(REFLECTED)


class OpsCalls:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`."""

    def tensor_operator(self, op: str, operands: Tuple[Any, ...], e: Any) -> Any:
        """``a <op> b`` or ``<op> a`` with a tensor operand: the operation ``KerasTensor``'s method makes."""
        if op in OPERATORS and not isinstance(operands[0], str):  # `"%s" % x` formats a string
            return self.new_operation(OPERATORS[op], operands, {}, e)
        return self.unknown(f"`{self.code(e)}` is not known", e)

    def tensor_comparison(self, op: str, a: Any, b: Any, e: Any) -> Any:
        """``a < b`` with a tensor operand; ``0 < x`` runs the tensor's reflected method, ``x > 0``."""
        if not isinstance(a, Tensor) and op in REFLECTED:
            op, a, b = REFLECTED[op], b, a
        return self.tensor_operator(op, (a, b), e)

    def new_operation(self, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                      open_kwargs: Optional[Unknown] = None) -> Any:
        """Operation ``name`` (a class of catalogue/ops.py) called on ``args``: its output tensor."""
        spec = catalogue.operation(name)
        bound = dict(zip((a.name for a in spec.signature), args))
        bound.update(kwargs)
        operands = [bound[n] for n in spec.call_inputs if n in bound]
        for value in operands:
            hidden = _unknown_in(value)
            if hidden is not None:
                return hidden  # it may be a tensor: the graph is not known
        tensors = [t for value in operands for t in tensors_in(value)]
        if not tensors:
            return self.unknown(f"`{self.code(e)}` on values that are not tensors is not followed", e)
        if len(self.layers) >= self.limits.layers:
            raise AnalysisLimit(f"analysis stopped: more than {self.limits.layers:,} layers created")
        # Keras runs a subclassed model's call() on arrays, not symbolic tensors: no operation is named.
        auto = catalogue.snake_case(name) if self.tracing is not None else self.auto_name(name)
        layer = LayerDef(
            uid=len(self.layers),
            type=name,
            name=auto,
            args=tuple(self._operand(a) for a in args),
            kwargs=tuple((k, self._operand(v)) for k, v in kwargs.items()),
            span=self.span(e) if e is not None else Span(1, 1, 1, 1),
            known=False,
            open_kwargs=open_kwargs,
            operation=True,
        )
        self.layers.append(layer)
        return self.apply_layer(LayerObj(layer.uid), ListValue(tensors), e)

    def tensor_key(self, part: Any) -> Any:
        """One part of a tensor's subscript as an IR value: ``a:b:c`` a :class:`SliceKey`, ``np.newaxis`` None."""
        if isinstance(part, slice):
            return SliceKey(*(self.freeze(p) for p in (part.start, part.stop, part.step)))
        if isinstance(part, ExternalRef) and part.path.endswith(".newaxis"):
            return None
        return part

    def _operand(self, v: Any) -> Any:
        """An argument as an IR value, each tensor as its ``TensorRef``."""
        if isinstance(v, Tensor):
            return v.ref
        if isinstance(v, tuple) or isinstance(v, ListValue) and v.tainted is None:
            return tuple(self._operand(x) for x in (v if isinstance(v, tuple) else v.items))
        return self.freeze(v)


def _unknown_in(v: Any) -> Optional[Unknown]:
    if isinstance(v, Unknown):
        return v
    if isinstance(v, ListValue) and v.tainted is not None:
        return v.tainted
    for item in v if isinstance(v, tuple) else v.items if isinstance(v, ListValue) else ():
        hidden = _unknown_in(item)
        if hidden is not None:
            return hidden
    return None
