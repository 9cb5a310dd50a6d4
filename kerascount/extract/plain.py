"""Plain classes of the analysed code: settings objects and classes that hold a model.

``class Config: filters = 32``, a ``@dataclass``, a ``NamedTuple``, and a class whose ``__init__`` keeps a
model in an attribute (``self.model = Sequential()`` then ``self.model.add(...)`` in another method) are
followed: instances keep their attributes, methods run with ``self`` bound, class attributes are read
through the instance. Any other decorator, a base class that is not one of these, ``@property`` and the
like leave the class (or that member) unknown. An instance handed to code the analysis does not see, or
changed where it does not look (a loop it cannot run, an undecided branch), is unknown from then on.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import ast

from ..ir import Unknown
from .collect import _per_node, _visited
from .values import abstract_left, bind_method, c3_mro, note_changed, Builtin, ClassValue, ExternalRef, Function, ListValue, DictValue, SetValue, ModelBuilder, \
    OpaqueCallable, Partial

_NOT_FOUND = object()
#: What ``set_plain_attribute`` records as the earlier value of an attribute an object did not have.
NOT_FOUND = _NOT_FOUND
#: The fields of a PlainObject its fingerprint reads: a change is logged (values.note_changed).
_WATCHED = frozenset({"attrs", "tainted", "version"})


class DataclassField:
    """``dataclasses.field(default=..., default_factory=..., init=...)`` in a class body (see ``plain_class``)."""

    __slots__ = ("default", "factory", "init")

    def __init__(self, default: Any, factory: Any, init: bool) -> None:
        self.default, self.factory, self.init = default, factory, init


class PlainObject:
    """An instance of a plain class: its attributes, and why they are no longer known (if so)."""

    __slots__ = ("cls", "attrs", "version", "tainted")
    cls: ClassValue
    attrs: Dict[str, Any]
    version: int
    tainted: Optional[Unknown]

    def __init__(self, cls: ClassValue) -> None:
        init = object.__setattr__  # a new object: no change to log
        init(self, "cls", cls)
        init(self, "attrs", {})
        init(self, "version", 0)
        init(self, "tainted", None)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _WATCHED:
            note_changed(self)
        object.__setattr__(self, name, value)


def generated_init(order: List[ClassValue]) -> Optional[ClassValue]:
    """The dataclass whose generated ``__init__`` Python finds first along ``order`` (a method resolution order), or
    None when a class before it writes its own ``__init__`` (or no class of ``order`` is a dataclass)."""
    for c in order:
        if "__init__" in c.members:
            return None
        if c.plain == "dataclass":
            return c
    return None


def _decorator_kind(text: str) -> Optional[str]:
    name = text.split("(", 1)[0].strip()
    return "dataclass" if name in ("dataclass", "dataclasses.dataclass") else None


class PlainClasses:
    """Mixin of :class:`~kerascount.extract.interpreter.Interpreter`."""

    def plain_class(self, node: ast.ClassDef, bases: Tuple[Any, ...], scope: Any, body_scope: Any) -> Any:
        """A plain class (bases: none, ``object``, ``NamedTuple``, other plain classes; no decorator but
        ``@dataclass``), or None when the class is not one."""
        kind = "plain"
        for d in node.decorator_list:
            if _decorator_kind(self.code(d)) != "dataclass":
                return None
            kind = "dataclass"
        is_abc = False
        if node.keywords:
            if len(node.keywords) != 1 or node.keywords[0].arg != "metaclass":
                return None
            meta = self.eval(node.keywords[0].value, scope)
            if not (isinstance(meta, ExternalRef) and meta.path == "abc.ABCMeta"):
                return None  # (a metaclass of its own: not followed)
            is_abc = True
        hooks = _own_names(node) & _ATTRIBUTE_HOOKS
        if hooks == {"__slots__"} and _empty_slots(node) and any(
                isinstance(b, ClassValue) and tuple_base(b) is not None for b in bases):
            hooks = set()  # (`__slots__ = ()` under a namedtuple class: no attribute but the tuple's fields)
        if hooks or any(
                "__init_subclass__" in m.members for b in bases if isinstance(b, ClassValue) for m in b.mro or ()):
            # how its instances' attributes are set, read or deleted is its own code (or fixed slots), or a base's
            # hook runs on the class when it is made: not followed
            return None
        for base, written in zip(bases, node.bases):
            text = self.code(written.value if isinstance(written, ast.Starred) else written)
            if text in ("NamedTuple", "typing.NamedTuple") and not node.decorator_list:
                kind = "namedtuple"
            elif isinstance(base, ClassValue) and base.plain == "testcase" or \
                    not isinstance(base, ClassValue) and text.rsplit(".", 1)[-1] == "TestCase":
                kind = "testcase"  # unittest's (absltest's, tf.test's): its test methods are run as a runner runs them
            elif isinstance(base, ExternalRef) and base.path == "abc.ABC":
                is_abc = True  # (`object` but for its metaclass, ABCMeta)
            elif not (isinstance(base, Builtin) and base.name == "object") and not (
                    isinstance(base, ClassValue) and base.plain):
                return None
        cls = ClassValue(node.name, tuple(b for b in bases if isinstance(b, ClassValue)), plain=kind, node=node)
        cls.unittest_base = any(type(w) is ast.Attribute and w.attr == "TestCase" and type(w.value) is ast.Name and
                                isinstance(m := scope.get(w.value.id), ExternalRef) and m.path == "unittest"
                                for w in node.bases)  # (`class T(unittest.TestCase)`)
        cls.abc = is_abc or any(b.abc for b in cls.bases)
        order = c3_mro(cls)
        if order is None:
            return None  # no consistent method order: Python raises TypeError
        cls.mro = order
        fields: List[str] = [f for b in reversed(cls.bases) for f in b.fields]
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                method = self.method(stmt, cls, scope, body_scope)
                body_scope.set(stmt.name, method)
                if stmt.decorator_list and (isinstance(method, Unknown) or method.kind == "property"):
                    # a property (with a setter: `@width.setter`), or a decorator not followed: what it makes may be a
                    # descriptor, which Python reads and sets before the instance's own attributes
                    cls.descriptors.add(stmt.name)
                if isinstance(method, Function) and method.kind == "static" and scope is scope.module and \
                        not self.importing:
                    # `LeNet.build(width, height, depth, classes)` in a module of builders nothing here calls: run
                    # at the end as an uncalled top-level function is (its parameters are symbols).
                    method.top_level = True
                    self.functions.append(method)
                continue
            self.exec_stmt(stmt, body_scope)
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id not in fields \
                    and kind in ("dataclass", "namedtuple"):
                fields.append(stmt.target.id)  # (a plain subclass's annotations are no fields of its base's __init__)
        cls.members = dict(body_scope.vars)
        if kind == "testcase" and scope is scope.module and not self.importing:
            # `class TestModel(unittest.TestCase): def test_shapes(self): ...`: each test is run at the end on a new
            # instance (after its `setUp`), as the test runner runs it, unless the file calls it
            for name, member in cls.members.items():
                if name.startswith("test") and type(member) is Function and not member.kind:
                    member.top_level, member.probe_class = True, cls
                    self.functions.append(member)
        init = cls.members.get("__init__")
        hyper = kind == "plain" and any(c.plain == "hypermodel" for c in cls.mro)
        if kind == "plain" and type(init) is Function and not init.kind and scope is scope.module and \
                not self.importing and _may_build_models(cls) and not hyper:
            # `class Summarizer: def __init__(self, config): ... self.model = Model(...)` in a module whose classes
            # another file instantiates: run at the end on a new instance, its parameters symbols, as an uncalled
            # top-level function is (unless the file instantiates the class: the run counts as a call).
            init.top_level, init.probe_class = True, cls
            self.functions.append(init)
        build = cls.members.get("build")
        if hyper and type(build) is Function and not build.kind and scope is scope.module and not self.importing \
                and _may_build_models(cls):
            # `class CNNHyperModel(kt.HyperModel): def build(self, hp): ...` handed to a tuner, which calls `build`:
            # run at the end on an instance its `__init__` made, the parameters of both symbols (unless the file
            # calls `build` itself, or makes an instance with arguments the run's defaults may not be:
            # Interpreter.run_uncalled); this run makes the instance its `__init__` probe would
            build.top_level, build.probe_class = True, cls
            self.functions.append(build)
        cls.factories = {n: f for b in reversed(cls.bases) for n, f in b.factories.items()}
        no_init = {n for b in cls.bases for n in b.no_init}
        for name, member in list(cls.members.items()):
            if type(member) is not DataclassField:
                continue
            if kind != "dataclass" or name not in fields:  # a Field object no dataclass reads (Python raises
                # TypeError for one without an annotation in a dataclass)
                cls.members[name] = self.unknown(f"`{name}` is a `dataclasses.field` that is not a dataclass's "
                                                 "annotated field", node)
                continue
            del cls.members[name]  # the class attribute is the default, or none (what @dataclass leaves)
            if member.factory is not _NOT_FOUND:
                cls.factories[name] = member.factory
            elif member.default is not _NOT_FOUND:
                cls.members[name] = member.default
            if not member.init:
                no_init.add(name)
        cls.no_init = frozenset(no_init)
        cls.fields = fields
        return cls

    def dataclass_field(self, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
        """``dataclasses.field(...)``: what ``plain_class`` reads of it, or None (arguments it does not follow:
        ``kw_only=``, an unknown ``init=``)."""
        if args or set(kwargs) - {"default", "default_factory", "init", "repr", "hash", "compare", "metadata"} or \
                type(kwargs.get("init", True)) is not bool or "default" in kwargs and "default_factory" in kwargs:
            return None
        return DataclassField(kwargs.get("default", _NOT_FOUND), kwargs.get("default_factory", _NOT_FOUND),
                              kwargs.get("init", True))

    def dataclass_replace(self, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``dataclasses.replace(obj, **changes)``: a new instance made by the class's ``__init__`` from the fields of
        ``obj`` and the changes, as Python does (its ``__post_init__`` runs again); None when not followed."""
        if len(args) != 1 or not isinstance(args[0], PlainObject) or args[0].cls.plain != "dataclass":
            return None
        obj = args[0]
        if obj.tainted is not None:
            return obj.tainted
        cls = obj.cls
        if set(kwargs) & cls.no_init:
            return self.unknown(f"`dataclasses.replace` of an `init=False` field of `{cls.name}`: Python raises "
                                "ValueError", e)
        given = dict(kwargs)
        for name in cls.fields:
            if name in cls.no_init or name in given:
                continue
            value = obj.attrs[name] if name in obj.attrs else self.plain_member(cls, name)
            if value is _NOT_FOUND:
                return self.unknown(f"`{cls.name}` instance without its field `{name}`", e)
            given[name] = value
        return self.instantiate_plain(cls, (), given, e, None)

    def plain_member(self, cls: ClassValue, attr: str) -> Any:
        for c in cls.mro:
            if attr in c.members:
                return c.members[attr]
        return _NOT_FOUND

    def instantiate_plain(self, cls: ClassValue, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                          open_kwargs: Optional[Unknown]) -> Any:
        tuple_class = tuple_base(cls) if cls.plain == "plain" else None
        new = self.plain_member(cls, "__new__")
        if tuple_class is not None and self.plain_member(cls, "__init__") is not _NOT_FOUND:
            return self.unknown(f"`{cls.name}()` of a tuple class with an `__init__` of its own is not followed", e)
        if tuple_class is not None and isinstance(new, Function) and new.owner is not None and open_kwargs is None:
            # `class SparseFeat(namedtuple("SparseFeat", fields)): def __new__(cls, name, size, dim=4): return
            # super().__new__(cls, name, size, dim)`: its `__new__` run on the class (namedtuple_new makes the tuple)
            made = self.call_function(new, (cls, *args), dict(kwargs), e)
            if isinstance(made, PlainObject) and made.cls is cls:
                return made
            return made if isinstance(made, Unknown) else self.unknown(
                f"`{cls.name}.__new__` returns what is not followed", e)
        if new is not _NOT_FOUND:
            # `def __new__(cls): ... return cls.instance` (a singleton settings class): `Cls()` may be an object made
            # before, with what the file set on it since, not a new one; not followed (never a fresh object's values)
            return self.unknown(f"`{cls.name}()` calls its own `__new__`, which is not followed (it may return an "
                                "object made before)", e)
        left = abstract_left(cls)
        if left:
            return self.python_error("TypeError", f"`{cls.name}` is an abstract class: Python does not make an "
                                     f"instance of it (abstract: {', '.join(left)})", e)
        obj = PlainObject(cls)
        self.plain_objects.append(obj)
        if open_kwargs is not None:
            return open_kwargs
        # The __init__ Python finds first along the class's method resolution order: one the code writes, or the one
        # @dataclass generates (a subclass without @dataclass inherits its base's: the base's fields and defaults); a
        # NamedTuple's fields are given to its __new__ (a subclass of one that writes no __init__: the tuple's).
        gen = cls if cls.plain == "namedtuple" else tuple_class if tuple_class is not None else \
            generated_init(cls.mro)
        if gen is None:
            init = self.plain_member(cls, "__init__")
            if isinstance(init, Function):
                result = self.call_function(init, (obj, *args), dict(kwargs), e)
                if isinstance(result, Unknown):
                    obj.tainted = result
                return obj
            if init is not _NOT_FOUND:
                return self.unknown(f"`{cls.name}.__init__` is not followed", e)
            if args or kwargs:
                return self.unknown(f"`{cls.name}()` is given arguments it does not take", e)
            return obj
        failed = self.run_generated_init(gen, obj, args, kwargs, e, f"`{cls.name}()`")
        return obj if failed is None else failed

    def run_generated_init(self, gen: ClassValue, obj: PlainObject, args: Tuple[Any, ...], kwargs: Dict[str, Any],
                           e: Any, called: str) -> Optional[Unknown]:
        """The ``__init__`` that ``@dataclass`` generates for ``gen`` (or a NamedTuple's fields), run on ``obj``: the
        fields, in order, with their defaults (a default_factory is called for each instance, in the fields' order;
        an init=False field is no parameter), then ``__post_init__``. None when it ran, else why it did not (a call
        Python rejects: ``called`` names it)."""
        params = [name for name in gen.fields if name not in gen.no_init]
        if len(args) > len(params) or set(kwargs) - set(params):
            return self.unknown(f"{called} is given arguments it does not take", e)
        for name in gen.fields:
            i = params.index(name) if name not in gen.no_init else len(args)
            if i < len(args):
                obj.attrs[name] = args[i]
            elif name in kwargs:
                obj.attrs[name] = kwargs[name]
            elif name in gen.factories:
                obj.attrs[name] = self.call(gen.factories[name], (), {}, e)
            elif name not in gen.no_init and self.plain_member(gen, name) is _NOT_FOUND:
                return self.unknown(f"{called} is missing its field `{name}`", e)
            elif name not in gen.no_init and gen is not obj.cls:
                obj.attrs[name] = self.plain_member(gen, name)  # (the base's default: a subclass's attribute of that
                # name does not change what its generated __init__ sets)
        post = self.plain_member(obj.cls, "__post_init__")
        if isinstance(post, Function):
            result = self.call_function(post, (obj,), {}, e)
            if isinstance(result, Unknown):
                obj.tainted = result
        elif post is not _NOT_FOUND:
            obj.tainted = self.unknown(f"`{obj.cls.name}.__post_init__` is not followed", e)
        return None

    def namespace(self, path: str, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any,
                  open_kwargs: Optional[Unknown]) -> Any:
        """``types.SimpleNamespace(units=64, rate=0.1)`` or ``argparse.Namespace(...)`` (settings written without a
        parser): an object whose attributes are the keywords, read and set as a plain class's instance is. None
        (read as any outside call) with a positional argument (a mapping, in Python 3.13) or ``**`` of what is not
        known."""
        if args or open_kwargs is not None:
            return None
        cls = ClassValue(path.rsplit(".", 1)[-1], (), plain="plain")
        cls.mro = [cls]
        obj = PlainObject(cls)
        self.plain_objects.append(obj)
        obj.attrs.update(kwargs)  # (a new object: nothing to log)
        return obj

    def plain_attribute(self, base: Any, attr: str, e: Any) -> Any:
        """``obj.attr`` on an instance, or ``Cls.attr`` on a plain class."""
        if isinstance(base, PlainObject):
            if attr == "__class__" and base.cls.plain:
                return base.cls  # self.__class__.made += 1: the instance's own class (even of an object not known)
            if base.tainted is not None:
                return base.tainted
            if attr in base.attrs and not _descriptor(base.cls, attr):
                return base.attrs[attr]
            member = self.plain_member(base.cls, attr)
            if member is _NOT_FOUND and self.plain_member(base.cls, "__getattr__") is not _NOT_FOUND:
                return self.unknown(f"`{self.code(e)}` is read through `{base.cls.name}.__getattr__`, which is not "
                                    "followed", e)
            if _descriptor(base.cls, attr) and not (isinstance(member, Function) and member.kind == "property"):
                return self.unknown(f"`{self.code(e)}` is read through a decorated member of `{base.cls.name}` (a "
                                    "property with a setter, or a decorator not followed)", e)
            if isinstance(member, Function) and member.kind == "property":
                return self.call_function(member, (base,), {}, e)  # cfg.width: what its getter returns
            if isinstance(member, Function):
                return bind_method(member, base, base.cls)
        else:
            gen = generated_init(base.mro) if attr == "__init__" and base.plain != "namedtuple" else None
            if gen is not None:
                return Partial(Builtin("dataclass.__init__"), (gen,), {})  # Base.__init__(self, ...) of a dataclass
            member = self.plain_member(base, attr)
            if isinstance(member, Function) and member.kind == "property":
                return self.unknown(f"`{self.code(e)}` is a property object, which is not followed", e)
            if isinstance(member, Function):
                return bind_method(member, base, base)
        if member is _NOT_FOUND and isinstance(base, PlainObject) and attr in ("_replace", "_asdict") and \
                namedtuple_items(base) is not None:
            return Partial(Builtin(f"namedtuple.{attr}"), (base,), {})  # sp._replace(depth=6), sp._asdict()
        if member is _NOT_FOUND and any(c.plain == "testcase" for c in (base.cls if isinstance(base, PlainObject)
                                                                          else base).mro):
            return OpaqueCallable(f"unittest.TestCase.{attr}", "a method of unittest's TestCase, which is not analysed")
        if member is _NOT_FOUND:
            return self.unknown(f"`{self.code(e)}` is not set (Python raises AttributeError)", e)
        if _has_get(member):
            return self.unknown(f"`{self.code(e)}` is read through its `__get__`, which is not followed", e)
        return member

    def namedtuple_method(self, name: str, obj: PlainObject, args: Tuple[Any, ...], kwargs: Dict[str, Any],
                          e: Any) -> Any:
        """``obj._replace(**changes)`` (a new instance; a name that is no field raises ValueError) and
        ``obj._asdict()`` (a dict of the fields in order) of a NamedTuple instance."""
        items = namedtuple_items(obj)
        base = tuple_base(obj.cls)
        if items is None or base is None:
            return self.unknown(f"`{self.code(e)}` is not followed", e)
        fields = base.fields
        if name == "namedtuple._asdict" and not args and not kwargs:
            return DictValue(dict(zip(fields, items)))
        if name == "namedtuple._replace" and not args:
            if set(kwargs) - set(fields):
                return self.python_error("ValueError", f"`{self.code(e)}`: a name that is no field of "
                                                       f"`{obj.cls.name}`", e)
            new = PlainObject(obj.cls)
            self.plain_objects.append(new)
            new.attrs.update(zip(fields, items))
            new.attrs.update(kwargs)
            return new
        return self.unknown(f"`{self.code(e)}` is not followed", e)

    def namedtuple_new(self, base: ClassValue, args: Tuple[Any, ...], kwargs: Dict[str, Any], e: Any) -> Any:
        """``super().__new__(cls, name, size)`` in the ``__new__`` of a subclass of the namedtuple class ``base``
        (what ``super()`` finds there: the tuple's own ``__new__``): an instance of ``cls`` holding the fields given,
        by position or name, the rest their defaults. Arguments Python rejects (TypeError) are not followed."""
        if not args or not isinstance(args[0], ClassValue) or tuple_base(args[0]) is not base:
            return self.unknown(f"`{self.code(e)}` is not followed", e)
        cls, values, fields = args[0], args[1:], base.fields
        if len(values) > len(fields) or set(kwargs) - set(fields) or set(kwargs) & set(fields[:len(values)]):
            return self.unknown(f"`{self.code(e)}` is given arguments the tuple's `__new__` does not take (Python "
                                "raises TypeError)", e)
        obj = PlainObject(cls)
        for i, name in enumerate(fields):
            value = values[i] if i < len(values) else kwargs.get(name, base.members.get(name, _NOT_FOUND))
            if value is _NOT_FOUND:
                return self.unknown(f"`{self.code(e)}` is missing the field `{name}` (Python raises TypeError)", e)
            obj.attrs[name] = value
        self.plain_objects.append(obj)
        return obj

    def plain_super_attribute(self, obj: PlainObject, owner: Any, attr: str, e: Any) -> Any:
        """``super().attr`` in a method of a plain class: the member of the next class in the instance's
        method resolution order, bound to it. ``object``'s ``__init__`` does nothing. Anything else is not
        followed, and the instance is unknown from then on: the method may set its attributes (reading a
        class attribute instead would be a stale value)."""
        order = obj.cls.mro
        order = order[order.index(owner) + 1:] if owner in order else []
        for c in order:
            if attr in c.members:
                member = c.members[attr]
                return bind_method(member, obj, obj.cls)
            if attr == "__init__" and c.plain == "dataclass":
                # the __init__ @dataclass generated for a base: `super().__init__(*args, **kwargs)` sets its fields
                return Partial(Builtin("dataclass.__init__"), (c, obj), {})
        if attr == "__init__" and owner in obj.cls.mro:
            return Builtin("object.__init__")
        if attr in ("setUp", "tearDown") and owner in obj.cls.mro and any(c.unittest_base for c in order):
            return Builtin("unittest.TestCase.setUp")  # (unittest's hooks do nothing)
        reason = self.unknown(f"`super().{attr}` is not followed", e)
        self.taint_plain(obj, reason)
        return reason

    def set_plain_attribute(self, obj: PlainObject, attr: str, value: Any) -> None:
        if tuple_base(obj.cls) is not None and obj.cls.plain != "namedtuple":
            # a field of a tuple cannot be set, nor any attribute under `__slots__ = ()` (Python raises
            # AttributeError); another attribute may be: what the object holds is not followed from then on
            self.taint_plain(obj, self.unknown(f"`{attr}` of a `{obj.cls.name}` tuple is set, which is not "
                                               "followed", None))
            return
        if _descriptor(obj.cls, attr) or _has_get(self.plain_member(obj.cls, attr)):
            member = self.plain_member(obj.cls, attr)
            if isinstance(member, Function) and member.setter is not None and obj.tainted is None:
                self.call_function(member.setter, (obj, value), {}, None)  # `cfg.width = 64` runs its setter
                return
            # a property without a setter (Python raises AttributeError) or a member under a decorator not followed:
            # what it may change of the object is unknown from now on
            self.taint_plain(obj, self.unknown(f"`{attr}` of `{obj.cls.name}` is set through a property or a "
                                               "decorated member, which is not followed", None))
            return
        obj.version += 1  # (logged before the attribute changes)
        if self.undecided:  # (undone after each undecided way, then merged: ControlFlow.exec_branches)
            self.attr_writes.append((obj, attr, obj.attrs.get(attr, _NOT_FOUND)))
        obj.attrs[attr] = value
        if isinstance(value, ModelBuilder) and value.name is None:
            value.name = attr

    def taint_plain(self, obj: Any, reason: Unknown, depth: int = 0) -> None:
        """Something the analysis does not see may change ``obj``: it, and what its attributes hold,
        are unknown from now on."""
        if isinstance(obj, ClassValue):
            # Class attributes it may set: every one that is not a method is unknown from now on.
            for name, value in list(obj.members.items()):
                if not isinstance(value, Function):
                    obj.members[name] = reason
            return
        if not isinstance(obj, PlainObject) or obj.tainted is not None or depth > 8:
            return
        obj.tainted = reason
        for value in obj.attrs.values():
            if isinstance(value, PlainObject):
                self.taint_plain(value, reason, depth + 1)
            else:
                self.taint(value, reason)



