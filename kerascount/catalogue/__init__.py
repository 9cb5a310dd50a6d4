"""The layer catalogue: one spec per Keras layer, found in one registry."""

from __future__ import annotations

import re
from typing import Any, Dict, FrozenSet, Iterable, Optional, Tuple

from . import (activations, attention, conv, core, embedding, merge, normalization, normalization_extra, ops,
               pooling, preprocessing, recurrent, reshaping, text, unknown)
from ..ir import LayerDef
from .errors import ShapeError, Unresolved
from .spec import BoundArgs, LayerSpec, config, holds_numpy_int

_FAMILIES = (core, conv, pooling, normalization, reshaping, merge, recurrent, attention, embedding,
             normalization_extra, activations, preprocessing, text)

_REGISTRY: Dict[str, LayerSpec] = {}
for _family in _FAMILIES:
    for _spec in _family.SPECS:
        for _name in (_spec.name, *_spec.aliases):
            _REGISTRY[_name] = _spec

#: Every name a layer keeps one of its arguments under (``LayerSpec.attributes``): a quick test before a lookup.
ATTRIBUTE_NAMES: FrozenSet[str] = frozenset().union(*(spec.attributes for spec in _REGISTRY.values()))

_APPLICATION: Dict[str, LayerSpec] = {spec.name: spec for spec in (*merge.APPLICATION_SPECS, *core.APPLICATION_SPECS)}

#: Function forms that build a layer: ``concatenate([a, b])`` → ``Concatenate``.
LAYER_FUNCTIONS: Dict[str, str] = dict(merge.FUNCTIONS)


def function_arguments(layer: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """The keyword arguments a layer function (``dot(inputs, axes=-1)``) passes to its layer: ``kwargs``
    plus the function's own defaults for arguments not given by position or keyword."""
    spec = lookup(layer)
    defaults = merge.FUNCTION_DEFAULTS.get(layer, {})
    given = set(spec.arg_names[: len(args)]) if spec is not None else set()
    return {**{k: v for k, v in defaults.items() if k not in given}, **kwargs}


def lookup(name: str) -> Optional[LayerSpec]:
    """The spec for a Keras layer class name or alias, or None."""
    return _REGISTRY.get(name)


def application_layer(name: str) -> Optional[LayerSpec]:
    """The spec for a layer class of a stored ``keras.applications`` graph: a ``keras.layers`` class or one
    only the applications build (InceptionResNetV2's CustomScaleLayer, ConvNeXt's LayerScale), never found
    by :func:`lookup` (user code naming such a class means its own)."""
    return _REGISTRY.get(name) or _APPLICATION.get(name)


def layer_config(layer: Any) -> Optional[BoundArgs]:
    """The config of a layer the catalogue knows (its arguments bound once and standardised), or None
    (an unknown layer, a nested model, an operation). Raises ``ShapeError`` where Keras's constructor does."""
    spec = _REGISTRY.get(layer.type) if layer.known and layer.submodel is None else None  # (lookup, inlined)
    return None if spec is None else config(spec, layer)


#: Arguments some constructors name that are attributes of every layer (``takes_argument`` leaves them out).
_LAYER_OWN = frozenset({"name", "dtype", "trainable"})


def kept_argument(layer: Any, attr: str) -> Tuple[bool, Any]:
    """``(True, value)`` where Keras keeps argument ``attr`` of ``layer`` as an attribute of that name
    (``dense.units``, ``conv.kernel_size``: ``LayerSpec.attributes``), its value as the config standardises it;
    ``(False, None)`` for another attribute or a layer the catalogue does not know. Raises ``Unresolved`` where the
    value is not known, ``ShapeError`` where Keras's constructor rejects the arguments."""
    spec = _REGISTRY.get(layer.type) if layer.known and layer.submodel is None else None
    if spec is None or attr not in spec.attributes:
        return False, None
    args = config(spec, layer)
    if holds_numpy_int(args.raw(attr)):
        # Keras keeps a NumPy integer as given (`Conv2D(np.int64(8), 3).filters` is one), which other layers may
        # reject where a Python int is taken: not followed
        raise Unresolved(f"`{attr}` holds a NumPy integer")
    return True, args.get(attr)


def takes_argument(layer: Any, name: str) -> bool:
    """Whether ``name`` is an argument of the constructor of ``layer``, a layer the catalogue knows (made with
    Keras 3's names: not a Keras 1 call), other than those every layer keeps apart (``name``, ``dtype``,
    ``trainable``: the layer's own attributes, which the interpreter follows on their own)."""
    spec = _REGISTRY.get(layer.type) if layer.known and layer.submodel is None and not layer.keras1 else None
    return spec is not None and name in spec.defaults and name not in _LAYER_OWN


def held_layers(layer: Any) -> Tuple[Any, ...]:
    """The layer objects ``layer`` keeps as its own sublayers (its spec's ``holds``: a wrapper's layer, an RNN's
    cells, a Pipeline's layers), as its arguments give them; none for another layer or arguments Keras rejects."""
    spec = _REGISTRY.get(layer.type) if layer.known and layer.submodel is None else None  # (lookup, inlined)
    if spec is None or not spec.holds:
        return ()
    try:
        args = config(spec, layer)
        values = [args.raw(name) for name in spec.holds]
    except ShapeError:
        return ()
    return tuple(item for value in values for item in (value if isinstance(value, tuple) else (value,))
                 if isinstance(item, LayerDef))


def traits(name: str) -> FrozenSet[str]:
    """The traits (``spec.TRAITS``) of the layer class ``name``; none for a name the catalogue does not know."""
    spec = _REGISTRY.get(name)
    return spec.traits if spec is not None else frozenset()


def with_trait(*wanted: str) -> FrozenSet[str]:
    """The class names of the layers with any of the traits ``wanted``."""
    return frozenset(spec.name for spec in specs() if spec.traits & set(wanted))


def known_layers_export(name: str) -> bool:
    """Is ``name`` something the analysis knows ``keras.layers`` to hold (a catalogue layer, a layer function, a
    name left out on purpose, a Keras 1 merge function)? tests/test_catalogue_exports.py checks that every
    export of Keras 3.15 is, so a name that is none of them is not an export."""
    from . import legacy

    return lookup(name) is not None or name in LAYER_FUNCTIONS or name in unknown.NOT_LAYERS or \
        name in unknown.LEFT_UNKNOWN or f"keras.layers.{name}" in legacy.MERGE_PATHS


def operation(name: str) -> Optional[LayerSpec]:
    """The spec for an operation class on tensors (``Add`` for ``x + y``, ``Mean``), or None."""
    return ops.SPECS.get(name)


def specs() -> Iterable[LayerSpec]:
    seen = set()
    for spec in _REGISTRY.values():
        if spec.name not in seen:
            seen.add(spec.name)
            yield spec


def snake_case(name: str) -> str:
    """Keras's ``to_snake_case``: the prefix of auto-generated layer names (cached: a file names the same
    classes again and again)."""
    snake = _SNAKE.get(name)
    if snake is None:
        if len(_SNAKE) > 4096:
            _SNAKE.clear()
        snake = _SNAKE[name] = _snake_case(name)
    return snake


_SNAKE: Dict[str, str] = {}


def _snake_case(name: str) -> str:
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()
