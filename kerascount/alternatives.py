"""The ways through conditions the analysis cannot decide (issue 12, item 4).

``if len(sys.argv) > 1: x = Dense(64)(x) else: x = Dense(16)(x)``: the analysis runs both branches and keeps
what they agree on; a model they build differently is unknown, with "depends on the condition" as its reason.
Here the file is run again with the interpreter told which way that condition goes (``Interpreter.forced``),
once for each way, and a model each run builds completely gets what it is on each way as its ``alternatives``:
3,393 params when `len(sys.argv) > 1` (line 4) holds, 1,217 when it does not. Where a forced run leaves the
model waiting on a further condition (an ``elif``), that one is taken both ways in turn. An ``if``/``elif`` chain
that compares one name with different constants (``if model_name == 'cnn': ... elif model_name == 'lstm': ...``,
a builder's switch) is one decision: each way makes one test hold and the others not (at most one can hold), and
one way makes none hold; the way is named by the test that holds.

Only a test that the runs making the model evaluate exactly once is taken: a test evaluated several times (in a
loop, in a builder called twice) may hold on one evaluation and not on another, which one forced value for all of
them would not show. Those runs are the script's and, for a model a function nothing calls builds, that function's
run with its default arguments (each such run starts from the state the script left and is undone after it): a
helper two such builders call is met once by each. Each way's numbers are then what Keras builds when the program
goes that way (or the error it raises there; a way that does not make the model, such as one that raises before
it, is left out); which way a given machine goes is left to the reader. When every way builds the model with the
same counts (its layers differ only where no weight depends on them: a Lambda's stated shape, a Dropout's rate),
those counts are the model's, whichever way the program goes; its rows stay as the first run left them. The file
is run again at most :data:`MAX_RUNS` times, within
:data:`MAX_STEPS` interpreter steps in all, and a way holds at most :data:`MAX_DEPTH` conditions; past that a model
keeps its plain unknown.

A tuner's pick the analysis reads as a symbol (``hp.Int("num_layers", 1, 3)``, ``trial.suggest_categorical(
"kernel_size", [3, 5])``) whose values are known and few is taken the same way, once for each value, when a model's
reasons name it (a loop ``for i in range(hp.Int("num_layers", 1, 3))``, a kernel size): the tuner gives every call of
that name the same value, so one value for all its evaluations is one trial's model. The way reads
``hp.Int('num_layers') == 2``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from typing import Any, Callable, Dict, List, Optional, Sequence, Set, Tuple

from .infer import REJECTED
from .ir import Alternative, Diagnostic, FileIR, ModelResult, SymbolOrigin
from .symbolic import symbol_names

#: Runs of a file with some conditions forced (each a whole run of the interpreter).
MAX_RUNS = 12
#: Interpreter steps all those runs may take together (a run that would pass them is given up): about a third of a
#: second, whatever the machine's load.
MAX_STEPS = 100_000
#: Conditions one way may force.
MAX_DEPTH = 3
#: The reason a model gets from an undecided condition (interpreter.py, ``exec_If`` and ``eval_IfExp``), or from an
#: import that may fail (``exec_try_import``): the test's text and line.
_CONDITION = re.compile(r"depends on (?:the condition `([^`]*)`(?: \(line (\d+)\))?|whether `([^`]*)` succeeds on the "
                        r"machine that runs it \(line (\d+)\))")
#: The codes of the analysis's notes on itself (KC901 unresolved model...), not findings on the code.
_NOTES = "KC9"

#: The conditions a run was told to take, in the order they were added: (id of the test's node, holds), or a tuner's
#: pick and its value (the symbol's name, the int).
Forced = Tuple[Tuple[Any, Any], ...]
Key = Tuple[Any, ...]


def with_alternatives(ir: FileIR, models: Tuple[ModelResult, ...], source: str,
                      infer: Callable[[FileIR], Sequence[ModelResult]]
                      ) -> Tuple[Tuple[ModelResult, ...], Optional["_Runs"]]:
    """``models`` (the file's, from ``ir``), those an undecided condition left unknown given what each way gives;
    and the runs made for them (None: none), whose :meth:`_Runs.common_findings` the rules read."""
    keys = _keys(models)
    waiting = [i for i, m in enumerate(models) if keys[i] is not None and (_undecided(m) or _picks(ir, m))]
    if not waiting or not (ir.conditions or ir.picks) or ir.tree is None:
        return models, None
    runs = _Runs(ir, models, source, infer)
    out = list(models)
    for i in waiting:
        found = runs.explore(keys[i], ())  # type: ignore[arg-type]
        if found and any(a.error is None for a, _ in found):
            out[i] = replace(out[i], alternatives=tuple(a for a, _ in found),
                             symbols=_merged((out[i].symbols, *(s for _, s in found))),
                             **runs.agreed(keys[i], [a for a, _ in found]))  # type: ignore[arg-type]
    return tuple(out), runs


class _Runs:
    """The file's runs, by the conditions forced in them (the first run: none), made once each."""

    def __init__(self, ir: FileIR, models: Sequence[ModelResult], source: str,
                 infer: Callable[[FileIR], Sequence[ModelResult]]) -> None:
        self.source = source
        self.infer = infer
        self.first = ir
        #: Each run's IR and models (in the order infer gives them), or None for a run given up.
        self.done: Dict[Forced, Optional[Tuple[FileIR, Tuple[ModelResult, ...]]]] = {(): (ir, tuple(models))}
        self.made = self.spent = 0
        #: The model each way that told what a model is made, by the model's key, in the order of its ways.
        self.way_models: Dict[Key, List[ModelResult]] = {}
        #: The tests of each switch chain of the file (``_switches``), by the id of each test's node.
        self.chains: Dict[int, Tuple[Any, ...]] = _switches(ir.tree)

    def agreed(self, key: Key, ways: Sequence[Alternative]) -> Dict[str, Any]:
        """The counts of the model ``key`` when every way through the conditions (``ways``, all of them) builds it
        with the same ones (the ways differ only in shapes or layers that hold no weights: a Lambda's stated shape
        with a size or None): its total, trainable and non-trainable counts and their status, which hold whichever
        way the program goes; nothing (an empty dict) when they differ, a way raises or does not build it, or a
        way's counts assume sizes equal (``ModelResult.assumes``) or hold a symbol that another way made elsewhere
        (symbols are named in the order a run makes them: the same name may be another size there)."""
        made = self.way_models.get(key, [])
        if len(made) != len(ways) or any(a.error is not None or a.unbuilt for a in ways) or \
                any(m.assumes for m in made) or len({(a.total, a.trainable, a.non_trainable) for a in ways}) != 1 or \
                len({(m.param_bytes, m.bytes_per_param, m.bytes_unknown) for m in made}) != 1:
            return {}
        first = made[0]
        named = set(symbol_names(first.total)) | set(symbol_names(first.trainable)) | \
            set(symbol_names(first.non_trainable))
        origins = [frozenset(s for s in m.symbols if s.name in named) for m in made]
        if named and (len(set(origins)) != 1 or {s.name for s in origins[0]} != named):
            return {}  # (a symbol of one name made elsewhere on another way: not the same size)
        return dict(total=first.total, trainable=first.trainable, non_trainable=first.non_trainable,
                    status=first.status, param_bytes=first.param_bytes, bytes_per_param=first.bytes_per_param,
                    bytes_unknown=first.bytes_unknown)

    def common_findings(self, found: Sequence[Diagnostic],
                        check: Callable[[FileIR, Tuple[ModelResult, ...]], Sequence[Diagnostic]]
                        ) -> Tuple[Diagnostic, ...]:
        """``found`` (the first run's findings) and those the rules (``check``) give on both ways of a condition
        this object ran both ways of: each run judges the program on its way only, so a finding both give, the
        same at the same place, holds whichever way the program goes (a ``Dense(1, activation="softmax")`` after
        an ``if`` whose branches differ). Not the analysis's own notes (KC9xx: what the first run could not
        follow is said there), nor a finding of a rule the first run already gives at that place."""
        out = list(found)
        have = {(d.code, d.span, d.message) for d in found}
        places = {(d.code, d.span) for d in found}
        for forced in [k for k in self.done if len(k) == 1 and k[0][1]]:
            yes, no = self.done[forced], self.done.get(((forced[0][0], False),))
            if yes is None or no is None or not all(_evaluated_once(run[0], forced[0][0]) for run in (yes, no)):
                continue  # (a test evaluated several times: one value for all of them is not a way of the program)
            theirs = {(d.code, d.span, d.message) for d in check(*no)}
            for d in check(*yes):
                key = (d.code, d.span, d.message)
                if key in theirs and key not in have and (d.code, d.span) not in places and \
                        not d.code.startswith(_NOTES):
                    have.add(key)
                    out.append(d)
        out.sort(key=lambda d: (d.span.line, d.span.column, d.code))
        return tuple(out)

    def run(self, forced: Forced) -> Optional[Tuple[FileIR, Tuple[ModelResult, ...]]]:
        key = tuple(sorted(forced, key=repr))
        if key in self.done:
            return self.done[key]
        if self.made >= MAX_RUNS or self.spent + self.first.steps > MAX_STEPS:
            return None  # (another run would take about as many steps as the first)
        self.made += 1
        from .extract import Limits, extract_way

        got = extract_way(self.first, self.source, dict(forced), replace(Limits(), steps=MAX_STEPS - self.spent))
        self.spent = MAX_STEPS if got is None else self.spent + got.steps
        # (a limit met: None; whether a forced test was evaluated once in all is judged for each model, by the runs
        # that made it: `once`)
        found = None if got is None else (got, tuple(m for m in self.infer(got) if not m.model.custom_layer))
        self.done[key] = found
        return found

    def explore(self, key: Key, forced: Forced, depth: int = 0
                ) -> Optional[List[Tuple[Alternative, Tuple[SymbolOrigin, ...]]]]:
        """What the model ``key`` is on every way through the conditions from ``forced`` on (with where the
        symbols of its numbers there come from), or None if one way does not tell. ``depth``: the decisions
        ``forced`` holds (a switch chain's tests are one)."""
        got = self.run(forced)
        if got is None:
            return None
        ir, models = got
        m = _by_key(models).get(key)
        if m is not None and not all(type(k) is not int or self.implied(k, forced) or _once(c, m) for k, _ in forced
                                     for c in [_condition(ir, k)]):
            return None  # (a forced test the runs that made the model evaluated another number of times)
        if m is None:
            return [] if forced else None  # (a way that does not make the model: a `raise` before it)
        way = self.way(forced)
        if way is None:
            return None
        if forced:
            done = _alternative(m, way)
            if done is not None:
                self.way_models.setdefault(key, []).append(m)
                return [(done, m.symbols)]
        if depth >= MAX_DEPTH:
            return None
        taken = {k for k, _ in forced}
        test = next((c for c in _tests(ir, m) if _once(c, m) and id(c[0]) not in taken), None) if _undecided(m) \
            else None
        steps: List[Forced]
        if test is not None:
            chain = self.switch(ir, m, test, taken)
            steps = [tuple((id(t), t is holds) for t in chain) for holds in (*chain, None)] if chain else \
                [((id(test[0]), holds),) for holds in (True, False)]
        else:
            pick = next((p for p in _picks(ir, m) if p[0] not in taken), None)
            if pick is None:
                return None
            steps = [((pick[0], value),) for value in pick[2]]
        ways: List[Tuple[Alternative, Tuple[SymbolOrigin, ...]]] = []
        for step in steps:
            found = self.explore(key, (*forced, *step), depth + 1)
            if found is None:
                return None
            ways.extend(found)
        return ways

    def switch(self, ir: FileIR, m: ModelResult, test: Tuple[Any, ...], taken: Set[Any]) -> Tuple[Any, ...]:
        """The tests of the switch chain ``test`` is in (``_switches``), when none is forced yet and the runs that
        made ``m`` met each at most once (a run with both ways of many tests may not reach the last ones); else
        ()."""
        chain = self.chains.get(id(test[0]), ())
        met = {id(c[0]): c for c in ir.conditions}
        if not chain or any(id(t) in taken or id(t) in met and not _once(met[id(t)], m) for t in chain):
            return ()
        return chain

    def implied(self, key: Any, forced: Forced) -> bool:
        """Whether ``forced`` makes the test ``key`` not hold only because another test of its switch chain holds
        there (the run does not evaluate it: an ``elif`` after the one taken, or a test before it that cannot
        hold)."""
        chain = self.chains.get(key) if type(key) is int else None
        return chain is not None and (key, False) in forced and any((id(t), True) in forced for t in chain)

    def way(self, forced: Forced) -> Optional[Tuple[Tuple[str, int, bool], ...]]:
        """The conditions of ``forced`` as the report names them (their text and line, from the first run that
        left each undecided); of a switch chain whose one test holds, only that test."""
        named: Dict[Any, Tuple[str, int]] = {}
        for ir, _ in filter(None, self.done.values()):
            for c in ir.conditions:
                named.setdefault(id(c[0]), (c[1], c[2]))
            for name, line, _values in ir.picks:
                named.setdefault(name, (name, line))
        said = [(k, holds) for k, holds in forced if not self.implied(k, forced)]
        out: List[Tuple[str, int, bool]] = []
        for k, holds in said:
            chain = self.chains.get(k) if type(k) is int else None
            if chain is not None and all((id(t), False) in forced for t in chain):
                if k == id(chain[0]):  # no test of the switch holds: one entry, `model_name not in ('cnn', 'lstm')`
                    cases = [_case(t) for t in chain]
                    out.append((f"{ast.unparse(_subject(chain[0]))} not in ({', '.join(repr(c[1]) for c in cases)})",
                                chain[0].lineno, True))
                continue
            if k not in named:
                return None
            out.append((*named[k], holds) if type(k) is int else (f"{named[k][0]} == {holds}", named[k][1], True))
        return tuple(out)


def _switches(tree: Any) -> Dict[int, Tuple[Any, ...]]:
    """The ``if``/``elif`` chains of ``tree`` whose tests all compare one name (or attribute of names) for equality
    with a constant, different constants of one kind (str or int): at most one test of such a chain holds. Each
    test's node id gives the chain's tests, in order."""
    out: Dict[int, Tuple[Any, ...]] = {}
    if tree is None:
        return out
    inner = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.If) or id(node) in inner:
            continue
        tests, link = [], node
        while True:
            tests.append(link.test)
            if len(link.orelse) != 1 or not isinstance(link.orelse[0], ast.If):
                break
            link = link.orelse[0]
            inner.add(id(link))
        cases = [_case(t) for t in tests]
        if len(tests) < 2 or any(c is None for c in cases) or len({c[0] for c in cases}) != 1 or \
                len({type(c[1]) for c in cases}) != 1 or len({c[1] for c in cases}) != len(cases):
            continue
        for t in tests:
            out[id(t)] = tuple(tests)
    return out


