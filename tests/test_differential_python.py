"""Differential test of the Python kerascount follows: random programs of tools/gen_programs.py (closures,
global/nonlocal, a settings module changed from another file, aliased lists and dicts, exceptions, early
returns, break/continue, comprehensions, settings objects, trainable flags in any order), run by real Keras
(tools/keras_truth.py) and analysed by kerascount, compared never-wrong (tools/campaign.py): a number
kerascount states must be Keras's; it may leave any number unknown or symbolic.

A longer campaign:

    python tools/campaign.py --programs --seed S --count N [--keep-dir DIR]
"""

import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from tests.test_differential import _keras_importable  # noqa: E402
from tools import campaign, gen_programs  # noqa: E402

SEED = "ci"
COUNT = 27
#: A few more programs built only by the builders of the constructs session 11 taught the interpreter (clear_session,
#: custom layers building sublayers, models held by layers, class checks, setdefault, train_step, layer outputs,
#: undecided builders): the first COUNT programs are those the batch had before they were added.
NEW_COUNT = 3
OLD_BUILDERS = ("seq_list", "seq_loop", "functional_return", "closures", "comprehension", "caught", "nested", "conv",
                "helpers", "alias", "counter", "while", "generator")


@pytest.mark.keras
def test_generated_python_programs_never_contradict_keras(tmp_path):
    ok, why = _keras_importable()
    if not ok:
        pytest.skip(f"`import keras` fails in {sys.executable}: {' '.join(why)}")
    new = tuple(b for b in gen_programs.Models.BUILDERS if b not in OLD_BUILDERS)
    paths = gen_programs.write_files(SEED, COUNT, str(tmp_path / "old"), disable=new)
    paths += gen_programs.write_files(SEED + "-new", NEW_COUNT, str(tmp_path / "new"), disable=OLD_BUILDERS)
    truths = campaign.keras_truth(paths, jobs=2)
    got = campaign.run_kerascount(paths)
    res = campaign.compare_all(paths, truths, got, seed=SEED, programs=True)
    # The batch is not vacuous: Keras builds models, and kerascount resolves some of them exactly.
    assert res.tally.models > COUNT + NEW_COUNT and res.tally.exact > 0, res.closing_line()
    if res.disagree:
        sources = []
        for path, _, _ in res.details[:3]:
            for name in sorted(os.listdir(os.path.dirname(path))):
                if name.endswith(".py"):
                    sources.append(f"--- {name}\n{Path(os.path.dirname(path), name).read_text()}")
        pytest.fail(campaign.format_details(res) + "\n\n" + "\n".join(sources) + "\n" + res.closing_line(),
                    pytrace=False)


def test_generator_is_deterministic_valid_and_covers_every_construct():
    seen = set()
    for i in range(60):
        seed = gen_programs.file_seed("det", i)
        files = gen_programs.generate(seed)
        assert files == gen_programs.generate(seed)
        for name, text in files.items():
            compile(text, f"<{seed} {name}>", "exec")
        main = files["main.py"]
        seen |= {kind for kind in gen_programs.SNIPPETS if f"# -- {kind}\n" in main}
        seen |= {"multi-file"} if "settings.py" in files else set()
        seen |= {"trainable"} if ".trainable = " in main else set()
    assert seen >= set(gen_programs.SNIPPETS) | {"multi-file", "trainable"}, seen
    assert gen_programs.generate("x-1") != gen_programs.generate("x-2")


def test_generator_can_leave_constructs_out():
    for i in range(20):
        main = gen_programs.generate(gen_programs.file_seed("off", i), disable=("module", "global"))["main.py"]
        assert "# -- module" not in main and "# -- global" not in main


def _model(total, layers, **kw):
    return {"line": 5, "kind": "sequential", "inputs": [[None, 4]], "outputs": [[None, 3]], "total_params": total,
            "trainable_params": total, "non_trainable_params": 0, "layers": layers, **kw}


def _layer(name, shape, params):
    return {"name": name, "type": "Dense", "output_shape": shape, "params": params, "trainable_params": params,
            "non_trainable_params": 0}


TRUTH = {"error": None, "models": [_model(15, [_layer("dense", [None, 3], 15)])]}