#: The calls that make a class's methods builders of models: ``Model(...)``, ``Sequential(...)``, ``Input(...)``,
#: however they are reached (``keras.models.Model``, ``tf.keras.Input``).
_MODEL_MAKERS = frozenset(("Model", "Sequential", "Input"))


def _may_build_models(cls: ClassValue) -> bool:
    """Does a method of ``cls`` or of a plain class of the project it derives from call a model maker?"""
    for c in cls.mro:
        for node in ast.walk(c.node) if c.node is not None else ():
            if node.__class__ is ast.Call:
                func = node.func
                name = func.attr if func.__class__ is ast.Attribute else func.id if func.__class__ is ast.Name \
                    else None
                if name in _MODEL_MAKERS:
                    return True
    return False


def fingerprint(obj: PlainObject) -> Any:
    """Changes whenever ``obj`` or a model, list or dict its attributes hold changes in place."""
    return (obj.version, obj.tainted is None, held_state(obj.attrs.values()))


def held_state(values: Any) -> Tuple[Any, ...]:
    """What :func:`fingerprint` reads of the models, lists and dicts among an object's attribute ``values``."""
    held = []
    for value in values:
        if isinstance(value, ModelBuilder):
            held.append((len(value.layers), value.version, value.unresolved is None, value.input_layer))
        elif isinstance(value, (ListValue, DictValue, SetValue)):
            held.append((value.version, value.tainted is None))
    return tuple(held)


