"""A loop the analysis cannot run to its end forgets what it may change: a built model it only runs or
reads keeps its numbers (fixtures/interpreter2/model_read_in_loops.py has the exact cases against Keras);
a model it may grow, alias or build on data stays unknown."""

from __future__ import annotations

import pytest

from kerascount.api import analyze_source

_HEAD = (
    "import random\nimport numpy as np\nimport keras\nfrom keras import layers\n"
    "net = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n"
)


def _status(src: str):
    report = analyze_source(src, "m.py")
    assert report.internal_error is None
    (m,) = report.models
    return m.status, (m.total if isinstance(m.total, int) else None)


@pytest.mark.parametrize("body", [
    "    net.add(layers.Dense(2))\n",                              # grows it
    "    grow(net)\n",                                             # a helper that grows it
    "    other = net\n    other.add(layers.Dense(2))\n",           # an alias
    "    keep = [net]\n",                                          # an item of a list
    "    undefined_helper(net)\n",                                 # a function not defined in the file
    "    np.add_layers(net)\n",                                    # not seen, and its name says it grows it
    "    net.pop()\n",
])
def test_a_loop_that_may_change_the_model_leaves_it_unknown(body):
    src = _HEAD + "def grow(m):\n    m.add(layers.Dense(2))\n" + \
        "for step in range(5):\n" + body + "    if random.random() < 0.5:\n        break\n"
    assert _status(src) == ("unknown", None)


def test_an_unbuilt_model_predicting_in_a_loop_not_run_stays_unknown():
    # (the loop over data the analysis does not see is not run: the first batch would build the model)
    src = ("import numpy as np\nimport keras\nfrom keras import layers\nfrom mydata import batches\n"
           "net = keras.Sequential([layers.Dense(3)])\n"
           "for batch in batches:\n    net.predict(batch)\n")
    status, total = _status(src)
    assert total is None and status != "exact"


def test_a_read_only_loop_keeps_the_model():
    src = _HEAD + "for step in range(5):\n    net.predict(np.zeros((1, 4)))\n" \
        "    if random.random() < 0.5:\n        break\n"
    assert _status(src) == ("exact", 15)



def test_blocks_forgotten_as_blocks_of_blocks_are_read():
    # (a try whose body raises in a way the analysis cannot name: the body and its handlers are forgotten
    # together, as a list of blocks)
    src = _HEAD + ("from elsewhere import wanted\n"
                   "def fetch(name):\n    try:\n        raise wanted(name)\n"
                   "    except ValueError:\n        other = net\n        return None\n"
                   "fetch('x')\n")
    report = analyze_source(src, "m.py")
    assert report.internal_error is None


_EARLY = ("import os\nimport keras\nfrom keras import layers\nfrom elsewhere import show, add_block\n"
          "def later(model, folder):\n    if os.path.exists(folder):\n        return None\n    {rest}\n"
          "    return None\n"
          "kept = keras.Sequential([keras.Input((4,)), layers.Dense(7)])\nlater(kept, 'x')\n")


@pytest.mark.parametrize("rest, kept", [
    ("model.summary()", 35),                       # a method that changes no layer
    ("keras.utils.plot_model(model)", 35),         # Keras's own functions
    ("print(model.count_params(), len(model.weights))", 35),  # (fixtures/undecided/early_return_*)
    ("show(model)", 35),                           # a function of a package not analysed, as an escape
    ("add_block(model)", None),                    # ... whose name says it may grow a Sequential
    ("model.add(layers.Dense(2))", None),
])
def test_what_the_rest_of_a_function_does_after_an_early_return(rest, kept):
    report = analyze_source(_EARLY.format(rest=rest), "m.py")
    assert report.internal_error is None
    (m,) = report.models
    assert (m.total if m.status == "exact" else None) == kept


def test_a_method_keras_3_lacks_changes_nothing():
    # (Keras 3 raises AttributeError for predict_classes: the script stops, the model is as it was)
    src = _HEAD + "for step in range(5):\n    net.predict_classes(np.zeros((1, 4)))\n" \
        "    if random.random() < 0.5:\n        break\n"
    assert _status(src) == ("exact", 15)


