"""What a rule is: a code, a name, a severity, docs, examples, and a check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Dict, FrozenSet, Iterable, Iterator, List, Mapping, Optional, Tuple, Type

from ..catalogue import errors
from ..ir import UNKNOWN_NAME, Diagnostic, FileIR, LayerDef, LayerResult, ModelResult, Node, Problem, Span
from ..noqa import Suppressions

SEVERITIES = ("error", "warning", "info")


@dataclass(eq=False, repr=False)  # (never compared: it holds the file's IR, tree and options)
class RuleContext:
    """Everything a rule may read about one file. Rules compute; they never format."""

    path: str
    ir: FileIR
    models: Tuple[ModelResult, ...]
    options: Mapping[str, Any] = field(default_factory=dict)
    #: The file's noqa comments.
    suppressions: Optional[Suppressions] = None
    #: For rules that run after the others (``Rule.AFTER_OTHERS``): the others' findings before
    #: noqa, and the codes of the rules that ran.
    findings: Tuple[Diagnostic, ...] = ()
    ran: FrozenSet[str] = frozenset()
    #: The file's text, for rules that read what the IR leaves unknown (``tf.nn.relu``, an optimizer).
    source: str = ""
    #: CPython's tree of that text, parsed once by the extract stage (None where it could not be parsed).
    tree: Any = None

    def option(self, rule: "Rule", key: str) -> Any:
        return self.options.get(key, rule.OPTIONS[key][0])


class Rule:
    """Subclass with the class attributes below and a ``check`` generator.

    ``DOC`` is Markdown with the sections *What it does*, *Why is this bad?*,
    *Example* and *Use instead* (as ruff's rule pages). ``VALID`` and ``INVALID``
    are complete source files; the test suite runs every one of them.
    """

    CODE: ClassVar[str] = ""
    NAME: ClassVar[str] = ""
    SEVERITY: ClassVar[str] = "warning"
    SUMMARY: ClassVar[str] = ""
    DOC: ClassVar[str] = ""
    VALID: ClassVar[List[str]] = []
    INVALID: ClassVar[List[str]] = []
    #: Off unless selected (opt-in style rules).
    DEFAULT_ENABLED: ClassVar[bool] = True
    #: Options this rule reads from configuration: ``{key: (default, help)}``.
    OPTIONS: ClassVar[Dict[str, Tuple[Any, str]]] = {}
    #: Runs after the other rules and reads their findings (``RuleContext.findings``).
    AFTER_OTHERS: ClassVar[bool] = False
    #: Advice on how a layer is written (not an error Keras raises): a warning or note about a layer of a model that
    #: a builder of another project file makes whole is left to that file (the analysis reports it there), not
    #: repeated at the call in this file that reached it (``written_elsewhere``).
    LAYER_ADVICE: ClassVar[bool] = False

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        raise NotImplementedError

    def report(self, span: Span, message: str) -> Diagnostic:
        return Diagnostic(self.CODE, self.SEVERITY, message, span)


def written_elsewhere(ctx: "RuleContext") -> FrozenSet[Span]:
    """Spans that stand only for layers of models another project file builds whole (``VGG16()`` imported from the
    project's models.py), or for a keras.applications model's layers: the calls in this file that reached them. A
    model this file builds from a wrapper of another file (``self.Dense(x, 4096)`` after its own Flatten) is this
    file's design: its layers are kept."""
    here = {layer.span for layer in ctx.ir.layers if not layer.elsewhere and layer.type != "InputLayer" and
            layer.kwarg("application_layer") is None}
    # A keras.applications model's own layers, wherever the code puts them (`for layer in base.layers[:-1]:
    # model.add(layer)`): Keras's design, at the application's call.
    out = {layer.span for layer in ctx.ir.layers if layer.kwarg("application_layer") is not None}
    for model in ctx.models:
        layers = [row.layer for row in model.rows if row.layer.type != "InputLayer"]  # (Keras's, or an Input)
        if layers and all(layer.elsewhere for layer in layers):
            out.update(layer.span for layer in layers)
    return frozenset(out - here)


def named(layer: Any) -> str:
    """A layer as a message names it: its Keras name, or ``the Conv2D`` where the name is not known (``?``, after
    code that may or may not make layers)."""
    return f"the {layer.type}" if layer.name == UNKNOWN_NAME else layer.name


def titled(layer: Any) -> str:
    """A layer as a message starts with it: ``conv1 (Conv2D)``, or ``Conv2D`` where its name is not known."""
    return layer.type if layer.name == UNKNOWN_NAME else f"{layer.name} ({layer.type})"


def row_span(model: ModelResult, row: LayerResult) -> Span:
    """Where to report a finding about a layer: its call in a functional or subclassed model, else its constructor."""
    if row.node is not None and model.model.kind in ("functional", "subclassed"):
        return row.node.span
    return row.layer.span


def problem_rows(models: Iterable[ModelResult], kind: Type[errors.ShapeError]) -> Iterator[Tuple[ModelResult,
                                                                                                  LayerResult]]:
    """Rows whose layer fails with an error of ``kind`` (a class of catalogue/errors.py, matched as a class), each
    failing layer once per file."""
    seen = set()
    for model in models:
        for row in model.rows:
            problem = row.problem
            if problem is None or not problem.error:
                continue  # (errors.kind_of's first test, inline: most rows have no problem)
            found = errors.kind_of(problem)
            if found is None or not issubclass(found, kind):
                continue
            # Application models stand in one row each, all with uid -1: their span tells them apart.
            key = (row.layer.uid, row.layer.span)
            if key not in seen:
                seen.add(key)
                yield model, row


@dataclass(frozen=True)
class OrphanRow:
    """A layer the file surely makes that no model's rows hold (called on what the analysis does not know, or
    never): ``problem`` is the error Keras's constructor raises on its arguments whatever its input."""

    layer: LayerDef
    problem: Problem


def orphan_problems(ctx: RuleContext, kind: Type[errors.ShapeError]) -> Iterator[OrphanRow]:
    """Layers made on every way to them, outside any ``try`` (``FileIR.surely_made``), that no model's rows hold
    and whose constructor Keras rejects with an error of ``kind``."""
    from ..infer import constructor_error

    if not ctx.ir.surely_made:
        return
    in_rows = {row.layer.uid for model in ctx.models for row in model.rows}
    for layer in ctx.ir.layers:
        if layer.uid in ctx.ir.surely_made and layer.uid not in in_rows and layer.known and layer.submodel is None:
            problem = constructor_error(layer)
            found = errors.kind_of(problem) if problem is not None and problem.error else None
            if found is not None and issubclass(found, kind):
                yield OrphanRow(layer, problem)


def sequence_known(model: ModelResult) -> bool:
    """False for a Sequential model whose list of layers the analysis could not follow to the end
    (an element that is not a known layer, a loop over an unknown range): its rows leave gaps, and
    two rows next to each other may not be next to each other in the model."""
    return model.model.kind != "sequential" or model.model.unresolved is None


#: The methods whose first call builds a model that has no input shape.
_BUILDING_CALLS = frozenset(("fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch"))


def built_after_unknown_data(model: ModelResult) -> bool:
    """Was ``model`` (no input shape declared) built by a data call that came after one whose data the analysis
    could not follow (``fit(tf.expand_dims(x, -1), y)``, then ``predict(x)``)? Keras built it at that first call,
    on data of a shape not known: the shapes the later call gave it are not the model's."""
    m = model.model
    if not m.implicit_input or not model.inputs or not all(isinstance(i, tuple) and i and i[0] is not None
                                                           for i in model.inputs):
        return False  # declared inputs (batch None), or not built by a call's data
    for call in m.data_calls:
        if call.method in _BUILDING_CALLS:
            return call.x is None and call.xs is None
    return False


_READERS: Dict[int, Tuple[Any, Any, Dict[int, List[int]]]] = {}


def readers(ctx: RuleContext, model: ModelResult) -> Dict[int, List[int]]:
    """Row index → the rows that read its output, with -1 for the model's output. Needs no shapes:
    a Sequential model's rows read the one before; a functional model's follow its nodes. (Kept for the last few
    models asked about, as rules ask per row: read it, do not change it.)"""
    hit = _READERS.get(id(model))
    if hit is not None and hit[0] is model and hit[1] is ctx:
        return hit[2]
    out = _readers(ctx, model)
    if len(_READERS) > 64:
        _READERS.clear()
    _READERS[id(model)] = (model, ctx, out)
    return out


def _readers(ctx: RuleContext, model: ModelResult) -> Dict[int, List[int]]:
    out: Dict[int, List[int]] = {}
    if not sequence_known(model):
        return out
    if model.model.kind == "sequential":
        for i in range(len(model.rows)):
            out[i] = [i + 1] if i + 1 < len(model.rows) else [-1]
        return out
    if model.model.kind != "functional":
        return out
    index = {row.layer.uid: i for i, row in enumerate(model.rows)}
    by_layer = _nodes_by_layer(ctx.ir)
    for nid in sorted(n for uid in index for n in by_layer.get(uid, ())):  # in the file's order, as before
        node = ctx.ir.nodes[nid]
        for ref in node.parents:
            source = index.get(ctx.ir.node(ref.node).layer)
            if source is not None and index[node.layer] not in out.get(source, ()):
                out.setdefault(source, []).append(index[node.layer])
    for ref in model.model.outputs:
        source = index.get(ctx.ir.node(ref.node).layer)
        if source is not None:
            out.setdefault(source, []).append(-1)
    return out


_BY_LAYER: List[Any] = [None, {}]


def _nodes_by_layer(ir: FileIR) -> Dict[int, List[int]]:
    """Layer uid → the positions of its nodes in ``ir.nodes``, for the last file asked about (a file with many
    functional models would otherwise walk all its nodes once per model)."""
    if _BY_LAYER[0] is not ir:
        index: Dict[int, List[int]] = {}
        for i, node in enumerate(ir.nodes):
            index.setdefault(node.layer, []).append(i)
        _BY_LAYER[:] = [ir, index]
    return _BY_LAYER[1]


def row_index(model: ModelResult, row: LayerResult) -> int:
    """``model.rows.index(row)`` without comparing whole rows field by field (quadratic on a big graph): a row
    equal to ``row`` has ``row``'s layer, so rows of other layers are passed by their uid."""
    uid = row.layer.uid
    rows = model.rows
    for i in _rows_by_uid(rows).get(uid, ()):  # (the rows of that layer, in order: only they can be ``row``)
        other = rows[i]
        if other is row or other == row:
            return i
    raise ValueError("row not in model")


_ROWS_BY_UID: Dict[int, Tuple[Any, Dict[int, List[int]]]] = {}


def _rows_by_uid(rows: Tuple[LayerResult, ...]) -> Dict[int, List[int]]:
    """Each layer uid → the positions of its rows in ``rows``, in order; kept for the last few models (rules ask
    per row)."""
    def make(rows: Tuple[LayerResult, ...]) -> Dict[int, List[int]]:
        index: Dict[int, List[int]] = {}
        for i, other in enumerate(rows):
            index.setdefault(other.layer.uid, []).append(i)
        return index

    return _kept_for_rows(_ROWS_BY_UID, rows, make)


def _kept_for_rows(table: Dict[int, Tuple[Any, Any]], rows: Tuple[LayerResult, ...], make: Any) -> Any:
    """``make(rows)``, kept in ``table`` for the last few tuples of rows asked about (only what cannot change is
    kept: a list of rows is not)."""
    hit = table.get(id(rows))
    if hit is not None and hit[0] is rows:
        return hit[1]
    value = make(rows)
    if type(rows) is not tuple:
        return value
    if len(table) > 64:
        table.clear()
    table[id(rows)] = (rows, value)
    return value


def upstream(ctx: RuleContext, model: ModelResult, index: int) -> Optional[LayerResult]:
    """The row feeding row ``index`` (single-input layers only), or None."""
    row = model.rows[index]
    if not sequence_known(model):
        return None
    if model.model.kind == "sequential":
        return model.rows[index - 1] if index > 0 else None
    if row.node is None or len(row.node.inputs) != 1:
        return None
    parent: Node = ctx.ir.node(row.node.inputs[0].node)
    return _first_rows(model.rows).get(parent.layer)


_FIRST_ROWS: Dict[int, Tuple[Tuple[LayerResult, ...], Dict[int, LayerResult]]] = {}


def _first_rows(rows: Tuple[LayerResult, ...]) -> Dict[int, LayerResult]:
    """The first row of each layer (by uid) among ``rows``; kept for the last few models (rules ask per row)."""
    def make(rows: Tuple[LayerResult, ...]) -> Dict[int, LayerResult]:
        first: Dict[int, LayerResult] = {}
        for other in rows:
            first.setdefault(other.layer.uid, other)
        return first

    return _kept_for_rows(_FIRST_ROWS, rows, make)
