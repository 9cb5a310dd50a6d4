"""What a block of statements assigns and mutates: used to forget what the interpreter cannot follow."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

import libcst as cst

from .positions import _fields, _walk_fields


def _dotted(node: Any) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""


def _target_names(node: cst.CSTNode) -> Iterator[str]:
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, (cst.Tuple, cst.List)):
        for el in node.elements:
            yield from _target_names(el.value)
    elif isinstance(node, cst.StarredElement):
        yield from _target_names(node.value)


class _Collector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.assigned: set = set()
        self.mutated: set = set()
        self.sets_trainable = False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.assigned.update(_target_names(node.target))
        self._attribute_target(node.target)

    def _attribute_target(self, target: cst.CSTNode) -> None:
        # self.x = ...: the object is changed (a subclassed model tracks its layers so).
        if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name):
            self.mutated.add(target.value.value)
        # x.trainable = ... sets a flag (reading one, print(layer.trainable), does not).
        for part in (target.elements if isinstance(target, (cst.Tuple, cst.List)) else ()):
            self._attribute_target(part.value)
        if isinstance(target, cst.Attribute) and target.attr.value == "trainable":
            self.sets_trainable = True

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.assigned.update(_target_names(node.target))
        self._attribute_target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.assigned.update(_target_names(node.target))
        self._attribute_target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self.assigned.update(_target_names(node.target))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.assigned.update(_target_names(node.target))

    def visit_AsName(self, node: cst.AsName) -> None:
        self.assigned.update(_target_names(node.name))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.assigned.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.assigned.add(node.name.value)
        return False

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self.assigned.add(alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name)
                              else _dotted(alias.name).split(".")[0])

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                n = alias.asname.name if alias.asname else alias.name
                if isinstance(n, cst.Name):
                    self.assigned.add(n.value)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "setattr":
            self.sets_trainable = True  # setattr(layer, "trainable", False)
        if isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name):
            self.mutated.add(node.func.value.value)
        for arg in node.args:
            if isinstance(arg.value, cst.Name):
                self.mutated.add(arg.value.value)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if isinstance(node.value, cst.Name):
            self.mutated.add(node.value.value)


_SAFE_FUNCTIONS = frozenset({"print", "isinstance", "len", "str", "int", "hasattr", "type", "any", "all"})
_SAFE_METHODS = frozenset({"startswith", "endswith", "format", "lower", "upper", "split", "append", "count_params"})


class _TrainableTargets(cst.CSTVisitor):
    def __init__(self) -> None:
        self.targets: List[cst.CSTNode] = []
        self.unclear = False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def _target(self, target: cst.CSTNode) -> None:
        if isinstance(target, cst.Attribute) and target.attr.value == "trainable":
            self.targets.append(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)) and any(
                isinstance(el.value, cst.Attribute) and el.value.attr.value == "trainable" for el in target.elements):
            self.unclear = True

    def visit_Call(self, node: cst.Call) -> None:
        # A function it calls might set flags elsewhere: only calls known not to are allowed.
        func = node.func
        if not (isinstance(func, cst.Name) and func.value in _SAFE_FUNCTIONS or
                isinstance(func, cst.Attribute) and func.attr.value in _SAFE_METHODS):
            self.unclear = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.unclear = True
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def _trainable_targets(body: cst.CSTNode) -> "Optional[List[cst.CSTNode]]":
    """The objects ``X`` of each ``X.trainable = ...`` in ``body``; None when flags may be set otherwise
    (``setattr``, a function defined there, a tuple target)."""
    def find(node: cst.CSTNode) -> "Optional[List[cst.CSTNode]]":
        v = _visited(_TrainableTargets(), node)
        return None if v.unclear else v.targets

    return _per_node("trainable_targets", body, find)


_COLLECTED: "Dict[Tuple[int, ...], Tuple[Sequence[cst.CSTNode], _Collector]]" = {}


def _collect(body: Sequence[cst.CSTNode]) -> _Collector:
    """Names a block assigns and mutates; cached, since loops ask for the same block again and again."""
    key = tuple(id(s) for s in body)
    hit = _COLLECTED.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], body)):
        return hit[1]
    c = _Collector()
    for stmt in body:
        _visited(c, stmt)
    if len(_COLLECTED) > 4096:
        _COLLECTED.clear()
    _COLLECTED[key] = (tuple(body), c)
    return c


def _mutated_names(body: Sequence[cst.CSTNode]) -> set:
    return _collect(body).mutated


class _Declared:
    def __init__(self) -> None:
        self.globals: set = set()
        self.nonlocals: set = set()


_BLOCKS = ("body", "orelse", "handlers", "finalbody", "cases")


def _small_statements(node: cst.CSTNode, into_defs: bool) -> Iterator[cst.CSTNode]:
    """The small statements (``global``, ``return``, ``import``...) under ``node``, walking statements only
    (never expressions: a libcst visitor over every node costs far more). ``into_defs``: also those of the
    functions and classes defined under it."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
            yield from n.body
        elif isinstance(n, (list, tuple)):
            stack.extend(n)
        elif isinstance(n, cst.BaseSmallStatement):
            yield n
        elif isinstance(n, cst.CSTNode):
            if n is not node and not into_defs and isinstance(n, (cst.FunctionDef, cst.ClassDef)):
                continue
            for name in _BLOCKS:
                child = getattr(n, name, None)
                if child is not None and not isinstance(child, cst.BaseExpression):
                    stack.append(child)


