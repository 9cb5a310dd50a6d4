"""Reading ``ast`` nodes: what a block of statements assigns and mutates (to forget what the interpreter
cannot follow), a call's arguments and a function's defaults in source order."""

from __future__ import annotations

import ast
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple
from ..nodes import walk as ast_walk


def _dotted(node: Any) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _target_names(node: Any) -> Iterator[str]:
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, (ast.Tuple, ast.List)):
        for el in node.elts:
            yield from _target_names(el)
    elif isinstance(node, ast.Starred):
        yield from _target_names(node.value)


def call_arguments(call: ast.Call) -> List[Tuple[Optional[str], str, Any]]:
    """A call's arguments in source order: (keyword or None, ``""``/``"*"``/``"**"``, value) (cached: loops
    and repeated calls ask again)."""
    cache = call.__dict__.get("_kc_cache")  # (``_per_node``'s cache, read here first: asked at every call evaluated)
    if cache is not None:
        found = cache.get("arguments")
        if found is not None:
            return found
    return _per_node("arguments", call, _call_arguments)


def _call_arguments(call: ast.Call) -> List[Tuple[Optional[str], str, Any]]:
    out: List[Tuple[Optional[str], str, Any]] = [
        (None, "*", a.value) if type(a) is ast.Starred else (None, "", a) for a in call.args]
    out.extend((k.arg, "" if k.arg is not None else "**", k.value) for k in call.keywords)
    if call.keywords and call.args and _position(call.keywords[0]) < _position(call.args[-1]):
        out.sort(key=lambda item: _position(item[2]))  # f(a=1, *rest): a keyword before a positional
    return out


def _position(node: Any) -> Tuple[int, int]:
    return getattr(node, "lineno", 0), getattr(node, "col_offset", 0)


def parameter_defaults(args: ast.arguments) -> List[Tuple[ast.arg, Any]]:
    """The parameters that have a default and their defaults, in source order."""
    positional = [*args.posonlyargs, *args.args]
    out = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    out.extend((p, d) for p, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None)
    return out


def first_positional(call: Any) -> Any:
    """The value of a call's first argument when it is positional (``f(x, ...)``, ``f(*x)``: ``x``); else None."""
    if not isinstance(call, ast.Call) or not call.args:
        return None
    first = call.args[0]
    if call.keywords and _position(call.keywords[0]) < _position(first):
        return None
    return first.value if type(first) is ast.Starred else first


class _Collector:
    def __init__(self) -> None:
        self.assigned: set = set()
        self.mutated: set = set()
        self.sets_trainable = False

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self.assigned.update(_target_names(target))
            self._attribute_target(target)

    def _attribute_target(self, target: Any) -> None:
        # self.x = ...: the object is changed (a subclassed model tracks its layers so).
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            self.mutated.add(target.value.id)
        # x.trainable = ... sets a flag (reading one, print(layer.trainable), does not).
        for part in (target.elts if isinstance(target, (ast.Tuple, ast.List)) else ()):
            self._attribute_target(part.value if isinstance(part, ast.Starred) else part)
        if isinstance(target, ast.Attribute) and target.attr == "trainable":
            self.sets_trainable = True

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.assigned.update(_target_names(node.target))
        self._attribute_target(node.target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.assigned.update(_target_names(node.target))
        self._attribute_target(node.target)

    def visit_For(self, node: ast.For) -> None:
        self.assigned.update(_target_names(node.target))

    visit_AsyncFor = visit_For

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.assigned.update(_target_names(node.target))

    def visit_withitem(self, node: ast.withitem) -> None:
        if node.optional_vars is not None:
            self.assigned.update(_target_names(node.optional_vars))

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name is not None:
            self.assigned.add(node.name)

    def visit_bound_name(self, node: ast.Name) -> None:
        self.assigned.add(node.id)

    def visit_MatchAs(self, node: Any) -> None:
        if node.name is not None:  # (a case's capture: `case [first, *rest]`, `case Point(x=px)`, `case _ as v`)
            self.assigned.add(node.name)

    visit_MatchStar = visit_MatchAs

    def visit_MatchMapping(self, node: Any) -> None:
        if node.rest is not None:  # `case {"units": u, **rest}`
            self.assigned.add(node.rest)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> bool:
        self.assigned.add(node.name)
        return False

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> bool:
        self.assigned.add(node.name)
        return False

    def visit_Import(self, node: ast.Import) -> bool:
        for alias in node.names:
            self.assigned.add(alias.asname if alias.asname else alias.name.split(".")[0])
        return False

    def visit_ImportFrom(self, node: ast.ImportFrom) -> bool:
        for alias in node.names:
            if alias.name != "*":
                self.assigned.add(alias.asname or alias.name)
        return False

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "setattr":
            self.sets_trainable = True  # setattr(layer, "trainable", False)
        if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            self.mutated.add(node.func.value.id)
        for arg in (*node.args, *node.keywords):
            value = arg.value if isinstance(arg, (ast.Starred, ast.keyword)) else arg
            if isinstance(value, ast.Name):
                self.mutated.add(value.id)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.value, ast.Name):
            self.mutated.add(node.value.id)