#: Methods of dicts, lists, tuples and strings that only read them: a call of one on an attribute chain
#: (``self.label_indices.get(col)``) changes nothing when the chain holds such a value (``havoc`` checks that).
READING_METHODS = frozenset({"get", "keys", "values", "items", "index", "count", "copy", "startswith", "endswith",
                             "format", "split", "join", "strip", "lower", "upper"})


class _Roots:
    """Roots of the chains a block changes: called methods (``self.model.add(...)``) and assigned
    attributes or items (``h.cfg.units = 7``, ``self.blocks[0] = ...``); reads are not changes.
    ``reading``: the chains a method of ``READING_METHODS`` is called on (``self.cols.get(c)``), by root;
    ``items``: the chains of plain attributes an item is assigned in (``self.one_hot`` of ``self.one_hot[i, w] = 1``),
    by root."""

    def __init__(self) -> None:
        self.names: set = set()
        self.reading: Dict[str, List[Any]] = {}
        self.items: Dict[str, List[Any]] = {}

    def _item(self, target: Any, kind: str) -> None:
        if _item_in_chain(target, kind):
            self.items.setdefault(_chain_root(target.value), []).append((target.value, kind))

    def _root(self, node: Any) -> None:
        while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
            node = node.func if isinstance(node, ast.Call) else node.value
        if isinstance(node, ast.Name):
            self.names.add(node.id)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute):
            chain = node.func.value
            if node.func.attr in READING_METHODS and type(chain) is ast.Attribute and _chain_root(chain) is not None:
                self.reading.setdefault(_chain_root(chain), []).append(chain)
            elif node.func.attr in CONTAINER_CHANGES:
                self._item(node.func, "method")
            self._root(chain)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, (ast.Attribute, ast.Subscript)):
                self._item(target, "item")
                self._root(target.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, (ast.Attribute, ast.Subscript)):
            self._item(node.target, "item")
            self._root(node.target.value)