_AGENT = ("import random\nimport keras\nfrom keras import layers\n"
          "class Buffer:\n    def __init__(self):\n        self.items = []\n"
          "    def add(self, item):\n        {add}\n"
          "class Agent:\n    def __init__(self):\n"
          "        self.model = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n"
          "agent = Agent()\nmemory = Buffer()\ndone = False\n"
          "while not done:\n    {loop}\n    done = random.random() < 0.5\n")


@pytest.mark.parametrize("add, loop, kept", [
    # a replay buffer's own add (fixtures/interpreter2/hold41_replay_buffer_add.py against Keras)
    ("self.items.append(item)", "memory.add(1)", 15),
    ("self.items.append(item)", "agent.model.predict(memory.add(1))", 15),
    # its add grows the agent's model: followed into, so unknown
    ("agent.model.add(layers.Dense(2))", "agent.model.predict(memory.add(1))", None),
    # the name is bound to another object in the loop (a model): a model's add (the name is both assigned and
    # changed: what it held after the runs followed is changed)
    ("self.items.append(item)", "memory = agent.model\n    memory.add(layers.Dense(2))", None),
    # a method of the code's object that grows a model it reaches by a global name (`trainer.step()`)
    ("agent.model.add(layers.Dense(2))", "memory.add(1)", None),
])
def test_a_method_of_the_codes_own_object_named_like_a_models_in_an_undecided_loop(add, loop, kept):
    report = analyze_source(_AGENT.format(add=add, loop=loop), "m.py")
    assert report.internal_error is None
    (m,) = report.models
    assert (m.total if m.status == "exact" else None) == kept


def test_a_model_made_anew_in_each_run_of_an_undecided_loop_keeps_its_numbers():
    # (a course notebook retrains an XOR network until it fits: each run makes and grows its own model)
    src = ("import random\nimport keras\nfrom keras import layers\ndone = False\nwhile not done:\n"
           "    model = keras.Sequential()\n    model.add(keras.Input((2,)))\n    model.add(layers.Dense(2))\n"
           "    model.add(layers.Dense(1))\n    done = random.random() < 0.5\n")
    assert _status(src) == ("exact", 9)


def test_a_class_attribute_named_like_a_models_method_is_not_the_classs_method():
    # `add = ...` in the class body is what `memory.add` finds first (a model's add here), not a base's method
    src = ("import random\nimport keras\nfrom keras import layers\n"
           "net = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n"
           "class Base:\n    def add(self, item):\n        return item\n"
           "class Buffer(Base):\n    add = net.add\n"
           "class Agent:\n    def __init__(self):\n        self.model = net\n"
           "agent = Agent()\nmemory = Buffer()\ndone = False\n"
           "while not done:\n    agent.model.predict(None)\n    memory.add(layers.Dense(2))\n"
           "    done = random.random() < 0.5\n")
    report = analyze_source(src, "m.py")
    assert report.internal_error is None
    assert all(m.status != "exact" for m in report.models)


def test_a_model_a_function_returns_and_the_loop_grows_is_not_kept():
    # (`m = get()` may be a model made before the loop: what it held after the runs followed is changed)
    src = ("import random\nimport keras\nfrom keras import layers\n"
           "net = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n"
           "def get():\n    return net\ndone = False\n"
           "while not done:\n    m = get()\n    m.add(layers.Dense(2))\n    done = random.random() < 0.5\n")
    assert _status(src) == ("unknown", None)


@pytest.mark.parametrize("add, kept", [
    ("self.items.append(step)", 15),                  # (fixtures/interpreter2/hold41_agent_memory_add.py)
    ("self.owner.model.add(layers.Dense(2))", None),  # the memory's add grows the agent's model
])
def test_an_agents_own_memory_added_to_in_an_undecided_loop_of_its_method(add, kept):
    src = ("import random\nimport keras\nfrom keras import layers\n"
           f"class Memory:\n    def __init__(self, owner):\n        self.owner = owner\n        self.items = []\n"
           f"    def add(self, step):\n        {add}\n"
           "class Agent:\n    def __init__(self):\n        self.model = keras.Sequential([keras.Input((4,)), layers.Dense(3)])\n"
           "        self.memory = Memory(self)\n"
           "    def run(self):\n        done = False\n        while not done:\n            self.memory.add(1)\n"
           "            done = random.random() < 0.5\n"
           "agent = Agent()\nagent.run()\n")
    assert _status(src) == (("exact", kept) if kept else ("unknown", None))
