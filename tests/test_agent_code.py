"""What reinforcement-learning agents' code does around its models (hold-out 63): ``len(obj)`` of an object whose
class of the analysed code defines ``__len__`` is the method's result, checked as Python's ``len()`` checks it
(fixtures/interpreter2/hold63_len_of_own_object.py has the exact case against Keras); TensorFlow 2's ``tf.losses``
and ``tf.optimizers`` are Keras's modules (fixtures/interpreter2/hold63_atleast_2d_state.py has the Keras form)."""

from __future__ import annotations

from kerascount.api import analyze_source

_HEAD = "import keras\nfrom keras import layers\n"


def _model(src: str):
    report = analyze_source(_HEAD + src, "m.py")
    assert report.internal_error is None
    (m,) = report.models
    return m


def _sized_by(length_body: str):
    return _model(
        "class Bag:\n"
        "    def __len__(self):\n"
        f"        {length_body}\n"
        "model = keras.Sequential([keras.Input((4,)), layers.Dense(len(Bag()))])\n")


def test_len_calls_the_class_method():
    m = _sized_by("return 3")
    assert m.status == "exact" and m.total == 15


def test_negative_or_non_integer_length_is_python_error():
    # Python raises ValueError ("__len__() should return >= 0") and TypeError (a float): never a size
    for body in ("return -1", "return 2.0", "return 'ab'"):
        m = _sized_by(body)
        assert m.status == "unknown", body
        assert any("Python raises" in r for r in m.reasons), (body, m.reasons)


def test_length_not_known_stays_a_symbol():
    # (a length the method reads from what the analysis does not see: the old symbol for `len(...)`)
    m = _model(
        "import sys\n"
        "class Bag:\n"
        "    def __len__(self):\n"
        "        return sys.maxsize if sys.argv else 0\n"
        "model = keras.Sequential([keras.Input((4,)), layers.Dense(len(Bag()))])\n")
    assert m.status in ("symbolic", "unknown")


_QNET = (
    "import numpy as np\n"
    "import tensorflow as tf\n"
    "class QNet(tf.keras.Model):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "        self.hidden = tf.keras.layers.Dense(32, activation='relu')\n"
    "        self.q = tf.keras.layers.Dense(3)\n"
    "        self.opt = {opt}\n"
    "        self.loss_fn = {loss}\n"
    "    def call(self, x):\n"
    "        return self.q(self.hidden(x))\n"
    "qnet = QNet()\n"
    "qnet(np.zeros((2, 5), dtype='float32'))\n"
)


def test_tensorflow_names_of_keras_modules():
    # TensorFlow sets tf.losses, tf.optimizers, tf.metrics and tf.initializers to tf.keras's modules: a model
    # that keeps such objects is counted as the one that keeps Keras's own
    from kerascount.extract.names import canonical
    for module in ("losses", "optimizers", "metrics", "initializers"):
        assert canonical(f"tensorflow.{module}.X") == f"keras.{module}.X"
    assert canonical("tensorflow.lossesX") is None
    keras_form = _model(_QNET.format(opt="tf.keras.optimizers.Adam(1e-3)", loss="tf.keras.losses.Huber()"))
    tf_form = _model(_QNET.format(opt="tf.optimizers.Adam(1e-3)", loss="tf.losses.Huber()"))
    assert keras_form.status == tf_form.status == "exact"
    assert keras_form.total == tf_form.total == 5 * 32 + 32 + 32 * 3 + 3


def test_keras2_arguments_of_tensorflow_optimizer_are_rejected():
    # tf.optimizers.Adam(lr=...) is Keras 3's Adam: it raises "Argument(s) not recognized", so the model is not made
    m = _model(_QNET.format(opt="tf.optimizers.Adam(lr=1e-3)", loss="tf.losses.Huber()"))
    assert m.status == "unknown"


_ACTOR = (
    "class Actor(keras.Model):\n"
    "    def __init__(self, n_actions, bound):\n"
    "        super().__init__()\n"
    "        self.n_actions = n_actions\n"
    "        self.bound = bound\n"
    "        self.h = layers.Dense(16, activation='relu')\n"
    "        self.mu = layers.Dense(n_actions, activation='tanh')\n"
    "    def call(self, x):\n"
    "        return self.mu(self.h(x))\n"
    "model = Actor(env.action_space.shape[0], env.action_space.high[0])\n"
    "model(keras.Input((env.observation_space.shape[0],)))\n"
)


