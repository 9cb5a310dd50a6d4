"""Runtime values of the abstract interpreter (not part of the IR).

Python constants (int, float, str, bool, None, tuple) and ``Expr`` symbols are
used as they are; these classes stand for everything else a model script holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from ..ir import Span, TensorRef, Unknown


class AnalysisLimit(Exception):
    """The analysis of a file reached one of its limits; the message says which."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(eq=False)
class KerasRef:
    """Something under the ``keras`` namespace, by canonical path."""

    path: str


@dataclass(eq=False)
class ExternalRef:
    """A module or object from outside Keras (``functools``, ``numpy``, ``tensorflow.nn``)."""

    path: str


@dataclass(eq=False)
class ModuleRef:
    """A module of the analysed project, read for ``import x``: its top-level names."""

    scope: Any
    name: str


@dataclass(eq=False)
class Builtin:
    name: str


@dataclass(eq=False)
class Partial:
    func: Any
    args: Tuple[Any, ...]
    kwargs: Dict[str, Any]


@dataclass(eq=False)
class Function:
    node: Any  # libcst FunctionDef
    scope: Any
    name: str
    defaults: Dict[str, Any]
    calls: int = 0
    top_level: bool = False


@dataclass(eq=False)
class LambdaValue:
    node: Any  # libcst Lambda
    scope: Any
    defaults: Dict[str, Any]


@dataclass(eq=False)
class OpaqueCallable:
    """A callable the analysis cannot see into (a custom layer class, an imported helper)."""

    text: str
    reason: str


@dataclass(eq=False)
class LayerObj:
    uid: int


@dataclass(eq=False)
class Tensor:
    ref: TensorRef


@dataclass(eq=False)
class RangeValue:
    start: int
    stop: int
    step: int

    def __len__(self) -> int:
        return len(range(self.start, self.stop, self.step))


@dataclass(eq=False)
class ListValue:
    items: List[Any]
    tainted: Optional[Unknown] = None
    #: Bumped by every in-place change (lets the interpreter see what a branch changed).
    version: int = 0


@dataclass(eq=False)
class DictValue:
    items: Dict[Any, Any]
    tainted: Optional[Unknown] = None
    version: int = 0


@dataclass(eq=False)
class BoundMethod:
    obj: Any
    name: str


@dataclass(eq=False)
class ModelBuilder:
    """A model under construction: Sequential grows with ``.add``; functional is fixed."""

    kind: str
    span: Span
    index: int
    name: Optional[str] = None
    layers: List[int] = field(default_factory=list)
    input_layer: Optional[int] = None
    build_shape: Any = None
    inputs: Tuple[TensorRef, ...] = ()
    outputs: Tuple[TensorRef, ...] = ()
    single_input: bool = True
    single_output: bool = True
    unresolved: Optional[Unknown] = None
    caveat: Optional[str] = None
    trainable: Any = True
    keras_name: str = ""
    implicit_input: bool = False
    built_by_node: Optional[int] = None
    application: Any = None
    compile: Any = None
    #: For an application: its input and output tensors, made when ``.input``/``.output`` is read.
    app_tensors: Any = None
    #: The LayerDef standing for this model when it is used as a layer.
    layer_uid: Optional[int] = None

    def taint(self, reason: Unknown) -> None:
        if self.unresolved is None:
            self.unresolved = reason


def tensors_in(v: Any) -> List[Tensor]:
    if isinstance(v, Tensor):
        return [v]
    if isinstance(v, tuple):
        return [t for x in v for t in tensors_in(x)]
    if isinstance(v, ListValue):
        return [t for x in v.items for t in tensors_in(x)]
    if isinstance(v, DictValue):
        return [t for k in sorted(v.items, key=str) for t in tensors_in(v.items[k])]
    return []


def has_tensor(v: Any) -> bool:
    if isinstance(v, Tensor):
        return True
    if isinstance(v, tuple):
        return any(has_tensor(x) for x in v)
    if isinstance(v, ListValue):
        return any(has_tensor(x) for x in v.items)
    return False