class bound_name(ast.Name):
    """``ast.Name`` of a name bound by a statement that holds it as a string (``except E as e``)."""

    def __init__(self, name: str) -> None:
        super().__init__(id=name, ctx=ast.Store())


_SAFE_FUNCTIONS = frozenset({"print", "isinstance", "len", "str", "int", "hasattr", "type", "any", "all"})
_SAFE_METHODS = frozenset({"startswith", "endswith", "format", "lower", "upper", "split", "append", "count_params"})


class _TrainableTargets:
    def __init__(self) -> None:
        self.targets: List[Any] = []
        self.unclear = False
        #: The calls not known by their text alone to set no flag (``D.train_on_batch(x, y)``,
        #: ``np.random.normal(...)``): the caller decides them by what the names hold.
        self.calls: List[Any] = []
        self.lambdas = False

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._target(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._target(node.target)

    def _target(self, target: Any) -> None:
        if isinstance(target, ast.Attribute) and target.attr == "trainable":
            self.targets.append(target.value)
        elif isinstance(target, (ast.Tuple, ast.List)) and any(
                isinstance(el, ast.Attribute) and el.attr == "trainable" for el in target.elts):
            self.unclear = True

    def visit_Call(self, node: ast.Call) -> None:
        # A function it calls might set flags elsewhere: only calls known not to are allowed.
        func = node.func
        if not (isinstance(func, ast.Name) and func.id in _SAFE_FUNCTIONS or
                isinstance(func, ast.Attribute) and func.attr in _SAFE_METHODS):
            self.calls.append(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> bool:
        self.unclear = True
        return False

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> bool:
        self.lambdas = True
        return False


def _trainable_targets(body: Any) -> "Optional[_TrainableTargets]":
    """The objects ``X`` of each ``X.trainable = ...`` in ``body`` (``targets``) and the calls there that may set
    flags elsewhere unless what they call is known (``calls``); None when flags may be set otherwise (``setattr``,
    a function defined there, a tuple target)."""
    def find(node: Any) -> "Optional[_TrainableTargets]":
        v = _visited(_TrainableTargets(), node)
        return None if v.unclear else v

    return _per_node("trainable_targets", body, find)


_COLLECTED: "Dict[Tuple[int, ...], Tuple[Sequence[Any], _Collector]]" = {}


def _collect(body: Sequence[Any]) -> _Collector:
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


def _mutated_names(body: Sequence[Any]) -> set:
    return _collect(body).mutated


class _Declared:
    def __init__(self) -> None:
        self.globals: set = set()
        self.nonlocals: set = set()


_BLOCKS = ("body", "orelse", "handlers", "finalbody", "cases")
#: Statements that hold other statements.
COMPOUND = tuple(getattr(ast, n) for n in ("If", "For", "AsyncFor", "While", "With", "AsyncWith", "Try", "TryStar",
                                           "FunctionDef", "AsyncFunctionDef", "ClassDef", "Match") if hasattr(ast, n))
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _small_statements(node: Any, into_defs: bool) -> Iterator[Any]:
    """The small statements (``global``, ``return``, ``import``...) under ``node`` (a statement or a list of
    them), walking statements only (never expressions). ``into_defs``: also those of the functions and
    classes defined under it."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, list):
            stack.extend(n)
        elif isinstance(n, ast.stmt) and not isinstance(n, COMPOUND):
            yield n
        elif isinstance(n, ast.AST):
            if n is not node and not into_defs and isinstance(n, _DEFS):
                continue
            for name in _BLOCKS:
                child = getattr(n, name, None)
                if child:
                    stack.append(child)


_PER_NODE: "Dict[Tuple[str, int], Tuple[Any, Any]]" = {}
_MISSING = object()


def _per_node(kind: str, node: Any, make: Any) -> Any:
    """``make(node)``, cached per node (loops and repeated calls ask again for the same node): on the node itself
    for a tree node (no bound: a big file asks for more nodes than a shared table would keep), else in a table."""
    if isinstance(node, ast.AST):
        fields = node.__dict__
        cache = fields.get("_kc_cache")
        if cache is not None:
            value = cache.get(kind, _MISSING)
            if value is not _MISSING:
                return value
        value = make(node)
        cache = fields.get("_kc_cache")  # (make may have cached another kind of the same node)
        if cache is None:
            cache = fields["_kc_cache"] = {}
        cache[kind] = value
        return value
    hit = _PER_NODE.get((kind, id(node)))
    if hit is not None and hit[0] is node:
        return hit[1]
    value = make(node)
    if len(_PER_NODE) > 4096:
        _PER_NODE.clear()
    _PER_NODE[(kind, id(node))] = (node, value)
    return value


#: Per node type, its fields in source order where ``ast`` declares them otherwise.
_SOURCE_ORDER = {"IfExp": ("body", "test", "orelse"), "FunctionDef": ("decorator_list", "name", "args", "returns", "body"),
                 "AsyncFunctionDef": ("decorator_list", "name", "args", "returns", "body"),
                 "ClassDef": ("decorator_list", "name", "bases", "keywords", "body")}
_FIELDS: Dict[type, Tuple[str, ...]] = {}


def _fields(kind: type) -> Tuple[str, ...]:
    """A node type's fields, last first (a stack pops them in source order)."""
    names = _FIELDS.get(kind)
    if names is None:
        order = _SOURCE_ORDER.get(kind.__name__)
        declared = [f for f in getattr(kind, "_fields", ()) if f != "ctx"]  # (Load, Store: no walk reads them)
        if order is not None:
            declared = [f for f in order if f in declared] + [f for f in declared if f not in order]
        names = _FIELDS[kind] = tuple(reversed(declared))
    return names


def _visited(visitor: Any, node: Any) -> Any:
    """Call the visitor's ``visit_X`` methods on ``node`` (a node or a list of them) and every node under it, in
    source order; a method that returns False skips the node's children."""
    methods = _visit_methods(type(visitor))
    stack: List[Any] = [node]
    pop, push, get, AST = stack.pop, stack.append, methods.get, ast.AST
    while stack:
        n = pop()
        kind = type(n)
        if kind is list:
            stack.extend(reversed(n))
            continue
        method = get(kind)
        if method is not None and method(visitor, n) is False:
            continue
        if kind is ast.Dict:  # keys and values in source order
            for k, v in reversed(list(zip(n.keys, n.values))):
                push(v)
                if k is not None:
                    push(k)
            continue
        for f in _FIELDS.get(kind) or _fields(kind):
            value = getattr(n, f, None)
            if type(value) is list or isinstance(value, AST):
                push(value)
    return visitor


_METHODS: Dict[type, Dict[type, Any]] = {}


def _visit_methods(cls: type) -> Dict[type, Any]:
    """A visitor class's ``visit_X`` methods by node type."""
    methods = _METHODS.get(cls)
    if methods is None:
        methods = _METHODS[cls] = {}
        for name in dir(cls):
            kind = getattr(ast, name[6:], None) if name.startswith("visit_") else None
            if isinstance(kind, type) and issubclass(kind, ast.AST):
                methods[kind] = getattr(cls, name)
        if hasattr(cls, "visit_bound_name"):
            methods[bound_name] = getattr(cls, "visit_bound_name")
    return methods


def _declared(fn: Any) -> _Declared:
    """The names a function declares ``global`` and ``nonlocal`` (not its nested functions')."""
    def scan(f: Any) -> _Declared:
        d = _Declared()
        for small in _small_statements(f, into_defs=False):
            if isinstance(small, ast.Global):
                d.globals.update(small.names)
            elif isinstance(small, ast.Nonlocal):
                d.nonlocals.update(small.names)
        return d

    return _per_node("declared", fn, scan)


def function_locals(fn: Any) -> Tuple[str, ...]:
    """The names Python makes local to function ``fn`` (``ast.FunctionDef``/``AsyncFunctionDef``) besides its
    parameters, as its compiler's symbol table does: every name its own body binds (assignments, also annotated
    ones without a value, augmented assignment, ``for``/``with``/``except ... as`` targets, imports, ``def`` and
    ``class`` names, ``del``, ``:=`` also inside comprehensions, ``case`` captures) that it does not declare
    ``global`` or ``nonlocal``. Not the names of a nested function's, class body's, lambda's or comprehension's own
    scope. Cached per node."""
    def scan(f: Any) -> Tuple[str, ...]:
        found: Dict[str, None] = {}
        stack: List[Any] = list(reversed(f.body))
        while stack:
            n = stack.pop()
            kind = type(n)
            if kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
                found[n.name] = None
                # (its decorators, defaults and bases run in this scope; its body is a scope of its own)
                stack.extend(n.decorator_list)
                if kind is ast.ClassDef:
                    stack.extend(n.bases)
                    stack.extend(k.value for k in n.keywords)
                else:
                    stack.extend(d for d in (*n.args.defaults, *n.args.kw_defaults) if d is not None)
                continue
            if kind is ast.Lambda:
                stack.extend(n.args.defaults)
                stack.extend(d for d in n.args.kw_defaults if d is not None)
                continue
            if kind in (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp):
                # (its targets are its own; a `:=` in it binds in the function)
                for gen in n.generators:
                    stack.append(gen.iter)
                    stack.extend(gen.ifs)
                stack.extend((n.key, n.value) if kind is ast.DictComp else (n.elt,))
                continue
            if kind is ast.Name:
                if type(n.ctx) is not ast.Load:
                    found[n.id] = None  # (an assignment's, for's, with's or del's target)
                continue
            if kind is ast.ExceptHandler and n.name is not None:
                found[n.name] = None
            elif kind in (ast.Import, ast.ImportFrom):
                for alias in n.names:
                    if alias.name != "*":
                        found[alias.asname or alias.name.split(".")[0]] = None
                continue
            elif kind in (ast.MatchAs, ast.MatchStar) and n.name is not None:
                found[n.name] = None
            elif kind is ast.MatchMapping and n.rest is not None:
                found[n.rest] = None
            for field in _fields(kind):
                value = getattr(n, field, None)
                if type(value) is list:
                    stack.extend(reversed(value))
                elif isinstance(value, ast.AST):
                    stack.append(value)
        declared = _declared(f)
        return tuple(name for name in found if name not in declared.globals and name not in declared.nonlocals)

    return _per_node("function_locals", fn, scan)


def _outside_writes(node: Any) -> set:
    """Every ``global``/``nonlocal`` name declared in any function under a node (a class's methods)."""
    return {n for small in _small_statements(node, into_defs=True)
            if isinstance(small, (ast.Global, ast.Nonlocal)) for n in small.names}


def _writes_trainable(node: Any) -> bool:
    """Does code under ``node`` (a class, its methods included) set a ``trainable`` flag: ``x.trainable = ...``
    (also in a tuple target or with an operator) or ``setattr(x, "trainable", ...)``?"""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Assign):
            targets = list(sub.targets)
        elif isinstance(sub, (ast.AugAssign, ast.AnnAssign)):
            targets = [sub.target]
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id == "setattr" and \
                len(sub.args) >= 2 and isinstance(sub.args[1], ast.Constant) and sub.args[1].value == "trainable":
            return True
        else:
            continue
        while targets:
            t = targets.pop()
            if isinstance(t, (ast.Tuple, ast.List)):
                targets.extend(t.elts)
            elif isinstance(t, ast.Starred):
                targets.append(t.value)
            elif isinstance(t, ast.Attribute) and t.attr == "trainable":
                return True
    return False


class _Callees:
    def __init__(self) -> None:
        self.names: set = set()

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name):
            self.names.add(node.func.id)
        elif isinstance(node.func, ast.Attribute):
            self.names.add("." + node.func.attr)  # a method: `.set_image_data_format`