def attribute_roots(body: Any) -> set:
    """Names at the root of the chains ``body`` changes (``self`` in ``self.model.add(...)``): what a
    block the analysis cannot run may change through them."""
    out: set = set()
    for stmt in body:
        out |= _per_node("roots", stmt, lambda n: _visited(_Roots(), n).names)
    return out


def reading_roots(body: Any) -> Dict[str, Tuple[Tuple[Any, ...], Tuple[Any, ...]]]:
    """The roots ``body`` changes only by calling a method of ``READING_METHODS`` on an attribute chain (``self``
    in ``self.cols.get(c)``), or by changing what a chain holds in place: an item assigned in it
    (``self.one_hot[i, t, w] = 1``, ``self.counts[k] += 1``) or a method of ``CONTAINER_CHANGES`` called on it
    (``self.lengths.append(n)``); where nothing else changes them: by root, (the chains read, the (chain, "item" or
    "method") changed in place)."""
    roots = [_per_node("roots_visit", stmt, lambda n: _visited(_Roots(), n)) for stmt in body]
    chains: Dict[str, Tuple[List[Any], List[Any]]] = {}
    for r in roots:
        for name, found in r.reading.items():
            chains.setdefault(name, ([], []))[0].extend(found)
        for name, found in r.items.items():
            chains.setdefault(name, ([], []))[1].extend(found)
    # (a root also reached through another call or an assignment is changed: `self.cols.get(c)` and `self.x = 1`;
    # `names` holds every root, so count the reading calls against all the calls through it)
    other = _Changing()
    for stmt in body:
        _visited(other, stmt)
    return {name: (tuple(read), tuple(items)) for name, (read, items) in chains.items() if name not in other.names}


