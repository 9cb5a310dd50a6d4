"""Walks over Python syntax trees that visit the same nodes in the same order as the standard library's, faster.

``ast.walk`` and ``ast.iter_child_nodes`` go through two generators per node and read every field of it
(names, numbers, flags included); the analysis walks its trees many times (the project's modules once each,
statements again as loops and branches ask what they read and write). These read only the fields that may
hold a node, from a table made once per node type.
"""

from __future__ import annotations

import ast
from typing import Dict, Iterator, List, Tuple

#: Fields that never hold a node in Python's grammar (names, numbers, flags), skipped by the walks below.
_NEVER_NODES = frozenset(("id", "attr", "name", "asname", "module", "level", "arg", "kind", "type_comment",
                          "conversion", "is_async", "kwd_attrs", "rest"))
_NODE_FIELDS: Dict[type, Tuple[str, ...]] = {}


def node_fields(kind: type) -> Tuple[str, ...]:
    """The fields of a node type that may hold nodes, in ``_fields`` order."""
    names = _NODE_FIELDS.get(kind)
    if names is None:
        never = _NEVER_NODES | ({"value"} if kind is ast.Constant else set()) | \
            ({"names"} if kind in (ast.Global, ast.Nonlocal) else set())
        if kind.__name__ == "TypeAlias":  # (Python 3.12's `type X = ...`: its name is a Name node)
            never = never - {"name"}
        names = _NODE_FIELDS[kind] = tuple(f for f in getattr(kind, "_fields", ()) if f not in never)
    return names


def children(node: ast.AST) -> List[ast.AST]:
    """``list(ast.iter_child_nodes(node))`` (the same nodes in the same order), without its two generators."""
    out: List[ast.AST] = []
    names = _NODE_FIELDS.get(type(node))
    if names is None:
        names = node_fields(type(node))
    for name in names:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            out.append(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    out.append(item)
    return out


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """``ast.walk(node)``: every node under ``node`` (itself first), breadth first, in the same order, as lazily
    (a node's children are queued before it is given)."""
    todo: List[ast.AST] = [node]
    push = todo.append
    fields = _NODE_FIELDS.get
    AST = ast.AST
    i = 0
    while i < len(todo):
        node = todo[i]
        i += 1
        names = fields(type(node))
        if names is None:  # (not ``or``: a node type without such fields has an empty tuple)
            names = node_fields(type(node))
        for name in names:
            value = getattr(node, name, None)
            if isinstance(value, AST):
                push(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, AST):
                        push(item)
        yield node


def walk_list(node: ast.AST) -> List[ast.AST]:
    """``list(ast.walk(node))``."""
    todo: List[ast.AST] = [node]
    push = todo.append
    fields = _NODE_FIELDS.get
    AST = ast.AST
    for node in todo:  # (a list grows under its iterator: each node appended is reached)
        names = fields(type(node))
        if names is None:
            names = node_fields(type(node))
        for name in names:
            value = getattr(node, name, None)
            if isinstance(value, AST):
                push(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, AST):
                        push(item)
    return todo