def _called_names(body: Any) -> set:
    """Names called as ``f(...)`` anywhere under ``body``, and ``.name`` for each ``x.name(...)``."""
    return _per_node("callees", body, lambda b: _visited(_Callees(), b).names)


def _jumps(stmt: Any) -> bool:
    """Does ``stmt`` hold a ``return``, ``raise``, ``break`` or ``continue`` (not in a function it defines)?"""
    if isinstance(stmt, _DEFS):
        return False
    return _per_node("jumps", stmt, lambda s: any(
        isinstance(small, (ast.Return, ast.Raise, ast.Break, ast.Continue))
        for small in _small_statements(s, into_defs=False)))


#: Model methods that leave a built model's layers, shapes and weight counts as they are.
MODEL_READS = frozenset({"predict", "predict_on_batch", "evaluate", "test_on_batch", "summary", "count_params",
                         "get_weights", "set_weights", "save", "save_weights", "load_weights", "get_config",
                         "to_json", "fit", "train_on_batch", "fit_generator", "evaluate_generator",
                         "predict_generator", "reset_states", "predict_classes", "predict_proba"})
#: Attributes whose reading hands out no way to change the model's layers (lists of variables, shapes).
MODEL_READ_ATTRIBUTES = frozenset({"trainable_variables", "trainable_weights", "non_trainable_weights",
                                   "non_trainable_variables", "weights", "variables", "name", "output_shape",
                                   "input_shape", "losses", "metrics_names", "input", "inputs", "output",
                                   "outputs", "output_names", "input_names"})


