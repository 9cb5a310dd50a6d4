"""A block the analysis does not run (a loop over data) that changes in place what an attribute of an object holds:
``self.one_hot[i, t, word] = 1`` (an item set in an array, a list or a dict), ``self.lengths.append(n)`` (a list's,
dict's or set's own method). The seq2seq classes of hold-out 76 (keras.io's translation recipe wrapped in a class:
``set_data`` fills the one-hot targets in a loop over the tokenized sentences, ``build_model`` builds the model from
the sizes ``set_data`` kept) lost the whole object there: every attribute of ``self`` became unknown, the call of
``build_model`` on it was not followed and the model was not reported at all. Now only what the chain holds is
forgotten (a list or dict changed so is unknown, as under a name of its own); the object keeps its other attributes.
A value whose ``__setitem__`` is the project's own (it may change anything) still makes the object unknown. The
counts are Keras's, run on the same programs."""

from __future__ import annotations

from kerascount.api import analyze_source
from test_catalogue_keras import COUNT_OR_RAISED, keras_probe

_CLASS = '''import json
import numpy as np
import keras
from keras import layers


class Translator:
    def __init__(self):
        self.sizes = {"units": 8}
        self.lengths = []

    def set_data(self, targets, vocab):
        self.vocab = vocab
        self.one_hot = np.zeros((len(targets), 2, vocab))
        for i, seq in enumerate(targets):
            for t, word in enumerate(seq):
                self.one_hot[i, t, word] = 1.0
            BODY

    def build_model(self):
        inp = keras.Input((None, self.vocab))
        out = layers.LSTM(UNITS)(inp)
        self.model = keras.Model(inp, layers.Dense(self.vocab)(out))


tr = Translator()
tr.set_data(json.loads("[[1, 2], [0, 3], [4]]"), 5)
tr.build_model()
model = tr.model
'''


def _program(body: str, units: str = "8") -> str:
    return _CLASS.replace("BODY", body).replace("UNITS", units)


#: The object keeps the sizes the loop does not touch: the model is exact, at Keras's count.
KEPT = {
    "one-hot item": _program("pass"),
    "list appended": _program("self.lengths.append(len(seq))"),
    "dict item": _program("self.sizes[len(seq)] = t"),
    "counted in a dict": _program("self.sizes['units'] += 0"),
}
#: The loop changes what the size is read from: never Keras's number for a size the loop may have changed.
CHANGED = {
    "size in a dict item": _program("self.sizes['units'] = len(seq) + 6", "self.sizes['units']"),
    "size from an appended list": _program("self.lengths.append(len(seq) + 6)", "self.lengths[-1]"),
}


def test_an_object_whose_attributes_a_loop_changes_in_place_keeps_the_others():
    truth = keras_probe(COUNT_OR_RAISED, {**KEPT, **CHANGED})
    for name, text in KEPT.items():
        assert isinstance(truth[name], int), (name, truth[name])
        models = analyze_source(text, "m.py").models
        assert models, name  # (reported at all: the object was lost before)
        assert (models[-1].status, models[-1].total) == ("exact", truth[name]), (name, models[-1].status,
                                                                                 models[-1].total, truth[name])
    for name, text in CHANGED.items():
        assert isinstance(truth[name], int), (name, truth[name])
        models = analyze_source(text, "m.py").models
        assert [(m.status, m.total) for m in models] == [("unknown", None)], (name, [m.status for m in models])
        assert "assigned in a loop over" in " ".join(models[-1].reasons), name


def test_an_item_set_in_an_object_of_the_project_still_forgets_the_object():
    text = _CLASS.replace("        self.lengths = []\n", "        self.lengths = Store()\n").replace(
        "class Translator:", "class Store:\n    def __setitem__(self, k, v):\n        pass\n\n\nclass Translator:").replace(
        "BODY", "self.lengths[t] = 1").replace("UNITS", "8")
    models = analyze_source(text, "m.py").models
    assert all(m.status != "exact" for m in models), [m.status for m in models]


_RELABELLED = '''import json
import numpy as np
import keras
from keras import layers


class Data:
    def __init__(self):
        self.labels = np.random.randint(0, 4, 10)

    def relabel(self, pairs):
        for i, v in pairs:
            self.labels[i] = v

    def build(self):
        y = keras.utils.to_categorical(self.labels)
        inp = keras.Input((3,))
        self.model = keras.Model(inp, layers.Dense(y.shape[1])(inp))


d = Data()
d.relabel(json.loads("[[0, 9]]"))
d.build()
model = d.model
'''


def test_an_array_given_items_by_such_a_loop_no_longer_has_known_labels():
    """``randint(0, 4, n)`` holds labels below 4, which ``to_categorical`` reads as 4 classes; after a loop not followed
    sets items in it, the label 9 may be there (Keras: 10 classes, 40 parameters), so the count is not 4 classes'."""
    truth = keras_probe(COUNT_OR_RAISED, {"relabelled": _RELABELLED})
    assert truth["relabelled"] == 40
    (model,) = analyze_source(_RELABELLED, "m.py").models
    assert model.status != "exact" and model.total != 16, (model.status, model.total)
