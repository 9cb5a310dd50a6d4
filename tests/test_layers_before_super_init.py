"""Layers assigned to ``self`` before ``super().__init__()``: Keras 3 starts tracking at the first attribute set
(``Layer.__setattr__`` makes the tracker when there is none, and ``Layer.__init__`` keeps it), so they count as
those assigned after it. KerasHub's backbones are written so: their layers first, then the functional graph, then
``super().__init__(inputs=..., outputs=...)``. Every count below is Keras's."""

from __future__ import annotations

from test_catalogue_keras import assert_last_models_agree

_HEAD = "import keras\nfrom keras import layers\n"

SOURCES = {
    # a functional subclass, as KerasHub's backbones are
    "backbone": _HEAD + '''
class TinyBackbone(keras.Model):
    def __init__(self, vocabulary_size=50, hidden_dim=8, **kwargs):
        self.token_embedding = layers.Embedding(vocabulary_size, hidden_dim)
        self.blocks = [layers.Dense(hidden_dim, activation="relu") for _ in range(2)]
        self.norm = layers.LayerNormalization()
        token_ids = keras.Input((None,), dtype="int32", name="token_ids")
        x = self.token_embedding(token_ids)
        for block in self.blocks:
            x = block(x)
        super().__init__(inputs=token_ids, outputs=self.norm(x), **kwargs)
        self.hidden_dim = hidden_dim


model = TinyBackbone(hidden_dim=12)
''',
    # a subclassed model traced on its first call
    "subclassed": _HEAD + '''
class Net(keras.Model):
    def __init__(self):
        self.hidden = layers.Dense(16, activation="relu")
        self.out = layers.Dense(3)
        super().__init__()

    def call(self, x):
        return self.out(self.hidden(x))


model = Net()
model(keras.ops.zeros((2, 5)))
''',
    # a custom layer holding its sublayers, set before its own super().__init__()
    "custom_layer": _HEAD + '''
class Block(layers.Layer):
    def __init__(self, units, **kwargs):
        self.inner = layers.Dense(units)
        self.gate = layers.Dense(units, activation="sigmoid")
        super().__init__(**kwargs)

    def call(self, x):
        return self.inner(x) * self.gate(x)


inputs = keras.Input((6,))
model = keras.Model(inputs, Block(4)(inputs))
''',
}


def test_layers_set_before_super_init_are_tracked_as_keras_3_tracks_them():
    assert_last_models_agree(SOURCES, {name: True for name in SOURCES})