def model_uses(body: Sequence[Any], name: str, runs: bool = True,
               flags: bool = False) -> "Optional[List[Tuple[Any, int, Optional[str]]]]":
    """How ``body`` uses the model named ``name`` when it only reads it: calls it (``name(x)``), calls a
    method of ``MODEL_READS`` or reads an attribute of ``MODEL_READ_ATTRIBUTES``; or passes it to a function
    (returned as (the call's ``func`` node, its position or -1, its keyword or None), for the caller to
    check that function), or iterated over in a loop (returned as (the loop's body, -2, a name the loop
    binds), for the caller to check that name). ``runs``: whether it may be called or its methods run (not
    for a model not built yet, which running builds). None when any other use may change it (``name.add``, ``name = ...``, an alias,
    an item of a list, ``name.layers``...). ``flags``: ``name.trainable = ...`` is no such use (the caller makes
    the flags the block sets unknown: they change no layer).

    Each statement is read once per name (``_per_node``: a loop that cannot be run asks again at each pass): what
    makes a use of the name one of those is always in the statement that holds it (its call, attribute, test or
    loop)."""
    passed: List[Tuple[Any, int, Optional[str]]] = []
    kind = f"model_uses {name} {runs} {flags}"
    for stmt in _statements(body):
        changes, uses = _per_node(kind, stmt, lambda s: _model_uses_in(s, name, runs, flags))
        if changes:
            return None
        passed.extend(uses)
    return passed


