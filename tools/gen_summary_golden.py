#!/usr/bin/env python3
"""Golden text for `kerascount summary`: real Keras 3's `model.summary()` of some fixtures.

Usage:
    python tools/gen_summary_golden.py [--check]

For each fixture in FIXTURES this runs the file with real Keras (numpy backend) in a fresh
process, finds the models its module-level names hold, and writes the text each one's
`model.summary()` prints to tests/data/summary_golden/<group>__<name>.txt, models in the order
Keras named them (one blank line between them). The terminal is 200 columns wide, so Keras draws
its default widths (88 columns, 108 with "Connected to"). tests/test_summary_golden.py compares
`kerascount summary` of the same fixtures with these files. With --check nothing is written; the
exit status is 1 when a file differs from what Keras prints now.

A subclassed model called on `keras.Input` is left out: the numpy backend runs its `call` on
arrays whose unknown dimensions are placeholders (83), so its summary shows 83 where the other
backends show None (see tools/keras_truth.py).
"""

import os
import subprocess
import sys

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN_DIR = os.path.join(REPO_ROOT, "tests", "data", "summary_golden")

#: Fixtures whose summaries are golden: seeds, Sequential, functional with branches, shared layers and
#: several outputs, long names Keras cuts with …, subclassed, unbuilt.
FIXTURES = (
    "fixtures/seeds/conv_dims_quiz_1.py",
    "fixtures/seeds/bilag5_dense_head.py",
    "fixtures/layers/merge_layers.py",
    "fixtures/layers/batch_normalization.py",
    "fixtures/layers/merge_broadcast.py",
    "fixtures/styles/input_variants.py",
    "fixtures/styles/shared_layer.py",
    "fixtures/layers/lstm_return_state.py",
    "fixtures/layers/attention_layers.py",
    "fixtures/layers/transformer_block.py",
    "fixtures/styles/unbuilt_sequential.py",
    "fixtures/subclassed/mlp_build.py",
    "fixtures/subclassed/constructor_flags.py",
    "fixtures/regressions/called_unbuilt_sequential.py",
    "fixtures/subclassed/unbuilt.py",
    "fixtures/applications/vgg16_frozen_head.py",
    "fixtures/applications/mobilenet_v3_small_head.py",
    "fixtures/applications/nested_expanded.py",
    "fixtures/regressions/model_from_layer_output.py",
    "fixtures/applications/no_preprocessing_names.py",
)

#: Fixtures whose `summary(expand_nested=True)` is golden too (`<group>__<name>__expanded.txt`), compared
#: with `kerascount summary --expand-nested`.
EXPANDED = (
    "fixtures/applications/nested_expanded.py",
    "fixtures/styles/siamese_nested.py",
)

# Run in the child: execute the fixture, then print every model's summary.
_CHILD = r"""
import contextlib, io, os, runpy, sys
import keras
path = sys.argv[1]
expand = len(sys.argv) > 2
os.chdir(os.path.dirname(path))
with contextlib.redirect_stdout(io.StringIO()):
    g = runpy.run_path(path, run_name="__main__")
models = {}
for value in g.values():
    if isinstance(value, keras.Model):
        models[id(value)] = value
texts = []
for model in sorted(models.values(), key=lambda m: m.name):
    lines = []
    model.summary(print_fn=lambda text, **kwargs: lines.append(text), expand_nested=expand)
    texts.append("".join(lines).rstrip("\n"))
sys.stdout.write("\n\n".join(texts) + "\n")
"""


def golden_path(fixture: str, expanded: bool = False) -> str:
    group, name = fixture.split("/")[-2:]
    return os.path.join(GOLDEN_DIR, f"{group}__{name[:-3]}{'__expanded' if expanded else ''}.txt")


def keras_summary(fixture: str, expanded: bool = False) -> str:
    env = dict(os.environ, KERAS_BACKEND="numpy", COLUMNS="200", TF_CPP_MIN_LOG_LEVEL="3",
               PYTHONHASHSEED="0")
    env.pop("PYTHONPATH", None)
    done = subprocess.run([sys.executable, "-c", _CHILD, os.path.join(REPO_ROOT, fixture)] + (["expand"] if expanded else []),
                          capture_output=True, text=True, env=env, check=True)
    return "\n".join(line.rstrip() for line in done.stdout.splitlines()) + "\n"


def main(argv=None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    os.makedirs(GOLDEN_DIR, exist_ok=True)
    status = 0
    for fixture, expanded in [(f, False) for f in FIXTURES] + [(f, True) for f in EXPANDED]:
        text = keras_summary(fixture, expanded)
        path = golden_path(fixture, expanded)
        if check:
            old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
            if old != text:
                print(f"{path}: differs from Keras's summary of {fixture}")
                status = 1
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"wrote {os.path.relpath(path, REPO_ROOT)}")
    return status


if __name__ == "__main__":
    sys.exit(main())