def _case(test: Any) -> Optional[Tuple[str, Any]]:
    """(the subject's text, the constant) of a test ``subject == constant`` (either side), the subject a name or an
    attribute of names and the constant a str or an int (not a bool); else None."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return None
    subject = _subject(test)
    if subject is None:
        return None
    other = test.comparators[0] if subject is test.left else test.left
    return ast.dump(subject), other.value


def _subject(test: Any) -> Any:
    """The name compared with a constant in the test ``subject == constant`` that ``_case`` reads; else None."""
    for subject, other in ((test.left, test.comparators[0]), (test.comparators[0], test.left)):
        value = other.value if isinstance(other, ast.Constant) else None
        if type(value) in (str, int) and _plain_subject(subject):
            return subject
    return None


def _plain_subject(node: Any) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _condition(ir: FileIR, key: Any) -> Optional[Tuple[Any, ...]]:
    """The condition of ``ir`` whose test's node has the id ``key`` (None: the run did not meet it)."""
    return next((c for c in ir.conditions if id(c[0]) == key), None)


def _evaluated_once(ir: FileIR, key: Any) -> bool:
    """Whether the run of ``ir`` evaluated the test of id ``key`` exactly once (a tuner's pick: always)."""
    if type(key) is not int:
        return True
    c = _condition(ir, key)
    return c is not None and c[3] == 1