def _model_uses_in(stmt: Any, name: str, runs: bool,
                   flags: bool = False) -> Tuple[bool, Tuple[Tuple[Any, int, Optional[str]], ...]]:
    """``model_uses`` of one statement: whether it may change the model, and its uses (see there)."""
    ok: set = set()
    passed: List[Tuple[Any, int, Optional[str]]] = []
    nodes = list(ast_walk(stmt))
    for n in nodes:
        ok.update(id(x) for x in _tested(n))
        if isinstance(n, (ast.For, ast.AsyncFor)) and isinstance(n.iter, (ast.Tuple, ast.List)):
            # for part, opt in ((net, sgd), (head, adam)): each name it binds may be the model
            held = [id(x) for x in _literal_items(n.iter) if isinstance(x, ast.Name) and x.id == name]
            if held:
                ok.update(held)
                aliases = {a for el in n.iter.elts for a in _bound_to(n.target, el, name)}
                passed.extend((n.body, -2, alias) for alias in sorted(aliases))
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == name:
            if n.attr in MODEL_READ_ATTRIBUTES and isinstance(n.ctx, ast.Load) or \
                    flags and n.attr == "trainable" and isinstance(n.ctx, ast.Store):
                ok.add(id(n.value))
        elif isinstance(n, ast.Call):
            func = n.func
            if isinstance(func, ast.Name) and func.id == name and runs:
                ok.add(id(func))
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == name \
                    and func.attr in MODEL_READS and runs:
                ok.add(id(func.value))
            starred = False
            for i, a in enumerate(n.args):
                starred = starred or isinstance(a, ast.Starred)
                if isinstance(a, ast.Name) and a.id == name and not starred:
                    ok.add(id(a))
                    passed.append((func, i, None))
            for k in n.keywords:
                if k.arg is not None and isinstance(k.value, ast.Name) and k.value.id == name:
                    ok.add(id(k.value))
                    passed.append((func, -1, k.arg))
    for n in nodes:
        if isinstance(n, ast.Name) and n.id == name and id(n) not in ok:
            return True, ()
        if isinstance(n, (ast.Global, ast.Nonlocal)) and name in n.names:
            return True, ()
    return False, tuple(passed)


