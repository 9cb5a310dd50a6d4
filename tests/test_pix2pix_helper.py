"""The known helper for TensorFlow's pix2pix tutorial module (extract/known_helpers.py, `_PIX2PIX`): the blocks the
segmentation and CycleGAN tutorials import (`from tensorflow_examples.models.pix2pix import pix2pix`) give the models
real Keras builds from the same blocks written out in fixtures/interpreter2/pix2pix_blocks.py (its truth file)."""

from __future__ import annotations

import json
from pathlib import Path

from kerascount.api import analyze_source

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "fixtures" / "interpreter2" / "pix2pix_blocks.py"

IMPORTED = """import tensorflow as tf
from tensorflow_examples.models.pix2pix import pix2pix

decoder_block = pix2pix.upsample(96, 3, apply_dropout=True)
encoder_block = pix2pix.downsample(48, 3)
generator = pix2pix.unet_generator(3)
critic = pix2pix.discriminator()
plain_critic = pix2pix.discriminator(target=False)
"""


def test_imported_blocks_build_what_keras_builds():
    truth = json.loads(FIXTURE.with_suffix(".keras.json").read_text(encoding="utf-8"))["models"]
    report = analyze_source(IMPORTED, "tutorial.py")
    assert [(m.total, m.trainable, m.non_trainable) for m in report.models] == \
        [(m["total_params"], m["trainable_params"], m["non_trainable_params"]) for m in truth]
    assert [m.model.keras_name for m in report.models] == [m["keras_name"] for m in truth]


def test_a_file_that_only_imports_the_blocks_is_read():
    """The prefilter reads a file that never says "keras" when it imports the tutorial module."""
    assert analyze_source(IMPORTED.replace("import tensorflow as tf\n", ""), "tutorial.py").models


def test_instance_normalization_is_not_followed():
    """`norm_type="instancenorm"` normalizes with TensorFlow's `nn.moments` in the layer's call: not followed, so
    the blocks that hold it are unknown rather than guessed."""
    source = IMPORTED.replace("pix2pix.unet_generator(3)", "pix2pix.unet_generator(3, norm_type='instancenorm')")
    report = analyze_source(source, "cyclegan.py")
    generator, critic, plain_critic = [m for m in report.models if m.model.kind == "functional"]
    assert generator.total is None and critic.total == 2770433 and plain_critic.total == 2767361