def test_what_a_gym_space_gives_is_no_layer():
    # An actor that keeps its environment's action bound (`env.action_space.high[0]`) and action count as attributes:
    # what a space of an environment the analysis does not see gives is a number or an array, never a layer a
    # subclassed model tracks, so its counts are its Dense layers' (symbolic in the spaces' sizes)
    from test_catalogue_keras import COUNT_OR_RAISED, keras_probe
    from test_decided_conditions import _at
    m = _model("import sys\nimport gymnasium as gym\nenv = gym.make(sys.argv[1])\n" + _ACTOR)
    assert m.status == "symbolic", m.reasons
    stand_in = ("import types\nimport numpy as np\n"
                "space = lambda shape, high: types.SimpleNamespace(shape=shape, high=np.full(shape, high))\n"
                "env = types.SimpleNamespace(observation_space=space((3,), 9.0), action_space=space((2,), 2.0))\n")
    truth = keras_probe(COUNT_OR_RAISED, {"actor": _HEAD + stand_in + _ACTOR})
    assert _at(m.total, **{"env.observation_space.shape[0]": 3, "env.action_space.shape[0]": 2}) == truth["actor"]
    # (what is read from the environment itself, not from a space, may be anything: still not known)
    other = _model("import sys\nimport gymnasium as gym\nenv = gym.make(sys.argv[1])\n" +
                   _ACTOR.replace("env.action_space.high[0])", "env.unwrapped.world)"))
    assert other.status == "unknown"


_RESET = (
    "import random\n"
    "class Agent:\n"
    "    def __init__(self):\n"
    "        self.states = [1, 2]\n"
    "        self.net = keras.Sequential([keras.Input((3,)), layers.Dense(2)])\n"
    "agent = Agent()\n"
    "saved = agent.states\n"
    "if random.random() < 0.5:\n"
    "{way}"
    "    agent.states = []\n"
    "model = keras.Sequential([keras.Input((len(saved),)), layers.Dense(4)])\n"
)


def test_a_list_changed_in_place_then_replaced_is_still_changed():
    # hold63_episode_reset.py: a way that only gives an agent new lists leaves the model it holds as it was; a way
    # that appends to the list the agent held before (another name still holds it) and then replaces it changes that
    # list, so its length is not known after the condition: the model sized by it is a formula in that length (each
    # way builds it so, kerascount/alternatives.py), never a number; the agent's own network, which no way changes,
    # has the same count on both ways, which the model is given
    from test_catalogue_keras import COUNT_OR_RAISED, keras_probe
    only_set = {m.model.name: m for m in analyze_source(_HEAD + _RESET.format(way=""), "m.py").models}
    truth = keras_probe(COUNT_OR_RAISED, {"net": _HEAD + _RESET.format(way="") + "model = agent.net\n",
                                          "model": _HEAD + _RESET.format(way="")})
    assert only_set["net"].status == "exact" and only_set["net"].total == truth["net"]
    assert only_set["model"].status == "exact" and only_set["model"].total == truth["model"]
    changed = {m.model.name: m for m in analyze_source(_HEAD + _RESET.format(way="    agent.states.append(3)\n"),
                                                          "m.py").models}
    assert changed["model"].status != "exact" and changed["model"].total != truth["model"]
    assert changed["net"].status == "exact" and changed["net"].total == truth["net"]


_POP = (
    "import random\n"
    "class Agent:\n"
    "    def __init__(self, held):\n"
    "        self.memory = held\n"
    "        self.net = keras.Sequential([keras.Input((3,)), layers.Dense(2), layers.Dense(2)])\n"
    "    def step(self):\n"
    "        self.memory.pop()\n"
    "agent = Agent({held})\n"
    "done = False\n"
    "while not done:\n"
    "    agent.step()\n"
    "    done = random.random() < 0.5\n"
)


def test_pop_of_a_memory_list_is_no_model_change():
    # hold63_memory_list_pop.py: `self.memory.pop()` of a list leaves the agent's network as built; of a Sequential
    # held under that name it removes the model's last layer, so that model is not known after the loop (nor the
    # agent's other one: what the loop may do to the objects it holds is not followed then)
    listed = {m.model.name: m for m in analyze_source(_HEAD + _POP.format(held="[1, 2, 3]"), "m.py").models}
    assert listed["net"].status == "exact"
    stacked = analyze_source(_HEAD + _POP.format(held="keras.Sequential([keras.Input((3,)), layers.Dense(4)])"),
                             "m.py").models
    assert stacked and all(m.status != "exact" for m in stacked), [(m.model.name, m.status) for m in stacked]