def _literal_items(node: Any) -> Iterator[Any]:
    """The items of a tuple or list literal, those of the literals nested in it too."""
    for el in node.elts:
        if isinstance(el, (ast.Tuple, ast.List)):
            yield from _literal_items(el)
        else:
            yield el


def _bound_to(target: Any, item: Any, name: str) -> Iterator[str]:
    """The names of a loop's ``target`` that may take the value of ``name`` in ``item`` (an item of the
    literal it runs over): by position where both are tuples of one length, else every name of it."""
    if isinstance(item, ast.Name):
        if item.id == name:
            yield from _target_names(target)
    elif isinstance(item, (ast.Tuple, ast.List)):
        if isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == len(item.elts) and \
                not any(isinstance(t, ast.Starred) for t in (*target.elts, *item.elts)):
            for t, i in zip(target.elts, item.elts):
                yield from _bound_to(t, i, name)
        elif any(isinstance(x, ast.Name) and x.id == name for x in _literal_items(item)):
            yield from _target_names(target)


def _tested(n: Any) -> List[Any]:
    """The operands ``n`` only compares or tests (``x is None``, ``if x:``, ``not x``): no use that keeps them."""
    if isinstance(n, ast.Compare):
        return [n.left, *n.comparators]
    if isinstance(n, (ast.If, ast.While, ast.IfExp, ast.Assert)):
        return [n.test]
    if isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not):
        return [n.operand]
    return []


def bare_names(body: Sequence[Any]) -> set:
    """Names ``body`` reads as values of their own (``other = net``, ``[net]``, ``return net``): not as the
    object of an attribute, nor called, nor passed to a call (``_collect`` counts those as changed), nor
    only compared or tested."""
    def find(stmt: Any) -> set:
        skip: set = set()
        for n in ast_walk(stmt):
            skip.update(id(x) for x in _tested(n))
            if isinstance(n, ast.Attribute):
                skip.add(id(n.value))
            elif isinstance(n, ast.Call):
                skip.add(id(n.func))
                skip.update(id(a) for a in n.args)
                skip.update(id(k.value) for k in n.keywords)
        return {n.id for n in ast_walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
                and id(n) not in skip}

    out: set = set()
    for stmt in _statements(body):
        out |= _per_node("bare_names", stmt, find)
    return out


def _statements(body: Sequence[Any]) -> Iterator[Any]:
    """The nodes of a block whose items may be blocks themselves (a ``try``'s handlers' bodies)."""
    for item in body:
        if isinstance(item, list):
            yield from _statements(item)
        else:
            yield item
