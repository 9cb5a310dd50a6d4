"""The Keras graph a file builds: layers, nodes, models, Keras's names, masks and trainable flags.

The interpreter (extract/interpreter.py and its mixins) is a Python evaluator: scopes, statements,
expressions, calls, modules. Everything it learns about Keras objects it keeps here, in one
:class:`Graph` (``interpreter.graph``), which knows nothing of syntax trees, scopes or steps.

What the evaluator asks of the graph:

- its state, read and appended to by the Keras-call mixins (keras_calls.py, classes.py, ops_calls.py,
  masks.py, live.py): ``layers`` (``LayerDef`` by uid), ``nodes`` (``Node`` by id), ``models``
  (``ModelBuilder`` by index), ``lambda_functions``, ``masks``, ``layer_calls``, and the model whose
  ``call``/``build`` is being run (``tracing``, ``building``);
- Keras's names: ``auto_name(type_name)`` / ``auto_name_prefix(prefix)`` count them as Keras does
  (``dense``, ``dense_1``...);
- shapes of what is built so far: ``live_shapes()`` (an incremental infer context over the graph) and
  ``model_def(b)`` (a ``ModelDef`` of a model under construction);
- trainable flags: ``set_trainable(obj, flag)``, ``set_layer_trainable``, ``set_model_trainable``,
  ``model_layers``/``held_layers`` (what a model holds), the flags loops not run may have set
  (``uncertain_flags``, then ``settle_uncertain_flags()`` at the end), and ``trainable_unknown`` (the
  file's split is not known);
- undecided branches: ``trainable_mark()`` before them, ``trainable_undo(mark, start)`` after each
  (``start``: ``len(flag_log)`` when it began), ``trainable_merge`` after all, ``trainable_done()``;
- functions run with their default arguments: ``mark()``/``undo(mark)`` (what a run added to the graph)
  and ``snapshot()``/``restore(saved)`` (models' contents and every flag, as the script left them).

What the graph needs back: nothing but its arguments. Every reason (an ``Unknown`` with its span) is
made by the evaluator and handed in; the evaluator charges the cost of reading every flag
(``flag_cost()``) against its step limit before ``trainable_flags``/``trainable_mark``/``trainable_undo``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ..ir import LayerDef, Node, TensorRef, Unknown
from .values import ModelBuilder


class Graph:
    """The Keras objects a file makes, as the interpreter runs it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.layers: List[LayerDef] = []
        self.nodes: List[Node] = []
        self.models: List[ModelBuilder] = []
        #: Keras's name counters, by prefix (``dense`` → 2 after ``dense`` and ``dense_1``).
        self.name_counts: Dict[str, int] = {}
        self.layer_calls = 0
        #: Lambda layers without ``output_shape=``: their function and ``arguments=`` (traced at each call).
        self.lambda_functions: Dict[int, Tuple[Any, Any]] = {}
        #: The Keras mask of each masked tensor: a Tensor, or Unknown (extract/masks.py).
        self.masks: Dict[TensorRef, Any] = {}
        #: The subclassed model whose ``call`` is being run, if any.
        self.tracing: Optional[ModelBuilder] = None
        #: The custom layer whose ``build`` is running (Keras runs it once, before the first call: the layers it
        #: makes are made once, unlike those a traced ``call`` makes).
        self.building: Optional[ModelBuilder] = None
        #: Why the file's trainable split is not known (flags set where the analysis cannot follow), or None.
        self.trainable_unknown: Optional[Unknown] = None
        #: While undecided branches that may set trainable flags run (``trainable_mark``): each layer flag
        #: written, as (uid, the flag it held), so that a branch's writes are undone without reading every flag.
        self.flag_log: List[Tuple[int, Any]] = []
        self.flag_logging = 0
        #: Layers whose trainable flags a loop not run may have set, the model it looped over, and why.
        self.uncertain_flags: List[Tuple[set, Optional[ModelBuilder], Unknown]] = []