@pytest.mark.parametrize("got, wrong", [
    (_model(15, [_layer("dense", [None, 3], 15)], status="exact"), False),
    (_model(None, [_layer("dense", None, None)]), False),  # unknown: allowed
    (_model("4*N + 3", [_layer("dense", [None, 3], "4*N + 3")]), False),  # symbolic: allowed
    (_model(16, [_layer("dense", [None, 3], 15)]), True),  # a different total
    (_model(15, [_layer("dense", [None, 4], 15)]), True),  # a different output shape
    (_model(None, [_layer("dense", [None, None], None)]), True),  # None where Keras knows the dimension
    (_model(15, [_layer("dense", [None, 3], 15)], status="exact", kind="functional"), True),
])
def test_never_wrong_comparison(got, wrong):
    _, problems, tally = campaign.never_wrong(TRUTH, {"models": [got], "diagnostics": []})
    assert bool(problems) == wrong, problems
    assert tally.models == 1 and tally.exact == (not wrong and got.get("status") == "exact")


def test_a_layer_named_otherwise_in_an_exact_model_is_a_disagreement():
    """kerascount's layer names are Keras's or '?' (a name it does not know): another name in a model it calls
    exact is wrong (a `get_layer` by that name would freeze another layer); in a symbolic one it is not a claim."""
    got = _model(15, [_layer("dense_1", [None, 3], 15)], status="exact")
    _, problems, tally = campaign.never_wrong(TRUTH, {"models": [got], "diagnostics": []})
    assert problems == ["model at line 5 #0 (sequential):\n  layer named 'dense_1', Keras's name is 'dense' "
                        "(in an exact model)"]
    unnamed = _model(15, [_layer("?", [None, 3], 15)], status="exact")
    _, problems, tally = campaign.never_wrong(TRUTH, {"models": [unnamed], "diagnostics": []})
    assert not problems and tally.exact == 1 and tally.renamed == 0
    symbolic = _model("4*N + 3", [_layer("dense_1", [None, 3], "4*N + 3")])
    _, problems, tally = campaign.never_wrong(TRUTH, {"models": [symbolic], "diagnostics": []})
    assert not problems and tally.exact == 0


def test_a_model_keras_never_built_may_not_have_numbers():
    extra = _model(15, [_layer("dense", [None, 3], 15)], line=9)
    _, problems, _ = campaign.never_wrong(TRUTH, {"models": [TRUTH["models"][0], extra], "diagnostics": []})
    assert problems and "built no such model" in problems[0]
    extra["caveat"] = "built only under a condition the analysis cannot decide"
    _, problems, _ = campaign.never_wrong(TRUTH, {"models": [TRUTH["models"][0], extra], "diagnostics": []})
    assert not problems


def test_an_alternative_with_a_caveat_may_differ_from_the_model_keras_built_there():
    other = _model(7, [_layer("dense", [None, 1], 7)], caveat="built only under a condition the analysis cannot decide")
    _, problems, tally = campaign.never_wrong(TRUTH, {"models": [other], "diagnostics": []})
    assert not problems and tally.missed == 1
    del other["caveat"]
    _, problems, _ = campaign.never_wrong(TRUTH, {"models": [other], "diagnostics": []})
    assert problems


def test_new_builders_cover_the_constructs_they_are_for():
    text = ""
    for i in range(80):
        files = gen_programs.generate(gen_programs.file_seed("cover", i), disable=OLD_BUILDERS)
        compile(files["main.py"], f"<cover-{i}>", "exec")
        text += files["main.py"]
    for construct in ("clear_session()", "self.extra.build(", "layers.Activation(\"relu\")(y)", "self.body = keras.",
                      "type(layer)", "setdefault(", "def train_step", "self.opt = keras.optimizers.",
                      "get_layer(index=", ".output", "os.environ.get(", ".get_layer(\"dense",
                      "getattr(layers, 'Dense')", "().layers()"):
        assert construct in text, construct


def _way(total, holds):
    return {"conditions": [{"condition": "flag", "line": 3, "holds": holds}], "total_params": total,
            "trainable_params": total, "non_trainable_params": 0, "error": None}


def test_the_model_keras_built_must_be_one_of_the_ways_given():
    """An unknown model given the ways of an undecided condition (kerascount/alternatives.py): Keras's model at its
    line must be one of them; a symbolic way is not compared."""
    unknown = _model(None, [_layer("dense", None, None)])
    for ways, wrong, checked in (([_way(15, False), _way(31, True)], False, 1),
                                 ([_way(16, False), _way(31, True)], True, 1),
                                 ([_way("4*N + 3", False), _way(31, True)], False, 0)):
        _, problems, tally = campaign.never_wrong(TRUTH, {"models": [dict(unknown, alternatives=ways)],
                                                          "diagnostics": []})
        assert bool(problems) == wrong and (tally.ways, tally.ways_checked) == (1, checked), problems