def _once(c: Optional[Tuple[Any, ...]], m: ModelResult) -> bool:
    """Whether the runs that made ``m`` evaluated the test of the condition ``c`` exactly once: the script's run, and
    for a model a function nothing calls made, that function's run too (each such run starts from the state the
    script left and is undone after it, so another one's evaluations do not reach this model)."""
    if c is None:
        return False
    run = m.model.run_of
    if run is None:
        return c[3] == 1
    by_run = dict(c[4])
    return by_run.get(None, 0) + by_run.get(run, 0) == 1


def _merged(groups: Sequence[Tuple[SymbolOrigin, ...]]) -> Tuple[SymbolOrigin, ...]:
    """The symbol origins of the ways, each name once (the first record), in the order first met."""
    seen: Dict[str, SymbolOrigin] = {}
    for group in groups:
        for s in group:
            seen.setdefault(s.name, s)
    return tuple(seen.values())


def _undecided(m: ModelResult) -> bool:
    return m.status == "unknown" and not m.failed and any(_CONDITION.search(r) for r in m.reasons)


def _picks(ir: FileIR, m: ModelResult) -> List[Tuple[str, int, Tuple[int, ...]]]:
    """The tuner's picks of ``ir`` with few known values that the reasons of unknown ``m`` name (``hp.Int('num_layers')``
    in "how many numbers it gives depends on a symbol (`hp.Int('num_layers')`)"), in the order the run made them."""
    if m.status != "unknown" or m.failed or not ir.picks:
        return []
    said = " ".join(m.reasons)
    return [p for p in ir.picks if p[0] in said]