class _Changing(_Roots):
    """The roots changed otherwise than by a reading method on an attribute chain or an item assigned in one."""

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Attribute):
            chain = node.func.value
            if not (node.func.attr in READING_METHODS and type(chain) is ast.Attribute and
                    _chain_root(chain) is not None) and not (node.func.attr in CONTAINER_CHANGES and
                                                             _item_in_chain(node.func, "method")):
                self._root(chain)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, (ast.Attribute, ast.Subscript)) and not _item_in_chain(target, "item"):
                self._root(target.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        if isinstance(node.target, (ast.Attribute, ast.Subscript)) and not _item_in_chain(node.target, "item"):
            self._root(node.target.value)


#: Methods of lists, dicts and sets that change them in place and run no code of the project (``sort``, which may
#: call a key function, is not one).
CONTAINER_CHANGES = frozenset({"append", "extend", "insert", "pop", "remove", "clear", "add", "discard", "update",
                               "setdefault", "popitem", "reverse"})


def _item_in_chain(target: Any, kind: str) -> bool:
    """A chain of plain attributes (at least one: ``self.one_hot``) changed in place: ``kind`` "item", the target
    ``self.one_hot[i, w]`` of an assignment; "method", the callee ``self.lengths.append``."""
    if type(target) is not (ast.Subscript if kind == "item" else ast.Attribute):
        return False
    return type(target.value) is ast.Attribute and _chain_root(target.value) is not None


def _chain_root(node: Any) -> Optional[str]:
    """``self`` of ``self.a.b``: the name a chain of plain attributes starts from; None for other chains."""
    while type(node) is ast.Attribute:
        node = node.value
    return node.id if type(node) is ast.Name else None


#: ``chain_value`` of an attribute a plain object does not have: reading it raises AttributeError.
ABSENT = object()


def chain_value(scope: Any, node: Any) -> Any:
    """What a chain of plain attributes holds (``self.cols``: the attribute of the object ``self`` holds), read
    without running code: a plain object's own attribute, ABSENT where neither the object nor its classes have
    it (and no class has ``__getattr__``); None when that is not known (a class member: a method, a property...)."""
    if type(node) is ast.Name:
        return scope.get(node.id)
    if type(node) is not ast.Attribute:
        return None
    owner = chain_value(scope, node.value)
    if not isinstance(owner, PlainObject) or owner.tainted is not None:
        return None
    if node.attr in owner.attrs:
        return owner.attrs[node.attr]
    if any(node.attr in c.members or "__getattr__" in c.members for c in owner.cls.mro):
        return None
    return ABSENT


def tuple_base(cls: ClassValue) -> Optional[ClassValue]:
    """The NamedTuple or ``collections.namedtuple`` class ``cls`` is or derives from (``class SparseFeat(namedtuple(
    "SparseFeat", [...])): def __new__(cls, ...)``, as recommender code writes its feature specs), when every class
    before it in the method order is a plain class of the file that gives none of its fields a class attribute (one
    would hide the field); None otherwise."""
    for i, c in enumerate(cls.mro):
        if c.plain == "namedtuple":
            return c if all(f not in b.members for b in cls.mro[:i] for f in c.fields) else None
        if c.plain != "plain":
            return None
    return None


def namedtuple_items(obj: PlainObject) -> Optional[Tuple[Any, ...]]:
    """A NamedTuple instance's fields in order (what indexing, unpacking and ``len`` see); else None."""
    base = tuple_base(obj.cls)
    if base is None or obj.tainted is not None:
        return None
    out = []
    for name in base.fields:
        value = obj.attrs[name] if name in obj.attrs else next(
            (c.members[name] for c in obj.cls.mro if name in c.members), _NOT_FOUND)
        if value is _NOT_FOUND:
            return None
        out.append(value)
    return tuple(out)


#: Members that change how a class's attributes are set, read or stored: such a class is not read as a plain one.
_ATTRIBUTE_HOOKS = frozenset({"__setattr__", "__getattribute__", "__delattr__", "__slots__", "__init_subclass__"})


def _empty_slots(node: ast.ClassDef) -> bool:
    """The class body's only ``__slots__`` is ``()`` or ``[]``, set once."""
    values = [stmt.value for stmt in node.body if isinstance(stmt, ast.Assign) and
              any(isinstance(t, ast.Name) and t.id == "__slots__" for t in stmt.targets)]
    return len(values) == 1 and isinstance(values[0], (ast.Tuple, ast.List)) and not values[0].elts and \
        sum(isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and isinstance(stmt.target, ast.Name) and
            stmt.target.id == "__slots__" for stmt in node.body) == 0


def _own_names(node: ast.ClassDef) -> set:
    """The names a class body binds at its top level (its methods' and assignments')."""
    out = set()
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(stmt.name)
        elif isinstance(stmt, ast.Assign):
            out.update(t.id for t in stmt.targets if isinstance(t, ast.Name))
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and isinstance(stmt.target, ast.Name):
            out.add(stmt.target.id)
    return out


def _has_get(value: Any) -> bool:
    """Is ``value`` an instance of a class of the file that defines ``__get__`` (a descriptor)?"""
    return isinstance(value, PlainObject) and any("__get__" in c.members for c in value.cls.mro or ())


def _descriptor(cls: ClassValue, attr: str) -> bool:
    """Does a class of ``cls``'s method order define ``attr`` as a property or under a decorator not followed?"""
    return any(attr in c.descriptors for c in cls.mro)
