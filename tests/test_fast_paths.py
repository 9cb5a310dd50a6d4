"""The interpreter's fast paths dispatch on exact types before its isinstance chains: they must take
only types that the chains would have sent the same way."""

from kerascount.extract import interpreter as I, plain, sources

# What Interpreter.taint changes (anything else it leaves alone).
TAINTED = (plain.PlainObject, I.ClassValue, I.GlobalsRef, I.ModuleRef, I.ModelBuilder, I.ListValue, I.DictValue,
           sources.DataObject)
# The classes Interpreter.call tests in order, after its fast paths.
CALLABLES = (I.Partial, I.KerasRef, I.Function, I.LambdaValue, I.LayerObj, I.BoundMethod, I.Builtin, I.ExternalRef,
             I.ClassValue, I.ModelBuilder, I.OpaqueCallable, I.External)


def test_inert_types_are_none_that_taint_changes():
    assert I._INERT
    assert [t for t in I._INERT if issubclass(t, TAINTED)] == []


def test_call_fast_paths_take_no_type_an_earlier_test_would_take():
    for kind in (I.Builtin, I.ExternalRef, I.Expr, I.Unknown):
        assert [c for c in CALLABLES if c is not kind and issubclass(kind, c)] == [], kind
    # Builtin and ExternalRef are taken by their own branches anyway; a symbol and a plain unknown by none.
    assert not issubclass(I.Expr, CALLABLES) and not issubclass(I.Unknown, CALLABLES)


def test_havoc_names_are_cached_per_block_and_follow_the_block():
    import ast

    body = ast.parse("for x in data:\n    y = f(x)\n    z.append(y)\n").body
    first = I._havoc_names(body)
    assert first[0] == {"x", "y"} and "z" in first[1] and first[2] == {"f", ".append"}
    assert I._havoc_names(body) is first
    other = ast.parse("w = g()\n").body
    assert "w" in I._havoc_names(other)[0] and "g" in I._havoc_names(other)[2]