def _tests(ir: FileIR, m: ModelResult) -> List[Tuple[Any, str, int, int]]:
    """The conditions of ``ir`` the reasons of ``m`` name: by text and line; or by text alone, where the run met
    one test of that text (a test in another module of the project: the reason gives its line there)."""
    named = _named(m)
    texts = {text for text, _ in named}
    count: Dict[str, int] = {}
    for c in ir.conditions:
        count[c[1]] = count.get(c[1], 0) + 1
    return [c for c in ir.conditions if (c[1], c[2]) in named or (c[1], None) in named or
            c[1] in texts and count[c[1]] == 1]


def _named(m: ModelResult) -> Set[Tuple[str, Optional[int]]]:
    """The conditions the reasons of ``m`` say it depends on: (text, line), the line None where not given."""
    out: Set[Tuple[str, Optional[int]]] = set()
    for r in m.reasons:
        for found in _CONDITION.finditer(r):
            text, line = (found.group(1), found.group(2)) if found.group(1) is not None else found.group(3, 4)
            out.add((text, int(line) if line else None))
    return out


def _key(m: ModelResult) -> Key:
    d = m.model
    return (d.name, d.kind, d.span.line, d.span.column, d.from_defaults)


def _keys(models: Sequence[ModelResult]) -> List[Optional[Key]]:
    """Each model's key, None where two models share it (no way to tell which is which in another run)."""
    count: Dict[Key, int] = {}
    for m in models:
        count[_key(m)] = count.get(_key(m), 0) + 1
    return [_key(m) if count[_key(m)] == 1 else None for m in models]


def _by_key(models: Sequence[ModelResult]) -> Dict[Key, ModelResult]:
    return {k: m for k, m in zip(_keys(models), models) if k is not None}


def _alternative(m: ModelResult, way: Tuple[Tuple[str, int, bool], ...]) -> Optional[Alternative]:
    """What ``m`` (a model of the run that takes ``way``) is on that way: its counts, the error Keras raises, or
    None when that run does not know it either."""
    if m.failed:
        errors = [r[len(REJECTED):] for r in m.reasons if r.startswith(REJECTED)]
        if not errors or len(errors) != len(m.reasons):
            return None
        return Alternative(way, None, None, None, errors[0])
    if m.status == "unbuilt":
        return Alternative(way, None, None, None, unbuilt=True)
    if m.status not in ("exact", "symbolic") or m.total is None or m.trainable is None or m.non_trainable is None:
        return None
    return Alternative(way, m.total, m.trainable, m.non_trainable)
