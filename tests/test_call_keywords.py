"""A layer call whose tensor keyword (`initial_state=`, an attention mask) is not known: the tensors it may
hold, and the layers that made them, belong to the model, so the model is not known either (never a total
without them).

The case of the corpus (ageron's handson-ml3, chapter 16): the encoder's states joined by `tf.concat`, which
Keras 3 rejects on Keras tensors, then given to the decoder; checked by hand with Keras 3.15 and TensorFlow
2.21: Keras raises at `tf.concat`, and without that line builds a model holding the encoder.
"""

from kerascount.api import analyze_source

SOURCE = '''import tensorflow as tf
import keras
from keras import layers
enc_in = keras.Input((5,))
dec_in = keras.Input((5,))
e = layers.Embedding(100, 8)(enc_in)
d = layers.Embedding(100, 8)(dec_in)
out, *state = layers.Bidirectional(layers.LSTM(4, return_state=True))(e)
{states}
dec = layers.LSTM(16, return_sequences=True)(d, initial_state=state)
model = keras.Model([enc_in, dec_in], dec)
'''


def test_states_not_known_leave_the_model_unknown():
    src = SOURCE.format(states="state = [tf.concat(state[::2], axis=-1), tf.concat(state[1::2], axis=-1)]")
    (model,) = analyze_source(src, "m.py").models
    assert model.total is None and model.reasons


def test_known_states_join_the_model():
    (model,) = analyze_source(SOURCE.format(states=""), "m.py").models
    # Keras 3.15: 800 + 800 (embeddings) + 416 (Bidirectional) + 1600 (LSTM)
    assert model.total == 3616
