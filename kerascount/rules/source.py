"""What rules read from the source text where the IR holds an unknown value.

The interpreter leaves values it does not model unknown: `activation=tf.nn.relu`,
`kernel_initializer=initializers.Zeros()`, `optimizer=Adam(lr=10)`. A rule that only needs
to know *which* function or class is named (not a number computed from the program) reads
the constructor's text with the standard library's `ast`: a dotted name, a literal, or a
module-level constant. Nothing is executed.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import Any, Dict, List, Optional, Tuple

from ..ir import LayerDef, Span, Unknown
from ..nodes import _NODE_FIELDS, children, node_fields  # noqa: F401 (read here by the rules)
from .base import RuleContext


_NO_INDEX: Tuple[Dict[Tuple[int, int, int, int], ast.Call], Dict[str, Any]] = ({}, {})


def _index(ctx: RuleContext) -> Tuple[Dict[Tuple[int, int, int, int], ast.Call], Dict[str, Any]]:
    """The index of the file's tree (the extract stage's: the file is not parsed again)."""
    return _index_tree(ctx.tree) if ctx.tree is not None else _NO_INDEX


@lru_cache(maxsize=1)  # every rule that reads the tree walks it: once per file
def walk(tree: ast.AST) -> Tuple[List[ast.AST], List[Optional[ast.AST]]]:
    """``list(ast.walk(tree))`` (the same nodes in the same order), and the parent of each (None for ``tree``)."""
    nodes: List[ast.AST] = [tree]
    parents: List[Optional[ast.AST]] = [None]
    i = 0
    fields = _NODE_FIELDS.get
    while i < len(nodes):
        node = nodes[i]
        i += 1
        names = fields(type(node))
        if names is None:  # (not ``or``: a node type without such fields has an empty tuple)
            names = node_fields(type(node))
        for name in names:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                nodes.append(value)
                parents.append(node)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        nodes.append(item)
                        parents.append(node)
    return nodes, parents


@lru_cache(maxsize=1)  # one file's rules ask again and again; an older tree is not kept alive
def _index_tree(tree: ast.Module) -> Tuple[Dict[Tuple[int, int, int, int], ast.Call], Dict[str, Any]]:
    """Calls by their range (lines and 1-based columns, end exclusive) and names assigned once at module level to a literal."""
    calls: Dict[Tuple[int, int], ast.Call] = {}
    assigned: Dict[str, Any] = {}
    for node in walk(tree)[0]:
        if isinstance(node, ast.Call):
            # By the whole range: `Dense(8)(x)` starts where its constructor `Dense(8)` starts.
            calls[(node.lineno, node.col_offset + 1, node.end_lineno, (node.end_col_offset or 0) + 1)] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and node.value is not None:
                    if target.id not in assigned:
                        assigned[target.id] = node.value
                    elif assigned[target.id] is not None and ast.dump(assigned[target.id]) != ast.dump(node.value):
                        assigned[target.id] = None  # assigned twice with different values: not a constant
    return calls, assigned


def call_at(ctx: RuleContext, span: Span) -> Optional[ast.Call]:
    """The call that starts at ``span`` (a layer's constructor, ``model.compile(...)``)."""
    return _index(ctx)[0].get((span.line, span.column, span.end_line, span.end_column))


def calls(ctx: RuleContext) -> List[ast.Call]:
    """Every call in the file, in no particular order."""
    return list(_index(ctx)[0].values())


def node_span(node: ast.AST) -> Span:
    """The span of a node of the tree (lines and 1-based columns, end exclusive), as the reporters read spans."""
    return Span(node.lineno, node.col_offset + 1, node.end_lineno or node.lineno,  # type: ignore[attr-defined]
                (node.end_col_offset or 0) + 1)  # type: ignore[attr-defined]


def argument(call: Optional[ast.Call], key: str, position: Optional[int] = None) -> Optional[ast.expr]:
    """The expression given for keyword ``key`` (or at ``position``) in ``call``."""
    if call is None:
        return None
    for kw in call.keywords:
        if kw.arg == key:
            return kw.value
    if position is not None and len(call.args) > position and not any(
            isinstance(a, ast.Starred) for a in call.args[: position + 1]):
        return call.args[position]
    return None


def dotted(expr: Optional[ast.expr]) -> Optional[str]:
    """``tf.nn.relu`` for that expression; for a call, the callee's name (``initializers.Zeros``)."""
    if isinstance(expr, ast.Call):
        expr = expr.func
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if isinstance(expr, ast.Name):
        parts.append(expr.id)
        return ".".join(reversed(parts))
    return None


def resolve_name(ctx: RuleContext, expr: Optional[ast.expr]) -> Optional[ast.expr]:
    """A module-level name assigned once stands for its value (``opt = Adam(lr=10)``)."""
    for _ in range(4):
        if isinstance(expr, ast.Name):
            expr = _index(ctx)[1].get(expr.id)
        else:
            break
    return expr


def number(ctx: RuleContext, expr: Optional[ast.expr]) -> Optional[float]:
    """A numeric literal, ``-x``, ``1 / 10``, ``10 ** -3``, or a name assigned one once at module level."""
    expr = resolve_name(ctx, expr)
    if isinstance(expr, ast.Constant) and isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool):
        return float(expr.value)
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
        value = number(ctx, expr.operand)
        return None if value is None else (-value if isinstance(expr.op, ast.USub) else value)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Div, ast.Mult, ast.Pow)):
        a, b = number(ctx, expr.left), number(ctx, expr.right)
        try:
            if a is not None and b is not None:
                if isinstance(expr.op, ast.Div):
                    return a / b
                if isinstance(expr.op, ast.Mult):
                    return a * b
                if abs(b) <= 64:
                    return float(a ** b)
        except (ZeroDivisionError, OverflowError, TypeError):
            return None
    return None


def layer_argument(ctx: RuleContext, layer: LayerDef, key: str, position: Optional[int] = None) -> Optional[ast.expr]:
    """The source expression of a layer's argument, when the IR does not know its value."""
    value = layer.kwarg(key, None)
    if value is not None and not isinstance(value, Unknown):
        return None
    return argument(call_at(ctx, layer.span), key, position)