_PER_NODE: "Dict[Tuple[str, int], Tuple[cst.CSTNode, Any]]" = {}


def _per_node(kind: str, node: cst.CSTNode, make: Any) -> Any:
    """``make(node)``, cached per node (loops and repeated calls ask again for the same node)."""
    hit = _PER_NODE.get((kind, id(node)))
    if hit is not None and hit[0] is node:
        return hit[1]
    value = make(node)
    if len(_PER_NODE) > 4096:
        _PER_NODE.clear()
    _PER_NODE[(kind, id(node))] = (node, value)
    return value


def _visited(visitor: Any, node: cst.CSTNode) -> Any:
    """``node.visit(visitor)`` for the read-only visitors of the analysis (``visit_X`` methods only; one that
    returns False skips the node's children), in the same order: libcst's own visit rebuilds (and checks)
    every node it passes, which costs several times more. Whitespace, punctuation and the names of
    import statements are not visited (no visitor here reads them)."""
    methods = _visit_methods(type(visitor))
    stack: List[Any] = [node]
    pop, push, get = stack.pop, stack.append, methods.get
    while stack:
        n = pop()
        kind = type(n)
        if kind is list or kind is tuple:
            stack.extend(reversed(n))
            continue
        method = get(kind)
        if method is not None and method(visitor, n) is False:
            continue
        for f in _walk_fields.get(kind) or _fields(kind):
            value = getattr(n, f)
            if value is not None and type(value) is not str:
                push(value)
    return visitor


_METHODS: Dict[type, Dict[type, Any]] = {}


def _visit_methods(cls: type) -> Dict[type, Any]:
    """A visitor class's ``visit_X`` methods by node type."""
    methods = _METHODS.get(cls)
    if methods is None:
        methods = _METHODS[cls] = {}
        for name in dir(cls):
            kind = getattr(cst, name[6:], None) if name.startswith("visit_") else None
            method = getattr(cls, name)
            if (isinstance(kind, type) and issubclass(kind, cst.CSTNode) and name.count("_") == 1
                    and method is not getattr(cst.CSTVisitor, name, None)):  # libcst's are no-ops
                methods[kind] = method
    return methods


def _declared(fn: cst.FunctionDef) -> _Declared:
    """The names a function declares ``global`` and ``nonlocal`` (not its nested functions')."""
    def scan(f: cst.FunctionDef) -> _Declared:
        d = _Declared()
        for small in _small_statements(f, into_defs=False):
            if isinstance(small, cst.Global):
                d.globals.update(n.name.value for n in small.names)
            elif isinstance(small, cst.Nonlocal):
                d.nonlocals.update(n.name.value for n in small.names)
        return d

    return _per_node("declared", fn, scan)


def _outside_writes(node: cst.CSTNode) -> set:
    """Every ``global``/``nonlocal`` name declared in any function under a node (a class's methods)."""
    return {n.name.value for small in _small_statements(node, into_defs=True)
            if isinstance(small, (cst.Global, cst.Nonlocal)) for n in small.names}


class _Callees(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set = set()

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name):
            self.names.add(node.func.value)
        elif isinstance(node.func, cst.Attribute):
            self.names.add("." + node.func.attr.value)  # a method: `.set_image_data_format`


def _called_names(body: cst.CSTNode) -> set:
    """Names called as ``f(...)`` anywhere under ``body``, and ``.name`` for each ``x.name(...)``."""
    return _per_node("callees", body, lambda b: _visited(_Callees(), b).names)


def _jumps(stmt: cst.CSTNode) -> bool:
    """Does ``stmt`` hold a ``return``, ``raise``, ``break`` or ``continue`` (not in a function it defines)?"""
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
        return False
    return _per_node("jumps", stmt, lambda s: any(
        isinstance(small, (cst.Return, cst.Raise, cst.Break, cst.Continue))
        for small in _small_statements(s, into_defs=False)))
